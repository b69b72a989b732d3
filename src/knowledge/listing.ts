/**
 * The nft versions whose listing form the emitter writes: Debian 12's 1.0.6 and
 * Debian 13's 1.1.3. They list the same loaded ruleset differently in places
 * (measured on the corpus, docs/corpus.md): each difference is decided where
 * that construct is printed, from `target`. Versions without a listing profile
 * are lint-only targets.
 */
export const LISTING_TARGETS = ['1.0.6', '1.1.3'] as const;
export type ListingTarget = (typeof LISTING_TARGETS)[number];

/** What the emitter writes when no target is chosen. */
export const DEFAULT_LISTING_TARGET: ListingTarget = '1.0.6';

export function isListingTarget(v: unknown): v is ListingTarget {
  return typeof v === 'string' && (LISTING_TARGETS as readonly string[]).includes(v);
}

/** Does the target list in nft 1.1's form (1.1.0 and later)? */
export function lists11(target: ListingTarget | undefined): boolean {
  return target === '1.1.3';
}
