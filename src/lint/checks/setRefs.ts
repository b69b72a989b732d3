/**
 * `@name` references: the set or map must exist in the same table (`No such file
 * or directory`), a verdict map must be a map of verdicts (`Expression is not a
 * map`, `datatype mismatch: expected netfilter verdict`), and a `… map @m`
 * lookup needs a map. Matching against a map (`ip saddr @m`) is allowed: it
 * tests the keys.
 */
import type { Expr } from '../../model/expr.ts';
import type { Rule, SetDecl } from '../../model/types.ts';
import { stmtExprs } from '../walk.ts';
import type { LintContext, TableInfo } from '../context.ts';
import type { Check } from './check.ts';

function dataType(s: SetDecl): string | undefined {
  if (!s.data) return undefined;
  return s.data.mode === 'type' ? s.data.types.join(' . ') : 'typeof';
}

function missing(ctx: LintContext, ti: TableInfo, rule: Rule, name: string, what: string): void {
  ctx.report({
    id: 'ref/undefined-set',
    severity: 'error',
    message: `${what} @${name} does not exist in table ${ti.table.name}`,
    why: `A rule can only use the sets and maps of its own table, and nft refuses it ("No such file or directory"). Declare it (set ${name} { type … } or map ${name} { type … : … }) in table ${ti.table.name}, or fix the name.`,
    nodeId: rule.id,
    field: 'set',
    at: ctx.loc?.setRef(rule.id, name),
  });
}

function wrongKind(ctx: LintContext, rule: Rule, name: string, message: string, why: string): void {
  ctx.report({ id: 'ref/set-kind', severity: 'error', message, why, nodeId: rule.id, field: 'set', at: ctx.loc?.setRef(rule.id, name) });
}

/** Walk an expression; `@x` as the data of a `map` lookup must be a map. */
function visit(ctx: LintContext, ti: TableInfo, rule: Rule, e: Expr): void {
  switch (e.kind) {
    case 'setref':
      if (!ti.sets.has(e.name)) missing(ctx, ti, rule, e.name, 'set');
      return;
    case 'map': {
      visit(ctx, ti, rule, e.key);
      if (e.data.kind !== 'setref') {
        visit(ctx, ti, rule, e.data);
        return;
      }
      const s = ti.sets.get(e.data.name);
      if (!s) missing(ctx, ti, rule, e.data.name, 'map');
      else if (s.kind !== 'map') {
        wrongKind(ctx, rule, s.name, `@${s.name} is a set, but "map @${s.name}" needs a map`, `A lookup with map returns the value stored for the key, so it needs a map (map ${s.name} { type KEY : VALUE }). A set only answers whether a key is present: match it with "@${s.name}" instead.`);
      }
      return;
    }
    case 'concat':
    case 'list':
      for (const x of e.items) visit(ctx, ti, rule, x);
      return;
    case 'binop': {
      // down the left spine in a loop: a chain is as long as the input makes it
      const rights: Expr[] = [];
      let base: Expr = e;
      for (; base.kind === 'binop'; base = base.left) rights.push(base.right);
      visit(ctx, ti, rule, base);
      for (let i = rights.length - 1; i >= 0; i--) visit(ctx, ti, rule, rights[i]);
      return;
    }
    case 'set':
      for (const el of e.elements) {
        visit(ctx, ti, rule, el.key);
        if (el.value) visit(ctx, ti, rule, el.value);
      }
      return;
    case 'hash':
      if (e.expr) visit(ctx, ti, rule, e.expr);
      return;
    default:
      return;
  }
}

export const setRefs: Check = {
  name: 'set references',
  findings: [
    { id: 'ref/undefined-set', severity: 'error', summary: '@name of a set or map that does not exist in the table' },
    { id: 'ref/set-kind', severity: 'error', summary: 'a set where a map is needed, or a non-verdict map used as a verdict map' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      for (const chain of ti.table.chains) {
        for (const rule of chain.rules) {
          for (const s of rule.stmts) {
            if (s.kind === 'vmap' && s.data.kind === 'setref') {
              const m = ti.sets.get(s.data.name);
              if (!m) missing(ctx, ti, rule, s.data.name, 'verdict map');
              else if (m.kind !== 'map' || dataType(m) !== 'verdict') {
                wrongKind(
                  ctx,
                  rule,
                  m.name,
                  m.kind !== 'map' ? `@${m.name} is a set, not a verdict map` : `@${m.name} maps to ${dataType(m)}, not to verdicts`,
                  `vmap picks a verdict (accept, drop, jump …) by key, so it needs a map declared as "type KEY : verdict"; nft refuses anything else ("${m.kind !== 'map' ? 'Expression is not a map' : 'datatype mismatch: expected netfilter verdict'}"). Declare ${m.name} as a verdict map or use another map.`,
                );
              }
              visit(ctx, ti, rule, s.key);
            } else if (s.kind === 'setupdate') {
              if (!ti.sets.has(s.set)) missing(ctx, ti, rule, s.set, 'set');
              visit(ctx, ti, rule, s.key);
            } else if (s.kind !== 'raw') {
              for (const e of stmtExprs(s)) visit(ctx, ti, rule, e);
            }
          }
        }
      }
    }
  },
};
