/**
 * Text typed in the preview that the app could not take (it does not parse, or
 * could not be written safely): its errors, shown as markers and in the panel,
 * and the text itself, so that nothing the user typed is lost while it does
 * not parse — the preview keeps it (and shows it again if it is mounted
 * again) until the user fixes it or discards it explicitly.
 */
import { create } from 'zustand';
import type { Diagnostic } from '../../src/model/diagnostic.ts';

/** Text typed in the preview that the design does not have, with why. */
export interface PendingEdit {
  text: string;
  /** errors in `text`'s own lines and columns */
  errors: Diagnostic[];
}

export interface TextErrorsState {
  /** the errors of the text typed last; empty when the app took it */
  diagnostics: Diagnostic[];
  /** that text while it is refused, else null; a new object for every refusal */
  pending: PendingEdit | null;
}

export const useTextErrors = create<TextErrorsState>()(() => ({ diagnostics: [], pending: null }));

/**
 * The preview no longer holds the refused text: the user discarded it (or
 * undid their typing back to the design's text). Its errors go too.
 */
export function discardPendingEdit(): void {
  const s = useTextErrors.getState();
  if (s.pending === null && s.diagnostics.length === 0) return;
  useTextErrors.setState({ diagnostics: [], pending: null });
}
