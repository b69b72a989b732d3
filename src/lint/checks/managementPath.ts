/**
 * A drop policy (or a catch-all drop/reject) on the input or output hook cuts
 * whatever it does not explicitly accept — including the SSH session used to
 * load the ruleset. An info finding, unless an earlier rule accepts tcp port 22
 * (input: destination port; output: source port or established connections).
 */
import type { Expr } from '../../model/expr.ts';
import type { Chain, Rule } from '../../model/types.ts';
import { ctStatesMatched, isTcpDport, unconditionalEnd, valueTexts } from '../walk.ts';
import { servicePort, unquote } from '../../knowledge/datatypes.ts';
import type { TableInfo } from '../context.ts';
import type { Check } from './check.ts';
import type { TraceExample } from '../../model/diagnostic.ts';
import { trace, type PacketResult } from '../../trace/evaluate.ts';
import { eventLine } from '../../trace/events.ts';
import { oneValue } from '../../trace/values.ts';
import type { LintContext } from '../context.ts';

/**
 * A client of the management network: the source an SSH-accepting rule of the
 * chain allows (`ip saddr 10.0.0.0/8 tcp dport 22 accept`, `ip saddr @mgmt …`).
 */
function managementClient(ti: TableInfo, chain: Chain, ip: string, port: number): string | undefined {
  // a concatenation of source and port, in a set or a verdict map: `ip saddr . tcp dport vmap @cm` holding `10.0.0.0/8 . 22 : accept`
  const saddrAt = (e: Expr): number => (e.kind === 'concat' ? e.items.findIndex((i) => i.kind === 'payload' && i.protocol === ip && i.field === 'saddr') : -1);
  const portAt = (e: Expr): number => (e.kind === 'concat' ? e.items.findIndex((i) => isTcpDport(i)) : -1);
  for (const r of chain.rules) {
    for (const s of r.stmts) {
      const key = s.kind === 'vmap' ? s.key : s.kind === 'match' && s.op !== '!=' ? s.left : undefined;
      const data = s.kind === 'vmap' ? s.data : s.kind === 'match' ? s.right : undefined;
      if (!key || !data || saddrAt(key) < 0 || portAt(key) < 0) continue;
      const elements = data.kind === 'set' ? data.elements : data.kind === 'setref' ? ti.sets.get(data.name)?.elements : undefined;
      const accepts = s.kind === 'match' && r.stmts.some((x) => x.kind === 'verdict' && x.verdict === 'accept');
      for (const el of elements ?? []) {
        if (el.key.kind !== 'concat') continue;
        const ok = s.kind === 'vmap' ? el.value?.kind === 'verdict' && el.value.verdict === 'accept' : accepts;
        if (!ok || !portIncludesSsh(el.key.items[portAt(key)], port)) continue;
        const v = oneValue(el.key.items[saddrAt(key)]);
        if (v) return v;
      }
    }
  }
  for (const r of chain.rules) {
    if (!acceptsSsh(r, 'input', port)) continue;
    for (const s of r.stmts) {
      if (s.kind !== 'match' || s.op === '!=' || s.left.kind !== 'payload' || s.left.protocol !== ip || s.left.field !== 'saddr') continue;
      const right = s.right.kind === 'setref' ? ti.sets.get(s.right.name)?.elements[0]?.key : s.right;
      const v = right ? oneValue(right) : undefined;
      if (v) return v;
    }
  }
  return undefined;
}

/**
 * The management path asked of the packet trace: a new SSH connection from a
 * client to the host (and the host's reply), traced through the whole design.
 * undefined: the trace had to assume something (cannot tell: the rule reading
 * above decides).
 */
function tracedSsh(ctx: LintContext, ti: TableInfo, chain: Chain, hook: 'input' | 'output'): { accepted: boolean; packet: PacketResult; example: TraceExample } | undefined {
  const v6 = ti.table.family === 'ip6';
  const ip = v6 ? 'ip6' : 'ip';
  const host = v6 ? '2001:db8::1' : '198.51.100.1';
  const client = managementClient(ti, chain, ip, ctx.managementPort) ?? (v6 ? '2001:db8:1::10' : '203.0.113.10');
  const port = ctx.managementPort;
  const syn = `iif "eth0" ${ip} saddr ${client} ${ip} daddr ${host} tcp sport 40000 tcp dport ${port} tcp flags syn`;
  const synAck = `oif "eth0" ${ip} saddr ${host} ${ip} daddr ${client} tcp sport ${port} tcp dport 40000 tcp flags syn,ack`;
  let r: PacketResult[];
  try {
    r = trace(ctx.rs, hook === 'input' ? [syn] : [syn, synAck], { hostAddrs: [host] }).packets;
  } catch {
    return undefined;
  }
  // (what the trace had to assume is stated with the answer, not a reason to guess instead)
  if (hook === 'output' && r[0].verdict !== 'accept') return undefined;
  const p = r[r.length - 1];
  return { accepted: p.verdict === 'accept', packet: p, example: { packets: hook === 'input' ? [syn] : [syn, synAck], hostAddrs: [host] } };
}


function coversSsh(texts: readonly string[] | undefined, ssh: number): boolean {
  return texts?.some((t) => servicePort(unquote(t)) === ssh) ?? false;
}

function portIncludesSsh(e: Expr, ssh: number): boolean {
  if (e.kind === 'range' && e.from.kind === 'value' && e.to.kind === 'value') {
    const a = servicePort(e.from.text);
    const b = servicePort(e.to.text);
    return a !== undefined && b !== undefined && a <= ssh && ssh <= b;
  }
  if (e.kind === 'set') return e.elements.some((el) => portIncludesSsh(el.key, ssh));
  return coversSsh(valueTexts(e), ssh);
}

/** Does the rule accept SSH traffic of this direction? */
function acceptsSsh(rule: Rule, hook: 'input' | 'output', ssh: number): boolean {
  const accepts = rule.stmts.some((s) => s.kind === 'verdict' && s.verdict === 'accept');
  for (const s of rule.stmts) {
    if (s.kind === 'vmap' && s.data.kind === 'set' && (isTcpDport(s.key) || (s.key.kind === 'payload' && s.key.field === 'sport'))) {
      if (s.data.elements.some((el) => portIncludesSsh(el.key, ssh) && el.value?.kind === 'verdict' && el.value.verdict === 'accept')) return true;
    }
  }
  if (!accepts) return false;
  if (hook === 'output' && ctStatesMatched(rule)?.has('established')) return true;
  return rule.stmts.some((s) => {
    if (s.kind !== 'match' || s.op === '!=' || s.left.kind !== 'payload') return false;
    const field = hook === 'input' ? 'dport' : 'sport';
    if (s.left.field !== field || (s.left.protocol !== 'tcp' && s.left.protocol !== 'th')) return false;
    return portIncludesSsh(s.right, ssh);
  });
}

function acceptsSshAnywhere(ti: TableInfo, chain: Chain, upTo: number, hook: 'input' | 'output', ssh: number): boolean {
  if (chain.rules.slice(0, upTo).some((r) => acceptsSsh(r, hook, ssh))) return true;
  // rules in chains it jumps to count too
  const seen = new Set<string>([chain.id]);
  const stack = [chain];
  while (stack.length) {
    const c = stack.pop() as Chain;
    for (const e of ti.edges.get(c.id) ?? []) {
      const t = ti.chains.get(e.target);
      if (!t || seen.has(t.id)) continue;
      seen.add(t.id);
      if (t.rules.some((r) => acceptsSsh(r, hook, ssh))) return true;
      stack.push(t);
    }
  }
  return false;
}

export const managementPath: Check = {
  name: 'management path',
  findings: [{ id: 'chain/management-path', severity: 'info', summary: 'a drop policy or catch-all drop on input/output: make sure SSH is accepted first' }],
  run(ctx) {
    for (const ti of ctx.tables) {
      if (!['ip', 'ip6', 'inet'].includes(ti.table.family)) continue;
      for (const chain of ti.table.chains) {
        const b = chain.base;
        if (!b || b.type !== 'filter' || (b.hook !== 'input' && b.hook !== 'output')) continue;
        let cut = chain.rules.findIndex((r) => {
          const v = unconditionalEnd(r);
          return v === 'drop' || v === 'reject';
        });
        const byPolicy = cut < 0;
        if (byPolicy) {
          if (b.policy !== 'drop') continue;
          cut = chain.rules.length;
        }
        const traced = tracedSsh(ctx, ti, chain, b.hook);
        if (traced ? traced.accepted : acceptsSshAnywhere(ti, chain, cut, b.hook, ctx.managementPort)) continue;
        const what = byPolicy ? 'policy drop' : `the catch-all ${unconditionalEnd(chain.rules[cut])}`;
        const assumed = traced?.packet.assumptions.length ? ` Assumed on the way: ${traced.packet.assumptions.join('; ')}.` : '';
        const evidence = traced
          ? ` Traced: ${traced.packet.packet} → ${traced.packet.verdict} (${traced.packet.events.map(eventLine).join('; ') || 'no rule decided it'}).${assumed}`
          : '';
        ctx.report({
          id: 'chain/management-path',
          severity: 'info',
          message: `${chain.name} drops by default (${what}): make sure SSH is accepted before it`,
          why:
            b.hook === 'input'
              ? `Everything not accepted before ${what} is dropped, including a new SSH connection to this host, and — without "ct state established,related accept" — the session you are loading the ruleset from. Accept it first, e.g. "tcp dport ${ctx.managementPort} accept", and apply with a confirm-or-rollback timer.${evidence}`
              : `Everything this host sends that is not accepted before ${what} is dropped, including the replies of your SSH session. Accept them first, e.g. "ct state established,related accept", and apply with a confirm-or-rollback timer.${evidence}`,
          nodeId: byPolicy ? chain.id : chain.rules[cut].id,
          field: byPolicy ? 'policy' : undefined,
          at: byPolicy ? ctx.loc?.valueAfter(chain.id, ['policy'], { header: true }) : undefined,
          trace: traced?.example,
        });
      }
    }
  },
};
