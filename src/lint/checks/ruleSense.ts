/**
 * Rules that load but do not do what they seem to: a `log` before the `limit`
 * of the same rule (it logs every packet), two identical rules one after the
 * other (the second never sees a packet the first did not), and ICMP matched
 * through an IPv6-only (or IPv4-only) field in a table that sees both families
 * (`ip6 nexthdr { icmp, ipv6-icmp }` in an inet table lets no IPv4 ping through).
 */
import { emitRule } from '../../emit/index.ts';
import type { Expr } from '../../model/expr.ts';
import type { Family, Rule } from '../../model/types.ts';
import type { Check } from './check.ts';
import { META_KEYS, TRANSPORT_HEADERS } from '../../knowledge/expressions.ts';
import { protocolNumber } from '../../knowledge/datatypes.ts';
import { a } from '../text.ts';

/** The values of a match's right side: `icmp`, `{ icmp, ipv6-icmp }`. */
function values(e: Expr): string[] {
  if (e.kind === 'value') return [e.text];
  if (e.kind === 'set') return e.elements.flatMap((el) => (el.key.kind === 'value' ? [el.key.text] : []));
  if (e.kind === 'list') return e.items.flatMap(values);
  return [];
}

/** Families whose tables see IPv4 and IPv6 packets alike. */
import { formatSelector } from '../../emit/selectors.ts';
const BOTH: readonly Family[] = ['inet', 'bridge', 'netdev'];

/** An ICMP of the other family matched through one family's protocol field. */
const WRONG_ICMP: readonly { protocol: string; field: string; family: string; values: readonly string[]; other: string }[] = [
  { protocol: 'ip6', field: 'nexthdr', family: 'IPv6', values: ['icmp', '1'], other: 'IPv4' },
  { protocol: 'ip', field: 'protocol', family: 'IPv4', values: ['ipv6-icmp', 'icmpv6', '58'], other: 'IPv6' },
];

/** The network protocol a match's header implies (icmpv6 does not in an ip table: nft lets it be there). */
function networkOf(e: Expr, family: Family): string | undefined {
  if (e.kind === 'payload') return { ip: 'ip', icmp: 'ip', ip6: 'ip6', ...(family === 'ip' ? {} : { icmpv6: 'ip6' }) }[e.protocol];
  if (e.kind === 'exthdr' && e.space === 'ip6') return 'ip6';
  return undefined;
}
const single = (e: Expr): string | undefined => (e.kind === 'value' ? e.text : e.kind === 'set' && e.elements.length === 1 && e.elements[0].key.kind === 'value' ? e.elements[0].key.text : undefined);

/**
 * Two network protocols, or two transport protocols, that one rule's matches ask
 * for (seen refused by nft 1.0.6 and 1.1.3: `ip saddr … ip6 daddr …`, `meta
 * nfproto ipv4 ip6 saddr …`, `ip6 saddr` in an ip table, `meta l4proto udp tcp
 * dport 22`, `ip protocol udp tcp dport 22`, `tcp dport 22 icmp type …`). Two
 * `meta l4proto` matches alone load (they never match), and so does `th`.
 */
function conflictingProtocols(rule: Rule, family: Family): { layer: 'network' | 'transport'; what: string; a: string; b: string } | undefined {
  let net: string | undefined = family === 'ip' ? 'ip' : family === 'ip6' ? 'ip6' : undefined;
  let l4: string | undefined;
  let l4FromHeader = false;
  for (const s of rule.stmts) {
    // tproxy ip6 in an ip table, snat ip after ip6 matches: nft refuses ("conflicting protocols specified: ip vs. ip6")
    if ((s.kind === 'tproxy' || s.kind === 'nat') && s.family) {
      if (net && net !== s.family) return { layer: 'network', what: 'two network protocols', a: net, b: s.family };
      continue;
    }
    // an ICMP reject is IPv4's, an ICMPv6 reject IPv6's: `reject with icmp …` in an ip6 table or after ip6 matches is refused
    if (s.kind === 'reject' && (s.with?.type === 'icmp' || s.with?.type === 'icmpv6')) {
      const r = s.with.type === 'icmp' ? 'ip' : 'ip6';
      if (net && net !== r) return { layer: 'network', what: 'two network protocols', a: net, b: r };
      continue;
    }
    if (s.kind !== 'match') continue;
    const lefts = (s.left.kind === 'concat' ? s.left.items : [s.left]).map((e) => (e.kind === 'binop' ? e.left : e));
    const eq = s.op === 'implicit' || s.op === '==';
    const v = eq ? single(s.right) : undefined;
    for (const e of lefts) {
      // a tunnel's inner headers (`gre ip saddr`, `udp dport 6081 geneve icmp type …`) say nothing of the outer packet
      if (e.kind === 'payload' && e.tunnel) continue;
      // an ICMP header implies IPv4 (ICMPv6 IPv6) only where no network protocol is known yet:
      // `ip6 saddr ::1 icmp type echo-request` loads (nft adds meta l4proto icmp only), the
      // other order is refused (seen with 1.0.6 and 1.1.3, and icmp in an ip6 table loads)
      const icmpAfterNet = net !== undefined && e.kind === 'payload' && (e.protocol === 'icmp' || e.protocol === 'icmpv6');
      let n = icmpAfterNet ? undefined : networkOf(e, family);
      if (!n && e.kind === 'meta' && e.key === 'nfproto' && v) n = { ipv4: 'ip', ipv6: 'ip6' }[v];
      if (n) {
        if (net && net !== n) return { layer: 'network', what: 'two network protocols', a: net, b: n };
        net = n;
      }
      // the transport protocol a header names, or a protocol match states
      const header = e.kind === 'payload' && TRANSPORT_HEADERS.has(e.protocol) ? e.protocol : undefined;
      const stated = v && ((e.kind === 'meta' && e.key === 'l4proto') || (e.kind === 'payload' && e.protocol === 'ip' && e.field === 'protocol')) ? protocolName(v) : undefined;
      const t = header ?? stated;
      if (t) {
        // two protocol matches alone load (they never match): nft compares a header with what is known
        if (l4 && l4 !== t && (header || l4FromHeader)) return { layer: 'transport', what: 'two transport protocols', a: l4, b: t };
        if (!l4 || header) {
          l4 = t;
          l4FromHeader ||= !!header;
        }
      }
    }
  }
  return undefined;
}

/** `ipv6-icmp` and `58` are icmpv6, `6` is tcp: the name a header has. */
function protocolName(v: string): string | undefined {
  const n = protocolNumber(v);
  if (n === undefined) return undefined;
  return [...TRANSPORT_HEADERS].find((p) => protocolNumber(p === 'icmpv6' ? 'ipv6-icmp' : p) === n);
}

function ruleText(r: Rule, family: Family): string | undefined {
  try {
    return emitRule({ ...r, comment: undefined }, family);
  } catch {
    return undefined; // what cannot be written is another check's finding
  }
}

export const ruleSense: Check = {
  name: 'rules that do not do what they seem to',
  findings: [
    { id: 'rule/log-before-limit', severity: 'warning', summary: 'a log statement before the limit of the same rule logs every packet, not only those within the limit' },
    { id: 'rule/duplicate', severity: 'warning', summary: 'a rule identical to the one before it' },
    { id: 'rule/icmp-wrong-family', severity: 'warning', summary: 'ICMP matched through an IPv6-only or IPv4-only field in a table that sees both families' },
    { id: 'rule/selector-family', severity: 'error', summary: 'a selector nft accepts only in some table families (meta nfproto: inet only)' },
    { id: 'rule/conflicting-protocols', severity: 'error', summary: 'one rule asks for two network protocols (IPv4 and IPv6) or two transport protocols (tcp and udp): nft refuses it' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      for (const chain of ti.table.chains) {
        let prev: string | undefined;
        for (const rule of chain.rules) {
          const logAt = rule.stmts.findIndex((s) => s.kind === 'log');
          const limitAt = rule.stmts.findIndex((s) => s.kind === 'limit');
          if (logAt >= 0 && limitAt > logAt) {
            ctx.report({
              id: 'rule/log-before-limit',
              severity: 'warning',
              message: 'log comes before limit in this rule: every packet that matches is logged, the limit only applies to what follows it',
              why: 'nft runs a rule\'s statements left to right, and a limit stops the rule only for the statements after it. To log at most so many packets, put the limit first: "limit rate 10/minute log prefix …".',
              nodeId: rule.id,
            });
          }
          for (const s of rule.stmts) {
            let base = s.kind === 'match' ? s.left : undefined;
            while (base?.kind === 'binop') base = base.left;
            const only = base?.kind === 'meta' ? META_KEYS[base.key]?.onlyIn : undefined;
            if (base?.kind === 'meta' && only && !only.includes(family)) {
              const key = base.key;
              ctx.report({
                id: 'rule/selector-family',
                severity: 'error',
                message: `meta ${key} is refused in ${a(family)} table: nft accepts it only in ${only.join(', ')} tables`,
                why: only.includes('bridge')
                  ? `The kernel refuses the rule ("Could not process rule: Operation not supported"), and with it the whole script: meta ${key} describes the bridge port a frame came in on, which only a bridge table sees. Move the rule to a bridge table.`
                  : `nft refuses the whole script ("meta ${key} is only useful in the inet family"). A ${family} table sees ${family === 'ip' ? 'IPv4 packets only' : family === 'ip6' ? 'IPv6 packets only' : 'frames, and tells IPv4 from IPv6 by "meta protocol ip" / "meta protocol ip6"'}: ${family === 'ip' || family === 'ip6' ? 'leave the match out' : 'use meta protocol'}, or move the rule to an inet table.`,
                nodeId: rule.id,
              });
            }
            if (s.kind !== 'match' || s.left.kind !== 'payload' || !BOTH.includes(family)) continue;
            const left = s.left;
            const w = WRONG_ICMP.find((x) => x.protocol === left.protocol && x.field === left.field);
            if (!w || !values(s.right).some((v) => w.values.includes(v.toLowerCase()))) continue;
            ctx.report({
              id: 'rule/icmp-wrong-family',
              severity: 'warning',
              message: `${w.protocol} ${w.field} matches ${w.family} packets only: no ${w.other} ICMP packet (a ping) matches this rule in ${family} table ${ti.table.name}`,
              why: `In ${a(family)} table a rule sees IPv4 and IPv6 packets. "${w.protocol} ${w.field}" first requires an ${w.family} packet, so the ${w.other} ICMP named here can never match, and a policy drop drops ${w.other} ping. Use "meta l4proto { icmp, ipv6-icmp }", which reads the transport protocol of either family.`,
              nodeId: rule.id,
            });
          }
          // any match that makes the rule IPv6-only (ip6 saddr, meta nfproto ipv6) or IPv4-only, with a meta l4proto of the other family's ICMP
          if (BOTH.includes(family)) {
            let net: string | undefined;
            let by: string | undefined;
            const icmps: { stmt: string; v6: boolean }[] = [];
            for (const s of rule.stmts) {
              if (s.kind !== 'match' || s.op === '!=') continue;
              const n = networkOf(s.left, family) ?? (s.left.kind === 'meta' && s.left.key === 'nfproto' ? { ipv4: 'ip', ipv6: 'ip6' }[single(s.right) ?? ''] : undefined);
              if (n && !net) {
                net = n;
                by = s.left.kind === 'meta' ? `meta nfproto ${single(s.right)}` : formatSelector(s.left);
              }
              if (s.left.kind === 'meta' && s.left.key === 'l4proto') {
                for (const v of values(s.right).map((x) => x.toLowerCase())) {
                  if (v === 'icmp' || v === '1') icmps.push({ stmt: v, v6: false });
                  if (v === 'ipv6-icmp' || v === 'icmpv6' || v === '58') icmps.push({ stmt: v, v6: true });
                }
              }
            }
            const wrong = net ? icmps.find((i) => i.v6 !== (net === 'ip6')) : undefined;
            if (wrong && net) {
              const fam = net === 'ip6' ? 'IPv6' : 'IPv4';
              const other = net === 'ip6' ? 'IPv4' : 'IPv6';
              ctx.report({
                id: 'rule/icmp-wrong-family',
                severity: 'warning',
                message: `${by} makes this rule match ${fam} packets only: its meta l4proto ${wrong.stmt} (${other} ICMP) never matches in ${family} table ${ti.table.name}`,
                why: `In ${a(family)} table a rule sees IPv4 and IPv6 packets, and all its matches apply to the same packet. "${by}" already requires an ${fam} packet, so the ${other} ICMP named by meta l4proto can never match (and a policy drop drops ${other} ping). Match the ${other} ICMP in a rule of its own, or leave out "${by}".`,
                nodeId: rule.id,
              });
            }
          }
          const conflict = conflictingProtocols(rule, family);
          if (conflict) {
            ctx.report({
              id: 'rule/conflicting-protocols',
              severity: 'error',
              message: `this rule asks for ${conflict.what}: ${conflict.a} and ${conflict.b} — nft refuses it ("conflicting protocols specified: ${conflict.a} vs. ${conflict.b}")`,
              why: `The matches of one rule all apply to the same packet, and a packet is ${conflict.layer === 'network' ? 'IPv4 or IPv6, not both' : 'of one transport protocol'}; nft refuses the whole script rather than load a rule no packet can meet. Split it into two rules${conflict.layer === 'transport' ? ', or match the ports of either protocol with "th dport" after "meta l4proto { tcp, udp }"' : ', one per family'}.`,
              nodeId: rule.id,
            });
          }
          const text = rule.stmts.length ? ruleText(rule, family) : undefined;
          if (text !== undefined && text === prev) {
            ctx.report({
              id: 'rule/duplicate',
              severity: 'warning',
              message: `this rule is the same as the one before it in chain ${chain.name}`,
              why: 'The packets this rule matches were already matched by the same rule just before it: a verdict there ended them, a counter there counted them. The second copy only doubles counters and logs. Remove one, or change what it should match.',
              nodeId: rule.id,
            });
          }
          prev = text;
        }
      }
    }
  },
};
