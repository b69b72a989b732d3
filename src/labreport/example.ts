/**
 * A small, valid lab report for the tests (and a readable example of the schema):
 * one placement, a baseline and a synproxy run, a three-packet capture. Each call
 * returns a fresh copy that a test may change.
 */
import type { LabReport, LabRun } from './types.ts';

function run(over: Partial<LabRun> & Pick<LabRun, 'id' | 'label' | 'synproxy'>): LabRun {
  return {
    placement: 'input',
    timestamp: over.synproxy ? true : null,
    flood: true,
    ruleset: { source: 'template synproxy-anonymous', text: 'table ip t {\n}\n' },
    namespaces: { client: 'lab-c', firewall: 'lab-f', server: 'lab-f' },
    synsSent: 20000,
    floodS: 2,
    conntrackMax: 262144,
    samples: [
      { t: -0.2, entries: 1 },
      { t: 0, entries: 1 },
      { t: 1, entries: over.synproxy ? 2 : 9000 },
      { t: 2, entries: over.synproxy ? 3 : 18000 },
    ],
    connections: [
      { phase: 'before', t: -1, ok: true, latencyMs: over.synproxy ? 1020 : 1.2 },
      { phase: 'during', t: 0.5, ok: true, latencyMs: over.synproxy ? 1015 : 2.5 },
      { phase: 'after', t: 3, ok: !!over.synproxy, latencyMs: over.synproxy ? 1011 : 3000 },
    ],
    counters: [
      { namespace: 'firewall', name: 'TcpExtTCPSynRetrans', value: over.synproxy ? 3 : 0 },
      { namespace: 'firewall', name: 'synproxy.cookie_valid', value: over.synproxy ? 3 : 0 },
    ],
    capture: {
      namespace: 'firewall',
      filter: '-i any tcp port 8888',
      lanes: ['client 198.18.0.2', 'host 198.18.0.1'],
      packets: [
        { t: 0, from: 0, to: 1, iface: 'c-side', dir: 'In', src: '198.18.0.2', dst: '198.18.0.1', sport: 40000, dport: 8888, flags: 'S', seq: 100, ack: null, win: 64240, len: 0, options: { mss: 1460, sackOK: true, ts: { val: 1, ecr: 0 }, wscale: 7 } },
        { t: 0.001, from: 1, to: 0, iface: 'c-side', dir: 'Out', src: '198.18.0.1', dst: '198.18.0.2', sport: 8888, dport: 40000, flags: 'S.', seq: 500, ack: 101, win: 0, len: 0, options: { mss: 1460, wscale: 7 } },
        { t: 1.002, from: 0, to: 1, iface: 'c-side', dir: 'In', src: '198.18.0.2', dst: '198.18.0.1', sport: 40000, dport: 8888, flags: '.', seq: null, ack: 501, win: 502, len: 0, options: {} },
      ],
    },
    checks: [{ name: 'the flood happened', pass: true, detail: '20000 SYNs sent' }],
    ...over,
  };
}

export function exampleReport(): LabReport {
  return {
    format: 'nft-designer-lab-report',
    version: 1,
    createdAt: '2026-12-02T19:00:00Z',
    wallTimeS: 60,
    host: { kernel: '6.18.0', nft: 'nftables v1.0.6', tcpdump: 'tcpdump version 4.99.3', hping3: 'hping3 version 3.0.0', cpus: 2 },
    config: { port: 8888, synCount: 20000, floodIntervalUs: 80, floodTimeLimitS: 30, sampleIntervalMs: 100 },
    verdict: { pass: true, problems: [] },
    runs: [run({ id: 'input-baseline', label: 'input, without synproxy', synproxy: false }), run({ id: 'input-synproxy', label: 'input, synproxy (template)', synproxy: true })],
  };
}
