/**
 * The nft versions whose listing form the emitter writes: Debian 12's 1.0.6 and
 * Debian 13's 1.1.3. They list the same loaded ruleset differently in places
 * (measured on the corpus, docs/corpus.md): each difference is decided where
 * that construct is printed, from `target`. Versions without a listing profile
 * are lint-only targets.
 */
export const LISTING_TARGETS = ['1.0.6', '1.1.3'] as const;
export type ListingTarget = (typeof LISTING_TARGETS)[number];

/** What the emitter writes when no target is chosen: Debian 13's, what most hosts installed in 2026 run. */
export const DEFAULT_LISTING_TARGET: ListingTarget = '1.1.3';

export function isListingTarget(v: unknown): v is ListingTarget {
  return typeof v === 'string' && (LISTING_TARGETS as readonly string[]).includes(v);
}

/** Does the target list in nft 1.1's form (1.1.0 and later)? */
export function lists11(target: ListingTarget | undefined): boolean {
  return target === '1.1.3';
}

/**
 * The listing form written for a design whose target is `version`: its own where
 * it has a profile; else the nearest profile of the same line (1.1.x lists as
 * 1.1.3, older versions as 1.0.6). Such a version is a lint-only target: the
 * linter knows its features, the listing is the nearest profile's.
 */
export function listingTargetFor(version: string | undefined): ListingTarget {
  if (version === undefined) return DEFAULT_LISTING_TARGET;
  if (isListingTarget(version)) return version;
  const [major, minor] = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  return major > 1 || (major === 1 && minor >= 1) ? '1.1.3' : '1.0.6';
}

/**
 * The line nft-agent's `export` writes above the listing: what `nft --version`
 * printed on the host, so an imported live ruleset knows its nft. The agent
 * (public/agent/nft-agent) writes it in exactly this form; its test reads it
 * back with `versionFromHeader`.
 */
export const VERSION_HEADER_PREFIX = '# nft --version: ';

/** The nft version an nft-agent export header names (`# nft --version: nftables v1.1.3 (Commodore Bullmoose #4)`, the file's first line), if one of the lines is such a header. */
export function versionFromHeader(lines: readonly string[] | undefined): string | undefined {
  for (const l of lines ?? []) {
    if (!l.startsWith(VERSION_HEADER_PREFIX)) continue;
    const m = /^nftables v(\d{1,3}\.\d{1,3}(?:\.\d{1,3})?)(?:\s|$)/.exec(l.slice(VERSION_HEADER_PREFIX.length));
    if (m) return m[1];
  }
  return undefined;
}
