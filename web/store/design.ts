/**
 * The document store: the ruleset being designed, with undo/redo (zundo) over
 * the ruleset only. Every change goes through `apply` with a pure operation from
 * src/model; a burst of edits with the same `coalesce` key (typing in one field)
 * becomes one undo step.
 */
import { create } from 'zustand';
import { temporal } from 'zundo';
import type { Ruleset } from '../../src/model/types.ts';
import { emptyDesign } from '../../src/model/types.ts';

export type ChangeOrigin = 'form' | 'text' | 'load';

export interface ApplyOptions {
  origin?: ChangeOrigin;
  /** consecutive changes with the same key within COALESCE_MS are one undo step */
  coalesce?: string;
  /** do not record an undo step at all (start-up, switching designs) */
  untracked?: boolean;
}

export interface DesignState {
  ruleset: Ruleset;
  /**
   * Bumps whenever the app's text (the emitted script) may differ from what the
   * preview editor shows: every change to the design — from the forms, undo,
   * an import, and from text typed in the preview too — and every text typed in
   * the preview that the app took without any change to the design (blank lines,
   * spacing, a `#` comment). For the editor's own text it is the app's answer:
   * the canonical form of what the user typed, which the preview puts in place of
   * their text once they leave the editor (web/preview/textSync.ts), so the line
   * numbers of lint findings, the selection and click-to-select (all in the
   * emitted text) are the editor's again.
   */
  externalVersion: number;
  origin: ChangeOrigin;
  apply: (fn: (rs: Ruleset) => Ruleset, opts?: ApplyOptions) => void;
  replace: (rs: Ruleset, opts?: ApplyOptions) => void;
}

export const COALESCE_MS = 1000;

let pendingKey: string | undefined;
let lastKey: string | undefined;
let lastAt = 0;
let skipHistory = false;

export const useDesign = create<DesignState>()(
  temporal(
    (set, get) => ({
      ruleset: emptyDesign(),
      externalVersion: 0,
      origin: 'load' as ChangeOrigin,
      apply: (fn, opts = {}) => {
        const prev = get().ruleset;
        const next = fn(prev);
        const origin = opts.origin ?? 'form';
        if (next === prev) {
          // text from the preview that changes nothing still gets its answer (no undo step: the ruleset is the same)
          if (origin === 'text') set((s) => ({ externalVersion: s.externalVersion + 1 }));
          return;
        }
        pendingKey = opts.coalesce;
        skipHistory = opts.untracked === true;
        set((s) => ({ ruleset: next, origin, externalVersion: s.externalVersion + 1 }));
        skipHistory = false;
      },
      replace: (rs, opts = {}) => get().apply(() => rs, { origin: 'load', ...opts }),
    }),
    {
      partialize: (s) => ({ ruleset: s.ruleset }),
      equality: (a, b) => a.ruleset === b.ruleset,
      limit: 300,
      handleSet: (record) => (pastState, replace, currentState, delta) => {
        const now = Date.now();
        const key = pendingKey;
        pendingKey = undefined;
        if (skipHistory) return;
        if (key !== undefined && key === lastKey && now - lastAt < COALESCE_MS) {
          lastAt = now;
          return; // same burst: the step recorded at its start already restores the state before it
        }
        lastKey = key;
        lastAt = now;
        // zundo types the recorder as setState, but calls it with these four arguments
        (record as unknown as (...args: unknown[]) => void)(pastState, replace, currentState, delta);
      },
    },
  ),
);

/** Undo/redo: external changes for the preview, and a new burst afterwards. */
export function undo(): void {
  lastKey = undefined;
  useDesign.temporal.getState().undo();
  useDesign.setState((s) => ({ externalVersion: s.externalVersion + 1, origin: 'form' }));
}

export function redo(): void {
  lastKey = undefined;
  useDesign.temporal.getState().redo();
  useDesign.setState((s) => ({ externalVersion: s.externalVersion + 1, origin: 'form' }));
}

/** Forget the undo history (a different design was opened). */
export function clearHistory(): void {
  lastKey = undefined;
  useDesign.temporal.getState().clear();
}
