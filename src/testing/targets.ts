/**
 * Kernel-test helpers per listing target (Debian 12's 1.0.6, Debian 13's 1.1.3):
 * that version's nft, skipping loudly (failing under CI=true) where it is missing,
 * and loading a text with it in a fresh network namespace.
 */
import { expect, type TestContext } from 'vitest';
import type { ListingTarget } from '../knowledge/listing.ts';
import type { Ruleset } from '../model/types.ts';
import { parse } from '../parse/index.ts';
import { NFT_OF, nftInNamespace, targetUnavailable, type NftRun } from './nft.ts';

/** The nft binary of a listing target. */
export const nftOf = (v: ListingTarget): string => NFT_OF[v] ?? 'nft';

/** Skip the test when the target's nft is missing (targetUnavailable throws under CI=true). */
export function needTarget(ctx: TestContext, v: ListingTarget): void {
  if (targetUnavailable(v)) ctx.skip();
}

/** TEXT (or JSON) loaded by the target's nft in a fresh namespace, and its listing. */
export function loadIn(v: ListingTarget, text: string, json = false): NftRun {
  return nftInNamespace(text, { json, nft: nftOf(v), after: ['list ruleset'] });
}

/** The target's listing of TEXT, which must load without a word on stderr. */
export function listingIn(v: ListingTarget, text: string): string {
  const r = loadIn(v, text);
  expect(r.stderr).toBe('');
  expect(r.ok).toBe(true);
  return r.stdout;
}

/** TEXT read into a ruleset, without errors. */
export function designOf(text: string): Ruleset {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset;
}
