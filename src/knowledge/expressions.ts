/**
 * The match expressions nft knows, with the datatype of each: payload fields per
 * protocol, meta keys and ct keys. The datatype decides how a value is printed
 * (canonical listing form), how set elements sort and wrap, what the forms offer,
 * and which set `type` a field needs.
 */
import type { Family } from './vocabulary.ts';
import type { Expr } from '../model/expr.ts';

export type DataType =
  | 'ipv4_addr'
  | 'ipv6_addr'
  | 'ether_addr'
  | 'inet_proto'
  | 'inet_service'
  | 'mark'
  | 'ifname'
  | 'iface_index'
  | 'iface_type'
  | 'ct_state'
  | 'ct_status'
  | 'ct_dir'
  | 'ct_label'
  | 'ct_event'
  | 'tcp_flag'
  | 'icmp_type'
  | 'icmp_code'
  | 'icmpv6_type'
  | 'igmp_type'
  | 'icmpv6_code'
  | 'icmpx_code'
  | 'nfproto'
  | 'pkt_type'
  | 'ether_type'
  | 'dscp'
  | 'ecn'
  | 'classid'
  | 'realm'
  | 'devgroup'
  | 'uid'
  | 'gid'
  | 'time'
  | 'date'
  | 'day'
  | 'hour'
  | 'fib_addrtype'
  | 'arp_op'
  | 'dccp_pkttype'
  | 'mh_type'
  | 'mptcp_subtype'
  | 'hex_integer'
  | 'boolean'
  | 'string'
  | 'integer'
  | 'verdict';

export interface FieldInfo {
  type: DataType;
  /**
   * the width nft gives the value (what `nft describe` prints: "… 16 bits"; a kernel
   * test compares every field with nft 1.0.6 and 1.1.3); absent for strings and for
   * keys whose width depends on the family (ct saddr)
   */
  bits?: number;
  /** shown in forms and hovers */
  doc: string;
  /**
   * the first nft version that reads it (1.0.6 refuses what has a later one);
   * absent: every version the designer targets
   */
  since?: string;
  /** the only table families nft accepts it in (both versions refuse it elsewhere); absent: no such limit */
  onlyIn?: readonly Family[];
  /**
   * where the field starts in its header, in bits (byte-aligned fields whose
   * neighbours nft may merge into one load: see emit/payloadMerge.ts; a kernel
   * test reads each from nft --debug=netlink); absent: not needed
   */
  offset?: number;
  /** the field names the next header (ether type, ip protocol, ip6 nexthdr): a merged match keeps its place */
  protocolKey?: true;
  /**
   * a meta or ct key nft keeps in network byte order (others are in the host's;
   * header fields always are): nft compares a host-order value of more than one
   * byte with two `cmp`s, not `range`, and lists such a masked range without `==`
   * (`meta mark & 0x000000ff 0x00000001-0x00000003`; seen with 1.0.6 and 1.1.3)
   */
  networkOrder?: true;
  /**
   * the word nft reads for the field where its listing names it otherwise: nft
   * 1.0.6 and 1.1.3 read `icmpv6 param-problem` and list `icmpv6 parameter-problem`,
   * which neither reads back; the emitter writes this word, the parser reads both
   */
  written?: string;
}

/** nft 1.0.7 brought inner tunnel headers (vxlan, geneve, gre, gretap: its release notes) and icmpv6 taddr/daddr (refused by 1.0.6, read by 1.1.3). */
export const TUNNEL_SINCE = '1.0.7';

export const PAYLOAD_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldInfo>>>> = {
  ether: {
    saddr: { type: 'ether_addr', bits: 48, offset: 48, doc: 'source MAC address' },
    daddr: { type: 'ether_addr', bits: 48, offset: 0, doc: 'destination MAC address' },
    type: { type: 'ether_type', bits: 16, offset: 96, protocolKey: true, doc: 'EtherType (ip, ip6, arp, vlan)' },
  },
  vlan: {
    id: { type: 'integer', bits: 12, doc: 'VLAN id (0–4095)' },
    cfi: { type: 'integer', bits: 1, doc: 'canonical format indicator' },
    dei: { type: 'integer', bits: 1, doc: 'drop eligible indicator' },
    pcp: { type: 'integer', bits: 3, doc: 'priority code point' },
    type: { type: 'ether_type', bits: 16, doc: 'encapsulated EtherType' },
  },
  arp: {
    htype: { type: 'integer', bits: 16, doc: 'hardware type' },
    ptype: { type: 'ether_type', bits: 16, doc: 'protocol type' },
    hlen: { type: 'integer', bits: 8, doc: 'hardware address length' },
    plen: { type: 'integer', bits: 8, doc: 'protocol address length' },
    operation: { type: 'arp_op', bits: 16, doc: 'ARP operation (request, reply, …)' },
    'saddr ether': { type: 'ether_addr', bits: 48, doc: 'sender hardware (MAC) address' },
    'daddr ether': { type: 'ether_addr', bits: 48, doc: 'target hardware (MAC) address' },
    'saddr ip': { type: 'ipv4_addr', bits: 32, doc: 'sender IPv4 address' },
    'daddr ip': { type: 'ipv4_addr', bits: 32, doc: 'target IPv4 address' },
  },
  ip: {
    saddr: { type: 'ipv4_addr', bits: 32, offset: 96, doc: 'IPv4 source address' },
    daddr: { type: 'ipv4_addr', bits: 32, offset: 128, doc: 'IPv4 destination address' },
    protocol: { type: 'inet_proto', bits: 8, offset: 72, protocolKey: true, doc: 'upper-layer protocol (tcp, udp, icmp …)' },
    version: { type: 'integer', bits: 4, doc: 'IP header version (4)' },
    hdrlength: { type: 'integer', bits: 4, doc: 'header length in 32-bit words' },
    dscp: { type: 'dscp', bits: 6, doc: 'differentiated services code point' },
    ecn: { type: 'ecn', bits: 2, doc: 'explicit congestion notification' },
    length: { type: 'integer', bits: 16, offset: 16, doc: 'total packet length' },
    id: { type: 'integer', bits: 16, offset: 32, doc: 'identification' },
    'frag-off': { type: 'integer', bits: 16, doc: 'fragment offset' },
    ttl: { type: 'integer', bits: 8, offset: 64, doc: 'time to live' },
    checksum: { type: 'integer', bits: 16, offset: 80, doc: 'header checksum' },
  },
  ip6: {
    saddr: { type: 'ipv6_addr', bits: 128, offset: 64, doc: 'IPv6 source address' },
    daddr: { type: 'ipv6_addr', bits: 128, offset: 192, doc: 'IPv6 destination address' },
    nexthdr: { type: 'inet_proto', bits: 8, offset: 48, protocolKey: true, doc: 'next header (not skipping extension headers; prefer meta l4proto)' },
    version: { type: 'integer', bits: 4, doc: 'IP header version (6)' },
    dscp: { type: 'dscp', bits: 6, doc: 'differentiated services code point' },
    ecn: { type: 'ecn', bits: 2, doc: 'explicit congestion notification' },
    flowlabel: { type: 'integer', bits: 20, doc: 'flow label' },
    length: { type: 'integer', bits: 16, offset: 32, doc: 'payload length' },
    hoplimit: { type: 'integer', bits: 8, offset: 56, doc: 'hop limit' },
  },
  icmp: {
    type: { type: 'icmp_type', bits: 8, offset: 0, doc: 'ICMP type (echo-request …)' },
    code: { type: 'icmp_code', bits: 8, offset: 8, doc: 'ICMP code' },
    checksum: { type: 'integer', bits: 16, offset: 16, doc: 'checksum' },
    id: { type: 'integer', bits: 16, offset: 32, doc: 'echo id' },
    sequence: { type: 'integer', bits: 16, offset: 48, doc: 'echo sequence number' },
    // nft types it as a plain integer (`icmp gateway 10.1.2.3` is refused: "Could not parse integer")
    gateway: { type: 'integer', bits: 32, doc: 'redirect gateway (a number: nft reads no address here)' },
    mtu: { type: 'integer', bits: 16, doc: 'MTU of path-MTU discovery' },
  },
  icmpv6: {
    type: { type: 'icmpv6_type', bits: 8, offset: 0, doc: 'ICMPv6 type (nd-neighbor-solicit …)' },
    code: { type: 'icmpv6_code', bits: 8, offset: 8, doc: 'ICMPv6 code' },
    checksum: { type: 'integer', bits: 16, offset: 16, doc: 'checksum' },
    id: { type: 'integer', bits: 16, offset: 32, doc: 'echo id' },
    sequence: { type: 'integer', bits: 16, offset: 48, doc: 'echo sequence number' },
    mtu: { type: 'integer', bits: 32, doc: 'packet-too-big MTU' },
    // nft 1.0.6 describes an echo request in a trace by this 32-bit field (id and sequence together)
    'parameter-problem': { type: 'integer', bits: 32, written: 'param-problem', doc: 'parameter-problem pointer' },
    'max-delay': { type: 'integer', bits: 16, doc: 'MLD maximum response delay' },
    taddr: { type: 'ipv6_addr', bits: 128, doc: 'target address of neighbor solicitations/advertisements, redirects and MLD', since: TUNNEL_SINCE },
    daddr: { type: 'ipv6_addr', bits: 128, doc: 'destination address of a redirect', since: TUNNEL_SINCE },
  },
  igmp: {
    type: { type: 'igmp_type', bits: 8, doc: 'IGMP type' },
    mrt: { type: 'integer', bits: 8, doc: 'maximum response time' },
    checksum: { type: 'integer', bits: 16, doc: 'checksum' },
    // as icmp gateway: nft reads a number, not an address
    group: { type: 'integer', bits: 32, doc: 'group address (a number: nft reads no address here)' },
  },
  tcp: {
    sport: { type: 'inet_service', bits: 16, offset: 0, doc: 'TCP source port' },
    dport: { type: 'inet_service', bits: 16, offset: 16, doc: 'TCP destination port' },
    flags: { type: 'tcp_flag', bits: 8, doc: 'TCP flags (fin, syn, rst, psh, ack, urg, ecn, cwr)' },
    sequence: { type: 'integer', bits: 32, offset: 32, doc: 'sequence number' },
    ackseq: { type: 'integer', bits: 32, offset: 64, doc: 'acknowledgement number' },
    doff: { type: 'integer', bits: 4, doc: 'data offset' },
    reserved: { type: 'integer', bits: 4, doc: 'reserved bits' },
    window: { type: 'integer', bits: 16, offset: 112, doc: 'window' },
    checksum: { type: 'integer', bits: 16, offset: 128, doc: 'checksum' },
    urgptr: { type: 'integer', bits: 16, offset: 144, doc: 'urgent pointer' },
  },
  udp: {
    sport: { type: 'inet_service', bits: 16, offset: 0, doc: 'UDP source port' },
    dport: { type: 'inet_service', bits: 16, offset: 16, doc: 'UDP destination port' },
    length: { type: 'integer', bits: 16, offset: 32, doc: 'length' },
    checksum: { type: 'integer', bits: 16, offset: 48, doc: 'checksum' },
  },
  udplite: {
    sport: { type: 'inet_service', bits: 16, offset: 0, doc: 'source port' },
    dport: { type: 'inet_service', bits: 16, offset: 16, doc: 'destination port' },
    csumcov: { type: 'integer', bits: 16, doc: 'checksum coverage' },
    checksum: { type: 'integer', bits: 16, offset: 48, doc: 'checksum' },
  },
  sctp: {
    sport: { type: 'inet_service', bits: 16, offset: 0, doc: 'SCTP source port' },
    dport: { type: 'inet_service', bits: 16, offset: 16, doc: 'SCTP destination port' },
    vtag: { type: 'integer', bits: 32, offset: 32, doc: 'verification tag' },
    checksum: { type: 'integer', bits: 32, offset: 64, doc: 'checksum' },
  },
  dccp: {
    sport: { type: 'inet_service', bits: 16, offset: 0, doc: 'DCCP source port' },
    dport: { type: 'inet_service', bits: 16, offset: 16, doc: 'DCCP destination port' },
    type: { type: 'dccp_pkttype', bits: 4, doc: 'packet type (request, response, data, ack, …)' },
  },
  th: {
    sport: { type: 'inet_service', bits: 16, offset: 0, doc: 'transport source port (any of tcp, udp, udplite, sctp, dccp)' },
    dport: { type: 'inet_service', bits: 16, offset: 16, doc: 'transport destination port (any of tcp, udp, udplite, sctp, dccp)' },
  },
  ah: {
    nexthdr: { type: 'inet_proto', bits: 8, doc: 'next header' },
    hdrlength: { type: 'integer', bits: 8, doc: 'header length' },
    reserved: { type: 'integer', bits: 16, doc: 'reserved' },
    spi: { type: 'integer', bits: 32, doc: 'security parameter index' },
    sequence: { type: 'integer', bits: 32, doc: 'sequence number' },
  },
  esp: {
    spi: { type: 'integer', bits: 32, doc: 'security parameter index' },
    sequence: { type: 'integer', bits: 32, doc: 'sequence number' },
  },
  comp: {
    nexthdr: { type: 'inet_proto', bits: 8, doc: 'next header' },
    // nft's bitmask type: listed in hex (`comp flags 0x33`)
    flags: { type: 'hex_integer', bits: 8, doc: 'flags' },
    cpi: { type: 'integer', bits: 16, doc: 'compression parameter index' },
  },
  // tunnel headers (their inner headers: knowledge/exthdr.ts TUNNELS)
  gre: {
    flags: { type: 'integer', bits: 5, doc: 'GRE flags (checksum, routing, key, sequence, strict source route)', since: TUNNEL_SINCE },
    version: { type: 'integer', bits: 3, doc: 'GRE version (0 GRE, 1 PPTP)', since: TUNNEL_SINCE },
    protocol: { type: 'ether_type', bits: 16, doc: 'EtherType of the encapsulated packet', since: TUNNEL_SINCE },
  },
  vxlan: {
    flags: { type: 'integer', bits: 8, doc: 'VXLAN flags (needs udp dport 4789)', since: TUNNEL_SINCE },
    vni: { type: 'integer', bits: 24, doc: 'VXLAN network identifier (needs udp dport 4789)', since: TUNNEL_SINCE },
  },
  geneve: {
    vni: { type: 'integer', bits: 24, doc: 'Geneve virtual network identifier (needs udp dport 6081)', since: TUNNEL_SINCE },
  },
};

export const META_KEYS: Readonly<Record<string, FieldInfo>> = {
  length: { type: 'integer', bits: 32, doc: 'packet length in bytes' },
  protocol: { type: 'ether_type', bits: 16, networkOrder: true, doc: 'EtherType of the packet' },
  priority: { type: 'classid', bits: 32, doc: 'TC packet priority (major:minor)' },
  mark: { type: 'mark', bits: 32, doc: 'packet mark (fwmark)' },
  iif: { type: 'iface_index', bits: 32, doc: 'input interface index (the interface must exist when the rule is loaded)' },
  iifname: { type: 'ifname', doc: 'input interface name (may be created later; wildcards like "eth*" allowed)' },
  iiftype: { type: 'iface_type', bits: 16, doc: 'input interface type (ether, ppp, loopback …)' },
  oif: { type: 'iface_index', bits: 32, doc: 'output interface index (the interface must exist when the rule is loaded)' },
  oifname: { type: 'ifname', doc: 'output interface name' },
  oiftype: { type: 'iface_type', bits: 16, doc: 'output interface type' },
  skuid: { type: 'uid', bits: 32, doc: 'UID of the originating socket (locally generated packets)' },
  skgid: { type: 'gid', bits: 32, doc: 'GID of the originating socket' },
  nftrace: { type: 'integer', bits: 1, doc: 'ruleset packet tracing (1 = on)' },
  rtclassid: { type: 'realm', bits: 32, doc: 'routing realm' },
  ibrname: { type: 'ifname', doc: 'input bridge interface name' },
  obrname: { type: 'ifname', doc: 'output bridge interface name' },
  ibriport: { type: 'ifname', doc: 'input bridge port name' },
  obriport: { type: 'ifname', doc: 'output bridge port name' },
  pkttype: { type: 'pkt_type', bits: 8, doc: 'packet type (host, broadcast, multicast, other)' },
  cpu: { type: 'integer', bits: 32, doc: 'CPU number processing the packet' },
  iifgroup: { type: 'devgroup', bits: 32, doc: 'input interface group' },
  oifgroup: { type: 'devgroup', bits: 32, doc: 'output interface group' },
  cgroup: { type: 'integer', bits: 32, doc: 'control group id' },
  // "meta nfproto is only useful in the inet family": 1.0.6 and 1.1.3 refuse it in every other table
  nfproto: { type: 'nfproto', bits: 8, doc: 'netfilter protocol (ipv4, ipv6), in inet tables', onlyIn: ['inet'] },
  l4proto: { type: 'inet_proto', bits: 8, doc: 'layer-4 protocol, skipping IPv6 extension headers' },
  secpath: { type: 'boolean', bits: 8, doc: 'packet was subject to IPsec processing (nft lists it as meta ipsec)' },
  ipsec: { type: 'boolean', bits: 8, doc: 'packet was subject to IPsec processing (exists / missing)' },
  iifkind: { type: 'ifname', doc: 'input interface kind (the link type name: "vrf", "bridge" …)' },
  oifkind: { type: 'ifname', doc: 'output interface kind' },
  ibrpvid: { type: 'integer', bits: 16, onlyIn: ['bridge'], doc: 'input bridge port VLAN id' },
  ibrvproto: { type: 'ether_type', bits: 16, onlyIn: ['bridge'], doc: 'input bridge VLAN protocol' },
  random: { type: 'integer', bits: 32, doc: 'a random number' },
  time: { type: 'date', bits: 64, doc: 'time of arrival, as a date ("2025-01-01 10:00", local time)' },
  day: { type: 'day', bits: 8, doc: 'day of the week' },
  hour: { type: 'hour', bits: 32, doc: 'hour of the day' },
  secmark: { type: 'integer', bits: 32, doc: 'packet secmark' },
  sdif: { type: 'iface_index', bits: 32, doc: 'slave device input interface index' },
  sdifname: { type: 'ifname', doc: 'slave device interface name' },
};

/** meta keys nft lists under another name (`meta secpath` as `meta ipsec`). */
const META_LISTED_AS: Readonly<Record<string, string>> = { secpath: 'ipsec' };

export function metaListedAs(key: string): string {
  return Object.hasOwn(META_LISTED_AS, key) ? META_LISTED_AS[key] : key;
}

/** meta keys nft prints without the `meta` keyword (`iifname "lo"`). */
export const UNQUALIFIED_META_KEYS: ReadonlySet<string> = new Set(['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup']);

/** meta keys that may be written without `meta` (they are scanner keywords). */
export const BARE_META_KEYS: ReadonlySet<string> = new Set([
  'mark', 'iif', 'iifname', 'iiftype', 'oif', 'oifname', 'oiftype', 'skuid', 'skgid', 'nftrace', 'rtclassid',
  'ibriport', 'ibrname', 'obriport', 'obrname', 'pkttype', 'cpu', 'iifgroup', 'oifgroup', 'cgroup',
  // (nft lists them with meta: `time < "2022-07-01 11:00:00"` is `meta time < …`)
  'time', 'day', 'hour',
]);

export const CT_KEYS: Readonly<Record<string, FieldInfo>> = {
  state: { type: 'ct_state', bits: 32, doc: 'connection state (new, established, related, invalid, untracked)' },
  direction: { type: 'ct_dir', bits: 8, doc: 'packet direction (original, reply)' },
  status: { type: 'ct_status', bits: 32, doc: 'connection status bits (assured, confirmed, snat, dnat …)' },
  mark: { type: 'mark', bits: 32, doc: 'connection mark' },
  expiration: { type: 'time', bits: 32, doc: 'time left until the connection expires' },
  helper: { type: 'string', doc: 'name of the conntrack helper assigned to the connection' },
  l3proto: { type: 'nfproto', bits: 8, doc: 'layer-3 protocol of the connection' },
  protocol: { type: 'inet_proto', bits: 8, doc: 'layer-4 protocol of the connection' },
  saddr: { type: 'ipv4_addr', networkOrder: true, doc: 'source address of the connection (needs ip/ip6)' },
  daddr: { type: 'ipv4_addr', networkOrder: true, doc: 'destination address of the connection (needs ip/ip6)' },
  'proto-src': { type: 'inet_service', networkOrder: true, doc: 'layer-4 source of the connection' },
  'proto-dst': { type: 'inet_service', networkOrder: true, doc: 'layer-4 destination of the connection' },
  bytes: { type: 'integer', bits: 64, doc: 'byte count of the connection' },
  packets: { type: 'integer', bits: 64, doc: 'packet count of the connection' },
  avgpkt: { type: 'integer', bits: 64, doc: 'average packet size of the connection' },
  zone: { type: 'integer', bits: 16, doc: 'conntrack zone' },
  label: { type: 'ct_label', bits: 128, doc: 'connection label' },
  event: { type: 'ct_event', bits: 32, doc: 'conntrack events to report' },
  id: { type: 'integer', bits: 32, doc: 'connection id' },
  timeout: { type: 'string', doc: 'ct timeout object (set only)' },
  expectation: { type: 'string', doc: 'ct expectation object (set only)' },
};

/**
 * The ct keys nft reads after original or reply (its grammar's ct_key_dir and
 * ct_key_dir_optional); any other key with a direction (`ct original mark`,
 * `ct reply expiration`) is a syntax error in nft 1.0.6 and 1.1.3.
 */
/**
 * ct keys that can only be set: `ct timeout set "t"`, `ct expectation set "e"`,
 * `ct event set new`. nft refuses a match on timeout and expectation (a syntax
 * error), and the kernel one on event ("Operation not supported"), in both versions.
 */
export const CT_SET_ONLY_KEYS: ReadonlySet<string> = new Set(['event', 'timeout', 'expectation']);

export const CT_DIR_KEYS: ReadonlySet<string> = new Set(['saddr', 'daddr', 'l3proto', 'protocol', 'proto-src', 'proto-dst', 'bytes', 'packets', 'avgpkt', 'zone']);

export const FIB_RESULTS: Readonly<Record<string, DataType>> = { oif: 'iface_index', oifname: 'ifname', type: 'fib_addrtype' };
export const FIB_FLAGS: readonly string[] = ['saddr', 'daddr', 'mark', 'iif', 'oif'];

/**
 * `rt [ip|ip6] KEY`: what routing decided for the packet. `nexthop` is an address
 * of the family named before it (IPv4 without one); the others are numbers.
 */
export const RT_KEYS: Readonly<Record<string, FieldInfo>> = {
  classid: { type: 'integer', bits: 32, doc: 'routing realm of the route (rt classid)' },
  nexthop: { type: 'ipv4_addr', bits: 32, doc: 'next hop of the route (rt ip6 nexthop for IPv6)' },
  mtu: { type: 'integer', bits: 16, doc: 'TCP maximum segment size of the route (its MTU less the headers)' },
  ipsec: { type: 'boolean', bits: 1, doc: 'the route goes through an IPsec transformation (rt ipsec exists / missing)' },
};

/** `socket KEY`: the local socket the packet belongs to (a lookup; the trace cannot know it). */
export const SOCKET_KEYS: Readonly<Record<string, FieldInfo>> = {
  transparent: { type: 'integer', bits: 1, doc: 'a transparent (IP_TRANSPARENT) socket exists for the packet (1) or not (0)' },
  mark: { type: 'mark', bits: 32, doc: 'the mark (SO_MARK) of the packet\'s socket' },
  wildcard: { type: 'integer', bits: 1, doc: 'the socket is bound to a wildcard address (0.0.0.0 or ::)' },
};

/** The transport headers, each with its protocol's name in /etc/protocols (icmpv6 is ipv6-icmp). */
export const TRANSPORT_PROTOCOLS: Readonly<Record<string, string>> = { tcp: 'tcp', udp: 'udp', udplite: 'udplite', sctp: 'sctp', dccp: 'dccp', icmp: 'icmp', icmpv6: 'ipv6-icmp', ah: 'ah', esp: 'esp', comp: 'comp', igmp: 'igmp' };
/** …and their header names: what nft takes as the rule's transport protocol (th is none). */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set(Object.keys(TRANSPORT_PROTOCOLS));

/** PAYLOAD_FIELDS as maps, for the lookups every rule makes many of (and no prototype keys) */
let fieldMaps: Map<string, Map<string, FieldInfo>> | undefined;
let protocolFields: Map<string, Readonly<Record<string, FieldInfo>>> | undefined;

/** The fields of a payload protocol (`tcp` → PAYLOAD_FIELDS.tcp), or undefined for any other word. */
export function payloadFields(protocol: string): Readonly<Record<string, FieldInfo>> | undefined {
  return (protocolFields ??= new Map(Object.entries(PAYLOAD_FIELDS))).get(protocol);
}

export function payloadField(protocol: string, field: string): FieldInfo | undefined {
  fieldMaps ??= new Map(Object.entries(PAYLOAD_FIELDS).map(([p, fs]) => [p, new Map(Object.entries(fs))]));
  return fieldMaps.get(protocol)?.get(field);
}

let byType: Map<string, Expr> | undefined;
/**
 * A selector whose values have the data type TYPE (the first meta key, else the
 * first payload field, of the tables above), for reading a constant in that type
 * where no selector stands (`ip saddr . 1.2.3.4 . 80 @s1`, a set of `type
 * ipv4_addr . ipv4_addr . inet_service`); undefined for a type no field has.
 */
export function selectorOfType(type: string): Expr | undefined {
  if (!byType) {
    const m = new Map<string, Expr>();
    for (const [key, f] of Object.entries(META_KEYS)) if (!m.has(f.type)) m.set(f.type, { kind: 'meta', key } as Expr);
    for (const [protocol, fields] of Object.entries(PAYLOAD_FIELDS)) {
      for (const [field, f] of Object.entries(fields)) if (!m.has(f.type)) m.set(f.type, { kind: 'payload', protocol, field } as Expr);
    }
    byType = m;
  }
  return byType.get(type);
}

