/**
 * Does the untracked SYN reach the synproxy rule? Asked of the packet trace
 * (src/trace/), not guessed: a SYN to the protected port is traced through the
 * whole design, and if an earlier rule decides it (`tcp dport { 80, 443 }
 * accept` above the synproxy rule), the synproxy rule can never answer a
 * handshake. Exact where the trace is exact; when the trace had to assume
 * anything on the way, this check says nothing (never a false error).
 */
import type { Expr } from '../../model/expr.ts';
import type { TraceExample } from '../../model/diagnostic.ts';
import type { Rule, Ruleset } from '../../model/types.ts';
import { trace, type PacketResult } from '../../trace/evaluate.ts';
import type { LintContext } from '../context.ts';
import { formatSelector } from '../../emit/selectors.ts';
import { eventLine } from '../../trace/events.ts';
import { oneValue } from '../../trace/values.ts';
import type { Check } from './check.ts';
import { tracedExample } from './tracedExample.ts';

const isSynproxy = (r: Rule): boolean => r.stmts.some((s) => s.kind === 'synproxy' || (s.kind === 'objref' && s.type === 'synproxy'));

const CARRIED = new Set(['tcp dport', 'tcp sport', 'ip saddr', 'ip daddr', 'ip6 saddr', 'ip6 daddr', 'iif', 'iifname', 'oif', 'oifname']);

/** The ports a match names, each one (a set's elements, a range's start): at most 16. */
function portsOf(e: Expr): string[] {
  if (e.kind === 'set') return e.elements.slice(0, 16).map((el) => oneValue(el.key)).filter((v): v is string => v !== undefined);
  const v = oneValue(e);
  return v === undefined ? [] : [v];
}

/** The ports the design notracks SYNs to (`tcp dport { 80, 443 } tcp flags syn notrack`), for a synproxy rule that names none (the wiki's). */
function notrackedPorts(rs: Ruleset, family: string): string[] {
  const out: string[] = [];
  for (const t of rs.tables) {
    if (t.family !== family && t.family !== 'inet' && family !== 'inet') continue;
    for (const c of t.chains) {
      for (const r of c.rules) {
        if (!r.stmts.some((s) => s.kind === 'notrack')) continue;
        for (const s of r.stmts) if (s.kind === 'match' && (s.op === 'implicit' || s.op === '==') && formatSelector(s.left) === 'tcp dport') out.push(...portsOf(s.right));
      }
    }
  }
  return [...new Set(out)].slice(0, 16);
}

export const synproxyReach: Check = {
  name: 'synproxy reached',
  findings: [
    { id: 'synproxy/never-reached', severity: 'error', summary: 'the untracked SYN to the protected port is decided by an earlier rule and never reaches the synproxy rule (found by tracing it)' },
    { id: 'synproxy/server-unreachable', severity: 'error', summary: "synproxy's own handshake with the server is dropped by the design, so the connection never opens (found by tracing it)" },
  ],
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
            let ports: string[] = [];
            for (const s of rule.stmts) {
              if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==')) continue;
              const key = formatSelector(s.left);
              if (key === 'tcp dport') {
                ports = portsOf(s.right);
                continue;
              }
              const v = CARRIED.has(key) ? oneValue(s.right) : undefined;
              if (v !== undefined) given.set(key, v);
            }
            // the wiki's rule names no port: the ports whose SYNs the design notracks are the ones it protects
            if (ports.length === 0) ports = notrackedPorts(ctx.rs, family);
            for (const port of ports) {
              const fields = new Map(given).set('tcp dport', port);
              if (reportFirst(ctx, rule, family, hook, fields)) break;
            }
          }
        }
      }
    }
  },
};

/** Trace a SYN to one protected port (and, where synproxy answers it, the client's ACK): report what stops it. */
function reportFirst(ctx: LintContext, rule: Rule, family: string, hook: 'input' | 'forward', fields: ReadonlyMap<string, string>): boolean {
  const traced = tracedExample(ctx.rs, family, hook, fields, 'syn');
  if (!traced) return false;
  const r = traced.result;
  const spec = traced.example.packets[0];
  // cannot tell (the trace assumed something): nothing to say
  if (r.assumptions.length) return false;
  if (!r.ruleIds.includes(rule.id)) {
    const last = r.events.length - 1;
    const decider = last >= 0 && r.events[last].type === 'rule' ? r.events[last] : undefined;
    if (!decider || (decider.verdict !== 'accept' && decider.verdict !== 'drop')) return false;
    ctx.report({
      id: 'synproxy/never-reached',
      severity: 'error',
      message: `the SYN this synproxy rule must answer never reaches it: "${decider.rule}" in chain ${decider.chain} decides it first (verdict ${decider.verdict})`,
      why: `Traced: ${spec} (ct state ${r.ctState}). ${r.events.map(eventLine).join('; ')}. The SYN is untracked, so an earlier rule that matches its port — an accept of the same port, or a drop — takes it before synproxy can answer with a syncookie, and the port has no SYN-flood protection. Put the synproxy rule (and the ct state invalid drop after it) before that rule.`,
      nodeId: rule.id,
      trace: traced.example,
    });
    return true;
  }
  if (r.verdict !== 'stolen') return false;
  // the handshake goes on: the client's ACK with the cookie, then synproxy's own packets to the server
  const example: TraceExample = { ...traced.example, packets: [spec, spec.replace(/tcp flags syn\b/, 'tcp flags ack')] };
  let ack: PacketResult;
  try {
    ack = trace(ctx.rs, example.packets, { hostAddrs: example.hostAddrs, sysctls: example.sysctls }).packets[1];
  } catch {
    return false;
  }
  if (ack.verdict !== 'stolen' || ack.assumptions.length) return false;
  const dropped = (ack.generated ?? []).find((g) => g.verdict === 'drop' && g.assumptions.length === 0);
  if (!dropped) return false;
  const last = dropped.events.at(-1);
  if (!last) return false;
  const what = dropped.packet.includes('tcp flags syn,ack') ? "the server's SYN-ACK" : "synproxy's SYN to the server";
  ctx.report({
    id: 'synproxy/server-unreachable',
    severity: 'error',
    message: `${what} is dropped by ${last.type === 'policy' ? `the policy of chain ${last.chain}` : `"${last.rule}" in chain ${last.chain}`}: synproxy answers the client, but the connection to the server never opens`,
    why: `After the client's ACK with a valid cookie, synproxy opens the connection to the server itself, and its packets go through the design like any other: ${dropped.packet} (ct state ${dropped.ctState}; ${dropped.path.join(' → ')}): ${dropped.events.map(eventLine).join('; ')}. ${hook === 'input' ? 'For a local service they leave by "lo" and come back in by "lo", ct state new: an input chain with policy drop needs `iif "lo" accept` (or an accept for the port) for them.' : 'For a server behind the host they are forwarded: the forward chain must accept them (ct state new, then established).'} The client believes it is connected and its next packets are dropped; the kernel's own trace shows the same.`,
    nodeId: rule.id,
    trace: example,
  });
  return true;
}
