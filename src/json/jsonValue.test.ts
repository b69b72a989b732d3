import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringifyLikeNft, type JsonValue } from './jsonValue.ts';

/** The separators nft writes, the slow obvious way. */
function reference(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(reference).join(', ')}]`;
  return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}: ${reference(v[k])}`).join(', ')}}`;
}

describe('stringifyLikeNft', () => {
  it('writes nft’s separators', () => {
    expect(stringifyLikeNft({ nftables: [{ a: 1, b: [] }, {}, ['x, y: "z"\n', null]] })).toBe('{"nftables": [{"a": 1, "b": []}, {}, ["x, y: \\"z\\"\\n", null]]}');
  });

  it('agrees with the obvious writer on any JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => stringifyLikeNft(v as JsonValue) === reference(v as JsonValue)), { numRuns: 1000 });
  });
});
