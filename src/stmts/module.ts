/**
 * What a statement kind is, in one place: the shape of its model, how its text is
 * read and printed, its libnftables JSON in and out, the checks of its shape and
 * of its text safety, the facts the linter and the packet trace need, and the
 * words Monaco and the rule builder show. nftables' own `struct stmt_ops` is the
 * model. One module per kind lives beside this file; registry.ts lists them in a
 * table keyed by kind, so a kind without a module (or a module without a field)
 * fails tsc, and everything else (the parser's word table, the JSON tag table,
 * the printers' dispatch, the validators, the facts) is derived from it.
 */
import type { Expr } from '../model/expr.ts';
import type { Statement, StatementKind } from '../model/stmt.ts';
import type { SetDecl } from '../model/types.ts';
import type { Family } from '../knowledge/vocabulary.ts';
import type { PlacedStatement } from '../knowledge/placement.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import type { ExprPlace } from '../model/validate.ts';
import type { Cursor } from '../parse/cursor.ts';
import type { JsonValue } from '../json/jsonValue.ts';
import type { Variables } from '../json/variables.ts';
import type { LossKind } from '../json/losses.ts';
import type { EvalContext, Outcome } from '../trace/context.ts';

export type StmtOf<K extends StatementKind> = Extract<Statement, { kind: K }>;

/** Where a statement stands: the table's family, and the statements before it (nft infers dependencies from them). */
export interface StatementPlace {
  family: Family;
  rule: readonly Statement[];
  index: number;
}

/** Printing a statement: its place, and the nft version whose listing form to write. */
export interface PrintContext extends StatementPlace {
  target: ListingTarget;
  /** the table's sets and maps by name, where the emitter knows them */
  maps?: (name: string) => SetDecl | undefined;
}

/** Writing JSON: its place, and the script's variables, resolved. */
export interface JsonOutContext extends StatementPlace {
  vars: Variables;
  /** statements attached to set elements are templates: nft writes a counter there as null */
  template?: boolean;
  /** can the target version's JSON carry this (json/losses.ts)? Absent: it can */
  carries?(kind: LossKind): boolean;
}

export interface JsonInContext {
  family: Family;
}

/** The runtime shape check of untrusted data (model/validate.ts), as a statement module uses it. */
export interface ShapeChecker {
  err(path: string, msg: string): void;
  obj(v: unknown, path: string): v is Record<string, unknown>;
  str(o: Record<string, unknown>, key: string, path: string, optional?: boolean): boolean;
  num(o: Record<string, unknown>, key: string, path: string, optional?: boolean, integer?: boolean): boolean;
  bool(o: Record<string, unknown>, key: string, path: string): void;
  oneOf(o: Record<string, unknown>, key: string, values: readonly string[], path: string, optional?: boolean): boolean;
  strList(o: Record<string, unknown>, key: string, path: string, optional?: boolean): void;
  expr(e: unknown, path: string, depth: number, place: ExprPlace, where: string): void;
}

/** The emitter's check that every string it will write is safe nft text (emit/validate.ts). */
export interface SafetyChecker {
  /** the field problems are reported on */
  readonly field: string;
  push(field: string, message: string): void;
  name(field: string, value: string, what: string): void;
  quoted(field: string, value: string | undefined, what: string): void;
  raw(field: string, text: string, what: string): void;
  token(field: string, text: string | undefined, what: string): void;
  time(field: string, text: string | undefined): void;
  oneOf(field: string, value: unknown, set: readonly string[], what: string, optional?: boolean): void;
  num(field: string, value: unknown, what: string, optional?: boolean, integer?: boolean): void;
  expr(e: Expr, place: ExprPlace, where: string): void;
  verdictTarget(verdict: string, target: string | undefined): void;
}

/**
 * One field of a statement's form in the rule builder. The builder renders it
 * with a visible label; an empty field that is not optional is "not filled in
 * yet" (it keeps the rule from changing) and is never handed to `write`.
 */
export interface FormField {
  /** the key of the field in the form's values */
  readonly key: string;
  /** the visible label */
  readonly label: string;
  readonly kind: 'text' | 'number' | 'select';
  /** a select's choices: a closed vocabulary (an optional select also offers "none", the empty value) */
  readonly options?: readonly string[];
  /** what a select shows for some of its choices (the value is shown otherwise) */
  readonly optionLabels?: Readonly<Record<string, string>>;
  /** one or two sentences under the help icon */
  readonly help?: string;
  readonly placeholder?: string;
  /** may stay empty */
  readonly optional?: boolean;
  /** a long text (a list of rules): the editor gives it a row of its own */
  readonly wide?: boolean;
}

/** A form's values as the person typed them, by field key ('' = empty). */
export type FormValues = Readonly<Record<string, string>>;

/** A field that is wrong, with why. */
export interface FormProblem {
  field: string;
  message: string;
  /** not wrong, only not filled in yet (a choice of fields, one of which is needed) */
  pending?: boolean;
}

/** Where a form's statement stands (the table's family decides how values are read). */
export interface FormContext {
  family: Family;
}

/**
 * The rule builder's description of a statement kind: its fields and the two
 * conversions. A generic editor (web/forms/rule/FormFields.tsx) renders any
 * module's form, so a kind with one needs no builder code of its own.
 */
export interface StmtForm<K extends StatementKind> {
  readonly fields: readonly FormField[];
  /** The values that show `s` (every printed field, so writing them back prints the same), or why the form cannot show it. */
  read(s: StmtOf<K>): FormValues | string;
  /** The statement the values describe (every required field is filled in), or the problems of the fields that are wrong. */
  write(values: FormValues, ctx: FormContext): StmtOf<K> | FormProblem[];
}

export interface StmtModule<K extends StatementKind> {
  readonly kind: K;
  /** what a person calls it, for forms, hovers and messages */
  readonly title: string;
  /** one line on what it does, for the rule builder's picker and Monaco's hover */
  readonly summary: string;
  /**
   * The words its text form starts with. The parser dispatches on them (the
   * expression statements — match, set, vmap — start with a selector instead and
   * have none); Monaco highlights and completes them as statement words.
   */
  readonly words: readonly string[];
  /**
   * Two-word starts (`ct count`) whose first word also starts other statements
   * (`ct state …`): the parser dispatches on both words before it looks at
   * `words`. The first word is highlighted as what it otherwise is; the second
   * belongs in `options`.
   */
  readonly phrases?: readonly (readonly [string, string])[];
  /** The option words its text form takes after the first word (highlighted and completed by Monaco). */
  readonly options: readonly string[];
  /**
   * The first nft version that reads it, when that is later than what every
   * supported version reads (the statement needs at least this version: older
   * ones refuse the whole script). From the nftables git history (its tags).
   */
  readonly since?: string;
  /** The rule builder's field description; kinds without one are edited by hand-written editors or as text. */
  readonly form?: StmtForm<K>;
  /** The kernel's hook restriction every statement of this kind is under (knowledge/placement.ts), if any. */
  readonly placement?: PlacedStatement;
  /** Read the statement at the cursor, which stands on one of `words`. Throws Unstructured (c.fail) on what it does not cover. */
  parse?(c: Cursor, word: string): Statement;
  /** The libnftables JSON statement tags this module reads. */
  readonly jsonTags: readonly string[];
  /** Read a JSON statement with one of `jsonTags`; undefined when the body is another kind's (a tag two kinds share). */
  fromJson?(tag: string, body: JsonValue, ctx: JsonInContext): Statement | undefined;
  /** nft's listing form of the statement. */
  print(s: StmtOf<K>, ctx: PrintContext): string;
  /** Its listing reads the table's sets (`ctx.maps`): the emitter then remembers the text per set list. Absent: it never does. */
  readsSets?(s: StmtOf<K>): boolean;
  /** The libnftables JSON statement; throws CannotCarry for what JSON cannot hold. */
  toJson(s: StmtOf<K>, ctx: JsonOutContext): JsonValue;
  /** The type of every field of untrusted data claiming to be this kind (`s.kind` is already known). */
  shape(v: ShapeChecker, s: Record<string, unknown>, path: string): void;
  /** Every string the printer writes is safe nft text (names, quoted strings, tokens, closed words). */
  safety(v: SafetyChecker, s: StmtOf<K>): void;
  /**
   * nft treats it as terminal: nothing may follow it in the rule ("Statement after
   * terminal statement has no effect", nft 1.0.6 and 1.1.3 alike).
   */
  terminal(s: StmtOf<K>): boolean;
  /** The verdict that always ends the packet's path in this chain when the statement is reached, if it always does. */
  ends(s: StmtOf<K>): string | undefined;
  /** The expressions it holds, for walks over every expression of a rule (nesting, references, the linter). */
  exprs(s: StmtOf<K>): Expr[];
  /** The statement always lets the packet go on to the next statement (it matches everything and never ends the path). */
  passes(s: StmtOf<K>): boolean;
  /** What the statement does to a packet, as the kernel would (the packet trace, src/trace/). */
  evaluate(s: StmtOf<K>, ctx: EvalContext): Outcome;
}

/** The registry's table type: one module for every statement kind, none missing. */
export type StmtRegistry = { readonly [K in StatementKind]: StmtModule<K> };

/** A value as messages show it: JSON-quoted, long strings cut. */
export function shown(v: unknown): string {
  const t = JSON.stringify(typeof v === 'string' ? (v.length > 40 ? `${v.slice(0, 37)}...` : v) : v);
  return t === undefined ? String(v) : t;
}
