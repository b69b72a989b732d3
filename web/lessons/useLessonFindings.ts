/**
 * The linter's findings for exactly the design shown, for the lesson goals
 * that ask about them: the emitted script is linted in the app's lint worker,
 * and until the answer for this very script arrives the result is null
 * ("checking…"), so a goal such as "no errors" is never met on an old answer.
 * A design that cannot be written counts its refusals as errors.
 */
import { useTargetVersion } from '../store/target.ts';
import { useEffect, useMemo, useState } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { emitProblemDiagnostics, lintInWorker } from '../lint/useLint.ts';
import { useDerived } from '../state/derived.ts';

export function useLessonFindings(): readonly Diagnostic[] | null {
  const emitted = useDerived((s) => s.emitted);
  const target = useTargetVersion();
  const [answer, setAnswer] = useState<{ text: string; target: string; diagnostics: Diagnostic[] } | null>(null);
  const text = emitted && !emitted.stale ? emitted.text : null;
  useEffect(() => {
    if (text === null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void lintInWorker(text, target).then((r) => {
        if (!cancelled) setAnswer({ text, target, diagnostics: r.diagnostics });
      });
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text, target]);
  const refusals = useMemo(() => (emitted?.stale ? emitProblemDiagnostics(emitted.problems) : null), [emitted]);
  if (!emitted) return null;
  if (refusals) return refusals;
  return answer && answer.text === emitted.text && answer.target === target ? answer.diagnostics : null;
}
