/**
 * The golden corpus in tests/golden/: `NAME.nft` is exactly what Debian 12's nft
 * 1.0.6 lists (`nft list ruleset`; the kernel tests prove it), `NAME.1.1.3.nft`,
 * when present, what Debian 13's nft 1.1.3 lists for the same ruleset where that
 * differs, and `NAME.in.nft`, when present, is what a person wrote that lists as
 * `NAME.nft`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LISTING_TARGETS, type ListingTarget } from '../knowledge/listing.ts';

export const GOLDEN_DIR = join(import.meta.dirname, '..', '..', 'tests', 'golden');

/**
 * Inputs whose first nft listing is not a fixed point of nft itself: for these,
 * NAME.nft is what nft lists after loading its own first listing again (the
 * kernel tests check both claims).
 */
export const NOT_FIXED_POINTS: Readonly<Record<string, string>> = {
  merge: 'nft prints intervals merged into one as a one-element set in braces ({ 10.0.0.0/23 }); loaded again, it lists without braces',
};

export interface GoldenCase {
  name: string;
  /** nft 1.0.6's listing (NAME.nft) */
  listing: string;
  /** each version's listing: NAME.VERSION.nft where it differs from NAME.nft */
  listings: Readonly<Record<ListingTarget, string>>;
  input?: string;
}

/** `NAME.1.1.3.nft` and the like: a version's own listing. */
const VERSIONED = /\.\d+\.\d+\.\d+\.nft$/;

export function goldenCases(): GoldenCase[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.nft') && !f.endsWith('.in.nft') && !VERSIONED.test(f))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.nft'.length);
      const inPath = join(GOLDEN_DIR, `${name}.in.nft`);
      const listing = readFileSync(join(GOLDEN_DIR, f), 'utf8');
      const listings = Object.fromEntries(
        LISTING_TARGETS.map((v) => {
          const p = join(GOLDEN_DIR, `${name}.${v}.nft`);
          return [v, existsSync(p) ? readFileSync(p, 'utf8') : listing];
        }),
      ) as Record<ListingTarget, string>;
      const c: GoldenCase = { name, listing, listings };
      if (existsSync(inPath)) c.input = readFileSync(inPath, 'utf8');
      return c;
    });
}

/**
 * Debian examples this machine's kernel refuses, and why (verified: the kernel
 * tests assert that exactly these fail to load, so the list cannot go stale).
 */
export const DEBIAN_REFUSED: Readonly<Record<string, string>> = {
  'all-in-one.nft': 'it includes the other examples by a relative path',
  'load_balancing.nft': 'a nat chain at priority -300 (nat needs a priority above -200)',
  'secmark.nft': 'secmark objects need an active SELinux, and this kernel has none',
  'sets_and_maps.nft': 'it deletes a table that does not exist yet',
};

/** Debian's shipped examples (package nftables). */
export const DEBIAN_EXAMPLES = '/usr/share/doc/nftables/examples';

export function debianExamples(): { name: string; text: string }[] {
  if (!existsSync(DEBIAN_EXAMPLES)) return [];
  return readdirSync(DEBIAN_EXAMPLES)
    .filter((f) => f.endsWith('.nft'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(DEBIAN_EXAMPLES, f), 'utf8') }));
}
