/**
 * Why a connection through synproxy can take about 1 s on Linux 6.18 (the server's
 * first SYN-ACK is retransmitted: TcpExtTCPSynRetrans=1), with the evidence. One
 * place: read by the synproxy help, the lab report and the kernel test
 * (synproxyDelay.kernel.test.ts), which reproduces the measurement.
 *
 * Found in two network namespaces joined by veth (the designer's
 * synproxy-anonymous template, input placement) and in three (client, firewall
 * with the template on forward, backend), on Linux 6.18.44 with nft 1.0.6 and
 * 1.1.3: tcpdump on veth and lo, the packets leaving the output hook (a `log
 * group` rule read with tcpdump -i nflog:N, i.e. before synproxy's own
 * postrouting hook), nstat -az in each namespace, conntrack -E, nft monitor trace,
 * and the kernel source (net/netfilter/nf_synproxy_core.c, net/ipv4/tcp_minisocks.c).
 */
export interface DelayFinding {
  /** one sentence: what happens */
  summary: string;
  /** the cause, as found with captures and kernel counters */
  cause: string;
  /** the evidence: counters, captured packets, kernel source references */
  evidence: readonly string[];
  /** whether the ruleset/sysctls cause it ('design') or the kernel does ('kernel') */
  origin: 'design' | 'kernel' | 'unknown';
  /** what avoids it, if anything */
  fix: string | null;
}

/** The Linux change that made the server check TSecr during the handshake. */
export const TCP_TSECR_CHECK_COMMIT = {
  id: '3ba075278c11',
  title: 'tcp: be less liberal in TSEcr received while in SYN_RECV state',
  since: '6.15',
} as const;

/**
 * What a lab should read to show the finding, per namespace ('server' is the host
 * that runs the service: the synproxy host itself in the input placement, the
 * backend in the forward placement; 'client' the connecting host). With the
 * timestamp option and a client that waits for the server to speak first, the
 * server shows TSEcrRejected=1 and TCPSynRetrans=1 and the client SYNChallenge=1;
 * without timestamp all three stay 0 and the connection takes milliseconds.
 */
export const SYNPROXY_DELAY_COUNTERS: readonly { namespace: 'server' | 'client'; name: string; meaning: string }[] = [
  { namespace: 'server', name: 'TcpExtTSEcrRejected', meaning: "the server dropped the proxy's handshake ACK: its TSecr is none of the TSvals of the server's SYN-ACKs" },
  { namespace: 'server', name: 'TcpExtTCPSynRetrans', meaning: 'the server resent its SYN-ACK when the 1 s initial retransmission timer expired' },
  { namespace: 'client', name: 'TcpExtTCPSYNChallenge', meaning: 'the already connected client answered that resent SYN-ACK with a challenge ACK, which finally completes the handshake' },
];

export const SYNPROXY_FIRST_SYNACK_DELAY: DelayFinding = {
  summary:
    "With the timestamp option, synproxy sends the server a handshake ACK with a wrong TSecr. Since Linux 6.15 the server drops it (TcpExtTSEcrRejected=1) and waits for its 1 s SYN-ACK retransmission (TcpExtTCPSynRetrans=1) before the connection is accepted. This happens with or without a flood, in the input and forward placements, and only when the client waits for the server to speak first.",
  cause:
    "A bug in the kernel's synproxy (nf_synproxy_core.c): it corrects the same timestamp twice. When the server's SYN-ACK reaches synproxy's postrouting hook (connection in SYN_RECV), synproxy sets tsoff = the server's TSval minus the cookie TSval it gave the client. It then builds the ACK to the server with TSecr = the server's TSval, which is already right (synproxy_send_server_ack, sent without a conntrack entry). That ACK goes through conntrack at output, is now ESTABLISHED in the original direction, and hits synproxy's postrouting hook again. There synproxy_tstamp_adjust adds tsoff to its TSecr a second time. " +
    `Before commit ${TCP_TSECR_CHECK_COMMIT.id} ("${TCP_TSECR_CHECK_COMMIT.title}", Linux ${TCP_TSECR_CHECK_COMMIT.since}, also in 6.14 stable), servers ignored TSecr in SYN_RECV, so nothing showed. Now tcp_check_req() drops an ACK whose TSecr is outside the TSvals of its own SYN-ACKs. ` +
    "So the server discards the ACK, answers it with an ACK of its own, and stays in SYN_RECV. The connection completes only at the next segment from the client. A client that sends first (HTTP, TLS) sends it at once: its TSecr is adjusted only once, so it is right, and the server accepts it. A client that waits (the lab's probe, SMTP/FTP/POP3/IMAP/MySQL-style greetings) sends nothing until the server resends its SYN-ACK after the 1 s initial RTO. Synproxy passes that SYN-ACK through, the connected client answers with a challenge ACK, and its correctly adjusted TSecr completes the handshake. " +
    "Nothing is lost or dropped by the ruleset: conntrack marks the connection ESTABLISHED at once, and the server's TCP stack is what rejects the packet.",
  evidence: [
    'Input placement, synproxy-anonymous template, sysctls nf_conntrack_tcp_loose=0, tcp_syncookies=1, tcp_timestamps=1, one connection to a service that speaks first: 1.02 s. Fresh namespaces, nstat -az before/after: server TcpExtTSEcrRejected 0→1, TcpExtTCPSynRetrans 0→1, TcpExtTCPTimeouts 0→1, TcpRetransSegs 0→1. Client TcpExtTCPSYNChallenge 0→1, TcpExtTCPChallengeACK 0→1, TcpInErrs 0→1. /proc/net/stat/synproxy: cookie_valid 1, cookie_retrans 0. Under a bounded spoofed flood (hping3 -S --rand-source, 3000 SYNs 1 ms apart, running during the connection) the numbers are the same: 1.03 s, TSEcrRejected=1, TCPSynRetrans=1, nf_conntrack_count 1.',
    "Packets (one run, sequence numbers relative): the client's SYN has TS val 1395669478. Synproxy's cookie SYN-ACK has TS val 747674 (low 6 bits 26 = wscale 10 + SACK). The proxied SYN on lo has TS val 1395669478 ecr 747674. The server's SYN-ACK at the output hook (log group → tcpdump -i nflog:5) has TS val 3504719247, so tsoff = 3504719247 − 747674 = 3503971573. Synproxy's ACK to the server at the output hook has ecr 3504719247 (right). The same ACK on lo, after synproxy's postrouting hook, has ecr 2713723524 = 3504719247 + 3503971573 mod 2^32 (tsoff added twice).",
    "Server veth: right after that ACK, two ACKs go to the client, synproxy's window update and the server's answer to the rejected ACK. 1.002 s later the server resends its SYN-ACK (TS val 748676 after adjustment). The client answers with ecr 747674, which synproxy turns into 3504719247, the TSval of the first SYN-ACK. The server accepts it and sends its greeting 4 ms later.",
    'conntrack -E: NEW SYN_SENT, then ESTABLISHED [ASSURED] 0.1 ms later, a full second before the server accepts. nft monitor trace: the proxy\'s ACK passes the input chain by policy accept, and `ct state invalid drop` matches nothing (its counter stays 0). The ruleset drops nothing.',
    "Kernel source: nf_synproxy_core.c ipv4_synproxy_hook, case TCP_CONNTRACK_SYN_RECV: `synproxy->tsoff = opts.tsval - synproxy->its`, swap(tsval, tsecr), synproxy_send_server_ack() → synproxy_send_tcp(…, nfct NULL) → ip_local_out. On the way out the hook runs again for that ACK; the connection is ESTABLISHED, so the hook falls through to synproxy_tstamp_adjust(), whose original-direction branch does `tsecr + tsoff`. tcp_minisocks.c tcp_check_req(): `tsecr_reject = !between(rcv_tsecr, snt_tsval_first, snt_tsval_last)`, then send_ack, LINUX_MIB_TSECRREJECTED, return NULL. ipv6_synproxy_hook has the same code (not measured: the lab runs IPv4 only).",
    'Forward placement (client → firewall with the template on forward → backend, all veth): the same, 1.02 s. On the backend\'s wire the SYN-ACK has TS val 2125913709 and the proxy\'s ACK has ecr 4251217664 (= 2125913709 + tsoff, tsoff = 2125913709 − 609754). Backend TcpExtTSEcrRejected=1 and TcpExtTCPSynRetrans=1. Loopback versus veth and input versus forward make no difference.',
    "Candidate fixes, measured: removing `timestamp` → 0.01 s, all counters 0. Server net.ipv4.tcp_timestamps=0 (on the backend for forward) → 0.01 s, counters 0. tcp_timestamps=2 (no per-connection random offset) → still 1.02 s with TSEcrRejected=1: the offset synproxy adds is the difference between the server's clock and the cookie's, not the random ts_off. Client without timestamps → 0.00 s. A client that sends data first → 0.005 s, with TSEcrRejected=1 but no SYN-ACK retransmission. Same under nft 1.0.6 and 1.1.3: the ruleset is the same bytecode.",
  ],
  origin: 'kernel',
  fix:
    'No upstream fix was found: the nf_synproxy_core.c sources searched all have this code. The real fix belongs in the kernel: send the ACK with its conntrack entry already set, or do not re-adjust packets synproxy built itself. Workarounds, each with a cost: ' +
    '(1) drop `timestamp` from the synproxy statement. The handshake is instant, but the client then gets no window scaling and no SACK (they travel only in the timestamp cookie), so the window stays under 64 KiB (at most about 5 Mbit/s at 100 ms RTT) and loss recovery is poorer. Also no TCP timestamps (PAWS, RTT measurement). ' +
    '(2) net.ipv4.tcp_timestamps=0 on the host that runs the service (the backend for forward). Window scaling and SACK are kept, but that host stops using timestamps on all its connections. On proxied ones the client has agreed timestamps with synproxy yet receives segments without them: Linux clients accept this, though RFC 7323 lets a receiver drop them. ' +
    '(3) tcp_timestamps=2 does not help. ' +
    '(4) A ruleset-only workaround, tested but not in the templates: notrack the proxy\'s own ACK before conntrack sees it, in `type filter hook output priority raw` with `fib saddr type != local tcp dport P tcp flags & (fin | syn | rst | ack) == ack notrack`. With input placement, also add `iif != "lo"` to the synproxy rule, because the untracked ACK comes back in through lo. Its cost: it relies on kernel internals, conntrack misses that ACK, and it is not tried under flood. Measured: the entry stays SYN_RECV with its 60 s timeout until the client sends something. A client that stays silent longer would lose the entry and then be dropped as invalid (inferred, not measured). ' +
    'Services where the client speaks first (HTTP, TLS) are not delayed. The templates keep `timestamp`: the delay comes from the kernel, not from the design.',
};

/** Short form for field help (the timestamp checkbox). */
export const SYNPROXY_DELAY_NOTE =
  `Linux ${TCP_TSECR_CHECK_COMMIT.since} and later: with timestamp, a connection where the server speaks first (SMTP, FTP, the lab's probe) waits about 1 s, because a kernel synproxy bug corrupts the TSecr of its handshake ACK and the server drops it (TcpExtTSEcrRejected, then TcpExtTCPSynRetrans). HTTP and TLS are not affected. Removing timestamp avoids it but loses window scaling and SACK.`;
