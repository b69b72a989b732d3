/**
 * `queue [flags bypass[,fanout]] [to N[-M]]` (nft's listing form, which is
 * printed) and `queue [num N[-M]] [bypass][,fanout]` (the input form).
 */
import { isArray, type JsonObject } from '../json/jsonValue.ts';
import { fail, objectBody, only, strings, tagged } from '../json/readJson.ts';
import { wordList } from '../knowledge/vocabulary.ts';
import { Tok } from '../parse/lexer.ts';
import type { StmtModule } from './module.ts';

export const QUEUE_FLAGS = ['bypass', 'fanout'] as const;
export type QueueFlag = (typeof QUEUE_FLAGS)[number];
const isQueueFlag = (f: string): f is QueueFlag => (QUEUE_FLAGS as readonly string[]).includes(f);

export interface QueueStmt {
  kind: 'queue';
  /** `num 1`, `num 1-3` */
  num?: string;
  /** `bypass`, `fanout` */
  flags?: string[];
}

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
      if (c.is('num') || c.is('to')) {
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
    if (num !== undefined) s.num = num;
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
    if (typeof num === 'number' && Number.isSafeInteger(num)) s.num = String(num);
    else if (num !== undefined) {
      const r = tagged(num);
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
    if (s.flags?.length) q += ` flags ${s.flags.join(',')}`;
    if (s.num !== undefined) q += ` to ${s.num}`;
    return q;
  },
  toJson(s) {
    const q: JsonObject = {};
    if (s.num !== undefined) {
      const [a, b] = s.num.split('-').map(Number);
      q.num = b === undefined ? a : { range: [a, b] };
    }
    if (s.flags?.length) q.flags = [...s.flags];
    return { queue: Object.keys(q).length ? q : null };
  },
  shape(v, s, p) {
    v.str(s, 'num', p, true);
    v.strList(s, 'flags', p, true);
  },
  safety(v, s) {
    if (s.num !== undefined && !QUEUE_NUM_RE.test(s.num)) v.push(v.field, 'the queue number must be N or N-M');
    for (const f of s.flags ?? []) v.oneOf(v.field, f, QUEUE_FLAGS, 'a queue flag');
  },
  terminal: () => true,
  ends: () => 'queue',
  exprs: () => [],
  passes: () => false,
  // the kernel hands the packet to user space: the trace ends there
  evaluate: () => ({ kind: 'verdict', verdict: 'queue' }),
};

