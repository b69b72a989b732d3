/**
 * Statements edited through their module's form (src/stmts/module.ts StmtForm)
 * in the builder's model: a rule with one opens in the builder and gives back
 * the same nft text; a new row starts empty ("not filled in yet"), and each
 * field's problem stands under that field.
 */
import { describe, expect, it } from 'vitest';
import { emitRule } from '../../../src/emit/index.ts';
import type { Family } from '../../../src/model/types.ts';
import { blocks, emptyState, newStmtRow, ruleToState, stateToRule, type BuilderContext, type FormRow } from './model.ts';
import { STMT_KINDS, placementHint } from './StatementEditor.tsx';
import { ruleOf, wikiFixture } from './testUtil.ts';

const fx = wikiFixture();
const ctx = (family: Family, chain = 'in'): BuilderContext => ({ family, table: { ...fx.table, family }, chain: fx.chain(chain) });

describe('statements with a form', () => {
  it.each([
    ['inet', 'pre', 'tcp dport 80 tproxy ip to 127.0.0.1:3128 accept'],
    ['inet', 'in', 'tcp dport 22 ct count over 3 drop'],
    ['inet', 'in', 'ip saddr 10.0.0.1 last used never counter packets 0 bytes 0'],
    ['ip', 'in', 'dup to 192.168.2.1 device "lo"'],
    ['netdev', 'in', 'meta mark 0x00000010 fwd ip to 192.168.2.200 device "lo"'],
    ['inet', 'forward', 'flow add @ft'],
    ['inet', 'in', 'tcp dport 22 meter ssh size 65535 { ip saddr limit rate over 10/minute burst 3 packets } drop'],
    ['inet', 'in', 'tcp dport 22 jump {\n\t\t\tip saddr 10.0.0.0/8 accept\n\t\t\tdrop\n\t\t}'],
  ] as const)('%s %s: %s opens in the builder and comes back as it was', (family, chain, text) => {
    const c = ctx(family, chain);
    const rule = ruleOf(text, family);
    const from = ruleToState(rule, c);
    expect(from.ok, from.ok ? '' : from.reason).toBe(true);
    if (!from.ok) return;
    expect(from.state.stmts.some((r) => r.kind === 'form')).toBe(true);
    const back = stateToRule(from.state, c, rule);
    expect(back.problems.filter(blocks)).toEqual([]);
    expect(emitRule(back.rule, family)).toBe(emitRule(rule, family));
  });

  it('offers every form kind in the statement menu, labelled by its module', () => {
    const forms = STMT_KINDS.filter((k) => k.kind.startsWith('form:'));
    expect(forms.map((k) => k.kind)).toEqual(expect.arrayContaining(['form:tproxy', 'form:dup', 'form:fwd', 'form:connlimit', 'form:last', 'form:flow', 'form:meter', 'form:binding']));
    for (const k of forms) expect(k.label).not.toBe('');
  });

  it('starts a new row empty: required fields are pending, then the statement is built from the fields', () => {
    const c = ctx('inet', 'in');
    const row = newStmtRow('form:connlimit', c) as FormRow;
    expect(row).toMatchObject({ kind: 'form', of: 'connlimit', values: { over: '', count: '' } });
    const state = { ...emptyState(), stmts: [row] };
    const pending = stateToRule(state, c, { id: 'r1' });
    expect(pending.problems).toEqual([expect.objectContaining({ path: 'stmt.0.count', severity: 'pending' })]);
    const bad = stateToRule({ ...state, stmts: [{ ...row, values: { over: 'over', count: 'many' } }] }, c, { id: 'r1' });
    expect(bad.problems).toEqual([expect.objectContaining({ path: 'stmt.0.count', severity: 'error', message: expect.stringMatching(/not a number/) })]);
    const good = stateToRule({ ...state, stmts: [{ ...row, values: { over: 'over', count: '20' } }] }, c, { id: 'r1' });
    expect(good.problems.filter(blocks)).toEqual([]);
    expect(emitRule(good.rule, 'inet')).toBe('ct count over 20');
  });

  it('lets no field text escape into the rule', () => {
    const c = ctx('inet', 'pre');
    const row: FormRow = { key: 'k', kind: 'form', of: 'tproxy', values: { family: 'ip', addr: '127.0.0.1 accept; flush ruleset', port: '' } };
    const r = stateToRule({ ...emptyState(), stmts: [row] }, c, { id: 'r1' });
    expect(r.problems).toEqual([expect.objectContaining({ path: 'stmt.0.addr', severity: 'error' })]);
  });

  it('says where a kind does not work: the family (dup, fwd) and the hook (tproxy)', () => {
    expect(placementHint('form:fwd', ctx('inet', 'in'))).toMatch(/only in netdev tables/);
    expect(placementHint('form:dup', ctx('inet', 'in'))).toMatch(/only in ip, ip6, netdev tables/);
    expect(placementHint('form:tproxy', ctx('inet', 'in'))).toMatch(/tproxy works only in chains on prerouting/);
    expect(placementHint('form:tproxy', ctx('inet', 'pre'))).toBeUndefined();
  });
});
