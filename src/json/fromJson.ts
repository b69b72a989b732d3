/**
 * fromJson(text) → { ruleset, diagnostics }: reads `nft -j list ruleset` output,
 * command documents (`{"add": {…}}`, insert, replace, delete, flush, …) and bare
 * objects into the model. The input is untrusted: every field is type-checked,
 * nothing throws, and every problem becomes a diagnostic naming the item
 * (`nftables[12]`) and, for rules, the chain.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Ruleset } from '../model/types.ts';
import { emptyRuleset } from '../model/types.ts';
import { lineCol, parseJsonText } from './parseJsonText.ts';
import { DocumentReader } from './readDocument.ts';

export interface FromJsonResult {
  ruleset: Ruleset;
  diagnostics: Diagnostic[];
}

export function fromJson(text: string): FromJsonResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const at = lineCol(text, parsed.offset);
    return {
      ruleset: emptyRuleset(),
      diagnostics: [
        { id: 'json/syntax', severity: 'error', message: `invalid JSON: ${parsed.message}`, range: { startLine: at.line, startCol: at.col, endLine: at.line, endCol: at.col + 1 } },
      ],
    };
  }
  const reader = new DocumentReader();
  try {
    reader.document(parsed.value);
    reader.finish();
  } catch (e) {
    // A bug here must not take the caller down: report it with what was read so far.
    reader.report('error', 'json/internal', `internal error while reading the JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { ruleset: reader.rs, diagnostics: reader.diagnostics };
}
