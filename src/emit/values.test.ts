import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';

const rule = (body: string) => `table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\t${body}\n\t}\n}\n`;

function fmtRule(body: string): string {
  const r = parse(rule(body));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return emit(r.ruleset).text.split('\n')[3].trim();
}

describe('one-element anonymous sets', () => {
  it('become a plain comparison when the element is only a key, as nft lists them', () => {
    expect(fmtRule('ip saddr { 1.2.3.4 } accept')).toBe('ip saddr 1.2.3.4 accept');
    expect(fmtRule('ip saddr { 10.0.0.0/24, 10.0.1.0/24 } accept')).toBe('ip saddr 10.0.0.0/23 accept');
  });

  it.each([
    ['ip saddr { 1.2.3.4 timeout 10s } accept', 'ip saddr { 1.2.3.4 timeout 10s } accept'],
    ['ip saddr { 1.2.3.4 comment "x" } accept', 'ip saddr { 1.2.3.4 comment "x" } accept'],
    ['ip saddr { 1.2.3.4 counter } accept', 'ip saddr { 1.2.3.4 counter packets 0 bytes 0 } accept'],
    ['ip saddr { 1.2.3.4 expires 5s } accept', 'ip saddr { 1.2.3.4 expires 5s } accept'],
  ])('keep their braces when the element has options: %s', (input, out) => {
    const text = fmtRule(input);
    expect(text).toBe(out);
    // and what we print reads back as the same rule, not as a rule counter or comment
    const again = parse(rule(text));
    const stmts = again.ruleset.tables[0].chains[0].rules[0].stmts;
    expect(stmts.map((s) => s.kind)).toEqual(['match', 'verdict']);
    expect(again.ruleset.tables[0].chains[0].rules[0].comment).toBeUndefined();
  });
});

describe('concatenations with intervals, and nat from a named map', () => {
  it('a concatenation with intervals is listed in the order its elements were written (nft 1.0.6 and 1.1.3); without intervals in nft\'s byte order', () => {
    expect(fmtRule('ip saddr . tcp dport { 10.0.0.9 . 80, 10.0.0.0/30 . 22, 10.0.0.7 . 443 } accept')).toBe('ip saddr . tcp dport { 10.0.0.9 . 80, 10.0.0.0/30 . 22, 10.0.0.7 . 443 } accept');
    expect(fmtRule('ip saddr . tcp dport { 10.0.0.9 . 80, 10.0.0.1 . 22, 10.0.0.7 . 443 } accept')).toBe('ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.9 . 80, 10.0.0.7 . 443 } accept');
  });
  it('interface names in an interval set (a wildcard makes one) are in byte order from the first byte; a wildcard in a concatenation keeps the order written (nft 1.0.6 and 1.1.3)', () => {
    expect(fmtRule('iifname { "lo", "eth10", "eth2", "f*", "b" } accept')).toBe('iifname { "b", "eth10", "eth2", "f*", "lo" } accept');
    expect(fmtRule('iifname . ip saddr { "eth1" . 10.0.0.9, "eth*" . 10.0.0.1, "abc" . 10.0.0.7 } accept')).toBe('iifname . ip saddr { "eth1" . 10.0.0.9, "eth*" . 10.0.0.1, "abc" . 10.0.0.7 } accept');
  });
  it('a concatenation of header integers or raw payloads without intervals is in byte order, each part in network order', () => {
    const text = `table inet t {\n\tmap m2 {\n\t\ttypeof udp length . @ih,32,32 : verdict\n\t\telements = { 20 . 0x24 : accept, 30 . 0x1e : drop }\n\t}\n}\n`;
    expect(emit(parse(text).ruleset, { target: '1.0.6' }).text).toContain('elements = { 30 . 0x1e : drop,\n\t\t\t     20 . 0x24 : accept }');
  });
  it('snat from a named map lists its family when the map\'s data are intervals or a concatenation, and follows a change of the map (no stale cache)', () => {
    const text = `table ip x {\n\tmap y {\n\t\ttype ipv4_addr : ipv4_addr\n\t\telements = { 10.0.0.1 : 192.168.2.2 }\n\t}\n\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tsnat to ip saddr map @y\n\t}\n}\n`;
    const rs = parse(text).ruleset;
    expect(emit(rs).text).toContain('\t\tsnat to ip saddr map @y\n');
    // the same chain and rule objects, a new map declaration (as the model's operations make one)
    const t = rs.tables[0];
    const y = t.sets[0];
    const changed = { ...rs, tables: [{ ...t, sets: [{ ...y, flags: ['interval'], data: { mode: 'type' as const, types: ['ipv4_addr'], interval: true }, elements: [{ key: { kind: 'prefix' as const, addr: { kind: 'value' as const, text: '10.0.0.0' }, len: 24 }, value: { kind: 'range' as const, from: { kind: 'value' as const, text: '192.168.2.2' }, to: { kind: 'value' as const, text: '192.168.2.4' } } }] }] }] };
    const out = emit(changed).text;
    expect(out).toContain('\t\ttype ipv4_addr : interval ipv4_addr\n');
    expect(out).toContain('\t\tsnat ip to ip saddr map @y\n');
    expect(emit(rs).text).toContain('\t\tsnat to ip saddr map @y\n');
  });
});
