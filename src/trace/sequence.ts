/**
 * The sequence diagram of a traced flow (client, synproxy, server): one arrow per
 * packet the trace followed, from its verdict, and the packets synproxy sends
 * itself where the trace says it answered (a cookie SYN-ACK to the client; after
 * the client's valid ACK, its own handshake with the server, as the trace followed
 * it through the design: `generated`). Drawn by the app's
 * Trace tab; built from the evaluator's results only.
 */
import type { PacketResult } from './evaluate.ts';
import { parsePacket } from './packet.ts';

export type Party = 'client' | 'synproxy' | 'server';

export interface Arrow {
  from: Party;
  to: Party;
  /** TCP flags or the protocol (`SYN`, `SYN-ACK (cookie)`, `ACK`, `data`, `UDP`) */
  label: string;
  /** what happened to it */
  outcome: 'delivered' | 'dropped' | 'answered by synproxy' | 'sent by synproxy' | 'queued';
  /** the traced packet it stands for (absent: a packet synproxy sends, which the trace does not follow) */
  packet?: number;
}

function flagsLabel(flags: bigint): string {
  const names: [bigint, string][] = [
    [2n, 'SYN'],
    [16n, 'ACK'],
    [1n, 'FIN'],
    [4n, 'RST'],
    [8n, 'PSH'],
  ];
  const on = names.filter(([b]) => (flags & b) !== 0n).map(([, n]) => n);
  if (on.includes('PSH') && on.includes('ACK') && on.length === 2) return 'data';
  return on.join('-') || 'no flags';
}

/** The flow's client is the first packet's source; a packet from it goes toward the server. */
export function sequenceOf(results: readonly PacketResult[]): Arrow[] {
  const arrows: Arrow[] = [];
  let client: unknown;
  results.forEach((r, i) => {
    let p;
    try {
      p = parsePacket(r.packet);
    } catch {
      return;
    }
    const saddr = p.fields.get(`${p.l3} saddr`);
    client ??= saddr;
    const towardServer = saddr === client;
    const flags = p.fields.get('tcp flags');
    const label = p.l4 === 'tcp' && typeof flags === 'bigint' ? flagsLabel(flags) : p.l4.toUpperCase();
    const stolen = r.verdict === 'stolen' && r.notes.some((n) => n.startsWith('synproxy'));
    const from: Party = towardServer ? 'client' : 'server';
    const to: Party = towardServer ? (stolen ? 'synproxy' : 'server') : 'client';
    const outcome: Arrow['outcome'] = stolen ? 'answered by synproxy' : r.verdict === 'accept' ? 'delivered' : r.verdict === 'queue' ? 'queued' : 'dropped';
    // synproxy's own SYN-ACK: the server has not seen the SYN, synproxy answers for it
    const cookie = r.notes.some((n) => n.startsWith('this SYN-ACK is the one synproxy sends'));
    arrows.push({ from: cookie ? 'synproxy' : from, to, label: cookie ? 'SYN-ACK (cookie)' : label, outcome: cookie ? 'sent by synproxy' : outcome, packet: i });
    if (stolen && label === 'SYN') {
      const next = results[i + 1];
      const answered = next && next.notes.some((n) => n.startsWith('this SYN-ACK is the one synproxy sends'));
      if (!answered) arrows.push({ from: 'synproxy', to: 'client', label: 'SYN-ACK (cookie)', outcome: 'sent by synproxy' });
    }
    // synproxy's handshake with the server, as the trace followed it (evaluate.ts synproxyHandshake):
    // its SYN, the server's SYN-ACK (which synproxy takes), its ACK, the window update to the client
    for (const g of r.generated ?? []) {
      let q;
      try {
        q = parsePacket(g.packet);
      } catch {
        continue;
      }
      const f = q.fields.get('tcp flags');
      const gl = typeof f === 'bigint' ? flagsLabel(f) : q.l4.toUpperCase();
      const fromClientSide = q.fields.get(`${q.l3} saddr`) === client;
      const reached = g.verdict === 'accept' || g.verdict === 'stolen';
      if (fromClientSide) arrows.push({ from: 'synproxy', to: 'server', label: gl, outcome: reached ? 'sent by synproxy' : 'dropped', packet: i });
      else if (g.verdict === 'stolen') arrows.push({ from: 'server', to: 'synproxy', label: gl, outcome: 'delivered', packet: i });
      else if (reached) arrows.push({ from: 'synproxy', to: 'client', label: `${gl} (window update)`, outcome: 'sent by synproxy', packet: i });
      else arrows.push({ from: fromClientSide ? 'synproxy' : 'server', to: fromClientSide ? 'server' : 'synproxy', label: gl, outcome: 'dropped', packet: i });
    }
  });
  return arrows;
}

/** Whether the flow involved synproxy (the diagram then has its middle column). */
export function usesSynproxy(arrows: readonly Arrow[]): boolean {
  return arrows.some((a) => a.from === 'synproxy' || a.to === 'synproxy');
}
