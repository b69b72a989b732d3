/**
 * Lesson progress and imported lessons, remembered in localStorage
 * (`nftd.lessons`, read back through src/lessons/progress.ts, which checks it
 * as untrusted input). Not part of the design, not undoable.
 */
import { create } from 'zustand';
import type { Lesson } from '../../src/lessons/format.ts';
import { emptyProgress, MAX_IMPORTED, readProgress, writeProgress, type LessonProgress, type Progress } from '../../src/lessons/progress.ts';
import { SHIPPED_IDS } from './shipped.ts';

export const LESSONS_KEY = 'nftd.lessons';

function load(): Progress {
  try {
    return readProgress(globalThis.localStorage?.getItem(LESSONS_KEY));
  } catch {
    return emptyProgress();
  }
}

function save(p: Progress): void {
  try {
    globalThis.localStorage?.setItem(LESSONS_KEY, writeProgress(p));
  } catch {
    // storage full or disabled: progress lasts until the page closes
  }
}

export type ImportOutcome = { ok: true; replaced: boolean } | { ok: false; error: string };

interface LessonsState extends Progress {
  openLesson: (id: string | null) => void;
  setStep: (lessonId: string, index: number) => void;
  confirm: (lessonId: string, stepId: string, on: boolean) => void;
  addImported: (l: Lesson) => ImportOutcome;
  removeImported: (id: string) => void;
  /** every lesson's progress starts again; imported lessons stay */
  resetAll: () => void;
}

const NONE: LessonProgress = { current: 0, confirmed: [] };

export function progressOf(s: Progress, id: string): LessonProgress {
  return s.lessons[id] ?? NONE;
}

export const useLessons = create<LessonsState>()((set, get) => {
  const commit = (patch: Partial<Progress>): void => {
    set(patch);
    const s = get();
    save({ version: s.version, open: s.open, lessons: s.lessons, imported: s.imported });
  };
  const patchLesson = (id: string, fn: (p: LessonProgress) => LessonProgress): void => commit({ lessons: { ...get().lessons, [id]: fn(progressOf(get(), id)) } });
  return {
    ...load(),
    openLesson: (open) => commit({ open }),
    setStep: (id, current) => patchLesson(id, (p) => ({ ...p, current })),
    confirm: (id, stepId, on) => patchLesson(id, (p) => ({ ...p, confirmed: on ? [...new Set([...p.confirmed, stepId])] : p.confirmed.filter((x) => x !== stepId) })),
    addImported: (l) => {
      if (SHIPPED_IDS.has(l.id)) return { ok: false, error: `id: "${l.id}" is the id of a shipped lesson; give the lesson another id` };
      const imported = get().imported;
      const replaced = imported.some((x) => x.id === l.id);
      if (!replaced && imported.length >= MAX_IMPORTED) return { ok: false, error: `at most ${MAX_IMPORTED} imported lessons are kept; remove one first` };
      const { [l.id]: _old, ...lessons } = get().lessons;
      commit({ imported: replaced ? imported.map((x) => (x.id === l.id ? l : x)) : [...imported, l], lessons, open: l.id });
      return { ok: true, replaced };
    },
    removeImported: (id) => {
      const { [id]: _old, ...lessons } = get().lessons;
      commit({ imported: get().imported.filter((x) => x.id !== id), lessons, open: get().open === id ? null : get().open });
    },
    resetAll: () => commit({ lessons: {}, open: null }),
  };
});
