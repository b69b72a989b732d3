/**
 * Lines of the app's text (the emitted script) ↔ lines of the editor's text,
 * while the two differ: the user typed in the preview and the editor still
 * shows their text (until it loses focus, or for as long as it does not parse).
 *
 * Everything the app knows by line — lint findings, the selected node's lines,
 * the node under a click — is in the app's text. The two texts share their
 * first and last lines; only the middle differs (one contiguous change: what
 * the user typed, or the canonical form the app wrote for it). Lines in the
 * shared parts map exactly. Lines in the changed middle map only when it is one
 * line on both sides (a line edited in place: its node is the same); otherwise
 * they have no counterpart, and the preview leaves them undecorated rather than
 * mark the wrong line. A range maps when both its ends do, so a chain or table
 * around the change keeps its highlight and stretches or shrinks with it.
 *
 * Pure: built from the two texts with the same minimal line diff the preview
 * uses to apply text (minimalEdit.ts).
 */
import type { LineRange } from '../state/lineOwners.ts';
import { minimalLineEdit } from './minimalEdit.ts';

export interface LineMapping {
  /** true when the texts are the same (every line maps to itself) */
  readonly identity: boolean;
  /** the editor's line for a line of the app's text, or undefined */
  toEditor(appLine: number): number | undefined;
  /** the app's line for a line of the editor's text, or undefined */
  toApp(editorLine: number): number | undefined;
  /** true when a line of the app's text is the same in the editor's (not in the changed part) */
  exact(appLine: number): boolean;
  /** the editor's lines for a range in the app's text, or undefined when an end has no counterpart */
  rangeToEditor(r: LineRange): LineRange | undefined;
}

export const IDENTITY: LineMapping = {
  identity: true,
  toEditor: (l) => l,
  toApp: (l) => l,
  exact: () => true,
  rangeToEditor: (r) => r,
};

/** Number of '\n' in text[from, to). */
function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * One side of the change, in lines (1-based, as Monaco and the source map
 * count them): lines before `first` are shared, lines from `suffix` on are
 * shared, `first`..`suffix - 1` changed.
 */
interface Side {
  first: number;
  suffix: number;
  lines: number;
}

function side(text: string, start: number, end: number, before: number): Side {
  const lines = before + newlines(text, start, text.length) + 1;
  // `end` is a line start inside the shared tail, or the end of the text (no shared tail)
  const suffix = end < text.length ? before + newlines(text, start, end) + 1 : lines + 1;
  return { first: before + 1, suffix, lines };
}

export function lineMapping(editorText: string, appText: string): LineMapping {
  const edit = minimalLineEdit(editorText, appText);
  if (!edit) return IDENTITY;
  const before = newlines(editorText, 0, edit.start);
  const ed = side(editorText, edit.start, edit.oldEnd, before);
  const app = side(appText, edit.start, edit.newEnd, before);
  const inPlace = ed.suffix - ed.first === 1 && app.suffix - app.first === 1;
  const shift = ed.suffix - app.suffix;
  const map = (line: number, from: Side, to: Side, delta: number): number | undefined => {
    if (!(line >= 1) || line > from.lines) return undefined;
    if (line < from.first) return line;
    if (line >= from.suffix) return line + delta;
    return inPlace ? to.first : undefined;
  };
  const toEditor = (l: number): number | undefined => map(l, app, ed, shift);
  return {
    identity: false,
    toEditor,
    toApp: (l) => map(l, ed, app, -shift),
    exact: (l) => l >= 1 && l <= app.lines && (l < app.first || l >= app.suffix),
    rangeToEditor: (r) => {
      const startLine = toEditor(r.startLine);
      const endLine = toEditor(r.endLine);
      return startLine === undefined || endLine === undefined || endLine < startLine ? undefined : { startLine, endLine };
    },
  };
}
