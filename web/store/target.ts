/**
 * The nft version the open design is for: a design remembers its own
 * (`Ruleset.target`, saved, shared and undone with it); without one it is the
 * default (Debian 13's 1.1.3). The linter, the preview's listing form, the
 * exports and the forms' version notes all read it from here.
 */
import { useDesign } from './design.ts';
import { designTarget } from '../../src/knowledge/versions.ts';
import { listingTargetFor, type ListingTarget } from '../../src/knowledge/listing.ts';

export function useTargetVersion(): string {
  return useDesign((s) => designTarget(s.ruleset));
}

export function useListingTarget(): ListingTarget {
  return listingTargetFor(useTargetVersion());
}

/** Choose the design's target (one undo step). */
export function setDesignTarget(version: string): void {
  useDesign.getState().apply((rs) => (designTarget(rs) === version && rs.target !== undefined ? rs : { ...rs, target: version }), { origin: 'form' });
}
