/**
 * jump/goto/vmap targets: the chain must exist in the same table and must be a
 * regular chain (a base chain is entered from its hook only; the kernel answers
 * `No such file or directory` and `Operation not supported`, and `nft -c` sees
 * both). Named verdict maps are checked even when no rule uses them, because
 * the kernel checks their elements when they are added.
 */
import { mapJumps } from '../walk.ts';
import type { LintContext, TableInfo } from '../context.ts';
import type { Check } from './check.ts';

function checkTarget(ctx: LintContext, ti: TableInfo, nodeId: string, target: string, kind: string, how: string): void {
  const chain = ti.chains.get(target);
  const at = () => ctx.loc?.nameToken(nodeId, target, ['jump', 'goto']);
  if (!chain) {
    ctx.report({
      id: 'ref/undefined-chain',
      severity: 'error',
      message: `${kind} to chain "${target}", which does not exist in table ${ti.table.name}`,
      why: `A ${kind} ${how} can only enter a chain of the same table, and nft refuses the rule ("No such file or directory"). Create a regular chain named ${target} (chain ${target} { … }) or fix the name.`,
      nodeId,
      field: 'target',
      at: at(),
    });
  } else if (chain.base) {
    ctx.report({
      id: 'ref/jump-to-base',
      severity: 'error',
      message: `${kind} to "${target}", a base chain`,
      why: `A base chain is entered from its hook (${chain.base.type} ${chain.base.hook}) only; the kernel refuses a ${kind} into it ("Operation not supported"). Move the rules into a regular chain (no type/hook line) and ${kind} there, from this chain and from ${target} if both need them.`,
      nodeId,
      field: 'target',
      at: at(),
    });
  }
}

export const chainRefs: Check = {
  name: 'chain references',
  findings: [
    { id: 'ref/undefined-chain', severity: 'error', summary: 'jump/goto/vmap to a chain that does not exist' },
    { id: 'ref/jump-to-base', severity: 'error', summary: 'jump/goto/vmap to a base chain' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      for (const chain of ti.table.chains) {
        for (const e of ti.edges.get(chain.id) ?? []) {
          if (e.via === 'map') continue; // reported once, on the map
          checkTarget(ctx, ti, e.rule.id, e.target, e.kind, e.via === 'vmap' ? 'in a verdict map' : 'verdict');
        }
      }
      for (const s of ti.table.sets) {
        if (s.kind !== 'map') continue;
        for (const j of mapJumps(s.elements)) checkTarget(ctx, ti, s.id, j.target, j.kind, `in map ${s.name}`);
      }
    }
  },
};
