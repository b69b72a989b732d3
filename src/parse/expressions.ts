/**
 * Expressions inside rules, set declarations and elements. Left-hand sides are
 * selectors (payload, meta, ct, fib, numgen, hash, rt, socket, variables) with
 * concatenations and bit operations; right-hand sides are values, ranges,
 * prefixes, flag lists, anonymous sets, `@set` references and `$variables`.
 */
import type { BinopExpr, Expr, ExthdrExpr, IpsecExpr, MapExpr, SetElement, SetExpr, SetRefExpr, VarExpr, VerdictExpr } from '../model/expr.ts';
import { bigToIp4, bigToIp6, isBitmask, parseInteger, valueOrder, type DataType } from '../knowledge/datatypes.ts';
import { BARE_META_KEYS, CT_KEYS, FIB_FLAGS, FIB_RESULTS, META_KEYS, RT_KEYS, SOCKET_KEYS, payloadFields } from '../knowledge/expressions.ts';
import {
  EXTHDR_SPACES,
  IPSEC_KEYS,
  MAX_TCP_OPTION,
  OSF_KEYS,
  OSF_TTLS,
  RAW_PAYLOAD_BASES,
  headerInfo,
  tcpOptionName,
  tunnelInfo,
  type ExthdrSpace,
} from '../knowledge/exthdr.ts';
import { MAX_BIT_OPERATIONS, MAX_EXPR_DEPTH, NESTED_TOO_DEEPLY, TOO_MANY_BIT_OPERATIONS, leftChainLength } from '../model/nesting.ts';
import { Cursor } from './cursor.ts';
import { Tok, tokenize } from './lexer.ts';
import { MAX_ELEMENT_STATEMENTS, atElementStatement, parseElementStatement } from '../stmts/elementStmts.ts';

const SELECTOR_WORDS = new Set(['meta', 'ct', 'fib', 'numgen', 'jhash', 'symhash', 'rt', 'socket', 'exthdr', 'ipsec', 'osf']);

/** `tcp option …`, `ip option …`, `sctp chunk …`: the space of the two words at `o`, if they start one. */
function optionSpace(c: Cursor, o: number): ExthdrSpace | undefined {
  const w = c.w(o);
  if (w === 'tcp' && c.is('option', o + 1)) return 'tcp';
  if (w === 'ip' && c.is('option', o + 1)) return 'ip';
  if (w === 'sctp' && c.is('chunk', o + 1)) return 'sctp';
  return undefined;
}

/** A header's field names, read once: the one-word answers, and the two-word ones by their first word (`arp saddr ip`). */
interface FieldWords {
  one: Map<string, readonly [string, number]>;
  two: Map<string, Map<string, readonly [string, number]>>;
}
const fieldWords = new WeakMap<object, FieldWords>();

function wordsOf(fields: Readonly<Record<string, unknown>>): FieldWords {
  let w = fieldWords.get(fields);
  if (!w) {
    w = { one: new Map(), two: new Map() };
    for (const [name, info] of Object.entries(fields)) {
      // the word nft reads where it lists another (`param-problem`)
      const written = (info as { written?: string } | null)?.written;
      if (written) w.one.set(written, [name, 1]);
      const sp = name.indexOf(' ');
      if (sp < 0) w.one.set(name, [name, 1]);
      else {
        const first = name.slice(0, sp);
        const m = w.two.get(first) ?? new Map<string, readonly [string, number]>();
        m.set(name.slice(sp + 1), [name, 2]);
        w.two.set(first, m);
      }
    }
    fieldWords.set(fields, w);
  }
  return w;
}

/** The payload field named at `o` (one word, or two: `arp saddr ip`), and how many words it has. */
function payloadFieldAt(c: Cursor, fields: Readonly<Record<string, unknown>>, o: number): readonly [string, number] | undefined {
  const f = c.w(o);
  if (!f) return undefined;
  const w = wordsOf(fields);
  const twos = w.two.get(f);
  if (twos) {
    const two = c.w(o + 1);
    const hit = two ? twos.get(two) : undefined;
    if (hit) return hit;
  }
  return w.one.get(f);
}

/** `vxlan ip saddr`, `gre ip6 daddr`: does an inner header of a tunnel start at `o`? */
function tunnelInnerAt(c: Cursor, o: number): boolean {
  const t = tunnelInfo(c.w(o));
  if (!t) return false;
  const p = c.w(o + 1);
  const inner = p ? payloadFields(p) : undefined;
  if (!inner || tunnelInfo(p) || (t.inner && !t.inner.includes(p))) return false;
  return payloadFieldAt(c, inner, o + 2) !== undefined;
}

/*
 * Selectors are shared: every `tcp dport` in a file is the same object. The
 * model is never mutated in place (operations build new nodes), and a 50k-rule
 * file then allocates far fewer objects for the garbage collector to move.
 */
const payloadMemo = new Map<string, Map<string, Expr>>();
const metaMemo = new Map<string, Expr>();

function payloadExpr(protocol: string, field: string): Expr {
  let fields = payloadMemo.get(protocol);
  if (!fields) {
    fields = new Map();
    payloadMemo.set(protocol, fields);
  }
  let e = fields.get(field);
  if (!e) {
    e = { kind: 'payload', protocol, field };
    fields.set(field, e);
  }
  return e;
}

function metaExpr(key: string): Expr {
  let e = metaMemo.get(key);
  if (!e) {
    e = { kind: 'meta', key };
    metaMemo.set(key, e);
  }
  return e;
}

/** Does a selector expression (not a value) start here (`o` tokens ahead)? */
export function isSelectorStart(c: Cursor, o = 0): boolean {
  const k = c.k(o);
  if (k === Tok.Dollar) return false;
  // `(meta mark | 0x10) << 8`
  if (k === Tok.LParen) return o < 8 && isSelectorStart(c, o + 1);
  // `@nh,8,8` (a raw payload; `@name` is a set)
  if (k === Tok.At) return Object.hasOwn(RAW_PAYLOAD_BASES, c.w(o + 1)) && c.k(o + 2) === Tok.Comma;
  const w = c.w(o);
  if (!w) return false;
  if (SELECTOR_WORDS.has(w)) return true;
  if (BARE_META_KEYS.has(w)) return true;
  if (optionSpace(c, o)) return true;
  const h = headerInfo('ip6', w);
  if (h) return Object.hasOwn(h.fields, c.w(o + 1));
  if (tunnelInnerAt(c, o)) return true;
  const fields = payloadFields(w);
  if (fields) return payloadFieldAt(c, fields, o + 1) !== undefined;
  return false;
}

/** LHS: selector ( . selector )* [binop value] */
export function parseSelector(c: Cursor): Expr {
  let e = parseConcat(c);
  for (let op = binop(c); op; op = binop(c)) e = parseBinop(c, e, op);
  return e;
}

/** `LEFT op OPERAND`, at the operator; refuses a chain longer than nft takes. */
function parseBinop(c: Cursor, left: Expr, op: BinopExpr['op']): Expr {
  if (leftChainLength(left) >= MAX_BIT_OPERATIONS) c.tooDeep(TOO_MANY_BIT_OPERATIONS);
  c.next();
  // a shift takes a bit count: `meta mark << 2 | 0x1` is (meta mark << 2) | 0x1
  return { kind: 'binop', op, left, right: op === '<<' || op === '>>' ? parseAtom(c) : parseOperand(c) };
}

/**
 * `( … )` around a selector, at the first "(". Runs of parentheses and the
 * operations between them (`((meta mark & 1) & 2)`) are read in one loop, so
 * only a parenthesis inside a concatenation inside parentheses recurses; that
 * is bounded (nft itself refuses a concatenation in parentheses).
 */
function parseParenthesized(c: Cursor): Expr {
  let open = 0;
  while (c.k() === Tok.LParen) {
    c.next();
    open++;
  }
  if (c.parens >= MAX_EXPR_DEPTH) c.tooDeep(NESTED_TOO_DEEPLY);
  c.parens++;
  let e = parseConcat(c);
  for (;;) {
    const op = binop(c);
    if (op) {
      e = parseBinop(c, e, op);
      continue;
    }
    if (c.k() !== Tok.RParen) break;
    c.next();
    if (--open === 0) break;
    if (c.k() === Tok.Dot) e = concatFrom(c, e);
  }
  c.parens--;
  if (open > 0) c.expectKind(Tok.RParen, '")"');
  return e;
}

function binop(c: Cursor): BinopExpr['op'] | undefined {
  switch (c.k()) {
    case Tok.Amp:
      return '&';
    case Tok.Pipe:
      return '|';
    case Tok.Caret:
      return '^';
    case Tok.Shl:
      return '<<';
    case Tok.Shr:
      return '>>';
    case Tok.Word: {
      const w = c.t();
      if (w === 'and') return '&';
      if (w === 'or') return '|';
      if (w === 'xor') return '^';
      if (w === 'lshift') return '<<';
      if (w === 'rshift') return '>>';
      return undefined;
    }
    default:
      return undefined;
  }
}

function parseConcat(c: Cursor): Expr {
  const first = parsePrimary(c);
  if (c.k() !== Tok.Dot) return first;
  return concatFrom(c, first);
}

/** `first . item . item …`, at the first ".". */
function concatFrom(c: Cursor, first: Expr): Expr {
  const items = [first];
  while (c.k() === Tok.Dot) {
    c.next();
    items.push(parsePrimary(c));
  }
  return { kind: 'concat', items };
}

/** The operand of a bit operation: `0xff`, `syn`, `(fin | syn)`, `fin|syn`. */
function parseOperand(c: Cursor): Expr {
  if (c.k() === Tok.LParen) {
    c.next();
    const e = parseOrList(c);
    c.expectKind(Tok.RParen, '")"');
    return e;
  }
  return parseOrList(c);
}

function parseOrList(c: Cursor): Expr {
  const first = parseAtom(c);
  if (c.k() !== Tok.Pipe && c.k() !== Tok.Comma) return first;
  const items = [first];
  while (c.k() === Tok.Pipe || c.k() === Tok.Comma) {
    c.next();
    items.push(parseAtom(c));
  }
  return { kind: 'list', items };
}

export function parsePrimary(c: Cursor): Expr {
  if (c.k() === Tok.Dollar) return parseVar(c);
  if (c.k() === Tok.LParen) return parseParenthesized(c);
  if (c.k() === Tok.At) return parseRawPayload(c);
  const w = c.w();
  if (!w) c.fail('expected an expression');
  const space = optionSpace(c, 0);
  if (space) {
    c.next();
    c.next();
    return parseExthdr(c, space);
  }
  // (`rt` is also the routing expression: `rt mtu`)
  const ip6h = headerInfo('ip6', w);
  if (ip6h && Object.hasOwn(ip6h.fields, c.w(1))) return parseExthdr(c, 'ip6');
  if (tunnelInnerAt(c, 0)) {
    c.next();
    const inner = parsePrimary(c);
    if (inner.kind !== 'payload') c.fail(`expected a header inside ${w}`);
    return { ...inner, tunnel: w };
  }
  const fields = payloadFields(w);
  if (fields) {
    const f = payloadFieldAt(c, fields, 1);
    if (f) {
      for (let i = 0; i <= f[1]; i++) c.next();
      return payloadExpr(w, f[0]);
    }
    c.fail(`unsupported ${w} expression`);
  }
  switch (w) {
    case 'exthdr': {
      c.next();
      const name = c.expectWord('an IPv6 extension header');
      const h = headerInfo('ip6', name);
      if (!h?.exists) c.fail(`exthdr ${name} is not an IPv6 extension header nft can find`);
      return { kind: 'exthdr', space: 'ip6', name };
    }
    case 'ipsec':
      return parseIpsec(c);
    case 'osf': {
      c.next();
      let ttl: 'loose' | 'skip' | undefined;
      if (c.eat('ttl')) {
        const t = c.expectWord('loose or skip');
        if (!OSF_TTLS.includes(t)) c.fail('expected loose or skip');
        ttl = t as 'loose' | 'skip';
      }
      const key = c.expectWord('name or version');
      if (!Object.hasOwn(OSF_KEYS, key)) c.fail('expected name or version');
      return ttl ? { kind: 'osf', key: key as 'name', ttl } : { kind: 'osf', key: key as 'name' };
    }
    case 'meta': {
      c.next();
      const key = c.expectWord('a meta key');
      if (!(key in META_KEYS)) c.fail(`unknown meta key ${key}`);
      return metaExpr(key);
    }
    case 'ct':
      return parseCt(c);
    case 'fib':
      return parseFib(c);
    case 'numgen': {
      c.next();
      const mode = c.expectWord('inc or random');
      if (mode !== 'inc' && mode !== 'random') c.fail('expected inc or random');
      if (!c.eat('mod')) c.fail('expected mod');
      const mod = c.expectNumber('a modulus');
      let offset: number | undefined;
      if (c.eat('offset')) offset = c.expectNumber('an offset');
      return offset === undefined ? { kind: 'numgen', mode, mod } : { kind: 'numgen', mode, mod, offset };
    }
    case 'jhash':
    case 'symhash': {
      c.next();
      const expr = w === 'jhash' ? parseConcat(c) : undefined;
      if (!c.eat('mod')) c.fail('expected mod');
      const mod = c.expectNumber('a modulus');
      let seed: string | undefined;
      let offset: number | undefined;
      if (c.eat('seed')) seed = c.take();
      if (c.eat('offset')) offset = c.expectNumber('an offset');
      const e: Expr = { kind: 'hash', hash: w, mod };
      if (expr) e.expr = expr;
      if (seed !== undefined) e.seed = seed;
      if (offset !== undefined) e.offset = offset;
      return e;
    }
    case 'rt': {
      c.next();
      let family: 'ip' | 'ip6' | undefined;
      if (c.is('ip') || c.is('ip6')) family = c.take() as 'ip' | 'ip6';
      const key = c.expectWord('an rt key');
      if (!Object.hasOwn(RT_KEYS, key)) c.fail(`unknown rt key ${key}`);
      return family ? { kind: 'rt', key, family } : { kind: 'rt', key };
    }
    case 'socket': {
      c.next();
      const key = c.expectWord('a socket key');
      if (!Object.hasOwn(SOCKET_KEYS, key)) c.fail(`unsupported socket key ${key}`);
      return { kind: 'socket', key };
    }
    default:
      if (BARE_META_KEYS.has(w)) {
        c.next();
        return metaExpr(w);
      }
      c.fail(`unknown expression ${w}`);
  }
}

/** At the header name (after `tcp option`, `sctp chunk` …): `NAME [FIELD]`, `N`, `@N,OFFSET,LEN`. */
function parseExthdr(c: Cursor, space: ExthdrSpace): ExthdrExpr {
  if (space === 'tcp' && c.k() === Tok.At) {
    c.next();
    const kind = c.expectNumber('an option kind');
    c.expectKind(Tok.Comma, '","');
    const offset = c.expectNumber('an offset in bits');
    c.expectKind(Tok.Comma, '","');
    const len = c.expectNumber('a length in bits');
    if (kind > MAX_TCP_OPTION) c.fail(`tcp option ${kind} is out of range (0-${MAX_TCP_OPTION})`);
    return { kind: 'exthdr', space, name: String(kind), raw: { offset, len } };
  }
  const w = c.expectWord(`a ${EXTHDR_SPACES[space].doc}`);
  if (space === 'tcp' && /^\d+$/.test(w)) {
    const n = Number(w);
    if (n > MAX_TCP_OPTION) c.fail(`tcp option ${n} is out of range (0-${MAX_TCP_OPTION})`);
    return { kind: 'exthdr', space, name: tcpOptionName(n) ?? String(n) };
  }
  const h = headerInfo(space, w);
  if (!h) c.fail(`unknown ${EXTHDR_SPACES[space].doc} ${w}`);
  const name = h.listedAs ?? w;
  const next = c.w();
  if (Object.hasOwn(h.fields, next)) return parseExthdrField(c, space, h.sharesWith?.fields.includes(next) ? h.sharesWith.name : name);
  if (space === 'ip6' || !h.exists) c.fail(`expected a field of ${w}`);
  return { kind: 'exthdr', space, name: h.sharesWith?.name ?? name };
}

/** At a field of header `name`: `FIELD` or `FIELD[N]`. */
function parseExthdrField(c: Cursor, space: ExthdrSpace, name: string): ExthdrExpr {
  const field = c.take();
  const e: ExthdrExpr = { kind: 'exthdr', space, name, field };
  if (headerInfo(space, name)?.indexed?.includes(field)) {
    c.expectKind(Tok.LBracket, '"["');
    e.index = c.expectNumber('an index');
    c.expectKind(Tok.RBracket, '"]"');
  }
  return e;
}

/** `@ll,0,8`: at the "@". */
function parseRawPayload(c: Cursor): Expr {
  c.next();
  const base = c.expectWord('ll, nh, th or ih');
  if (!Object.hasOwn(RAW_PAYLOAD_BASES, base)) c.fail(`unknown payload base ${base} (ll, nh, th or ih)`);
  c.expectKind(Tok.Comma, '","');
  const offset = c.expectNumber('an offset in bits');
  c.expectKind(Tok.Comma, '","');
  const len = c.expectNumber('a length in bits');
  if (len === 0) c.fail('a raw payload needs a length');
  return { kind: 'rawpayload', base: base as 'll', offset, len };
}

/** `ipsec in|out [spnum N] reqid|spi|ip saddr|ip6 daddr …` */
function parseIpsec(c: Cursor): IpsecExpr {
  c.next();
  const dir = c.expectWord('in or out');
  if (dir !== 'in' && dir !== 'out') c.fail('expected in or out');
  const e: IpsecExpr = { kind: 'ipsec', dir, key: '' };
  if (c.eat('spnum')) {
    const n = c.expectNumber('a policy number');
    // nft lists spnum 0 as nothing
    if (n !== 0) e.spnum = n;
  }
  if (c.is('ip') || c.is('ip6')) e.family = c.take() as 'ip' | 'ip6';
  const key = c.expectWord('an ipsec key');
  const info = Object.hasOwn(IPSEC_KEYS, key) ? IPSEC_KEYS[key] : undefined;
  if (!info) c.fail(`unknown ipsec key ${key}`);
  if (Boolean(info.family) !== (e.family !== undefined)) c.fail(info.family ? `ipsec ${key} needs ip or ip6` : `ipsec ${key} takes no ip or ip6`);
  e.key = key;
  return e;
}

function parseCt(c: Cursor): Expr {
  c.next();
  let dir: 'original' | 'reply' | undefined;
  let family: 'ip' | 'ip6' | undefined;
  if (c.is('original') || c.is('reply')) dir = c.take() as 'original' | 'reply';
  if (c.is('ip') || c.is('ip6')) family = c.take() as 'ip' | 'ip6';
  const key = c.expectWord('a ct key');
  if (!(key in CT_KEYS)) c.fail(`unknown ct key ${key}`);
  const e: Expr = { kind: 'ct', key };
  if (dir) e.dir = dir;
  if (family) e.family = family;
  return e;
}

function parseFib(c: Cursor): Expr {
  c.next();
  const flags: string[] = [c.expectWord('a fib flag')];
  while (c.k() === Tok.Dot) {
    c.next();
    flags.push(c.expectWord('a fib flag'));
  }
  if (!flags.every((f) => FIB_FLAGS.includes(f))) c.fail('unknown fib flag');
  const result = c.expectWord('oif, oifname or type');
  if (!(result in FIB_RESULTS)) c.fail(`unknown fib result ${result}`);
  return { kind: 'fib', flags, result };
}

export function parseVar(c: Cursor): VarExpr {
  c.expectKind(Tok.Dollar, '"$"');
  const name = c.expectWord('a variable name');
  return { kind: 'var', name };
}

/** A single value token: word, number, address, quoted string or $variable. */
export function parseAtom(c: Cursor): Expr {
  switch (c.k()) {
    case Tok.Word:
    case Tok.String:
      return { kind: 'value', text: c.take() };
    case Tok.Dollar:
      return parseVar(c);
    case Tok.Star:
      c.next();
      return { kind: 'value', text: '*' };
    case Tok.Dash: {
      // negative number (e.g. in `priority -150` handled elsewhere; here for completeness)
      if (c.k(1) === Tok.Word && /^\d/.test(c.t(1)) && c.adjacent()) {
        c.next();
        return { kind: 'value', text: `-${c.take()}` };
      }
      return c.fail('unexpected "-"');
    }
    default:
      return c.fail('expected a value');
  }
}

/** value [-value | /len] */
function parseRangeOrPrefix(c: Cursor): Expr {
  const a = parseAtom(c);
  if (c.k() === Tok.Dash) {
    c.next();
    const b = parseAtom(c);
    return { kind: 'range', from: a, to: b };
  }
  // `10.0.0.0/8` is a prefix; `syn / syn,ack` (a mask) is left to the caller
  if (c.k() === Tok.Slash && /^\d+$/.test(c.w(1))) {
    c.next();
    const len = c.expectNumber('a prefix length');
    return { kind: 'prefix', addr: a, len };
  }
  return a;
}

/** atom ( . atom )* */
function parseValueConcat(c: Cursor): Expr {
  const first = parseRangeOrPrefix(c);
  if (c.k() !== Tok.Dot) return first;
  const items = [first];
  while (c.k() === Tok.Dot) {
    c.next();
    items.push(parseRangeOrPrefix(c));
  }
  return { kind: 'concat', items };
}

/**
 * The right-hand side of a match: `{ … }`, `@set`, or a value (with ranges,
 * prefixes, concatenations) and, outside braces, comma lists of flags.
 */
/**
 * The right side of a match. TYPE, where known, is the type of what it is
 * compared with: constants of a type that is not a bitmask joined by `|` (`meta
 * mark 0x12 | 0x11`, `ip dscp cs1 | af11`) are one value to nft, the OR of them,
 * and it lists that value (both versions).
 */
export function parseRhs(c: Cursor, type?: DataType): Expr {
  if (c.k() === Tok.LBrace) return parseSetExpr(c, false, type);
  if (c.k() === Tok.At) return parseSetRef(c);
  // flags OR-ed in parentheses: `tcp flags & (syn | ack) == (syn | ack)`
  if (c.k() === Tok.LParen) return parseOperand(c);
  const first = parseValueConcat(c);
  if (c.k() !== Tok.Comma && c.k() !== Tok.Pipe) return first;
  const items = [first];
  let pipes = true;
  while (c.k() === Tok.Comma || c.k() === Tok.Pipe) {
    if (c.k() === Tok.Comma) pipes = false;
    c.next();
    items.push(parseValueConcat(c));
  }
  return (pipes && orOfConstants(items, type)) || { kind: 'list', items };
}

/** Types whose values are not numbers to OR (a name, a time): `|` between them stays a list for nft to judge. */
const NOT_ORED: ReadonlySet<DataType> = new Set<DataType>(['ifname', 'string', 'time', 'date', 'boolean']);

/** `A | B | …` of constants of TYPE as the one value nft stores, or undefined where it is a list of flags or not constants. */
function orOfConstants(items: readonly Expr[], type: DataType | undefined): Expr | undefined {
  if (type === undefined || isBitmask(type) || NOT_ORED.has(type)) return undefined;
  let acc = 0n;
  for (const it of items) {
    const v = it.kind === 'value' ? valueOrder(it.text, type) : undefined;
    if (v === undefined) return undefined;
    acc |= v;
  }
  if (type === 'ipv4_addr') return { kind: 'value', text: bigToIp4(acc) };
  if (type === 'ipv6_addr') return { kind: 'value', text: bigToIp6(acc) };
  return { kind: 'value', text: `0x${acc.toString(16)}` };
}

export function parseSetRef(c: Cursor): SetRefExpr {
  c.expectKind(Tok.At, '"@"');
  return { kind: 'setref', name: c.expectWord('a set name') };
}

/** `{ elem, elem : data, … }`; `map` allows `key : data`. */
export function parseSetExpr(c: Cursor, map: boolean, type?: DataType): SetExpr {
  c.expectKind(Tok.LBrace, '"{"');
  const elements: SetElement[] = [];
  while (c.k() !== Tok.RBrace) {
    if (c.done()) c.fail('missing "}"');
    // a set inside a set (`{ { 1.1.1.0, 3.3.3.0 }, 2.2.2.0 }`): nft merges its elements into the outer one
    if (!map && c.k() === Tok.LBrace && c.nestedSets < MAX_EXPR_DEPTH) {
      c.nestedSets++;
      try {
        for (const el of parseSetExpr(c, false, type).elements) elements.push(el);
      } finally {
        c.nestedSets--;
      }
    } else elements.push(parseElement(c, map, type));
    if (c.k() === Tok.Comma) c.next();
    else if (c.k() !== Tok.RBrace) c.fail('expected "," or "}"');
  }
  c.next();
  return { kind: 'set', elements };
}

/** One element with its options: `KEY [STATEMENTS] [timeout T] [expires T] [comment "c"] [: DATA]` (statements: stmts/elementStmts.ts). */
export function parseElement(c: Cursor, map: boolean, type?: DataType): SetElement {
  // `*`: the catch-all element
  const star = c.k() === Tok.Star;
  if (star) c.next();
  let key: Expr = star ? { kind: 'catchall' } : c.k() === Tok.LBrace ? c.fail('nested set') : parseValueConcat(c);
  if (!star && c.k() === Tok.Pipe) {
    // flags combined into one value: `tcp flags { syn | ack, syn }`
    const items = [key];
    while (c.k() === Tok.Pipe) {
      c.next();
      items.push(parseAtom(c));
    }
    key = orOfConstants(items, type) ?? { kind: 'list', items };
  }
  const el: SetElement = { key };
  for (;;) {
    if (c.is('timeout')) {
      c.next();
      el.timeout = c.expectWord('a timeout');
    } else if (c.is('expires')) {
      c.next();
      el.expires = c.expectWord('an expiry');
    } else if (c.is('comment')) {
      c.next();
      el.comment = c.expectString('a comment');
    } else if (atElementStatement(c)) {
      const stmts = (el.stmts ??= []);
      if (stmts.length >= MAX_ELEMENT_STATEMENTS) c.fail(`at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
      stmts.push(parseElementStatement(c));
    } else break;
  }
  if (c.k() === Tok.Colon) {
    if (!map) c.fail('":" in a set that is not a map');
    c.next();
    el.value = parseMapData(c);
  }
  return el;
}

/** Map data: a verdict (`accept`, `jump x`) or a value / concatenation. */
export function parseMapData(c: Cursor): Expr {
  const w = c.w();
  if (w === 'accept' || w === 'drop' || w === 'continue' || w === 'return') {
    c.next();
    return { kind: 'verdict', verdict: w } satisfies VerdictExpr;
  }
  if (w === 'jump' || w === 'goto') {
    c.next();
    return { kind: 'verdict', verdict: w, target: c.expectWord('a chain name') } satisfies VerdictExpr;
  }
  return parseValueConcat(c);
}

/**
 * A value that may also be a selector, used after `set`, in nat targets and map
 * keys: `meta mark`, `ip saddr map { … }`, `numgen inc mod 2 map { … }`, `1`.
 */
export function parseValueOrSelector(c: Cursor, type?: DataType): Expr {
  if (isSelectorStart(c)) {
    const key = parseSelector(c);
    if (c.is('map')) return parseMapLookup(c, key);
    return key;
  }
  if (c.k() === Tok.Dollar) {
    const v = parseVar(c);
    if (c.is('map')) return parseMapLookup(c, v);
    return v;
  }
  const v = parseRhs(c, type);
  // constants combined by a bit operation (`ct mark set 0x11 xor 0x1331`): nft stores the result, and lists it
  let op = v.kind === 'value' ? binop(c) : undefined;
  if (!op) return v;
  let acc = parseInteger((v as { text: string }).text);
  for (; op; op = binop(c)) {
    c.next();
    const r = parseAtom(c);
    const b = r.kind === 'value' ? parseInteger(r.text) : undefined;
    if (acc === undefined || b === undefined) c.fail('a bit operation on constants needs numbers');
    acc = op === '&' ? acc & b : op === '|' ? acc | b : op === '^' ? acc ^ b : op === '<<' ? acc << b : acc >> b;
    if (acc > (1n << 128n)) c.fail('the result of the bit operation is too wide');
  }
  return { kind: 'value', text: `0x${(acc as bigint).toString(16)}` };
}

export function parseMapLookup(c: Cursor, key: Expr): MapExpr {
  c.next(); // map
  if (c.k() === Tok.At) return { kind: 'map', key, data: parseSetRef(c) };
  if (c.k() === Tok.Dollar) return { kind: 'map', key, data: parseVar(c) };
  return { kind: 'map', key, data: parseSetExpr(c, true) };
}

/**
 * One selector written on its own, as a person types it in the rule builder's
 * field picker (`tcp option maxseg size`, `ct original ip saddr`, `@nh,8,8`,
 * `vxlan ip saddr`): the expression, or undefined when the text is not exactly
 * one selector (a value, a concatenation, something after it, or a typo).
 */
export function parseSelectorText(text: string): Expr | undefined {
  if (text.length > 200) return undefined;
  const ts = tokenize(text);
  const end = ts.count > 0 && ts.kind[ts.count - 1] === Tok.EOF ? ts.count - 1 : ts.count;
  const c = new Cursor(ts, 0, end);
  if (c.done() || !isSelectorStart(c)) return undefined;
  try {
    const e = parsePrimary(c);
    return c.done() ? e : undefined;
  } catch {
    return undefined;
  }
}
