/**
 * What a statement module's `evaluate` sees of the packet trace, and what it
 * answers. Each statement kind evaluates itself (src/stmts/<kind>.ts, beside its
 * parser and printer); the evaluator (evaluate.ts) gives it this context: the
 * packet's values, matching, lookups in sets and maps, and the effects a
 * statement can have on the packet, its connection and the sets.
 */
import type { Expr, SetExpr, SetRefExpr, VarExpr } from '../model/expr.ts';
import type { Family, NamedObject } from '../model/types.ts';
import type { MatchOp, Statement } from '../model/stmt.ts';
import type { BoundRule } from '../stmts/binding.ts';

/** The kernel's verdicts as `nft monitor trace` names them. */
export type TraceVerdict = 'continue' | 'accept' | 'drop' | 'stolen' | 'queue' | 'return' | 'jump' | 'goto';

/** What a statement does with the packet. */
export type Outcome =
  /** it matched, or had its effect: go on to the next statement */
  | { kind: 'next' }
  /** the rule does not match: `why` says which part failed */
  | { kind: 'nomatch'; why: string }
  /** the rule decides: jump/goto name a chain, or carry an anonymous chain's rules (a chain binding) */
  | { kind: 'verdict'; verdict: TraceVerdict; target?: string; rules?: readonly BoundRule[] };

export const NEXT: Outcome = { kind: 'next' };

/** A value the packet has for an expression: a number (addresses, ports, marks, flags) or a string (interface names). */
export type Val = bigint | string;

/** The value of an expression for the packet, or why there is none. */
export type Valued =
  | { ok: true; v: Val }
  /** the packet has no such header (a tcp field of a UDP packet): the match fails, as nft's implicit dependency makes it */
  | { ok: false; why: string };

export interface EvalContext {
  /** the family of the table whose chain is evaluated */
  readonly family: Family;
  /** Does `left op right` hold for the packet? undefined when it does, else why not. */
  test(left: Expr, op: MatchOp, right: Expr): string | undefined;
  /** The value of an expression for the packet. */
  value(e: Expr): Valued;
  /** Look the key up in a map: the data expression of the element found, or why none. */
  lookup(key: Expr, map: SetExpr | SetRefExpr | VarExpr): { found: Expr } | { why: string };
  /** Write a value into a writable key (meta mark, ct mark, a payload field …). */
  write(key: Expr, value: Expr): void;
  /** A reject refused the packet (its answer, sent by the kernel, gets the packet's conntrack as related). */
  rejected(): void;
  /** Set the packet's conntrack to untracked (a `notrack` before conntrack). */
  notrack(): void;
  /** The synproxy statement's own decision for this packet. */
  synproxy(): Outcome;
  /** Record NAT on the packet's connection. */
  nat(type: string, addr: Expr | undefined, port: Expr | undefined): void;
  /** Add or update an element of a named set (a set update statement). */
  updateSet(op: 'add' | 'update' | 'delete', set: string, key: Expr, data?: Expr, stmts?: readonly Statement[], timeout?: string): Outcome;
  /**
   * Something the evaluator cannot know (the current rate of a limit, a quota's
   * use): the assumption's value (true: the statement matches), recorded in the
   * result with how to change it. `key` names it for the user's `--assume KEY=yes|no`.
   */
  assume(key: string, what: string, byDefault: boolean): boolean;
  /** A named object of the table whose chain is evaluated (a quota, a counter …). */
  object(type: string, name: string): NamedObject | undefined;
  /** An effect worth showing (a counter counted, a log line written). */
  note(text: string): void;
  /**
   * The state of one limit's token bucket (ID: the limit statement, its named
   * object, or a set element's key), when the flow's packets have times and the
   * user did not answer the limit assumption; undefined otherwise.
   */
  clock(id: object | string): Clock | undefined;
  /** The packet's length in bytes (as a byte limit counts it), when the description gives it. */
  length(): bigint | undefined;
}

/** A limit's token bucket at this packet's time (nanoseconds), as nft_limit.c keeps it. */
export interface Clock {
  now: bigint;
  /** the tokens left and when, after the last packet that met this limit; undefined the first time (the bucket is full) */
  state: { tokens: bigint; last: bigint } | undefined;
  /** keep the bucket's tokens after this packet, and the decision taken */
  save(tokens: bigint, decision: LimitDecision): void;
}

/** A limit's decision for a packet, from its token bucket. */
export interface LimitDecision {
  /** the limit, as the trace's notes name it */
  what: string;
  over: boolean;
  /** how far the bucket was from the packet's cost, in seconds (negative: short of it): near 0, a little earlier or later would decide otherwise */
  margin: number;
}

/** The outcome of a verdict found in a verdict map (a `verdict` expression), or no match for anything else. */
export function verdictOf(e: Expr): Outcome {
  if (e.kind !== 'verdict') return { kind: 'nomatch', why: 'the element found holds no verdict' };
  return e.verdict === 'jump' || e.verdict === 'goto' ? { kind: 'verdict', verdict: e.verdict, target: e.target } : { kind: 'verdict', verdict: e.verdict };
}
