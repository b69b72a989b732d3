/** The expressions of a statement (each kind's module says which), and their nesting check. */
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { exprNestingProblem } from '../model/nesting.ts';
import { statementExprs } from './registry.ts';

/** Every expression a statement holds. */
export function stmtExprs(s: Statement): Expr[] {
  return statementExprs(s);
}

/** Why one of a statement's expressions nests deeper than nft takes, or undefined. */
export function stmtNestingProblem(s: Statement): string | undefined {
  for (const e of stmtExprs(s)) {
    const p = exprNestingProblem(e);
    if (p) return p;
  }
  return undefined;
}
