/**
 * Conntrack's TCP state machine, as the kernel's nf_conntrack_proto_tcp.c has
 * it (Linux 6.x): which flag combinations conntrack refuses outright
 * (tcp_error), and the transition table tcp_conntracks[direction][index][state].
 * The window checks (sequence and acknowledgement numbers) are not modelled:
 * every packet is taken to be in the window, which the evaluator states as an
 * assumption.
 */

export const TCP_STATES = ['none', 'syn_sent', 'syn_recv', 'established', 'fin_wait', 'close_wait', 'last_ack', 'time_wait', 'close', 'syn_sent2'] as const;
export type TcpState = (typeof TCP_STATES)[number];

/** get_conntrack_index: RST first, then SYN (with or without ACK), FIN, ACK, none. */
export type TcpIndex = 'syn' | 'synack' | 'fin' | 'ack' | 'rst' | 'none';

/** What a transition gives: a state, or `ignore` (accepted, state kept) or `invalid`. */
export type TcpNext = TcpState | 'ignore' | 'invalid';

const FIN = 0x01n;
const SYN = 0x02n;
const RST = 0x04n;
const PSH = 0x08n;
const ACK = 0x10n;
const URG = 0x20n;
const ECE = 0x40n;
const CWR = 0x80n;

/** tcp_valid_flags: the combinations (ECE, CWR and PSH aside) conntrack takes; any other is invalid before any lookup. */
const VALID_FLAGS: ReadonlySet<bigint> = new Set([SYN, SYN | URG, SYN | ACK, RST, RST | ACK, FIN | ACK, FIN | ACK | URG, ACK, ACK | URG]);

export function validTcpFlags(flags: bigint): boolean {
  return VALID_FLAGS.has(flags & 0xffn & ~(ECE | CWR | PSH));
}

export function tcpIndex(flags: bigint): TcpIndex {
  if (flags & RST) return 'rst';
  if (flags & SYN) return flags & ACK ? 'synack' : 'syn';
  if (flags & FIN) return 'fin';
  if (flags & ACK) return 'ack';
  return 'none';
}

const sSS = 'syn_sent', sSR = 'syn_recv', sES = 'established', sFW = 'fin_wait', sCW = 'close_wait', sLA = 'last_ack', sTW = 'time_wait', sCL = 'close', sS2 = 'syn_sent2', sIV = 'invalid', sIG = 'ignore';

/** tcp_conntracks, rows by index, columns in TCP_STATES order. */
type Row = readonly [TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext, TcpNext];
const ORIGINAL: Readonly<Record<TcpIndex, Row>> = {
  //       sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2
  syn: [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
  synack: [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
  fin: [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
  ack: [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
  rst: [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
  none: [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
};
const REPLY: Readonly<Record<TcpIndex, Row>> = {
  //       sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2
  syn: [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
  synack: [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
  fin: [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
  ack: [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
  rst: [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
  none: [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
};

/** The TCP part of a conntrack entry. */
export interface TcpTrack {
  state: TcpState;
  /** a FIN started the close (IP_CT_TCP_FLAG_CLOSE_INIT, either side) */
  closeInit: boolean;
  /** the last in-window packet's index and direction */
  lastIndex?: TcpIndex;
  lastReply?: boolean;
}

/**
 * What the packet (FLAGS, in the reply direction or not) does to an entry: `reopen`
 * when it is a SYN that reopens a closed connection (the kernel deletes the entry
 * and looks the packet up again, as one of no connection), else the next state,
 * `ignore` or `invalid`. Updates TRACK as the kernel does.
 */
export function tcpStep(track: TcpTrack, flags: bigint, reply: boolean): TcpNext | 'reopen' {
  const index = tcpIndex(flags);
  const old = track.state;
  let next = (reply ? REPLY : ORIGINAL)[index][TCP_STATES.indexOf(old)];
  if (next === 'syn_sent' && (old === 'time_wait' || old === 'close')) {
    // RFC 1122: a SYN may reopen a connection in TIME_WAIT; an aborted one too, when this side sent the reset
    if (track.closeInit || (track.lastReply === reply && track.lastIndex === 'rst')) return 'reopen';
    next = 'ignore';
  }
  if (next === 'invalid') return next;
  track.lastIndex = index;
  track.lastReply = reply;
  if (next === 'ignore') return next;
  if (next === 'fin_wait' && old !== 'fin_wait') track.closeInit = true;
  track.state = next;
  return next;
}

/** The state a new entry starts in (tcp_new, then the table from NONE): SYN → syn_sent, a picked-up ACK → established, else invalid. */
export function tcpFirst(flags: bigint): TcpState | 'invalid' {
  const next = ORIGINAL[tcpIndex(flags)][0];
  return next === 'syn_sent' || next === 'established' ? next : 'invalid';
}
