/**
 * The emitter and parser against the real nft (inside `unshare -n`): golden
 * files list back byte for byte, what we print loads into the same kernel
 * state as the original, and Debian's shipped examples survive
 * parse → emit → load.
 */
import { expect, it, type TestContext } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';
import { describeKernel } from '../testing/kernel.ts';
import { NFT_OF, loadAndList, normaliseJsonListing, targetUnavailable } from '../testing/nft.ts';
import { DEFAULT_LISTING_TARGET, LISTING_TARGETS, type ListingTarget } from '../knowledge/listing.ts';
import { DEBIAN_REFUSED, NOT_FIXED_POINTS, debianExamples, goldenCases } from '../testing/golden.ts';
import { TEMPLATES } from '../templates/catalog.ts';

function fmt(text: string, target: ListingTarget = '1.0.6'): string {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return emit(r.ruleset, { target }).text;
}

function listText(script: string, target: ListingTarget = '1.0.6'): string {
  const r = loadAndList(script, { nft: NFT_OF[target] });
  expect(r.ok, r.stderr).toBe(true);
  return r.stdout;
}

function need(ctx: TestContext, target: ListingTarget): void {
  if (targetUnavailable(target)) ctx.skip();
}

/** The message of nft's first error, without the file:line:col part. */
function errorText(stderr: string): string {
  return /Error: (.*)/.exec(stderr)?.[1] ?? stderr.trim();
}

function listJson(script: string, target: ListingTarget = '1.0.6'): unknown {
  const r = loadAndList(script, { listJson: true, nft: NFT_OF[target] });
  expect(r.ok, r.stderr).toBe(true);
  return normaliseJsonListing(r.stdout);
}

describeKernel('golden files in the kernel', () => {
  for (const g of goldenCases()) {
    for (const target of LISTING_TARGETS) {
      const file = g.listings[target] === g.listing ? `${g.name}.nft` : `${g.name}.${target}.nft`;
      it(`${file} is nft ${target}'s own listing: it loads and lists back byte for byte`, (ctx) => {
        need(ctx, target);
        expect(listText(g.listings[target], target)).toBe(g.listings[target]);
        // and it is what that version lists for the 1.0.6 listing (NAME.VERSION.nft exists only where they differ)
        if (target !== '1.0.6') expect(listText(g.listing, target)).toBe(g.listings[target]);
      });
      if (g.input !== undefined) {
        const input = g.input;
        it(`${g.name}.in.nft lists as ${file} in nft ${target}, and fmt of it loads into the same state`, (ctx) => {
          need(ctx, target);
          const first = listText(input, target);
          if (g.name in NOT_FIXED_POINTS) {
            expect(first).not.toBe(g.listings[target]);
            expect(listText(first, target)).toBe(g.listings[target]);
            expect(listJson(fmt(input, target), target)).toEqual(listJson(g.listings[target], target));
          } else {
            expect(first).toBe(g.listings[target]);
            expect(listJson(fmt(input, target), target)).toEqual(listJson(input, target));
          }
        });
      }
    }
  }
});

describeKernel('templates in the kernel', () => {
  for (const t of TEMPLATES) {
    it(`${t.id} is nft ${DEFAULT_LISTING_TARGET}'s listing: it loads and lists back byte for byte`, (ctx) => {
      need(ctx, DEFAULT_LISTING_TARGET);
      expect(listText(t.text, DEFAULT_LISTING_TARGET)).toBe(t.text);
    });
  }
});

describeKernel("Debian's nftables examples", () => {
  const examples = debianExamples();
  it('are installed', () => {
    expect(examples.length).toBeGreaterThan(10);
  });
  for (const ex of examples) {
    const original = loadAndList(ex.text, { listJson: true });
    if (!original.ok) {
      // This kernel rejects some examples (no SELinux for secmark, a nat chain at priority
      // -300, a relative include, deleting a table that does not exist): what we print
      // must then be rejected with the same error.
      const reason = errorText(original.stderr);
      it(`${ex.name}: rejected by this kernel ("${reason}"), and so is what we print`, () => {
        expect(Object.keys(DEBIAN_REFUSED)).toContain(ex.name);
        const r = parse(ex.text, { file: ex.name });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const again = loadAndList(emit(r.ruleset, { target: '1.0.6' }).text);
        expect(again.ok).toBe(false);
        if (!r.ruleset.includes.length) expect(errorText(again.stderr)).toBe(reason);
      });
      continue;
    }
    it(`${ex.name}: parse → emit loads into the same kernel state`, () => {
      const r = parse(ex.text, { file: ex.name });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (r.ruleset.includes.length) {
        // all-in-one.nft only includes other files; the browser cannot follow includes
        expect(r.diagnostics.some((d) => d.id === 'parse/include')).toBe(true);
        return;
      }
      expect(listJson(emit(r.ruleset, { target: '1.0.6' }).text)).toEqual(normaliseJsonListing(original.stdout));
    });
    it(`${ex.name}: its nft listing comes back from fmt byte for byte`, () => {
      const listing = listText(ex.text);
      expect(fmt(listing)).toBe(listing);
    });
  }
});

describeKernel('synproxy: the listing of mss without wscale changes meaning', () => {
  it('nft lists `synproxy mss 1460` as `mss 1460 wscale 0`, which loads differently; emit keeps what was designed', () => {
    const designed = 'table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tsynproxy mss 1460\n\t}\n}\n';
    const listed = listText(designed);
    expect(listed).toContain('synproxy mss 1460 wscale 0');
    expect(listJson(listed)).not.toEqual(listJson(designed));
    expect(fmt(designed)).toBe(designed);
  });
});
