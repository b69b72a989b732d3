/**
 * Does the untracked SYN reach the synproxy rule? Asked of the packet trace
 * (src/trace/), not guessed: a SYN to the protected port is traced through the
 * whole design, and if an earlier rule decides it (`tcp dport { 80, 443 }
 * accept` above the synproxy rule), the synproxy rule can never answer a
 * handshake. Exact where the trace is exact; when the trace had to assume
 * anything on the way, this check says nothing (never a false error).
 */
import type { Rule } from '../../model/types.ts';
import { formatSelector } from '../../emit/selectors.ts';
import { eventLine } from '../../trace/events.ts';
import { oneValue } from '../../trace/values.ts';
import type { Check } from './check.ts';
import { tracedExample } from './tracedExample.ts';

const isSynproxy = (r: Rule): boolean => r.stmts.some((s) => s.kind === 'synproxy' || (s.kind === 'objref' && s.type === 'synproxy'));

const CARRIED = new Set(['tcp dport', 'tcp sport', 'ip saddr', 'ip daddr', 'ip6 saddr', 'ip6 daddr', 'iif', 'iifname', 'oif', 'oifname']);

export const synproxyReach: Check = {
  name: 'synproxy reached',
  findings: [{ id: 'synproxy/never-reached', severity: 'error', summary: 'the untracked SYN to the protected port is decided by an earlier rule and never reaches the synproxy rule (found by tracing it)' }],
  run(ctx) {
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      if (family !== 'ip' && family !== 'ip6' && family !== 'inet') continue;
      for (const chain of ti.table.chains) {
        for (const rule of chain.rules) {
          if (!isSynproxy(rule)) continue;
          for (const entry of ctx.entries(ti, chain)) {
            const hook = entry.base?.hook;
            if (hook !== 'input' && hook !== 'forward') continue;
            const given = new Map<string, string>();
            for (const s of rule.stmts) {
              if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==')) continue;
              const key = formatSelector(s.left);
              const v = CARRIED.has(key) ? oneValue(s.right) : undefined;
              if (v !== undefined) given.set(key, v);
            }
            if (!given.has('tcp dport')) continue;
            const traced = tracedExample(ctx.rs, family, hook, given, 'syn');
            if (!traced) continue;
            const r = traced.result;
            const spec = traced.example.packets[0];
            // cannot tell (the trace assumed something), or reached: nothing to say
            if (r.assumptions.length || r.ruleIds.includes(rule.id)) continue;
            const last = r.events.length - 1;
            const decider = last >= 0 && r.events[last].type === 'rule' ? r.events[last] : undefined;
            if (!decider) continue;
            if (decider.verdict !== 'accept' && decider.verdict !== 'drop') continue;
            ctx.report({
              id: 'synproxy/never-reached',
              severity: 'error',
              message: `the SYN this synproxy rule must answer never reaches it: "${decider.rule}" in chain ${decider.chain} decides it first (verdict ${decider.verdict})`,
              why: `Traced: ${spec} (ct state ${r.ctState}). ${r.events.map(eventLine).join('; ')}. The SYN is untracked, so an earlier rule that matches its port — an accept of the same port, or a drop — takes it before synproxy can answer with a syncookie, and the port has no SYN-flood protection. Put the synproxy rule (and the ct state invalid drop after it) before that rule.`,
              nodeId: rule.id,
              trace: traced.example,
            });
          }
        }
      }
    }
  },
};
