/**
 * Diagnostics → Monaco markers. A finding with a `range` marks exactly that
 * (lines and columns of the editor text, end exclusive — the same convention as
 * Monaco's); one with only a `nodeId` marks its node's lines through the source
 * map (from the first non-blank character); one with neither is left to the
 * diagnostics panel. The message carries the "why" for learners, and the check
 * id shows as the marker's code.
 *
 * Lines and node ranges are the app's (the emitted script). While the editor
 * shows other text (the user's typing, before its canonical form replaces it),
 * `mapping` carries them onto the editor's lines; a finding whose lines have no
 * counterpart there is left out rather than put on the wrong line, and one on a
 * line the user rewrote in place marks that whole line (its columns are the
 * app's, not the user's).
 *
 * Pure, with the model reached through accessors, so it is tested without
 * Monaco. Severity numbers are Monaco's `MarkerSeverity`.
 */
import type { Diagnostic, Severity } from '../../src/model/diagnostic.ts';
import type { LineRange } from '../state/lineOwners.ts';
import { IDENTITY, type LineMapping } from './lineMapping.ts';

/** monaco.MarkerSeverity values */
export const MARKER_SEVERITY: Readonly<Record<Severity, number>> = { error: 8, warning: 4, info: 2 };

/** The subset of monaco.editor.IMarkerData the preview sets. */
export interface MarkerData {
  severity: number;
  message: string;
  code: string;
  source: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export interface MarkerModel {
  lineCount: number;
  /** Monaco's `getLineMaxColumn`: line length + 1 */
  lineMaxColumn(line: number): number;
  /** Monaco's `getLineFirstNonWhitespaceColumn`: 0 for a blank line */
  lineFirstColumn(line: number): number;
}

export function markerMessage(d: Diagnostic): string {
  return d.why ? `${d.message}\n\n${d.why}` : d.message;
}

export function diagnosticsToMarkers(diagnostics: readonly Diagnostic[], map: ReadonlyMap<string, LineRange>, model: MarkerModel, mapping: LineMapping = IDENTITY): MarkerData[] {
  const out: MarkerData[] = [];
  const clampLine = (n: number): number => Math.min(Math.max(1, Math.floor(n) || 1), model.lineCount);
  for (const d of diagnostics) {
    const base = {
      severity: MARKER_SEVERITY[d.severity] ?? MARKER_SEVERITY.info,
      message: markerMessage(d),
      code: d.id,
      source: d.id.startsWith('parse/') ? 'nft parser' : 'nft-designer lint',
    };
    let range = d.range;
    if (range && !mapping.identity) {
      const lines = mapping.rangeToEditor(range);
      if (!lines) continue;
      if (!mapping.exact(range.startLine) || !mapping.exact(range.endLine)) {
        out.push(wholeLines(base, lines, model, clampLine));
        continue;
      }
      range = { ...range, startLine: lines.startLine, endLine: lines.endLine };
    }
    if (range) {
      const startLine = clampLine(range.startLine);
      const endLine = Math.max(startLine, clampLine(range.endLine));
      const startColumn = Math.min(Math.max(1, range.startCol), model.lineMaxColumn(startLine));
      let endColumn = Math.min(Math.max(1, range.endCol), model.lineMaxColumn(endLine));
      // an empty range would be invisible: mark at least one character
      if (endLine === startLine && endColumn <= startColumn) endColumn = Math.min(startColumn + 1, model.lineMaxColumn(endLine));
      out.push({ ...base, startLineNumber: startLine, startColumn, endLineNumber: endLine, endColumn });
      continue;
    }
    const node = d.nodeId !== undefined ? map.get(d.nodeId) : undefined;
    const r = node && mapping.rangeToEditor(node);
    if (!r) continue;
    out.push(wholeLines(base, r, model, clampLine));
  }
  return out;
}

/** From the first character of the first line (not its indentation) to the end of the last. */
function wholeLines(base: Pick<MarkerData, 'severity' | 'message' | 'code' | 'source'>, r: LineRange, model: MarkerModel, clampLine: (n: number) => number): MarkerData {
  const startLine = clampLine(r.startLine);
  const endLine = Math.max(startLine, clampLine(r.endLine));
  const startColumn = model.lineFirstColumn(startLine) || 1;
  return { ...base, startLineNumber: startLine, startColumn, endLineNumber: endLine, endColumn: model.lineMaxColumn(endLine) };
}
