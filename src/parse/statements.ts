/**
 * Rule statements. `parseRuleTokens` structures what it can, statement by
 * statement; from the first statement it does not cover to the end of the rule
 * it keeps the text verbatim (whitespace folded) as a `raw` statement, so
 * nothing is ever lost.
 */
import type { Expr } from '../model/expr.ts';
import type {
  ByteUnit,
  LimitStmt,
  LogStmt,
  MatchOp,
  NatStmt,
  NatType,
  QuotaStmt,
  RateUnit,
  RejectStmt,
  Statement,
  SynproxyStmt,
  TimeUnit,
} from '../model/stmt.ts';
import { Cursor, TooDeep, Unstructured } from './cursor.ts';
import { canonicalLogFlags } from '../knowledge/datatypes.ts';
import {
  isSelectorStart,
  parseMapLookup,
  parseRhs,
  parseSelector,
  parseSetExpr,
  parseSetRef,
  parseValueOrSelector,
  parseVar,
} from './expressions.ts';
import { Tok, type TokenStream } from './lexer.ts';

export interface ParsedRule {
  stmts: Statement[];
  comment?: string;
  /** when the rule ends in a raw statement: where it starts and why */
  raw?: { token: number; reason: string };
  /** when an expression nests deeper than nft takes: where and why (the rest is kept as raw text) */
  tooDeep?: { token: number; reason: string };
}

/** Parse the tokens [start, end) of one rule. Never throws. */
export function parseRuleTokens(ts: TokenStream, start: number, end: number): ParsedRule {
  // A trailing `comment "…"` belongs to the rule.
  let last = end - 1;
  while (last > start && ts.kind[last] === Tok.Newline) last--;
  let comment: string | undefined;
  let stop = end;
  if (last > start && (ts.kind[last] === Tok.String || ts.kind[last] === Tok.Word)) {
    let prev = last - 1;
    while (prev > start && ts.kind[prev] === Tok.Newline) prev--;
    if (ts.kind[prev] === Tok.Word && ts.src.slice(ts.start[prev], ts.end[prev]) === 'comment') {
      const raw = ts.src.slice(ts.start[last], ts.end[last]);
      comment = ts.kind[last] === Tok.String ? raw.slice(1, -1) : raw;
      stop = prev;
    }
  }
  const c = new Cursor(ts, start, stop);
  const stmts: Statement[] = [];
  let raw: ParsedRule['raw'];
  let tooDeep: ParsedRule['tooDeep'];
  while (!c.done()) {
    const at = c.p;
    try {
      stmts.push(parseStatement(c));
    } catch (e) {
      if (!(e instanceof Unstructured)) throw e;
      stmts.push({ kind: 'raw', text: foldText(ts.src, ts.start[at], ts.end[lastTokenBefore(ts, stop)]) });
      if (e instanceof TooDeep) tooDeep = { token: e.token, reason: e.message };
      else raw = { token: at, reason: e.message };
      break;
    }
  }
  const out: ParsedRule = { stmts };
  if (tooDeep) out.tooDeep = tooDeep;
  if (comment !== undefined) out.comment = comment;
  if (raw) out.raw = raw;
  return out;
}

function lastTokenBefore(ts: TokenStream, stop: number): number {
  let i = stop - 1;
  while (i > 0 && ts.kind[i] === Tok.Newline) i--;
  return i;
}

/**
 * Source text with line continuations removed and runs of white space outside
 * quotes folded to one space, so a raw statement prints on one line.
 */
export function foldText(src: string, start: number, end: number): string {
  let out = '';
  let ws = false;
  for (let i = start; i < end; i++) {
    const ch = src[i];
    if (ch === '"') {
      const close = src.indexOf('"', i + 1);
      const j = close < 0 || close >= end ? end - 1 : close;
      if (ws && out) out += ' ';
      ws = false;
      out += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === '#') {
      // a comment inside a multi-line set: drop it
      while (i < end && src[i] !== '\n') i++;
      ws = true;
      continue;
    }
    if (ch === '\\' && (src[i + 1] === '\n' || src[i + 1] === '\r')) {
      ws = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      ws = true;
      continue;
    }
    if (ws && out) out += ' ';
    ws = false;
    out += ch;
  }
  return out;
}

const VERDICTS = new Set(['accept', 'drop', 'continue', 'return']);

export function parseStatement(c: Cursor): Statement {
  if (c.k() === Tok.Dollar) return parseExpressionStatement(c);
  const w = c.w();
  if (!w) c.fail('expected a statement');
  if (VERDICTS.has(w)) {
    c.next();
    return { kind: 'verdict', verdict: w as 'accept' | 'drop' | 'continue' | 'return' };
  }
  switch (w) {
    case 'jump':
    case 'goto': {
      c.next();
      if (c.k() === Tok.Dollar) c.fail('variable jump target');
      return { kind: 'verdict', verdict: w, target: c.expectWord('a chain name') };
    }
    case 'queue':
      return parseQueue(c);
    case 'reject':
      return parseReject(c);
    case 'counter':
      return parseCounter(c);
    case 'log':
      return parseLog(c);
    case 'limit':
      return parseLimit(c);
    case 'quota':
      return parseQuota(c);
    case 'notrack':
      c.next();
      return { kind: 'notrack' };
    case 'synproxy':
      return parseSynproxy(c);
    case 'snat':
    case 'dnat':
    case 'masquerade':
    case 'redirect':
      return parseNat(c, w);
    case 'add':
    case 'update':
    case 'delete':
      if (c.k(1) === Tok.At) return parseSetUpdate(c, w);
      return c.fail(`unsupported ${w} statement`);
    default:
      if (isSelectorStart(c)) return parseExpressionStatement(c);
      return c.fail(`unsupported statement ${w}`);
  }
}

/** selector followed by `set VALUE`, `vmap …`, or a relational operator and a value. */
function parseExpressionStatement(c: Cursor): Statement {
  const left = c.k() === Tok.Dollar ? parseVar(c) : parseSelector(c);
  if (c.is('set')) {
    c.next();
    return { kind: 'mangle', key: left, value: parseValueOrSelector(c) };
  }
  if (c.is('vmap')) {
    c.next();
    if (c.k() === Tok.At) return { kind: 'vmap', key: left, data: parseSetRef(c) };
    if (c.k() === Tok.Dollar) return { kind: 'vmap', key: left, data: parseVar(c) };
    return { kind: 'vmap', key: left, data: parseSetExpr(c, true) };
  }
  if (c.is('map')) c.fail('map lookup as a statement');
  if (left.kind === 'ct' && left.key === 'count' && c.is('over')) c.fail('ct count over is a statement of its own');
  const op = relop(c);
  if (op !== 'implicit') c.next();
  if (c.done()) c.fail('expected a value');
  const right = parseRhs(c);
  if (c.k() === Tok.Slash) {
    // nft's listing of a masked bit test: `tcp flags syn / syn,ack` = `tcp flags & (syn | ack) == syn`
    if (left.kind === 'binop') c.fail('a mask on a masked expression');
    c.next();
    const mask = parseRhs(c);
    if (mask.kind !== 'value' && mask.kind !== 'list') c.fail('a mask must be a value or a list of flags');
    return { kind: 'match', left: { kind: 'binop', op: '&', left, right: mask }, op: op === 'implicit' ? '==' : op, right };
  }
  return { kind: 'match', left, op, right };
}

function relop(c: Cursor): MatchOp {
  switch (c.k()) {
    case Tok.EqEq:
      return '==';
    case Tok.Neq:
      return '!=';
    case Tok.Lt:
      return '<';
    case Tok.Gt:
      return '>';
    case Tok.Le:
      return '<=';
    case Tok.Ge:
      return '>=';
    case Tok.Word:
      switch (c.t()) {
        case 'eq':
          return '==';
        case 'ne':
          return '!=';
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'le':
          return '<=';
        case 'ge':
          return '>=';
      }
      return 'implicit';
    case Tok.Bang:
      return c.fail('unsupported "!" operator');
    default:
      return 'implicit';
  }
}

/**
 * `queue [num N[-M]] [bypass][,fanout]` (the input form) and
 * `queue [flags bypass[,fanout]] [to N[-M]]` (nft's listing form, which the
 * emitter writes).
 */
function parseQueue(c: Cursor): Statement {
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
      const f = c.expectWord('a queue flag (bypass or fanout)');
      if (f !== 'bypass' && f !== 'fanout') c.fail(`unknown queue flag "${f}": expected bypass or fanout`);
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
    } else if (c.is('bypass') || c.is('fanout')) {
      flagList();
    } else break;
  }
  const s: Statement = { kind: 'queue' };
  if (num !== undefined) s.num = num;
  if (flags.length) s.flags = flags;
  return s;
}

function parseReject(c: Cursor): RejectStmt {
  c.next();
  if (!c.is('with')) return { kind: 'reject' };
  c.next();
  const t = c.expectWord('icmp, icmpv6, icmpx or tcp');
  if (t === 'tcp') {
    if (!c.eat('reset')) c.fail('expected reset');
    return { kind: 'reject', with: { type: 'tcp reset' } };
  }
  if (t !== 'icmp' && t !== 'icmpv6' && t !== 'icmpx') c.fail('expected icmp, icmpv6, icmpx or tcp');
  c.eat('type');
  const code = c.expectWord('a reject code');
  return { kind: 'reject', with: { type: t, code } };
}

function parseCounter(c: Cursor): Statement {
  c.next();
  if (c.is('name')) {
    c.next();
    return parseObjectRef(c, 'counter');
  }
  let packets: number | undefined;
  let bytes: number | undefined;
  if (c.is('packets')) {
    c.next();
    packets = c.expectNumber('a packet count');
    if (c.eat('bytes')) bytes = c.expectNumber('a byte count');
  }
  const s: Statement = { kind: 'counter' };
  if (packets !== undefined) s.packets = packets;
  if (bytes !== undefined) s.bytes = bytes;
  return s;
}

/** after `<type> name`: `"x"`, or `KEY map { … }` / `KEY map @m`. */
function parseObjectRef(c: Cursor, type: 'counter' | 'quota' | 'limit' | 'synproxy'): Statement {
  if (c.k() === Tok.String) return { kind: 'objref', type, name: c.take().slice(1, -1) };
  if (isSelectorStart(c) || c.k() === Tok.Dollar) {
    const key = c.k() === Tok.Dollar ? parseVar(c) : parseSelector(c);
    if (!c.is('map')) c.fail('expected map');
    return { kind: 'objref', type, map: parseMapLookup(c, key) };
  }
  if (c.k() === Tok.Word) return { kind: 'objref', type, name: c.take() };
  return c.fail('expected an object name');
}

function parseLog(c: Cursor): LogStmt {
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
}

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

const RATE_UNITS = new Set(['bytes', 'kbytes', 'mbytes']);
const TIME_UNITS = new Set(['second', 'minute', 'hour', 'day', 'week']);

/** `N/second` or `N mbytes/second` (the scanner reads `mbytes/second` as one word). */
function parseRate(c: Cursor): { rate: number; unit: RateUnit; per: TimeUnit } {
  const rate = c.expectNumber('a rate');
  if (c.k() === Tok.Slash) {
    c.next();
    const per = c.expectWord('a time unit');
    if (!TIME_UNITS.has(per)) c.fail('expected second, minute, hour, day or week');
    return { rate, unit: 'packets', per: per as TimeUnit };
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
  if (!RATE_UNITS.has(unit)) c.fail('expected bytes, kbytes or mbytes');
  if (!TIME_UNITS.has(per)) c.fail('expected second, minute, hour, day or week');
  return { rate, unit: unit as RateUnit, per: per as TimeUnit };
}

export function parseLimitBody(c: Cursor): Omit<LimitStmt, 'kind'> {
  if (!c.eat('rate')) c.fail('expected rate');
  const over = c.eat('over');
  const { rate, unit, per } = parseRate(c);
  const s: Omit<LimitStmt, 'kind'> = { rate, unit, per };
  if (over) s.over = true;
  if (c.is('burst')) {
    c.next();
    s.burst = c.expectNumber('a burst');
    const u = c.w();
    if (u === 'packets' || RATE_UNITS.has(u)) {
      c.next();
      s.burstUnit = u as RateUnit;
    }
  }
  return s;
}

function parseLimit(c: Cursor): Statement {
  c.next();
  if (c.is('name')) {
    c.next();
    return parseObjectRef(c, 'limit');
  }
  return { kind: 'limit', ...parseLimitBody(c) };
}

const BYTE_UNITS = new Set(['bytes', 'kbytes', 'mbytes', 'gbytes']);

export function parseQuotaBody(c: Cursor): Omit<QuotaStmt, 'kind'> {
  let over = false;
  if (c.eat('over')) over = true;
  else c.eat('until');
  const amount = c.expectNumber('a quota');
  const unit = c.expectWord('a byte unit');
  if (!BYTE_UNITS.has(unit)) c.fail('expected bytes, kbytes, mbytes or gbytes');
  const s: Omit<QuotaStmt, 'kind'> = { amount, unit: unit as ByteUnit };
  if (over) s.over = true;
  if (c.eat('used')) {
    s.used = c.expectNumber('a used amount');
    const u = c.expectWord('a byte unit');
    if (!BYTE_UNITS.has(u)) c.fail('expected bytes, kbytes, mbytes or gbytes');
    s.usedUnit = u as ByteUnit;
  }
  return s;
}

function parseQuota(c: Cursor): Statement {
  c.next();
  if (c.is('name')) {
    c.next();
    return parseObjectRef(c, 'quota');
  }
  return { kind: 'quota', ...parseQuotaBody(c) };
}

/** `mss N`, `wscale N`, `timestamp`, `sack-perm` in any order (the statement). */
export function parseSynproxyOptions(c: Cursor, into: Omit<SynproxyStmt, 'kind'>): void {
  for (;;) {
    const w = c.w();
    if (w === 'mss' || w === 'maxseg') {
      c.next();
      into.mss = c.expectNumber('an mss');
    } else if (w === 'wscale') {
      c.next();
      into.wscale = c.expectNumber('a wscale');
    } else if (w === 'timestamp') {
      c.next();
      into.timestamp = true;
    } else if (w === 'sack-perm' || w === 'sack-permitted') {
      c.next();
      into.sackPerm = true;
    } else break;
  }
}

function parseSynproxy(c: Cursor): Statement {
  c.next();
  if (c.is('name')) {
    c.next();
    return parseObjectRef(c, 'synproxy');
  }
  const s: SynproxyStmt = { kind: 'synproxy' };
  parseSynproxyOptions(c, s);
  return s;
}

const NAT_FLAGS = new Set(['random', 'fully-random', 'persistent', 'netmap']);

function parseNat(c: Cursor, type: NatType): NatStmt {
  c.next();
  const s: NatStmt = { kind: 'nat', type };
  if ((type === 'snat' || type === 'dnat') && (c.is('ip') || c.is('ip6')) && c.is('to', 1)) {
    s.family = c.take() as 'ip' | 'ip6';
  }
  if (c.is('to')) {
    c.next();
    if (c.k() === Tok.Colon) {
      c.next();
      s.port = parseNatPort(c);
    } else {
      if (type === 'masquerade' || type === 'redirect') c.fail(`${type} takes only a port`);
      s.addr = parseNatAddr(c);
      if (c.k() === Tok.Colon) {
        c.next();
        s.port = parseNatPort(c);
      }
    }
  }
  const flags: string[] = [];
  while (NAT_FLAGS.has(c.w())) {
    flags.push(c.take());
    if (c.k() === Tok.Comma) c.next();
  }
  if (flags.length) s.flags = flags;
  return s;
}

function parseNatAddr(c: Cursor): Expr {
  return parseValueOrSelector(c);
}

function parseNatPort(c: Cursor): Expr {
  return parseValueOrSelector(c);
}

function parseSetUpdate(c: Cursor, op: 'add' | 'update' | 'delete'): Statement {
  c.next();
  const set = parseSetRef(c).name;
  c.expectKind(Tok.LBrace, '"{"');
  const key = parseSelector(c);
  let timeout: string | undefined;
  if (c.is('timeout')) {
    c.next();
    timeout = c.expectWord('a timeout');
  }
  const s: Statement = { kind: 'setupdate', op, set, key };
  if (timeout !== undefined) s.timeout = timeout;
  if (c.k() !== Tok.RBrace) {
    // statements attached to the element (limit, counter, …): kept as text
    const from = c.p;
    let depth = 0;
    let last = from;
    while (!c.done() && !(c.k() === Tok.RBrace && depth === 0)) {
      if (c.k() === Tok.LBrace) depth++;
      if (c.k() === Tok.RBrace) depth--;
      last = c.p;
      c.next();
    }
    if (c.done()) c.fail('missing "}"');
    s.stmtsText = foldText(c.ts.src, c.ts.start[from], c.ts.end[last]);
  }
  c.expectKind(Tok.RBrace, '"}"');
  return s;
}
