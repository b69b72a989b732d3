/**
 * Pieces of nft text the model keeps as text (define values, statements attached
 * to set elements) are read with the project's own parser, inside a throwaway
 * table, so that toJson can write them as structured JSON.
 */
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { parse } from '../parse/index.ts';

/** The statements of one rule written as `text`, or undefined if they are not exactly that. */
export function parseStatements(text: string): Statement[] | undefined {
  const r = parse(`table inet _ {\n\tchain _ {\n\t\t${text}\n\t}\n}\n`);
  if (r.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const tables = r.ruleset.tables;
  const chains = tables.length === 1 ? tables[0].chains : [];
  const rules = chains.length === 1 ? chains[0].rules : [];
  if (rules.length !== 1 || rules[0].comment !== undefined) return undefined;
  return rules[0].stmts;
}

/** A define's value read as the right-hand side of a match, or undefined. */
export function parseValue(text: string): Expr | undefined {
  const stmts = parseStatements(`meta mark ${text}`);
  const s = stmts?.length === 1 ? stmts[0] : undefined;
  return s && s.kind === 'match' && s.op === 'implicit' ? s.right : undefined;
}
