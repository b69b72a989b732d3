/**
 * Priorities: standard names only where nft accepts them (§2.1), values within
 * int32 (nft wraps larger ones silently, §2.2), and nat chains above conntrack
 * (the kernel refuses a nat chain at -200 or below, §1.1).
 */
import { listingTargetFor } from '../../knowledge/listing.ts';
import { INT32_MAX, INT32_MIN, acceptedHooks, priorityNamesFor, priorityText, stdPriorities, stdPriority } from '../../knowledge/priorities.ts';
import { CONNTRACK_PRIORITY } from '../../knowledge/stages.ts';
import type { Check } from './check.ts';

/** What nft stores for a number outside int32 (two's complement wrap). */
export function wrapInt32(v: number): number {
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(v))));
}

export const chainPriority: Check = {
  name: 'chain priority',
  findings: [
    { id: 'chain/priority-name', severity: 'error', summary: 'a standard priority name nft does not accept for this family and hook' },
    { id: 'chain/priority-range', severity: 'error', summary: 'a priority outside int32 (nft wraps it silently)' },
    { id: 'chain/nat-priority', severity: 'error', summary: 'a nat chain at priority -200 (conntrack) or below' },
  ],
  run(ctx) {
    // the hooks that take a name differ between the 1.0 and the 1.1 line
    const listing = listingTargetFor(ctx.target);
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      for (const chain of ti.table.chains) {
        const b = chain.base;
        if (!b) continue;
        const at = () => ctx.loc?.valueAfter(chain.id, ['priority'], { header: true, after: 'hook', toEnd: true });
        const p = b.priority;
        if (p.kind === 'std') {
          const std = stdPriority(family, p.name);
          const usable = priorityNamesFor(family, b.hook, listing);
          if (!std || !usable.some((u) => u.name === p.name)) {
            const names = usable.map((u) => `${u.name} (${u.value})`).join(', ');
            ctx.report({
              id: 'chain/priority-name',
              severity: 'error',
              message: std
                ? `priority ${p.name} is not allowed on the ${b.hook} hook`
                : `"${p.name}" is not a priority name in ${family} tables`,
              why:
                (std
                  ? `nft ${ctx.target} accepts ${p.name} only on ${acceptedHooks(family, std, listing)?.join(', ') ?? 'some hooks'}; on ${b.hook} it says "invalid priority expression value in this context". Write the number instead (priority ${std.value + p.offset}) or use one of: ${names}. `
                  : `The names ${family} tables know are ${stdPriorities(family).map((s) => s.name).join(', ')}; nft refuses any other word. Use a number or one of: ${names}. `) +
                'The name is only a spelling of a number; what counts is its position relative to the kernel stages.',
              nodeId: chain.id,
              field: 'priority',
              at: at(),
            });
            continue;
          }
        }
        const value = ctx.priorityValue(family, p);
        if (value === undefined) continue;
        if (value < INT32_MIN || value > INT32_MAX) {
          ctx.report({
            id: 'chain/priority-range',
            severity: 'error',
            message: `priority ${priorityText(p)} is outside the 32-bit range; nft would silently store ${wrapInt32(value)}`,
            why: `Chain priorities are signed 32-bit numbers (${INT32_MIN} to ${INT32_MAX}). nft does not refuse a larger number: it wraps it, so the chain would run at ${wrapInt32(value)}, in a completely different place than intended. Use a value within the range.`,
            nodeId: chain.id,
            field: 'priority',
            at: at(),
          });
          continue;
        }
        if (b.type === 'nat' && value <= CONNTRACK_PRIORITY) {
          ctx.report({
            id: 'chain/nat-priority',
            severity: 'error',
            message: `a nat chain needs a priority above ${CONNTRACK_PRIORITY}; this one is ${value}`,
            why: `NAT works on connections, so a nat chain must run after connection tracking (${CONNTRACK_PRIORITY}); the kernel refuses ${CONNTRACK_PRIORITY} and below ("Operation not supported"). Use dstnat (-100) on prerouting, srcnat (100) on postrouting, or -100 / 100 on output / input.`,
            nodeId: chain.id,
            field: 'priority',
            at: at(),
          });
        }
      }
    }
  },
};
