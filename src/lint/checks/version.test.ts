import { describe, expect, it } from 'vitest';
import { byId, ids, lintText, rangeText } from '../fixtures/lintText.ts';
import { generateBinopChain } from '../../testing/generate.ts';

const v = (text: string, targetVersion: string): string[] => byId(lintText(text, { targetVersion }).found, 'version/feature').map((d) => d.message);

describe('target version', () => {
  it('knows when each feature arrived', () => {
    const cases: [string, string, string][] = [
      ['table ip t {\n\tset s {\n\t\ttypeof ip saddr\n\t}\n}\n', '0.9.3', 'typeof in set declarations needs nftables 0.9.4 or later; the target is 0.9.3'],
      ['table inet t {\n\tchain c {\n\t\ttype filter hook ingress device "eth0" priority 0; policy accept;\n\t}\n}\n', '0.9.6', 'the inet ingress hook needs nftables 0.9.7 or later; the target is 0.9.6'],
      ['table netdev t {\n\tchain c {\n\t\ttype filter hook egress device "eth0" priority 0; policy accept;\n\t}\n}\n', '1.0.0', 'the netdev egress hook needs nftables 1.0.1 or later; the target is 1.0.0'],
      ['table netdev t {\n\tchain c {\n\t\ttype filter hook ingress devices = { eth0, eth1 } priority 0; policy accept;\n\t}\n}\n', '0.9.2', 'multi-device chains (devices = { … }) needs nftables 0.9.3 or later; the target is 0.9.2'],
      ['table ip t {\n\tmap m {\n\t\ttype ipv4_addr : synproxy\n\t}\n}\n', '1.0.1', 'maps of synproxy objects needs nftables 1.0.2 or later; the target is 1.0.1'],
      ['table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n', '0.9.0', 'textual chain priorities (filter, raw, …) needs nftables 0.9.1 or later; the target is 0.9.0'],
      ['table ip t {\n\tchain c {\n\t\ttcp dport 80 synproxy mss 1460 wscale 7\n\t}\n}\n', '0.9.1', 'the synproxy statement needs nftables 0.9.2 or later; the target is 0.9.1'],
    ];
    for (const [text, target, message] of cases) {
      expect(v(text, target)).toEqual([message]);
      expect(v(text, '1.0.6')).toEqual([]);
    }
  });

  it('reads the first version of each statement module and expression table', () => {
    const cases: [string, string][] = [
      ['table ip t {\n\tchain c {\n\t\ttcp dport 22 last accept\n\t}\n}\n', 'the last statement needs nftables 1.0.7 or later; the target is 1.0.6'],
      ['table netdev t {\n\tchain c {\n\t\tudp dport 4789 vxlan ip saddr 198.18.0.1 vxlan ip daddr 198.18.0.2 drop\n\t}\n}\n', '"vxlan ip saddr" needs nftables 1.0.7 or later; the target is 1.0.6'],
      ['table ip6 t {\n\tchain c {\n\t\ticmpv6 taddr 2001:db8::1 drop\n\t}\n}\n', '"icmpv6 taddr" needs nftables 1.0.7 or later; the target is 1.0.6'],
    ];
    for (const [text, message] of cases) {
      expect(v(text, '1.0.6')[0]).toBe(message);
      expect(v(text, '1.1.3')).toEqual([]);
    }
    const last = 'table ip t {\n\tchain c {\n\t\ttcp dport 22 last accept\n\t}\n}\n';
    expect(rangeText(last, byId(lintText(last, { targetVersion: '1.0.6' }).found, 'version/feature')[0])).toBe('last');
  });

  it('points at the feature', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttypeof ip saddr\n\t}\n}\n';
    expect(rangeText(text, byId(lintText(text, { targetVersion: '0.9.0' }).found, 'version/feature')[0])).toBe('typeof');
  });

  it('accepts destroy from 1.0.7', () => {
    expect(v('table ip t {\n}\ndestroy table ip t\n', '1.0.7')).toEqual([]);
  });
});

describe('JSON limits', () => {
  const json = (text: string, targetVersion?: string): string[] =>
    lintText(text, { forJson: true, targetVersion }).found.filter((d) => d.id.startsWith('json/')).map((d) => `${d.field ?? '-'}: ${d.message}`);

  it('is silent unless exporting JSON', () => {
    expect(ids(lintText('table ip t {\n\tcomment "x"\n}\n').found).filter((id) => id.startsWith('json/'))).toEqual([]);
  });

  it('reports what the JSON converter cannot carry for the target version, on its node and field', () => {
    const text = 'table netdev t {\n\tset s {\n\t\ttypeof meta mark\n\t\tflags dynamic\n\t}\n}\n';
    const at106 = json(text, '1.0.6');
    expect(at106.map((m) => m.split(':')[0])).toEqual(['type', 'flags']);
    expect(at106[1]).toMatch(/nft 1\.0\.9 and later can carry it/);
    expect(json(text, '1.0.9').map((m) => m.split(':')[0])).toEqual(['type']);
    const r = lintText(text, { forJson: true, targetVersion: '1.0.6' });
    expect(byId(r.found, 'json/loss').every((d) => d.nodeId === r.ruleset.tables[0].sets[0].id && d.range)).toBe(true);
  });

  it('leaves a design that cannot be emitted to the names check', () => {
    const r = lintText('table ip t {\n}\n', {
      forJson: true,
      model: (rs) => {
        rs.tables[0].name = 'bad name';
      },
    });
    expect(ids(r.found)).toEqual(['name/syntax']);
  });
});

describe('bit operations per target version', () => {
  const tooDeep = (ops: number, targetVersion: string): string[] =>
    byId(lintText(generateBinopChain(ops), { targetVersion }).found, 'rule/too-deep').map((d) => d.message);

  it('holds Debian 13 (nft 1.1.3) to 15 bit operations on one path and 1.0.6 to 52', () => {
    expect(tooDeep(15, '1.1.3')).toEqual([]);
    expect(tooDeep(16, '1.1.3')).toEqual([
      '16 bit operations (&, |, ^, <<, >>) on one path of an expression: nft 1.1.3 takes at most 15 and refuses it ("Binary operation limit 16 reached")',
    ]);
    expect(tooDeep(16, '1.0.6')).toEqual([]);
    expect(tooDeep(52, '1.0.6')).toEqual([]);
  });

  it('counts the operations on one path across parentheses, not all of them', () => {
    // two paths of 10 each inside one concatenation: no path has more than 10
    const rule = `ip saddr . (meta mark${' & 0x1'.repeat(10)}) . (ct mark${' & 0x1'.repeat(10)}) { 10.0.0.1 . 0x1 . 0x1 } accept`;
    const text = `table ip t {\n\tchain c {\n\t\t${rule}\n\t}\n}\n`;
    expect(byId(lintText(text, { targetVersion: '1.1.3' }).found, 'rule/too-deep')).toEqual([]);
    const deeper = `table ip t {\n\tchain c {\n\t\tip saddr . (meta mark${' & 0x1'.repeat(10)})${' & 0x1'.repeat(6)} { 10.0.0.1 . 0x1 } accept\n\t}\n}\n`;
    expect(byId(lintText(deeper, { targetVersion: '1.1.3' }).found, 'rule/too-deep').map((d) => d.message)[0]).toMatch(/^16 bit operations/);
  });
});
