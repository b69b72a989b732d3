/**
 * The script the Export dialog shows, copies, downloads and hands to the agent
 * and the Ansible bundle: the design with the chosen preamble, with or without
 * the `#` comments kept from a hand-written file ("Without # comments" gives
 * nft's own listing, which has none).
 */
import { EmitRefused, emit } from '../../src/emit/index.ts';
import { forEachCommented, type Preamble, type Ruleset } from '../../src/model/types.ts';

export interface ExportedScript {
  text: string;
  /** why it cannot be written (then `text` is empty) */
  problems: string[];
}

export function exportScript(rs: Ruleset, options: { preamble: Preamble; comments: boolean }): ExportedScript {
  try {
    return { text: emit(rs, { preamble: options.preamble, comments: options.comments }).text, problems: [] };
  } catch (e) {
    if (e instanceof EmitRefused) return { text: '', problems: e.problems.map((p) => p.message) };
    // anything else is a bug in the emitter: shown like a refusal, never a crash
    return { text: '', problems: [`the script could not be written (${e instanceof Error ? e.message : String(e)})`] };
  }
}

/** Does the design hold any `#` comment (so that leaving them out changes the export)? */
export function hasHashComments(rs: Ruleset): boolean {
  let found = false;
  forEachCommented(rs, () => {
    found = true;
  });
  return found;
}
