/**
 * `limit rate [over] N/UNIT [burst N packets]`, `limit rate [over] N BYTES/UNIT
 * [burst N BYTES]`; `limit name …` is an object reference (objref.ts). The body
 * (everything after `limit`) is shared with named limit objects.
 */
import { RATE_UNITS, TIME_UNITS, isOneOf, wordList, type RateUnit, type TimeUnit } from '../knowledge/vocabulary.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import { bool, fail, int, objectBody, only, str } from '../json/readJson.ts';
import type { Cursor } from '../parse/cursor.ts';
import { Tok } from '../parse/lexer.ts';
import { lists11 } from '../knowledge/listing.ts';
import { byteAmount, formatBytes, isByteUnit } from './units.ts';
import type { SafetyChecker, ShapeChecker, StmtModule } from './module.ts';
import { parseObjectRef } from './objref.ts';
import { NEXT } from '../trace/context.ts';
import { DEFAULT_PACKET_BURST, limitOver } from './limitBucket.ts';

export interface LimitStmt {
  kind: 'limit';
  over?: boolean;
  rate: number;
  unit: RateUnit;
  per: TimeUnit;
  burst?: number;
  burstUnit?: RateUnit;
}

export type LimitBody = Omit<LimitStmt, 'kind'>;



const BYTE_RATE_UNITS = RATE_UNITS.filter((u) => u !== 'packets');

/** `N/second` or `N mbytes/second` (the scanner reads `mbytes/second` as one word). */
function parseRate(c: Cursor): { rate: number; unit: RateUnit; per: TimeUnit } {
  const rate = c.expectNumber('a rate');
  if (c.k() === Tok.Slash) {
    c.next();
    const per = c.expectWord('a time unit');
    if (!isOneOf(TIME_UNITS, per)) c.fail(`expected ${wordList(TIME_UNITS)}`);
    return { rate, unit: 'packets', per };
  }
  const w = c.expectWord('a rate unit');
  const slash = w.indexOf('/');
  let unit = w;
  let per: string;
  if (slash > 0) {
    unit = w.slice(0, slash);
    per = w.slice(slash + 1);
  } else {
    c.expectKind(Tok.Slash, '"/"');
    per = c.expectWord('a time unit');
  }
  if (!isOneOf(BYTE_RATE_UNITS, unit)) c.fail(`expected ${wordList(BYTE_RATE_UNITS)}`);
  if (!isOneOf(TIME_UNITS, per)) c.fail(`expected ${wordList(TIME_UNITS)}`);
  return { rate, unit, per };
}

/** Why the kernel refuses the limit, or undefined: a rate of 0 (Invalid argument, both versions). Read by the linter. */
export function limitProblem(l: LimitBody): string | undefined {
  return l.rate === 0 ? 'a limit of 0 per period lets nothing pass, and the kernel refuses it (Could not process rule: Invalid argument): drop the packets instead, or give a rate of at least 1' : undefined;
}

/**
 * A burst in the other unit than the rate (`limit rate 10/second burst 10 bytes`,
 * `limit rate 512 kbytes/second burst 5 packets`): nft 1.0.6 and 1.1.3 refuse it
 * (a syntax error). Shared by the linter and the builder.
 */
export function limitBurstUnitProblem(l: LimitBody): string | undefined {
  if (l.burst === undefined || l.burstUnit === undefined) return undefined;
  const packets = l.unit === 'packets';
  if (packets === (l.burstUnit === 'packets')) return undefined;
  return packets
    ? `a limit in packets takes its burst in packets: write "burst ${l.burst} packets", not ${l.burstUnit}`
    : `a limit in bytes takes its burst in bytes (bytes, kbytes, mbytes), not packets`;
}

export function parseLimitBody(c: Cursor): LimitBody {
  if (!c.eat('rate')) c.fail('expected rate');
  const over = c.eat('over');
  const { rate, unit, per } = parseRate(c);
  const s: LimitBody = { rate, unit, per };
  if (over) s.over = true;
  if (c.is('burst')) {
    c.next();
    s.burst = c.expectNumber('a burst');
    const u = c.w();
    if (isOneOf(RATE_UNITS, u)) {
      c.next();
      s.burstUnit = u;
    }
  }
  return s;
}

/**
 * The body after `limit` as nft lists it. A packet limit's default burst (5) is
 * left out by nft 1.0.6 and listed by 1.1 in a rule (`listBurst`); a named limit
 * object leaves it out in both.
 */
export function formatLimitBody(l: LimitBody, listBurst = false): string {
  let s = `rate ${l.over ? 'over ' : ''}`;
  if (isByteUnit(l.unit)) s += `${formatBytes(l.rate, l.unit)}/${l.per}`;
  else s += `${l.rate}/${l.per}`;
  if (isByteUnit(l.unit)) {
    if (l.burst) s += ` burst ${formatBytes(l.burst, l.burstUnit && l.burstUnit !== 'packets' ? l.burstUnit : 'bytes')}`;
  } else if (listBurst) {
    s += ` burst ${l.burst || DEFAULT_PACKET_BURST} packets`;
  } else if (l.burst !== undefined && l.burst !== DEFAULT_PACKET_BURST && l.burst !== 0) {
    s += ` burst ${l.burst} packets`;
  }
  return s;
}

/** The JSON of a limit statement or object; a packet limit without a burst gets nft's text default (JSON would take 0). */
export function limitJson(s: LimitBody): JsonObject {
  if (s.unit === 'packets') {
    const l: JsonObject = { rate: s.rate, burst: s.burst ?? DEFAULT_PACKET_BURST, per: s.per };
    if (s.over) l.inv = true;
    return l;
  }
  const [rate, rateUnit] = byteAmount(s.rate, s.unit);
  const [burst, burstUnit] = byteAmount(s.burst ?? 0, s.burstUnit && s.burstUnit !== 'packets' ? s.burstUnit : 'bytes');
  const l: JsonObject = { rate, burst, per: s.per, rate_unit: rateUnit, burst_unit: burstUnit };
  if (s.over) l.inv = true;
  return l;
}

/** The fields of a limit statement or object in JSON. */
export function limitFields(o: JsonObject): LimitBody {
  const rate = int(o, 'rate') ?? fail('limit needs a rate');
  const per = str(o, 'per') ?? 'second';
  if (!isOneOf(TIME_UNITS, per)) fail(`unknown limit time unit "${per.slice(0, 20)}"`);
  const unit = str(o, 'rate_unit') ?? 'packets';
  if (!isOneOf(RATE_UNITS, unit)) fail(`unknown limit rate unit "${unit.slice(0, 20)}"`);
  const l: LimitBody = { rate, unit, per };
  const burst = int(o, 'burst');
  if (burst) {
    l.burst = burst;
    const bu = str(o, 'burst_unit');
    if (unit !== 'packets') {
      if (bu !== undefined && !isOneOf(RATE_UNITS, bu)) fail(`unknown limit burst unit "${bu.slice(0, 20)}"`);
      l.burstUnit = (bu ?? 'bytes') as RateUnit;
    }
  }
  if (bool(o, 'inv')) l.over = true;
  return l;
}

export function limitShape(v: ShapeChecker, s: Record<string, unknown>, p: string): void {
  v.bool(s, 'over', p);
  v.num(s, 'rate', p);
  v.oneOf(s, 'unit', RATE_UNITS, p);
  v.oneOf(s, 'per', TIME_UNITS, p);
  v.num(s, 'burst', p, true);
  v.oneOf(s, 'burstUnit', RATE_UNITS, p, true);
}

export function limitSafety(v: SafetyChecker, l: LimitBody, field: string): void {
  v.num(field, l.rate, 'rate');
  v.oneOf(field, l.unit, RATE_UNITS, 'a rate unit');
  v.oneOf(field, l.per, TIME_UNITS, 'a time unit');
  v.num(field, l.burst, 'burst', true);
  v.oneOf(field, l.burstUnit, RATE_UNITS, 'a rate unit', true);
}

export const limit: StmtModule<'limit'> = {
  kind: 'limit',
  title: 'limit',
  summary: 'match while a rate is not exceeded (with over: once it is)',
  words: ['limit'],
  options: ['rate', 'over', 'burst', 'name', ...RATE_UNITS, ...TIME_UNITS],
  parse(c) {
    c.next();
    if (c.is('name')) {
      c.next();
      return parseObjectRef(c, 'limit');
    }
    return { kind: 'limit', ...parseLimitBody(c) };
  },
  jsonTags: ['limit'],
  fromJson(_tag, body) {
    const o = objectBody(body, 'limit');
    only(o, ['rate', 'per', 'burst', 'rate_unit', 'burst_unit', 'inv'], 'limit');
    return { kind: 'limit', ...limitFields(o) };
  },
  print: (s, ctx) => `limit ${formatLimitBody(s, lists11(ctx.target))}`,
  toJson: (s) => ({ limit: limitJson(s) }),
  shape: (v, s, p) => limitShape(v, s, p),
  safety: (v, s) => limitSafety(v, s, v.field),
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => false,
  evaluate(s, ctx) {
    const over = limitOver(s, ctx, s, `limit rate ${s.over ? 'over ' : ''}${s.rate}${s.unit === 'packets' ? '' : ` ${s.unit}`}/${s.per}`);
    return over === Boolean(s.over) ? NEXT : { kind: 'nomatch', why: over ? 'over the rate (assumed)' : 'under the rate (assumed)' };
  },
};

