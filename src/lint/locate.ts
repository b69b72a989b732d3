/**
 * Points a finding at the exact token inside a node's source span (the `65536`
 * after `mss`, the name after `chain`, the `@set` of a reference). The text is
 * tokenized once, lazily, on the first lookup; each lookup is a binary search to
 * the node's first token and a short scan. Headers of chains and tables are
 * searched only in their first tokens, so a lookup never walks a 10k-rule chain.
 */
import type { Range, Span } from '../model/diagnostic.ts';
import { type LineIndex, Tok, type TokenStream, tokenize } from '../parse/lexer.ts';

export interface LintSource {
  text: string;
  spans: Map<string, Span>;
  lines: LineIndex;
}

/** How far a header lookup scans (chain/table/set declarations). */
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

export class Locator {
  private ts: TokenStream | undefined;

  constructor(private readonly src: LintSource) {}

  private tokens(): TokenStream {
    if (!this.ts) this.ts = tokenize(this.src.text);
    return this.ts;
  }

  /** Token indices [first, end) covering a node's span, or undefined. */
  private tokenSpan(nodeId: string, header: boolean): [number, number] | undefined {
    const span = this.src.spans.get(nodeId);
    if (!span) return undefined;
    const ts = this.tokens();
    let lo = 0;
    let hi = ts.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts.start[mid] < span.start) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    const limit = header ? Math.min(ts.count, lo + HEADER_TOKENS) : ts.count;
    while (end < limit && ts.start[end] < span.end && ts.kind[end] !== Tok.EOF) end++;
    return [lo, end];
  }

  private text(i: number): string {
    const ts = this.tokens();
    return this.src.text.slice(ts.start[i], ts.end[i]);
  }

  /** Range of tokens [a, b] (inclusive). */
  tokenRange(a: number, b = a): Range {
    const ts = this.tokens();
    const s = this.src.lines.position(ts.start[a]);
    const e = this.src.lines.position(Math.max(ts.end[b], ts.start[b] + 1));
    return { startLine: s.line, startCol: s.col, endLine: e.line, endCol: e.col };
  }

  /** The node's first line: from its first token to the last token before a newline. */
  node(nodeId: string): Range | undefined {
    const sp = this.tokenSpan(nodeId, true);
    if (!sp) return undefined;
    const [a, end] = sp;
    if (a >= end) return undefined;
    const ts = this.tokens();
    let b = a;
    for (let i = a + 1; i < end && ts.kind[i] !== Tok.Newline; i++) b = i;
    return this.tokenRange(a, b);
  }

  private findWord(nodeId: string, words: readonly string[], q: WordQuery): number | undefined {
    const sp = this.tokenSpan(nodeId, q.header ?? false);
    if (!sp) return undefined;
    const ts = this.tokens();
    let [i] = sp;
    const end = sp[1];
    if (q.after !== undefined) {
      while (i < end && !(ts.kind[i] === Tok.Word && this.text(i) === q.after)) i++;
      if (i >= end) return undefined;
      i++;
    }
    let found: number | undefined;
    for (; i < end; i++) {
      if (ts.kind[i] !== Tok.Word) continue;
      const t = this.text(i);
      if (!words.includes(t)) continue;
      if (q.notAfter && i > 0 && ts.kind[i - 1] === Tok.Word && q.notAfter.includes(this.text(i - 1))) continue;
      found = i;
      if (!q.last) break;
    }
    return found;
  }

  /** The first (or last) word token equal to one of `words`. */
  word(nodeId: string, words: readonly string[], q: WordQuery = {}): Range | undefined {
    const i = this.findWord(nodeId, words, q);
    return i === undefined ? undefined : this.tokenRange(i);
  }

  /** The value after a keyword: `mss 65536` → `65536`; up to `;`/newline when `toEnd`. */
  valueAfter(nodeId: string, words: readonly string[], q: WordQuery & { toEnd?: boolean; untilWord?: string } = {}): Range | undefined {
    const i = this.findWord(nodeId, words, q);
    if (i === undefined) return undefined;
    const ts = this.tokens();
    const a = i + 1;
    if (a >= ts.count || ts.kind[a] === Tok.Newline || ts.kind[a] === Tok.EOF) return this.tokenRange(i);
    if (!q.toEnd && q.untilWord === undefined) {
      // a negative number is two tokens: "-" "150"
      if (ts.kind[a] === Tok.Dash && a + 1 < ts.count && ts.kind[a + 1] === Tok.Word) return this.tokenRange(a, a + 1);
      if (ts.kind[a] === Tok.Dollar && a + 1 < ts.count && ts.kind[a + 1] === Tok.Word) return this.tokenRange(a, a + 1);
      return this.tokenRange(a);
    }
    let b = a;
    for (let j = a; j < ts.count; j++) {
      const k = ts.kind[j];
      if (k === Tok.Newline || k === Tok.Semi || k === Tok.EOF || k === Tok.RBrace) break;
      if (q.untilWord !== undefined && k === Tok.Word && this.text(j) === q.untilWord) break;
      b = j;
    }
    return this.tokenRange(a, b);
  }

  /** From a keyword to just before `untilWord` (or the end of the line): `devices = { a, b }`. */
  phrase(nodeId: string, words: readonly string[], untilWord: string, q: WordQuery = {}): Range | undefined {
    const i = this.findWord(nodeId, words, q);
    if (i === undefined) return undefined;
    const ts = this.tokens();
    let b = i;
    let depth = 0;
    for (let j = i + 1; j < ts.count; j++) {
      const k = ts.kind[j];
      if (k === Tok.LBrace) depth++;
      if (k === Tok.RBrace) {
        if (depth === 0) break;
        depth--;
      }
      if (depth === 0 && (k === Tok.Newline || k === Tok.Semi || k === Tok.EOF)) break;
      if (depth === 0 && k === Tok.Word && this.text(j) === untilWord) break;
      b = j;
    }
    return this.tokenRange(i, b);
  }

  /** The name of a declaration: the last token equal to `name` before its `{` or line end. */
  declName(nodeId: string, name: string): Range | undefined {
    const sp = this.tokenSpan(nodeId, true);
    if (!sp) return undefined;
    const ts = this.tokens();
    let found: number | undefined;
    for (let i = sp[0]; i < sp[1]; i++) {
      const k = ts.kind[i];
      if (k === Tok.LBrace || k === Tok.Newline || k === Tok.Semi) break;
      if (k === Tok.Word && this.text(i) === name) found = i;
    }
    return found === undefined ? undefined : this.tokenRange(found);
  }

  /** `@name` inside the node. */
  setRef(nodeId: string, name: string): Range | undefined {
    const sp = this.tokenSpan(nodeId, false);
    if (!sp) return undefined;
    const ts = this.tokens();
    for (let i = sp[0]; i + 1 < sp[1]; i++) {
      if (ts.kind[i] === Tok.At && ts.kind[i + 1] === Tok.Word && this.text(i + 1) === name) return this.tokenRange(i, i + 1);
    }
    return undefined;
  }

  /** A word or quoted string equal to `value` (a jump target, an object name), optionally after `after`. */
  nameToken(nodeId: string, value: string, afterWords?: readonly string[]): Range | undefined {
    const sp = this.tokenSpan(nodeId, false);
    if (!sp) return undefined;
    const ts = this.tokens();
    for (let i = sp[0]; i < sp[1]; i++) {
      const k = ts.kind[i];
      if (k !== Tok.Word && k !== Tok.String) continue;
      const t = this.text(i);
      const v = k === Tok.String ? t.slice(1, -1) : t;
      if (v !== value) continue;
      if (afterWords && !(i > 0 && ts.kind[i - 1] === Tok.Word && afterWords.includes(this.text(i - 1)))) continue;
      return this.tokenRange(i);
    }
    return undefined;
  }

  /** `$name` inside the node. */
  variable(nodeId: string, name: string): Range | undefined {
    const sp = this.tokenSpan(nodeId, false);
    if (!sp) return undefined;
    const ts = this.tokens();
    for (let i = sp[0]; i + 1 < sp[1]; i++) {
      if (ts.kind[i] === Tok.Dollar && ts.kind[i + 1] === Tok.Word && this.text(i + 1) === name) return this.tokenRange(i, i + 1);
    }
    return undefined;
  }

  /** The first `/` or `-` between two values after `elements` (a prefix or a range): the whole element. */
  intervalElement(nodeId: string): Range | undefined {
    const sp = this.tokenSpan(nodeId, false);
    if (!sp) return undefined;
    const ts = this.tokens();
    let i = sp[0];
    while (i < sp[1] && !(ts.kind[i] === Tok.Word && this.text(i) === 'elements')) i++;
    for (; i + 1 < sp[1]; i++) {
      const k = ts.kind[i];
      if ((k === Tok.Slash || k === Tok.Dash) && i > 0 && ts.kind[i - 1] === Tok.Word && ts.kind[i + 1] === Tok.Word) {
        return this.tokenRange(i - 1, i + 1);
      }
    }
    return undefined;
  }
}
