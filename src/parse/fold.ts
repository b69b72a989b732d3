/** Folding source text to one line, as a raw statement keeps it. */
/**
 * Source text with line continuations removed and runs of white space outside
 * quotes folded to one space, so a raw statement prints on one line.
 */
export function foldText(src: string, start: number, end: number): string {
  let out = '';
  let ws = false;
  for (let i = start; i < end; i++) {
    const ch = src[i];
    if (ch === '"') {
      const close = src.indexOf('"', i + 1);
      const j = close < 0 || close >= end ? end - 1 : close;
      if (ws && out) out += ' ';
      ws = false;
      out += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === '#') {
      // a comment inside a multi-line set: drop it
      while (i < end && src[i] !== '\n') i++;
      ws = true;
      continue;
    }
    if (ch === '\\' && (src[i + 1] === '\n' || src[i + 1] === '\r')) {
      ws = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      ws = true;
      continue;
    }
    if (ws && out) out += ' ';
    ws = false;
    out += ch;
  }
  return out;
}
