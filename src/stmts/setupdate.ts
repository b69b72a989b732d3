/**
 * `add @s { ip saddr timeout 30s }`, `update @s { … limit rate over 10/second }`,
 * `delete @s { … }`. The key may concatenate constants with selectors (`add @s {
 * ip saddr . 22 timeout 1m }`): nft stores the constant with the set's type and
 * lists it as a number, 1.0.6 and 1.1.3 alike.
 */
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { WHERE } from '../model/validate.ts';
import { formatDurationMs, formatValue } from '../knowledge/datatypes.ts';
import { seconds, selectorJson } from '../json/exprToJson.ts';
import { selectorFromJson } from '../json/exprFromJson.ts';
import { isArray, isObject, type JsonObject, type JsonValue } from '../json/jsonValue.ts';
import { fail, int, objectBody, only, str, tagged } from '../json/readJson.ts';
import { CannotCarry, LOSS } from '../json/losses.ts';
import { parseSetRef } from '../parse/expressions.ts';
import type { Cursor } from '../parse/cursor.ts';
import { constantItems, formatWithConstants, holdsConstant, itemPlace, parseSelectorsAndConstants } from './keyConstants.ts';
import { specTypes } from '../emit/values.ts';
import { Tok } from '../parse/lexer.ts';
import { statementExprs, statementJson } from './registry.ts';
import { MAX_ELEMENT_STATEMENTS, NOT_STATEFUL, atElementStatement, checkElementStatementsSafety, checkElementStatementsShape, elementStatementFromJson, parseElementStatements, printElementStatements } from './elementStmts.ts';
import type { StmtModule } from './module.ts';

export const SETUPDATE_OPS = ['add', 'update', 'delete'] as const;
export type SetUpdateOp = (typeof SETUPDATE_OPS)[number];

export interface SetUpdateStmt {
  kind: 'setupdate';
  op: SetUpdateOp;
  set: string;
  key: Expr;
  timeout?: string;
  /**
   * statements attached to the element, e.g. `limit rate over 10/second`: the
   * stateful kinds of elementStmts.ts (never another set update, so the depth stays one)
   */
  stmts?: Statement[];
  /** a map update's data (`update @m { ip saddr : tcp sport }`): selectors and constants, like the key */
  data?: Expr;
}

const WHERE_DATA = 'the data of a map update (expected a selector like tcp sport, a constant, or a concatenation of them)';
const WHERE_KEY = 'the element of a set update (expected a selector like ip saddr, or a concatenation of selectors and constants)';

/**
 * The key of a set update: a selector expression, or a concatenation whose
 * items are selectors or constants (`ip saddr . 22`, `10.0.0.1 . tcp dport`).
 */
export function parseUpdateKey(c: Cursor): Expr {
  // nft takes a constant alone too (`add @m { 10.2.3.4 timeout 1s : 0x00000002 }`)
  return parseSelectorsAndConstants(c);
}

/** A map update's data: a selector expression, a constant, or a concatenation of them (`ip daddr . tcp dport`, `0x00000002`). */
function parseUpdateData(c: Cursor): Expr {
  return parseSelectorsAndConstants(c);
}

/** A map update's data from JSON: a selector, a constant, or a concatenation of them. */
function dataFromJson(j: JsonValue): Expr {
  if (typeof j === 'number') return { kind: 'value', text: String(j) };
  if (typeof j === 'string') {
    // printed bare: one value (a number, an address, a name), never nft syntax
    if (!/^[A-Za-z0-9_.:/-]+$/.test(j)) fail(`map statement data "${j.slice(0, 40)}" is not a single value`);
    return { kind: 'value', text: j };
  }
  return selectorFromJson(j);
}

export const setupdate: StmtModule<'setupdate'> = {
  kind: 'setupdate',
  title: 'set update',
  summary: 'add the packet\'s key to a set (or update or delete it), e.g. to remember or rate-limit a source',
  words: SETUPDATE_OPS,
  options: ['timeout'],
  parse(c, w) {
    if (c.k(1) !== Tok.At) return c.fail(`unsupported ${w} statement`);
    c.next();
    const set = parseSetRef(c).name;
    c.expectKind(Tok.LBrace, '"{"');
    const key = parseUpdateKey(c);
    let timeout: string | undefined;
    if (c.is('timeout')) {
      c.next();
      timeout = c.expectWord('a timeout');
    }
    const s: SetUpdateStmt = { kind: 'setupdate', op: w as SetUpdateOp, set, key };
    if (timeout !== undefined) s.timeout = timeout;
    if (c.k() !== Tok.RBrace) {
      // statements attached to the element (limit, counter, …), then a map update's data
      if (c.k() !== Tok.Colon) {
        if (!atElementStatement(c)) c.fail(NOT_STATEFUL);
        s.stmts = parseElementStatements(c);
      }
      if (c.k() === Tok.Colon) {
        c.next();
        s.data = parseUpdateData(c);
      }
    }
    c.expectKind(Tok.RBrace, '"}"');
    return s;
  },
  jsonTags: ['set', 'map'],
  fromJson(tag, body, ctx) {
    const o = objectBody(body, tag);
    const map = tag === 'map';
    only(o, map ? ['op', 'elem', 'data', 'map', 'stmt'] : ['op', 'elem', 'set', 'stmt'], tag);
    const op = str(o, 'op');
    if (op !== 'add' && op !== 'update' && op !== 'delete') fail(`${tag} statement op must be add, update or delete`);
    const ref = str(o, tag);
    if (ref === undefined || !ref.startsWith('@')) fail(`${tag} statement needs "${tag}": "@name"`);
    let elem = o.elem ?? fail('set statement needs elem');
    let timeout: number | undefined;
    const wrapped = tagged(elem);
    if (wrapped && wrapped[0] === 'elem' && isObject(wrapped[1])) {
      const inner = wrapped[1];
      only(inner, ['val', 'timeout'], 'set statement elem');
      timeout = int(inner, 'timeout');
      elem = inner.val ?? fail('elem needs val');
    }
    const s: SetUpdateStmt = { kind: 'setupdate', op, set: ref.slice(1), key: dataFromJson(elem) };
    if (timeout !== undefined) s.timeout = formatDurationMs(timeout * 1000);
    if (map) s.data = dataFromJson(o.data ?? fail('map statement needs data'));
    if (o.stmt !== undefined) {
      if (!isArray(o.stmt)) fail('set statement stmt must be an array');
      if (o.stmt.length > MAX_ELEMENT_STATEMENTS) fail(`at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
      const stmts = o.stmt.map((x) => elementStatementFromJson(x, ctx.family));
      if (stmts.length) s.stmts = stmts;
    }
    return s;
  },
  readsSets: (s) => holdsConstant(s.key) || holdsConstant(s.data),
  print(s, ctx) {
    const decl = holdsConstant(s.key) || holdsConstant(s.data) ? ctx.maps?.(s.set) : undefined;
    let u = `${s.op} @${s.set} { ${formatWithConstants(s.key, decl && specTypes(decl.key))}`;
    if (s.timeout) u += ` timeout ${formatValue(s.timeout, 'time')}`;
    if (s.stmts?.length) u += ` ${printElementStatements(s.stmts, ctx, true)}`;
    if (s.data) u += ` : ${formatWithConstants(s.data, decl?.data && specTypes(decl.data))}`;
    return `${u} }`;
  },
  toJson(s, ctx) {
    if (s.data && ctx.carries && !ctx.carries(LOSS.mapUpdate)) {
      throw new CannotCarry(LOSS.mapUpdate, `update of map @${s.set}: the target nft's JSON has no map update statement; the JSON leaves the rule out`);
    }
    const key = selectorJson(s.key, ctx.vars);
    const elem = s.timeout !== undefined ? { elem: { val: key, timeout: seconds(s.timeout) } } : key;
    const u: JsonObject = s.data ? { op: s.op, elem, data: selectorJson(s.data, ctx.vars), map: `@${s.set}` } : { op: s.op, elem, set: `@${s.set}` };
    if (s.stmts?.length) {
      const stmts = s.stmts;
      const inner = { ...ctx, template: true };
      u.stmt = stmts.map((x, i) => statementJson(x, { ...inner, rule: stmts, index: i }));
    }
    const out: JsonObject = s.data ? { map: u } : { set: u };
    return out;
  },
  shape(v, s, p) {
    v.oneOf(s, 'op', SETUPDATE_OPS, p);
    v.str(s, 'set', p);
    const items = constantItems(s.key);
    if (items) items.forEach((x, i) => v.expr(x, `${p}.key.items[${i}]`, 1, itemPlace(x), WHERE_KEY));
    else v.expr(s.key, `${p}.key`, 0, itemPlace(s.key), WHERE.setupdateKey);
    v.str(s, 'timeout', p, true);
    checkElementStatementsShape(v, s.stmts, `${p}.stmts`);
    if (s.data !== undefined) {
      const d = constantItems(s.data);
      if (d) d.forEach((x, i) => v.expr(x, `${p}.data.items[${i}]`, 1, itemPlace(x), WHERE_DATA));
      else v.expr(s.data, `${p}.data`, 0, itemPlace(s.data), WHERE_DATA);
    }
  },
  safety(v, s) {
    const f = v.field;
    v.oneOf(f, s.op, SETUPDATE_OPS, 'add, update or delete');
    v.name(f, s.set, 'set name');
    const items = constantItems(s.key);
    if (items) for (const x of items as Expr[]) v.expr(x, itemPlace(x), WHERE_KEY);
    else v.expr(s.key, itemPlace(s.key), WHERE.setupdateKey);
    v.time(f, s.timeout);
    checkElementStatementsSafety(v, s.stmts);
    if (s.data) {
      const d = constantItems(s.data);
      if (d) for (const x of d as Expr[]) v.expr(x, itemPlace(x), WHERE_DATA);
      else v.expr(s.data, itemPlace(s.data), WHERE_DATA);
    }
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => [s.key, ...(s.data ? [s.data] : []), ...(s.stmts ?? []).flatMap(statementExprs)],
  passes: () => false,
  evaluate: (s, ctx) => ctx.updateSet(s.op, s.set, s.key, s.data, s.stmts, s.timeout),
};
