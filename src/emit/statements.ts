/**
 * Rules in nft's listing form. Each statement is printed by its module in
 * src/stmts/ (where nft rewrites what was written — implicit dependencies made
 * explicit, default options omitted, values normalised — the module writes what
 * nft would list); here the rule drops the dependencies nft drops, so a designed
 * rule loads and lists back unchanged.
 */
import { TRANSPORT_PROTOCOLS } from '../knowledge/expressions.ts';
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { Family, Rule, SetDecl } from '../model/types.ts';
import { mergedStatements, rawTransportRun } from './payloadMerge.ts';
import { bitBase, protocolNumber } from '../knowledge/datatypes.ts';
import { printStatement } from '../stmts/registry.ts';
import { DEFAULT_LISTING_TARGET, lists11, type ListingTarget } from '../knowledge/listing.ts';

export { formatMapDataSet, formatSelector, selectorContext } from './selectors.ts';
export { formatLimitBody } from '../stmts/limit.ts';
export { formatQuotaBody } from '../stmts/quota.ts';
export { formatBytes } from '../stmts/units.ts';

export interface EmitContext {
  family: Family;
  /** the nft version whose listing to write (default 1.0.6) */
  target?: ListingTarget;
  /** the table's sets and maps by name (a nat statement's listing depends on its named map's data) */
  maps?: (name: string) => SetDecl | undefined;
}

/** `rule`/`index` give the statements before this one (nft infers dependencies from them). */
export function formatStatement(s: Statement, ctx: EmitContext, rule: readonly Statement[] = [], index = 0): string {
  const target = ctx.target ?? DEFAULT_LISTING_TARGET;
  return printStatement(s, ctx.maps ? { family: ctx.family, target, rule, index, maps: ctx.maps } : { family: ctx.family, target, rule, index });
}

// ------------------------------------------------------------------ rules


/** Protocols a transport header's `th` fields are listed as, once a dependency names one. */
const TH_AS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);
/** What a payload header implies about the packet's network (or link) protocol. */
const NET_OF_PAYLOAD: Record<string, string> = { ip: 'v4', icmp: 'v4', ip6: 'v6', icmpv6: 'v6', vlan: 'vlan', arp: 'arp' };
/** The value of a network-protocol dependency, as NET_OF_PAYLOAD names it. */
const NET_VALUE: Record<string, string> = { ipv4: 'v4', ip: 'v4', ipv6: 'v6', ip6: 'v6', vlan: 'vlan', '8021q': 'vlan', arp: 'arp' };

/** A match that states a dependency nft generates itself: which slot it holds and what it says. */
function dependencyOf(s: Statement, family: Family): { slot: 'net' | 'l4'; value: string; nfproto?: boolean; vlanType?: boolean } | undefined {
  if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==')) return undefined;
  // a value, or an anonymous set of one (`meta nfproto { ipv4 }` is the same match)
  const r = s.right.kind === 'set' && s.right.elements.length === 1 ? s.right.elements[0].key : s.right;
  if (r.kind !== 'value') return undefined;
  const l = s.left;
  const v = r.text;
  if (l.kind === 'meta' && l.key === 'nfproto' && family === 'inet') return NET_VALUE[v] ? { slot: 'net', value: NET_VALUE[v], nfproto: true } : undefined;
  if (family === 'bridge' || family === 'netdev') {
    // `vlan type ip` states the network protocol as `ether type ip` does (inside a VLAN)
    if ((l.kind === 'meta' && l.key === 'protocol') || (l.kind === 'payload' && (l.protocol === 'ether' || l.protocol === 'vlan') && l.field === 'type')) {
      if (!NET_VALUE[v]) return undefined;
      return l.kind === 'payload' && l.protocol === 'vlan' ? { slot: 'net', value: NET_VALUE[v], vlanType: true } : { slot: 'net', value: NET_VALUE[v] };
    }
  } else if (l.kind === 'payload' && l.protocol === 'ether' && l.field === 'type' && NET_VALUE[v] === 'vlan') return { slot: 'net', value: 'vlan' };
  const n = protocolNumber(v);
  if (n === undefined || family === 'arp') return undefined;
  if ((l.kind === 'meta' && l.key === 'l4proto') || (l.kind === 'payload' && l.protocol === 'ip' && l.field === 'protocol' && family === 'ip') || (l.kind === 'payload' && l.protocol === 'ip6' && l.field === 'nexthdr' && family === 'ip6')) {
    return { slot: 'l4', value: String(n) };
  }
  return undefined;
}

/** A match of the transport protocol (`meta l4proto`, `ip protocol`, `ip6 nexthdr`) to one value. */
function namesTransport(s: Statement): boolean {
  if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==')) return false;
  const l = s.left;
  return (l.kind === 'meta' && l.key === 'l4proto') || (l.kind === 'payload' && ((l.protocol === 'ip' && l.field === 'protocol') || (l.protocol === 'ip6' && l.field === 'nexthdr')));
}

/**
 * nft leaves out of its listing a match that only states a dependency it would
 * generate itself for a later match of the same rule (netlink_delinearize's
 * payload dependency context): `meta l4proto tcp iifname "eth0" tcp dport 22` →
 * `iifname "eth0" tcp dport 22`; in inet `meta nfproto ipv4 … ip saddr …` and
 * `meta nfproto ipv6 icmpv6 type …`; in bridge and netdev `meta protocol ip` or
 * `ether type ip` before an ip header match; `ip protocol` in ip tables and
 * `ip6 nexthdr` in ip6 tables like `meta l4proto`. Matches in between keep the
 * dependency waiting, any other statement (a counter, a log, a mark set) ends it,
 * and a later dependency of the same layer takes its place. A `th` field after a
 * transport dependency is listed as that protocol's (`meta l4proto udp th dport
 * 53` → `udp dport 53`). Seen with nft 1.0.6 and 1.1.3 alike.
 */
function listedStatements(stmts: readonly Statement[], family: Family): { drop: Set<number>; as: Map<number, Statement> } {
  const drop = new Set<number>();
  const as = new Map<number, Statement>();
  const slots: { net?: { i: number; value: string; nfproto?: boolean; vlanType?: boolean }; l4?: { i: number; value: string } } = {};
  // the transport protocol a dropped dependency named: later th fields of the rule are listed as its
  let thAs: string | undefined;
  stmts.forEach((s, i) => {
    // reject's own dependencies: `meta l4proto tcp` for a TCP reset (ip, ip6), `meta nfproto` for
    // an ICMP or ICMPv6 reject (inet); nft lists one the rule states no more
    if (s.kind === 'reject' && s.with) {
      if (s.with.type === 'tcp reset' && (family === 'ip' || family === 'ip6') && slots.l4?.value === '6') drop.add(slots.l4.i);
      const v = s.with.type === 'icmp' ? 'v4' : s.with.type === 'icmpv6' ? 'v6' : undefined;
      if (family === 'inet' && slots.net?.nfproto && slots.net.value === v) drop.add(slots.net.i);
    }
    if (s.kind !== 'match') {
      slots.net = slots.l4 = undefined;
      thAs = undefined;
      return;
    }
    const left = s.left.kind === 'concat' ? s.left.items : [s.left];
    for (const e of left) {
      const net = slots.net;
      if (net) {
        const implied =
          e.kind === 'payload'
            ? NET_OF_PAYLOAD[e.protocol]
            : e.kind === 'exthdr' && e.space === 'ip6'
              ? 'v6'
              : undefined;
        const dep = net.nfproto ? dependencyOf(s, family) : undefined;
        const byL4 = dep?.slot === 'l4' ? ({ 1: 'v4', 58: 'v6' } as Record<string, string>)[dep.value] : undefined;
        // nft keeps `ether type 8021q` before `vlan type ip`: a protocol key of the same header
        // layer does not end it (payload_may_dependency_kill), or the listing would lack the VLAN;
        // and a `vlan type` it never ends with another VLAN field (QinQ: `vlan type 8021q vlan id 2`)
        const stacked = e.kind === 'payload' && e.protocol === 'vlan' && ((e.field === 'type' && s.right.kind !== 'set' && s.right.kind !== 'setref') || net.vlanType === true);
        if ((implied ?? byL4) === net.value && !stacked) {
          drop.add(net.i);
          slots.net = undefined;
        }
      }
      const l4 = slots.l4;
      if (e.kind === 'payload' && e.protocol === 'th' && s.left.kind !== 'concat') {
        const name = l4 ? [...TH_AS].find((p) => String(protocolNumber(p)) === l4.value) : thAs;
        if (name && l4) {
          drop.add(l4.i);
          slots.l4 = undefined;
        }
        if (name) {
          thAs = name;
          as.set(i, { ...s, left: { ...e, protocol: name } });
        }
      } else if (l4 && e.kind === 'payload' && TRANSPORT_PROTOCOLS[e.protocol] && String(protocolNumber(TRANSPORT_PROTOCOLS[e.protocol])) === l4.value) {
        drop.add(l4.i);
        slots.l4 = undefined;
      }
    }
    const dep = dependencyOf(s, family);
    if (dep?.slot === 'net') slots.net = { i, value: dep.value, nfproto: dep.nfproto, vlanType: dep.vlanType };
    else if (dep?.slot === 'l4') slots.l4 = { i, value: dep.value };
    // a transport protocol match nft does not generate here (`ip protocol tcp` in inet) takes the
    // waiting one's place and is itself kept: `meta l4proto tcp ip protocol tcp tcp dport 23` stays whole
    else if (namesTransport(s)) slots.l4 = undefined;
  });
  return { drop, as };
}

const valueMatch = (left: Expr, text: string): Statement => ({ kind: 'match', left, op: 'implicit', right: { kind: 'value', text } });
const setMatch = (left: Expr, texts: readonly string[]): Statement => ({ kind: 'match', left, op: 'implicit', right: { kind: 'set', elements: texts.map((text) => ({ key: { kind: 'value', text } })) } });

/** The payload headers a statement's match reads (its left side, a concatenation's items). */
function matchedHeaders(s: Statement): { protocol: string; field: string }[] {
  if (s.kind !== 'match') return [];
  const items = s.left.kind === 'concat' ? s.left.items : [s.left];
  const out: { protocol: string; field: string }[] = [];
  for (const e of items) {
    const b = bitBase(e);
    if (b.kind === 'payload' && !b.tunnel) out.push({ protocol: b.protocol, field: b.field });
  }
  return out;
}

/**
 * The dependencies nft adds to a rule that stay in its listing: the others it
 * adds (`meta l4proto tcp` before `tcp dport`) it lists no more, and the ones a
 * rule states itself are dropped as listedStatements says. Seen on 1.0.6 and 1.1.3:
 * `icmp id 5` lists as `icmp type { echo-reply, echo-request } icmp id 5` (the id and
 * sequence exist in echo messages only); in inet `igmp type 5` as `meta nfproto ipv4
 * igmp type 5` (IGMP is IPv4's only; in bridge `ether type ip`, in netdev `meta
 * protocol ip`); in bridge and netdev `vlan type ip` as `ether type 8021q vlan type ip`.
 */
/** The ICMPv6 messages that carry a target address, as nft 1.1 lists them before `icmpv6 taddr`. */
const ICMPV6_TADDR_TYPES = ['mld-listener-query', 'mld-listener-report', 'mld-listener-done', 'nd-neighbor-solicit', 'nd-neighbor-advert', 'nd-redirect'];

function withListedDependencies(stmts: readonly Statement[], family: Family, target: ListingTarget): readonly Statement[] {
  let out: Statement[] | undefined;
  let icmpType = false;
  let icmpv6Type = false;
  let ipv4 = false;
  let vlan = false;
  stmts.forEach((s, i) => {
    const add: Statement[] = [];
    for (const h of matchedHeaders(s)) {
      if ((h.protocol === 'icmp' || h.protocol === 'icmpv6') && (h.field === 'id' || h.field === 'sequence')) {
        if (h.protocol === 'icmp' && !icmpType) add.push(setMatch({ kind: 'payload', protocol: 'icmp', field: 'type' }, ['echo-reply', 'echo-request']));
        if (h.protocol === 'icmpv6' && !icmpv6Type) add.push(setMatch({ kind: 'payload', protocol: 'icmpv6', field: 'type' }, ['echo-request', 'echo-reply']));
        if (h.protocol === 'icmp') icmpType = true;
        else icmpv6Type = true;
      }
      // nft 1.1 also gives the ICMPv6 target address its messages (1.0.6 does not)
      if (h.protocol === 'icmpv6' && h.field === 'taddr' && lists11(target) && !icmpv6Type) {
        add.push(setMatch({ kind: 'payload', protocol: 'icmpv6', field: 'type' }, ICMPV6_TADDR_TYPES));
        icmpv6Type = true;
      }
      // IGMP's dependency is `ip protocol igmp`, itself listed no more; the IPv4 test before it stays
      if (h.protocol === 'igmp' && !ipv4) {
        if (family === 'inet') add.push(valueMatch({ kind: 'meta', key: 'nfproto' }, 'ipv4'));
        else if (family === 'bridge') add.push(valueMatch({ kind: 'payload', protocol: 'ether', field: 'type' }, 'ip'));
        else if (family === 'netdev') add.push(valueMatch({ kind: 'meta', key: 'protocol' }, 'ip'));
        ipv4 = true;
      }
      if (h.protocol === 'vlan' && (family === 'bridge' || family === 'netdev') && !vlan) add.push(valueMatch({ kind: 'payload', protocol: 'ether', field: 'type' }, '8021q'));
      if (h.protocol === 'icmp' && h.field === 'type') icmpType = true;
      if (h.protocol === 'icmpv6' && h.field === 'type') icmpv6Type = true;
      if (h.protocol === 'ip' || h.protocol === 'icmp' || h.protocol === 'igmp') ipv4 = true;
      if (h.protocol === 'vlan') vlan = true;
      if (h.protocol === 'ether' && h.field === 'type') vlan = ipv4 = true;
    }
    if (s.kind === 'match' && s.left.kind === 'meta' && (s.left.key === 'nfproto' || s.left.key === 'l4proto')) ipv4 = true;
    if (s.kind === 'match' && s.left.kind === 'meta' && s.left.key === 'protocol') vlan = ipv4 = true;
    if (add.length) {
      out ??= stmts.slice(0, i);
      out.push(...add);
    }
    out?.push(s);
  });
  return out ?? stmts;
}

export function formatRule(rule: Rule, ctx: EmitContext): string {
  // nft merges neighbouring payload matches into one compare and lists their fields in offset order
  const stmts = withListedDependencies(mergedStatements(rule.stmts), ctx.family, ctx.target ?? DEFAULT_LISTING_TARGET);
  const { drop, as } = listedStatements(stmts, ctx.family);
  let out = '';
  for (let i = 0; i < stmts.length; i++) {
    if (drop.has(i)) continue;
    const st = stmts[i];
    const raw = st.kind === 'match' && st.left.kind === 'payload' && st.left.protocol === 'th' ? rawTransportRun(stmts, i, (k) => as.has(k) || drop.has(k)) : undefined;
    const text = raw ? raw.text : formatStatement(as.get(i) ?? stmts[i], ctx, stmts, i);
    if (raw) i += raw.count - 1;
    out = out ? `${out} ${text}` : text;
  }
  if (rule.comment !== undefined) out += `${out ? ' ' : ''}comment "${rule.comment}"`;
  return out;
}
