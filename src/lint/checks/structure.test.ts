import { describe, expect, it } from 'vitest';
import { byId, ids, lintText, rangeText } from '../fixtures/lintText.ts';

const chain = (family: string, spec: string, extra = ''): string =>
  `table ${family} t {\n\tchain c {\n\t\t${spec}\n${extra}\t}\n}\n`;

describe('chain structure', () => {
  it('accepts every combination of the verified matrix', () => {
    const ok = [
      chain('ip', 'type route hook output priority mangle; policy accept;'),
      chain('ip6', 'type nat hook input priority 100; policy accept;'),
      chain('inet', 'type filter hook ingress device "eth0" priority filter; policy accept;'),
      chain('netdev', 'type filter hook egress device "eth0" priority filter; policy accept;'),
      chain('netdev', 'type filter hook ingress devices = { eth0, eth1 } priority filter; policy accept;'),
      chain('arp', 'type filter hook output priority filter; policy accept;'),
      chain('bridge', 'type filter hook postrouting priority srcnat; policy accept;'),
    ];
    for (const text of ok) expect(ids(lintText(text).found).filter((id) => id.startsWith('chain/'))).toEqual([]);
  });

  it('points at the hook of a hook the family does not have', () => {
    const text = chain('ip6', 'type filter hook egress priority filter; policy accept;');
    const [d] = byId(lintText(text).found, 'chain/family-hook');
    expect(d.message).toBe('the ip6 family has no egress hook');
    expect(d.field).toBe('hook');
    expect(rangeText(text, d)).toBe('egress');
  });

  it('tells route chains apart from nat chains', () => {
    const d = byId(lintText(chain('ip', 'type route hook input priority filter; policy accept;')).found, 'chain/type-hook')[0];
    expect(d.message).toBe('a route chain cannot use the input hook in an ip table');
    expect(d.why).toMatch(/only on output/);
  });

  it('reports a chain type the family lacks on the type', () => {
    const text = chain('netdev', 'type route hook ingress device "eth0" priority filter; policy accept;');
    const [d] = byId(lintText(text).found, 'chain/type-hook');
    expect(d.field).toBe('type');
    expect(rangeText(text, d)).toBe('route');
  });

  it('points at the device phrase that is refused', () => {
    const text = chain('inet', 'type filter hook input devices = { eth0, eth1 } priority filter; policy accept;');
    const [d] = byId(lintText(text).found, 'chain/device-refused');
    expect(rangeText(text, d)).toBe('devices = { eth0, eth1 }');
  });

  it('requires a device on inet ingress for nft 1.0.x (which refuses the chain); for 1.1 (which loads it) warns that it sees no packet', () => {
    const text = chain('inet', 'type filter hook ingress priority filter; policy accept;');
    expect(ids(lintText(text, { targetVersion: '1.0.6' }).found)).toContain('chain/device-missing');
    const newer = ids(lintText(text).found);
    expect(newer).toContain('chain/no-device');
    expect(newer).not.toContain('chain/device-missing');
  });
});

describe('chain priority', () => {
  it('points at the whole priority expression', () => {
    const text = chain('ip', 'type filter hook input priority dstnat + 5; policy accept;');
    const [d] = byId(lintText(text).found, 'chain/priority-name');
    expect(rangeText(text, d)).toBe('dstnat + 5');
    expect(d.message).toBe('priority dstnat is not allowed on the input hook');
    expect(d.why).toMatch(/priority -95/);
  });

  it('knows that arp and netdev only have filter', () => {
    expect(ids(lintText(chain('arp', 'type filter hook input priority raw; policy accept;')).found)).toContain('chain/priority-name');
    expect(ids(lintText(chain('arp', 'type filter hook input priority filter - 5; policy accept;')).found)).not.toContain('chain/priority-name');
  });

  it('checks nat priorities after resolving names, offsets and variables', () => {
    const nat = (p: string, pre = ''): string[] => ids(lintText(pre + chain('ip', `type nat hook prerouting priority ${p}; policy accept;`)).found);
    expect(nat('mangle')).not.toContain('chain/nat-priority');
    expect(nat('-199')).not.toContain('chain/nat-priority');
    expect(nat('-200')).toContain('chain/nat-priority');
    expect(nat('mangle - 50')).toContain('chain/nat-priority');
    expect(nat('$P', 'define P = -300\n')).toContain('chain/nat-priority');
    expect(nat('$P', 'define P = -100\n')).not.toContain('chain/nat-priority');
  });

  it('says what a priority outside int32 wraps to', () => {
    const [d] = byId(lintText(chain('ip', 'type filter hook input priority -2147483649; policy accept;')).found, 'chain/priority-range');
    expect(d.message).toMatch(/silently store 2147483647$/);
  });
});

describe('chain policy', () => {
  it('refuses a policy the model holds that nft cannot write', () => {
    const r = lintText(chain('ip', 'type filter hook input priority filter; policy accept;'), {
      model: (rs) => {
        const b = rs.tables[0].chains[0].base;
        if (b) b.policy = 'continue';
      },
    });
    const [d] = byId(r.found, 'chain/policy-value');
    expect(d.field).toBe('policy');
    expect(d.range).toBeUndefined();
  });

  it('accepts a variable holding a quoted accept/drop', () => {
    const text = `define P = "accept"\n${chain('ip', 'type filter hook input priority filter; policy $P;')}`;
    expect(ids(lintText(text).found)).not.toContain('chain/policy-value');
  });
});
