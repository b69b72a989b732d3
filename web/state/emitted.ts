/**
 * Emitting for the app: the result or the emitter's refusals (never a throw),
 * and the line → node index used by the preview and the lint mapping.
 */
import { EmitRefused, emit, type EmitProblem, type EmitResult } from '../../src/emit/index.ts';
import type { Ruleset } from '../../src/model/types.ts';

export interface Emitted extends EmitResult {
  problems: EmitProblem[];
  /** true when `text` is the last good text, not the current design's */
  stale: boolean;
}

export function emitSafely(rs: Ruleset): { result?: EmitResult; problems: EmitProblem[] } {
  try {
    return { result: emit(rs), problems: [] };
  } catch (e) {
    if (e instanceof EmitRefused) return { problems: e.problems };
    throw e;
  }
}
