/**
 * Model expressions → libnftables JSON expressions. Selectors (payload, meta,
 * ct, …) map one to one; values are written as the JSON immediates nft itself
 * writes for the datatype they are compared with or stored in, which the caller
 * passes as a Typing.
 */
import { appendAll } from '../model/arrays.ts';
import type { Expr, SetElement, VerdictExpr } from '../model/expr.ts';
import { durationMs, exprType, hasShift, parseInteger, type DataType } from '../knowledge/datatypes.ts';
import { metaListedAs } from '../knowledge/expressions.ts';
import { EXTHDR_SPACES, tunnelInfo } from '../knowledge/exthdr.ts';
import type { JsonObject, JsonValue } from './jsonValue.ts';
import { CannotCarry, LOSS } from './losses.ts';
import { jsonImmediate, unquoted } from './values.ts';
import type { Variables } from './variables.ts';

/** How map data is typed: datatypes (one per concatenated part), verdicts or object names. */
export type DataTyping = { kind: 'values'; types: (DataType | undefined)[] } | { kind: 'verdict' } | { kind: 'object' };

export interface Typing {
  /** datatype of each concatenated component of a value or set key */
  types: (DataType | undefined)[];
  data?: DataTyping;
}

export const untyped: Typing = { types: [undefined] };

/** The datatypes of a selector's parts, for typing what it is compared with. */
export function typesOf(e: Expr): (DataType | undefined)[] {
  return e.kind === 'concat' ? e.items.map((i) => exprType(i)) : [exprType(e)];
}

const SELECTOR_KINDS: ReadonlySet<Expr['kind']> = new Set<Expr['kind']>([
  'payload', 'meta', 'ct', 'fib', 'numgen', 'hash', 'rt', 'socket', 'binop', 'map', 'exthdr', 'rawpayload', 'ipsec', 'osf',
]);

function isSelector(e: Expr): boolean {
  return SELECTOR_KINDS.has(e.kind) || (e.kind === 'concat' && e.items.some(isSelector));
}

/** A left-hand side, map key or statement key (`ip saddr`, `meta mark & 0xff`). */
export function selectorJson(e: Expr, vars: Variables): JsonValue {
  switch (e.kind) {
    case 'payload': {
      // nft's JSON names the tunnel of an inner header, and vxlan's / geneve's own fields
      const tunnel = e.tunnel ?? (tunnelInfo(e.protocol)?.ownFieldsNameTunnel ? e.protocol : undefined);
      return { payload: tunnel ? { tunnel, protocol: e.protocol, field: e.field } : { protocol: e.protocol, field: e.field } };
    }
    case 'meta':
      return { meta: { key: metaListedAs(e.key) } };
    case 'exthdr':
      return exthdrJson(e);
    case 'rawpayload':
      return { payload: { base: e.base, offset: e.offset, len: e.len } };
    case 'ipsec': {
      const x: JsonObject = { key: e.key, dir: e.dir, spnum: e.spnum ?? 0 };
      if (e.family) x.family = e.family;
      return { ipsec: x };
    }
    case 'osf':
      return { osf: e.ttl ? { key: e.key, ttl: e.ttl } : { key: e.key } };
    case 'ct': {
      // nft spells the family-specific keys `ip saddr` / `ip6 daddr`
      const ct: JsonObject = { key: e.family ? `${e.family} ${e.key}` : e.key };
      if (e.dir) ct.dir = e.dir;
      return { ct };
    }
    case 'fib':
      return { fib: { result: e.result, flags: [...e.flags] } };
    case 'concat':
      return { concat: e.items.map((i) => (isSelector(i) || i.kind === 'var' ? selectorJson(i, vars) : exprJson(i, untyped, vars))) };
    case 'binop': {
      // a shift's amount, and what is combined with a shifted value, are plain numbers (`ip dscp << 26 | 0x10`)
      const shifted = hasShift(e);
      return { [e.op]: [selectorJson(e.left, vars), exprJson(e.right, { types: [shifted ? 'integer' : exprType(e.left)] }, vars)] };
    }
    case 'numgen':
      return { numgen: { mode: e.mode, mod: e.mod, offset: e.offset ?? 0 } };
    case 'hash':
      return hashJson(e, vars);
    case 'rt': {
      const rt: JsonObject = { key: e.key };
      if (e.family) rt.family = e.family;
      return { rt };
    }
    case 'socket':
      return { socket: { key: e.key } };
    case 'var':
      return selectorJson(vars.expr(e.name), vars);
    case 'map':
      return mapJson(e, undefined, vars);
    case 'rawexpr':
      throw new CannotCarry(LOSS.rawExpression, `"${e.text}" is kept as text and cannot be converted`);
    default:
      return exprJson(e, untyped, vars);
  }
}

/** {"exthdr": …}, {"tcp option": …}, {"ip option": …}, {"sctp chunk": …}, as nft writes them. */
function exthdrJson(e: Extract<Expr, { kind: 'exthdr' }>): JsonValue {
  const tag = EXTHDR_SPACES[e.space].json;
  // a TCP option without a name: its kind, and the bits read from it (the kind byte for an existence test)
  if (e.space === 'tcp' && /^\d+$/.test(e.name)) return { [tag]: { base: Number(e.name), offset: e.raw?.offset ?? 0, len: e.raw?.len ?? 8 } };
  if (e.field === undefined) return { [tag]: { name: e.name } };
  return { [tag]: { name: e.name, field: e.index !== undefined ? `${e.field}[${e.index}]` : e.field } };
}

function hashJson(e: Extract<Expr, { kind: 'hash' }>, vars: Variables): JsonValue {
  const h: JsonObject = { mod: e.mod };
  if (e.seed !== undefined) {
    const seed = parseInteger(e.seed);
    if (seed === undefined || seed > BigInt(Number.MAX_SAFE_INTEGER)) throw new CannotCarry(LOSS.rawExpression, `the hash seed ${e.seed} is not a number`);
    h.seed = Number(seed);
  }
  if (e.offset !== undefined) h.offset = e.offset;
  if (e.hash === 'symhash') return { symhash: h };
  if (!e.expr) throw new CannotCarry(LOSS.rawExpression, 'jhash needs an expression');
  h.expr = selectorJson(e.expr, vars);
  return { jhash: h };
}

/** `KEY map { … }` / `KEY map @m`; `data` types the values the map yields. */
function mapJson(e: Extract<Expr, { kind: 'map' }>, data: DataTyping | undefined, vars: Variables): JsonValue {
  const typing: Typing = { types: typesOf(e.key), data };
  return { map: { key: selectorJson(e.key, vars), data: exprJson(e.data, typing, vars) } };
}

/** A value (or a selector used as a value) typed by what it is compared with or stored in. */
export function exprJson(e: Expr, typing: Typing, vars: Variables): JsonValue {
  switch (e.kind) {
    case 'value':
      return jsonImmediate(e.text, typing.types[0]);
    case 'list':
      return e.items.map((i) => exprJson(i, typing, vars));
    case 'range':
      return { range: [exprJson(e.from, typing, vars), exprJson(e.to, typing, vars)] };
    case 'prefix':
      return { prefix: { addr: exprJson(e.addr, typing, vars), len: e.len } };
    case 'concat':
      return {
        concat: e.items.map((it, i) =>
          isSelector(it) ? selectorJson(it, vars) : exprJson(it, { types: [typing.types[i] ?? typing.types[typing.types.length - 1]] }, vars),
        ),
      };
    case 'set':
      return { set: elementsJson(e.elements, typing, vars) };
    case 'setref':
      return `@${e.name}`;
    case 'var':
      return exprJson(vars.expr(e.name), typing, vars);
    case 'verdict':
      return verdictJson(e);
    case 'map':
      return mapJson(e, typing.data ?? { kind: 'values', types: typing.types }, vars);
    case 'catchall':
      return '*';
    default:
      return selectorJson(e, vars);
  }
}

export function verdictJson(v: Pick<VerdictExpr, 'verdict' | 'target'>): JsonValue {
  return { [v.verdict]: v.target !== undefined ? { target: v.target } : null };
}

/**
 * Elements of an anonymous or named set; a variable holding a set is spliced in.
 * Their statements are not written (nft's JSON reader takes none; the set's
 * writer reports what that loses, an anonymous set's element refuses).
 */
export function elementsJson(elements: readonly SetElement[], typing: Typing, vars: Variables, named = false): JsonValue[] {
  const out: JsonValue[] = [];
  for (const el of elements) {
    if (el.key.kind === 'var' && !el.value && el.timeout === undefined && el.expires === undefined && el.comment === undefined) {
      const r = vars.expr(el.key.name);
      // resolved variables hold no variables, so this goes one level deep
      if (r.kind === 'set') {
        appendAll(out, elementsJson(r.elements, typing, vars, named));
        continue;
      }
    }
    out.push(elementJson(el, typing, vars, named));
  }
  return out;
}

function elementJson(el: SetElement, typing: Typing, vars: Variables, named: boolean): JsonValue {
  if (el.stmts?.length && !named) {
    throw new CannotCarry(LOSS.elementStatements, 'nft\'s JSON reader takes no statements on the elements of an anonymous set (they would be lost)');
  }
  // flags combined into one element (`syn | ack`): nft writes {"|": [{"|": [a, b]}, c]}
  let key = el.key.kind === 'list' ? el.key.items.map((i) => exprJson(i, typing, vars)).reduce((a, b) => ({ '|': [a, b] })) : exprJson(el.key, typing, vars);
  if (el.timeout !== undefined || el.expires !== undefined || el.comment !== undefined) {
    const elem: JsonObject = { val: key };
    if (el.timeout !== undefined) elem.timeout = seconds(el.timeout);
    // expires is a countdown (state, like counter values): whole seconds are what JSON holds
    if (el.expires !== undefined) elem.expires = Math.floor((durationMs(el.expires) ?? 0) / 1000);
    if (el.comment !== undefined) elem.comment = el.comment;
    key = { elem };
  }
  if (!el.value) return key;
  return [key, dataJson(el.value, typing.data, vars)];
}

function dataJson(v: Expr, data: DataTyping | undefined, vars: Variables): JsonValue {
  if (v.kind === 'verdict') return verdictJson(v);
  if (data?.kind === 'object' && v.kind === 'value') return unquoted(v.text);
  if (data?.kind === 'values') return exprJson(v, { types: data.types }, vars);
  return exprJson(v, untyped, vars);
}

/** nft's JSON counts timeouts in whole seconds. */
export function seconds(text: string): number {
  const ms = durationMs(text);
  if (ms === undefined) throw new CannotCarry(LOSS.subsecondTimeout, `"${text}" is not a time value`);
  if (ms % 1000 !== 0) throw new CannotCarry(LOSS.subsecondTimeout, `the timeout ${text} is not a whole number of seconds`);
  return ms / 1000;
}
