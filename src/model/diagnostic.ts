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
  /** a packet (or a flow) that shows the finding, to follow through the packet trace ("Trace it") */
  trace?: TraceExample;
}

/** The packet trace's input for a finding's example: what `nft-designer trace` takes. */
export interface TraceExample {
  /** packet descriptions in nft's words, one flow in order */
  packets: string[];
  /** the host's own addresses assumed */
  hostAddrs: string[];
  sysctls?: Record<string, string>;
}

/** Offsets [start, end) into the parsed text. */
export interface Span {
  start: number;
  end: number;
}
