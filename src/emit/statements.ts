/**
 * Rules in nft's listing form. Each statement is printed by its module in
 * src/stmts/ (where nft rewrites what was written — implicit dependencies made
 * explicit, default options omitted, values normalised — the module writes what
 * nft would list); here the rule drops the dependencies nft drops, so a designed
 * rule loads and lists back unchanged.
 */
import type { Statement } from '../model/stmt.ts';
import type { Family, Rule } from '../model/types.ts';
import { protocolNumber } from '../knowledge/datatypes.ts';
import { printStatement } from '../stmts/registry.ts';
import { DEFAULT_LISTING_TARGET, type ListingTarget } from '../knowledge/listing.ts';

export { formatMapDataSet, formatSelector, selectorContext } from './selectors.ts';
export { formatLimitBody } from '../stmts/limit.ts';
export { formatQuotaBody } from '../stmts/quota.ts';
export { formatBytes } from '../stmts/units.ts';

export interface EmitContext {
  family: Family;
  /** the nft version whose listing to write (default 1.0.6) */
  target?: ListingTarget;
}

/** `rule`/`index` give the statements before this one (nft infers dependencies from them). */
export function formatStatement(s: Statement, ctx: EmitContext, rule: readonly Statement[] = [], index = 0): string {
  return printStatement(s, { family: ctx.family, target: ctx.target ?? DEFAULT_LISTING_TARGET, rule, index });
}

// ------------------------------------------------------------------ rules

const L4_PROTOCOLS: Record<string, string> = { tcp: 'tcp', udp: 'udp', udplite: 'udplite', sctp: 'sctp', dccp: 'dccp', icmp: 'icmp', icmpv6: 'ipv6-icmp', ah: 'ah', esp: 'esp', comp: 'comp', igmp: 'igmp' };

/**
 * nft drops a protocol match that only states the dependency of the next match
 * (`meta l4proto tcp tcp dport 22` → `tcp dport 22`; `ip protocol tcp` likewise in
 * ip tables, `ip6 nexthdr tcp` in ip6 tables).
 */
function isRedundantDependency(s: Statement, next: Statement | undefined, family: Family): boolean {
  if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==') || s.right.kind !== 'value') return false;
  if (!next || next.kind !== 'match') return false;
  const nl = next.left.kind === 'concat' ? next.left.items[0] : next.left;
  if (nl.kind !== 'payload') return false;
  const l = s.left;
  // `ether type vlan vlan id 10` → `vlan id 10` (likewise ip, ip6, arp after ether type)
  if (l.kind === 'payload' && l.protocol === 'ether' && l.field === 'type') {
    const ethProto: Record<string, string> = { vlan: 'vlan', ip: 'ip', ip6: 'ip6', arp: 'arp' };
    return ethProto[s.right.text] !== undefined && ethProto[s.right.text] === nl.protocol;
  }
  const isDep =
    (l.kind === 'meta' && l.key === 'l4proto') ||
    (l.kind === 'payload' && l.protocol === 'ip' && l.field === 'protocol' && family === 'ip') ||
    (l.kind === 'payload' && l.protocol === 'ip6' && l.field === 'nexthdr' && family === 'ip6');
  if (!isDep) return false;
  const proto = L4_PROTOCOLS[nl.protocol];
  if (!proto) return false;
  const n = protocolNumber(s.right.text);
  return n !== undefined && n === protocolNumber(proto);
}

export function formatRule(rule: Rule, ctx: EmitContext): string {
  const stmts = rule.stmts;
  // Decide right to left, so that a dependency is judged against the next statement that stays.
  let out = '';
  let next: Statement | undefined;
  for (let i = stmts.length - 1; i >= 0; i--) {
    if (isRedundantDependency(stmts[i], next, ctx.family)) continue;
    next = stmts[i];
    const text = formatStatement(stmts[i], ctx, stmts, i);
    out = out ? `${text} ${out}` : text;
  }
  if (rule.comment !== undefined) out += `${out ? ' ' : ''}comment "${rule.comment}"`;
  return out;
}
