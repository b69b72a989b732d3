// @vitest-environment jsdom
/** The lessons store: imports (new, replaced, refused), removal, reset, and what localStorage keeps. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Lesson } from '../../src/lessons/format.ts';
import { readProgress } from '../../src/lessons/progress.ts';

const lesson = (id: string, title = id): Lesson => ({ format: 'nft-designer-lesson', version: 1, id, title, steps: [{ id: 'c', title: 'C', task: ['x'], goal: { kind: 'confirm' } }] });

async function fresh() {
  vi.resetModules();
  return import('./store.ts');
}

describe('useLessons', () => {
  beforeEach(() => localStorage.clear());

  it('imports, replaces by id, refuses a shipped id', async () => {
    const { useLessons, LESSONS_KEY } = await fresh();
    expect(useLessons.getState().addImported(lesson('mine'))).toEqual({ ok: true, replaced: false });
    expect(useLessons.getState().open).toBe('mine');
    expect(useLessons.getState().addImported(lesson('mine', 'Mine v2'))).toEqual({ ok: true, replaced: true });
    expect(useLessons.getState().imported.map((l) => l.title)).toEqual(['Mine v2']);
    const r = useLessons.getState().addImported(lesson('synproxy-port'));
    expect(r.ok).toBe(false);
    expect(readProgress(localStorage.getItem(LESSONS_KEY)).imported.map((l) => l.id)).toEqual(['mine']);
  });

  it('progress is saved and read back by a new page', async () => {
    const a = await fresh();
    a.useLessons.getState().openLesson('synproxy-port');
    a.useLessons.getState().setStep('synproxy-port', 3);
    a.useLessons.getState().confirm('synproxy-port', 'host-sysctls', true);
    const b = await fresh();
    expect(b.useLessons.getState().open).toBe('synproxy-port');
    expect(b.progressOf(b.useLessons.getState(), 'synproxy-port')).toEqual({ current: 3, confirmed: ['host-sysctls'] });
    b.useLessons.getState().confirm('synproxy-port', 'host-sysctls', false);
    expect(b.progressOf(b.useLessons.getState(), 'synproxy-port').confirmed).toEqual([]);
  });

  it('reset clears every lesson\'s progress and keeps imported lessons; remove drops one with its progress', async () => {
    const { useLessons, progressOf } = await fresh();
    useLessons.getState().addImported(lesson('mine'));
    useLessons.getState().confirm('mine', 'c', true);
    useLessons.getState().setStep('drop-by-default', 2);
    useLessons.getState().resetAll();
    const s = useLessons.getState();
    expect(s.lessons).toEqual({});
    expect(s.open).toBeNull();
    expect(s.imported.map((l) => l.id)).toEqual(['mine']);
    expect(progressOf(s, 'drop-by-default')).toEqual({ current: 0, confirmed: [] });
    useLessons.getState().confirm('mine', 'c', true);
    useLessons.getState().removeImported('mine');
    expect(useLessons.getState().imported).toEqual([]);
    expect(useLessons.getState().lessons).toEqual({});
  });

  it('garbage in storage opens as no progress', async () => {
    localStorage.setItem('nftd.lessons', '{"version":1,"open":7,"lessons":[],"imported":{}}');
    const { useLessons } = await fresh();
    expect(useLessons.getState().open).toBeNull();
    expect(useLessons.getState().lessons).toEqual({});
  });
});
