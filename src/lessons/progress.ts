/**
 * Lesson progress as the app remembers it (localStorage `nftd.lessons`): the
 * open lesson, per lesson the step shown and the confirm steps confirmed, and
 * the lessons a trainer imported (kept as their checked form, checked again
 * when read). What is read back is untrusted: anything malformed is dropped,
 * field by field, never trusted.
 */
import { LESSON_LIMITS, type Lesson } from './format.ts';
import { readLesson } from './validate.ts';

export const PROGRESS_VERSION = 1;
/** at most this many imported lessons are kept */
export const MAX_IMPORTED = 20;

export interface LessonProgress {
  /** index of the step shown */
  current: number;
  /** ids of confirm steps the learner confirmed */
  confirmed: string[];
}

export interface Progress {
  version: typeof PROGRESS_VERSION;
  /** the lesson open in the panel */
  open: string | null;
  lessons: Record<string, LessonProgress>;
  imported: Lesson[];
}

export function emptyProgress(imported: Lesson[] = []): Progress {
  return { version: PROGRESS_VERSION, open: null, lessons: {}, imported };
}

const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
const isId = (x: unknown): x is string => typeof x === 'string' && x.length <= LESSON_LIMITS.idChars && ID_RE.test(x);

/** Progress from stored JSON text (null, garbage, an old shape: what can be kept is kept). */
export function readProgress(text: string | null | undefined): Progress {
  if (!text || text.length > LESSON_LIMITS.fileChars * (MAX_IMPORTED + 1)) return emptyProgress();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return emptyProgress();
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return emptyProgress();
  const o = data as Record<string, unknown>;
  if (o.version !== PROGRESS_VERSION) return emptyProgress();
  const imported: Lesson[] = [];
  if (Array.isArray(o.imported)) {
    for (const x of o.imported.slice(0, MAX_IMPORTED)) {
      const r = readLesson(x);
      if (r.ok && !imported.some((l) => l.id === r.lesson.id)) imported.push(r.lesson);
    }
  }
  const lessons: Record<string, LessonProgress> = {};
  if (typeof o.lessons === 'object' && o.lessons !== null && !Array.isArray(o.lessons)) {
    for (const [id, p] of Object.entries(o.lessons as Record<string, unknown>).slice(0, 200)) {
      if (!isId(id) || typeof p !== 'object' || p === null) continue;
      const q = p as Record<string, unknown>;
      const current = typeof q.current === 'number' && Number.isInteger(q.current) && q.current >= 0 && q.current < LESSON_LIMITS.steps ? q.current : 0;
      const confirmed = Array.isArray(q.confirmed) ? [...new Set(q.confirmed.filter(isId))].slice(0, LESSON_LIMITS.steps) : [];
      lessons[id] = { current, confirmed };
    }
  }
  return { version: PROGRESS_VERSION, open: isId(o.open) ? o.open : null, lessons, imported };
}

export function writeProgress(p: Progress): string {
  return JSON.stringify(p);
}
