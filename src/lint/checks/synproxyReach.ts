/**
 * Does the untracked SYN reach the synproxy rule? Asked of the packet trace
 * (src/trace/), not guessed: a SYN to the protected port is traced through the
 * whole design, and if an earlier rule decides it (`tcp dport { 80, 443 }
 * accept` above the synproxy rule), the synproxy rule can never answer a
 * handshake. Exact where the trace is exact; when the trace had to assume
 * anything on the way, this check says nothing (never a false error).
 */
import type { Expr } from '../../model/expr.ts';
import type { Rule } from '../../model/types.ts';
import { formatSelector } from '../../emit/selectors.ts';
import { trace, TCP_LOOSE } from '../../trace/evaluate.ts';
import { eventLine } from '../../trace/events.ts';
import type { Check } from './check.ts';

const isSynproxy = (r: Rule): boolean => r.stmts.some((s) => s.kind === 'synproxy' || (s.kind === 'objref' && s.type === 'synproxy'));

/** One value of a match's right side, as packet text (the first element of a set, the start of a range). */
export function oneValue(e: Expr): string | undefined {
  switch (e.kind) {
    case 'value':
      return e.text;
    case 'range':
      return oneValue(e.from);
    case 'prefix':
      return oneValue(e.addr);
    case 'set':
      return e.elements.length ? oneValue(e.elements[0].key) : undefined;
    default:
      return undefined;
  }
}

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
            const l3 = family === 'ip6' ? 'ip6' : 'ip';
            const given = new Map<string, string>();
            for (const s of rule.stmts) {
              if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==')) continue;
              const key = formatSelector(s.left);
              const v = CARRIED.has(key) ? oneValue(s.right) : undefined;
              if (v !== undefined) given.set(key, v);
            }
            if (!given.has('tcp dport')) continue;
            const local = l3 === 'ip' ? '198.51.100.1' : '2001:db8::1';
            const server = l3 === 'ip' ? '198.51.100.80' : '2001:db8::80';
            const fields = new Map<string, string>([
              ['iif', '"eth0"'],
              [`${l3} saddr`, l3 === 'ip' ? '203.0.113.10' : '2001:db8:ffff::10'],
              [`${l3} daddr`, hook === 'input' ? local : server],
              ['tcp sport', '40000'],
            ]);
            if (hook === 'forward') fields.set('oif', '"eth1"');
            for (const [k, v] of given) fields.set(k, v);
            if (fields.has('iifname')) fields.delete('iif');
            if (fields.has('oifname')) fields.delete('oif');
            const spec = `${[...fields].map(([k, v]) => `${k} ${v}`).join(' ')} tcp flags syn`;
            let r;
            try {
              r = trace(ctx.rs, [spec], { hostAddrs: [local], sysctls: { [TCP_LOOSE]: '0' } }).packets[0];
            } catch {
              continue;
            }
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
            });
          }
        }
      }
    }
  },
};
