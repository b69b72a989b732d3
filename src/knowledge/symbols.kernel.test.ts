/**
 * The symbol tables against `nft describe`: for every datatype whose values can
 * be words (SYMBOLIC_TYPES), nft 1.0.6 and 1.1.3 name the datatype as the table
 * does and list the same words with the same values ("pre-defined symbolic
 * constants"); the table may add only aliases nft reads but does not list.
 * (The comment on SYMBOLIC_TYPES promises this test.)
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { needTarget, nftOf } from '../testing/targets.ts';
import { nftInNamespace } from '../testing/nft.ts';
import { LISTING_TARGETS, type ListingTarget } from './listing.ts';
import { SYMBOLIC_TYPES, symbolTable, type SymbolicType } from './datatypes.ts';

/** nft's name of the datatypes the designer names otherwise */
const NFT_NAME: Partial<Record<SymbolicType, string>> = { nfproto: 'nf_proto' };

function described(v: ListingTarget, expr: string): { type?: string; symbols: Map<string, number>; out: string } {
  const r = nftInNamespace('', { nft: nftOf(v), after: [`describe '${expr}'`] });
  const type = /datatype (\S+) \(/.exec(r.stdout)?.[1];
  const symbols = new Map<string, number>();
  const hex = r.stdout.includes('(in hexadecimal)');
  for (const m of r.stdout.matchAll(/^\t(\S+)\s+(0x[0-9a-f]+|\d+)\s*$/gm)) symbols.set(m[1], hex || m[2].startsWith('0x') ? Number.parseInt(m[2], 16) : Number(m[2]));
  return { type, symbols, out: r.stdout + r.stderr };
}

describeKernel('the symbol tables are nft describe\'s', () => {
  for (const v of LISTING_TARGETS as readonly ListingTarget[]) {
    it(`nft ${v}: every symbolic datatype, its name and its words`, (ctx) => {
      needTarget(ctx, v);
      let checked = 0;
      const wrong: string[] = [];
      for (const [type, info] of Object.entries(SYMBOLIC_TYPES) as [SymbolicType, { describe: string | undefined }][]) {
        if (!info.describe) continue;
        const d = described(v, info.describe);
        if (d.type !== (NFT_NAME[type] ?? type)) wrong.push(`${info.describe}: nft ${v} names the datatype ${d.type}, the table ${type}`);
        const ours = symbolTable(type) ?? {};
        // every word nft lists is in the table, with its value
        for (const [word, value] of d.symbols) if (ours[word] !== value) wrong.push(`${type}: nft ${v} lists ${word} = ${value}, the table has ${ours[word]}`);
        // a word of the table nft does not list is an alias of a listed value (nft 1.1.3 lists no ICMP codes: it prints them as numbers, and still reads the words)
        const values = new Set(d.symbols.values());
        if (d.symbols.size) for (const [word, value] of Object.entries(ours)) if (!d.symbols.has(word) && !values.has(value)) wrong.push(`${type}: ${word} = ${value} is not among nft ${v}'s words`);
        checked++;
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(15);
    });
  }
});
