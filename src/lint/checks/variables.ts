/**
 * `$variables` must be defined (`define NAME = …`) before nft can read the
 * script; otherwise it stops with `unknown identifier 'NAME'`. When the design
 * has `include`s, a variable may come from there (or from `nft -D`), so the check
 * stays quiet.
 */
import type { Expr } from '../../model/expr.ts';
import { forEachExpr, forEachStmtExpr } from '../walk.ts';
import type { LintContext } from '../context.ts';
import type { Check } from './check.ts';

function undefinedVar(ctx: LintContext, name: string, nodeId: string, field: string): void {
  if (ctx.defines.has(name)) return;
  ctx.report({
    id: 'ref/undefined-variable',
    severity: 'error',
    message: `$${name} is not defined`,
    why: `nft replaces $${name} with the value of "define ${name} = …", and stops with "unknown identifier '${name}'" when there is none. Add the define before its first use, or pass it with nft -D ${name}=VALUE.`,
    nodeId,
    field,
    at: ctx.loc?.variable(nodeId, name),
  });
}

export const variables: Check = {
  name: 'variables',
  findings: [{ id: 'ref/undefined-variable', severity: 'error', summary: 'a $variable without a define' }],
  run(ctx) {
    if (ctx.rs.includes.length > 0) return;
    for (const d of ctx.rs.defines) {
      for (const m of d.value.replace(/"[^"]*"/g, '""').matchAll(/\$([A-Za-z_.][A-Za-z0-9/_.-]*)/g)) undefinedVar(ctx, m[1], d.id, 'value');
    }
    const inExpr = (e: Expr, nodeId: string, field: string): void =>
      forEachExpr(e, (x) => {
        if (x.kind === 'var') undefinedVar(ctx, x.name, nodeId, field);
      });
    for (const ti of ctx.tables) {
      for (const s of ti.table.sets) for (const el of s.elements) {
        inExpr(el.key, s.id, 'elements');
        if (el.value) inExpr(el.value, s.id, 'elements');
      }
      for (const chain of ti.table.chains) {
        const b = chain.base;
        if (b) {
          if (b.priority.kind === 'var') undefinedVar(ctx, b.priority.name, chain.id, 'priority');
          if (b.policy?.startsWith('$')) undefinedVar(ctx, b.policy.slice(1), chain.id, 'policy');
          for (const d of b.devices ?? []) if (d.startsWith('$')) undefinedVar(ctx, d.slice(1), chain.id, 'devices');
        }
        for (const rule of chain.rules) {
          for (const s of rule.stmts) forEachStmtExpr(s, (x) => {
            if (x.kind === 'var') undefinedVar(ctx, x.name, rule.id, 'statement');
          });
        }
      }
    }
  },
};
