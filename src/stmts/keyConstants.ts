/**
 * Keys that concatenate selectors with constants: a set update's key and data
 * (`add @s { ip saddr . 22 timeout 1m }`, `: 0x00000002`) and the left side of a
 * lookup (`ip saddr . 1.2.3.4 . 80 @s1`). nft evaluates the constants with the
 * set's types and lists them as it stores them, 1.0.6 and 1.1.3 alike.
 */
import type { Expr } from '../model/expr.ts';
import { isSelectorStart, parseAtom, parsePrimary, parseSelector } from '../parse/expressions.ts';
import { TooDeep, Unstructured, type Cursor } from '../parse/cursor.ts';
import { Tok } from '../parse/lexer.ts';
import { formatValue, type DataType } from '../knowledge/datatypes.ts';
import { formatSelector } from '../emit/selectors.ts';

/**
 * A selector expression (with bit operations: `ip saddr . tcp dport`, `meta mark &
 * 0xff`), else a concatenation whose items are selectors or constants.
 */
export function parseSelectorsAndConstants(c: Cursor): Expr {
  if (isSelectorStart(c)) {
    const from = c.p;
    const parens = c.parens;
    try {
      return parseSelector(c);
    } catch (e) {
      if (!(e instanceof Unstructured) || e instanceof TooDeep) throw e;
      c.p = from;
      c.parens = parens;
    }
  }
  const items: Expr[] = [];
  for (;;) {
    items.push(isSelectorStart(c) || c.k() === Tok.LParen ? parsePrimary(c) : parseAtom(c));
    if (c.k() !== Tok.Dot) break;
    c.next();
  }
  return items.length === 1 ? items[0] : { kind: 'concat', items };
}

/** Is the key a concatenation with a constant in it (then its items are checked one by one)? */
export function constantItems(key: unknown): unknown[] | undefined {
  if (!key || typeof key !== 'object') return undefined;
  const k = key as { kind?: unknown; items?: unknown };
  if (k.kind !== 'concat' || !Array.isArray(k.items)) return undefined;
  const items = k.items as unknown[];
  return items.some((i) => (i as { kind?: unknown } | null)?.kind === 'value') ? items : undefined;
}

/** Constants stand as atoms, everything else as a selector. */
export const itemPlace = (i: unknown): 'atom' | 'selector' => ((i as { kind?: unknown } | null)?.kind === 'value' ? 'atom' : 'selector');

/**
 * The key as nft lists it: selectors as they are, each constant in the data type
 * of its place in TYPES (the set's key or data types), so `http` is listed as 80
 * and `0x2` of a mark as 0x00000002; without the types, as written.
 */
export function formatWithConstants(e: Expr, types: readonly (DataType | undefined)[] | undefined): string {
  const one = (x: Expr, i: number): string => (x.kind === 'value' ? formatValue(x.text, types?.[i]) : formatSelector(x));
  return e.kind === 'concat' ? e.items.map(one).join(' . ') : one(e, 0);
}

/** Does the key hold a constant (its listing then depends on the set's types)? */
export function holdsConstant(e: Expr | undefined): boolean {
  return e !== undefined && (e.kind === 'value' || (e.kind === 'concat' && e.items.some((i) => i.kind === 'value')));
}
