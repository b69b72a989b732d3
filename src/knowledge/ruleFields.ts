/**
 * The match fields the rule builder offers: what a person picks before typing a
 * value. Each entry says how nft spells the selector, the datatype that decides
 * how values are read, checked and printed (src/knowledge/expressions.ts), an
 * example value, the operators that make sense for it and the families whose
 * packets carry it. RULE_FIELDS is deliberately short — the fields a firewall
 * author reaches for, offered first; MORE_FIELDS derives every other selector of
 * the knowledge tables (all header fields, meta and ct keys, TCP/IP options,
 * IPv6 extension headers, SCTP chunks, rt, socket, ipsec, osf), and a selector
 * with parameters (`ct original ip saddr`, `@nh,8,8`, `vxlan ip saddr`) is a
 * field too when it is typed (`fieldOfSelectorText`).
 */
import type { Expr } from '../model/expr.ts';
import type { MatchOp } from '../model/stmt.ts';
import type { Family } from '../model/types.ts';
import { CT_KEYS, META_KEYS, PAYLOAD_FIELDS, RT_KEYS, SOCKET_KEYS, payloadField, type DataType, type FieldInfo } from './expressions.ts';
import { EXTHDR_SPACES, IPSEC_KEYS, OSF_KEYS, headerInfo, exthdrField, type ExthdrSpace } from './exthdr.ts';
import { exprType, isBitmask, symbolTable } from './datatypes.ts';
import { formatSelector } from '../emit/selectors.ts';
import { parseSelectorText } from '../parse/expressions.ts';

/** The picker's groups: the common fields first, then every other selector nft knows. */
export const RULE_FIELD_GROUPS = [
  'IPv4',
  'IPv6',
  'TCP',
  'UDP',
  'Transport',
  'ICMP',
  'Interface',
  'Meta',
  'Conntrack',
  'Ethernet',
  'More header fields',
  'More meta keys',
  'More conntrack keys',
  'Options and extension headers',
  'Routing, sockets, IPsec, OS',
  'Typed selector',
] as const;
export type RuleFieldGroup = (typeof RULE_FIELD_GROUPS)[number];

export interface RuleField {
  /** the selector as nft writes it in full (`ip saddr`, `meta iifname`, `ct state`); unique */
  id: string;
  /** what it is, in words */
  label: string;
  group: RuleFieldGroup;
  /** the selector (payload, meta, ct, exthdr, rawpayload, ipsec, osf, rt, socket) */
  expr: Expr;
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
  m('nfproto', 'Meta', 'ipv4', EQ, META_KEYS.nfproto.onlyIn),
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

/** Operators by datatype, for the fields derived from the tables. */
function opsFor(type: DataType): readonly MatchOp[] {
  if (isBitmask(type)) return BITS;
  if (symbolTable(type) || type === 'boolean' || type === 'string' || type === 'ifname' || type === 'ipv4_addr' || type === 'ipv6_addr' || type === 'ether_addr') return EQ;
  return ORDERED;
}

const EXAMPLES: Partial<Record<DataType, string>> = {
  ipv4_addr: '192.0.2.1',
  ipv6_addr: '2001:db8::1',
  ether_addr: '00:11:22:33:44:55',
  inet_service: '443',
  inet_proto: 'tcp',
  mark: '0x1',
  ifname: 'eth0',
  iface_index: 'lo',
  boolean: 'exists',
  string: 'Linux',
  hex_integer: '0x1',
  classid: '1:10',
  time: '2026-01-01',
  hour: '08:00',
  day: 'Monday',
  uid: '1000',
  gid: '1000',
};

/** A value to show as a placeholder for a field of this type. */
export function exampleValue(type: DataType): string {
  const known = EXAMPLES[type];
  if (known) return known;
  const table = symbolTable(type);
  const first = table ? Object.keys(table)[0] : undefined;
  return first ?? '1';
}

/** A field's id: the selector as nft writes it in full (`meta iifname`, where the listing drops `meta`). */
function idOf(e: Expr): string {
  return e.kind === 'meta' ? `meta ${e.key}` : formatSelector(e);
}

function derived(expr: Expr, info: FieldInfo | { type: DataType; doc: string }, group: RuleFieldGroup, families: readonly Family[] | undefined): RuleField {
  const f: RuleField = { id: idOf(expr), label: info.doc, group, expr, type: info.type, example: exampleValue(info.type), ops: opsFor(info.type) };
  if (families) f.families = families;
  if (info.type === 'boolean') f.ops = EQ;
  return f;
}

const PROTOCOL_FAMILIES: Readonly<Record<string, readonly Family[] | undefined>> = {
  ether: undefined,
  vlan: undefined,
  arp: ['arp', 'bridge', 'netdev'],
  ip: V4,
  icmp: V4,
  igmp: V4,
  ip6: V6,
  icmpv6: V6,
};
const SPACE_FAMILIES: Readonly<Record<ExthdrSpace, readonly Family[]>> = { ip6: V6, ip: V4, tcp: IP_ANY, sctp: IP_ANY };
const L3: readonly Family[] = ['ip', 'ip6', 'inet'];

/** Every other selector of the knowledge tables, grouped, in table order. */
function moreFields(): RuleField[] {
  const common = new Set(RULE_FIELDS.map((f) => f.id));
  const out: RuleField[] = [];
  const add = (f: RuleField): void => {
    if (!common.has(f.id) && !out.some((o) => o.id === f.id)) out.push(f);
  };
  for (const [protocol, fields] of Object.entries(PAYLOAD_FIELDS)) {
    const families = Object.hasOwn(PROTOCOL_FAMILIES, protocol) ? PROTOCOL_FAMILIES[protocol] : IP_ANY;
    for (const [field, info] of Object.entries(fields)) add(derived({ kind: 'payload', protocol, field }, info, 'More header fields', families));
  }
  for (const [key, info] of Object.entries(META_KEYS)) if (key !== 'secpath') add(derived({ kind: 'meta', key }, info, 'More meta keys', undefined));
  for (const [key, info] of Object.entries(CT_KEYS)) {
    // ct saddr/daddr need a family (ct original ip saddr): typed, not listed
    if (key === 'saddr' || key === 'daddr' || info.doc.includes('(set only)')) continue;
    const f = derived({ kind: 'ct', key }, info, 'More conntrack keys', CONNTRACK);
    // a connection's time left is a duration, not a date
    if (info.type === 'time') f.example = '30s';
    add(f);
  }
  for (const space of Object.keys(EXTHDR_SPACES) as ExthdrSpace[]) {
    for (const [name, h] of Object.entries(EXTHDR_SPACES[space].headers)) {
      if (h.listedAs) continue;
      // what a SACK block shares with the first (its existence, its length) is offered once, as sack's
      if (h.exists && !h.sharesWith) add(derived({ kind: 'exthdr', space, name }, { type: 'boolean', doc: `${h.doc} (exists / missing)` }, 'Options and extension headers', SPACE_FAMILIES[space]));
      for (const [field, info] of Object.entries(h.fields)) {
        if (h.indexed?.includes(field) || h.sharesWith?.fields.includes(field)) continue;
        add(derived({ kind: 'exthdr', space, name, field }, info, 'Options and extension headers', SPACE_FAMILIES[space]));
      }
    }
  }
  for (const [key, info] of Object.entries(RT_KEYS)) add(derived({ kind: 'rt', key }, info, 'Routing, sockets, IPsec, OS', L3));
  for (const [key, info] of Object.entries(SOCKET_KEYS)) add(derived({ kind: 'socket', key }, info, 'Routing, sockets, IPsec, OS', L3));
  for (const dir of ['in', 'out'] as const) {
    for (const [key, info] of Object.entries(IPSEC_KEYS)) {
      if (info.family) for (const family of ['ip', 'ip6'] as const) add(derived({ kind: 'ipsec', dir, family, key }, { ...info, type: family === 'ip6' ? 'ipv6_addr' : info.type }, 'Routing, sockets, IPsec, OS', L3));
      else add(derived({ kind: 'ipsec', dir, key }, info, 'Routing, sockets, IPsec, OS', L3));
    }
  }
  for (const [key, info] of Object.entries(OSF_KEYS)) add(derived({ kind: 'osf', key: key as 'name' | 'version' }, info, 'Routing, sockets, IPsec, OS', ['ip', 'inet']));
  return out;
}

/** Every selector the builder lists beyond RULE_FIELDS. */
export const MORE_FIELDS: readonly RuleField[] = moreFields();

const BY_ID = new Map([...RULE_FIELDS, ...MORE_FIELDS].map((f) => [f.id, f]));

/** What a selector is, in words, from the table that defines it. */
function selectorDoc(e: Expr): { type: DataType; doc: string } | undefined {
  const type = exprType(e);
  if (!type) return undefined;
  switch (e.kind) {
    case 'payload': {
      const doc = payloadField(e.protocol, e.field)?.doc;
      return doc ? { type, doc: e.tunnel ? `${doc}, in the packet inside the ${e.tunnel} tunnel` : doc } : undefined;
    }
    case 'ct':
      return CT_KEYS[e.key] ? { type, doc: `${CT_KEYS[e.key].doc}${e.dir ? `, of the ${e.dir} direction` : ''}` } : undefined;
    case 'exthdr': {
      if (e.raw) return { type, doc: `${e.raw.len} bits at bit ${e.raw.offset} of TCP option ${e.name}` };
      if (e.field === undefined) {
        const h = headerInfo(e.space, e.name);
        return { type, doc: h ? `${h.doc} (exists / missing)` : `TCP option ${e.name} (exists / missing)` };
      }
      const doc = exthdrField(e.space, e.name, e.field)?.doc;
      return doc ? { type, doc: e.index !== undefined ? `${doc} (entry ${e.index})` : doc } : undefined;
    }
    case 'rawpayload':
      return { type, doc: `${e.len} bits at bit ${e.offset} from the ${{ ll: 'link-layer', nh: 'network', th: 'transport', ih: 'inner' }[e.base]} header` };
    case 'ipsec':
      return Object.hasOwn(IPSEC_KEYS, e.key) ? { type, doc: `${IPSEC_KEYS[e.key].doc}${e.spnum ? `, policy ${e.spnum}` : ''}` } : undefined;
    case 'osf':
      return { type, doc: `${OSF_KEYS[e.key].doc}${e.ttl ? `, TTL compared ${e.ttl}` : ''}` };
    case 'rt':
      return Object.hasOwn(RT_KEYS, e.key) ? { type, doc: RT_KEYS[e.key].doc } : undefined;
    default:
      return undefined;
  }
}

/** The selector kinds a field may be (a concatenation, a bit operation or a lookup is not one field). */
const FIELD_KINDS: ReadonlySet<Expr['kind']> = new Set(['payload', 'meta', 'ct', 'exthdr', 'rawpayload', 'ipsec', 'osf', 'rt', 'socket']);

/** A field for a selector that is in no list (`ct original ip saddr`, `@nh,8,8`), if it is one. */
function fieldOfExpr(e: Expr): RuleField | undefined {
  if (!FIELD_KINDS.has(e.kind)) return undefined;
  const d = selectorDoc(e);
  if (!d) return undefined;
  const families: readonly Family[] | undefined = e.kind === 'payload' && !e.tunnel ? (Object.hasOwn(PROTOCOL_FAMILIES, e.protocol) ? PROTOCOL_FAMILIES[e.protocol] : IP_ANY) : e.kind === 'ct' ? CONNTRACK : undefined;
  return derived(e, d, 'Typed selector', families);
}

/** A selector typed into the field picker, as a field (undefined: not one selector nft-designer structures). */
export function fieldOfSelectorText(text: string): RuleField | undefined {
  const id = text.trim().replace(/\s+/g, ' ');
  const known = BY_ID.get(id);
  if (known) return known;
  const e = parseSelectorText(id);
  return e ? ruleFieldOf(e) : undefined;
}

export function ruleField(id: string): RuleField | undefined {
  return BY_ID.get(id) ?? fieldOfSelectorText(id);
}

/** The field a selector expression is, if the builder can show it (`iifname` and `meta iifname` alike). */
export function ruleFieldOf(e: Expr): RuleField | undefined {
  if (!FIELD_KINDS.has(e.kind)) return undefined;
  return BY_ID.get(idOf(e)) ?? fieldOfExpr(e);
}

/** The common fields whose packets exist in this family (arp tables see only meta and ethernet fields). */
export function ruleFieldsFor(family: Family): RuleField[] {
  return RULE_FIELDS.filter((f) => (f.families ? f.families.includes(family) : true) && (family !== 'arp' || f.group === 'Meta' || f.group === 'Interface' || f.group === 'Ethernet'));
}

/** The common fields, then every other selector whose packets exist in this family (the match picker's list). */
export function allRuleFieldsFor(family: Family): RuleField[] {
  return [...ruleFieldsFor(family), ...MORE_FIELDS.filter((f) => (f.families ? f.families.includes(family) : family !== 'arp' || f.expr.kind === 'meta'))];
}

/** Symbols a value of this field may be written as (`established`, `syn`, `echo-request`), for suggestions. */
export function fieldSymbols(f: RuleField): string[] {
  const table = symbolTable(f.type);
  if (!table) return [];
  // aliases that print as another name (`unicast` is `host`, `vlan` is `8021q`, `df`/`be` are `cs0`) are left out
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
