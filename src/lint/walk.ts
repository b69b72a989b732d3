/**
 * Small readers over statements and expressions that several checks share: the
 * chains a rule can jump to, the sets and objects it names, the ct states and
 * ports it matches, and whether a statement ends a packet's path.
 */
import { appendAll } from '../model/arrays.ts';
import { forEachExpr } from '../model/nesting.ts';
import { stmtExprs } from '../stmts/exprs.ts';
import { alwaysPasses, endVerdict } from '../stmts/registry.ts';
import type { Expr, SetElement } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { Rule } from '../model/types.ts';
import { servicePort, unquote } from '../knowledge/datatypes.ts';

// iterative: a walker over expressions must not recurse as deep as the input nests
export { forEachExpr } from '../model/nesting.ts';
export { stmtExprs } from '../stmts/exprs.ts';

export function forEachStmtExpr(s: Statement, fn: (e: Expr) => void): void {
  for (const e of stmtExprs(s)) forEachExpr(e, fn);
}

export interface JumpRef {
  target: string;
  kind: 'jump' | 'goto';
  /** how the rule reaches it: a verdict, an anonymous vmap, a named map, raw text */
  via: 'verdict' | 'vmap' | 'map' | 'raw';
  /** the named verdict map, for via = 'map' */
  map?: string;
}

const RAW_JUMP_RE = /(?:^|[\s{,:])(jump|goto)\s+([A-Za-z_.][A-Za-z0-9/_.-]*)/g;

/**
 * Jump/goto targets a rule names itself (verdicts, anonymous vmaps, and — in
 * text kept raw — the words after `jump`/`goto`). Named verdict maps are added
 * by the caller, which knows the table's maps.
 */
export function directJumps(rule: Rule): JumpRef[] {
  const out: JumpRef[] = [];
  for (const s of rule.stmts) {
    if (s.kind === 'verdict' && (s.verdict === 'jump' || s.verdict === 'goto') && s.target !== undefined) {
      out.push({ target: s.target, kind: s.verdict, via: 'verdict' });
    } else if (s.kind === 'vmap' && s.data.kind === 'set') {
      for (const el of s.data.elements) {
        const v = el.value;
        if (v && v.kind === 'verdict' && (v.verdict === 'jump' || v.verdict === 'goto') && v.target !== undefined) {
          out.push({ target: v.target, kind: v.verdict, via: 'vmap' });
        }
      }
    } else if (s.kind === 'raw') {
      for (const m of stripQuoted(s.text).matchAll(RAW_JUMP_RE)) out.push({ target: m[2], kind: m[1] as 'jump' | 'goto', via: 'raw' });
    }
  }
  return out;
}

/** Named maps used as verdict maps by a rule (`vmap @m`). */
export function vmapRefs(rule: Rule): string[] {
  const out: string[] = [];
  for (const s of rule.stmts) if (s.kind === 'vmap' && s.data.kind === 'setref') out.push(s.data.name);
  return out;
}

/** Jump/goto targets among a named map's elements. */
export function mapJumps(elements: readonly SetElement[]): { target: string; kind: 'jump' | 'goto' }[] {
  const out: { target: string; kind: 'jump' | 'goto' }[] = [];
  for (const el of elements) {
    const v = el.value;
    if (v && v.kind === 'verdict' && (v.verdict === 'jump' || v.verdict === 'goto') && v.target !== undefined) out.push({ target: v.target, kind: v.verdict });
  }
  return out;
}

/** Text without its quoted strings (so a comment cannot look like a statement). */
export function stripQuoted(text: string): string {
  return text.replace(/"[^"]*"/g, '""');
}

/** Does raw text contain this statement keyword as a word (not inside quotes)? */
export function rawHasWord(text: string, word: string): boolean {
  const re = new RegExp(`(?:^|[\\s;{])${word.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}(?=$|[\\s;}])`);
  return re.test(stripQuoted(text));
}

/** The literal texts of a value, a comma list or an anonymous set (one level). */
export function valueTexts(e: Expr): string[] | undefined {
  switch (e.kind) {
    case 'value':
      return [e.text];
    case 'list': {
      const out: string[] = [];
      for (const x of e.items) {
        const v = valueTexts(x);
        if (!v) return undefined;
        appendAll(out, v);
      }
      return out;
    }
    case 'set': {
      const out: string[] = [];
      for (const el of e.elements) {
        const v = valueTexts(el.key);
        if (!v) return undefined;
        appendAll(out, v);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** States matched positively by `ct state …` in a rule (undefined when the rule has no such match). */
export function ctStatesMatched(rule: Rule): Set<string> | undefined {
  let states: Set<string> | undefined;
  for (const s of rule.stmts) {
    if (s.kind !== 'match' || s.left.kind !== 'ct' || s.left.key !== 'state' || s.left.dir !== undefined) continue;
    if (s.op !== 'implicit' && s.op !== '==') continue;
    const v = valueTexts(s.right);
    if (!v) continue;
    states ??= new Set();
    for (const x of v) states.add(x);
  }
  return states;
}

export function isTcpDport(e: Expr): boolean {
  return e.kind === 'payload' && e.field === 'dport' && (e.protocol === 'tcp' || e.protocol === 'th');
}

/** Port intervals, inclusive. `'any'` = no restriction; undefined = cannot be known (variables, raw text). */
export type Ports = [number, number][] | 'any';

/**
 * Destination ports a rule's `tcp dport` matches. Named sets are resolved with
 * `lookupSet`; `!=` and other operators make it unknown.
 */
export function tcpDports(rule: Rule, lookupSet: (name: string) => readonly SetElement[] | undefined): Ports | undefined {
  let ports: Ports = 'any';
  for (const s of rule.stmts) {
    if (s.kind === 'raw') return undefined;
    if (s.kind !== 'match' || !isTcpDport(s.left)) continue;
    if (s.op !== 'implicit' && s.op !== '==') return undefined;
    const p = portsOf(s.right, lookupSet);
    if (!p) return undefined;
    ports = ports === 'any' ? p : intersect(ports, p);
  }
  return ports;
}

function portsOf(e: Expr, lookupSet: (name: string) => readonly SetElement[] | undefined): [number, number][] | undefined {
  switch (e.kind) {
    case 'value': {
      const n = servicePort(unquote(e.text));
      return n === undefined ? undefined : [[n, n]];
    }
    case 'range': {
      if (e.from.kind !== 'value' || e.to.kind !== 'value') return undefined;
      const a = servicePort(e.from.text);
      const b = servicePort(e.to.text);
      return a === undefined || b === undefined ? undefined : [[a, b]];
    }
    case 'list':
    case 'set': {
      const items = e.kind === 'list' ? e.items : e.elements.map((x) => x.key);
      const out: [number, number][] = [];
      for (const x of items) {
        const p = portsOf(x, lookupSet);
        if (!p) return undefined;
        appendAll(out, p);
      }
      return out;
    }
    case 'setref': {
      const els = lookupSet(e.name);
      if (!els) return undefined;
      return portsOf({ kind: 'set', elements: [...els] }, lookupSet);
    }
    default:
      return undefined;
  }
}

function intersect(a: [number, number][], b: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a0, a1] of a) for (const [b0, b1] of b) if (Math.max(a0, b0) <= Math.min(a1, b1)) out.push([Math.max(a0, b0), Math.min(a1, b1)]);
  return out;
}

/** Ports of `need` not covered by `have`, as intervals. */
export function uncoveredPorts(need: [number, number][], have: [number, number][]): [number, number][] {
  let rest = need.map(([a, b]) => [a, b] as [number, number]);
  for (const [h0, h1] of have) {
    const next: [number, number][] = [];
    for (const [a, b] of rest) {
      if (h1 < a || h0 > b) next.push([a, b]);
      else {
        if (a < h0) next.push([a, h0 - 1]);
        if (b > h1) next.push([h1 + 1, b]);
      }
    }
    rest = next;
  }
  return rest;
}

export function formatPorts(p: [number, number][]): string {
  return p.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}

/** Does the rule test the SYN flag (`tcp flags syn`, `tcp flags & (syn|ack) == syn`)? */
export function matchesSyn(rule: Rule): boolean {
  for (const s of rule.stmts) {
    if (s.kind !== 'match') continue;
    let left = s.left;
    if (left.kind === 'binop') left = left.left;
    if (left.kind !== 'payload' || left.protocol !== 'tcp' || left.field !== 'flags') continue;
    if (s.op === '!=') continue;
    const v = valueTexts(s.right);
    if (v?.includes('syn')) return true;
  }
  return false;
}

/** A statement that always lets the packet continue to the next statement (its module says). */
export const isUnconditional: (s: Statement) => boolean = alwaysPasses;

/** The verdict a statement ends the packet's path in this chain with, if it always does (its module says). */
export const terminalVerdict: (s: Statement) => string | undefined = endVerdict;

/** The verdict that ends every packet reaching this rule, or undefined if some packets go on. */
export function unconditionalEnd(rule: Rule): string | undefined {
  for (const s of rule.stmts) {
    const v = terminalVerdict(s);
    if (v !== undefined) return v;
    if (!isUnconditional(s)) return undefined;
  }
  return undefined;
}
