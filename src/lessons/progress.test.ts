/** Remembered progress is read back as untrusted input. */
import { describe, expect, it } from 'vitest';
import { emptyProgress, MAX_IMPORTED, readProgress, writeProgress } from './progress.ts';
import type { Lesson } from './format.ts';

const lesson = (id: string): Lesson => ({ format: 'nft-designer-lesson', version: 1, id, title: id, steps: [{ id: 'c', title: 'C', task: ['x'], goal: { kind: 'confirm' } }] });

describe('readProgress', () => {
  it('round-trips', () => {
    const p = { ...emptyProgress([lesson('mine')]), open: 'mine', lessons: { mine: { current: 0, confirmed: ['c'] }, 'synproxy-port': { current: 3, confirmed: [] } } };
    expect(readProgress(writeProgress(p))).toEqual(p);
  });
  it('nothing, garbage, another version: empty progress', () => {
    expect(readProgress(null)).toEqual(emptyProgress());
    expect(readProgress('{')).toEqual(emptyProgress());
    expect(readProgress('[]')).toEqual(emptyProgress());
    expect(readProgress('{"version":2,"open":"x"}')).toEqual(emptyProgress());
  });
  it('drops malformed fields one by one', () => {
    const p = readProgress(
      JSON.stringify({
        version: 1,
        open: '<script>',
        lessons: { good: { current: 2, confirmed: ['a', 'a', 3, 'B!'] }, 'Bad Id': { current: 1, confirmed: [] }, neg: { current: -1 }, huge: { current: 1e9, confirmed: 'x' } },
        imported: [lesson('ok'), { ...lesson('bad'), steps: [] }, lesson('ok'), 'junk'],
      }),
    );
    expect(p.open).toBeNull();
    expect(p.lessons).toEqual({ good: { current: 2, confirmed: ['a'] }, neg: { current: 0, confirmed: [] }, huge: { current: 0, confirmed: [] } });
    expect(p.imported.map((l) => l.id)).toEqual(['ok']);
  });
  it(`keeps at most ${MAX_IMPORTED} imported lessons`, () => {
    const p = readProgress(JSON.stringify({ version: 1, imported: Array.from({ length: MAX_IMPORTED + 5 }, (_, i) => lesson(`l${i}`)) }));
    expect(p.imported).toHaveLength(MAX_IMPORTED);
  });
});
