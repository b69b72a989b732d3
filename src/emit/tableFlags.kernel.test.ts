/**
 * Table flags against both real nft versions (inside `unshare -n`): the emitter
 * writes each version's own listing, that listing loads and lists back byte for
 * byte, `persist` is refused by 1.0.6 exactly where the linter says so, and an
 * `owner` table is gone once nft exits, as the linter warns.
 */
import { expect, it } from 'vitest';
import { emit } from './index.ts';
import { lint } from '../lint/index.ts';
import { describeKernel } from '../testing/kernel.ts';
import { designOf, listingIn, loadIn, needTarget } from '../testing/targets.ts';

const table = (...flagLines: string[]): string => `table ip t {\n${flagLines.map((f) => `\tflags ${f}\n`).join('')}\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n`;

describeKernel('table flags in both nft versions', () => {
  it('nft 1.0.6: one flag per line, dormant lists back as written; persist refused as the linter says', (ctx) => {
    needTarget(ctx, '1.0.6');
    const dormant = emit(designOf(table('dormant')), { target: '1.0.6', preamble: 'none' }).text;
    expect(listingIn('1.0.6', dormant)).toBe(dormant);
    const persist = designOf(table('dormant,persist'));
    expect(lint(persist, { targetVersion: '1.0.6' }).filter((d) => d.severity === 'error').map((d) => d.id)).toEqual(['version/feature']);
    const r = loadIn('1.0.6', emit(persist, { target: '1.0.6', preamble: 'none' }).text);
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('unknown table option persist');
  });

  it('nft 1.1.3: several flags in one line, in nft\'s order, list back byte for byte', (ctx) => {
    needTarget(ctx, '1.1.3');
    const rs = designOf(table('persist', 'dormant'));
    expect(lint(rs, { targetVersion: '1.1.3' }).filter((d) => d.severity !== 'info')).toEqual([]);
    const text = emit(rs, { target: '1.1.3', preamble: 'none' }).text;
    expect(text).toContain('\tflags dormant,persist\n');
    expect(listingIn('1.1.3', text)).toBe(text);
  });

  it('flags owner: the table is gone when nft exits, in both versions, and the linter warns', (ctx) => {
    for (const v of ['1.0.6', '1.1.3'] as const) {
      needTarget(ctx, v);
      const rs = designOf(table('owner'));
      expect(lint(rs, { targetVersion: v }).map((d) => d.id)).toContain('table/owner');
      expect(listingIn(v, emit(rs, { target: v, preamble: 'none' }).text)).toBe('');
      const kept = designOf(table('owner', 'dormant'));
      if (v === '1.1.3') expect(lint(designOf(table('owner,persist')), { targetVersion: v }).map((d) => d.id)).not.toContain('table/owner');
      expect(listingIn(v, emit(kept, { target: v, preamble: 'none' }).text)).toBe('');
    }
  });
});
