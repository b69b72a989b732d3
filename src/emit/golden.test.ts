import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';
import { goldenCases } from '../testing/golden.ts';
import { TEMPLATES } from '../templates/catalog.ts';

function fmt(text: string, comments = true): string {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(errors)).toEqual([]);
  return emit(r.ruleset, { comments }).text;
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
    it(`${g.name}.nft comes back byte for byte`, () => {
      expect(fmt(g.listing)).toBe(g.listing);
    });
    if (g.input !== undefined) {
      const input = g.input;
      it(`${g.name}.in.nft is printed the way nft lists it (or stays equivalent) and fmt is idempotent`, () => {
        const once = fmt(input);
        expect(fmt(once)).toBe(once);
        // every # comment is kept (those inside elements and multi-line rules move above them)
        expect(hashLines(once).sort()).toEqual(hashLines(input).sort());
        // without them it is nft's listing, which has none
        const bare = fmt(input, false);
        expect(hashLines(bare)).toEqual([]);
        expect(fmt(once, false)).toBe(bare);
        // Scripts with defines or a preamble keep them; the rest print as nft's listing.
        if (!/^\s*(define|flush|include)\b/m.test(input)) expect(bare).toBe(g.listing);
      });
    }
  }
});

/** Golden lines that are kept as raw text on purpose (forms the model does not structure). */
const RAW_ALLOWED = [/^tcp option /, /^ct count /];

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
