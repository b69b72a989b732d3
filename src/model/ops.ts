/**
 * Pure operations on the ruleset: each returns a new Ruleset and leaves the
 * input untouched, sharing every subtree it did not change (so memoised
 * emitting and rendering see unchanged nodes as the same objects). Store
 * actions call these and set the result.
 */
import { newId } from './ids.ts';
import type { Chain, Define, Flowtable, NamedObject, Rule, Ruleset, SetDecl, Table } from './types.ts';

type Member = 'chains' | 'sets' | 'objects' | 'flowtables';

function mapTable(rs: Ruleset, tableId: string, fn: (t: Table) => Table): Ruleset {
  let hit = false;
  const tables = rs.tables.map((t) => {
    if (t.id !== tableId) return t;
    hit = true;
    return fn(t);
  });
  return hit ? { ...rs, tables } : rs;
}

/** The table that holds node `id` (or is it). */
export function tableOf(rs: Ruleset, id: string): Table | undefined {
  return rs.tables.find(
    (t) =>
      t.id === id ||
      t.chains.some((c) => c.id === id || c.rules.some((r) => r.id === id)) ||
      t.sets.some((s) => s.id === id) ||
      t.objects.some((o) => o.id === id) ||
      t.flowtables.some((f) => f.id === id),
  );
}

// ------------------------------------------------------------------ tables

export function addTable(rs: Ruleset, table: Omit<Table, 'id'> & { id?: string }): { ruleset: Ruleset; id: string } {
  const t: Table = { ...table, id: table.id ?? newId('t') };
  return { ruleset: { ...rs, tables: [...rs.tables, t] }, id: t.id };
}

export function updateTable(rs: Ruleset, id: string, patch: Partial<Omit<Table, 'id' | Member>>): Ruleset {
  return mapTable(rs, id, (t) => ({ ...t, ...patch }));
}

// ------------------------------------------------------------------ members

function addMember<M extends Member>(rs: Ruleset, tableId: string, member: M, node: Table[M][number]): Ruleset {
  return mapTable(rs, tableId, (t) => ({ ...t, [member]: [...t[member], node] }));
}

function updateMember<M extends Member>(rs: Ruleset, id: string, member: M, patch: Partial<Table[M][number]>): Ruleset {
  const t = tableOf(rs, id);
  if (!t) return rs;
  return mapTable(rs, t.id, (tt) => ({
    ...tt,
    [member]: (tt[member] as { id: string }[]).map((n) => (n.id === id ? { ...n, ...patch } : n)),
  }));
}

export function addChain(rs: Ruleset, tableId: string, chain: Omit<Chain, 'id' | 'rules'> & { id?: string; rules?: Rule[] }): { ruleset: Ruleset; id: string } {
  const c: Chain = { ...chain, id: chain.id ?? newId('c'), rules: chain.rules ?? [] };
  return { ruleset: addMember(rs, tableId, 'chains', c), id: c.id };
}

/** Replace a chain's fields; `base: undefined` turns it into a regular chain. */
export function updateChain(rs: Ruleset, id: string, patch: Partial<Omit<Chain, 'id' | 'rules'>>): Ruleset {
  return updateMember(rs, id, 'chains', patch as Partial<Chain>);
}

export function addSet(rs: Ruleset, tableId: string, set: Omit<SetDecl, 'id'> & { id?: string }): { ruleset: Ruleset; id: string } {
  const s: SetDecl = { ...set, id: set.id ?? newId('s') };
  return { ruleset: addMember(rs, tableId, 'sets', s), id: s.id };
}

export function updateSet(rs: Ruleset, id: string, patch: Partial<Omit<SetDecl, 'id'>>): Ruleset {
  return updateMember(rs, id, 'sets', patch);
}

export function addObject(rs: Ruleset, tableId: string, obj: NamedObject): { ruleset: Ruleset; id: string } {
  return { ruleset: addMember(rs, tableId, 'objects', obj), id: obj.id };
}

/** Replace an object entirely (its type may change the fields it has). */
export function replaceObject(rs: Ruleset, id: string, obj: NamedObject): Ruleset {
  const t = tableOf(rs, id);
  if (!t) return rs;
  return mapTable(rs, t.id, (tt) => ({ ...tt, objects: tt.objects.map((o) => (o.id === id ? { ...obj, id } : o)) }));
}

export function addFlowtable(rs: Ruleset, tableId: string, ft: Omit<Flowtable, 'id'> & { id?: string }): { ruleset: Ruleset; id: string } {
  const f: Flowtable = { ...ft, id: ft.id ?? newId('f') };
  return { ruleset: addMember(rs, tableId, 'flowtables', f), id: f.id };
}

export function updateFlowtable(rs: Ruleset, id: string, patch: Partial<Omit<Flowtable, 'id'>>): Ruleset {
  return updateMember(rs, id, 'flowtables', patch);
}

// ------------------------------------------------------------------ rules

function mapChain(rs: Ruleset, chainId: string, fn: (c: Chain) => Chain): Ruleset {
  const t = tableOf(rs, chainId);
  if (!t) return rs;
  return mapTable(rs, t.id, (tt) => ({ ...tt, chains: tt.chains.map((c) => (c.id === chainId ? fn(c) : c)) }));
}

function chainOfRule(rs: Ruleset, ruleId: string): Chain | undefined {
  for (const t of rs.tables) for (const c of t.chains) if (c.rules.some((r) => r.id === ruleId)) return c;
  return undefined;
}

/** Insert a rule at `index` (default: the end). */
export function addRule(rs: Ruleset, chainId: string, rule: Omit<Rule, 'id'> & { id?: string }, index?: number): { ruleset: Ruleset; id: string } {
  const r: Rule = { ...rule, id: rule.id ?? newId('r') };
  return {
    ruleset: mapChain(rs, chainId, (c) => {
      const rules = [...c.rules];
      rules.splice(index ?? rules.length, 0, r);
      return { ...c, rules };
    }),
    id: r.id,
  };
}

export function updateRule(rs: Ruleset, ruleId: string, patch: Partial<Omit<Rule, 'id'>>): Ruleset {
  const c = chainOfRule(rs, ruleId);
  if (!c) return rs;
  return mapChain(rs, c.id, (cc) => ({ ...cc, rules: cc.rules.map((r) => (r.id === ruleId ? { ...r, ...patch } : r)) }));
}

/** Move a rule to position `to` within its chain. */
export function moveRule(rs: Ruleset, ruleId: string, to: number): Ruleset {
  const c = chainOfRule(rs, ruleId);
  if (!c) return rs;
  return mapChain(rs, c.id, (cc) => {
    const from = cc.rules.findIndex((r) => r.id === ruleId);
    const target = Math.max(0, Math.min(to, cc.rules.length - 1));
    if (from === target) return cc;
    const rules = [...cc.rules];
    const [r] = rules.splice(from, 1);
    rules.splice(target, 0, r);
    return { ...cc, rules };
  });
}

export function duplicateRule(rs: Ruleset, ruleId: string): { ruleset: Ruleset; id: string } {
  const c = chainOfRule(rs, ruleId);
  if (!c) return { ruleset: rs, id: ruleId };
  const i = c.rules.findIndex((r) => r.id === ruleId);
  const copy: Rule = { ...structuredClone(c.rules[i]), id: newId('r') };
  return addRule(rs, c.id, copy, i + 1);
}

// ------------------------------------------------------------------ defines

export function addDefine(rs: Ruleset, d: Omit<Define, 'id'>): { ruleset: Ruleset; id: string } {
  const def: Define = { ...d, id: newId('d') };
  return { ruleset: { ...rs, defines: [...rs.defines, def] }, id: def.id };
}

export function updateDefine(rs: Ruleset, id: string, patch: Partial<Omit<Define, 'id'>>): Ruleset {
  return { ...rs, defines: rs.defines.map((d) => (d.id === id ? { ...d, ...patch } : d)) };
}

// ------------------------------------------------------------------ removal

/** Remove any node (and what it contains). */
export function removeNode(rs: Ruleset, id: string): Ruleset {
  if (rs.defines.some((d) => d.id === id)) return { ...rs, defines: rs.defines.filter((d) => d.id !== id) };
  if (rs.includes.some((d) => d.id === id)) return { ...rs, includes: rs.includes.filter((d) => d.id !== id) };
  if (rs.commands.some((d) => d.id === id)) return { ...rs, commands: rs.commands.filter((d) => d.id !== id) };
  if (rs.tables.some((t) => t.id === id)) return { ...rs, tables: rs.tables.filter((t) => t.id !== id) };
  const t = tableOf(rs, id);
  if (!t) return rs;
  return mapTable(rs, t.id, (tt) => ({
    ...tt,
    chains: tt.chains.some((c) => c.id === id)
      ? tt.chains.filter((c) => c.id !== id)
      : tt.chains.map((c) => (c.rules.some((r) => r.id === id) ? { ...c, rules: c.rules.filter((r) => r.id !== id) } : c)),
    sets: tt.sets.filter((s) => s.id !== id),
    objects: tt.objects.filter((o) => o.id !== id),
    flowtables: tt.flowtables.filter((f) => f.id !== id),
  }));
}

/** Move a table member (chain, set, object, flowtable) or a table to another position. */
export function moveNode(rs: Ruleset, id: string, to: number): Ruleset {
  const move = <T extends { id: string }>(xs: T[]): T[] => {
    const from = xs.findIndex((x) => x.id === id);
    if (from < 0) return xs;
    const out = [...xs];
    const [x] = out.splice(from, 1);
    out.splice(Math.max(0, Math.min(to, out.length)), 0, x);
    return out;
  };
  if (rs.tables.some((t) => t.id === id)) return { ...rs, tables: move(rs.tables) };
  const t = tableOf(rs, id);
  if (!t) return rs;
  return mapTable(rs, t.id, (tt) => ({
    ...tt,
    chains: move(tt.chains),
    sets: move(tt.sets),
    objects: move(tt.objects),
    flowtables: move(tt.flowtables),
  }));
}
