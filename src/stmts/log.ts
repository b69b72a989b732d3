/** `log [prefix "…"] [level L] [group N] [snaplen N] [queue-threshold N] [flags …]`. */
import { LOG_FLAGS, LOG_LEVELS, canonicalLogFlags, formatLogFlags } from '../knowledge/datatypes.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import { fail, int, objectBody, only, str, strings, word } from '../json/readJson.ts';
import type { Cursor } from '../parse/cursor.ts';
import { Tok } from '../parse/lexer.ts';
import { shown, type StmtModule } from './module.ts';
import { NEXT } from '../trace/context.ts';

export interface LogStmt {
  kind: 'log';
  prefix?: string;
  level?: string;
  group?: number;
  snaplen?: number;
  queueThreshold?: number;
  flags?: string[];
}

/**
 * The kernel's limit on a log prefix: 127 bytes (NF_LOG_PREFIXLEN 128 with the
 * terminating NUL). 128 bytes is refused by nft 1.0.6 at load ("Numerical result out
 * of range", which `nft -c` does not see) and by 1.1.3 at parse ("log prefix is too long").
 */
export const LOG_PREFIX_MAX_BYTES = 127;

/** Why a log prefix is too long for the kernel, or undefined. Read by the rule builder and the linter. */
export function logPrefixProblem(prefix: string): string | undefined {
  const bytes = new TextEncoder().encode(prefix).length;
  return bytes > LOG_PREFIX_MAX_BYTES ? `the log prefix is ${bytes} bytes long; the kernel allows at most ${LOG_PREFIX_MAX_BYTES}` : undefined;
}

/** The level nft leaves out of its listing (the kernel's default). */
export const DEFAULT_LOG_LEVEL = 'warn';

const isLogFlag = (f: string): boolean => f === 'all' || LOG_FLAGS.includes(f);

/** One `flags …` of a log statement: all, skuid, ether, ip options, or tcp sequence[,options]. */
function parseLogFlagGroup(c: Cursor): string[] {
  const w = c.w();
  if (w === 'all' || w === 'skuid' || w === 'ether') {
    c.next();
    return [w];
  }
  if (w === 'ip') {
    c.next();
    if (!c.is('options')) c.fail('expected "options" after log flags ip');
    c.next();
    return ['ip options'];
  }
  if (w === 'tcp') {
    c.next();
    const out: string[] = [];
    for (;;) {
      const o = c.w();
      if (o !== 'sequence' && o !== 'options') c.fail('expected sequence or options after log flags tcp');
      c.next();
      out.push(`tcp ${o}`);
      if (c.k() !== Tok.Comma) return out;
      c.next();
    }
  }
  return c.fail('expected a log flag: all, tcp sequence, tcp options, ip options, skuid or ether');
}

export const log: StmtModule<'log'> = {
  kind: 'log',
  title: 'log',
  summary: 'write the packet to the kernel log (or to an nflog group)',
  words: ['log'],
  options: ['prefix', 'level', 'group', 'snaplen', 'queue-threshold', 'flags', ...LOG_LEVELS],
  parse(c) {
    c.next();
    const s: LogStmt = { kind: 'log' };
    for (;;) {
      const w = c.w();
      if (w === 'prefix') {
        c.next();
        // nft also takes one bare word (`log prefix dropped`) and lists it quoted
        if (c.k() === Tok.Word) s.prefix = c.take();
        else if (c.k() !== Tok.String) c.fail('expected a quoted prefix');
        else s.prefix = c.take().slice(1, -1);
      } else if (w === 'level') {
        c.next();
        s.level = c.expectWord('a log level');
      } else if (w === 'group') {
        c.next();
        s.group = c.expectNumber('a log group');
      } else if (w === 'snaplen') {
        c.next();
        s.snaplen = c.expectNumber('a snaplen');
      } else if (w === 'queue-threshold') {
        c.next();
        s.queueThreshold = c.expectNumber('a queue threshold');
      } else if (w === 'flags') {
        c.next();
        s.flags = canonicalLogFlags([...(s.flags ?? []), ...parseLogFlagGroup(c)]);
      } else break;
    }
    return s;
  },
  jsonTags: ['log'],
  fromJson(_tag, body) {
    if (body === null) return { kind: 'log' };
    const o = objectBody(body, 'log');
    only(o, ['prefix', 'group', 'snaplen', 'queue-threshold', 'level', 'flags'], 'log');
    const s: LogStmt = { kind: 'log' };
    const prefix = str(o, 'prefix');
    const group = int(o, 'group');
    const snaplen = int(o, 'snaplen');
    const qt = int(o, 'queue-threshold');
    const level = str(o, 'level');
    if (prefix !== undefined) s.prefix = prefix;
    if (group !== undefined) s.group = group;
    if (snaplen !== undefined) s.snaplen = snaplen;
    if (qt !== undefined) s.queueThreshold = qt;
    if (level !== undefined) s.level = word(level, 'log level');
    if (o.flags === undefined) return s;
    const flags = strings(o.flags) ?? fail('log flags must be strings');
    for (const f of flags) if (!isLogFlag(f)) fail(`unknown log flag "${f.slice(0, 20)}"`);
    return { ...s, flags: canonicalLogFlags(flags) };
  },
  print(s) {
    let l = 'log';
    if (s.prefix !== undefined) l += ` prefix "${s.prefix}"`;
    if (s.group !== undefined) l += ` group ${s.group}`;
    if (s.snaplen !== undefined) l += ` snaplen ${s.snaplen}`;
    if (s.queueThreshold !== undefined) l += ` queue-threshold ${s.queueThreshold}`;
    if (s.level !== undefined && s.level !== DEFAULT_LOG_LEVEL) l += ` level ${s.level}`;
    if (s.flags?.length) l += formatLogFlags(s.flags);
    return l;
  },
  toJson(s) {
    const l: JsonObject = {};
    if (s.prefix !== undefined) l.prefix = s.prefix;
    if (s.group !== undefined) l.group = s.group;
    if (s.snaplen !== undefined) l.snaplen = s.snaplen;
    if (s.queueThreshold !== undefined) l['queue-threshold'] = s.queueThreshold;
    if (s.level !== undefined) l.level = s.level;
    if (s.flags?.length) l.flags = s.flags.length === 1 ? s.flags[0] : [...s.flags];
    return { log: Object.keys(l).length ? l : null };
  },
  shape(v, s, p) {
    v.str(s, 'prefix', p, true);
    v.str(s, 'level', p, true);
    for (const k of ['group', 'snaplen', 'queueThreshold']) v.num(s, k, p, true);
    v.strList(s, 'flags', p, true);
  },
  safety(v, s) {
    const f = v.field;
    v.quoted(f, s.prefix, 'log prefix');
    if (s.level !== undefined && !/^[a-z]+$/.test(s.level)) v.push(f, `${shown(s.level)} is not a log level`);
    for (const fl of s.flags ?? []) if (!isLogFlag(fl)) v.push(f, `${shown(fl)} is not a log flag`);
    v.num(f, s.group, 'log group', true);
    v.num(f, s.snaplen, 'snaplen', true);
    v.num(f, s.queueThreshold, 'queue threshold', true);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => true,
  evaluate(_s, ctx) {
    ctx.note('logged');
    return NEXT;
  },
};
