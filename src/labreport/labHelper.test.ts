/**
 * The lab's report step (lab/synproxy_lab_tcp.py report) on raw run data made up
 * here: it parses tcpdump's text, nstat and /proc/net/stat/synproxy, judges the
 * runs, and writes a report that parseLabReport accepts. The verdicts can fail:
 * a synproxy run whose conntrack grows, a baseline that does not, a failed
 * legitimate connection, a flood without samples. Needs python3 (under CI=true
 * its absence is a failure, elsewhere the suite skips saying so).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLabReport } from './parse.ts';
import type { LabReport } from './types.ts';

const HELPER = new URL('../../lab/synproxy_lab_tcp.py', import.meta.url).pathname;
const HAVE_PYTHON = spawnSync('python3', ['--version']).status === 0;
const IN_CI = process.env.CI === 'true';
if (!HAVE_PYTHON) {
  if (IN_CI) throw new Error('python3 is required for the lab helper tests (CI=true)');
  console.warn('*** lab helper tests SKIPPED: python3 not found');
}

const root = mkdtempSync(join(tmpdir(), 'labhelper-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = 1796238440;
// tcpdump -i any -nn -tt -S -l in the firewall of the forward placement (abridged)
const CAPTURE = [
  `${T0}.000000 c-side In  IP 198.18.0.2.40000 > 198.18.1.2.8888: Flags [S], seq 100, win 64240, options [mss 1460,sackOK,TS val 5 ecr 0,nop,wscale 10], length 0`,
  `${T0}.000100 c-side Out IP 198.18.1.2.8888 > 198.18.0.2.40000: Flags [S.], seq 900, ack 101, win 0, options [mss 1460,sackOK,TS val 7 ecr 5,nop,wscale 10], length 0`,
  `${T0}.000200 c-side In  IP 198.18.0.2.40000 > 198.18.1.2.8888: Flags [.], ack 901, win 63, options [nop,nop,TS val 5 ecr 7], length 0`,
  `${T0}.000300 s-side Out IP 198.18.0.2.40000 > 198.18.1.2.8888: Flags [S], seq 100, win 63, options [mss 1460,sackOK,TS val 5 ecr 7,nop,wscale 10], length 0`,
  `${T0}.000400 s-side In  IP 198.18.1.2.8888 > 198.18.0.2.40000: Flags [S.], seq 3000, ack 101, win 65160, options [mss 1460,sackOK,TS val 9 ecr 5,nop,wscale 10], length 0`,
  'a line tcpdump prints that is no packet',
  `${T0 + 1}.020000 s-side In  IP 198.18.1.2.8888 > 198.18.0.2.40000: Flags [S.], seq 3000, ack 101, win 65160, options [mss 1460,sackOK,TS val 1029 ecr 5,nop,wscale 10], length 0`,
  `${T0 + 1}.030000 s-side In  IP 198.18.1.2.8888 > 198.18.0.2.40000: Flags [P.], seq 3001:3004, ack 101, win 64, options [nop,nop,TS val 1030 ecr 5], length 3`,
  `${T0 + 1}.040000 lo    In  IP 127.0.0.1.1 > 127.0.0.1.2: Flags [R], seq 1, win 0, length 0`,
].join('\n');
const LANES = JSON.stringify({ names: ['client', 'firewall', 'server'], map: { 'c-side In': [0, 1], 'c-side Out': [1, 0], 's-side Out': [1, 2], 's-side In': [2, 1] } });
const NSTAT = '#kernel\nTcpExtTCPSynRetrans 1 0.0\nTcpExtTSEcrRejected 1 0.0\nTcpExtSyncookiesSent 0 0.0\nIpExtInOctets 99 0.0\n';
// a header and two CPUs, hexadecimal
const SYNPROXY_STAT = 'entries\t\tsyn_received\tcookie_invalid\tcookie_valid\tcookie_retrans\tconn_reopened\n00000000\t0000000a\t00000000\t00000002\t00000000\t00000000\n00000000\t00000010\t00000001\t00000001\t00000000\t00000000\n';

interface RunSpec {
  id: string;
  synproxy: boolean;
  peak: number;
  samples?: number;
  failAfter?: boolean;
}

function writeRun(base: string, spec: RunSpec): string {
  const dir = join(base, spec.id);
  mkdirSync(dir, { recursive: true });
  const meta = {
    id: spec.id,
    label: `forward, ${spec.synproxy ? 'synproxy' : 'without synproxy'}`,
    placement: 'forward',
    synproxy: spec.synproxy ? 1 : 0,
    timestamp: 1,
    flood: 1,
    ruleset_source: 'wizard: test',
    ns_client: 'c',
    ns_firewall: 'f',
    ns_server: 's',
    conntrack_max: 262144,
    capture_ns: 'firewall',
    capture_filter: '-i any tcp port 8888',
    lanes: LANES,
    flood_start: `${T0 + 10}.5`,
    flood_s: 2,
    syns_sent: 20000,
  };
  writeFileSync(join(dir, 'meta'), `${Object.entries(meta).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  const n = spec.samples ?? 30;
  writeFileSync(join(dir, 'samples'), Array.from({ length: n }, (_, i) => `${(T0 + 10.3 + i * 0.1).toFixed(4)} ${Math.round((spec.peak * i) / Math.max(1, n - 1))}`).join('\n') + '\n');
  const conn = (phase: string, t: number, ok: boolean) => JSON.stringify({ t, ok, latencyMs: ok ? 1012.5 : 3000, phase });
  writeFileSync(join(dir, 'conns.jsonl'), [conn('before', T0 + 9, true), conn('during', T0 + 11, true), conn('after', T0 + 14, !spec.failAfter)].join('\n') + '\n');
  writeFileSync(join(dir, 'capture.txt'), CAPTURE);
  writeFileSync(join(dir, 'nstat-server'), NSTAT);
  writeFileSync(join(dir, 'synproxy-firewall'), SYNPROXY_STAT);
  writeFileSync(join(dir, 'ruleset.nft'), 'table ip lab_synproxy {\n}\n');
  return dir;
}

function report(name: string, specs: RunSpec[]): { status: number | null; stderr: string; report: LabReport } {
  const base = join(root, name);
  const dirs = specs.map((s) => writeRun(base, s));
  const out = join(base, 'report.json');
  const env = { ...process.env, LAB_PORT: '8888', LAB_SYN_COUNT: '20000', LAB_FLOOD_INTERVAL_US: '50', LAB_FLOOD_TIME_LIMIT: '30', LAB_SAMPLE_MS: '100', LAB_WALL_S: '61', LAB_KERNEL: '6.18.44', LAB_NFT: 'nftables v1.0.6', LAB_TCPDUMP: 'tcpdump version 4.99.3', LAB_HPING3: 'hping3 version 3.0.0' };
  const r = spawnSync('python3', [HELPER, 'report', out, ...dirs], { encoding: 'utf8', env });
  const parsed = parseLabReport(readFileSync(out, 'utf8'));
  if (!parsed.ok) throw new Error(`the helper wrote an invalid report:\n${parsed.errors.join('\n')}`);
  return { status: r.status, stderr: r.stderr, report: parsed.report };
}

const GOOD: RunSpec[] = [
  { id: 'forward-baseline', synproxy: false, peak: 18000 },
  { id: 'forward-synproxy', synproxy: true, peak: 6 },
];

describe.skipIf(!HAVE_PYTHON)('the lab helper: report and verdicts', () => {
  it('a good lab passes, and its report is one the app reads', () => {
    const r = report('good', GOOD);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.report.verdict).toEqual({ pass: true, problems: [] });
    const run = r.report.runs[1];
    expect(run.checks.map((c) => c.name)).toEqual([
      'the flood happened',
      'conntrack was sampled during the flood',
      'synproxy keeps conntrack flat',
      'legitimate connections before the flood',
      'legitimate connections during the flood',
      'legitimate connections after the flood',
      'the handshake was captured',
    ]);
    // times from the flood's start; samples before it are negative
    expect(run.samples[0].t).toBeCloseTo(-0.2, 3);
    expect(run.connections.map((c) => [c.phase, c.t])).toEqual([
      ['before', -1.5],
      ['during', 0.5],
      ['after', 3.5],
    ]);
  });

  it('reads tcpdump into packets: lanes from the interface and direction, flags, seq, ack, options', () => {
    const cap = report('capture', GOOD).report.runs[1].capture!;
    // the non-packet line and the unmapped lo packet are left out
    expect(cap.packets.map((p) => [p.from, p.to, p.flags])).toEqual([
      [0, 1, 'S'],
      [1, 0, 'S.'],
      [0, 1, '.'],
      [1, 2, 'S'],
      [2, 1, 'S.'],
      [2, 1, 'S.'],
      [2, 1, 'P.'],
    ]);
    expect(cap.packets[0]).toMatchObject({ t: 0, iface: 'c-side', dir: 'In', src: '198.18.0.2', sport: 40000, dst: '198.18.1.2', dport: 8888, seq: 100, ack: null, win: 64240, len: 0, options: { mss: 1460, sackOK: true, ts: { val: 5, ecr: 0 }, wscale: 10 } });
    expect(cap.packets[2]).toMatchObject({ seq: null, ack: 901, win: 63, options: { ts: { val: 5, ecr: 7 } } });
    expect(cap.packets[5].t).toBeCloseTo(1.02, 6);
    expect(cap.packets[6]).toMatchObject({ seq: 3001, len: 3 });
  });

  it('counters: nstat by name, /proc/net/stat/synproxy summed over the CPUs', () => {
    const run = report('counters', GOOD).report.runs[1];
    const c = (ns: string, name: string) => run.counters.find((x) => x.namespace === ns && x.name === name)?.value;
    expect(c('server', 'TcpExtTCPSynRetrans')).toBe(1);
    expect(c('server', 'TcpExtTSEcrRejected')).toBe(1);
    expect(c('server', 'IpExtInOctets')).toBeUndefined();
    expect(c('firewall', 'synproxy.syn_received')).toBe(0x1a);
    expect(c('firewall', 'synproxy.cookie_valid')).toBe(3);
    expect(c('firewall', 'synproxy.cookie_invalid')).toBe(1);
  });

  it('wait-capture: a connection is whole once every interface that carried a FIN has both and an ACK after them', () => {
    const line = (t: number, iface: string, flags: string) => `${T0}.${String(t).padStart(6, '0')} ${iface} In  IP 198.18.0.2.40000 > 198.18.1.2.8888: Flags [${flags}], seq 1, win 63, length 0`;
    const whole = [line(1, 'c-side', 'S'), line(2, 'lo', 'S'), line(3, 's-side', 'F.'), line(4, 'c-side', 'F.'), line(5, 'c-side', 'F.'), line(6, 'c-side', '.'), line(7, 's-side', 'F.'), line(8, 's-side', '.')];
    const wait = (lines: string[]): number | null => {
      const f = join(root, `capture-${lines.length}.txt`);
      writeFileSync(f, `${lines.join('\n')}\n`);
      return spawnSync('python3', [HELPER, 'wait-capture', f, '0.1']).status;
    };
    expect(wait(whole)).toBe(0);
    // the server's side has not closed yet
    expect(wait(whole.slice(0, 7))).toBe(1);
    expect(wait(whole.slice(0, 2))).toBe(1);
  });

  const failing: [string, RunSpec[], RegExp][] = [
    ['synproxy lets conntrack grow', [GOOD[0], { ...GOOD[1], peak: 500 }], /forward, synproxy: synproxy keeps conntrack flat: peak 500 entries/],
    ['the baseline shows no growth', [{ ...GOOD[0], peak: 50 }, GOOD[1]], /forward, without synproxy: conntrack grows without synproxy: peak 50 entries/],
    ['a legitimate connection fails', [GOOD[0], { ...GOOD[1], failAfter: true }], /legitimate connections after the flood: 0 of 1 succeeded/],
    ['the flood was not sampled', [GOOD[0], { ...GOOD[1], samples: 0 }], /conntrack was sampled during the flood: 0 samples/],
  ];
  for (const [what, specs, problem] of failing) {
    it(`fails when ${what}`, () => {
      const r = report(what.replace(/\W+/g, '-'), specs);
      expect(r.status).toBe(1);
      expect(r.report.verdict.pass).toBe(false);
      expect(r.report.verdict.problems.join('\n')).toMatch(problem);
      expect(r.stderr).toMatch(/lab: FAIL: /);
    });
  }
});
