/**
 * Why a connection through synproxy can take about 1 s on Linux 6.18 (the server's
 * first SYN-ACK is retransmitted: TcpExtTCPSynRetrans=1), with the evidence. One
 * place: read by the synproxy help, the lab report and (if the design causes it)
 * the linter and the wizard.
 *
 * Placeholder: the investigation fills this in.
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

export const SYNPROXY_FIRST_SYNACK_DELAY: DelayFinding = {
  summary: 'On Linux 6.18 a connection through synproxy with the timestamp option takes about 1 s: the server retransmits its first SYN-ACK (TcpExtTCPSynRetrans=1).',
  cause: 'not yet established',
  evidence: [],
  origin: 'unknown',
  fix: null,
};
