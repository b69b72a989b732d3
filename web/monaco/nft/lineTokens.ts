/**
 * A small per-line splitter for hovers and completion: they need the word under
 * the cursor and the few words before it, not a parse. Columns are 0-based
 * offsets into the line.
 */
export type LineTokenKind = 'word' | 'number' | 'string' | 'comment' | 'var' | 'setref' | 'punct';

export interface LineToken {
  kind: LineTokenKind;
  text: string;
  start: number;
  end: number;
}

const TOKEN_RE = /(#.*$)|("[^"]*"?)|(\$[A-Za-z_]\w*)|(@[A-Za-z_.][\w./-]*)|([A-Za-z_][\w-]*)|([0-9][\w.:/]*|:[\w:.]*:[\w:./]*)|(==|!=|<=|>=|<<|>>|\S)/g;

export function lineTokens(line: string): LineToken[] {
  const out: LineToken[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(line); m; m = TOKEN_RE.exec(line)) {
    const kind: LineTokenKind = m[1] ? 'comment' : m[2] ? 'string' : m[3] ? 'var' : m[4] ? 'setref' : m[5] ? 'word' : m[6] ? 'number' : 'punct';
    out.push({ kind, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The token that covers the character at `offset` (0-based), if any. */
export function tokenAt(tokens: readonly LineToken[], offset: number): number {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].start <= offset && offset < tokens[i].end) return i;
    if (tokens[i].start > offset) break;
  }
  return -1;
}

/** The words before token `i` on the line, nearest first, skipping nothing. */
export function wordsBefore(tokens: readonly LineToken[], i: number, n = 3): string[] {
  const out: string[] = [];
  for (let j = i - 1; j >= 0 && out.length < n; j--) out.push(tokens[j].text);
  return out;
}
