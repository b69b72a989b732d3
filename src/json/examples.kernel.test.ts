/**
 * Debian's nftables examples (/usr/share/doc/nftables/examples/*.nft): for each
 * that loads here, if nft's own JSON round-trips it (nft -j list → flush →
 * nft -j -f → same listing), toJson(parse(file)) must load to the same listing.
 */
import { DEBIAN_REFUSED } from '../testing/golden.ts';
import { expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describeKernel } from '../testing/kernel.ts';
import { parse } from '../parse/index.ts';
import { toJson } from './toJson.ts';
import { LOSS } from './losses.ts';
import { comparableJson, nftSteps } from './kernelHarness.ts';

const DIR = '/usr/share/doc/nftables/examples';
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.nft')).sort() : [];
// all of them, so that all-in-one.nft's relative includes resolve
const all = Object.fromEntries(files.map((f) => [f.replace(/_/g, '-'), readFileSync(join(DIR, f), 'utf8').replace(/include "\.\/([a-z0-9_-]+\.nft)"/g, (_, n: string) => `include "./${n.replace(/_/g, '-')}"`)]));

/**
 * Rules the parser keeps as text, so toJson cannot convert them (see
 * .work/bugs-json.md): the old `dnat MAP : MAP` / `snat MAP` forms without `to`.
 */
const PARSER_GAPS: Record<string, number> = { 'nat.nft': 2 };

describeKernel('libnftables JSON: Debian examples', () => {
  it('has the examples', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const f of files) {
    const name = f.replace(/_/g, '-');
    it(f, () => {
      const [load, own] = nftSteps(all, [`-f ${name}`, '-j list ruleset']);
      // some need what this machine lacks (an SELinux context, a table to delete first, …): those are known
      if (load.status !== 0) {
        expect(Object.keys(DEBIAN_REFUSED), `${f} does not load here: ${load.stderr.split('\n')[0]}`).toContain(f);
        return;
      }
      const r = parse(readFileSync(join(DIR, f), 'utf8'));
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const json = toJson(r.ruleset);
      const A = comparableJson(own.stdout);
      const [ownLoad, ownList, , oursLoad, oursList] = nftSteps({ 'own.json': own.stdout, 'ours.json': json.json }, [
        '-j -f own.json',
        '-j list ruleset',
        'flush ruleset',
        '-j -f ours.json',
        '-j list ruleset',
      ]);
      const ownRoundTrips = ownLoad.status === 0 && isDeepStrictEqual(comparableJson(ownList.stdout), A);
      if (r.ruleset.includes.length) {
        // a browser cannot follow includes: toJson says so instead of writing less
        expect(json.losses.map((l) => l.what)).toEqual(r.ruleset.includes.map(() => LOSS.include.what));
        return;
      }
      if (PARSER_GAPS[f]) {
        expect(json.losses.map((l) => l.what)).toEqual(Array(PARSER_GAPS[f]).fill(LOSS.rawStatement.what));
        return;
      }
      expect(json.losses).toEqual([]);
      if (!ownRoundTrips) console.info(`${f}: nft's own JSON does not round-trip it (${ownLoad.stderr.split('\n')[0]}); ours must still load it`);
      expect(oursLoad.stderr).toBe('');
      expect(comparableJson(oursList.stdout)).toEqual(A);
    });
  }
});
