/**
 * notrack only works before connection tracking has seen the packet: in
 * prerouting or output below priority -200 (or on inet ingress). The kernel
 * accepts it anywhere (verified: even input at priority 0), so elsewhere it
 * silently does nothing. Checked on every base chain that reaches the rule.
 */
import { NOTRACK_BEFORE_PRIORITY, NOTRACK_EARLY_HOOKS, NOTRACK_HOOKS } from '../../knowledge/synproxyFacts.ts';
import { rawHasWord } from '../walk.ts';
import { a } from '../text.ts';
import type { Check } from './check.ts';

const IP_FAMILIES = new Set(['ip', 'ip6', 'inet']);

export const notrack: Check = {
  name: 'notrack placement',
  findings: [
    { id: 'notrack/too-late', severity: 'warning', summary: 'notrack in prerouting/output at priority -200 or later (no effect)' },
    { id: 'notrack/wrong-hook', severity: 'warning', summary: 'notrack on input, forward or postrouting (no effect)' },
  ],
  run(ctx) {
    for (const { ti, chain, rule } of ctx.rules()) {
      if (!IP_FAMILIES.has(ti.table.family)) continue;
      if (!rule.stmts.some((s) => s.kind === 'notrack' || (s.kind === 'raw' && rawHasWord(s.text, 'notrack')))) continue;
      for (const entry of ctx.entries(ti, chain)) {
        const b = entry.base;
        if (!b || NOTRACK_EARLY_HOOKS.includes(b.hook)) continue;
        const via = entry.id === chain.id ? '' : ` (reached from ${entry.name})`;
        const at = ctx.loc?.word(rule.id, ['notrack']);
        if (!NOTRACK_HOOKS.includes(b.hook)) {
          ctx.report({
            id: 'notrack/wrong-hook',
            severity: 'warning',
            message: `notrack on the ${b.hook} hook${via} has no effect`,
            why: `Connection tracking has already seen the packet in prerouting (or output) before it reaches ${b.hook}, so notrack here changes nothing; the kernel accepts it silently. Move the rule to a prerouting (or output) chain with priority raw (-300).`,
            nodeId: rule.id,
            field: 'statement',
            at,
          });
          break;
        }
        const v = ctx.priorityValue(ti.table.family, b.priority);
        if (v !== undefined && v >= NOTRACK_BEFORE_PRIORITY) {
          ctx.report({
            id: 'notrack/too-late',
            severity: 'warning',
            message: `notrack in ${a(b.hook)} chain at priority ${v}${via} comes after conntrack (${NOTRACK_BEFORE_PRIORITY}) and has no effect`,
            why: `Connection tracking runs at priority ${NOTRACK_BEFORE_PRIORITY}; a chain at ${v} sees the packet after conntrack has already tracked it, so notrack changes nothing (the kernel accepts it silently). Give the chain priority raw (-300).`,
            nodeId: rule.id,
            field: 'statement',
            at,
          });
          break;
        }
      }
    }
  },
};
