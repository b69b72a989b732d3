import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';
import { goldenCases } from '../testing/golden.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { DEFAULT_LISTING_TARGET, LISTING_TARGETS, type ListingTarget } from '../knowledge/listing.ts';

function fmt(text: string, comments = true, target?: ListingTarget): string {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(errors)).toEqual([]);
  return emit(r.ruleset, { comments, ...(target ? { target } : {}) }).text;
}

/** The `#` comment lines of a text (outside quotes: the golden inputs quote no "#"), as written. */
function hashLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/^[^#"]*(?:"[^"]*"[^#"]*)*/, '').trimEnd())
    .filter((l) => l.startsWith('#'));
}

describe('golden files: fmt of nft listing form is the identity', () => {
  for (const g of goldenCases()) {
    for (const target of LISTING_TARGETS) {
      const file = g.listings[target] === g.listing ? `${g.name}.nft` : `${g.name}.${target}.nft`;
      it(`${file} comes back byte for byte for ${target}`, () => {
        expect(fmt(g.listings[target], true, target)).toBe(g.listings[target]);
      });
    }
    it(`${g.name}: without a chosen target, the default's listing (${DEFAULT_LISTING_TARGET})`, () => {
      expect(fmt(g.listing)).toBe(g.listings[DEFAULT_LISTING_TARGET]);
    });
    if (g.input !== undefined) {
      const input = g.input;
      for (const target of LISTING_TARGETS) {
        it(`${g.name}.in.nft is printed the way nft ${target} lists it (or stays equivalent) and fmt is idempotent`, () => {
          const once = fmt(input, true, target);
          expect(fmt(once, true, target)).toBe(once);
          // every # comment is kept (those inside elements and multi-line rules move above them)
          expect(hashLines(once).sort()).toEqual(hashLines(input).sort());
          // without them it is nft's listing, which has none
          const bare = fmt(input, false, target);
          expect(hashLines(bare)).toEqual([]);
          expect(fmt(once, false, target)).toBe(bare);
          // Scripts with defines or a preamble keep them; the rest print as nft's listing.
          if (!/^\s*(define|flush|include)\b/m.test(input)) expect(bare).toBe(g.listings[target]);
        });
      }
    }
  }
});

/** Golden lines that are kept as raw text on purpose (forms the model does not structure). */
const RAW_ALLOWED: RegExp[] = [];

describe('golden files are fully structured', () => {
  for (const g of goldenCases()) {
    it(`${g.name}.nft has no raw statements`, () => {
      const r = parse(g.listing);
      const raws = r.ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.flatMap((rule) => rule.stmts.filter((s) => s.kind === 'raw'))));
      const unexpected = raws.filter((s) => s.kind === 'raw' && !RAW_ALLOWED.some((re) => re.test(s.text)));
      expect(unexpected).toEqual([]);
    });
  }
});

describe('templates', () => {
  for (const t of TEMPLATES) {
    it(`${t.id} is in listing form`, () => {
      expect(fmt(t.text)).toBe(t.text);
    });
  }
});
