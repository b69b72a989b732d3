/**
 * The headers nft finds by walking a packet rather than at a fixed offset, as
 * data: IPv6 extension headers (`frag id`, `exthdr hbh exists`), TCP options
 * (`tcp option maxseg size`), IPv4 options (`ip option ra value`) and SCTP chunks
 * (`sctp chunk init flags`); the inner headers of tunnels (`vxlan ip saddr`); raw
 * payload bases (`@nh,8,8`); the ipsec (xfrm) and osf keys. The parser, the
 * printer, the JSON both ways, the validators and Monaco read these tables.
 * Datatypes and widths are what `nft describe` prints in nft 1.0.6 and 1.1.3
 * (src/knowledge/exthdr.kernel.test.ts compares them).
 */
import { TUNNEL_SINCE, type FieldInfo } from './expressions.ts';

export type ExthdrSpace = 'ip6' | 'tcp' | 'ip' | 'sctp';

export interface HeaderInfo {
  doc: string;
  /** the fields; a header without fields can only be tested for existence */
  fields: Readonly<Record<string, FieldInfo>>;
  /** the header's number on the wire: TCP option kind, IP option type, SCTP chunk type */
  number?: number;
  /** nft lists this name as another one (`sack0` as `sack`) */
  listedAs?: string;
  /**
   * the existence test and the fields nft cannot tell from another header's (the
   * option kind and length of every SACK block): it lists them under that name
   * (`tcp option sack2 length 5` as `tcp option sack length 5`; 1.0.6 and 1.1.3)
   */
  sharesWith?: { name: string; fields: readonly string[] };
  /** can be tested for existence (`exthdr hbh exists`, `tcp option sack-perm exists`) */
  exists: boolean;
  /** fields written with an index: `srh sid[1]` */
  indexed?: readonly string[];
}

export interface SpaceInfo {
  /** the words before the header name: `tcp option`, or none for IPv6 extension headers */
  words: string;
  /** before the name in an existence test: `exthdr hbh`, `tcp option sack-perm` */
  existsWords: string;
  /** the libnftables JSON tag */
  json: 'exthdr' | 'tcp option' | 'ip option' | 'sctp chunk';
  doc: string;
  headers: Readonly<Record<string, HeaderInfo>>;
}

const int = (bits: number, doc: string): FieldInfo => ({ type: 'integer', bits, doc });
const nexthdr: FieldInfo = { type: 'inet_proto', bits: 8, doc: 'next header' };
const hdrlength = int(8, 'header length in 8-octet units, not counting the first 8');

const TCP_LENGTH = int(8, 'option length in bytes');
const sack = (block: string): HeaderInfo => ({
  doc: `TCP selective acknowledgement, ${block}`,
  number: 5,
  exists: true,
  fields: { length: TCP_LENGTH, left: int(32, 'left edge of the block'), right: int(32, 'right edge of the block') },
});

const SCTP_COMMON: Readonly<Record<string, FieldInfo>> = {
  type: int(8, 'chunk type (fixed by the chunk)'),
  flags: int(8, 'chunk flags (their meaning depends on the chunk)'),
  length: int(16, 'chunk length in bytes, without padding'),
};
const INIT_FIELDS: Readonly<Record<string, FieldInfo>> = {
  'init-tag': int(32, 'initiate tag'),
  'a-rwnd': int(32, 'advertised receiver window credit'),
  'num-outbound-streams': int(16, 'number of outbound streams'),
  'num-inbound-streams': int(16, 'number of inbound streams'),
  'initial-tsn': int(32, 'initial transmit sequence number'),
};
const chunk = (number: number, doc: string, fields: Readonly<Record<string, FieldInfo>> = {}): HeaderInfo => ({
  doc,
  number,
  exists: true,
  fields: { ...SCTP_COMMON, ...fields },
});

const ROUTE_OPTION: Readonly<Record<string, FieldInfo>> = {
  type: int(8, 'option type'),
  length: int(8, 'option length'),
  ptr: int(8, 'pointer to the next address'),
  addr: int(32, 'route address (nft 1.0.6 reads and lists a number, 1.1 an IPv4 address: stmts/listingValues.ts)'),
};

export const EXTHDR_SPACES: Readonly<Record<ExthdrSpace, SpaceInfo>> = {
  ip6: {
    words: '',
    existsWords: 'exthdr',
    json: 'exthdr',
    doc: 'IPv6 extension header',
    headers: {
      hbh: { doc: 'hop-by-hop options header', exists: true, fields: { nexthdr, hdrlength } },
      rt: {
        doc: 'routing header',
        exists: true,
        fields: { nexthdr, hdrlength, type: int(8, 'routing type'), 'seg-left': int(8, 'segments left') },
      },
      frag: {
        doc: 'fragment header',
        exists: true,
        fields: {
          nexthdr,
          reserved: int(8, 'reserved'),
          'frag-off': int(13, 'fragment offset in 8-octet units'),
          reserved2: int(2, 'reserved'),
          'more-fragments': int(1, 'more fragments follow (1)'),
          id: int(32, 'identification'),
        },
      },
      dst: { doc: 'destination options header', exists: true, fields: { nexthdr, hdrlength } },
      mh: {
        doc: 'mobility header',
        exists: true,
        fields: { nexthdr, hdrlength, type: { type: 'mh_type', bits: 8, doc: 'mobility header type (binding-update …)' }, reserved: int(8, 'reserved'), checksum: int(16, 'checksum') },
      },
      srh: {
        doc: 'segment routing header',
        exists: false,
        indexed: ['sid'],
        fields: {
          'last-entry': int(8, 'index of the last segment'),
          flags: int(8, 'flags'),
          tag: int(16, 'tag'),
          sid: { type: 'ipv6_addr', bits: 128, doc: 'segment N (srh sid[N])' },
        },
      },
    },
  },
  tcp: {
    words: 'tcp option',
    existsWords: 'tcp option',
    json: 'tcp option',
    doc: 'TCP option',
    headers: {
      eol: { doc: 'end of option list', number: 0, exists: true, fields: {} },
      nop: { doc: 'no-operation (padding)', number: 1, exists: true, fields: {} },
      maxseg: { doc: 'maximum segment size', number: 2, exists: true, fields: { length: TCP_LENGTH, size: int(16, 'maximum segment size') } },
      window: { doc: 'window scale', number: 3, exists: true, fields: { length: TCP_LENGTH, count: int(8, 'shift count') } },
      'sack-perm': { doc: 'SACK permitted', number: 4, exists: true, fields: { length: TCP_LENGTH } },
      sack: sack('first block'),
      sack0: { ...sack('first block'), listedAs: 'sack' },
      sack1: { ...sack('second block'), sharesWith: { name: 'sack', fields: ['length'] } },
      sack2: { ...sack('third block'), sharesWith: { name: 'sack', fields: ['length'] } },
      sack3: { ...sack('fourth block'), sharesWith: { name: 'sack', fields: ['length'] } },
      timestamp: {
        doc: 'timestamps',
        number: 8,
        exists: true,
        fields: { length: TCP_LENGTH, tsval: int(32, 'timestamp value'), tsecr: int(32, 'timestamp echo reply') },
      },
      md5sig: { doc: 'MD5 signature', number: 19, exists: true, fields: { length: TCP_LENGTH } },
      mptcp: {
        doc: 'multipath TCP',
        number: 30,
        exists: true,
        fields: { length: TCP_LENGTH, subtype: { type: 'mptcp_subtype', bits: 4, doc: 'MPTCP option subtype (nft 1.1 lists names: mp-capable, mp-join …)' } },
      },
      fastopen: { doc: 'TCP fast open cookie', number: 34, exists: true, fields: { length: TCP_LENGTH } },
    },
  },
  ip: {
    words: 'ip option',
    existsWords: 'ip option',
    json: 'ip option',
    doc: 'IPv4 option',
    headers: {
      lsrr: { doc: 'loose source route', number: 131, exists: true, fields: ROUTE_OPTION },
      ra: { doc: 'router alert', number: 148, exists: true, fields: { type: int(8, 'option type'), length: int(8, 'option length'), value: int(16, 'router alert value') } },
      rr: { doc: 'record route', number: 7, exists: true, fields: ROUTE_OPTION },
      ssrr: { doc: 'strict source route', number: 137, exists: true, fields: ROUTE_OPTION },
    },
  },
  sctp: {
    words: 'sctp chunk',
    existsWords: 'sctp chunk',
    json: 'sctp chunk',
    doc: 'SCTP chunk',
    headers: {
      data: chunk(0, 'payload data', {
        tsn: int(32, 'transmission sequence number'),
        stream: int(16, 'stream identifier'),
        ssn: int(16, 'stream sequence number'),
        ppid: int(32, 'payload protocol identifier'),
      }),
      init: chunk(1, 'initiation', INIT_FIELDS),
      'init-ack': chunk(2, 'initiation acknowledgement', INIT_FIELDS),
      sack: chunk(3, 'selective acknowledgement', {
        'cum-tsn-ack': int(32, 'cumulative TSN acknowledged'),
        'a-rwnd': int(32, 'advertised receiver window credit'),
        'num-gap-ack-blocks': int(16, 'number of gap ack blocks'),
        'num-dup-tsns': int(16, 'number of duplicate TSNs'),
      }),
      heartbeat: chunk(4, 'heartbeat request'),
      'heartbeat-ack': chunk(5, 'heartbeat acknowledgement'),
      abort: chunk(6, 'abort'),
      shutdown: chunk(7, 'shutdown', { 'cum-tsn-ack': int(32, 'cumulative TSN acknowledged') }),
      'shutdown-ack': chunk(8, 'shutdown acknowledgement'),
      error: chunk(9, 'operation error'),
      'cookie-echo': chunk(10, 'state cookie'),
      'cookie-ack': chunk(11, 'cookie acknowledgement'),
      ecne: chunk(12, 'explicit congestion notification echo', { 'lowest-tsn': int(32, 'lowest TSN') }),
      cwr: chunk(13, 'congestion window reduced', { 'lowest-tsn': int(32, 'lowest TSN') }),
      'shutdown-complete': chunk(14, 'shutdown complete'),
      'asconf-ack': chunk(128, 'address configuration acknowledgement', { seqno: int(32, 'sequence number') }),
      'forward-tsn': chunk(192, 'forward cumulative TSN', { 'new-cum-tsn': int(32, 'new cumulative TSN') }),
      asconf: chunk(193, 'address configuration change', { seqno: int(32, 'sequence number') }),
    },
  },
};

/** The spaces by the JSON tag nft writes for them. */
export const EXTHDR_SPACE_OF_JSON: Readonly<Record<string, ExthdrSpace>> = { exthdr: 'ip6', 'tcp option': 'tcp', 'ip option': 'ip', 'sctp chunk': 'sctp' };

const headerMaps: Partial<Record<ExthdrSpace, Map<string, HeaderInfo>>> = {};
export function headerInfo(space: ExthdrSpace, name: string): HeaderInfo | undefined {
  // (a Map: the parser asks with every word a selector may start with)
  return (headerMaps[space] ??= new Map(Object.entries(EXTHDR_SPACES[space].headers))).get(name);
}

export function exthdrField(space: ExthdrSpace, name: string, field: string): FieldInfo | undefined {
  const f = headerInfo(space, name)?.fields;
  return f && Object.hasOwn(f, field) ? f[field] : undefined;
}

/** The highest TCP option kind (`tcp option 255`); 256 is refused. */
export const MAX_TCP_OPTION = 255;

/** The name nft lists for TCP option kind `n`, if it has a template. */
export function tcpOptionName(n: number): string | undefined {
  for (const [name, h] of Object.entries(EXTHDR_SPACES.tcp.headers)) if (h.number === n && !h.listedAs) return name;
  return undefined;
}

/** A tunnel whose inner headers nft reads: `vxlan ip saddr`, `gre ip6 daddr`, `gretap ether saddr`. */
export interface TunnelInfo {
  doc: string;
  since: string;
  /** the protocols (PAYLOAD_FIELDS) it reads inside; absent: all of them */
  inner?: readonly string[];
  /** nft's JSON names the tunnel for the tunnel's own fields too ({"tunnel": "vxlan", "protocol": "vxlan", …}) */
  ownFieldsNameTunnel: boolean;
}

const IP_INNER = ['ip', 'ip6', 'icmp', 'icmpv6', 'igmp', 'tcp', 'udp', 'udplite', 'sctp', 'dccp', 'th', 'ah', 'esp', 'comp'];

export const TUNNELS: Readonly<Record<string, TunnelInfo>> = {
  vxlan: { doc: 'the frame inside a VXLAN packet (after udp dport 4789)', since: TUNNEL_SINCE, ownFieldsNameTunnel: true },
  geneve: { doc: 'the frame inside a Geneve packet (after udp dport 6081)', since: TUNNEL_SINCE, ownFieldsNameTunnel: true },
  gre: { doc: 'the IP packet inside a GRE packet', since: TUNNEL_SINCE, inner: IP_INNER, ownFieldsNameTunnel: false },
  gretap: { doc: 'the Ethernet frame inside a GRETAP packet', since: TUNNEL_SINCE, ownFieldsNameTunnel: false },
};

let tunnels: Map<string, TunnelInfo> | undefined;
export function tunnelInfo(name: string): TunnelInfo | undefined {
  // (a Map: the parser asks with every word a selector may start with)
  return (tunnels ??= new Map(Object.entries(TUNNELS))).get(name);
}

/** Raw payload bases: `@ll,0,8`, `@nh,8,8`, `@th,16,16`, `@ih,32,32`. */
export const RAW_PAYLOAD_BASES: Readonly<Record<string, string>> = {
  ll: 'link layer (the Ethernet header)',
  nh: 'network header (IPv4, IPv6)',
  th: 'transport header (TCP, UDP …)',
  ih: 'inner header: the payload after the transport header',
};

/** `ipsec in|out [spnum N] KEY`: the xfrm state of the packet's IPsec policy. */
export const IPSEC_KEYS: Readonly<Record<string, FieldInfo & { family?: true }>> = {
  reqid: int(32, 'request id of the IPsec policy'),
  spi: int(32, 'security parameter index'),
  saddr: { type: 'ipv4_addr', bits: 32, doc: 'tunnel source address (ipsec in ip saddr, ip6 saddr)', family: true },
  daddr: { type: 'ipv4_addr', bits: 32, doc: 'tunnel destination address (ipsec in ip daddr, ip6 daddr)', family: true },
};

/** `osf [ttl loose|skip] name|version`: passive OS fingerprinting (nfnl_osf). */
export const OSF_KEYS: Readonly<Record<string, FieldInfo>> = {
  name: { type: 'string', doc: 'operating system name ("Linux", "Windows" …; "unknown")' },
  version: { type: 'string', doc: 'operating system name and version ("Linux:3.0")' },
};
export const OSF_TTLS: readonly string[] = ['loose', 'skip'];
