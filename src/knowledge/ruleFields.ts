/**
 * The match fields the rule builder offers: what a person picks before typing a
 * value. Each entry says how nft spells the selector, the datatype that decides
 * how values are read, checked and printed (src/knowledge/expressions.ts), an
 * example value, the operators that make sense for it and the families whose
 * packets carry it. The list is deliberately short — the fields a firewall
 * author reaches for; anything else is written as text.
 */
import type { CtExpr, Expr, MetaExpr, PayloadExpr } from '../model/expr.ts';
import type { MatchOp } from '../model/stmt.ts';
import type { Family } from '../model/types.ts';
import { CT_KEYS, META_KEYS, payloadField, type DataType } from './expressions.ts';
import { isBitmask, symbolTable } from './datatypes.ts';

export type RuleFieldGroup = 'IPv4' | 'IPv6' | 'TCP' | 'UDP' | 'Transport' | 'ICMP' | 'Interface' | 'Meta' | 'Conntrack' | 'Ethernet';

export interface RuleField {
  /** the selector as nft writes it in full (`ip saddr`, `meta iifname`, `ct state`); unique */
  id: string;
  /** what it is, in words */
  label: string;
  group: RuleFieldGroup;
  expr: PayloadExpr | MetaExpr | CtExpr;
  type: DataType;
  /** a value to show as a placeholder, in the form a person types it */
  example: string;
  /** operators that make sense, the first is the default */
  ops: readonly MatchOp[];
  /** inclusive bounds of a plain integer field (`vlan id`) */
  range?: readonly [number, number];
  /** families whose packets have this field; undefined: every family but arp */
  families?: readonly Family[];
}

/** Equality only: names, addresses, symbols. */
const EQ: readonly MatchOp[] = ['implicit', '!='];
/** Numbers that have an order (ports, marks, ids). */
const ORDERED: readonly MatchOp[] = ['implicit', '!=', '<', '>', '<=', '>='];
/** Bit masks: the operator-less form tests "any of these bits" (`ct state established,related`). */
const BITS: readonly MatchOp[] = ['implicit', '==', '!='];

const V4: readonly Family[] = ['ip', 'inet', 'bridge', 'netdev'];
const V6: readonly Family[] = ['ip6', 'inet', 'bridge', 'netdev'];
const IP_ANY: readonly Family[] = ['ip', 'ip6', 'inet', 'bridge', 'netdev'];
const CONNTRACK: readonly Family[] = ['ip', 'ip6', 'inet', 'bridge'];

function p(protocol: string, field: string, group: RuleFieldGroup, example: string, ops: readonly MatchOp[], families?: readonly Family[], range?: readonly [number, number]): RuleField {
  const info = payloadField(protocol, field);
  if (!info) throw new Error(`unknown payload field ${protocol} ${field}`);
  const f: RuleField = { id: `${protocol} ${field}`, label: info.doc, group, expr: { kind: 'payload', protocol, field }, type: info.type, example, ops };
  if (families) f.families = families;
  if (range) f.range = range;
  return f;
}

function m(key: string, group: RuleFieldGroup, example: string, ops: readonly MatchOp[], families?: readonly Family[]): RuleField {
  const info = META_KEYS[key];
  const f: RuleField = { id: `meta ${key}`, label: info.doc, group, expr: { kind: 'meta', key }, type: info.type, example, ops };
  if (families) f.families = families;
  return f;
}

function c(key: string, example: string, ops: readonly MatchOp[]): RuleField {
  const info = CT_KEYS[key];
  return { id: `ct ${key}`, label: info.doc, group: 'Conntrack', expr: { kind: 'ct', key }, type: info.type, example, ops, families: CONNTRACK };
}

export const RULE_FIELDS: readonly RuleField[] = [
  p('ip', 'saddr', 'IPv4', '192.168.1.0/24', EQ, V4),
  p('ip', 'daddr', 'IPv4', '10.0.0.1', EQ, V4),
  p('ip', 'protocol', 'IPv4', 'tcp', EQ, V4),
  p('ip6', 'saddr', 'IPv6', '2001:db8::/32', EQ, V6),
  p('ip6', 'daddr', 'IPv6', 'fe80::1', EQ, V6),
  p('ip6', 'nexthdr', 'IPv6', 'tcp', EQ, V6),
  p('tcp', 'dport', 'TCP', '22', ORDERED, IP_ANY),
  p('tcp', 'sport', 'TCP', '1024-65535', ORDERED, IP_ANY),
  p('tcp', 'flags', 'TCP', 'syn', BITS, IP_ANY),
  p('udp', 'dport', 'UDP', '53', ORDERED, IP_ANY),
  p('udp', 'sport', 'UDP', '123', ORDERED, IP_ANY),
  p('th', 'dport', 'Transport', '443', ORDERED, IP_ANY),
  p('th', 'sport', 'Transport', '1024-65535', ORDERED, IP_ANY),
  p('icmp', 'type', 'ICMP', 'echo-request', EQ, V4),
  p('icmpv6', 'type', 'ICMP', 'nd-neighbor-solicit', EQ, V6),
  m('iifname', 'Interface', 'eth0', EQ),
  m('oifname', 'Interface', 'eth0', EQ),
  m('iif', 'Interface', 'lo', EQ),
  m('oif', 'Interface', 'lo', EQ),
  m('l4proto', 'Meta', 'tcp', EQ, IP_ANY),
  m('nfproto', 'Meta', 'ipv4', EQ, ['inet', 'bridge', 'netdev']),
  m('mark', 'Meta', '0x1', ORDERED),
  m('pkttype', 'Meta', 'broadcast', EQ),
  m('skuid', 'Meta', '1000', ORDERED, IP_ANY),
  c('state', 'established', BITS),
  c('status', 'dnat', BITS),
  c('mark', '0x1', ORDERED),
  c('direction', 'original', EQ),
  p('ether', 'saddr', 'Ethernet', '00:11:22:33:44:55', EQ),
  p('ether', 'daddr', 'Ethernet', 'ff:ff:ff:ff:ff:ff', EQ),
  p('ether', 'type', 'Ethernet', 'ip6', EQ),
  p('vlan', 'id', 'Ethernet', '10', ORDERED, undefined, [0, 4095]),
];

const BY_ID = new Map(RULE_FIELDS.map((f) => [f.id, f]));

export function ruleField(id: string): RuleField | undefined {
  return BY_ID.get(id);
}

/** The field a selector expression is, if the builder offers it (`iifname` and `meta iifname` alike). */
export function ruleFieldOf(e: Expr): RuleField | undefined {
  if (e.kind === 'payload') return BY_ID.get(`${e.protocol} ${e.field}`);
  if (e.kind === 'meta') return BY_ID.get(`meta ${e.key}`);
  if (e.kind === 'ct' && e.dir === undefined && e.family === undefined) return BY_ID.get(`ct ${e.key}`);
  return undefined;
}

/** Fields whose packets exist in this family (arp tables see only meta and ethernet fields). */
export function ruleFieldsFor(family: Family): RuleField[] {
  return RULE_FIELDS.filter((f) => (f.families ? f.families.includes(family) : true) && (family !== 'arp' || f.group === 'Meta' || f.group === 'Interface' || f.group === 'Ethernet'));
}

/** Symbols a value of this field may be written as (`established`, `syn`, `echo-request`), for suggestions. */
export function fieldSymbols(f: RuleField): string[] {
  const table = symbolTable(f.type);
  if (!table) return [];
  // aliases that print as another name (`unicast` is `host`, `8021q` is `vlan`, `df`/`be` are `cs0`) are left out
  const seen = new Set<number>();
  const out: string[] = [];
  for (const [name, v] of Object.entries(table)) {
    if (seen.has(v) && f.type !== 'ct_status') continue;
    seen.add(v);
    out.push(name);
  }
  return out;
}

/** Bit-mask fields take comma lists (`established,related`) and test any of the bits. */
export function isFlagField(f: RuleField): boolean {
  return isBitmask(f.type);
}

/** How an operator reads for this field, for the operator picker. */
export function opLabel(op: MatchOp, f: RuleField | undefined): string {
  const bits = f ? isFlagField(f) : false;
  switch (op) {
    case 'implicit':
      return bits ? 'has any of these set' : 'is';
    case '==':
      return bits ? 'is exactly these, no others (==)' : 'is (==)';
    case '!=':
      return 'is not (!=)';
    case '<':
      return 'less than (<)';
    case '>':
      return 'greater than (>)';
    case '<=':
      return 'at most (<=)';
    case '>=':
      return 'at least (>=)';
  }
}
