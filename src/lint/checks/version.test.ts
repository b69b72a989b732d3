import { describe, expect, it } from 'vitest';
import { byId, ids, lintText, rangeText } from '../fixtures/lintText.ts';

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
    const at106 = json(text);
    expect(at106.map((m) => m.split(':')[0])).toEqual(['type', 'flags']);
    expect(at106[1]).toMatch(/nft 1\.0\.9 and later can carry it/);
    expect(json(text, '1.0.9').map((m) => m.split(':')[0])).toEqual(['type']);
    const r = lintText(text, { forJson: true });
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
