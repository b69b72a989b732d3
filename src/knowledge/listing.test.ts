/**
 * The design's target: the default (Debian 13's 1.1.3), a design's own, the
 * nearest listing profile of a lint-only version, and where an import takes it
 * from (an nft-agent export's first line, a JSON document's metainfo).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LISTING_TARGET, LISTING_TARGETS, VERSION_HEADER_PREFIX, listingTargetFor, versionFromHeader } from './listing.ts';
import { DEFAULT_TARGET_VERSION, KNOWN_VERSIONS, designTarget } from './versions.ts';
import { parse } from '../parse/index.ts';
import { fromJson } from '../json/fromJson.ts';
import { validateRuleset } from '../model/validate.ts';
import { emptyRuleset } from '../model/types.ts';

const LISTING = 'table ip t {\n\tchain c {\n\t\tlimit rate 10/second\n\t}\n}\n';

describe('the target of a design', () => {
  it('is Debian 13\'s nft 1.1.3 unless the design has its own, or the caller chooses one', () => {
    expect(DEFAULT_TARGET_VERSION).toBe('1.1.3');
    expect(DEFAULT_LISTING_TARGET).toBe('1.1.3');
    expect(designTarget(emptyRuleset())).toBe('1.1.3');
    expect(designTarget({ target: '1.0.6' })).toBe('1.0.6');
    expect(designTarget({ target: '1.0.6' }, '0.9.3')).toBe('0.9.3');
  });

  it('lists a lint-only version as the nearest profile of its line', () => {
    const seen = KNOWN_VERSIONS.map((v) => [v, listingTargetFor(v)]);
    for (const [, t] of seen) expect(LISTING_TARGETS).toContain(t);
    expect(listingTargetFor('1.0.9')).toBe('1.0.6');
    expect(listingTargetFor('0.9.3')).toBe('1.0.6');
    expect(listingTargetFor('1.1.0')).toBe('1.1.3');
    expect(listingTargetFor('1.0.6')).toBe('1.0.6');
    expect(listingTargetFor(undefined)).toBe(DEFAULT_LISTING_TARGET);
  });

  it('is read from an nft-agent export\'s first line only', () => {
    const header = `${VERSION_HEADER_PREFIX}nftables v1.0.6 (Lester Gooch #5)`;
    expect(versionFromHeader([header])).toBe('1.0.6');
    expect(versionFromHeader([`${VERSION_HEADER_PREFIX}nftables v1.1.3 (Commodore Bullmoose #4)`])).toBe('1.1.3');
    expect(versionFromHeader([`${VERSION_HEADER_PREFIX}nftables v1.1.3`])).toBe('1.1.3');
    for (const bad of ['# nftables v1.0.6', `${VERSION_HEADER_PREFIX}nftables v1.0.6x`, `${VERSION_HEADER_PREFIX}iptables v1.8.9`, `${VERSION_HEADER_PREFIX}nftables v1234.0.6`]) {
      expect(versionFromHeader([bad]), bad).toBeUndefined();
    }
    const r = parse(`${header}\n${LISTING}`);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ruleset.target).toBe('1.0.6');
    // CRLF is an error of its own, but the header is still read
    expect(parse(`${header}\r\n${LISTING}`).ruleset.target).toBe('1.0.6');
    // not on the first line, or not a header: no target
    expect(parse(`# mine\n${header}\n${LISTING}`).ruleset.target).toBeUndefined();
    expect(parse(LISTING).ruleset.target).toBeUndefined();
  });

  it('is read from a JSON document\'s metainfo', () => {
    const doc = (meta: object) => JSON.stringify({ nftables: [{ metainfo: { json_schema_version: 1, ...meta } }, { table: { family: 'ip', name: 't' } }] });
    expect(fromJson(doc({ version: '1.0.6', release_name: 'Lester Gooch #5' })).ruleset.target).toBe('1.0.6');
    expect(fromJson(doc({ version: '1.1.3' })).ruleset.target).toBe('1.1.3');
    expect(fromJson(doc({})).ruleset.target).toBeUndefined();
    expect(fromJson(doc({ version: 'v1; flush ruleset' })).ruleset.target).toBeUndefined();
  });

  it('is untrusted data when a design is loaded: only a version', () => {
    expect(validateRuleset({ ...emptyRuleset(), target: '1.0.6' }).ok).toBe(true);
    for (const bad of [106, '1.0.6\nflush ruleset', 'latest', '1'.repeat(50)]) {
      const r = validateRuleset({ ...emptyRuleset(), target: bad });
      expect(r.ok, String(bad)).toBe(false);
      if (!r.ok) expect(r.errors.join('\n')).toContain('ruleset.target');
    }
  });
});
