/**
 * The synproxy lab's report (lab/synproxy-lab.sh writes it; lab/report-html.ts and
 * the app's "Open lab report" dialog render it). One JSON document:
 *
 *   { "format": "nft-designer-lab-report", "version": 1, ... }
 *
 * Version 1 schema (every field is required unless marked optional; no other fields
 * are allowed anywhere; numbers are finite; times are seconds unless the name says ms):
 *
 *   format          "nft-designer-lab-report"
 *   version         1
 *   createdAt       ISO 8601 UTC time the lab finished ("2026-12-02T19:00:00Z")
 *   wallTimeS       the lab's whole run time
 *   host            { kernel, nft, tcpdump, hping3: version strings; cpus: integer ≥ 1 }
 *   config          { port, synCount, floodIntervalUs, floodTimeLimitS, sampleIntervalMs }
 *   verdict         { pass: boolean, problems: string[] (what failed, in words) }
 *   runs[]          one per run of the lab (1..MAX_RUNS), each:
 *     id            [a-z0-9-]{1,40}, unique ("input-baseline", "forward-synproxy", …)
 *     label         a person's name for the run
 *     placement     "input" (service on the synproxy host) | "forward" (backend behind it)
 *     synproxy      whether the ruleset has synproxy
 *     timestamp     the synproxy `timestamp` option (null without synproxy)
 *     flood         whether a SYN flood ran (false: a latency-only run)
 *     ruleset       { source: where it came from (template, wizard options), text: the nft script }
 *     namespaces    { client, firewall, server }: the roles' namespace names (firewall and
 *                   server are the same namespace for the input placement)
 *     synsSent      SYNs hping3 reports sent (0 without a flood)
 *     floodS        how long the flood ran (0 without a flood)
 *     conntrackMax  net.netfilter.nf_conntrack_max in the firewall namespace
 *     samples[]     { t, entries }: `conntrack -C` in the firewall namespace, t from the
 *                   flood's start (negative: before it), ascending
 *     connections[] { phase: "before"|"during"|"after" the flood, t (from the flood's
 *                   start), ok, latencyMs (connect to reading the reply; the timeout when
 *                   it failed) }
 *     counters[]    { namespace: role, name, value: integer ≥ 0 }: nstat's TcpExt/Tcp
 *                   counters and /proc/net/stat/synproxy (summed over CPUs) at the end of
 *                   the run (each run has fresh namespaces, so they count this run only)
 *     capture       one clean legitimate connection as tcpdump saw it, or null:
 *       namespace   the role it was captured in; filter: the tcpdump filter
 *       lanes[]     2..4 names of the parties, left to right
 *       packets[]   { t (from the first packet), from, to (lane indexes), iface, dir ("In",
 *                   "Out" or ""), src, dst (addresses), sport, dport, flags (tcpdump's
 *                   letters: S F R P . U E W), seq, ack, win (null when absent), len,
 *                   options: { mss?, wscale?, sackOK?, ts?: { val, ecr } } }
 *     checks[]      { name, pass, detail }: the verdicts on this run
 */

export const LAB_REPORT_FORMAT = 'nft-designer-lab-report';
export const LAB_REPORT_VERSION = 1;

/** Bounds the parser enforces (a report is untrusted input: it may come from anywhere). */
export const LAB_REPORT_LIMITS = {
  /** the whole document, in UTF-16 code units (what `text.length` counts) */
  maxChars: 4_000_000,
  maxRuns: 16,
  maxSamples: 5_000,
  maxConnections: 2_000,
  maxCounters: 64,
  maxPackets: 200,
  maxChecks: 16,
  maxProblems: 50,
  maxLanes: 4,
  /** short strings: ids, names, versions, addresses */
  maxShort: 200,
  /** sentences: labels, problems, check details, ruleset sources */
  maxText: 2_000,
  /** an nft script */
  maxRuleset: 65_536,
  /** how many errors parseLabReport lists before it stops looking */
  maxErrors: 20,
} as const;

export type Placement = 'input' | 'forward';
export type Phase = 'before' | 'during' | 'after';
export type Role = 'client' | 'firewall' | 'server';

export interface HostInfo {
  kernel: string;
  nft: string;
  tcpdump: string;
  hping3: string;
  cpus: number;
}

export interface LabConfig {
  port: number;
  synCount: number;
  floodIntervalUs: number;
  floodTimeLimitS: number;
  sampleIntervalMs: number;
}

export interface Sample {
  t: number;
  entries: number;
}

export interface Connection {
  phase: Phase;
  t: number;
  ok: boolean;
  latencyMs: number;
}

export interface Counter {
  namespace: Role;
  name: string;
  value: number;
}

export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackOK?: boolean;
  ts?: { val: number; ecr: number };
}

export interface Packet {
  t: number;
  from: number;
  to: number;
  iface: string;
  dir: 'In' | 'Out' | '';
  src: string;
  dst: string;
  sport: number;
  dport: number;
  flags: string;
  seq: number | null;
  ack: number | null;
  win: number | null;
  len: number;
  options: TcpOptions;
}

export interface Capture {
  namespace: Role;
  filter: string;
  lanes: string[];
  packets: Packet[];
}

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface LabRun {
  id: string;
  label: string;
  placement: Placement;
  synproxy: boolean;
  timestamp: boolean | null;
  flood: boolean;
  ruleset: { source: string; text: string };
  namespaces: { client: string; firewall: string; server: string };
  synsSent: number;
  floodS: number;
  conntrackMax: number;
  samples: Sample[];
  connections: Connection[];
  counters: Counter[];
  capture: Capture | null;
  checks: Check[];
}

export interface LabReport {
  format: typeof LAB_REPORT_FORMAT;
  version: typeof LAB_REPORT_VERSION;
  createdAt: string;
  wallTimeS: number;
  host: HostInfo;
  config: LabConfig;
  verdict: { pass: boolean; problems: string[] };
  runs: LabRun[];
}
