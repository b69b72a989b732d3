/**
 * A limit's token bucket, as the kernel keeps it, for the packet trace: one per
 * limit statement, per named limit object, and per element of a set that
 * carries a limit (`update @m { ip saddr limit rate 4/minute }`).
 */
import { TIME_UNIT_SECONDS, type RateUnit } from '../knowledge/vocabulary.ts';
import type { EvalContext } from '../trace/context.ts';
import type { LimitBody } from './limit.ts';

/** nft's default burst of a packet limit, which it leaves out of the listing (and the kernel's when none is given). */
export const DEFAULT_PACKET_BURST = 5;

const BYTES_IN: Readonly<Record<RateUnit, bigint>> = { packets: 1n, bytes: 1n, kbytes: 1024n, mbytes: 1024n ** 2n };

/**
 * Is this packet over the limit? With the flow's times, the kernel's own token
 * bucket (net/netfilter/nft_limit.c): a packet costs unit/rate nanoseconds of
 * tokens (a byte limit: unit × length / rate), the bucket holds burst packets'
 * worth (bytes: unit × (rate + burst) / rate) and starts full, refills with the
 * time that passed and is capped; a packet that finds less than its cost is
 * over and takes nothing. Without times it is an assumption (under the rate
 * unless told).
 */
export function limitOver(b: LimitBody, ctx: EvalContext, id: object | string, what: string): boolean {
  const clock = ctx.clock(id);
  const bytes = b.unit !== 'packets';
  const len = bytes ? ctx.length() : 1n;
  if (!clock || len === undefined || b.rate <= 0) return ctx.assume('limit', `${what}: the packet is over the rate`, false);
  const nsecs = BigInt(TIME_UNIT_SECONDS[b.per]) * 1_000_000_000n;
  const rate = BigInt(b.rate) * BYTES_IN[b.unit];
  const cost = bytes ? (nsecs * len) / rate : nsecs / rate;
  const max = bytes ? (nsecs * (rate + BigInt(b.burst ?? 0) * BYTES_IN[b.burstUnit ?? 'bytes'])) / rate : cost * BigInt(b.burst || DEFAULT_PACKET_BURST);
  let tokens = clock.state ? clock.state.tokens + (clock.now - clock.state.last) : max;
  if (tokens > max) tokens = max;
  const over = tokens < cost;
  clock.save(over ? tokens : tokens - cost, { what, over, margin: Number(tokens - cost) / 1e9 / (bytes ? Number(len) : 1) });
  ctx.note(`${what}: ${over ? 'over the rate' : 'under the rate'} (the kernel's token bucket at this packet's time: ${fmtPackets(tokens, cost)} of ${fmtPackets(max, cost)} packets' worth of tokens)`);
  return over;
}

const fmtPackets = (tokens: bigint, cost: bigint): string => (cost > 0n ? (Number((tokens * 100n) / cost) / 100).toString() : '∞');
