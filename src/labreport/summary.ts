/** Figures derived from a lab report, shared by the standalone page, the app and the charts. */
import type { Capture, LabReport, LabRun, Packet, Role } from './types.ts';

export interface LatencyStats {
  count: number;
  ok: number;
  medianMs: number | null;
  maxMs: number | null;
  minMs: number | null;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function latencyStats(run: LabRun): LatencyStats {
  const ok = run.connections.filter((c) => c.ok).map((c) => c.latencyMs);
  return {
    count: run.connections.length,
    ok: ok.length,
    medianMs: median(ok),
    maxMs: ok.length ? Math.max(...ok) : null,
    minMs: ok.length ? Math.min(...ok) : null,
  };
}

export function peakEntries(run: LabRun): number {
  let m = 0;
  for (const s of run.samples) if (s.entries > m) m = s.entries;
  return m;
}

/** Entries at the last sample (the flood's after-effect), or 0 without samples. */
export function lastEntries(run: LabRun): number {
  return run.samples.length ? run.samples[run.samples.length - 1].entries : 0;
}

export function counter(run: LabRun, namespace: Role, name: string): number | undefined {
  return run.counters.find((c) => c.namespace === namespace && c.name === name)?.value;
}

/** tcpdump's flag letters as words: "S." → "SYN-ACK". */
export function flagName(flags: string): string {
  const names: [string, string][] = [
    ['S', 'SYN'],
    ['F', 'FIN'],
    ['R', 'RST'],
    ['P', 'PSH'],
    ['U', 'URG'],
    ['E', 'ECE'],
    ['W', 'CWR'],
    ['.', 'ACK'],
  ];
  const out = names.filter(([l]) => flags.includes(l)).map(([, n]) => n);
  return out.length ? out.join('-') : flags;
}

export function optionsText(p: Packet): string {
  const o = p.options;
  const parts: string[] = [];
  if (o.mss !== undefined) parts.push(`mss ${o.mss}`);
  if (o.sackOK) parts.push('sackOK');
  if (o.ts) parts.push(`TS ${o.ts.val}/${o.ts.ecr}`);
  if (o.wscale !== undefined) parts.push(`wscale ${o.wscale}`);
  return parts.join(' · ');
}

export function packetText(p: Packet): string {
  const parts = [flagName(p.flags)];
  if (p.seq !== null) parts.push(`seq ${p.seq}`);
  if (p.ack !== null) parts.push(`ack ${p.ack}`);
  if (p.win !== null) parts.push(`win ${p.win}`);
  if (p.len) parts.push(`len ${p.len}`);
  return parts.join(' ');
}

/** The gaps in a capture longer than `minS` (a retransmission timer shows as one). */
export function captureGaps(c: Capture, minS = 0.2): { after: number; seconds: number }[] {
  const out: { after: number; seconds: number }[] = [];
  for (let i = 1; i < c.packets.length; i++) {
    const d = c.packets[i].t - c.packets[i - 1].t;
    if (d >= minS) out.push({ after: i - 1, seconds: d });
  }
  return out;
}

/** SYN-ACKs (from anyone) that repeat an earlier one's seq between the same two lanes: retransmissions. */
export function retransmittedSynAcks(c: Capture): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  c.packets.forEach((p, i) => {
    if (!p.flags.includes('S') || !p.flags.includes('.')) return;
    const key = `${p.src} ${p.sport} ${p.dst} ${p.dport} ${p.seq} ${p.iface}`;
    if (seen.has(key)) out.push(i);
    seen.add(key);
  });
  return out;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function placementTitle(p: LabRun['placement']): string {
  return p === 'input' ? 'input: a service on the synproxy host' : 'forward: a backend behind the synproxy host';
}

export function runsOf(report: LabReport, placement: LabRun['placement'], flood = true): LabRun[] {
  return report.runs.filter((r) => r.placement === placement && r.flood === flood);
}

/** One line per run, for tables and the accessible text. */
export interface RunSummary {
  id: string;
  label: string;
  synsSent: number;
  peak: number;
  after: number;
  conntrackMax: number;
  latency: LatencyStats;
  synRetrans: number | undefined;
  /** handshake ACKs the server refused for their timestamp echo (TcpExtTSEcrRejected, Linux ≥ 6.15) */
  tsecrRejected: number | undefined;
  cookiesSent: number | undefined;
  cookiesRecv: number | undefined;
  cookiesFailed: number | undefined;
  pass: boolean;
}

export function summarize(run: LabRun): RunSummary {
  const fw = (n: string): number | undefined => counter(run, 'firewall', n);
  // the server's counters: in the input placement it is the firewall namespace
  const server = (name: string): number | undefined => (run.placement === 'input' ? fw(name) : counter(run, 'server', name));
  const srv = counter(run, 'server', 'TcpExtTCPSynRetrans');
  const fwr = fw('TcpExtTCPSynRetrans');
  return {
    id: run.id,
    label: run.label,
    synsSent: run.synsSent,
    peak: peakEntries(run),
    after: lastEntries(run),
    conntrackMax: run.conntrackMax,
    latency: latencyStats(run),
    // input: firewall and server are one namespace, counted once
    synRetrans: run.placement === 'input' ? fwr : srv === undefined && fwr === undefined ? undefined : (srv ?? 0) + (fwr ?? 0),
    tsecrRejected: server('TcpExtTSEcrRejected'),
    cookiesSent: fw('TcpExtSyncookiesSent'),
    cookiesRecv: fw('TcpExtSyncookiesRecv'),
    cookiesFailed: fw('TcpExtSyncookiesFailed'),
    pass: run.checks.every((c) => c.pass),
  };
}

/**
 * The 1 s delay as this report measured it, one line per placement that has a
 * synproxy run with and one without the timestamp option: medians, retransmitted
 * SYN-ACKs and refused timestamp echoes, per connection.
 */
export function delayMeasurement(report: LabReport): string[] {
  const out: string[] = [];
  for (const placement of ['input', 'forward'] as const) {
    const runs = report.runs.filter((r) => r.placement === placement && r.synproxy);
    const withTs = runs.find((r) => r.timestamp === true);
    const withoutTs = runs.find((r) => r.timestamp === false);
    if (!withTs || !withoutTs) continue;
    const part = (r: LabRun): string => {
      const s = summarize(r);
      return `median ${formatMs(s.latency.medianMs)} over ${s.latency.ok} connection${s.latency.ok === 1 ? '' : 's'}, ${s.synRetrans ?? 0} SYN-ACK retransmits, ${s.tsecrRejected ?? 0} TSecr rejected`;
    };
    out.push(`${placement}: with timestamp ${part(withTs)}; without timestamp ${part(withoutTs)}.`);
  }
  return out;
}
