/**
 * Values per datatype: the symbols nft knows, how it prints a value in a listing
 * (canonical form), and how it orders set elements. nft sorts set elements by
 * their binary value (`list_expr_sort`), prints bitmask lists in bit order and
 * port/protocol numbers the way netbase names them.
 */
import type { Expr } from '../model/expr.ts';
import type { DataType } from './expressions.ts';
import { BARE_META_KEYS, CT_KEYS, FIB_RESULTS, META_KEYS, RT_KEYS, SOCKET_KEYS, payloadField } from './expressions.ts';
import { IPSEC_KEYS, exthdrField } from './exthdr.ts';
import { PROTOCOLS, SERVICES } from './netdb.ts';

export type { DataType } from './expressions.ts';

export const CT_STATES: Readonly<Record<string, number>> = { invalid: 1, established: 2, related: 4, new: 8, untracked: 64 };
export const CT_STATUS: Readonly<Record<string, number>> = {
  expected: 1, 'seen-reply': 2, assured: 4, confirmed: 8, snat: 16, dnat: 32, dying: 512,
};
export const TCP_FLAGS: Readonly<Record<string, number>> = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ecn: 64, cwr: 128 };
/** nft's igmp_type symbols (`nft describe igmp type`, 1.0.6 and 1.1.3 alike). */
export const IGMP_TYPES: Readonly<Record<string, number>> = { 'membership-query': 17, 'membership-report-v1': 18, 'membership-report-v2': 22, 'membership-report-v3': 34, 'leave-group': 23 };
export const ICMP_TYPES: Readonly<Record<string, number>> = {
  'echo-reply': 0, 'destination-unreachable': 3, 'source-quench': 4, redirect: 5, 'echo-request': 8,
  'router-advertisement': 9, 'router-solicitation': 10, 'time-exceeded': 11, 'parameter-problem': 12,
  'timestamp-request': 13, 'timestamp-reply': 14, 'info-request': 15, 'info-reply': 16,
  'address-mask-request': 17, 'address-mask-reply': 18,
};
export const ICMPV6_TYPES: Readonly<Record<string, number>> = {
  'destination-unreachable': 1, 'packet-too-big': 2, 'time-exceeded': 3, 'parameter-problem': 4,
  'echo-request': 128, 'echo-reply': 129, 'mld-listener-query': 130, 'mld-listener-report': 131,
  'mld-listener-done': 132, 'mld-listener-reduction': 132, 'nd-router-solicit': 133, 'nd-router-advert': 134, 'nd-neighbor-solicit': 135,
  'nd-neighbor-advert': 136, 'nd-redirect': 137, 'router-renumbering': 138, 'ind-neighbor-solicit': 141,
  'ind-neighbor-advert': 142, 'mld2-listener-report': 143,
};
export const ICMP_CODES: Readonly<Record<string, number>> = {
  'net-unreachable': 0, 'host-unreachable': 1, 'prot-unreachable': 2, 'port-unreachable': 3,
  'frag-needed': 4, 'net-prohibited': 9, 'host-prohibited': 10, 'admin-prohibited': 13,
};
export const ICMPV6_CODES: Readonly<Record<string, number>> = {
  'no-route': 0, 'admin-prohibited': 1, 'addr-unreachable': 3, 'port-unreachable': 4, 'policy-fail': 5, 'reject-route': 6,
};
export const ICMPX_CODES: Readonly<Record<string, number>> = {
  'port-unreachable': 1, 'admin-prohibited': 3, 'no-route': 0, 'host-unreachable': 2,
};
export const PKT_TYPES: Readonly<Record<string, number>> = { host: 0, unicast: 0, broadcast: 1, multicast: 2, other: 3 };
export const NFPROTOS: Readonly<Record<string, number>> = { ipv4: 2, ipv6: 10 };
export const CT_DIRS: Readonly<Record<string, number>> = { original: 0, reply: 1 };
/** `meta day`: nft lists a day quoted ("Monday"); 7 and above are no day */
export const DAYS: Readonly<Record<string, number>> = { Sunday: 0, Monday: 1, Tuesday: 2, Wednesday: 3, Thursday: 4, Friday: 5, Saturday: 6 };
/** `meta iiftype`, `meta oiftype` (ARPHRD_*) */
export const IFACE_TYPES: Readonly<Record<string, number>> = { ether: 0x0001, ppp: 0x0200, ipip: 0x0300, ipip6: 0x0301, loopback: 0x0304, sit: 0x0308, ipgre: 0x030a };
/** `ct event set new,destroy`: the conntrack events a connection reports (bits) */
export const CT_EVENTS: Readonly<Record<string, number>> = { new: 0x1, related: 0x2, destroy: 0x4, reply: 0x8, assured: 0x10, protoinfo: 0x20, helper: 0x40, mark: 0x80, seqadj: 0x100, secmark: 0x200, label: 0x400 };
/** In nft's order: the first name of a value is the one it lists (`8021q` for 0x8100; `vlan` is read too). */
export const ETHER_TYPES: Readonly<Record<string, number>> = { ip: 0x0800, arp: 0x0806, ip6: 0x86dd, '8021q': 0x8100, vlan: 0x8100, '8021ad': 0x88a8 };
export const DSCP: Readonly<Record<string, number>> = {
  cs0: 0, cs1: 8, cs2: 16, cs3: 24, cs4: 32, cs5: 40, cs6: 48, cs7: 56, df: 0, be: 0, lephb: 1,
  af11: 10, af12: 12, af13: 14, af21: 18, af22: 20, af23: 22, af31: 26, af32: 28, af33: 30,
  af41: 34, af42: 36, af43: 38, va: 44, ef: 46,
};
export const FIB_ADDRTYPES: Readonly<Record<string, number>> = {
  unspec: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6, unreachable: 7, prohibit: 8,
};

export const ECN: Readonly<Record<string, number>> = { 'not-ect': 0, ect1: 1, ect0: 2, ce: 3 };
/** ARP operations (`arp operation request`). */
export const ARP_OPS: Readonly<Record<string, number>> = { request: 1, reply: 2, rrequest: 3, rreply: 4, inrequest: 8, inreply: 9, nak: 10 };
/** IPv6 mobility header types (`mh type binding-update`), as nft describe lists them. */
/** DCCP packet types (`dccp type request`): nft's dccp_pkttype, listed in value order in a set */
export const DCCP_PKT_TYPES: Readonly<Record<string, number>> = { request: 0, response: 1, data: 2, ack: 3, dataack: 4, closereq: 5, close: 6, reset: 7, sync: 8, syncack: 9 };
export const MH_TYPES: Readonly<Record<string, number>> = {
  'binding-refresh-request': 0, 'home-test-init': 1, 'careof-test-init': 2, 'home-test': 3, 'careof-test': 4,
  'binding-update': 5, 'binding-acknowledgement': 6, 'binding-error': 7, 'fast-binding-update': 8,
  'fast-binding-acknowledgement': 9, 'fast-binding-advertisement': 10, 'experimental-mobility-header': 11,
  'home-agent-switch-message': 12,
};
/**
 * MPTCP option subtypes (`tcp option mptcp subtype mp-join`): names nft 1.1 reads
 * and lists; nft 1.0.6 reads and lists only the numbers (stmts/listingValues.ts).
 */
export const MPTCP_SUBTYPES: Readonly<Record<string, number>> = {
  'mp-capable': 0, 'mp-join': 1, dss: 2, 'add-addr': 3, 'remove-addr': 4, 'mp-prio': 5, 'mp-fail': 6, 'mp-fastclose': 7, 'mp-tcprst': 8,
};
/** The levels of the log statement (`log level warn`); nft knows no others and no numbers. */
export const LOG_LEVELS: readonly string[] = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug', 'audit'];
/** The flags of the log statement, as libnftables JSON names them, in the order nft lists them. */
export const LOG_FLAGS: readonly string[] = ['tcp sequence', 'tcp options', 'ip options', 'skuid', 'ether'];

/** Log flags as nft keeps them: each once, in listing order; all of them is `all`. */
export function canonicalLogFlags(flags: readonly string[]): string[] {
  const set = new Set(flags.includes('all') ? LOG_FLAGS : flags);
  const out = LOG_FLAGS.filter((f) => set.has(f));
  return out.length === LOG_FLAGS.length ? ['all'] : out;
}

/** ` flags tcp sequence,options flags skuid` — how nft writes a log statement's flags. */
export function formatLogFlags(flags: readonly string[]): string {
  const c = canonicalLogFlags(flags);
  if (c[0] === 'all') return ' flags all';
  const tcp = c.filter((f) => f.startsWith('tcp ')).map((f) => f.slice(4));
  return `${tcp.length ? ` flags tcp ${tcp.join(',')}` : ''}${c
    .filter((f) => !f.startsWith('tcp '))
    .map((f) => ` flags ${f}`)
    .join('')}`;
}

/**
 * The datatypes whose values can be written as words, with nft's own name of the
 * datatype (what `nft describe` prints in parentheses) and an expression `nft
 * describe` lists the symbols of (a kernel test compares both with nft 1.0.6 and
 * 1.1.3). icmpx_code has no expression of its own: reject with icmpx is its only use.
 */
export const SYMBOLIC_TYPES = {
  ct_state: { what: 'conntrack state', describe: 'ct state' },
  ct_status: { what: 'conntrack status', describe: 'ct status' },
  ct_dir: { what: 'conntrack direction', describe: 'ct direction' },
  tcp_flag: { what: 'TCP flag', describe: 'tcp flags' },
  icmp_type: { what: 'ICMP type', describe: 'icmp type' },
  icmpv6_type: { what: 'ICMPv6 type', describe: 'icmpv6 type' },
  igmp_type: { what: 'IGMP type', describe: 'igmp type' },
  icmp_code: { what: 'icmp code', describe: 'icmp code' },
  icmpv6_code: { what: 'icmpv6 code', describe: 'icmpv6 code' },
  icmpx_code: { what: 'icmpx code', describe: undefined },
  pkt_type: { what: 'packet type', describe: 'meta pkttype' },
  nfproto: { what: 'netfilter protocol', describe: 'meta nfproto' },
  ether_type: { what: 'Ethernet protocol', describe: 'ether type' },
  dscp: { what: 'Differentiated Services Code Point', describe: 'ip dscp' },
  ecn: { what: 'Explicit Congestion Notification', describe: 'ip ecn' },
  fib_addrtype: { what: 'fib address type', describe: 'fib daddr type' },
  mh_type: { what: 'Mobility Header Type', describe: 'mh type' },
  dccp_pkttype: { what: 'DCCP packet type', describe: 'dccp type' },
  day: { what: 'day of the week', describe: 'meta day' },
  iface_type: { what: 'network interface type', describe: 'meta iiftype' },
  ct_event: { what: 'conntrack event', describe: 'ct event' },
} as const satisfies Partial<Record<DataType, { what: string; describe: string | undefined }>>;
export type SymbolicType = keyof typeof SYMBOLIC_TYPES;

export function isSymbolicType(t: DataType | undefined): t is SymbolicType {
  return t !== undefined && Object.hasOwn(SYMBOLIC_TYPES, t);
}

/** Every word of every symbol table (Monaco highlights and completes them). */
export function allSymbols(): string[] {
  return (Object.keys(SYMBOLIC_TYPES) as SymbolicType[]).flatMap((t) => Object.keys(symbolTable(t) ?? {}));
}

const PROTO_BY_NAME = new Map<string, number>(PROTOCOLS.map(([n, v]) => [n, v]));
PROTO_BY_NAME.set('icmpv6', 58);
// nft's grammar reads these keywords as protocols itself (parser_bison.y: IPPROTO_COMP), /etc/protocols or not
PROTO_BY_NAME.set('comp', 108);
const PROTO_NAME = new Map<number, string>();
// 0 is `ip` (nft lists `ip protocol 0`, `meta l4proto 0`, `hbh nexthdr 0` as ip)
for (const [n, v] of PROTOCOLS) if (!PROTO_NAME.has(v)) PROTO_NAME.set(v, n);
const SERVICE_PORT = new Map<string, number>(SERVICES);

/** The symbol table of a datatype, if it has one. */
export function symbolTable(type: DataType): Readonly<Record<string, number>> | undefined {
  switch (type) {
    case 'ct_state':
      return CT_STATES;
    case 'ct_status':
      return CT_STATUS;
    case 'tcp_flag':
      return TCP_FLAGS;
    case 'icmp_type':
      return ICMP_TYPES;
    case 'igmp_type':
      return IGMP_TYPES;
    case 'icmpv6_type':
      return ICMPV6_TYPES;
    case 'icmp_code':
      return ICMP_CODES;
    case 'icmpv6_code':
      return ICMPV6_CODES;
    case 'icmpx_code':
      return ICMPX_CODES;
    case 'pkt_type':
      return PKT_TYPES;
    case 'nfproto':
      return NFPROTOS;
    case 'ct_dir':
      return CT_DIRS;
    case 'ether_type':
      return ETHER_TYPES;
    case 'dscp':
      return DSCP;
    case 'fib_addrtype':
      return FIB_ADDRTYPES;
    case 'ecn':
      return ECN;
    case 'mh_type':
      return MH_TYPES;
    case 'arp_op':
      return ARP_OPS;
    case 'dccp_pkttype':
      return DCCP_PKT_TYPES;
    case 'mptcp_subtype':
      return MPTCP_SUBTYPES;
    case 'day':
      return DAYS;
    case 'iface_type':
      return IFACE_TYPES;
    case 'ct_event':
      return CT_EVENTS;
    default:
      return undefined;
  }
}

/** Bitmask types: an operator-less match is a bit test (`ct state established,related`). */
export function isBitmask(type: DataType | undefined): boolean {
  return type === 'ct_state' || type === 'ct_status' || type === 'tcp_flag' || type === 'ct_event' || type === 'ct_label';
}

/** Prefix notation is used when printing intervals of these types. */
export function isPrefixType(type: DataType | undefined): boolean {
  return type === 'ipv4_addr' || type === 'ipv6_addr';
}

/** How many elements nft prints per line in a named set's `elements = { … }`. */
export function elementsPerLine(type: DataType | undefined, concat: boolean): number {
  if (concat) return 1;
  switch (type) {
    case 'inet_proto':
    case 'inet_service':
    case 'mark':
    case 'integer':
    case 'nfproto':
    case 'tcp_flag':
    case 'iface_index':
    case 'classid':
    case 'uid':
    case 'gid':
    case 'ct_dir':
      return 5;
    case 'ipv4_addr':
    case 'ct_state':
    case 'ct_status':
    case 'pkt_type':
      return 2;
    default:
      return 1;
  }
}

/** Datatype named in a set declaration's `type` (ipv4_addr, inet_service, …). */
export const SET_TYPES: readonly DataType[] = [
  'ipv4_addr', 'ipv6_addr', 'ether_addr', 'inet_proto', 'inet_service', 'mark', 'ifname', 'iface_index',
  'ct_state', 'ct_status', 'tcp_flag', 'icmp_type', 'icmpv6_type', 'nfproto', 'pkt_type', 'ether_type',
  'dscp', 'classid', 'uid', 'gid', 'verdict',
];

/** The width in bits of a value of each type a set declaration's `type` names (what nft checks an element against). */
export const SET_TYPE_BITS: Readonly<Partial<Record<DataType, number>>> = {
  ipv4_addr: 32, ipv6_addr: 128, ether_addr: 48, inet_proto: 8, inet_service: 16, mark: 32, iface_index: 32,
  ct_state: 32, ct_status: 32, tcp_flag: 8, icmp_type: 8, icmpv6_type: 8, nfproto: 8, pkt_type: 8, ether_type: 16,
  dscp: 6, classid: 32, uid: 32, gid: 32,
};

/** What a chain of bit operations operates on (`meta mark` of `meta mark >> 8 & 0xf`); `e` itself when it is none. */
export function bitBase(e: Expr): Expr {
  while (e.kind === 'binop') e = e.left;
  return e;
}

/** Is there a shift in a chain of bit operations (`meta mark >> 8 & 0xf`)? */
export function hasShift(e: Expr): boolean {
  for (; e.kind === 'binop'; e = e.left) if (e.op === '<<' || e.op === '>>') return true;
  return false;
}

/** The datatype of an expression (left side of a match), when known. */
export function exprType(e: Expr): DataType | undefined {
  switch (e.kind) {
    case 'payload':
      return payloadField(e.protocol, e.field)?.type;
    case 'exthdr':
      if (e.field === undefined) return e.raw ? 'integer' : 'boolean';
      return exthdrField(e.space, e.name, e.field)?.type;
    case 'rawpayload':
      return 'hex_integer';
    case 'ipsec': {
      const t = Object.hasOwn(IPSEC_KEYS, e.key) ? IPSEC_KEYS[e.key].type : undefined;
      return t === 'ipv4_addr' && e.family === 'ip6' ? 'ipv6_addr' : t;
    }
    case 'osf':
      return 'string';
    case 'meta':
      return META_KEYS[e.key]?.type;
    case 'ct': {
      if (e.key === 'saddr' || e.key === 'daddr') return e.family === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
      return CT_KEYS[e.key]?.type;
    }
    case 'fib':
      return FIB_RESULTS[e.result];
    case 'binop':
      // a bit operation keeps the type of what it operates on: the base of its chain
      return exprType(bitBase(e));
    case 'socket':
      return Object.hasOwn(SOCKET_KEYS, e.key) ? SOCKET_KEYS[e.key].type : undefined;
    case 'rt': {
      const t = Object.hasOwn(RT_KEYS, e.key) ? RT_KEYS[e.key].type : undefined;
      return t === 'ipv4_addr' && e.family === 'ip6' ? 'ipv6_addr' : t;
    }
    case 'numgen':
    case 'hash':
      return 'integer';
    default:
      return undefined;
  }
}

export function isBareMetaKey(word: string): boolean {
  return BARE_META_KEYS.has(word);
}

// ---------------------------------------------------------------------------
// canonical printing of one value

const DEC_RE = /^\d+$/;

/** digits only, no leading zero (already nft's spelling of a number) */
function isPlainDecimal(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 15 || (n > 1 && text.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
const HEX_RE = /^0x[0-9a-fA-F]+$/;

export function parseInteger(text: string): bigint | undefined {
  if (DEC_RE.test(text)) return BigInt(text);
  if (HEX_RE.test(text)) return BigInt(text);
  return undefined;
}

/** The value nft stores for a service name or number, or undefined. */
export function servicePort(text: string): number | undefined {
  if (DEC_RE.test(text)) return Number(text);
  if (HEX_RE.test(text)) return Number.parseInt(text, 16);
  return SERVICE_PORT.get(text);
}

export function protocolNumber(text: string): number | undefined {
  if (DEC_RE.test(text)) return Number(text);
  return PROTO_BY_NAME.get(text);
}

/** Symbolic types nft lists an unnamed value of in hex, with these many digits. */
const HEX_WIDTH: Partial<Record<DataType, number>> = { dscp: 2, ecn: 2, ether_type: 4 };

/**
 * One value as nft lists it, given the datatype of what it is compared with or
 * stored in. Unknown spellings are returned unchanged (nft will judge them).
 */
export function formatValue(text: string, type: DataType | undefined): string {
  const c0 = text.charCodeAt(0);
  if (c0 === 36 /* $ */ || c0 === 64 /* @ */ || text === 'exists' || text === 'missing') return text;
  switch (type) {
    case 'inet_service': {
      if (isPlainDecimal(text)) return text;
      const p = servicePort(text);
      return p === undefined ? text : String(p);
    }
    case 'inet_proto': {
      const n = protocolNumber(HEX_RE.test(text) ? BigInt(text).toString() : text);
      if (n === undefined) return text;
      return PROTO_NAME.get(n) ?? String(n);
    }
    case 'mark': {
      const v = parseInteger(text);
      return v === undefined ? text : `0x${v.toString(16).padStart(8, '0')}`;
    }
    case 'ifname':
    case 'string':
      return quote(text);
    case 'iface_index':
      // an index nft cannot name is listed as the number (`fib saddr . iif oif != 0`); quoted it would be a name
      return /^\d+$/.test(text) ? text : quote(text);
    case 'ether_addr':
      return /^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/.test(text)
        ? text.split(':').map((b) => b.toLowerCase().padStart(2, '0')).join(':')
        : text;
    case 'ipv6_addr':
      return formatIp6(text) ?? text;
    case 'ipv4_addr':
      return formatIp4(text) ?? text;
    case 'uid':
    case 'gid':
      return text === 'root' ? '0' : text;
    case 'time':
      return formatDuration(text) ?? text;
    case 'date':
      return formatDate(text) ?? text;
    case 'integer':
      // nft lists a plain integer in decimal (`ip ttl 0x10` as `ip ttl 16`)
      return HEX_RE.test(text) ? BigInt(text).toString() : text;
    case 'hex_integer': {
      // raw payload values: nft lists them in hex, without padding
      const v = parseInteger(text);
      return v === undefined ? text : `0x${v.toString(16)}`;
    }
    case 'day': {
      // nft lists a day by its name, quoted (`meta day 1` is `meta day "Monday"`)
      const d = unquote(text);
      const v = DEC_RE.test(d) ? Number(d) : Object.hasOwn(DAYS, d) ? DAYS[d] : undefined;
      const name = v === undefined ? undefined : Object.keys(DAYS).find((k) => DAYS[k] === v);
      return name !== undefined ? `"${name}"` : text;
    }
    case 'mh_type':
    case 'arp_op':
    case 'dccp_pkttype':
    case 'ct_state':
    case 'ct_status':
    case 'tcp_flag':
    case 'icmp_type':
    case 'igmp_type':
    case 'icmpv6_type':
    case 'icmp_code':
    case 'icmpv6_code':
    case 'pkt_type':
    case 'nfproto':
    case 'ct_dir':
    case 'iface_type':
    case 'dscp':
    case 'ecn':
    case 'ether_type': {
      // a number or an alias is listed by nft's first name for that value (`unicast` as `host`,
      // `df` as `cs0`, `8` as `cs1`, `0x8100` as `8021q`); a DSCP, ECN or ether type value
      // without a name in hex of its width (`0x05`, `0x00ff`)
      const table = symbolTable(type);
      if (!table) return text;
      const width = HEX_WIDTH[type];
      const v = DEC_RE.test(text) || (width && HEX_RE.test(text)) ? Number(text) : Object.hasOwn(table, text) ? table[text] : undefined;
      if (v === undefined || (width && v >= 16 ** width)) return text;
      const name = Object.keys(table).find((k) => table[k] === v);
      if (name !== undefined) return name;
      return width ? `0x${v.toString(16).padStart(width, '0')}` : text;
    }
    default:
      return text;
  }
}

export function quote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text;
  return `"${text}"`;
}

export function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** Dotted quad without leading zeros, or undefined if `text` is not an IPv4 address. */
/** An IPv4 address written as one number (`0x01020304`, `16909060`), which nft reads as the address: its value. */
function ip4AsNumber(text: string): number | undefined {
  const c0 = text.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return undefined;
  const v = DEC_RE.test(text) || HEX_RE.test(text) ? Number(text) : undefined;
  return v !== undefined && v <= 0xffffffff ? v : undefined;
}

export function formatIp4(text: string): string | undefined {
  const n = text.includes('.') ? undefined : ip4AsNumber(text);
  if (n !== undefined) return bigToIp4(BigInt(n));
  let parts = 0;
  let value = 0;
  let digits = 0;
  let canonical = true;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) canonical = false;
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0) return undefined;
      parts++;
      value = 0;
      digits = 0;
    } else return undefined;
  }
  if (parts !== 4) return undefined;
  return canonical ? text : text.split('.').map(Number).join('.');
}

/** A dotted quad as an unsigned 32-bit number, or undefined. */
export function ip4ToNumber(text: string): number | undefined {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return v * 256 + part;
}

/** In plain arithmetic, then one BigInt: this orders every element of a set of a million addresses. */
export function ip4ToBig(text: string): bigint | undefined {
  const n = ip4ToNumber(text);
  return n === undefined ? undefined : BigInt(n);
}

/** An IPv4 address's value, dotted or written as one number (`0x01020304`), where the type says it is an address. */
export function ip4Value(text: string): bigint | undefined {
  const n = text.includes('.') ? ip4ToNumber(text) : ip4AsNumber(text);
  return n === undefined ? undefined : BigInt(n);
}

export function bigToIp4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

export function ip6ToBig(text: string): bigint | undefined {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = ip4ToBig(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8 || !groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
  let v = groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

/** inet_ntop style: lowercase, no leading zeros, the longest run (≥2) of zero groups as "::", IPv4-mapped and -compatible tails dotted. */
export function bigToIp6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // IPv4-mapped ::ffff:a.b.c.d, and IPv4-compatible ::a.b.c.d (glibc's inet_ntop, which nft lists with:
  // the first six groups zero and the seventh not, `::1234:1234` → `::18.52.18.52`)
  if (bestStart === 0 && bestLen === 5 && groups[5] === 0xffff) {
    return `::ffff:${bigToIp4(v & 0xffffffffn)}`;
  }
  if (bestStart === 0 && bestLen === 6) return `::${bigToIp4(v & 0xffffffffn)}`;
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/** The 8 groups of an IPv6 address (without BigInt: this runs for every address printed). */
function ip6Groups(text: string): number[] | undefined {
  let s = text;
  if (s.charCodeAt(0) === 91 && s.charCodeAt(s.length - 1) === 93) s = s.slice(1, -1);
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  let tail: number[] = [];
  if (s.indexOf('.', lastColon) > 0) {
    const v4 = formatIp4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    const b = v4.split('.').map(Number);
    tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    // drop the dotted tail, keeping a "::" right before it ("::1.2.3.4" → "::")
    s = s.charCodeAt(lastColon - 1) === 58 ? s.slice(0, lastColon + 1) : s.slice(0, lastColon);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.length === 0 || g.length > 4 || !/^[0-9A-Fa-f]+$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 2 ? known > 7 : known !== 8) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

/** inet_ntop style: lowercase, no leading zeros, the longest run (≥2) of zero groups as "::". */
export function formatIp6(text: string): string | undefined {
  const g = ip6Groups(text);
  if (!g) return undefined;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  // IPv4-compatible (glibc's inet_ntop, as nft lists it): the first six groups zero, the seventh not
  if (bestStart === 0 && bestLen === 6) return `::${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const DURATION_RE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds of an nft time string (`1h30m`, `90s`, `250ms`), or undefined. */
export function durationMs(text: string): number | undefined {
  if (DEC_RE.test(text)) return Number(text) * 1000;
  const m = DURATION_RE.exec(text);
  if (!m || text === '') return undefined;
  const [d, h, mi, s, ms] = m.slice(1).map((x) => (x ? Number(x) : 0));
  return (((d * 24 + h) * 60 + mi) * 60 + s) * 1000 + ms;
}

/** nft's time printing: `1d2h3m4s`, `1m30s`, `500ms`. */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor(ms / 3_600_000) % 24;
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const rest = ms % 1000;
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}${rest ? `${rest}ms` : ''}`;
}

export function formatDuration(text: string): string | undefined {
  const ms = durationMs(text);
  return ms === undefined ? undefined : formatDurationMs(ms);
}

const DATE_RE = /^"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?"$/;

/**
 * A date as nft lists it (`meta time`): `"2025-01-01 10:00"` as `"2025-01-01
 * 10:00:00"`; seconds since 1970 as that moment in local time, as nft prints it
 * (both in the time zone of the host, as nft). Undefined for what is no date.
 */
export function formatDate(text: string): string | undefined {
  const m = DATE_RE.exec(text);
  if (m) {
    const [mo, d, h, mi, se] = [m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return undefined;
    return `"${m[1]}-${m[2]}-${m[3]} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}"`;
  }
  if (!/^\d{1,12}$/.test(text)) return undefined;
  const d = new Date(Number(text) * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `"${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}"`;
}

/** Is the word a date nft reads (`"YYYY-MM-DD"`, with `HH:MM` or `HH:MM:SS`, or seconds since 1970)? */
export function isDate(text: string): boolean {
  return formatDate(text) !== undefined;
}

/**
 * One end of a range as nft lists it: a symbolic type's number (`ip protocol
 * 33-45`, `icmp type 3-8`), in hex for bitmasks (`ct state 0x1-0x4`), times in
 * seconds (`ct expiration 60s-3600s`); other values as formatValue prints them.
 */
export function formatRangeEnd(text: string, type: DataType | undefined): string {
  if (type === 'time') {
    const ms = durationMs(text);
    return ms !== undefined && ms % 1000 === 0 ? `${ms / 1000}s` : formatValue(text, type);
  }
  if (type === 'inet_proto' || (type !== undefined && type !== 'mptcp_subtype' && symbolTable(type))) {
    const v = valueOrder(text, type);
    if (v === undefined) return formatValue(text, type);
    const width = HEX_WIDTH[type];
    if (width) return `0x${v.toString(16).padStart(width, '0')}`;
    return isBitmask(type) ? `0x${v.toString(16)}` : v.toString();
  }
  return formatValue(text, type);
}

/**
 * The values of nft's interface type names (its arphrd table: ARPHRD_ETHER,
 * ARPHRD_PPP, ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_LOOPBACK, ARPHRD_SIT,
 * ARPHRD_IPGRE), by which nft orders them in a set (`{ ether, ppp, ipip, ipip6,
 * loopback, sit, ipgre }`, 1.0.6 and 1.1.3 alike).
 */
const IFACE_TYPE_ORDER: Readonly<Record<string, number>> = { ether: 1, ppp: 512, ipip: 768, ipip6: 769, loopback: 772, sit: 776, ipgre: 778 };

/** Device group names of iproute2's /etc/iproute2/group that nft resolves: `"default"` is 0 (it sorts first). */
const DEVGROUP_ORDER: Readonly<Record<string, number>> = { default: 0 };

/**
 * Sort key of a value of a datatype (nft orders set elements by their stored
 * binary value). Strings compare as nft's host-endian byte arrays: from the last
 * byte of the padded buffer towards the first, so shorter names come first.
 */
export function valueOrder(text: string, type: DataType | undefined): bigint | undefined {
  switch (type) {
    case 'iface_type': {
      const n = Object.hasOwn(IFACE_TYPE_ORDER, text) ? IFACE_TYPE_ORDER[text] : undefined;
      return n === undefined ? parseInteger(text) : BigInt(n);
    }
    case 'devgroup': {
      const n = Object.hasOwn(DEVGROUP_ORDER, unquote(text)) ? DEVGROUP_ORDER[unquote(text)] : undefined;
      return n === undefined ? parseInteger(text) : BigInt(n);
    }
    case 'ipv4_addr':
      return ip4Value(text);
    case 'ipv6_addr':
      return ip6ToBig(text);
    case 'inet_service': {
      const p = servicePort(text);
      return p === undefined ? undefined : BigInt(p);
    }
    case 'inet_proto': {
      const n = protocolNumber(text);
      return n === undefined ? undefined : BigInt(n);
    }
    case 'ether_addr': {
      if (!/^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/.test(text)) return undefined;
      return BigInt(`0x${text.split(':').map((b) => b.padStart(2, '0')).join('')}`);
    }
    case 'time': {
      const ms = durationMs(text);
      return ms === undefined ? undefined : BigInt(ms);
    }
    case 'boolean':
      // `exists` / `missing` of a header, an option or a secpath
      if (text === 'exists' || text === 'true') return 1n;
      if (text === 'missing' || text === 'false') return 0n;
      return parseInteger(text);
    case 'ifname':
    case 'iface_index':
    case 'string': {
      const s = unquote(text);
      const bytes = new TextEncoder().encode(s);
      let v = 0n;
      for (let i = Math.min(bytes.length, 16) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
      return v;
    }
    case 'day': {
      const d = unquote(text);
      return Object.hasOwn(DAYS, d) ? BigInt(DAYS[d]) : parseInteger(d);
    }
    default: {
      const table = type ? symbolTable(type) : undefined;
      if (table && text in table) return BigInt(table[text]);
      return parseInteger(text);
    }
  }
}

/** Edit distance of two short words (for "did you mean …?"), capped: above `max` it returns max + 1. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // optimal string alignment: a swap of two neighbours (tpc → tcp) is one edit
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** The closest of `known` to `word` (within 2 edits), for a "did you mean" hint. */
export function closestWord(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k, 2);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

const NUMBER_RE = /^(?:\d+|0x[0-9a-fA-F]+)$/;

/**
 * Why a word written where a value of `type` goes is not one nft reads, or
 * undefined when it is (a number, or one of the datatype's symbols; protocol and
 * service names as Debian's netbase lists them, which nft resolves through the
 * host's /etc/protocols and /etc/services). Types without symbols are not judged.
 */
export function symbolProblem(word: string, type: DataType | undefined): string | undefined {
  // an IPv4 address may be written as one number (0x01020304), an IPv6 address not
  if (type === 'ipv6_addr' && NUMBER_RE.test(word)) return `${word} is not an IPv6 address: write it with colons, like ::1 (nft: Could not resolve hostname)`;
  // a conntrack label is a bit number, 0 to 127 (or a name of /etc/connlabel.conf)
  if (type === 'ct_label' && NUMBER_RE.test(word)) return Number(word) <= 127 ? undefined : `${word} is not a conntrack label: labels are the bits 0 to 127 (nft: Could not parse conntrack label)`;
  // a day is read quoted or not ("Monday" is how nft lists it), and as a number only 0 (Sunday) to 6
  if (type === 'day') {
    const d = word.startsWith('"') && word.endsWith('"') && word.length >= 2 ? word.slice(1, -1) : word;
    if (NUMBER_RE.test(d)) return Number(d) <= 6 ? undefined : `${d} is not a day of the week: nft reads 0 (Sunday) to 6 (Saturday), or the day's name`;
    if (Object.hasOwn(DAYS, d)) return undefined;
    const hint = closestWord(d, Object.keys(DAYS));
    return `"${d}" is not a day of the week${hint ? `; did you mean "${hint}"?` : ''} (nft knows ${Object.keys(DAYS).join(', ')}, or 0 to 6)`;
  }
  if (type === undefined || NUMBER_RE.test(word)) return undefined;
  if (type === 'date') return isDate(word) ? undefined : `${word.startsWith('"') ? word : `"${word}"`} is not a date: nft reads "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" in local time, or seconds since 1970 (nft: Cannot parse date)`;
  // an option's or header's existence reads exists / missing (or a number): `tcp option sack-perm true` is refused
  if (type === 'boolean') return word === 'exists' || word === 'missing' ? undefined : `"${word}" is not exists or missing, what nft compares a header's or option's existence with (nft: Could not parse boolean type)`;
  // a plain integer field reads numbers only (`icmp gateway 10.1.2.3`: "Could not parse integer")
  if (type === 'integer' || type === 'hex_integer') return `"${word}" is not a number, and this field holds a number (nft: Could not parse integer)`;
  if (type === 'inet_proto') {
    if (protocolNumber(word) !== undefined) return undefined;
    const hint = closestWord(word, PROTO_BY_NAME.keys());
    return `"${word}" is not a protocol nft knows (nft: Could not resolve protocol name)${hint ? `; did you mean "${hint}"?` : ''}`;
  }
  if (type === 'inet_service') {
    if (!/^[a-z]/i.test(word) || servicePort(word) !== undefined) return undefined;
    const hint = closestWord(word, SERVICE_PORT.keys());
    return `"${word}" is not a service name in /etc/services (nft: Could not resolve service)${hint ? `; did you mean "${hint}"?` : ''}`;
  }
  if (!isSymbolicType(type)) return undefined;
  const table = symbolTable(type) as Readonly<Record<string, number>>;
  if (Object.hasOwn(table, word)) return undefined;
  const names = Object.keys(table);
  const hint = closestWord(word, names);
  const what = SYMBOLIC_TYPES[type].what;
  return `"${word}" is not ${/^[aeiouAEIOU]/.test(what) ? 'an' : 'a'} ${what}${hint ? `; did you mean "${hint}"?` : ''} (nft knows ${names.join(', ')}, or a number)`;
}
