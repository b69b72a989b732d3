/**
 * Duplicate names. Tables are unique per family; in a table, chains are unique,
 * sets and maps share ONE namespace (a set `x` and a map `x` → `File exists`),
 * flowtables are unique, and stateful objects are unique per object type (a
 * counter, a quota and a synproxy may all be called `x`). The parser merges
 * duplicates in text, so these fire on designs built elsewhere, whose emitted
 * script would silently merge two things the design shows apart.
 */
import type { LintContext } from '../context.ts';
import type { Check } from './check.ts';

function dup(ctx: LintContext, nodeId: string, name: string, what: string, where: string, why: string): void {
  ctx.report({
    id: 'name/duplicate',
    severity: 'error',
    message: `${what} "${name}" is declared twice ${where}`,
    why,
    nodeId,
    field: 'name',
    at: ctx.loc?.declName(nodeId, name),
  });
}

export const duplicates: Check = {
  name: 'duplicate names',
  findings: [{ id: 'name/duplicate', severity: 'error', summary: 'two tables, chains, sets/maps, flowtables or same-type objects with one name' }],
  run(ctx) {
    const tables = new Set<string>();
    for (const ti of ctx.tables) {
      const t = ti.table;
      const key = `${t.family} ${t.name}`;
      if (tables.has(key)) {
        dup(ctx, t.id, t.name, `table ${t.family}`, 'in this design', 'A script that declares the same table twice merges both into one table, so the design would not be what is loaded. Rename one of them or merge them.');
      }
      tables.add(key);
      const chains = new Set<string>();
      for (const c of t.chains) {
        if (chains.has(c.name)) {
          dup(ctx, c.id, c.name, 'chain', `in table ${t.name}`, 'nft merges two declarations of one chain: their rules end up in one chain, and a second type/hook/priority is refused ("Operation not supported"). Rename one of them.');
        }
        chains.add(c.name);
      }
      const sets = new Map<string, string>();
      for (const s of t.sets) {
        const prev = sets.get(s.name);
        if (prev !== undefined) {
          dup(ctx, s.id, s.name, s.kind, `in table ${t.name}${prev !== s.kind ? ` (also as a ${prev})` : ''}`, 'Sets and maps share one namespace in a table: a second declaration with another type or kind is refused by the kernel ("File exists"), and an identical one is merged. Rename one of them.');
        } else sets.set(s.name, s.kind);
      }
      const flowtables = new Set<string>();
      for (const f of t.flowtables) {
        if (flowtables.has(f.name)) dup(ctx, f.id, f.name, 'flowtable', `in table ${t.name}`, 'Flowtable names are unique in a table. Rename one of them.');
        flowtables.add(f.name);
      }
      const objects = new Set<string>();
      for (const o of t.objects) {
        const k = `${o.type}\u0000${o.name}`;
        if (objects.has(k)) {
          dup(ctx, o.id, o.name, o.type, `in table ${t.name}`, `Objects are unique per type in a table (a counter and a quota may share a name, two ${o.type} objects may not); nft keeps only one of them. Rename one.`);
        }
        objects.add(k);
      }
    }
    const defines = new Set<string>();
    for (const d of ctx.rs.defines) {
      if (defines.has(d.name)) {
        ctx.report({
          id: 'name/duplicate',
          severity: 'error',
          message: `variable ${d.name} is defined twice`,
          why: `nft refuses a second "define ${d.name}" ("redefinition of symbol '${d.name}'"). Remove one, or use redefine on purpose.`,
          nodeId: d.id,
          field: 'name',
        });
      }
      defines.add(d.name);
    }
  },
};
