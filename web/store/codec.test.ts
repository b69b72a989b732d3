import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateInSlices, deflatePieces, inflateText, jsonPieces, toBase64 } from './codec.ts';

const noWait = (): Promise<void> => Promise.resolve();

describe('JSON in slices', () => {
  it('the pieces join to exactly what JSON.stringify writes, also when every leaf ends a slice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 10 }), fc.boolean(), async (v, everyLeaf) => {
        const pieces = await jsonPieces(v, { sliceMs: everyLeaf ? -1 : 8, yieldFn: noWait });
        expect(pieces.join('')).toBe(JSON.stringify(v));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out what JSON.stringify leaves out, and writes null where it does', async () => {
    const v = { a: undefined, b: () => 1, c: [undefined, () => 2, Symbol('s'), new Date(0)], d: { e: [[[[[[[1, undefined]]]]]]] }, f: 'é\u2028"' };
    expect((await jsonPieces(v, { sliceMs: -1, yieldFn: noWait })).join('')).toBe(JSON.stringify(v));
  });

  it('gives the browser a turn between slices', async () => {
    let turns = 0;
    const big = { rules: Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, stmts: [{ kind: 'verdict', verdict: 'accept' }] })) };
    const pieces = await jsonPieces(big, { sliceMs: -1, yieldFn: async () => void turns++ });
    expect(turns).toBeGreaterThanOrEqual(3000);
    expect(pieces.join('')).toBe(JSON.stringify(big));
  });
});

describe('deflating', () => {
  const text = JSON.stringify({ rules: Array.from({ length: 20000 }, (_, i) => `tcp dport ${i} accept # é ${i}`) });
  const halves = [text.slice(0, 100_001), text.slice(100_001)];

  it('one stream of the pieces, at once or in slices, inflates back to the text', async () => {
    expect(inflateText(deflatePieces(halves))).toBe(text);
    expect(inflateText(deflatePieces([text], 1))).toBe(text);
    expect(inflateText(await deflateInSlices(halves, noWait))).toBe(text);
    expect(inflateText(deflatePieces([]))).toBe('');
    expect(deflatePieces(halves).length).toBeLessThan(text.length / 4);
  });

  it('bytes that are not a zlib stream are refused, and shown in base64', () => {
    expect(() => inflateText(new Uint8Array([1, 2, 3]))).toThrow();
    expect(toBase64(new Uint8Array([1, 2, 3, 4]))).toBe('AQIDBA==');
  });
});
