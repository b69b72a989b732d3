/**
 * Synproxy facts (nft 1.0.6, kernel 6.18; nft.8 and the nftables wiki "Synproxy"
 * page). nft does not range-check the numbers: mss is stored as a u16 and wscale
 * as a u8, so `mss 65536` is stored as 0 and `wscale 256` as 0, while TCP itself
 * allows window scale shifts up to 14 (RFC 7323).
 */
import type { Hook } from '../model/types.ts';
import { CONNTRACK_PRIORITY } from './stages.ts';

export const SYNPROXY_MSS_MIN = 1;
export const SYNPROXY_MSS_MAX = 65535;
/** RFC 7323: the largest window scale shift TCP allows. */
export const SYNPROXY_WSCALE_TCP_MAX = 14;
/** nft stores wscale in a u8: anything larger wraps silently. */
export const SYNPROXY_WSCALE_STORED_MAX = 255;
/** Realistic MSS values (a 576-byte IPv4 path minimum to jumbo frames), for hints. */
export const SYNPROXY_MSS_TYPICAL = { min: 536, max: 9000, ethernet: 1460 } as const;

/**
 * What a new synproxy statement or object starts with, and the wizard's defaults:
 * Ethernet's MSS, a window scale of 7 (Linux's usual shift), timestamps (which
 * carry window scale and SACK inside the cookie) and SACK. They must still be
 * checked against the backend server (synproxyHelp.ts says how).
 */
export const SYNPROXY_DEFAULTS = { mss: SYNPROXY_MSS_TYPICAL.ethernet, wscale: 7, timestamp: true, sackPerm: true } as const;

/** What a synproxy rule must match so that only the 3-way handshake reaches it. */
export const SYNPROXY_CT_STATES: readonly string[] = ['invalid', 'untracked'];

/**
 * Host settings synproxy depends on, exactly as `sysctl -w` / sysctl.conf lines.
 * They are per network namespace and nft cannot set them: apply them with sysctl.
 */
export const SYNPROXY_SYSCTLS: readonly { line: string; why: string }[] = [
  {
    line: 'net.netfilter.nf_conntrack_tcp_loose=0',
    why: 'so that the ACK completing the handshake is INVALID for conntrack and reaches synproxy instead of creating a connection',
  },
  { line: 'net.ipv4.tcp_syncookies=1', why: 'synproxy answers SYNs with SYN cookies' },
  { line: 'net.ipv4.tcp_timestamps=1', why: 'the timestamp option carries the window scale and SACK settings inside the cookie' },
];

/**
 * Conntrack sizing: under a SYN flood every spoofed handshake that completes costs
 * a conntrack entry. `nf_conntrack_max` can only be written in the initial
 * network namespace (a child namespace gets `Invalid argument`), and so can the
 * hash size.
 */
export const CONNTRACK_SIZING_NOTE =
  'Size conntrack for the load you expect: raise net.netfilter.nf_conntrack_max and the hash size (/sys/module/nf_conntrack/parameters/hashsize, or net.netfilter.nf_conntrack_buckets) from the host (initial) network namespace; a container cannot change them.';

/**
 * How to read the MSS and window scale a backend announces: capture its SYN-ACK
 * (with synproxy off, or from the server itself) and read the `mss` and `wscale`
 * TCP options tcpdump prints.
 */
export function tcpdumpSynAckCommand(port?: string | number, iface = 'eth0'): string {
  // SYN and ACK both set: the server's SYN-ACK only, from the service's port
  return `tcpdump -nni ${iface} 'tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)${port ? ` and src port ${port}` : ''}'`;
}

/**
 * notrack only works before connection tracking has seen the packet: conntrack
 * runs at priority -200 in prerouting and output (and inet ingress runs before
 * prerouting). Elsewhere it is accepted but does nothing.
 */
export const NOTRACK_HOOKS: readonly Hook[] = ['prerouting', 'output'];
export const NOTRACK_EARLY_HOOKS: readonly Hook[] = ['ingress'];
export const NOTRACK_BEFORE_PRIORITY = CONNTRACK_PRIORITY;
