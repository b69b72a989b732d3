/**
 * parseLabReport: reads a lab report (types.ts) as untrusted input. The text must
 * be at most LAB_REPORT_LIMITS.maxChars long and valid JSON; every field is checked
 * for its type, range and length, unknown fields are refused, and each error names
 * its path (`runs[1].samples[3].entries: expected a non-negative number`). The
 * walk follows the schema, not the input, so its depth is the schema's.
 */
import {
  LAB_REPORT_FORMAT,
  LAB_REPORT_LIMITS as L,
  LAB_REPORT_VERSION,
  type Capture,
  type Check,
  type Connection,
  type Counter,
  type LabReport,
  type LabRun,
  type Packet,
  type Sample,
  type TcpOptions,
} from './types.ts';

export type LabReportResult = { ok: true; report: LabReport } | { ok: false; errors: string[] };

class Errors {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    if (this.list.length < L.maxErrors) this.list.push(`${path || 'report'}: ${message}`);
  }
  get full(): boolean {
    return this.list.length >= L.maxErrors;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Control characters other than tab and newline (and lone surrogates) have no place in a report. */
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** An object with exactly these fields at most (each field's own check says when one is missing). */
function obj(v: unknown, path: string, keys: readonly string[], e: Errors): Obj | undefined {
  if (path && missing(v, path, e)) return undefined;
  if (!isObj(v)) {
    e.add(path, 'expected an object');
    return undefined;
  }
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) e.add(path, `unknown field ${JSON.stringify(k.slice(0, 40))}`);
  }
  return v;
}

function missing(v: unknown, path: string, e: Errors): boolean {
  if (v !== undefined) return false;
  e.add(path, 'missing');
  return true;
}

function str(v: unknown, path: string, e: Errors, max: number, opts: { min?: number; pattern?: RegExp; multiline?: boolean } = {}): string {
  if (missing(v, path, e)) return '';
  if (typeof v !== 'string') {
    e.add(path, 'expected a string');
    return '';
  }
  if (v.length > max) e.add(path, `longer than ${max} characters`);
  else if (v.length < (opts.min ?? 0)) e.add(path, `expected at least ${opts.min} character${opts.min === 1 ? '' : 's'}`);
  else if (BAD_CHARS.test(v) || (!opts.multiline && /[\n\t]/.test(v))) e.add(path, 'contains control characters');
  else if (opts.pattern && !opts.pattern.test(v)) e.add(path, `does not match ${String(opts.pattern)}`);
  return v;
}

function num(v: unknown, path: string, e: Errors, opts: { min?: number; max?: number; int?: boolean } = {}): number {
  const min = opts.min ?? -Infinity;
  const max = opts.max ?? Infinity;
  const what = opts.int ? 'an integer' : 'a number';
  const upTo = max < Infinity ? ` (at most ${max})` : '';
  const describe = min === 0 ? `a non-negative ${opts.int ? 'integer' : 'number'}${upTo}` : min > -Infinity && max < Infinity ? `${what} from ${min} to ${max}` : min > -Infinity ? `${what} ≥ ${min}` : what;
  if (missing(v, path, e)) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (opts.int && !Number.isInteger(v))) {
    e.add(path, `expected ${describe}`);
    return 0;
  }
  return v;
}

function bool(v: unknown, path: string, e: Errors): boolean {
  if (missing(v, path, e)) return false;
  if (typeof v !== 'boolean') e.add(path, 'expected true or false');
  return v === true;
}

function oneOf<T extends string>(v: unknown, path: string, e: Errors, values: readonly T[]): T {
  if (missing(v, path, e)) return values[0];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    e.add(path, `expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    return values[0];
  }
  return v as T;
}

function arr<T>(v: unknown, path: string, e: Errors, max: number, item: (x: unknown, p: string) => T, min = 0): T[] {
  if (missing(v, path, e)) return [];
  if (!Array.isArray(v)) {
    e.add(path, 'expected a list');
    return [];
  }
  if (v.length > max) {
    e.add(path, `more than ${max} items`);
    return [];
  }
  if (v.length < min) e.add(path, `expected at least ${min} item${min === 1 ? '' : 's'}`);
  const out: T[] = [];
  for (let i = 0; i < v.length && !e.full; i++) out.push(item(v[i], `${path}[${i}]`));
  return out;
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const U32 = 0xffffffff;
const ROLES = ['client', 'firewall', 'server'] as const;

function sample(v: unknown, p: string, e: Errors): Sample {
  const o = obj(v, p, ['t', 'entries'], e);
  if (!o) return { t: 0, entries: 0 };
  return { t: num(o.t, `${p}.t`, e, { min: -3600, max: 3600 }), entries: num(o.entries, `${p}.entries`, e, { min: 0, max: 1e9, int: true }) };
}

function connection(v: unknown, p: string, e: Errors): Connection {
  const o = obj(v, p, ['phase', 't', 'ok', 'latencyMs'], e);
  if (!o) return { phase: 'before', t: 0, ok: false, latencyMs: 0 };
  return {
    phase: oneOf(o.phase, `${p}.phase`, e, ['before', 'during', 'after'] as const),
    t: num(o.t, `${p}.t`, e, { min: -3600, max: 3600 }),
    ok: bool(o.ok, `${p}.ok`, e),
    latencyMs: num(o.latencyMs, `${p}.latencyMs`, e, { min: 0, max: 600_000 }),
  };
}

function counter(v: unknown, p: string, e: Errors): Counter {
  const o = obj(v, p, ['namespace', 'name', 'value'], e);
  if (!o) return { namespace: 'client', name: '', value: 0 };
  return {
    namespace: oneOf(o.namespace, `${p}.namespace`, e, ROLES),
    name: str(o.name, `${p}.name`, e, 80, { min: 1, pattern: /^[A-Za-z][A-Za-z0-9_.]*$/ }),
    value: num(o.value, `${p}.value`, e, { min: 0, max: Number.MAX_SAFE_INTEGER, int: true }),
  };
}

function options(v: unknown, p: string, e: Errors): TcpOptions {
  const o = obj(v, p, ['mss', 'wscale', 'sackOK', 'ts'], e);
  const out: TcpOptions = {};
  if (!o) return out;
  if ('mss' in o) out.mss = num(o.mss, `${p}.mss`, e, { min: 0, max: 65535, int: true });
  if ('wscale' in o) out.wscale = num(o.wscale, `${p}.wscale`, e, { min: 0, max: 255, int: true });
  if ('sackOK' in o) out.sackOK = bool(o.sackOK, `${p}.sackOK`, e);
  if ('ts' in o) {
    const t = obj(o.ts, `${p}.ts`, ['val', 'ecr'], e);
    if (t) out.ts = { val: num(t.val, `${p}.ts.val`, e, { min: 0, max: U32, int: true }), ecr: num(t.ecr, `${p}.ts.ecr`, e, { min: 0, max: U32, int: true }) };
  }
  return out;
}

function nullableU32(v: unknown, p: string, e: Errors): number | null {
  return v === null ? null : num(v, p, e, { min: 0, max: U32, int: true });
}

function packet(v: unknown, p: string, e: Errors, lanes: number): Packet {
  const keys = ['t', 'from', 'to', 'iface', 'dir', 'src', 'dst', 'sport', 'dport', 'flags', 'seq', 'ack', 'win', 'len', 'options'] as const;
  const o = obj(v, p, keys, e);
  const lane = { min: 0, max: Math.max(0, lanes - 1), int: true };
  if (!o) return { t: 0, from: 0, to: 0, iface: '', dir: '', src: '', dst: '', sport: 0, dport: 0, flags: '', seq: null, ack: null, win: null, len: 0, options: {} };
  return {
    t: num(o.t, `${p}.t`, e, { min: 0, max: 3600 }),
    from: num(o.from, `${p}.from`, e, lane),
    to: num(o.to, `${p}.to`, e, lane),
    iface: str(o.iface, `${p}.iface`, e, 32, { pattern: /^[A-Za-z0-9_.@-]*$/ }),
    dir: oneOf(o.dir, `${p}.dir`, e, ['In', 'Out', ''] as const),
    src: str(o.src, `${p}.src`, e, 64, { min: 1, pattern: /^[0-9A-Fa-f.:]+$/ }),
    dst: str(o.dst, `${p}.dst`, e, 64, { min: 1, pattern: /^[0-9A-Fa-f.:]+$/ }),
    sport: num(o.sport, `${p}.sport`, e, { min: 0, max: 65535, int: true }),
    dport: num(o.dport, `${p}.dport`, e, { min: 0, max: 65535, int: true }),
    flags: str(o.flags, `${p}.flags`, e, 12, { min: 1, pattern: /^[SFRPUEW.]+$/ }),
    seq: nullableU32(o.seq, `${p}.seq`, e),
    ack: nullableU32(o.ack, `${p}.ack`, e),
    win: o.win === null ? null : num(o.win, `${p}.win`, e, { min: 0, max: 65535, int: true }),
    len: num(o.len, `${p}.len`, e, { min: 0, max: 65535, int: true }),
    options: options(o.options, `${p}.options`, e),
  };
}

function capture(v: unknown, p: string, e: Errors): Capture | null {
  if (v === null) return null;
  const o = obj(v, p, ['namespace', 'filter', 'lanes', 'packets'], e);
  if (!o) return null;
  const lanes = arr(o.lanes, `${p}.lanes`, e, L.maxLanes, (x, q) => str(x, q, e, 60, { min: 1 }), 2);
  return {
    namespace: oneOf(o.namespace, `${p}.namespace`, e, ROLES),
    filter: str(o.filter, `${p}.filter`, e, L.maxShort),
    lanes,
    packets: arr(o.packets, `${p}.packets`, e, L.maxPackets, (x, q) => packet(x, q, e, lanes.length)),
  };
}

function check(v: unknown, p: string, e: Errors): Check {
  const o = obj(v, p, ['name', 'pass', 'detail'], e);
  if (!o) return { name: '', pass: false, detail: '' };
  return { name: str(o.name, `${p}.name`, e, L.maxShort, { min: 1 }), pass: bool(o.pass, `${p}.pass`, e), detail: str(o.detail, `${p}.detail`, e, L.maxText) };
}

function ascending(list: { t: number }[], path: string, e: Errors): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i].t < list[i - 1].t) {
      e.add(`${path}[${i}].t`, 'expected times in ascending order');
      return;
    }
  }
}

function run(v: unknown, p: string, e: Errors): LabRun | undefined {
  const keys = ['id', 'label', 'placement', 'synproxy', 'timestamp', 'flood', 'ruleset', 'namespaces', 'synsSent', 'floodS', 'conntrackMax', 'samples', 'connections', 'counters', 'capture', 'checks'] as const;
  const o = obj(v, p, keys, e);
  if (!o) return undefined;
  const rs = obj(o.ruleset, `${p}.ruleset`, ['source', 'text'], e);
  const ns = obj(o.namespaces, `${p}.namespaces`, ROLES, e);
  const nsName = (x: unknown, q: string): string => str(x, q, e, 64, { min: 1, pattern: /^[A-Za-z0-9_.-]+$/ });
  const synproxy = bool(o.synproxy, `${p}.synproxy`, e);
  let timestamp: boolean | null = null;
  if (synproxy) timestamp = bool(o.timestamp, `${p}.timestamp`, e);
  else if (!missing(o.timestamp, `${p}.timestamp`, e) && o.timestamp !== null) e.add(`${p}.timestamp`, 'expected null (no synproxy in this run)');
  const r: LabRun = {
    id: str(o.id, `${p}.id`, e, 40, { pattern: ID }),
    label: str(o.label, `${p}.label`, e, L.maxShort, { min: 1 }),
    placement: oneOf(o.placement, `${p}.placement`, e, ['input', 'forward'] as const),
    synproxy,
    timestamp,
    flood: bool(o.flood, `${p}.flood`, e),
    ruleset: { source: rs ? str(rs.source, `${p}.ruleset.source`, e, L.maxText) : '', text: rs ? str(rs.text, `${p}.ruleset.text`, e, L.maxRuleset, { multiline: true }) : '' },
    namespaces: { client: ns ? nsName(ns.client, `${p}.namespaces.client`) : '', firewall: ns ? nsName(ns.firewall, `${p}.namespaces.firewall`) : '', server: ns ? nsName(ns.server, `${p}.namespaces.server`) : '' },
    synsSent: num(o.synsSent, `${p}.synsSent`, e, { min: 0, max: 1e9, int: true }),
    floodS: num(o.floodS, `${p}.floodS`, e, { min: 0, max: 3600 }),
    conntrackMax: num(o.conntrackMax, `${p}.conntrackMax`, e, { min: 0, max: 1e10, int: true }),
    samples: arr(o.samples, `${p}.samples`, e, L.maxSamples, (x, q) => sample(x, q, e)),
    connections: arr(o.connections, `${p}.connections`, e, L.maxConnections, (x, q) => connection(x, q, e)),
    counters: arr(o.counters, `${p}.counters`, e, L.maxCounters, (x, q) => counter(x, q, e)),
    capture: capture(o.capture, `${p}.capture`, e),
    checks: arr(o.checks, `${p}.checks`, e, L.maxChecks, (x, q) => check(x, q, e)),
  };
  ascending(r.samples, `${p}.samples`, e);
  ascending(r.connections, `${p}.connections`, e);
  if (r.capture) ascending(r.capture.packets, `${p}.capture.packets`, e);
  return r;
}

/** Validates `text` as a lab report of this version; on failure the errors name their fields. */
export function parseLabReport(text: string): LabReportResult {
  if (typeof text !== 'string') return { ok: false, errors: ['report: expected text'] };
  if (text.length > L.maxChars) return { ok: false, errors: [`report: ${text.length.toLocaleString('en')} characters, more than a lab report can have (${L.maxChars.toLocaleString('en')})`] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`report: not JSON (${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'})`] };
  }
  const e = new Errors();
  const top = obj(data, '', ['format', 'version', 'createdAt', 'wallTimeS', 'host', 'config', 'verdict', 'runs'], e);
  if (!top) return { ok: false, errors: e.list };
  // the format and version first: a different document gets one clear error, not twenty
  if (top.format !== LAB_REPORT_FORMAT) return { ok: false, errors: [`format: expected "${LAB_REPORT_FORMAT}" (this is not a lab report)`] };
  if (top.version !== LAB_REPORT_VERSION) return { ok: false, errors: [`version: expected ${LAB_REPORT_VERSION} (this app reads version ${LAB_REPORT_VERSION} of the lab report)`] };
  const host = obj(top.host, 'host', ['kernel', 'nft', 'tcpdump', 'hping3', 'cpus'], e);
  const config = obj(top.config, 'config', ['port', 'synCount', 'floodIntervalUs', 'floodTimeLimitS', 'sampleIntervalMs'], e);
  const verdict = obj(top.verdict, 'verdict', ['pass', 'problems'], e);
  const report: LabReport = {
    format: LAB_REPORT_FORMAT,
    version: LAB_REPORT_VERSION,
    createdAt: str(top.createdAt, 'createdAt', e, 40, { pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/ }),
    wallTimeS: num(top.wallTimeS, 'wallTimeS', e, { min: 0, max: 86_400 }),
    host: {
      kernel: host ? str(host.kernel, 'host.kernel', e, L.maxShort) : '',
      nft: host ? str(host.nft, 'host.nft', e, L.maxShort) : '',
      tcpdump: host ? str(host.tcpdump, 'host.tcpdump', e, L.maxShort) : '',
      hping3: host ? str(host.hping3, 'host.hping3', e, L.maxShort) : '',
      cpus: host ? num(host.cpus, 'host.cpus', e, { min: 1, max: 65_536, int: true }) : 1,
    },
    config: {
      port: config ? num(config.port, 'config.port', e, { min: 1, max: 65535, int: true }) : 0,
      synCount: config ? num(config.synCount, 'config.synCount', e, { min: 0, max: 1e9, int: true }) : 0,
      floodIntervalUs: config ? num(config.floodIntervalUs, 'config.floodIntervalUs', e, { min: 0, max: 1e7, int: true }) : 0,
      floodTimeLimitS: config ? num(config.floodTimeLimitS, 'config.floodTimeLimitS', e, { min: 0, max: 3600 }) : 0,
      sampleIntervalMs: config ? num(config.sampleIntervalMs, 'config.sampleIntervalMs', e, { min: 1, max: 60_000 }) : 1,
    },
    verdict: {
      pass: verdict ? bool(verdict.pass, 'verdict.pass', e) : false,
      problems: verdict ? arr(verdict.problems, 'verdict.problems', e, L.maxProblems, (x, q) => str(x, q, e, L.maxText, { min: 1 })) : [],
    },
    runs: [],
  };
  const runs = arr(top.runs, 'runs', e, L.maxRuns, (x, q) => run(x, q, e), 1);
  const seen = new Set<string>();
  runs.forEach((r, i) => {
    if (!r) return;
    if (seen.has(r.id)) e.add(`runs[${i}].id`, `${JSON.stringify(r.id)} is used by an earlier run`);
    seen.add(r.id);
  });
  if (e.list.length) return { ok: false, errors: e.list };
  report.runs = runs as LabRun[];
  return { ok: true, report };
}
