/**
 * `quota [over|until] N BYTES [used N BYTES]`; `quota name …` is an object
 * reference (objref.ts). The body is shared with named quota objects.
 */
import { BYTE_UNITS, isOneOf, wordList, type ByteUnit } from '../knowledge/vocabulary.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import { bool, fail, int, objectBody, only, str } from '../json/readJson.ts';
import type { Cursor } from '../parse/cursor.ts';
import { byteAmount, formatBytes, toBytes } from './units.ts';
import type { SafetyChecker, ShapeChecker, StmtModule } from './module.ts';
import { parseObjectRef } from './objref.ts';
import { NEXT, type EvalContext, type Outcome } from '../trace/context.ts';

export interface QuotaStmt {
  kind: 'quota';
  over?: boolean;
  amount: number;
  unit: ByteUnit;
  used?: number;
  usedUnit?: ByteUnit;
}

export type QuotaBody = Omit<QuotaStmt, 'kind'>;

function byteUnit(c: Cursor): ByteUnit {
  const u = c.expectWord('a byte unit');
  if (!isOneOf(BYTE_UNITS, u)) c.fail(`expected ${wordList(BYTE_UNITS)}`);
  return u;
}

export function parseQuotaBody(c: Cursor): QuotaBody {
  let over = false;
  if (c.eat('over')) over = true;
  else c.eat('until');
  const amount = c.expectNumber('a quota');
  const s: QuotaBody = { amount, unit: byteUnit(c) };
  if (over) s.over = true;
  if (c.eat('used')) {
    s.used = c.expectNumber('a used amount');
    s.usedUnit = byteUnit(c);
  }
  return s;
}

/**
 * Why the kernel refuses the quota, or undefined: more already used than the
 * quota holds (nft_quota_do_init: EINVAL, both versions, at commit). Read by the linter.
 */
export function quotaProblem(q: QuotaBody): string | undefined {
  if (q.used === undefined) return undefined;
  const used = toBytes(q.used, q.usedUnit ?? 'bytes');
  const amount = toBytes(q.amount, q.unit);
  return used > amount ? `the quota says ${formatBytes(q.used, q.usedUnit ?? 'bytes')} already used of ${formatBytes(q.amount, q.unit)}: the kernel refuses more used than the quota holds (Could not process rule: Invalid argument)` : undefined;
}

export function formatQuotaBody(q: QuotaBody): string {
  let s = `${q.over ? 'over ' : ''}${formatBytes(q.amount, q.unit)}`;
  if (q.used) s += ` used ${formatBytes(q.used, q.usedUnit ?? 'bytes')}`;
  return s;
}

export function quotaJson(s: QuotaBody): JsonObject {
  const [val, valUnit] = byteAmount(s.amount, s.unit);
  const q: JsonObject = { val, val_unit: valUnit };
  if (s.used) {
    const [used, usedUnit] = byteAmount(s.used, s.usedUnit ?? 'bytes');
    q.used = used;
    q.used_unit = usedUnit;
  }
  if (s.over) q.inv = true;
  return q;
}

/** The fields of a quota statement or object in JSON. */
export function quotaFields(o: JsonObject): QuotaBody {
  const amount = int(o, 'val') ?? fail('quota needs val');
  const unit = str(o, 'val_unit') ?? 'bytes';
  if (!isOneOf(BYTE_UNITS, unit)) fail(`unknown quota unit "${unit.slice(0, 20)}"`);
  const q: QuotaBody = { amount, unit };
  const used = int(o, 'used');
  if (used) {
    const uu = str(o, 'used_unit') ?? 'bytes';
    if (!isOneOf(BYTE_UNITS, uu)) fail(`unknown quota unit "${uu.slice(0, 20)}"`);
    q.used = used;
    q.usedUnit = uu;
  }
  if (bool(o, 'inv')) q.over = true;
  return q;
}

export function quotaShape(v: ShapeChecker, s: Record<string, unknown>, p: string): void {
  v.bool(s, 'over', p);
  v.num(s, 'amount', p);
  v.oneOf(s, 'unit', BYTE_UNITS, p);
  v.num(s, 'used', p, true);
  v.oneOf(s, 'usedUnit', BYTE_UNITS, p, true);
}

export function quotaSafety(v: SafetyChecker, q: QuotaBody, field: string): void {
  v.num(field, q.amount, 'quota');
  v.oneOf(field, q.unit, BYTE_UNITS, 'a byte unit');
  v.num(field, q.used, 'used amount', true);
  v.oneOf(field, q.usedUnit, BYTE_UNITS, 'a byte unit', true);
}

export const quota: StmtModule<'quota'> = {
  kind: 'quota',
  title: 'quota',
  summary: 'match until an amount of bytes has passed (with over: once it has)',
  words: ['quota'],
  options: ['over', 'until', 'used', 'name', ...BYTE_UNITS],
  parse(c) {
    c.next();
    if (c.is('name')) {
      c.next();
      return parseObjectRef(c, 'quota');
    }
    return { kind: 'quota', ...parseQuotaBody(c) };
  },
  jsonTags: ['quota'],
  fromJson(_tag, body) {
    const o = objectBody(body, 'quota');
    only(o, ['val', 'val_unit', 'used', 'used_unit', 'inv'], 'quota');
    return { kind: 'quota', ...quotaFields(o) };
  },
  print: (s) => `quota ${formatQuotaBody(s)}`,
  toJson: (s) => ({ quota: quotaJson(s) }),
  shape: (v, s, p) => quotaShape(v, s, p),
  safety: (v, s) => quotaSafety(v, s, v.field),
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => false,
  evaluate: (s, ctx) => quotaOutcome(s, ctx, `quota ${s.amount} ${s.unit}`),
};

/**
 * A quota (a statement's, or a named object's) for one packet: used up when its
 * `used` amount reaches it, else as assumed (not used up unless the user says).
 * A plain quota matches until used up; `quota over` only once it is.
 */
export function quotaOutcome(q: QuotaBody, ctx: EvalContext, what: string): Outcome {
  const usedUp = q.used !== undefined && toBytes(q.used, q.usedUnit ?? 'bytes') >= toBytes(q.amount, q.unit);
  const over = usedUp || ctx.assume('quota', `${what}: the quota is used up`, false);
  if (over === Boolean(q.over)) return NEXT;
  return { kind: 'nomatch', why: !over ? 'the quota is not used up (assumed)' : usedUp ? 'the quota is used up (its used amount)' : 'the quota is used up (assumed)' };
}
