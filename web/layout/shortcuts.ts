/**
 * The app's keyboard shortcuts: one list, read by the key handler (App) and by
 * the Help dialog, so what Help says is what the keys do.
 */
import { redo, undo } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { addAnotherRule } from '../actions/addAnotherRule.ts';

export interface Shortcut {
  /** as shown to people */
  keys: string;
  what: string;
  /** matches the event; `inText` says whether it also works while typing in a form field */
  match: (e: KeyboardEvent) => boolean;
  inText: boolean;
  run: () => boolean | void;
}

const ctrl = (e: KeyboardEvent): boolean => e.ctrlKey || e.metaKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Ctrl+Z', what: 'Undo (outside text fields and the editor, which have their own undo)', match: (e) => ctrl(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'z', inText: false, run: undo },
  { keys: 'Ctrl+Shift+Z or Ctrl+Y', what: 'Redo', match: (e) => ctrl(e) && !e.altKey && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'), inText: false, run: redo },
  {
    keys: 'Alt+N',
    what: 'Add another rule: after the selected rule, or at the end of the selected chain; the focus goes to "Add match"',
    match: (e) => e.altKey && !ctrl(e) && !e.shiftKey && (e.code === 'KeyN' || e.key.toLowerCase() === 'n'),
    inText: true,
    run: addAnotherRule,
  },
  {
    keys: 'Ctrl+Alt+P',
    what: 'Presenter mode on or off: larger type, high contrast',
    match: (e) => ctrl(e) && e.altKey && (e.code === 'KeyP' || e.key.toLowerCase() === 'p'),
    inText: true,
    run: () => useUi.getState().setPresenter(!useUi.getState().presenter),
  },
  {
    keys: 'Ctrl+Alt+H',
    what: 'The hook map in the whole window, or back (Esc also comes back)',
    match: (e) => ctrl(e) && e.altKey && (e.code === 'KeyH' || e.key.toLowerCase() === 'h'),
    inText: true,
    run: () => useUi.getState().setHookMapMax(!useUi.getState().hookMapMax),
  },
];

/** Keys handled elsewhere, listed in Help beside the ones above. */
export const OTHER_KEYS: readonly { keys: string; what: string }[] = [
  { keys: 'Tab, Shift+Tab', what: 'Move between controls' },
  { keys: 'Alt+Up, Alt+Down', what: "In a chain's rule list: move the focused rule" },
  { keys: 'Arrow keys on a splitter', what: 'Resize the panes (Shift for bigger steps, Home/End for the limits)' },
  { keys: 'Enter in a match field', what: 'Take the highlighted field; in a values field, add the typed values (commas or spaces separate several)' },
];

function isEditingText(el: Element | null): boolean {
  if (!el) return false;
  if (el.closest('.monaco-editor')) return true;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

/** The window's keydown handler: the first shortcut that matches runs (never inside the script editor). */
export function onShortcutKey(e: KeyboardEvent): void {
  const active = document.activeElement;
  if (active?.closest('.monaco-editor')) return;
  const typing = isEditingText(active);
  for (const s of SHORTCUTS) {
    if (!s.match(e) || (typing && !s.inText)) continue;
    if (s.run() === false) return;
    e.preventDefault();
    return;
  }
}
