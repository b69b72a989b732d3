/**
 * Findings shared by the panels, each component subscribing only to what it
 * shows: the lint results (written by LintRunner), the emitter's refusals and
 * the preview's parse errors. Keeping these out of the shell's props means a
 * keystroke re-renders only the components that show what changed.
 */
import { useTargetVersion } from '../store/target.ts';
import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { emitProblemDiagnostics, useLint } from '../lint/useLint.ts';
import { useTextErrors } from '../actions/textErrors.ts';
import { useDerived } from './derived.ts';

export const useLintStore = create<{ diagnostics: Diagnostic[]; ms: number | null }>()(() => ({ diagnostics: [], ms: null }));

const EMPTY: Diagnostic[] = [];
const EMPTY_MAP = new Map<string, { startLine: number; endLine: number }>();

/** Runs the linter (in its worker) on the emitted script and publishes the results. */
export function LintRunner(): null {
  const emitted = useDerived((s) => s.emitted);
  const targetVersion = useTargetVersion();
  const lint = useLint(emitted?.text ?? '', emitted?.map ?? EMPTY_MAP, targetVersion, emitted !== null && !emitted.stale);
  useEffect(() => {
    useLintStore.setState(lint);
  }, [lint]);
  return null;
}

function useEmitDiagnostics(): Diagnostic[] {
  const problems = useDerived((s) => s.emitted?.problems);
  return useMemo(() => (problems?.length ? emitProblemDiagnostics(problems) : EMPTY), [problems]);
}

/** Findings about the design (forms, navigator, hook map). */
export function useModelDiagnostics(): Diagnostic[] {
  const emitDiags = useEmitDiagnostics();
  const stale = useDerived((s) => s.emitted?.stale ?? false);
  const lint = useLintStore((s) => s.diagnostics);
  return useMemo(() => (emitDiags.length === 0 && !stale ? lint : [...emitDiags, ...(stale ? [] : lint)]), [emitDiags, stale, lint]);
}

/** Everything, for the diagnostics panel. */
export function usePanelDiagnostics(): Diagnostic[] {
  const model = useModelDiagnostics();
  const text = useTextErrors((s) => s.diagnostics);
  return useMemo(() => (text.length ? [...text, ...model] : model), [text, model]);
}

/**
 * What the preview marks by the app's lines: the linter's findings on the
 * emitted script. The preview maps them onto its own text while that differs
 * (the user's typing, before the canonical form replaces it). The parse errors
 * of typed text that does not parse are in the editor's own lines and reach
 * the preview separately (`pendingEdit`, web/preview/Preview.tsx).
 */
export function usePreviewDiagnostics(): Diagnostic[] {
  return useLintStore((s) => s.diagnostics);
}
