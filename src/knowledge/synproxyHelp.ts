/**
 * What each synproxy parameter does, for the help next to the fields (rule
 * builder, synproxy object form, wizard). Facts from nft.8, the nftables wiki
 * "Synproxy" page and the kernel's nf_synproxy: synproxy answers the client's
 * SYN itself with a SYN cookie, so it must announce the options the backend
 * would have announced; once the handshake completes it opens the connection to
 * the backend and translates between the two.
 */
import { FEATURES, type Feature } from './versions.ts';
import { SYNPROXY_MSS_MAX, SYNPROXY_MSS_MIN, SYNPROXY_WSCALE_TCP_MAX, tcpdumpSynAckCommand } from './synproxyFacts.ts';
import { SYNPROXY_DELAY_NOTE, SYNPROXY_FIRST_SYNACK_DELAY } from './synproxyDelay.ts';

/**
 * Capture the backend's SYN-ACK (only packets with both SYN and ACK set) and
 * read its options: tcpdump prints them as `[mss 1460,sackOK,TS val … ecr 0,nop,wscale 7]`.
 */
export function synAckTcpdump(port = '443', iface = 'eth0'): string {
  return tcpdumpSynAckCommand(port, iface);
}

const MATCH_BACKEND =
  'It must match the backend server: synproxy announces it to the client on the server\'s behalf. ' +
  `To read the server's values, capture its SYN-ACK (from the server itself, or with synproxy off): ${synAckTcpdump()} ` +
  'and read "mss 1460" and "wscale 7" in the options tcpdump prints.';

export const SYNPROXY_HELP = {
  mss:
    `Maximum segment size: the largest TCP payload the client may send in one segment (${SYNPROXY_MSS_MIN}..${SYNPROXY_MSS_MAX}; ` +
    `typically 1460 on Ethernet, MTU 1500 minus 40 bytes of IP and TCP headers). ${MATCH_BACKEND}`,
  wscale:
    `Window scale: the shift (0..${SYNPROXY_WSCALE_TCP_MAX}) applied to the receive window the server advertises, so windows can grow beyond 64 KiB ` +
    `(Linux servers usually announce 7). ${MATCH_BACKEND} It only reaches the client with timestamp on.`,
  timestamp:
    'TCP timestamps (RFC 7323). A SYN cookie has no room for window scaling or SACK, so synproxy encodes them in the timestamp: ' +
    'without timestamp, wscale and sack-perm are lost. Keep it on when the server uses timestamps (net.ipv4.tcp_timestamps=1). ' +
    SYNPROXY_DELAY_NOTE,
  sackPerm:
    'Selective acknowledgement permitted: the client may acknowledge out-of-order segments so only lost ones are resent. ' +
    'Enable it when the server announces sackOK in its SYN-ACK; it travels in the timestamp cookie, so it needs timestamp.',
  mode:
    'Anonymous: the parameters are written in the rule (nftables 0.9.2). By name: the rule uses a synproxy object of the table, ' +
    'declared once and shared (0.9.3). By map: the object is chosen per packet, e.g. by source network, from a map in the rule ' +
    '(0.9.3) or a named map of type … : synproxy (declarations of such maps work from 1.0.2).',
  placement:
    'synproxy works only in filter chains on input (a service on this host) or forward (a server behind it), for packets that conntrack ' +
    'sees as invalid or untracked (ct state invalid,untracked), with the SYNs exempted from conntrack by a notrack rule in prerouting at priority raw.',
  /** the 1 s first-connection delay with timestamp (synproxyDelay.ts, the one place for it) */
  delay: `${SYNPROXY_FIRST_SYNACK_DELAY.summary} Cause (${SYNPROXY_FIRST_SYNACK_DELAY.origin}): ${SYNPROXY_FIRST_SYNACK_DELAY.cause} What avoids it: ${SYNPROXY_FIRST_SYNACK_DELAY.fix ?? 'nothing known'}`,
} as const;

export type SynproxyMode = 'anonymous' | 'name' | 'map' | 'namedMap';

/** The nftables feature each way of writing synproxy needs. */
export const SYNPROXY_MODE_FEATURE: Readonly<Record<SynproxyMode, Feature>> = {
  anonymous: FEATURES.synproxyStmt,
  name: FEATURES.synproxyObject,
  map: FEATURES.synproxyObject,
  namedMap: FEATURES.synproxyMaps,
};
