/**
 * Keeping the rule builder's parts from re-rendering on a keystroke elsewhere
 * in the rule (typing a comment in a 5,000-rule design must fit in one frame):
 * a context that keeps its identity while the rule's surroundings stay the
 * same, notes that keep theirs while they say the same, and props compared
 * without their callbacks (which read the builder's latest state, never a
 * captured one).
 */
import { useState } from 'react';
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import type { Chain, Table } from '../../../src/model/types.ts';
import type { BuilderContext, Problem } from './model.ts';
import type { NotesIndex } from './parts.tsx';

/**
 * What the builder reads of its table and chain: family, name, sets, named
 * objects, and each chain's id, name and base (never the rules). Editing a
 * rule copies its chain and table but keeps all of these.
 */
function sameSurroundings(a: BuilderContext, table: Table, chain: Chain): boolean {
  const t = a.table;
  if (t === table && a.chain === chain) return true;
  if (t.id !== table.id || t.family !== table.family || t.name !== table.name || t.sets !== table.sets || t.objects !== table.objects || t.flowtables !== table.flowtables) return false;
  if (a.chain.id !== chain.id || a.chain.name !== chain.name || a.chain.base !== chain.base) return false;
  if (t.chains.length !== table.chains.length) return false;
  for (let i = 0; i < t.chains.length; i++) {
    const x = t.chains[i];
    const y = table.chains[i];
    if (x !== y && (x.id !== y.id || x.name !== y.name || x.base !== y.base)) return false;
  }
  return true;
}

/** The builder's context, the same object while the rule's surroundings are the same. */
export function useBuilderContext(table: Table, chain: Chain): BuilderContext {
  const [kept, setKept] = useState<BuilderContext>(() => ({ family: table.family, table, chain }));
  if (sameSurroundings(kept, table, chain)) return kept;
  const next = { family: table.family, table, chain };
  setKept(next);
  return next;
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
  return true;
}
const sameProblem = (x: Problem, y: Problem): boolean => x.path === y.path && x.severity === y.severity && x.message === y.message;
const sameMap = <T>(a: Map<string, T[]>, b: Map<string, T[]>, same: (x: T, y: T) => boolean): boolean => {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!sameList(v, b.get(k), same)) return false;
  return true;
};

/** The notes index, the same object while every field's notes say the same (the findings are compared by identity). */
export function useStableNotes(next: NotesIndex): NotesIndex {
  const [kept, setKept] = useState(next);
  if (kept === next || (sameMap(kept.problems, next.problems, sameProblem) && sameMap<Diagnostic>(kept.findings, next.findings, Object.is))) return kept;
  setKept(next);
  return next;
}

/**
 * For `memo`: equal when every prop but the callbacks is the same. Only for
 * components whose callbacks take the builder's latest state when called.
 */
export function sameDataProps<P extends object>(a: P, b: P): boolean {
  const ka = Object.keys(a) as (keyof P)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = a[k];
    const y = b[k];
    if (typeof x === 'function' && typeof y === 'function') continue;
    if (!Object.is(x, y)) return false;
  }
  return true;
}
