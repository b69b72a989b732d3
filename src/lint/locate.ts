/**
 * Points a finding at the exact token inside a node's source span (the `65536`
 * after `mss`, the name after `chain`, the `@set` of a reference). Only the
 * nodes that have a finding are tokenized, each once, and chain/table headers
 * only in their first characters: a lookup never walks a 10k-rule chain, and a
 * lint with few findings costs almost nothing here. Tokenizing from a node's
 * first token gives the same tokens as tokenizing the whole text.
 */
import type { Range, Span } from '../model/diagnostic.ts';
import { type LineIndex, Tok, type TokenStream, tokenize } from '../parse/lexer.ts';

export interface LintSource {
  text: string;
  spans: Map<string, Span>;
  lines: LineIndex;
}

/** How much of a declaration a header lookup reads. */
const HEADER_CHARS = 4096;
const HEADER_TOKENS = 160;

export interface WordQuery {
  /** only look after this word (e.g. `hook` before `priority`) */
  after?: string;
  /** search only the first tokens of the span (declarations) */
  header?: boolean;
  /** the last match instead of the first */
  last?: boolean;
  /** skip a match preceded by one of these words (`ct status dnat`) */
  notAfter?: readonly string[];
}

/** The tokens of one node's text; token offsets are relative to `base`. */
interface NodeTokens {
  ts: TokenStream;
  base: number;
  /** tokens before EOF (capped for header lookups) */
  count: number;
}

export class Locator {
  private readonly cache = new Map<string, { ts: TokenStream; base: number; partial: boolean }>();

  constructor(private readonly src: LintSource) {}

  private nodeTokens(nodeId: string, header: boolean): NodeTokens | undefined {
    const span = this.src.spans.get(nodeId);
    if (!span) return undefined;
    let c = this.cache.get(nodeId);
    if (!c || (c.partial && !header)) {
      const end = header ? Math.min(span.end, span.start + HEADER_CHARS) : span.end;
      c = { ts: tokenize(this.src.text.slice(span.start, end)), base: span.start, partial: end < span.end };
      this.cache.set(nodeId, c);
    }
    let count = c.ts.count;
    while (count > 0 && c.ts.kind[count - 1] === Tok.EOF) count--;
    return { ts: c.ts, base: c.base, count: header ? Math.min(count, HEADER_TOKENS) : count };
  }

  private static text(n: NodeTokens, i: number): string {
    return n.ts.src.slice(n.ts.start[i], n.ts.end[i]);
  }

  private isWord(n: NodeTokens, i: number, w: string): boolean {
    return i >= 0 && i < n.count && n.ts.kind[i] === Tok.Word && Locator.text(n, i) === w;
  }

  /** Range of tokens [a, b] (inclusive). */
  private range(n: NodeTokens, a: number, b = a): Range {
    const s = this.src.lines.position(n.base + n.ts.start[a]);
    const e = this.src.lines.position(n.base + Math.max(n.ts.end[b], n.ts.start[b] + 1));
    return { startLine: s.line, startCol: s.col, endLine: e.line, endCol: e.col };
  }

  /** The node's first line: from its first token to the last token before a newline. */
  node(nodeId: string): Range | undefined {
    const n = this.nodeTokens(nodeId, true);
    if (!n || n.count === 0) return undefined;
    let b = 0;
    for (let i = 1; i < n.count && n.ts.kind[i] !== Tok.Newline; i++) b = i;
    return this.range(n, 0, b);
  }

  private findWord(n: NodeTokens, words: readonly string[], q: WordQuery): number | undefined {
    let i = 0;
    if (q.after !== undefined) {
      while (i < n.count && !this.isWord(n, i, q.after)) i++;
      if (i >= n.count) return undefined;
      i++;
    }
    let found: number | undefined;
    for (; i < n.count; i++) {
      if (n.ts.kind[i] !== Tok.Word || !words.includes(Locator.text(n, i))) continue;
      if (q.notAfter && i > 0 && n.ts.kind[i - 1] === Tok.Word && q.notAfter.includes(Locator.text(n, i - 1))) continue;
      found = i;
      if (!q.last) break;
    }
    return found;
  }

  /** The first (or last) word token equal to one of `words`. */
  word(nodeId: string, words: readonly string[], q: WordQuery = {}): Range | undefined {
    const n = this.nodeTokens(nodeId, q.header ?? false);
    if (!n) return undefined;
    const i = this.findWord(n, words, q);
    return i === undefined ? undefined : this.range(n, i);
  }

  /** The value after a keyword: `mss 65536` → `65536`; up to `;`/newline when `toEnd`. */
  valueAfter(nodeId: string, words: readonly string[], q: WordQuery & { toEnd?: boolean } = {}): Range | undefined {
    const n = this.nodeTokens(nodeId, q.header ?? false);
    if (!n) return undefined;
    const i = this.findWord(n, words, q);
    if (i === undefined) return undefined;
    const kind = n.ts.kind;
    const a = i + 1;
    if (a >= n.count || kind[a] === Tok.Newline) return this.range(n, i);
    if (!q.toEnd) {
      // a negative number or a variable is two tokens: "-" "150", "$" "P"
      if ((kind[a] === Tok.Dash || kind[a] === Tok.Dollar) && a + 1 < n.count && kind[a + 1] === Tok.Word) return this.range(n, a, a + 1);
      return this.range(n, a);
    }
    let b = a;
    for (let j = a; j < n.count; j++) {
      const k = kind[j];
      if (k === Tok.Newline || k === Tok.Semi || k === Tok.RBrace) break;
      b = j;
    }
    return this.range(n, a, b);
  }

  /** From a keyword to just before `untilWord` or the end of the line: `devices = { a, b }`. */
  phrase(nodeId: string, words: readonly string[], untilWord: string, q: WordQuery = {}): Range | undefined {
    const n = this.nodeTokens(nodeId, q.header ?? false);
    if (!n) return undefined;
    const i = this.findWord(n, words, q);
    if (i === undefined) return undefined;
    const kind = n.ts.kind;
    let b = i;
    let depth = 0;
    for (let j = i + 1; j < n.count; j++) {
      const k = kind[j];
      if (k === Tok.LBrace) depth++;
      if (k === Tok.RBrace) {
        if (depth === 0) break;
        depth--;
      }
      if (depth === 0 && (k === Tok.Newline || k === Tok.Semi || this.isWord(n, j, untilWord))) break;
      b = j;
    }
    return this.range(n, i, b);
  }

  /** The name of a declaration: the last token equal to `name` before its `{` or line end. */
  declName(nodeId: string, name: string): Range | undefined {
    const n = this.nodeTokens(nodeId, true);
    if (!n) return undefined;
    let found: number | undefined;
    for (let i = 0; i < n.count; i++) {
      const k = n.ts.kind[i];
      if (k === Tok.LBrace || k === Tok.Newline || k === Tok.Semi) break;
      if (k === Tok.Word && Locator.text(n, i) === name) found = i;
    }
    return found === undefined ? undefined : this.range(n, found);
  }

  /** `@name` (or `$name` with `sigil` = Tok.Dollar) inside the node. */
  private sigilName(nodeId: string, sigil: Tok, name: string): Range | undefined {
    const n = this.nodeTokens(nodeId, false);
    if (!n) return undefined;
    for (let i = 0; i + 1 < n.count; i++) {
      if (n.ts.kind[i] === sigil && this.isWord(n, i + 1, name)) return this.range(n, i, i + 1);
    }
    return undefined;
  }

  setRef(nodeId: string, name: string): Range | undefined {
    return this.sigilName(nodeId, Tok.At, name);
  }

  variable(nodeId: string, name: string): Range | undefined {
    return this.sigilName(nodeId, Tok.Dollar, name);
  }

  /** A word or quoted string equal to `value` (a jump target, an object name), optionally right after one of `afterWords`. */
  nameToken(nodeId: string, value: string, afterWords?: readonly string[]): Range | undefined {
    const n = this.nodeTokens(nodeId, false);
    if (!n) return undefined;
    for (let i = 0; i < n.count; i++) {
      const k = n.ts.kind[i];
      if (k !== Tok.Word && k !== Tok.String) continue;
      const t = Locator.text(n, i);
      if ((k === Tok.String ? t.slice(1, -1) : t) !== value) continue;
      if (afterWords && !afterWords.some((w) => this.isWord(n, i - 1, w))) continue;
      return this.range(n, i);
    }
    return undefined;
  }

  /** The first prefix or range among the elements (`10.0.0.0/8`, `1000-2000`). */
  intervalElement(nodeId: string): Range | undefined {
    const n = this.nodeTokens(nodeId, false);
    if (!n) return undefined;
    let i = 0;
    while (i < n.count && !this.isWord(n, i, 'elements')) i++;
    for (; i + 1 < n.count; i++) {
      const k = n.ts.kind[i];
      if ((k === Tok.Slash || k === Tok.Dash) && n.ts.kind[i - 1] === Tok.Word && n.ts.kind[i + 1] === Tok.Word) return this.range(n, i - 1, i + 1);
    }
    return undefined;
  }
}
