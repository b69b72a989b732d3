/** A new design's id, and a blank design: small enough for first paint (persist.ts loads after it). */
import { emptyDesign, type Ruleset } from '../../src/model/types.ts';

export function newDesignId(): string {
  return `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function blankDesign(): { id: string; name: string; ruleset: Ruleset } {
  return { id: newDesignId(), name: 'Untitled design', ruleset: emptyDesign() };
}
