/**
 * Looking nodes up by id. The model is a tree (ruleset → tables → chains →
 * rules, and sets, objects, flowtables); an id is unique in a ruleset.
 */
import type { Chain, Define, Flowtable, NamedObject, Rule, Ruleset, SetDecl, Table } from './types.ts';

export type NodeRef =
  | { kind: 'table'; node: Table; table: Table }
  | { kind: 'chain'; node: Chain; table: Table }
  | { kind: 'rule'; node: Rule; table: Table; chain: Chain; index: number }
  | { kind: 'set'; node: SetDecl; table: Table }
  | { kind: 'object'; node: NamedObject; table: Table }
  | { kind: 'flowtable'; node: Flowtable; table: Table }
  | { kind: 'define'; node: Define };

export type NodeKindName = NodeRef['kind'];

export function findNode(rs: Ruleset, id: string): NodeRef | undefined {
  for (const d of rs.defines) if (d.id === id) return { kind: 'define', node: d };
  for (const t of rs.tables) {
    if (t.id === id) return { kind: 'table', node: t, table: t };
    for (const c of t.chains) {
      if (c.id === id) return { kind: 'chain', node: c, table: t };
      const i = c.rules.findIndex((r) => r.id === id);
      if (i >= 0) return { kind: 'rule', node: c.rules[i], table: t, chain: c, index: i };
    }
    for (const s of t.sets) if (s.id === id) return { kind: 'set', node: s, table: t };
    for (const o of t.objects) if (o.id === id) return { kind: 'object', node: o, table: t };
    for (const f of t.flowtables) if (f.id === id) return { kind: 'flowtable', node: f, table: t };
  }
  return undefined;
}

/** Every node id in the ruleset, in document order. */
export function allIds(rs: Ruleset): string[] {
  const out: string[] = rs.defines.map((d) => d.id);
  for (const t of rs.tables) {
    out.push(t.id);
    for (const o of t.objects) out.push(o.id);
    for (const s of t.sets) out.push(s.id);
    for (const f of t.flowtables) out.push(f.id);
    for (const c of t.chains) {
      out.push(c.id);
      for (const r of c.rules) out.push(r.id);
    }
  }
  return out;
}

export function countRules(rs: Ruleset): number {
  let n = 0;
  for (const t of rs.tables) for (const c of t.chains) n += c.rules.length;
  return n;
}
