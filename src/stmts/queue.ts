/**
 * `queue [flags bypass[,fanout]] [to N[-M] | to EXPR]` (nft's listing form,
 * which is printed) and `queue [num N[-M]] [bypass][,fanout]` (the input form).
 * EXPR picks the queue per packet: `symhash mod 2`, `jhash … mod N`,
 * `numgen inc mod N`, `oifname map { "eth0" : 0, … }` (tests/py/any/queue.t).
 */
import type { Expr } from '../model/expr.ts';
import { WHERE } from '../model/validate.ts';
import { formatSelector } from '../emit/selectors.ts';
import { exprJson } from '../json/exprToJson.ts';
import { valueFromJson, type FromTyping } from '../json/exprFromJson.ts';
import { isArray, type JsonObject } from '../json/jsonValue.ts';
import { fail, objectBody, only, strings, tagged } from '../json/readJson.ts';
import { wordList } from '../knowledge/vocabulary.ts';
import { parseValueOrSelector, parseVar } from '../parse/expressions.ts';
import { Tok } from '../parse/lexer.ts';
import type { StmtModule } from './module.ts';

export const QUEUE_FLAGS = ['bypass', 'fanout'] as const;
export type QueueFlag = (typeof QUEUE_FLAGS)[number];
const isQueueFlag = (f: string): f is QueueFlag => (QUEUE_FLAGS as readonly string[]).includes(f);

/** The expressions that may pick the queue (nft: "queue expression" must be a hash, numgen or a map to numbers), or a $variable. */
export const QUEUE_EXPR_KINDS = ['hash', 'numgen', 'map', 'var'] as const;
const isQueueExpr = (e: Expr): boolean => (QUEUE_EXPR_KINDS as readonly string[]).includes(e.kind);
/** A queue number has 16 bits. */
export const MAX_QUEUE_NUMBER = 65535;

export interface QueueStmt {
  kind: 'queue';
  /** `num 1`, `num 1-3`; without it (and without `to`), queue 0, which nft lists as `to 0` */
  num?: string;
  /** `to symhash mod 2`, `to oifname map { … }`: the queue chosen per packet */
  to?: Expr;
  /** `bypass`, `fanout` */
  flags?: string[];
}

/**
 * Why nft refuses the queue statement, with the word to point at, or undefined
 * (both versions alike: fanout needs a range; a queue number has 16 bits, so does
 * the highest queue an expression can pick). Read by the linter.
 */
export function queueProblem(s: QueueStmt): { message: string; word: string } | undefined {
  const nums = s.num?.split('-').map(Number) ?? [];
  for (const n of nums) if (n > MAX_QUEUE_NUMBER) return { message: `queue number ${n} is above ${MAX_QUEUE_NUMBER} (nft: Value ${n} exceeds valid range 0-${MAX_QUEUE_NUMBER})`, word: String(n) };
  if (nums.length === 2 && nums[1] < nums[0]) return { message: `the queue range ${s.num} is backwards: write the lower number first (nft: Range has zero or negative size)`, word: s.num ?? '' };
  const e = s.to;
  if (e && (e.kind === 'hash' || e.kind === 'numgen')) {
    const top = e.mod - 1 + (e.offset ?? 0);
    if (top > MAX_QUEUE_NUMBER) return { message: `${e.kind === 'hash' ? e.hash : 'numgen'} picks queues up to ${top}, above ${MAX_QUEUE_NUMBER}: lower mod or offset (nft: queue expression max value exceeds ${MAX_QUEUE_NUMBER})`, word: 'mod' };
  }
  if (e?.kind === 'map' && e.data.kind === 'set') {
    for (const el of e.data.elements) {
      const v = el.value?.kind === 'value' ? parseInt(el.value.text, el.value.text.startsWith('0x') ? 16 : 10) : undefined;
      if (v !== undefined && v > MAX_QUEUE_NUMBER && el.value?.kind === 'value') return { message: `queue number ${el.value.text} is above ${MAX_QUEUE_NUMBER} (nft: Value exceeds valid range 0-${MAX_QUEUE_NUMBER})`, word: el.value.text };
    }
  }
  if (s.flags?.includes('fanout') && (e !== undefined || (s.num !== undefined && nums.length !== 2))) {
    return { message: 'fanout spreads packets over a range of queues: give one (queue flags fanout to 4-5), not a single number or an expression (nft: fanout requires a range to be specified)', word: 'fanout' };
  }
  return undefined;
}

/** the kernel holds a first queue and a count: a range of one queue (3-3) is listed as that queue */
function listedNum(num: string | undefined): string {
  if (num === undefined) return '0';
  const [a, b] = num.split('-');
  return b !== undefined && Number(a) === Number(b) ? a : num;
}

/** the flags in the order nft lists them (bypass,fanout) */
const listedFlags = (flags: readonly string[]): string[] => QUEUE_FLAGS.filter((f) => flags.includes(f));
/** how a queue number (a map's data) is read from JSON */
const QUEUE_TYPING: FromTyping = { types: ['integer'], data: { kind: 'values', types: ['integer'] } };

const QUEUE_NUM_RE = /^\d+(-\d+)?$/;

export const queue: StmtModule<'queue'> = {
  kind: 'queue',
  title: 'queue',
  summary: 'hand the packet to a userspace program through nfqueue',
  words: ['queue'],
  options: ['num', 'to', 'flags', ...QUEUE_FLAGS],
  parse(c) {
    c.next();
    let num: string | undefined;
    let to: Expr | undefined;
    const flags: string[] = [];
    const queueNumber = (): string => {
      let n = c.expectWord('a queue number');
      if (!/^\d+$/.test(n)) c.fail(`expected a queue number, found "${n}"`);
      if (c.k() === Tok.Dash) {
        c.next();
        const m = c.expectWord('a queue number');
        if (!/^\d+$/.test(m)) c.fail(`expected a queue number, found "${m}"`);
        n += `-${m}`;
      }
      return n;
    };
    const flagList = (): void => {
      for (;;) {
        const f = c.expectWord(`a queue flag (${wordList(QUEUE_FLAGS)})`);
        if (!isQueueFlag(f)) c.fail(`unknown queue flag "${f}": expected ${wordList(QUEUE_FLAGS)}`);
        flags.push(f);
        if (c.k() !== Tok.Comma) break;
        c.next();
      }
    };
    for (;;) {
      if (c.is('to') && !/^\d/.test(c.w(1))) {
        c.next();
        to = parseValueOrSelector(c);
        if (!isQueueExpr(to)) c.fail(`queue to takes a number, a range, a hash (jhash, symhash), numgen or a map to queue numbers`);
      } else if ((c.is('num') || c.is('to')) && c.k(1) === Tok.Dollar) {
        // `queue num $q`, `queue to $q`: nft takes a variable for the number
        c.next();
        to = parseVar(c);
      } else if (c.is('num') || c.is('to')) {
        c.next();
        num = queueNumber();
      } else if (c.is('flags')) {
        c.next();
        flagList();
      } else if (isQueueFlag(c.w())) {
        flagList();
      } else break;
    }
    const s: QueueStmt = { kind: 'queue' };
    if (to !== undefined) s.to = to;
    else if (num !== undefined) s.num = num;
    if (flags.length) s.flags = flags;
    return s;
  },
  jsonTags: ['queue'],
  fromJson(_tag, body) {
    const s: QueueStmt = { kind: 'queue' };
    if (body === null) return s;
    const o = objectBody(body, 'queue');
    only(o, ['num', 'flags'], 'queue');
    const num = o.num;
    const r = num !== undefined && typeof num !== 'number' ? tagged(num) : undefined;
    if (typeof num === 'number' && Number.isSafeInteger(num)) s.num = String(num);
    else if (r && r[0] !== 'range') {
      const to = valueFromJson(num ?? null, QUEUE_TYPING);
      if (!isQueueExpr(to)) fail('queue num must be a number, a range, a hash, numgen or a map');
      s.to = to;
    } else if (num !== undefined) {
      const range = r && r[0] === 'range' && isArray(r[1]) ? r[1] : undefined;
      if (!range || range.length !== 2 || !range.every((x) => typeof x === 'number' && Number.isSafeInteger(x))) fail('queue num must be a number or a range');
      s.num = `${range[0]}-${range[1]}`;
    }
    if (o.flags !== undefined) {
      const flags = strings(o.flags) ?? fail('queue flags must be strings');
      for (const f of flags) if (!isQueueFlag(f)) fail(`unknown queue flag "${f.slice(0, 20)}"`);
      if (flags.length) s.flags = flags;
    }
    return s;
  },
  print(s) {
    let q = 'queue';
    if (s.flags?.length) q += ` flags ${listedFlags(s.flags).join(',')}`;
    // the kernel always holds a queue number: nft lists a bare queue as queue to 0
    q += ` to ${s.to ? formatSelector(s.to) : listedNum(s.num)}`;
    return q;
  },
  toJson(s, ctx) {
    const q: JsonObject = {};
    if (s.to) q.num = exprJson(s.to, QUEUE_TYPING, ctx.vars);
    else if (s.num !== undefined) {
      const [a, b] = s.num.split('-').map(Number);
      q.num = b === undefined ? a : { range: [a, b] };
    }
    if (s.flags?.length) {
      const flags = listedFlags(s.flags);
      q.flags = flags.length === 1 ? flags[0] : flags;
    }
    return { queue: Object.keys(q).length ? q : null };
  },
  shape(v, s, p) {
    v.str(s, 'num', p, true);
    if (s.to !== undefined) v.expr(s.to, `${p}.to`, 0, 'target', WHERE.queueTo);
    v.strList(s, 'flags', p, true);
  },
  safety(v, s) {
    if (s.num !== undefined && !QUEUE_NUM_RE.test(s.num)) v.push(v.field, 'the queue number must be N or N-M');
    if (s.to !== undefined) {
      if (!isQueueExpr(s.to)) v.push(v.field, 'queue to takes a hash, numgen or a map');
      else v.expr(s.to, 'target', WHERE.queueTo);
    }
    for (const f of s.flags ?? []) v.oneOf(v.field, f, QUEUE_FLAGS, 'a queue flag');
  },
  terminal: () => true,
  ends: () => 'queue',
  exprs: (s) => (s.to ? [s.to] : []),
  passes: () => false,
  // the kernel hands the packet to user space: the trace ends there
  evaluate: () => ({ kind: 'verdict', verdict: 'queue' }),
};

