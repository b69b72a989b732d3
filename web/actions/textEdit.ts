/**
 * Two-way editing: text typed in the preview becomes the design once it parses.
 * While it does not, the errors are shown as markers and the design stays as it
 * was; the text is kept (textErrors.ts) until it parses or the user discards it.
 * Ids stay stable (reconcile by names), and each debounced edit is one undo
 * step. Every text taken gets an answer — a new `externalVersion` — even when
 * the design does not change, so the preview knows to show the canonical form.
 */
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { blockingErrors, parse } from '../../src/parse/index.ts';
import { reconcile } from '../../src/model/reconcile.ts';
import { emitProblems } from '../../src/emit/index.ts';
import { useDesign } from '../store/design.ts';

import { useTextErrors } from './textErrors.ts';

export function applyEditedText(text: string): { ok: boolean; errors: Diagnostic[] } {
  // the design replaces its tables: a table typed without its preamble lines joins it
  const r = parse(text, { replaceTables: useDesign.getState().ruleset.preamble === 'replace' });
  // CRLF or a missing ";" before "}": the canonical text written back fixes them
  const errors = blockingErrors(r.diagnostics);
  if (errors.length === 0) {
    const problems = emitProblems(r.ruleset);
    for (const p of problems) errors.push({ id: 'emit/unsafe', severity: 'error', message: p.message });
  }
  if (errors.length) {
    useTextErrors.setState({ diagnostics: errors, pending: { text, errors } });
    return { ok: false, errors };
  }
  useTextErrors.setState({ diagnostics: [], pending: null });
  useDesign.getState().apply((prev) => reconcile(prev, r.ruleset), { origin: 'text' });
  return { ok: true, errors: [] };
}

