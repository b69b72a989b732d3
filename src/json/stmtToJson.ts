/**
 * Model statements → libnftables JSON statements, in the shapes nft 1.0.6 both
 * writes and reads (verified by loading them with `nft -j -f`). Each kind's JSON
 * is written by its module in src/stmts/.
 */
import type { Statement } from '../model/stmt.ts';
import type { Family } from '../model/types.ts';
import { statementJson } from '../stmts/registry.ts';
import type { JsonValue } from './jsonValue.ts';
import type { Variables } from './variables.ts';
import type { LossKind } from './losses.ts';

export { limitJson } from '../stmts/limit.ts';

export interface StmtContext {
  family: Family;
  vars: Variables;
  /** statements attached to set elements are templates: nft writes a counter there as null */
  template?: boolean;
  /** can the target version's JSON carry this (losses.ts)? */
  carries?(kind: LossKind): boolean;
}

/** The statements of a rule; each sees the statements before it (nat infers its family from them). */
export function stmtsJson(rule: readonly Statement[], ctx: StmtContext): JsonValue[] {
  return rule.map((s, i) => stmtJson(s, rule, i, ctx));
}

export function stmtJson(s: Statement, rule: readonly Statement[], index: number, ctx: StmtContext): JsonValue {
  return statementJson(s, { ...ctx, rule, index });
}
