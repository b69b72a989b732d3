/**
 * The statement registry: one module per statement kind (module.ts says what a
 * module holds), in a table keyed by kind — a kind without a module fails tsc —
 * and everything the other layers need, derived from it: the parser's word
 * table, the JSON tag table, the printers, both validators, the walks over a
 * statement's expressions, and the facts the linter and the packet trace use.
 * No other file switches over statement kinds.
 */
import type { Expr } from '../model/expr.ts';
import type { Statement, StatementKind } from '../model/stmt.ts';
import type { Family } from '../knowledge/vocabulary.ts';
import type { JsonValue } from '../json/jsonValue.ts';
import { describeJson, fail, tagged } from '../json/readJson.ts';
import { rawStatementText } from '../json/rawFromJson.ts';
import type { Cursor } from '../parse/cursor.ts';
import { isSelectorStart } from '../parse/expressions.ts';
import { Tok } from '../parse/lexer.ts';
import type { JsonOutContext, PrintContext, SafetyChecker, ShapeChecker, StmtForm, StmtModule, StmtOf, StmtRegistry } from './module.ts';
import type { PlacedStatement } from '../knowledge/placement.ts';
import { binding } from './binding.ts';
import { connlimit } from './connlimit.ts';
import { counter } from './counter.ts';
import { dup } from './dup.ts';
import { flow } from './flow.ts';
import { fwd } from './fwd.ts';
import { last } from './last.ts';
import { meter } from './meter.ts';
import { limit } from './limit.ts';
import { log } from './log.ts';
import { mangle } from './mangle.ts';
import { match, parseExpressionStatement } from './match.ts';
import { nat } from './nat.ts';
import { notrack } from './notrack.ts';
import { objref } from './objref.ts';
import { queue } from './queue.ts';
import { quota } from './quota.ts';
import { raw } from './raw.ts';
import { reject } from './reject.ts';
import { reset } from './reset.ts';
import { setupdate } from './setupdate.ts';
import { synproxy } from './synproxy.ts';
import { tproxy } from './tproxy.ts';
import { verdict } from './verdict.ts';
import { vmap } from './vmap.ts';

let table: StmtRegistry | undefined;

/**
 * The table, built on first use (the modules and the layers they use import each
 * other; nothing reads the table while modules are still being loaded). The order
 * is the JSON readers' order where two kinds share a tag: a named object
 * reference (`"counter": "c"`) is tried before the anonymous statement, and the
 * `ct count` statement (connlimit) before the match module's old reading of it.
 */
export function statementModules(): StmtRegistry {
  return (table ??= {
    connlimit,
    match,
    verdict,
    binding,
    queue,
    reject,
    objref,
    counter,
    log,
    limit,
    quota,
    last,
    notrack,
    synproxy,
    nat,
    mangle,
    setupdate,
    meter,
    vmap,
    tproxy,
    dup,
    fwd,
    flow,
    reset,
    raw,
  });
}

export function stmtModule<K extends StatementKind>(kind: K): StmtModule<K> {
  return statementModules()[kind] as StmtModule<K>;
}

/** The module of a statement, typed for calling with that statement. */
function of<S extends Statement>(s: S): StmtModule<S['kind']> & { print(s: S, ctx: PrintContext): string } {
  return stmtModule(s.kind) as never;
}

const KINDS = (): StatementKind[] => Object.keys(statementModules()) as StatementKind[];

// ------------------------------------------------------------------ text

let words: Map<string, StmtModule<StatementKind>> | undefined;
function wordTable(): Map<string, StmtModule<StatementKind>> {
  if (words) return words;
  words = new Map();
  for (const k of KINDS()) for (const w of stmtModule(k).words) words.set(w, stmtModule(k) as StmtModule<StatementKind>);
  return words;
}

/** first word → second word → the module whose statements start so (`ct count`) */
let phrases: Map<string, Map<string, StmtModule<StatementKind>>> | undefined;
function phraseTable(): Map<string, Map<string, StmtModule<StatementKind>>> {
  if (phrases) return phrases;
  phrases = new Map();
  for (const k of KINDS()) {
    for (const [a, b] of stmtModule(k).phrases ?? []) {
      let seconds = phrases.get(a);
      if (!seconds) phrases.set(a, (seconds = new Map()));
      seconds.set(b, stmtModule(k) as StmtModule<StatementKind>);
    }
  }
  return phrases;
}

/** Read one statement at the cursor. Throws Unstructured (c.fail) on what no module covers. */
export function parseStatementAt(c: Cursor): Statement {
  if (c.k() === Tok.Dollar || ((c.k() === Tok.At || c.k() === Tok.LParen) && isSelectorStart(c))) return parseExpressionStatement(c);
  const w = c.w();
  if (!w) c.fail('expected a statement');
  const seconds = phraseTable().get(w);
  const p = seconds ? seconds.get(c.w(1)) : undefined;
  if (p?.parse) return p.parse(c, w);
  const m = wordTable().get(w);
  if (m?.parse) return m.parse(c, w);
  if (isSelectorStart(c)) return parseExpressionStatement(c);
  return c.fail(`unsupported statement ${w}`);
}

/** nft's listing form of a statement. */
export function printStatement(s: Statement, ctx: PrintContext): string {
  return of(s).print(s as never, ctx);
}

/** The words statements start with and the option words they take, for Monaco. */
export function statementWords(): string[] {
  return [...new Set(KINDS().flatMap((k) => stmtModule(k).words))];
}
export function statementOptionWords(): string[] {
  return [...new Set(KINDS().flatMap((k) => stmtModule(k).options))];
}

/** The two-word starts of statements (`ct count`), for Monaco. */
export function statementPhrases(): string[] {
  return [...new Set(KINDS().flatMap((k) => (stmtModule(k).phrases ?? []).map(([a, b]) => `${a} ${b}`)))];
}

/** The first nft version that reads the statement, when its module says one. */
export function statementSince(s: Statement): string | undefined {
  return stmtModule(s.kind).since;
}

/** The kernel's hook restriction the statement is under (knowledge/placement.ts), when its module says one. */
export function placedStatement(s: Statement): PlacedStatement | undefined {
  return stmtModule(s.kind).placement;
}

/** The rule builder's field description of a kind, if its module has one. */
export function statementForm<K extends StatementKind>(kind: K): StmtForm<K> | undefined {
  return stmtModule(kind).form;
}

/** The kinds whose modules describe a rule builder form, in the registry's order. */
export function formKinds(): StatementKind[] {
  return KINDS().filter((k) => stmtModule(k).form !== undefined);
}

// ------------------------------------------------------------------ JSON

let tags: Map<string, StmtModule<StatementKind>[]> | undefined;
function tagTable(): Map<string, StmtModule<StatementKind>[]> {
  if (tags) return tags;
  tags = new Map();
  for (const k of KINDS()) {
    const m = stmtModule(k) as StmtModule<StatementKind>;
    for (const t of m.jsonTags) {
      const list = tags.get(t) ?? [];
      list.push(m);
      tags.set(t, list);
    }
  }
  return tags;
}

/** A libnftables JSON statement → a model statement; what no module reads is kept as raw text. */
export function statementFromJson(j: JsonValue, family: Family): Statement {
  const t = tagged(j);
  if (!t) fail(`a statement is an object with one property: ${describeJson(j)}`);
  const [tag, body] = t;
  for (const m of tagTable().get(tag) ?? []) {
    const s = m.fromJson?.(tag, body, { family });
    if (s) return s;
  }
  return { kind: 'raw', text: rawStatementText(tag, body, family) };
}

/** A model statement → a libnftables JSON statement (throws CannotCarry for what JSON cannot hold). */
export function statementJson(s: Statement, ctx: JsonOutContext): JsonValue {
  return (of(s) as unknown as { toJson(s: Statement, ctx: JsonOutContext): JsonValue }).toJson(s, ctx);
}

// ------------------------------------------------------------------ validation

/** The shape of untrusted data claiming to be a statement. */
export function checkStatementShape(v: ShapeChecker, s: Record<string, unknown>, p: string): void {
  const kind = s.kind;
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(statementModules(), kind)) {
    v.err(`${p}.kind`, 'unknown statement kind');
    return;
  }
  stmtModule(kind as StatementKind).shape(v, s, p);
}

/** The text safety of a statement's strings (the emitter's check). */
export function checkStatementSafety(v: SafetyChecker, s: Statement): void {
  const m = statementModules()[s.kind] as StmtModule<StatementKind> | undefined;
  if (!m) {
    v.push(v.field, `unknown statement kind ${JSON.stringify(String((s as { kind: unknown }).kind)).slice(0, 40)}`);
    return;
  }
  (m as unknown as { safety(v: SafetyChecker, s: Statement): void }).safety(v, s);
}

// ------------------------------------------------------------------ facts

function call<R>(s: Statement, f: (m: StmtModule<StatementKind>) => (s: never) => R): R {
  return f(stmtModule(s.kind) as StmtModule<StatementKind>)(s as never);
}

/** nft treats it as terminal: nothing may follow it in the rule. */
export function isTerminal(s: Statement): boolean {
  return call(s, (m) => m.terminal);
}

/** The verdict that always ends the packet's path in this chain when the statement is reached, if it always does. */
export function endVerdict(s: Statement): string | undefined {
  return call(s, (m) => m.ends);
}

/** The statement always lets the packet continue to the next statement. */
export function alwaysPasses(s: Statement): boolean {
  return call(s, (m) => m.passes);
}

/** The statement's listing reads the table's sets (the emitter's cache is keyed by them). */
export function readsSets(s: Statement): boolean {
  const m = stmtModule(s.kind) as StmtModule<StatementKind>;
  return m.readsSets ? m.readsSets(s as never) : false;
}

/** The expressions a statement holds. */
export function statementExprs(s: Statement): Expr[] {
  return call(s, (m) => m.exprs);
}

export type { StmtOf };
