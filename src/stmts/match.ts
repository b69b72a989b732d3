/**
 * `LEFT [op] RIGHT`: `tcp dport 22`, `ip saddr != 10.0.0.0/8`, `tcp flags syn /
 * syn,ack`. The expression statement parser here also reads the other
 * statements that start with a selector: `KEY set VALUE` (mangle.ts) and `KEY
 * vmap …` (vmap.ts).
 */
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { WHERE } from '../model/validate.ts';
import { MATCH_OPS, MATCH_OP_WORDS, type MatchOp } from '../knowledge/vocabulary.ts';
import { bitBase, exprType, ip4Value, ip6ToBig, isBitmask } from '../knowledge/datatypes.ts';
import { formatSelector, hostOrderWide, selectorContext, shiftedValueType } from '../emit/selectors.ts';
import { formatSet, formatValueExpr, single, specTypes } from '../emit/values.ts';
import { exprJson, selectorJson, typesOf } from '../json/exprToJson.ts';
import { selectorFromJson, typesOfExpr, valueFromJson } from '../json/exprFromJson.ts';
import type { JsonValue } from '../json/jsonValue.ts';
import { fail, objectBody, only, str } from '../json/readJson.ts';
import type { Cursor } from '../parse/cursor.ts';
import { parseRhs, parseSetExpr, parseSetRef, parseValueOrSelector, parseVar } from '../parse/expressions.ts';
import { Tok } from '../parse/lexer.ts';
import { lists11, type ListingTarget } from '../knowledge/listing.ts';
import { addressPrefixLength, flagCompareText, listedMatchSides, markPrefixLength, negatedFlags, negatedFlagsText, prefixMask } from './listingValues.ts';
import type { StmtModule } from './module.ts';
import { constantItems, formatWithConstants, holdsConstant, itemPlace, parseSelectorsAndConstants } from './keyConstants.ts';
import { NEXT } from '../trace/context.ts';

export interface MatchStmt {
  kind: 'match';
  left: Expr;
  op: MatchOp;
  right: Expr;
}

const SYMBOL_OPS: Partial<Record<Tok, MatchOp>> = { [Tok.EqEq]: '==', [Tok.Neq]: '!=', [Tok.Lt]: '<', [Tok.Gt]: '>', [Tok.Le]: '<=', [Tok.Ge]: '>=' };

function relop(c: Cursor): MatchOp {
  const k = c.k();
  const sym = SYMBOL_OPS[k];
  if (sym) return sym;
  // (the operator words are two letters: a value's text is never looked up as a key)
  if (k === Tok.Word) {
    const t = c.t();
    return (t.length === 2 && Object.hasOwn(MATCH_OP_WORDS, t) ? MATCH_OP_WORDS[t] : undefined) ?? 'implicit';
  }
  if (k === Tok.Bang) return c.fail('unsupported "!" operator');
  return 'implicit';
}

/** A selector followed by `set VALUE`, `vmap …`, or a relational operator and a value. */
export function parseExpressionStatement(c: Cursor): Statement {
  const left = c.k() === Tok.Dollar ? parseVar(c) : parseSelectorsAndConstants(c);
  // constants in a concatenation are read only in a lookup (`ip saddr . 1.2.3.4 . 80 @s1`): not as what a set statement writes or a vmap's key
  if (holdsConstant(left) && (c.is('set') || c.is('vmap'))) c.fail('a constant in a concatenation is read only in a lookup of a set');
  if (c.is('set')) {
    c.next();
    return { kind: 'mangle', key: left, value: parseValueOrSelector(c, exprType(left)) };
  }
  if (c.is('vmap')) {
    c.next();
    if (c.k() === Tok.At) return { kind: 'vmap', key: left, data: parseSetRef(c) };
    if (c.k() === Tok.Dollar) return { kind: 'vmap', key: left, data: parseVar(c) };
    return { kind: 'vmap', key: left, data: parseSetExpr(c, true) };
  }
  if (c.is('map')) c.fail('map lookup as a statement');
  if (c.eatKind(Tok.Bang)) return { kind: 'match', ...negatedFlags(left, parseRhs(c)) };
  const op = relop(c);
  if (op !== 'implicit') c.next();
  if (c.done()) c.fail('expected a value');
  const right = parseRhs(c, exprType(left));
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

/** A range, or a set of one range (nft lists it as the range). */
function isRange(e: Expr): boolean {
  return e.kind === 'range' || (e.kind === 'set' && e.elements.length === 1 && e.elements[0].key.kind === 'range' && !e.elements[0].stmts?.length);
}

/** Does an address value have bits the mask clears? */
function outsideMask(value: string, mask: Expr, bits: number): boolean {
  const v = bits === 32 ? ip4Value(value) : ip6ToBig(value);
  const m = mask.kind === 'value' ? (bits === 32 ? ip4Value(mask.text) : ip6ToBig(mask.text)) : undefined;
  return v === undefined || m === undefined || (v & ~m) !== 0n;
}

function printMatch(m: MatchStmt, target: ListingTarget): string {
  const negated = negatedFlagsText(m.left, m.op, m.right) ?? flagCompareText(m.left, m.op, m.right, target);
  if (negated !== undefined) return negated;
  const sides = listedMatchSides(m.left, m.right, target);
  const s = sides.left === m.left && sides.right === m.right ? m : { ...m, left: sides.left, right: sides.right };
  const left = s.left;
  const shifted = shiftedValueType(left, target);
  const type = sides.type ?? shifted ?? exprType(left);
  // `tcp flags & (syn | ack) == syn` is listed by nft 1.0.6 as `tcp flags syn / syn,ack`,
  // by 1.1 as `tcp flags & (syn | ack) == syn` (a value of several flags joined by |)
  if (left.kind === 'binop' && left.op === '&' && left.left.kind !== 'binop' && isBitmask(type) && left.right.kind === 'list' && (s.op === '==' || s.op === '!=' || s.op === 'implicit') && (lists11(target) || s.right.kind !== 'set')) {
    if (lists11(target)) {
      const mask = formatValueExpr(left.right, single(type), ' | ');
      const value = s.right.kind === 'set' ? formatSet(s.right.elements, single(type), true) : formatValueExpr(s.right, single(type), ' | ');
      return `${formatSelector(left.left)} & (${mask}) ${s.op === '!=' ? '!=' : '=='} ${value}`;
    }
    const mask = formatValueExpr(left.right, single(type), ',');
    const value = formatValueExpr(s.right, single(type), ',');
    const op = s.op === '!=' ? '!= ' : '';
    return `${formatSelector(left.left)} ${op}${value} / ${mask}`;
  }
  const ctx = sides.type || shifted ? single(type) : selectorContext(left);
  const addrPrefix = addressPrefixLength(left);
  // (a value with bits outside the mask, which never matches, keeps the bit operation: nft's `10.1.2.3/16` would read back as 10.1.0.0/16)
  if (addrPrefix && left.kind === 'binop' && s.right.kind === 'value' && (s.op === 'implicit' || s.op === '==' || s.op === '!=') && !outsideMask(s.right.text, left.right, addrPrefix.bits)) {
    const v = formatValueExpr(s.right, single(type));
    return `${formatSelector(left.left, target)} ${s.op === '!=' ? '!= ' : ''}${v}${addrPrefix.len === addrPrefix.bits ? '' : `/${addrPrefix.len}`}`;
  }
  const prefixLen = markPrefixLength(left, target);
  if (prefixLen !== undefined && left.kind === 'binop' && s.right.kind === 'value' && (s.op === 'implicit' || s.op === '==' || s.op === '!=')) {
    return `${formatSelector(left.left)} ${s.op === '!=' ? '!= ' : ''}${formatValueExpr(s.right, single('mark'))}/${prefixLen}`;
  }
  const mask = prefixMask(left, s.right, target);
  if (mask !== undefined && s.right.kind === 'prefix' && (s.op === 'implicit' || s.op === '==' || s.op === '!=')) {
    // the value under the mask, as the prefix form prints it (the bits beyond the prefix cleared)
    const prefixed = formatValueExpr(s.right, ctx);
    const value = prefixed.slice(0, prefixed.lastIndexOf('/'));
    return `${formatSelector(left, target)} & ${formatValueExpr({ kind: 'value', text: mask }, ctx)} ${s.op === '!=' ? '!=' : '=='} ${value}`;
  }
  let op = '';
  if (s.op === '!=' || s.op === '<' || s.op === '>' || s.op === '<=' || s.op === '>=') op = `${s.op} `;
  else if ((s.op === '==' || s.op === 'implicit') && left.kind === 'binop' && isRange(s.right) && hostOrderWide(bitBase(left))) op = '';
  else if (s.op === '==' && (isBitmask(type) || left.kind === 'binop')) op = '== ';
  else if (s.op === 'implicit' && left.kind === 'binop') op = '== ';
  const sep = s.op === '!=' && isBitmask(type) ? ' | ' : ',';
  // the target: statements on the elements list a limit's default burst per version
  const right = s.right.kind === 'set' ? formatSet(s.right.elements, { ...ctx, target }, true) : formatValueExpr(s.right, ctx, sep);
  return `${formatSelector(left, target)} ${op}${right}`;
}

const JSON_OPS: ReadonlySet<string> = new Set(MATCH_OPS.filter((o) => o !== 'implicit'));

export const match: StmtModule<'match'> = {
  kind: 'match',
  title: 'match',
  summary: 'go on only if the packet (or its connection) has this value',
  // starts with a selector or a $variable: the registry's fallback
  words: [],
  options: ['eq', 'ne', 'lt', 'gt', 'le', 'ge'],
  // (`ct count N` reads like a match but is a statement of its own: stmts/connlimit.ts)
  jsonTags: ['match'],
  fromJson(_tag, body): Statement {
    const o = objectBody(body, 'match');
    only(o, ['op', 'left', 'right'], 'match');
    const opText = str(o, 'op') ?? fail('match needs op');
    const left = selectorFromJson(o.left ?? fail('match needs left'));
    const right = valueFromJson(o.right ?? fail('match needs right'), { types: typesOfExpr(left) });
    let op: MatchOp;
    if (opText === '!') return { kind: 'match', ...negatedFlags(left, right) };
    if (opText === 'in') op = 'implicit';
    else if (opText === '==') {
      // nft lists `==` only where it is not the operator-less form: flag types compared exactly, and bit operations
      const explicit = left.kind === 'binop' || (isBitmask(exprType(left)) && right.kind !== 'set' && right.kind !== 'setref');
      op = explicit ? '==' : 'implicit';
    } else if (JSON_OPS.has(opText)) op = opText as MatchOp;
    else fail(`unknown relational operator "${opText.slice(0, 10)}"`);
    return { kind: 'match', left, op, right };
  },
  // a lookup whose key holds constants (`ip saddr . 1.2.3.4 . 80 @s1`): the constants are listed in the set's types
  readsSets: (s) => s.left.kind === 'concat' && holdsConstant(s.left),
  print(s, ctx) {
    if (s.left.kind === 'concat' && holdsConstant(s.left) && s.right.kind === 'setref') {
      const decl = ctx.maps?.(s.right.name);
      return `${formatWithConstants(s.left, decl && specTypes(decl.key))} ${s.op === 'implicit' ? '' : `${s.op} `}@${s.right.name}`;
    }
    return printMatch(s, ctx.target);
  },
  toJson(s, ctx): JsonValue {
    // nft's operator-less form is a bit test (`"in"`) for flag types compared with flags, and an equality otherwise
    const right = s.right.kind === 'var' ? ctx.vars.expr(s.right.name) : s.right;
    let op: string = s.op;
    if (s.op === 'implicit') {
      const bitTest = s.left.kind !== 'binop' && isBitmask(exprType(s.left)) && (right.kind === 'value' || right.kind === 'list');
      op = bitTest ? 'in' : '==';
    }
    return { match: { op, left: selectorJson(s.left, ctx.vars), right: exprJson(right, { types: typesOf(s.left) }, ctx.vars) } };
  },
  shape(v, s, p) {
    const items = constantItems(s.left)?.some((x) => itemPlace(x) === 'selector') ? constantItems(s.left) : undefined;
    if (items) items.forEach((x, i) => v.expr(x, `${p}.left.items[${i}]`, 1, itemPlace(x), WHERE.matchLeft));
    else v.expr(s.left, `${p}.left`, 0, 'selector', WHERE.matchLeft);
    v.oneOf(s, 'op', MATCH_OPS, p);
    v.expr(s.right, `${p}.right`, 0, 'rhs', WHERE.matchRight);
  },
  safety(v, s) {
    const items = constantItems(s.left)?.some((x) => itemPlace(x) === 'selector') ? constantItems(s.left) : undefined;
    if (items) for (const x of items as Expr[]) v.expr(x, itemPlace(x), WHERE.matchLeft);
    else v.expr(s.left, 'selector', WHERE.matchLeft);
    v.oneOf(v.field, s.op, MATCH_OPS, 'a match operator');
    v.expr(s.right, 'rhs', WHERE.matchRight);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => [s.left, s.right],
  passes: () => false,
  evaluate(s, ctx) {
    const why = ctx.test(s.left, s.op, s.right);
    return why === undefined ? NEXT : { kind: 'nomatch', why };
  },
};
