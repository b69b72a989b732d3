/**
 * lint(ruleset) → Diagnostic[]. Placeholder until the linter lands.
 */
import type { Diagnostic, Span } from '../model/diagnostic.ts';
import type { Ruleset } from '../model/types.ts';
import type { LineIndex } from '../parse/lexer.ts';

export interface LintOptions {
  /** nftables version to check features against (default 1.0.6) */
  targetVersion?: string;
  /** when the ruleset came from text: spans and text, to point at exact tokens */
  source?: { text: string; spans: Map<string, Span>; lines: LineIndex };
  /** also report what nft's JSON cannot carry */
  forJson?: boolean;
}

export function lint(_rs: Ruleset, _opts: LintOptions = {}): Diagnostic[] {
  return [];
}
