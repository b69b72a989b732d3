/**
 * Rule statements. `parseRuleTokens` structures what it can, statement by
 * statement; from the first statement it does not cover to the end of the rule
 * it keeps the text verbatim (whitespace folded) as a `raw` statement, so
 * nothing is ever lost. Each statement kind is read by its module in src/stmts/.
 */
import type { Statement } from '../model/stmt.ts';
import { parseStatementAt } from '../stmts/registry.ts';
import { Cursor, TooDeep, Unstructured } from './cursor.ts';
import { foldText } from './fold.ts';
import { Tok, type TokenStream } from './lexer.ts';

export { foldText } from './fold.ts';
export { parseLimitBody } from '../stmts/limit.ts';
export { parseQuotaBody } from '../stmts/quota.ts';
export { parseSynproxyOptions } from '../stmts/synproxy.ts';

export interface ParsedRule {
  stmts: Statement[];
  comment?: string;
  /** when the rule ends in a raw statement: where it starts and why */
  raw?: { token: number; reason: string };
  /** when an expression nests deeper than nft takes: where and why (the rest is kept as raw text) */
  tooDeep?: { token: number; reason: string };
}

/** Parse the tokens [start, end) of one rule. Never throws. */
export function parseRuleTokens(ts: TokenStream, start: number, end: number): ParsedRule {
  // A trailing `comment "…"` belongs to the rule.
  let last = end - 1;
  while (last > start && ts.kind[last] === Tok.Newline) last--;
  let comment: string | undefined;
  let stop = end;
  if (last > start && (ts.kind[last] === Tok.String || ts.kind[last] === Tok.Word)) {
    let prev = last - 1;
    while (prev > start && ts.kind[prev] === Tok.Newline) prev--;
    if (ts.kind[prev] === Tok.Word && ts.src.slice(ts.start[prev], ts.end[prev]) === 'comment') {
      const raw = ts.src.slice(ts.start[last], ts.end[last]);
      comment = ts.kind[last] === Tok.String ? raw.slice(1, -1) : raw;
      stop = prev;
    }
  }
  const c = new Cursor(ts, start, stop);
  const stmts: Statement[] = [];
  let raw: ParsedRule['raw'];
  let tooDeep: ParsedRule['tooDeep'];
  while (!c.done()) {
    const at = c.p;
    try {
      stmts.push(parseStatementAt(c));
    } catch (e) {
      if (!(e instanceof Unstructured)) throw e;
      stmts.push({ kind: 'raw', text: foldText(ts.src, ts.start[at], ts.end[lastTokenBefore(ts, stop)]) });
      if (e instanceof TooDeep) tooDeep = { token: e.token, reason: e.message };
      else raw = { token: at, reason: e.message };
      break;
    }
  }
  const out: ParsedRule = { stmts };
  if (tooDeep) out.tooDeep = tooDeep;
  if (comment !== undefined) out.comment = comment;
  if (raw) out.raw = raw;
  return out;
}

function lastTokenBefore(ts: TokenStream, stop: number): number {
  let i = stop - 1;
  while (i > 0 && ts.kind[i] === Tok.Newline) i--;
  return i;
}

