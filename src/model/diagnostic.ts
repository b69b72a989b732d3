/**
 * One finding, from the parser or the linter. The same object feeds the form
 * field, the diagnostics panel and a Monaco marker.
 */
export type Severity = 'error' | 'warning' | 'info';

/** 1-based lines and columns; a tab counts as one column (as in nft's errors). */
export interface Range {
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

export interface Diagnostic {
  /** stable check id, e.g. `parse/syntax`, `synproxy/mss-range` */
  id: string;
  severity: Severity;
  /** what is wrong, in one line */
  message: string;
  /** why it matters and how to fix it, for someone learning nftables */
  why?: string;
  /** the model node it concerns */
  nodeId?: string;
  /** the field of that node, for forms (`mss`, `priority`, `name` …) */
  field?: string;
  range?: Range;
}

/** Offsets [start, end) into the parsed text. */
export interface Span {
  start: number;
  end: number;
}
