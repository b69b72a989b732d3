/**
 * Jump loops (jump, goto and verdict maps, named ones included). The kernel
 * walks the chains reachable from every base chain when the transaction is
 * committed and refuses a loop with `Too many links` (ELOOP) — `nft -c` does not
 * see it. A loop among chains no base chain reaches is accepted for now, but
 * fails as soon as a base chain jumps into it: a warning.
 *
 * Strongly connected components (Tarjan, iterative) find every loop in linear
 * time; each loop is reported once, at a rule that closes it.
 */
import type { Chain } from '../../model/types.ts';
import type { Edge, LintContext, TableInfo } from '../context.ts';
import type { Check } from './check.ts';

function regularTargets(ti: TableInfo, c: Chain): { edge: Edge; to: Chain }[] {
  const out: { edge: Edge; to: Chain }[] = [];
  for (const edge of ti.edges.get(c.id) ?? []) {
    const to = ti.chains.get(edge.target);
    if (to && !to.base) out.push({ edge, to });
  }
  return out;
}

/** Strongly connected components of the regular-chain jump graph. */
function components(ti: TableInfo): Chain[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: Chain[] = [];
  const out: Chain[][] = [];
  let counter = 0;
  for (const root of ti.table.chains) {
    if (index.has(root.id)) continue;
    const work: { c: Chain; next: { edge: Edge; to: Chain }[]; i: number }[] = [];
    const open = (c: Chain): void => {
      index.set(c.id, counter);
      low.set(c.id, counter);
      counter++;
      stack.push(c);
      onStack.add(c.id);
      work.push({ c, next: regularTargets(ti, c), i: 0 });
    };
    open(root);
    while (work.length) {
      const top = work[work.length - 1];
      if (top.i < top.next.length) {
        const { to } = top.next[top.i++];
        if (!index.has(to.id)) open(to);
        else if (onStack.has(to.id)) low.set(top.c.id, Math.min(low.get(top.c.id) as number, index.get(to.id) as number));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].c;
        low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(top.c.id) as number));
      }
      if (low.get(top.c.id) === index.get(top.c.id)) {
        const comp: Chain[] = [];
        for (;;) {
          const x = stack.pop() as Chain;
          onStack.delete(x.id);
          comp.push(x);
          if (x.id === top.c.id) break;
        }
        out.push(comp);
      }
    }
  }
  return out;
}

/** A shortest path of chain names from `from` to `to` inside the component. */
function pathWithin(ti: TableInfo, inComp: Set<string>, from: Chain, to: Chain): string[] {
  const prev = new Map<string, Chain>();
  const queue: Chain[] = [from];
  const seen = new Set<string>([from.id]);
  while (queue.length) {
    const c = queue.shift() as Chain;
    if (c.id === to.id) break;
    for (const { to: n } of regularTargets(ti, c)) {
      if (!inComp.has(n.id) || seen.has(n.id)) continue;
      seen.add(n.id);
      prev.set(n.id, c);
      queue.push(n);
    }
  }
  const path: string[] = [to.name];
  let cur = to;
  while (cur.id !== from.id) {
    const p = prev.get(cur.id);
    if (!p) break;
    path.push(p.name);
    cur = p;
  }
  return path.reverse();
}

function reportLoops(ctx: LintContext, ti: TableInfo): void {
  for (const comp of components(ti)) {
    const inComp = new Set(comp.map((c) => c.id));
    // the closing edge: from a chain of the component to a chain of the component
    let closing: { edge: Edge; to: Chain } | undefined;
    for (const c of comp) {
      closing = regularTargets(ti, c).find((t) => inComp.has(t.to.id));
      if (closing) break;
    }
    if (!closing) continue; // a single chain without a self-jump
    const from = closing.edge.from;
    const cycle = from.id === closing.to.id ? [from.name, from.name] : [from.name, ...pathWithin(ti, inComp, closing.to, from)];
    const reachedBy = comp.flatMap((c) => ti.reachedFrom.get(c.id) ?? []);
    const reached = reachedBy.length > 0;
    const how = closing.edge.via === 'map' ? `${closing.edge.kind} in map ${closing.edge.map}` : closing.edge.kind;
    ctx.report({
      id: reached ? 'ref/jump-loop' : 'ref/jump-loop-latent',
      severity: reached ? 'error' : 'warning',
      message: `jump loop: ${cycle.join(' → ')}`,
      why: reached
        ? `A packet entering from base chain ${reachedBy[0].name} would go round ${cycle.join(' → ')} forever, so the kernel refuses the whole transaction when it commits ("Too many links") — nft -c does not notice. Break the loop: one of these chains must not ${how} back.`
        : `No base chain reaches these chains yet, so the kernel loads them; as soon as one jumps in, the load fails ("Too many links"). Break the loop: one of these chains must not ${how} back.`,
      nodeId: closing.edge.rule.id,
      field: 'target',
      at: ctx.loc?.nameToken(closing.edge.rule.id, closing.edge.via === 'map' ? (closing.edge.map as string) : closing.to.name),
    });
  }
}

export const jumpLoops: Check = {
  name: 'jump loops',
  findings: [
    { id: 'ref/jump-loop', severity: 'error', summary: 'a jump/goto/vmap loop reached from a base chain (fails at commit; nft -c misses it)' },
    { id: 'ref/jump-loop-latent', severity: 'warning', summary: 'a jump loop no base chain reaches yet' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) reportLoops(ctx, ti);
  },
};
