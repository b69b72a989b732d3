/**
 * The match expressions nft knows, with the datatype of each: payload fields per
 * protocol, meta keys and ct keys. The datatype decides how a value is printed
 * (canonical listing form), how set elements sort and wrap, what the forms offer,
 * and which set `type` a field needs.
 */

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
  | 'day'
  | 'hour'
  | 'fib_addrtype'
  | 'arp_op'
  | 'boolean'
  | 'string'
  | 'integer'
  | 'verdict';

export interface FieldInfo {
  type: DataType;
  /** shown in forms and hovers */
  doc: string;
}

export const PAYLOAD_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldInfo>>>> = {
  ether: {
    saddr: { type: 'ether_addr', doc: 'source MAC address' },
    daddr: { type: 'ether_addr', doc: 'destination MAC address' },
    type: { type: 'ether_type', doc: 'EtherType (ip, ip6, arp, vlan)' },
  },
  vlan: {
    id: { type: 'integer', doc: 'VLAN id (0–4095)' },
    cfi: { type: 'integer', doc: 'canonical format indicator' },
    dei: { type: 'integer', doc: 'drop eligible indicator' },
    pcp: { type: 'integer', doc: 'priority code point' },
    type: { type: 'ether_type', doc: 'encapsulated EtherType' },
  },
  arp: {
    htype: { type: 'integer', doc: 'hardware type' },
    ptype: { type: 'ether_type', doc: 'protocol type' },
    hlen: { type: 'integer', doc: 'hardware address length' },
    plen: { type: 'integer', doc: 'protocol address length' },
    operation: { type: 'arp_op', doc: 'ARP operation (request, reply, …)' },
  },
  ip: {
    saddr: { type: 'ipv4_addr', doc: 'IPv4 source address' },
    daddr: { type: 'ipv4_addr', doc: 'IPv4 destination address' },
    protocol: { type: 'inet_proto', doc: 'upper-layer protocol (tcp, udp, icmp …)' },
    version: { type: 'integer', doc: 'IP header version (4)' },
    hdrlength: { type: 'integer', doc: 'header length in 32-bit words' },
    dscp: { type: 'dscp', doc: 'differentiated services code point' },
    ecn: { type: 'ecn', doc: 'explicit congestion notification' },
    length: { type: 'integer', doc: 'total packet length' },
    id: { type: 'integer', doc: 'identification' },
    'frag-off': { type: 'integer', doc: 'fragment offset' },
    ttl: { type: 'integer', doc: 'time to live' },
    checksum: { type: 'integer', doc: 'header checksum' },
  },
  ip6: {
    saddr: { type: 'ipv6_addr', doc: 'IPv6 source address' },
    daddr: { type: 'ipv6_addr', doc: 'IPv6 destination address' },
    nexthdr: { type: 'inet_proto', doc: 'next header (not skipping extension headers; prefer meta l4proto)' },
    version: { type: 'integer', doc: 'IP header version (6)' },
    dscp: { type: 'dscp', doc: 'differentiated services code point' },
    ecn: { type: 'ecn', doc: 'explicit congestion notification' },
    flowlabel: { type: 'integer', doc: 'flow label' },
    length: { type: 'integer', doc: 'payload length' },
    hoplimit: { type: 'integer', doc: 'hop limit' },
  },
  icmp: {
    type: { type: 'icmp_type', doc: 'ICMP type (echo-request …)' },
    code: { type: 'icmp_code', doc: 'ICMP code' },
    checksum: { type: 'integer', doc: 'checksum' },
    id: { type: 'integer', doc: 'echo id' },
    sequence: { type: 'integer', doc: 'echo sequence number' },
    gateway: { type: 'ipv4_addr', doc: 'redirect gateway' },
    mtu: { type: 'integer', doc: 'MTU of path-MTU discovery' },
  },
  icmpv6: {
    type: { type: 'icmpv6_type', doc: 'ICMPv6 type (nd-neighbor-solicit …)' },
    code: { type: 'icmpv6_code', doc: 'ICMPv6 code' },
    checksum: { type: 'integer', doc: 'checksum' },
    id: { type: 'integer', doc: 'echo id' },
    sequence: { type: 'integer', doc: 'echo sequence number' },
    mtu: { type: 'integer', doc: 'packet-too-big MTU' },
    'max-delay': { type: 'integer', doc: 'MLD maximum response delay' },
  },
  igmp: {
    type: { type: 'integer', doc: 'IGMP type' },
    mrt: { type: 'integer', doc: 'maximum response time' },
    checksum: { type: 'integer', doc: 'checksum' },
    group: { type: 'ipv4_addr', doc: 'group address' },
  },
  tcp: {
    sport: { type: 'inet_service', doc: 'TCP source port' },
    dport: { type: 'inet_service', doc: 'TCP destination port' },
    flags: { type: 'tcp_flag', doc: 'TCP flags (fin, syn, rst, psh, ack, urg, ecn, cwr)' },
    sequence: { type: 'integer', doc: 'sequence number' },
    ackseq: { type: 'integer', doc: 'acknowledgement number' },
    doff: { type: 'integer', doc: 'data offset' },
    reserved: { type: 'integer', doc: 'reserved bits' },
    window: { type: 'integer', doc: 'window' },
    checksum: { type: 'integer', doc: 'checksum' },
    urgptr: { type: 'integer', doc: 'urgent pointer' },
  },
  udp: {
    sport: { type: 'inet_service', doc: 'UDP source port' },
    dport: { type: 'inet_service', doc: 'UDP destination port' },
    length: { type: 'integer', doc: 'length' },
    checksum: { type: 'integer', doc: 'checksum' },
  },
  udplite: {
    sport: { type: 'inet_service', doc: 'source port' },
    dport: { type: 'inet_service', doc: 'destination port' },
    csumcov: { type: 'integer', doc: 'checksum coverage' },
    checksum: { type: 'integer', doc: 'checksum' },
  },
  sctp: {
    sport: { type: 'inet_service', doc: 'SCTP source port' },
    dport: { type: 'inet_service', doc: 'SCTP destination port' },
    vtag: { type: 'integer', doc: 'verification tag' },
    checksum: { type: 'integer', doc: 'checksum' },
  },
  dccp: {
    sport: { type: 'inet_service', doc: 'DCCP source port' },
    dport: { type: 'inet_service', doc: 'DCCP destination port' },
    type: { type: 'integer', doc: 'packet type' },
  },
  th: {
    sport: { type: 'inet_service', doc: 'transport source port (any of tcp, udp, udplite, sctp, dccp)' },
    dport: { type: 'inet_service', doc: 'transport destination port (any of tcp, udp, udplite, sctp, dccp)' },
  },
  ah: {
    nexthdr: { type: 'inet_proto', doc: 'next header' },
    hdrlength: { type: 'integer', doc: 'header length' },
    reserved: { type: 'integer', doc: 'reserved' },
    spi: { type: 'integer', doc: 'security parameter index' },
    sequence: { type: 'integer', doc: 'sequence number' },
  },
  esp: {
    spi: { type: 'integer', doc: 'security parameter index' },
    sequence: { type: 'integer', doc: 'sequence number' },
  },
  comp: {
    nexthdr: { type: 'inet_proto', doc: 'next header' },
    flags: { type: 'integer', doc: 'flags' },
    cpi: { type: 'integer', doc: 'compression parameter index' },
  },
};

export const META_KEYS: Readonly<Record<string, FieldInfo>> = {
  length: { type: 'integer', doc: 'packet length in bytes' },
  protocol: { type: 'ether_type', doc: 'EtherType of the packet' },
  priority: { type: 'classid', doc: 'TC packet priority (major:minor)' },
  mark: { type: 'mark', doc: 'packet mark (fwmark)' },
  iif: { type: 'iface_index', doc: 'input interface index (the interface must exist when the rule is loaded)' },
  iifname: { type: 'ifname', doc: 'input interface name (may be created later; wildcards like "eth*" allowed)' },
  iiftype: { type: 'iface_type', doc: 'input interface type (ether, ppp, loopback …)' },
  oif: { type: 'iface_index', doc: 'output interface index (the interface must exist when the rule is loaded)' },
  oifname: { type: 'ifname', doc: 'output interface name' },
  oiftype: { type: 'iface_type', doc: 'output interface type' },
  skuid: { type: 'uid', doc: 'UID of the originating socket (locally generated packets)' },
  skgid: { type: 'gid', doc: 'GID of the originating socket' },
  nftrace: { type: 'integer', doc: 'ruleset packet tracing (1 = on)' },
  rtclassid: { type: 'realm', doc: 'routing realm' },
  ibrname: { type: 'ifname', doc: 'input bridge interface name' },
  obrname: { type: 'ifname', doc: 'output bridge interface name' },
  ibriport: { type: 'ifname', doc: 'input bridge port name' },
  obriport: { type: 'ifname', doc: 'output bridge port name' },
  pkttype: { type: 'pkt_type', doc: 'packet type (host, broadcast, multicast, other)' },
  cpu: { type: 'integer', doc: 'CPU number processing the packet' },
  iifgroup: { type: 'devgroup', doc: 'input interface group' },
  oifgroup: { type: 'devgroup', doc: 'output interface group' },
  cgroup: { type: 'integer', doc: 'control group id' },
  nfproto: { type: 'nfproto', doc: 'netfilter protocol (ipv4, ipv6), useful in inet tables' },
  l4proto: { type: 'inet_proto', doc: 'layer-4 protocol, skipping IPv6 extension headers' },
  secpath: { type: 'boolean', doc: 'packet was subject to IPsec processing' },
  random: { type: 'integer', doc: 'a random number' },
  time: { type: 'time', doc: 'time of arrival' },
  day: { type: 'day', doc: 'day of the week' },
  hour: { type: 'hour', doc: 'hour of the day' },
  secmark: { type: 'integer', doc: 'packet secmark' },
  sdif: { type: 'iface_index', doc: 'slave device input interface index' },
  sdifname: { type: 'ifname', doc: 'slave device interface name' },
};

/** meta keys nft prints without the `meta` keyword (`iifname "lo"`). */
export const UNQUALIFIED_META_KEYS: ReadonlySet<string> = new Set(['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup']);

/** meta keys that may be written without `meta` (they are scanner keywords). */
export const BARE_META_KEYS: ReadonlySet<string> = new Set([
  'mark', 'iif', 'iifname', 'iiftype', 'oif', 'oifname', 'oiftype', 'skuid', 'skgid', 'nftrace', 'rtclassid',
  'ibriport', 'ibrname', 'obriport', 'obrname', 'pkttype', 'cpu', 'iifgroup', 'oifgroup', 'cgroup',
]);

export const CT_KEYS: Readonly<Record<string, FieldInfo>> = {
  state: { type: 'ct_state', doc: 'connection state (new, established, related, invalid, untracked)' },
  direction: { type: 'ct_dir', doc: 'packet direction (original, reply)' },
  status: { type: 'ct_status', doc: 'connection status bits (assured, confirmed, snat, dnat …)' },
  mark: { type: 'mark', doc: 'connection mark' },
  expiration: { type: 'time', doc: 'time left until the connection expires' },
  helper: { type: 'string', doc: 'name of the conntrack helper assigned to the connection' },
  l3proto: { type: 'nfproto', doc: 'layer-3 protocol of the connection' },
  protocol: { type: 'inet_proto', doc: 'layer-4 protocol of the connection' },
  saddr: { type: 'ipv4_addr', doc: 'source address of the connection (needs ip/ip6)' },
  daddr: { type: 'ipv4_addr', doc: 'destination address of the connection (needs ip/ip6)' },
  'proto-src': { type: 'inet_service', doc: 'layer-4 source of the connection' },
  'proto-dst': { type: 'inet_service', doc: 'layer-4 destination of the connection' },
  bytes: { type: 'integer', doc: 'byte count of the connection' },
  packets: { type: 'integer', doc: 'packet count of the connection' },
  avgpkt: { type: 'integer', doc: 'average packet size of the connection' },
  zone: { type: 'integer', doc: 'conntrack zone' },
  label: { type: 'ct_label', doc: 'connection label' },
  event: { type: 'ct_event', doc: 'conntrack events to report' },
  id: { type: 'integer', doc: 'connection id' },
  count: { type: 'integer', doc: 'number of connections (ct count N; ct count over N is kept as text)' },
  timeout: { type: 'string', doc: 'ct timeout object (set only)' },
  expectation: { type: 'string', doc: 'ct expectation object (set only)' },
};

export const FIB_RESULTS: Readonly<Record<string, DataType>> = { oif: 'iface_index', oifname: 'ifname', type: 'fib_addrtype' };
export const FIB_FLAGS: readonly string[] = ['saddr', 'daddr', 'mark', 'iif', 'oif'];

export function payloadField(protocol: string, field: string): FieldInfo | undefined {
  return PAYLOAD_FIELDS[protocol]?.[field];
}
