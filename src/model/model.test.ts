import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from '../emit/index.ts';
import { addRule, addTable, duplicateRule, moveRule, removeNode, updateRule } from './ops.ts';
import { findNode } from './find.ts';
import { reconcile } from './reconcile.ts';
import { validateRuleset } from './validate.ts';
import { emptyRuleset } from './types.ts';
import { TEMPLATES } from '../templates/catalog.ts';

const wiki = () => parse(TEMPLATES[0].text).ruleset;

describe('ops', () => {
  it('add, update, move, duplicate and remove rules without touching the input or unrelated nodes', () => {
    const rs = wiki();
    const [pre, input] = rs.tables[0].chains;
    const before = JSON.stringify(rs);
    const added = addRule(rs, input.id, { stmts: [{ kind: 'verdict', verdict: 'accept' }] }, 0);
    expect(JSON.stringify(rs)).toBe(before);
    const t = added.ruleset.tables[0];
    expect(t.chains[0]).toBe(pre); // untouched chain keeps its identity
    expect(t.chains[1].rules[0].id).toBe(added.id);
    const moved = moveRule(added.ruleset, added.id, 2);
    expect(moved.tables[0].chains[1].rules.map((r) => r.id).indexOf(added.id)).toBe(2);
    const dup = duplicateRule(moved, added.id);
    expect(findNode(dup.ruleset, dup.id)).toMatchObject({ kind: 'rule', index: 3 });
    const upd = updateRule(dup.ruleset, dup.id, { comment: 'copy' });
    expect(findNode(upd, dup.id)?.node).toMatchObject({ comment: 'copy' });
    const rem = removeNode(upd, input.id);
    expect(rem.tables[0].chains.map((c) => c.name)).toEqual(['PRE']);
  });
  it('adds a table', () => {
    const { ruleset, id } = addTable(emptyRuleset(), { family: 'inet', name: 'fw', flags: [], objects: [], sets: [], flowtables: [], chains: [] });
    expect(findNode(ruleset, id)?.kind).toBe('table');
  });
});

describe('validateRuleset', () => {
  it('accepts what the parser makes (JSON round trip)', () => {
    for (const t of TEMPLATES) {
      const r = validateRuleset(JSON.parse(JSON.stringify(parse(t.text).ruleset)));
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });
  it('rejects wrong shapes with their paths', () => {
    const rs = JSON.parse(JSON.stringify(wiki()));
    rs.tables[0].family = 'ipx';
    rs.tables[0].chains[1].rules[0].stmts[2].mss = '1460';
    rs.tables[0].chains[0].id = rs.tables[0].chains[1].id;
    rs.tables[0].chains[1].rules[1].stmts.push({ kind: 'evil', text: 'x' });
    const r = validateRuleset(rs);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'tables[0].family: expected one of ip, ip6, inet, arp, bridge, netdev',
      `tables[0].chains[1].id: duplicate id "${rs.tables[0].chains[1].id}"`,
      'tables[0].chains[1].rules[0].stmts[2].mss: expected a whole number',
      'tables[0].chains[1].rules[1].stmts[2].kind: unknown statement kind',
    ]);
  });
  it('rejects non-objects, missing lists and absurd nesting without throwing', () => {
    expect(validateRuleset(null).ok).toBe(false);
    expect(validateRuleset('x').ok).toBe(false);
    expect(validateRuleset({ schema: 1, preamble: 'none', tables: {} }).ok).toBe(false);
    let deep: unknown = { kind: 'value', text: 'x' };
    for (let i = 0; i < 100; i++) deep = { kind: 'list', items: [deep] };
    const rs = JSON.parse(JSON.stringify(wiki()));
    rs.tables[0].chains[0].rules[0].stmts[0].right = deep;
    const r = validateRuleset(rs);
    expect(r.ok).toBe(false);
  });
  it('migrates a draft without a schema version', () => {
    const rs = JSON.parse(JSON.stringify(wiki()));
    delete rs.schema;
    delete rs.preamble;
    delete rs.commands;
    expect(validateRuleset(rs).ok).toBe(true);
  });
});

describe('reconcile', () => {
  it('keeps the tables kept aside (live, not ours) across a text edit: they are never in the text', () => {
    const prev = { ...parse(TEMPLATES[0].text).ruleset, aside: [{ id: 'x1', family: 'ip' as const, name: 'nat', owner: 'docker', text: 'table ip nat {\n}' }] };
    const next = reconcile(prev, parse(emit(prev).text).ruleset);
    expect(next.aside).toBe(prev.aside);
    expect(reconcile(parse(TEMPLATES[0].text).ruleset, parse(TEMPLATES[0].text).ruleset)).not.toHaveProperty('aside');
  });

  it('keeps ids and objects of unchanged nodes, and the id of an edited rule', () => {
    const prev = wiki();
    const text = emit(prev).text.replace('mss 1460', 'mss 1400');
    const next = reconcile(prev, parse(text).ruleset);
    const [pre, input] = next.tables[0].chains;
    expect(pre).toBe(prev.tables[0].chains[0]);
    expect(input.id).toBe(prev.tables[0].chains[1].id);
    expect(input.rules[0].id).toBe(prev.tables[0].chains[1].rules[0].id);
    expect(input.rules[0]).not.toBe(prev.tables[0].chains[1].rules[0]);
    expect(input.rules[1]).toBe(prev.tables[0].chains[1].rules[1]);
    expect(emit(next).text).toBe(text);
  });
  it('keeps ids when a rule is inserted in the middle', () => {
    const prev = wiki();
    const text = emit(prev).text.replace('\t\tct state invalid drop', '\t\ttcp dport 22 accept\n\t\tct state invalid drop');
    const next = reconcile(prev, parse(text).ruleset);
    const oldRules = prev.tables[0].chains[1].rules;
    const rules = next.tables[0].chains[1].rules;
    expect(rules[0]).toBe(oldRules[0]);
    expect(rules[2]).toBe(oldRules[1]);
    expect(new Set(rules.map((r) => r.id)).size).toBe(3);
  });
  it('returns the same table object when nothing changed', () => {
    const prev = wiki();
    const next = reconcile(prev, parse(emit(prev).text).ruleset);
    expect(next.tables[0]).toBe(prev.tables[0]);
  });
});
