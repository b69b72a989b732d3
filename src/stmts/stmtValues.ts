/**
 * What the statements that carry an address, a port or a device (dup, fwd,
 * tproxy) share: their values printed in nft's listing form, read from JSON with
 * the datatype nft gives them and checked before they are kept, and read from a
 * rule builder field.
 */
import type { Expr } from '../model/expr.ts';
import type { DataType } from '../knowledge/datatypes.ts';
import type { Family, IpFamily } from '../knowledge/vocabulary.ts';
import { deviceNameProblem } from '../knowledge/names.ts';
import { formatSelector } from '../emit/selectors.ts';
import { formatValueExpr, single } from '../emit/values.ts';
import { exprProblem } from '../emit/validate.ts';
import { exprJson, type Typing } from '../json/exprToJson.ts';
import { valueFromJson } from '../json/exprFromJson.ts';
import type { JsonValue } from '../json/jsonValue.ts';
import { fail } from '../json/readJson.ts';
import type { Variables } from '../json/variables.ts';
import { Cursor, Unstructured } from '../parse/cursor.ts';
import { parseValueOrSelector } from '../parse/expressions.ts';
import { Tok, tokenize } from '../parse/lexer.ts';

/** Expressions that compute a value from the packet (printed as selectors, not as values). */
const COMPUTED: ReadonlySet<Expr['kind']> = new Set<Expr['kind']>(['map', 'numgen', 'hash', 'payload', 'meta', 'ct', 'concat', 'binop', 'fib', 'rt', 'socket', 'rawexpr']);

/** A statement's value in nft's listing form: a constant printed as `type` prints it, a computed one as a selector. */
export function valueText(e: Expr, type: DataType | undefined): string {
  return COMPUTED.has(e.kind) ? formatSelector(e) : formatValueExpr(e, single(type));
}

/** The datatype of an address of family `fam` (an IPv6 address when the text has a colon and the family is not known). */
export function addrType(fam: IpFamily | undefined, e?: Expr): DataType {
  if (fam === 'ip6') return 'ipv6_addr';
  if (fam === 'ip') return 'ipv4_addr';
  return e?.kind === 'value' && e.text.includes(':') ? 'ipv6_addr' : 'ipv4_addr';
}

/** The family an ip or ip6 table implies; undefined in the others. */
export function tableIpFamily(family: Family): IpFamily | undefined {
  return family === 'ip' || family === 'ip6' ? family : undefined;
}

/** An IPv6 address written in brackets (`[2001:db8::1]`, what tproxy and nat take before a port) without them. */
export function unbracket(e: Expr): Expr {
  return e.kind === 'value' && e.text.startsWith('[') && e.text.endsWith(']') ? { kind: 'value', text: e.text.slice(1, -1) } : e;
}

/** JSON of a statement value of datatype `type` (map data typed the same). */
export function valueJson(e: Expr, type: DataType, vars: Variables): JsonValue {
  const typing: Typing = { types: [type], data: { kind: 'values', types: [type] } };
  return exprJson(unbracket(e), typing, vars);
}

/**
 * A statement value read from JSON, checked as the emitter checks it in a rule
 * (one token, a safe quoted string, a map of those): a hostile value is refused
 * here, naming `what`, and the rule is dropped with that error.
 */
export function valueIn(j: JsonValue, type: DataType, what: string): Expr {
  if (type === 'ifname' && typeof j === 'string') {
    const p = deviceNameProblem(j, what);
    if (p) fail(p);
  }
  const e = valueFromJson(j, { types: [type], data: { kind: 'values', types: [type] } });
  const p = exprProblem(e, 'target', what);
  if (p) fail(`${what}: ${p}`);
  if (e.kind === 'list' || e.kind === 'setref') fail(`${what}: ${e.kind === 'list' ? 'a list' : 'a set reference'} cannot be the ${what} (expected a value or a map lookup)`);
  return e;
}

// ------------------------------------------------------------------ rule builder fields

/** A field's text as one value or computed value (`192.0.2.1`, `"eth0"`, `ip saddr map { … }`), or why it is not one. */
export function fieldExpr(text: string, what: string): Expr | string {
  const t = text.trim();
  if (t === '') return `enter the ${what}`;
  const ts = tokenize(t);
  const c = new Cursor(ts, 0, ts.count);
  try {
    const e = parseValueOrSelector(c);
    if (!c.done() && c.k() !== Tok.EOF) return `"${t}" is not one ${what}: it goes on after "${t.slice(0, ts.start[c.p])}"`;
    if (e.kind === 'list' || e.kind === 'set' || e.kind === 'setref') return `the ${what} is one value or a map lookup, not a set or a list`;
    const p = exprProblem(e, 'target', what);
    if (p) return p;
    return e;
  } catch (err) {
    if (err instanceof Unstructured) return `"${t}" is not a ${what}: ${err.message}`;
    throw err;
  }
}

/** A field's text as a whole number min..max, or why it is not one. */
export function fieldCount(text: string, what: string, min: number, max: number): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `"${t}" is not a number: ${what} is a whole number ${min}..${max}`;
  const n = Number(t);
  if (n < min || n > max) return `${t} is out of range: ${what} is ${min}..${max}`;
  return n;
}

/** A quoted device name in a field: `eth0` and `"eth0"` alike. */
export function fieldDevice(text: string, what: string): Expr | string {
  const t = text.trim();
  const bare = t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1) : t;
  if (/^[A-Za-z0-9_.*-]+$/.test(bare) || t === '') {
    const p = t === '' ? `enter the ${what}` : deviceNameProblem(bare, what);
    return p ?? { kind: 'value', text: `"${bare}"` };
  }
  return fieldExpr(t, what);
}
