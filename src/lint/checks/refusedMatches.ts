/**
 * Matches that read well and that nft or the kernel refuse, found by loading
 * every field of knowledge/expressions.ts with sample values into nft 1.0.6 and
 * 1.1.3 (each message below is what they print; a kernel test loads the examples):
 *
 * - `ct saddr 10.0.0.1` without `ip`/`ip6`: nft "cannot determine ip protocol
 *   version" in inet, bridge and netdev tables, the kernel "Invalid argument" in
 *   ip and ip6 tables; `ct ip saddr` without a direction: a syntax error;
 * - `ct proto-src 22` without `original`/`reply`: the kernel, "Invalid argument";
 * - `meta secmark` compared with a value: nft "Cannot be used with right hand
 *   side constant value" (a secmark is set from a named object, not matched);
 * - a vxlan or geneve field in a rule that has not matched UDP first: nft 1.1
 *   "no transport protocol specified";
 * - a constant in the key of a lookup (`ip saddr . 1.2.3.4 . 80 @s1`): nft 1.0.6
 *   "Can't parse symbolic invalid expressions"; 1.1.3 loads it against a named set
 *   and refuses it against an anonymous one or a value ("Could not parse symbolic
 *   invalid expression");
 * - for nft 1.0.6, `ah nexthdr tcp` or `comp nexthdr tcp` (a value or a set):
 *   nft 1.0.6 aborts ("payload_expr_pctx_update: Assertion `base->length > 0'
 *   failed"); 1.1.3 loads it.
 */
import type { Expr } from '../../model/expr.ts';
import type { Statement } from '../../model/stmt.ts';
import type { Rule } from '../../model/types.ts';
import { bitBase } from '../../knowledge/datatypes.ts';
import { CT_DIR_KEYS, CT_SET_ONLY_KEYS } from '../../knowledge/expressions.ts';
import { compareVersions } from '../../knowledge/versions.ts';
import type { Check } from './check.ts';

/** The selectors a match reads (a concatenation's items, the base of a bit operation). */
function selectors(s: Statement): Expr[] {
  if (s.kind !== 'match') return [];
  return (s.left.kind === 'concat' ? s.left.items : [s.left]).map(bitBase);
}

/** The tunnels whose headers nft finds only after a UDP match. */
const UDP_TUNNELS: ReadonlySet<string> = new Set(['vxlan', 'geneve']);

/** Does the statement say the packet is UDP (`udp dport 4789`, `meta l4proto udp`, `ip protocol udp`)? */
function statesUdp(s: Statement): boolean {
  if (s.kind !== 'match') return false;
  for (const e of selectors(s)) {
    if (e.kind === 'payload' && e.protocol === 'udp' && !e.tunnel) return true;
    const protoKey = (e.kind === 'meta' && e.key === 'l4proto') || (e.kind === 'payload' && !e.tunnel && ((e.protocol === 'ip' && e.field === 'protocol') || (e.protocol === 'ip6' && e.field === 'nexthdr')));
    if (protoKey && s.right.kind === 'value' && (s.right.text === 'udp' || s.right.text === '17')) return true;
  }
  return false;
}

interface Refusal {
  id: string;
  message: string;
  why: string;
}

function refusals(rule: Rule, target: string, family: string): Refusal[] {
  const out: Refusal[] = [];
  let udp = false;
  // the rule has said which IP version the packet is (ip daddr …, meta nfproto ipv4): nft infers a NAT address's family from it
  let l3 = false;
  let nfproto = false;
  for (const s of rule.stmts) {
    if (s.kind === 'match' && s.left.kind === 'concat' && s.left.items.some((i) => i.kind === 'value')) {
      const named = s.right.kind === 'setref';
      if (!named || compareVersions(target, '1.1.0') < 0) {
        out.push({
          id: 'rule/lookup-constant',
          message: named ? `nft ${target} cannot read a constant in the key of a lookup: it refuses the script` : 'a constant in a concatenation is read only in a lookup of a named set (@name): nft refuses it here',
          why: named
            ? 'nft 1.0.6 says "Can\'t parse symbolic invalid expressions": it does not give the constant the type of its place in the set. nft 1.1.3 loads it. For 1.0.6, match the selectors alone (or give the set an element per constant).'
            : 'nft types a constant in a concatenation from the named set it is looked up in; against an anonymous set or a value it has no type to read it with ("Could not parse symbolic invalid expression", nft 1.0.6 and 1.1.3). Put the constant into the elements instead.',
        });
      }
    }
    for (const e of selectors(s)) {
      // (after `meta nfproto ipv4` nft knows the family: `meta nfproto ipv4 ct original saddr 1.2.3.4` loads)
      if (e.kind === 'ct' && (e.key === 'saddr' || e.key === 'daddr') && !e.family && !nfproto) {
        // nft reads the family only after a direction: `ct ip saddr` is a syntax error
        const dir = `${e.dir ?? 'original'} `;
        out.push({
          id: 'rule/ct-address-family',
          message: `ct ${e.dir ? dir : ''}${e.key} needs the address family: write ct ${dir}ip ${e.key} or ct ${dir}ip6 ${e.key}`,
          why: `nft cannot tell an IPv4 from an IPv6 address of the connection without it: in an inet, bridge or netdev table it refuses the script ("cannot determine ip protocol version"), in an ip or ip6 table the kernel refuses the rule ("Could not process rule: Invalid argument"). Seen with nft 1.0.6 and 1.1.3.`,
        });
      }
      if (e.kind === 'ct' && e.family && !e.dir) {
        out.push({
          id: 'rule/ct-address-family',
          message: `ct ${e.family} ${e.key} needs a direction first: write ct original ${e.family} ${e.key} or ct reply ${e.family} ${e.key}`,
          why: `nft reads the address family of a connection's field only after original or reply; "ct ${e.family} ${e.key}" is a syntax error in nft 1.0.6 and 1.1.3 ("unexpected ${e.family}").`,
        });
      }
      if (e.kind === 'ct' && CT_SET_ONLY_KEYS.has(e.key) && s.kind === 'match' && s.left === e) {
        out.push({
          id: 'rule/ct-set-only',
          message: `ct ${e.key} can only be set (ct ${e.key} set …), not matched: nft refuses it`,
          why: `The connection's ${e.key} is something a rule gives the connection, not a value the kernel can compare: nft 1.0.6 and 1.1.3 refuse a match on it (${e.key === 'event' ? '"Could not process rule: Operation not supported"' : 'a syntax error, "expecting set"'}). Write ct ${e.key} set ${e.key === 'event' ? 'new,destroy' : '"name"'}.`,
        });
      }
      if (e.kind === 'ct' && e.dir && !CT_DIR_KEYS.has(e.key)) {
        out.push({
          id: 'rule/ct-direction',
          message: `ct ${e.key} takes no direction: nft refuses "ct ${e.dir} ${e.key}" (write ct ${e.key})`,
          why: `Only a connection's addresses, protocols, ports, counters and zone have one value per direction (${[...CT_DIR_KEYS].join(', ')}); the ${e.key} belongs to the whole connection, and nft 1.0.6 and 1.1.3 refuse "ct ${e.dir} ${e.key}" as a syntax error.`,
        });
      }
      if (e.kind === 'ct' && (e.key === 'proto-src' || e.key === 'proto-dst') && !e.dir) {
        out.push({
          id: 'rule/ct-proto-direction',
          message: `ct ${e.key} needs a direction: write ct original ${e.key} or ct reply ${e.key}`,
          why: 'The connection has a port on each side in each direction; without original or reply the kernel refuses the rule ("Could not process rule: Invalid argument"), and the whole script with it. Seen with nft 1.0.6 and 1.1.3.',
        });
      }
      // (under a mask it loads: `meta secmark & 0xf == 1`)
      if (e.kind === 'meta' && e.key === 'secmark' && s.kind === 'match' && s.left === e) {
        out.push({
          id: 'rule/secmark-match',
          message: 'meta secmark cannot be compared with a value: nft refuses it',
          why: 'nft says "Cannot be used with right hand side constant value": a security mark is set from a named secmark object (meta secmark set "name"), not matched. Match the connection\'s mark or the SELinux context elsewhere.',
        });
      }
      if (e.kind === 'payload' && (UDP_TUNNELS.has(e.protocol) || (e.tunnel !== undefined && UDP_TUNNELS.has(e.tunnel))) && !udp && compareVersions(target, '1.1.0') >= 0) {
        const t = e.tunnel ?? e.protocol;
        out.push({
          id: 'rule/tunnel-needs-udp',
          message: `${t} headers are found only after a UDP match: put udp dport ${t === 'vxlan' ? 4789 : 6081} (or meta l4proto udp) before it`,
          why: `nft ${target} refuses the script ("no transport protocol specified"): a ${t} header is the payload of a UDP datagram, and nft needs the rule to say so first.`,
        });
      }
      // (a range loads: `ah nexthdr 6-17`)
      if (e.kind === 'payload' && (e.protocol === 'ah' || e.protocol === 'comp') && e.field === 'nexthdr' && !e.tunnel && s.kind === 'match' && (s.op === 'implicit' || s.op === '==') && (s.right.kind === 'value' || s.right.kind === 'set') && compareVersions(target, '1.1.0') < 0) {
        out.push({
          id: 'version/nft-aborts',
          message: `nft ${target} aborts on ${e.protocol} nexthdr compared with a protocol: nothing of the script is loaded`,
          why: `nft 1.0.6 stops with "payload_expr_pctx_update: Assertion 'base->length > 0' failed" (it has no length for the ${e.protocol} header to follow); nft 1.1.3 loads it. Compare with != or leave the match out for 1.0.6.`,
        });
      }
    }
    // in inet, dnat/snat to an address need the IP version: `dnat ip to …`, or a match before that says it
    // (a port alone needs none: `meta l4proto tcp dnat to :80` loads)
    if (s.kind === 'nat' && (s.type === 'dnat' || s.type === 'snat') && family === 'inet' && !s.family && !l3 && s.addr && (s.addr.kind === 'value' || s.addr.kind === 'range' || s.addr.kind === 'prefix')) {
      out.push({
        id: 'rule/nat-family',
        message: `${s.type} to an address in an inet table needs the IP version: write ${s.type} ip to … (or ${s.type} ip6 to …)`,
        why: `An inet table sees IPv4 and IPv6 packets, and nft cannot tell which family the NAT target is for unless the rule says it: nft 1.0.6 refuses the script ("ip or ip6 must be specified with address for inet tables"), and so does 1.1.3 ("specify \`${s.type} ip' or '${s.type} ip6' in inet table to disambiguate"). Name it (${s.type} ip to …), or match the family first (meta nfproto ipv4, ip daddr …).`,
      });
    }
    if (s.kind === 'match' && selectors(s).some((e) => (e.kind === 'payload' && !e.tunnel && (e.protocol === 'ip' || e.protocol === 'ip6' || e.protocol === 'icmp' || e.protocol === 'icmpv6')) || (e.kind === 'meta' && e.key === 'nfproto'))) l3 = true;
    if (statesUdp(s)) udp = true;
    if (s.kind === 'match' && s.left.kind === 'meta' && s.left.key === 'nfproto' && s.op !== '!=') nfproto = true;
  }
  return out;
}

export const refusedMatches: Check = {
  name: 'refusedMatches',
  findings: [
    { id: 'rule/nat-family', severity: 'error', summary: 'dnat or snat to an address in an inet table without ip or ip6, and no match before that says the family' },
    { id: 'rule/ct-address-family', severity: 'error', summary: 'ct saddr/daddr without ip or ip6: nft or the kernel refuses it' },
    { id: 'rule/ct-set-only', severity: 'error', summary: 'a match on ct event, ct timeout or ct expectation, which can only be set' },
    { id: 'rule/ct-direction', severity: 'error', summary: 'ct original|reply before a key that has no direction (mark, state, expiration, helper, label, id, …): nft refuses it' },
    { id: 'rule/ct-proto-direction', severity: 'error', summary: 'ct proto-src/proto-dst without original or reply: the kernel refuses it' },
    { id: 'rule/secmark-match', severity: 'error', summary: 'meta secmark compared with a value: nft refuses it' },
    { id: 'rule/tunnel-needs-udp', severity: 'error', summary: 'a vxlan or geneve field before any UDP match: nft 1.1 refuses it' },
    { id: 'rule/lookup-constant', severity: 'error', summary: 'a constant in the key of a lookup: only nft 1.1 reads it, and only against a named set' },
    { id: 'version/nft-aborts', severity: 'error', summary: 'a match that makes nft 1.0.6 abort (ah/comp nexthdr compared with a protocol)' },
  ],
  run(ctx) {
    for (const { ti, rule } of ctx.rules()) {
      for (const r of refusals(rule, ctx.target, ti.table.family)) ctx.report({ ...r, severity: 'error', nodeId: rule.id });
    }
  },
};
