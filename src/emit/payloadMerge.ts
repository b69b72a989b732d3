/**
 * nft merges payload matches of one header that sit next to each other in the
 * packet into one load and compare (rule.c stmt_reduce / payload_do_merge), and
 * its listing splits the merged compare back into its fields — in the order of
 * their offsets, at the place of the first of them: `tcp dport 22 iifname "lo"
 * tcp sport 1024` is listed `iifname "lo" tcp sport 1024 tcp dport 22`. The
 * listing therefore depends on the merge, and the emitter does the same here:
 *
 * - a run of matches ends at any statement that is not a match (nft ≥ 1.0.9;
 *   1.0.6 merged across them, which this does not follow); other matches (meta,
 *   ct) do not end it;
 * - in a run, the `==` payload matches to one value are sorted by header and
 *   offset, and two neighbours merge when they are byte-aligned and adjacent, of
 *   128 bits at most together, and either of 32 bits at most together, in the
 *   link-layer header, or one of them already wider than 32 bits
 *   (payload_can_merge);
 * - the merged fields stand where the one with the lowest offset stood — or, when
 *   one of them names the next header (ether type, ip protocol, ip6 nexthdr),
 *   where that one stood.
 *
 * The offsets are in the payload table (knowledge/expressions.ts), checked against
 * nft's own bytecode by knowledge/offsets.kernel.test.ts.
 */
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { payloadField } from '../knowledge/expressions.ts';
import { valueOrder } from '../knowledge/datatypes.ts';

/** The header each protocol's payload is loaded from, for the protocols whose fields have offsets. */
export const PAYLOAD_BASE: Readonly<Record<string, 'll' | 'network' | 'transport'>> = {
  ether: 'll',
  ip: 'network',
  ip6: 'network',
  tcp: 'transport',
  udp: 'transport',
  udplite: 'transport',
  sctp: 'transport',
  dccp: 'transport',
  th: 'transport',
  icmp: 'transport',
  icmpv6: 'transport',
};
const BASE_RANK = { ll: 0, network: 1, transport: 2 } as const;

interface Candidate {
  index: number;
  /** (fields of two protocols never merge: a rule asking for both is refused anyway, `icmp id 9 icmpv6 sequence 4`) */
  protocol: string;
  base: 'll' | 'network' | 'transport';
  offset: number;
  bits: number;
  protocolKey: boolean;
}

function candidate(s: Statement, index: number): Candidate | undefined {
  if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==') || s.right.kind !== 'value') return undefined;
  const l: Expr = s.left;
  if (l.kind !== 'payload' || l.tunnel) return undefined;
  const base = Object.hasOwn(PAYLOAD_BASE, l.protocol) ? PAYLOAD_BASE[l.protocol] : undefined;
  const f = base ? payloadField(l.protocol, l.field) : undefined;
  if (!base || f?.offset === undefined || f.bits === undefined || f.offset % 8 || f.bits % 8) return undefined;
  return { index, protocol: l.protocol, base, offset: f.offset, bits: f.bits, protocolKey: f.protocolKey === true };
}

/** The rule's statements in the order nft lists them after its payload merge (the same array when nothing merges). */
export function mergedStatements(stmts: readonly Statement[]): readonly Statement[] {
  // the common case first, without allocating: no two payload matches in one run
  let inRun = 0;
  let two = false;
  for (const s of stmts) {
    if (s.kind !== 'match') inRun = 0;
    else if (s.left.kind === 'payload' && ++inRun > 1) {
      two = true;
      break;
    }
  }
  if (!two) return stmts;
  // where each merged group stands, and the statements it takes from elsewhere
  const at = new Map<number, number[]>();
  const gone = new Set<number>();
  let run: Candidate[] = [];
  const flush = (): void => {
    if (run.length > 1) merge(run, at, gone);
    run = [];
  };
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (s.kind !== 'match') {
      flush();
      continue;
    }
    const c = candidate(s, i);
    if (c) run.push(c);
  }
  flush();
  if (!at.size) return stmts;
  const out: Statement[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const group = at.get(i);
    if (group) for (const k of group) out.push(stmts[k]);
    else if (!gone.has(i)) out.push(stmts[i]);
  }
  return out;
}

function merge(run: Candidate[], at: Map<number, number[]>, gone: Set<number>): void {
  const sorted = [...run].sort((a, b) => BASE_RANK[a.base] - BASE_RANK[b.base] || a.offset - b.offset);
  let group: Candidate[] = [sorted[0]];
  let len = sorted[0].bits;
  const close = (): void => {
    if (group.length > 1) {
      // nft keeps the statement of the first in offset order — or of the last that names the next header — and drops the others
      const place = ([...group].reverse().find((c) => c.protocolKey) ?? group[0]).index;
      at.set(place, group.map((c) => c.index));
      for (const c of group) if (c.index !== place) gone.add(c.index);
    }
  };
  for (let k = 1; k < sorted.length; k++) {
    const c = sorted[k];
    const last = group[group.length - 1];
    const total = len + c.bits;
    const ok = c.base === last.base && c.protocol === last.protocol && group[0].offset + len === c.offset && total <= 128 && (total <= 32 || c.base === 'll' || len > 32 || c.bits > 32);
    if (ok) {
      group.push(c);
      len = total;
    } else {
      close();
      group = [c];
      len = c.bits;
    }
  }
  close();
}

/**
 * nft lists a merged compare of transport header fields it cannot name (`th`, with
 * no transport protocol before it) as raw payload: `th dport 22 th sport 1024` is
 * `@th,0,32 0x4000016`, 1.0.6 and 1.1.3 alike. Given the statements as
 * mergedStatements ordered them (a merged run stands together, in offset order),
 * the raw match for the run that starts at I and how many statements it covers, or
 * undefined. `named(k)`: statement k was given a protocol (tcp, udp) by its dependency.
 */
export function rawTransportRun(stmts: readonly Statement[], i: number, named: (k: number) => boolean): { text: string; count: number } | undefined {
  const field = (k: number): { offset: number; bits: number; value: bigint } | undefined => {
    const s = stmts[k];
    if (!s || named(k) || s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==') || s.right.kind !== 'value') return undefined;
    if (s.left.kind !== 'payload' || s.left.protocol !== 'th' || s.left.tunnel) return undefined;
    const f = payloadField('th', s.left.field);
    const value = f ? valueOrder(s.right.text, f.type) : undefined;
    return f?.offset === undefined || f.bits === undefined || value === undefined ? undefined : { offset: f.offset, bits: f.bits, value };
  };
  const first = field(i);
  if (!first) return undefined;
  let bits = first.bits;
  let value = first.value;
  let count = 1;
  for (let next = field(i + 1); next && next.offset === first.offset + bits && bits + next.bits <= 32; next = field(i + count)) {
    value = (value << BigInt(next.bits)) | next.value;
    bits += next.bits;
    count++;
  }
  return count > 1 ? { text: `@th,${first.offset},${bits} 0x${value.toString(16)}`, count } : undefined;
}
