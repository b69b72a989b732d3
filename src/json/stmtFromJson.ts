/**
 * libnftables JSON statements → model statements. Each kind is read by its
 * module in src/stmts/ (tproxy, dup, fwd, flow offload, ct count, last and
 * meters too); statements no module structures (map updates, …) become `raw`
 * statements holding their nft text, and anything without a text form is
 * Unconvertible and reported on its rule.
 */
import type { Statement } from '../model/stmt.ts';
import type { Family } from '../model/types.ts';
import { statementFromJson } from '../stmts/registry.ts';
import type { JsonValue } from './jsonValue.ts';

export { elementStatementFromJson } from '../stmts/elementStmts.ts';
export { limitFields } from '../stmts/limit.ts';

export function stmtFromJson(j: JsonValue, family: Family): Statement {
  return statementFromJson(j, family);
}
