import { describe, expect, it } from 'vitest';
import { MORE_FIELDS, RULE_FIELDS, allRuleFieldsFor, fieldOfSelectorText, ruleField, ruleFieldOf } from '../../../src/knowledge/ruleFields.ts';
import { parseSelectorText } from '../../../src/parse/expressions.ts';
import { emitRule } from '../../../src/emit/index.ts';
import { parseChip } from './values.ts';
import { parse } from '../../../src/parse/index.ts';

/**
 * The builder's field list is derived from the knowledge tables: every field's id
 * is how the printer writes its selector and reads back as that selector, its
 * example is a value the builder accepts, and a rule made from it is one nft text.
 */
describe('every selector the core structures is a builder field', () => {
  const all = [...RULE_FIELDS, ...MORE_FIELDS];

  it('lists well over the common fields, each id once', () => {
    expect(MORE_FIELDS.length).toBeGreaterThan(150);
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
    for (const kind of ['payload', 'meta', 'ct', 'exthdr', 'ipsec', 'osf', 'rt', 'socket']) expect(MORE_FIELDS.some((f) => f.expr.kind === kind), kind).toBe(true);
  });

  it.each(all.map((f) => [f.id, f] as const))('%s reads back as its selector, and its example is a value', (id, f) => {
    expect(parseSelectorText(id)).toEqual(f.expr);
    expect(ruleField(id)).toBe(f);
    expect(ruleFieldOf(f.expr)).toBe(f);
    expect(parseChip(f.example, f.type, { range: f.range }).problem, `${id} ${f.example}`).toBeUndefined();
    const text = `${id} ${f.example} accept`;
    const family = f.families?.[0] ?? 'inet';
    const r = parse(`table ${family} t {\n\tchain c {\n\t\t${text}\n\t}\n}\n`);
    expect(r.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
    const rule = r.ruleset.tables[0].chains[0].rules[0];
    expect(rule.stmts[0].kind, text).toBe('match');
    expect(emitRule(rule, family)).toContain(' accept');
  });

  it('a selector with parameters is a field when typed in full, a typo or a value is not', () => {
    expect(fieldOfSelectorText('ct reply ip6 daddr')?.type).toBe('ipv6_addr');
    expect(fieldOfSelectorText('@th,16,16')?.type).toBe('hex_integer');
    expect(fieldOfSelectorText('gre ip saddr')?.label).toMatch(/inside the gre tunnel/);
    expect(fieldOfSelectorText('ipsec in spnum 3 spi')?.id).toBe('ipsec in spnum 3 spi');
    for (const bad of ['tcp dportt', '10.0.0.1', 'tcp dport 22', 'ip saddr . tcp dport', 'meta mark & 0xff', '', 'x'.repeat(300)]) expect(fieldOfSelectorText(bad), bad).toBeUndefined();
  });

  it('offers the fields of the family only', () => {
    const ids = (fam: 'ip' | 'ip6' | 'arp') => allRuleFieldsFor(fam).map((f) => f.id);
    expect(ids('ip')).toContain('tcp option maxseg size');
    expect(ids('ip')).not.toContain('exthdr hbh');
    expect(ids('ip6')).toContain('exthdr hbh');
    expect(ids('ip6')).not.toContain('ip option ra');
    expect(ids('arp')).toContain('arp operation');
    expect(ids('arp')).not.toContain('tcp dport');
  });
});
