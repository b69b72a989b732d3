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
