/**
 * libnftables JSON expressions → model expressions. Selectors map one to one;
 * values become the text nft lists (a number's decimal digits, a symbol, a
 * quoted string where nft quotes it) so that the emitter prints what it prints
 * for a parsed listing. Payload fields and meta or ct keys the designer does not
 * know become `rawexpr` text in nft syntax.
 */
import type { Expr, SetElement, VerdictExpr } from '../model/expr.ts';
import { CT_KEYS, FIB_FLAGS, FIB_RESULTS, META_KEYS, PAYLOAD_FIELDS } from '../knowledge/expressions.ts';
import { exprType, formatDurationMs, isBitmask, type DataType } from '../knowledge/datatypes.ts';
import { EXTHDR_SPACE_OF_JSON, IPSEC_KEYS, MAX_TCP_OPTION, OSF_KEYS, OSF_TTLS, RAW_PAYLOAD_BASES, headerInfo, tcpOptionName, tunnelInfo } from '../knowledge/exthdr.ts';
import { isArray, isObject, type JsonValue } from './jsonValue.ts';
import { describeJson, fail, int, str, strings, tagged, word } from './readJson.ts';
import { modelText } from './values.ts';
import { MAX_EXPR_DEPTH, NESTED_TOO_DEEPLY } from '../model/nesting.ts';
import type { Statement } from '../model/stmt.ts';
import { ELEMENT_STATEMENT_TAGS, MAX_ELEMENT_STATEMENTS, elementStatementFromJson } from '../stmts/elementStmts.ts';

/** How values read from JSON are typed: by the datatypes of what they are compared with. */
export interface FromTyping {
  types: (DataType | undefined)[];
  data?: { kind: 'verdict' } | { kind: 'object' } | { kind: 'values'; types: (DataType | undefined)[] };
}

export const noTyping: FromTyping = { types: [undefined] };

/** Deeper than this is not a ruleset (model/nesting.ts); refusing it keeps the recursion bounded. */
function deeper(depth: number): number {
  if (depth >= MAX_EXPR_DEPTH) fail(NESTED_TOO_DEEPLY);
  return depth + 1;
}

export function typesOfExpr(e: Expr): (DataType | undefined)[] {
  return e.kind === 'concat' ? e.items.map((i) => exprType(i)) : [exprType(e)];
}

const BINOPS = new Set(['&', '|', '^', '<<', '>>']);
const VERDICTS = new Set(['accept', 'drop', 'continue', 'return', 'jump', 'goto', 'queue']);
const SELECTORS = new Set(['payload', 'meta', 'ct', 'fib', 'concat', 'numgen', 'jhash', 'symhash', 'rt', 'socket', 'map', 'tcp option', 'ip option', 'sctp chunk', 'exthdr', 'osf', 'ipsec', ...BINOPS]);

/** A left-hand side, map key or statement key. */
export function selectorFromJson(j: JsonValue, depth = 0): Expr {
  const d = deeper(depth);
  const t = tagged(j);
  if (!t || !SELECTORS.has(t[0])) return valueFromJson(j, noTyping, d);
  const [kind, body] = t;
  if (kind === 'concat') {
    if (!isArray(body) || body.length === 0) fail(`a concatenation must be a non-empty array: ${describeJson(body)}`);
    return { kind: 'concat', items: body.map((x) => selectorFromJson(x, d)) };
  }
  if (BINOPS.has(kind)) {
    if (!isArray(body) || body.length !== 2) fail(`"${kind}" needs [left, right]: ${describeJson(body)}`);
    const left = selectorFromJson(body[0], d);
    return { kind: 'binop', op: kind as '&', left, right: valueFromJson(body[1], { types: [exprType(left)] }, d) };
  }
  if (kind === 'map') return mapFromJson(body, undefined, d);
  if (!isObject(body)) fail(`"${kind}" needs an object: ${describeJson(body)}`);
  switch (kind) {
    case 'payload': {
      const protocol = str(body, 'protocol');
      const field = str(body, 'field');
      if (protocol !== undefined && field !== undefined) {
        const tunnel = str(body, 'tunnel');
        const known = Object.hasOwn(PAYLOAD_FIELDS, protocol) && Object.hasOwn(PAYLOAD_FIELDS[protocol], field);
        if (tunnel === undefined || tunnel === protocol) {
          if (known) return { kind: 'payload', protocol, field };
        } else if (known && tunnelInfo(tunnel)) return { kind: 'payload', protocol, field, tunnel };
        const fieldText = field.split(' ').map((w) => word(w, 'payload field')).join(' ');
        return { kind: 'rawexpr', text: `${tunnel && tunnel !== protocol ? `${word(tunnel, 'tunnel')} ` : ''}${word(protocol, 'payload protocol')} ${fieldText}` };
      }
      const base = str(body, 'base');
      const offset = int(body, 'offset');
      const len = int(body, 'len');
      if (base === undefined || offset === undefined || len === undefined) fail(`a payload needs protocol and field, or base, offset and len: ${describeJson(body)}`);
      if (!Object.hasOwn(RAW_PAYLOAD_BASES, base)) fail(`unknown payload base "${word(base, 'payload base')}" (ll, nh, th or ih)`);
      if (offset < 0 || len <= 0) fail(`a raw payload needs an offset and a length: ${describeJson(body)}`);
      return { kind: 'rawpayload', base: base as 'll', offset, len };
    }
    case 'meta': {
      const key = str(body, 'key') ?? fail('meta needs a key');
      return key in META_KEYS ? { kind: 'meta', key } : { kind: 'rawexpr', text: `meta ${word(key, 'meta key')}` };
    }
    case 'ct':
      return ctFromJson(body);
    case 'fib': {
      const result = str(body, 'result') ?? fail('fib needs a result');
      const flags = strings(body.flags) ?? fail('fib needs flags');
      if (!(result in FIB_RESULTS) || !flags.every((f) => FIB_FLAGS.includes(f))) fail(`unknown fib result or flag: ${describeJson(body)}`);
      return { kind: 'fib', flags, result };
    }
    case 'numgen': {
      const mode = str(body, 'mode');
      const mod = int(body, 'mod') ?? fail('numgen needs mod');
      if (mode !== 'inc' && mode !== 'random') fail('numgen mode must be inc or random');
      const offset = int(body, 'offset');
      // nft lists no offset when it is 0
      return offset ? { kind: 'numgen', mode, mod, offset } : { kind: 'numgen', mode, mod };
    }
    case 'jhash':
    case 'symhash': {
      const e: Expr = { kind: 'hash', hash: kind, mod: int(body, 'mod') ?? fail(`${kind} needs mod`) };
      if (kind === 'jhash') e.expr = selectorFromJson(body.expr ?? fail('jhash needs expr'), d);
      const seed = int(body, 'seed');
      // nft lists the seed in hex
      if (seed !== undefined && seed >= 0) e.seed = `0x${seed.toString(16)}`;
      const offset = int(body, 'offset');
      if (offset) e.offset = offset;
      return e;
    }
    case 'rt': {
      const key = word(str(body, 'key') ?? fail('rt needs a key'), 'rt key');
      const family = str(body, 'family');
      if (family !== undefined && family !== 'ip' && family !== 'ip6') fail(`rt family must be ip or ip6`);
      return family ? { kind: 'rt', key, family } : { kind: 'rt', key };
    }
    case 'socket':
      return { kind: 'socket', key: word(str(body, 'key') ?? fail('socket needs a key'), 'socket key') };
    case 'tcp option':
    case 'ip option':
    case 'sctp chunk':
    case 'exthdr':
      return exthdrFromJson(kind, body);
    case 'osf': {
      const key = str(body, 'key') ?? fail('osf needs a key');
      if (!Object.hasOwn(OSF_KEYS, key)) fail(`osf key must be name or version`);
      const ttl = str(body, 'ttl');
      if (ttl !== undefined && !OSF_TTLS.includes(ttl)) fail('osf ttl must be loose or skip');
      return ttl ? { kind: 'osf', key: key as 'name', ttl: ttl as 'loose' } : { kind: 'osf', key: key as 'name' };
    }
    case 'ipsec': {
      const key = str(body, 'key') ?? fail('ipsec needs a key');
      const info = Object.hasOwn(IPSEC_KEYS, key) ? IPSEC_KEYS[key] : fail(`unknown ipsec key "${word(key, 'ipsec key')}"`);
      const dir = str(body, 'dir') ?? 'in';
      if (dir !== 'in' && dir !== 'out') fail('ipsec dir must be in or out');
      const spnum = int(body, 'spnum');
      if (spnum !== undefined && spnum < 0) fail('ipsec spnum must not be negative');
      const family = str(body, 'family');
      if (family !== undefined && family !== 'ip' && family !== 'ip6') fail('ipsec family must be ip or ip6');
      const e: Expr = { kind: 'ipsec', dir, key };
      if (spnum) e.spnum = spnum;
      if (info.family) e.family = family ?? 'ip';
      return e;
    }
    default:
      return fail(`unsupported expression "${kind}"`);
  }
}

/** {"tcp option": {"name": "maxseg", "field": "size"}}, {"tcp option": {"base": 255, "offset": 0, "len": 8}}, {"exthdr": {"name": "srh", "field": "sid[1]"}} … */
function exthdrFromJson(kind: string, body: Record<string, JsonValue>): Expr {
  const space = EXTHDR_SPACE_OF_JSON[kind];
  const base = int(body, 'base');
  if (space === 'tcp' && base !== undefined) {
    if (base < 0 || base > MAX_TCP_OPTION) fail(`tcp option ${base} is out of range (0-${MAX_TCP_OPTION})`);
    const offset = int(body, 'offset') ?? 0;
    const len = int(body, 'len') ?? 8;
    if (offset < 0 || len <= 0) fail(`a tcp option needs an offset and a length: ${describeJson(body)}`);
    // nft lists the kind byte of an option as the option (`tcp option 255`, `tcp option maxseg`)
    if (offset === 0 && len === 8) return { kind: 'exthdr', space, name: tcpOptionName(base) ?? String(base) };
    return { kind: 'exthdr', space, name: String(base), raw: { offset, len } };
  }
  const name = str(body, 'name') ?? fail(`${kind} needs a name`);
  const h = headerInfo(space, name) ?? fail(`unknown ${kind} "${word(name, 'header name')}"`);
  const listed = h.listedAs ?? name;
  const fieldText = str(body, 'field');
  if (fieldText === undefined) {
    if (!h.exists) fail(`${kind} ${name} needs a field`);
    return { kind: 'exthdr', space, name: h.sharesWith?.name ?? listed };
  }
  const m = /^([a-z0-9-]+)(?:\[(\d+)\])?$/.exec(fieldText);
  const field = m?.[1];
  if (!m || field === undefined || !Object.hasOwn(h.fields, field) || (m[2] !== undefined) !== Boolean(h.indexed?.includes(field))) {
    fail(`unknown field "${word(fieldText.replace(/[[\]]/g, ''), 'header field')}" of ${kind} ${name}`);
  }
  const e: Expr = { kind: 'exthdr', space, name: h.sharesWith?.fields.includes(field) ? h.sharesWith.name : listed, field };
  if (m[2] !== undefined) e.index = Number(m[2]);
  return e;
}

function ctFromJson(body: Record<string, JsonValue>): Expr {
  const raw = str(body, 'key') ?? fail('ct needs a key');
  // nft spells the family-specific keys `ip saddr`, `ip6 daddr` (or gives a family apart)
  const m = /^(ip|ip6) (\S+)$/.exec(raw);
  const key = m ? m[2] : raw;
  const family = m ? m[1] : str(body, 'family');
  if (family !== undefined && family !== 'ip' && family !== 'ip6') fail('ct family must be ip or ip6');
  const dir = str(body, 'dir');
  if (dir !== undefined && dir !== 'original' && dir !== 'reply') fail(`ct direction must be original or reply`);
  if (!(key in CT_KEYS)) return { kind: 'rawexpr', text: ['ct', dir, ...raw.split(' ').map((w) => word(w, 'ct key'))].filter(Boolean).join(' ') };
  const e: Expr = { kind: 'ct', key };
  if (dir) e.dir = dir;
  if (family) e.family = family;
  return e;
}

/** `KEY map { … }` / `KEY map @m`, the map yielding values typed by `data`. */
function mapFromJson(body: JsonValue, data: FromTyping['data'], depth: number): Expr {
  if (!isObject(body)) fail(`map needs key and data: ${describeJson(body)}`);
  const key = selectorFromJson(body.key ?? fail('map needs a key'), depth);
  const d = valueFromJson(body.data ?? fail('map needs data'), { types: typesOfExpr(key), data }, depth);
  if (d.kind !== 'set' && d.kind !== 'setref') fail(`map data must be a set or a @reference: ${describeJson(body.data)}`);
  return { kind: 'map', key, data: d };
}

export function verdictFromJson(kind: string, body: JsonValue): VerdictExpr {
  if (kind === 'jump' || kind === 'goto') {
    const target = isObject(body) ? str(body, 'target') : undefined;
    if (target === undefined) fail(`${kind} needs a target chain`);
    return { kind: 'verdict', verdict: kind, target };
  }
  if (body !== null && !(isObject(body) && Object.keys(body).length === 0)) fail(`"${kind}" takes no argument: ${describeJson(body)}`);
  return { kind: 'verdict', verdict: kind as VerdictExpr['verdict'] };
}

/** A value (or a selector used as a value) typed by what it is compared with or stored in. */
export function valueFromJson(j: JsonValue, typing: FromTyping, depth = 0): Expr {
  const d = deeper(depth);
  if (typeof j === 'string') {
    if (j.startsWith('@') && j.length > 1) return { kind: 'setref', name: j.slice(1) };
    return { kind: 'value', text: modelText(j, typing.types[0]) };
  }
  if (typeof j === 'number') {
    if (!Number.isSafeInteger(j)) fail(`${j} is not a whole number`);
    return { kind: 'value', text: modelText(j, typing.types[0]) };
  }
  if (typeof j === 'boolean') return { kind: 'value', text: modelText(j, typing.types[0]) };
  if (isArray(j)) {
    if (j.length === 0) fail('an empty list is not a value');
    return { kind: 'list', items: j.map((x) => valueFromJson(x, typing, d)) };
  }
  const t = tagged(j);
  if (!t) fail(`not an expression: ${describeJson(j)}`);
  const [kind, body] = t;
  if (VERDICTS.has(kind)) return verdictFromJson(kind, body);
  switch (kind) {
    case 'range': {
      if (!isArray(body) || body.length !== 2) fail(`a range needs [low, high]: ${describeJson(body)}`);
      return { kind: 'range', from: valueFromJson(body[0], typing, d), to: valueFromJson(body[1], typing, d) };
    }
    case 'prefix': {
      const len = isObject(body) ? int(body, 'len') : undefined;
      if (!isObject(body) || len === undefined || body.addr === undefined) fail(`a prefix needs addr and len: ${describeJson(body)}`);
      return { kind: 'prefix', addr: valueFromJson(body.addr, typing, d), len };
    }
    case 'set': {
      // nft also takes a single element instead of an array
      const items = isArray(body) ? body : [body];
      return { kind: 'set', elements: items.map((x) => elementFromJson(x, typing, d)) };
    }
    case 'concat': {
      if (!isArray(body) || body.length === 0) fail(`a concatenation must be a non-empty array: ${describeJson(body)}`);
      return {
        kind: 'concat',
        items: body.map((x, i) => {
          const sel = tagged(x);
          if (sel && SELECTORS.has(sel[0])) return selectorFromJson(x, d);
          return valueFromJson(x, { types: [typing.types[i] ?? typing.types[typing.types.length - 1]] }, d);
        }),
      };
    }
    case 'elem':
      return elementFromJson(j, typing, d).key;
    case 'map':
      return mapFromJson(body, typing.data ?? { kind: 'values', types: typing.types }, d);
    case '|': {
      // nft 1.1's JSON writes several flags of a bitmask type as a bit operation,
      // {"|": ["fin", "syn"]} (nested for more); 1.0.6 as a list, which the model has.
      // Anything else is a bit operation on values (ct mark | 1).
      if (!isBitmask(typing.types[0])) return selectorFromJson(j, d);
      const flags: JsonValue[] = [];
      const walk = (v: JsonValue, at: number): boolean => {
        const o = tagged(v);
        if (o && o[0] === '|' && isArray(o[1]) && o[1].length === 2) return o[1].every((x) => walk(x, deeper(at)));
        if (typeof v !== 'string' && typeof v !== 'number') return false;
        flags.push(v);
        return true;
      };
      if (!walk(j, d)) return selectorFromJson(j, d);
      return { kind: 'list', items: flags.map((x) => valueFromJson(x, typing, d)) };
    }
    default:
      return selectorFromJson(j, d);
  }
}

/** One element: a key, `{"elem": {val, timeout, expires, comment, counter, limit, …}}`, or a map entry `[key, data]`. */
export function elementFromJson(j: JsonValue, typing: FromTyping, depth: number): SetElement {
  const d = deeper(depth);
  // the catch-all element
  if (j === '*') return { key: { kind: 'catchall' } };
  if (isArray(j)) {
    if (j.length !== 2) fail(`a map entry needs [key, data]: ${describeJson(j)}`);
    const el = elementFromJson(j[0], typing, d);
    el.value = dataFromJson(j[1], typing.data, d);
    return el;
  }
  const t = tagged(j);
  if (t && t[0] === 'elem') {
    const body = t[1];
    if (!isObject(body) || body.val === undefined) fail(`elem needs val: ${describeJson(body)}`);
    const el: SetElement = { key: body.val === '*' ? { kind: 'catchall' } : valueFromJson(body.val, typing, d) };
    const timeout = int(body, 'timeout');
    const expires = int(body, 'expires');
    const comment = str(body, 'comment');
    // nft's JSON counts these in seconds
    if (timeout !== undefined) el.timeout = formatDurationMs(timeout * 1000);
    if (expires !== undefined) el.expires = formatDurationMs(expires * 1000);
    if (comment !== undefined) el.comment = comment;
    // statements on the element: nft writes them as keys of the elem object
    const stmts: Statement[] = [];
    for (const k of Object.keys(body)) {
      if (!(ELEMENT_STATEMENT_TAGS as readonly string[]).includes(k)) continue;
      if (stmts.length >= MAX_ELEMENT_STATEMENTS) fail(`at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
      stmts.push(elementStatementFromJson({ [k]: body[k] }, 'inet'));
    }
    if (stmts.length) el.stmts = stmts;
    return el;
  }
  return { key: valueFromJson(j, typing, d) };
}

function dataFromJson(j: JsonValue, data: FromTyping['data'], depth: number): Expr {
  const t = tagged(j);
  if (t && VERDICTS.has(t[0])) return verdictFromJson(t[0], t[1]);
  // object names are listed quoted (`80 : "c1"`)
  if (data?.kind === 'object' && typeof j === 'string') return { kind: 'value', text: modelText(j, 'string') };
  if (data?.kind === 'values') return valueFromJson(j, { types: data.types }, depth);
  return valueFromJson(j, noTyping, depth);
}
