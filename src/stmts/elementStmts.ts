/**
 * Statements attached to set elements: nft's stateful statements (counter,
 * limit, quota, ct count, last) on an element (`elements = { 1.2.3.4 counter
 * packets 0 bytes 0 }`, `ip saddr vmap { 1.1.1.1 counter packets 0 bytes 0 :
 * accept }`), on a set declaration as the template every element gets (`counter
 * quota 500 bytes`), on a set update's element and on a meter. They are read,
 * printed and written as JSON by their own modules through the registry; this
 * file only says which kinds may stand there and how they are listed there.
 *
 * Listing forms (nft 1.0.6 and 1.1.3, verified): an element lists its
 * statements after its key and before `timeout`, `expires` and `comment`, with
 * their state (`counter packets 1 bytes 11`, `quota 500 bytes used 500 bytes`);
 * a template (set declaration, set update, meter) lists them stateless
 * (`counter`, `last`). A limit's default burst follows the target (1.0.6 leaves
 * it out). nft's JSON reader ignores an element's statements (its elements get
 * the set's template, with fresh state): json/setsToJson.ts reports the loss.
 */
import type { Statement } from '../model/stmt.ts';
import type { Family } from '../knowledge/vocabulary.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import type { JsonValue } from '../json/jsonValue.ts';
import { fail, tagged } from '../json/readJson.ts';
import type { Cursor } from '../parse/cursor.ts';
import type { SafetyChecker, ShapeChecker } from './module.ts';
import { checkStatementSafety, checkStatementShape, parseStatementAt, printStatement, statementFromJson } from './registry.ts';
import { MAX_ELEMENT_STATEMENTS, NOT_STATEFUL, isElementStatement, type ElementStatement } from './elementKinds.ts';

export { ELEMENT_STATEMENT_KINDS, ELEMENT_STATEMENT_TAGS, MAX_ELEMENT_STATEMENTS, NOT_STATEFUL, isElementStatement, type ElementStatement, type ElementStatementKind } from './elementKinds.ts';

/** Does an element statement start at the cursor (`counter`, `limit rate`, `quota`, `ct count`, `last`)? */
export function atElementStatement(c: Cursor): boolean {
  const w = c.w();
  if (w === 'counter' || w === 'quota') return c.w(1) !== 'name';
  if (w === 'limit') return c.w(1) === 'rate';
  if (w === 'ct') return c.w(1) === 'count';
  return w === 'last';
}

/** Read one element statement at the cursor (throws Unstructured on anything else). */
export function parseElementStatement(c: Cursor): ElementStatement {
  const s = parseStatementAt(c);
  if (!isElementStatement(s)) return c.fail(NOT_STATEFUL);
  return s;
}

/** Read the element statements at the cursor, as many as stand there. */
export function parseElementStatements(c: Cursor): ElementStatement[] {
  const out: ElementStatement[] = [];
  while (atElementStatement(c)) {
    if (out.length >= MAX_ELEMENT_STATEMENTS) c.fail(`at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
    out.push(parseElementStatement(c));
  }
  return out;
}

export interface ElementPrintContext {
  family?: Family;
  target?: ListingTarget;
}

/**
 * The statements as nft lists them on an element (`template` false: with their
 * state) or as a template (a set declaration's line, a set update, a meter:
 * stateless).
 */
export function printElementStatements(stmts: readonly Statement[], ctx: ElementPrintContext, template: boolean): string {
  const family = ctx.family ?? 'inet';
  const target = ctx.target ?? '1.1.3';
  return stmts
    .map((x, i) => {
      if (template && x.kind === 'counter') return 'counter';
      if (template && x.kind === 'last') return 'last';
      if (template && x.kind === 'quota' && x.used !== undefined) {
        const { used: _u, usedUnit: _uu, ...fresh } = x;
        return printStatement(fresh, { family, target, rule: stmts, index: i });
      }
      return printStatement(x, { family, target, rule: stmts, index: i });
    })
    .join(' ');
}

/** What a set's template gives an element that lists none of its own: the template with fresh state. */
export function freshStatements(template: readonly Statement[]): Statement[] {
  return template.map((x): Statement => {
    if (x.kind === 'counter') return { kind: 'counter', packets: 0, bytes: 0 };
    if (x.kind === 'quota') {
      const { used: _u, usedUnit: _uu, ...fresh } = x;
      return fresh;
    }
    return x;
  });
}

/** A JSON statement attached to elements: a stateful statement, never another set update or meter. */
export function elementStatementFromJson(j: JsonValue, family: Family): ElementStatement {
  const t = tagged(j);
  if (t && (t[0] === 'set' || t[0] === 'map' || t[0] === 'meter')) fail('a set statement cannot hold another set statement (nft attaches only stateful statements to elements)');
  const s = statementFromJson(j, family);
  if (!isElementStatement(s)) fail(NOT_STATEFUL);
  return s;
}

/** The shape of untrusted data claiming to be element statements (at most one level: none of them holds statements). */
export function checkElementStatementsShape(v: ShapeChecker, list: unknown, p: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    v.err(p, 'expected a list of statements');
    return;
  }
  if (list.length > MAX_ELEMENT_STATEMENTS) v.err(p, `at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
  list.slice(0, MAX_ELEMENT_STATEMENTS).forEach((x, i) => {
    const q = `${p}[${i}]`;
    if (!v.obj(x, q)) return;
    if (!isElementStatement(x)) v.err(`${q}.kind`, NOT_STATEFUL);
    else checkStatementShape(v, x, q);
  });
}

/** The text safety of element statements (the emitter's check). */
export function checkElementStatementsSafety(v: SafetyChecker, list: readonly Statement[] | undefined): void {
  if (list === undefined) return;
  if (list.length > MAX_ELEMENT_STATEMENTS) v.push(v.field, `at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
  for (const x of list) {
    if (!isElementStatement(x)) v.push(v.field, NOT_STATEFUL);
    else checkStatementSafety(v, x);
  }
}

/** A statement without its state, for comparing (a counter at 0, a quota with nothing used, `last` never used). */
function stateless(s: Statement): string {
  if (s.kind === 'counter') return JSON.stringify({ kind: 'counter', packets: s.packets ?? 0, bytes: s.bytes ?? 0 });
  if (s.kind === 'quota' && !s.used) {
    const { used: _u, usedUnit: _uu, ...fresh } = s;
    return JSON.stringify(fresh);
  }
  // the time since the last packet is state too
  if (s.kind === 'last') return JSON.stringify({ kind: 'last' });
  return JSON.stringify(s);
}

/**
 * Does the element carry just what its set's template gives a new element (what
 * nft's JSON reader gives every element: it reads no element statements)?
 */
export function isFreshFromTemplate(stmts: readonly Statement[] | undefined, template: readonly Statement[] | undefined): boolean {
  if (!stmts?.length) return true;
  const t = template ?? [];
  if (stmts.length !== t.length) return false;
  const fresh = freshStatements(t);
  return stmts.every((x, i) => stateless(x) === stateless(fresh[i]));
}
