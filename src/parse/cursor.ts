/**
 * A cursor over a range of tokens that skips newlines: inside a rule, a newline
 * can only stand inside braces (multi-line anonymous sets and maps), where it is
 * plain white space.
 */
import { Tok, type TokenStream, tokenText } from './lexer.ts';

/** Thrown inside a rule when the structured model does not cover what follows. */
export class Unstructured extends Error {
  constructor(
    readonly token: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when an expression nests deeper than nft takes (model/nesting.ts): an
 * error in the input, not text to keep for nft to check. It is an Unstructured,
 * so every place that reports those as errors (typeof, set elements) reports it.
 */
export class TooDeep extends Unstructured {}

export class Cursor {
  p: number;
  /** parentheses open around the expression being parsed (bounds the parser's recursion) */
  parens = 0;
  /** sets inside sets being read (`{ { 1.1.1.0 }, 2.2.2.0 }`), bounded like the parentheses */
  nestedSets = 0;
  constructor(
    readonly ts: TokenStream,
    start: number,
    readonly end: number,
  ) {
    this.p = start;
    this.skip();
  }

  private skip(): void {
    const kind = this.ts.kind;
    while (this.p < this.end && kind[this.p] === Tok.Newline) this.p++;
  }

  /** token index `o` tokens ahead (newlines skipped), or `end` */
  at(o = 0): number {
    let p = this.p;
    const kind = this.ts.kind;
    for (let i = 0; i < o && p < this.end; i++) {
      p++;
      while (p < this.end && kind[p] === Tok.Newline) p++;
    }
    return p;
  }

  k(o = 0): Tok {
    const p = o === 0 ? this.p : this.at(o);
    return p < this.end ? (this.ts.kind[p] as Tok) : Tok.EOF;
  }

  t(o = 0): string {
    const p = o === 0 ? this.p : this.at(o);
    return p < this.end ? tokenText(this.ts, p) : '';
  }

  /** the word at `o`, or '' if that token is not a word */
  w(o = 0): string {
    const p = o === 0 ? this.p : this.at(o);
    return p < this.end && this.ts.kind[p] === Tok.Word ? tokenText(this.ts, p) : '';
  }

  /** is the token at `o` the word `word`? (compares in place, no string made) */
  is(word: string, o = 0): boolean {
    const p = o === 0 ? this.p : this.at(o);
    if (p >= this.end || this.ts.kind[p] !== Tok.Word) return false;
    const s = this.ts.start[p];
    return this.ts.end[p] - s === word.length && this.ts.src.startsWith(word, s);
  }

  done(): boolean {
    return this.p >= this.end;
  }

  next(): void {
    if (this.p < this.end) {
      this.p++;
      this.skip();
    }
  }

  /** consume and return the current token's text */
  take(): string {
    const s = this.t();
    this.next();
    return s;
  }

  eat(word: string): boolean {
    if (this.is(word)) {
      this.next();
      return true;
    }
    return false;
  }

  eatKind(k: Tok): boolean {
    if (this.k() === k) {
      this.next();
      return true;
    }
    return false;
  }

  /** true when the two tokens touch (no white space between them) */
  adjacent(o = 0): boolean {
    const a = this.at(o);
    const b = this.at(o + 1);
    return b < this.end && this.ts.end[a] === this.ts.start[b];
  }

  fail(message: string): never {
    throw new Unstructured(this.p, message);
  }

  tooDeep(message: string): never {
    throw new TooDeep(this.p, message);
  }

  expectWord(what: string): string {
    if (this.k() !== Tok.Word) this.fail(`expected ${what}`);
    return this.take();
  }

  expectKind(k: Tok, what: string): void {
    if (this.k() !== k) this.fail(`expected ${what}`);
    this.next();
  }

  /** a number (decimal or hex) */
  expectNumber(what: string): number {
    const s = this.w();
    if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(s)) this.fail(`expected ${what}`);
    this.next();
    return Number(s);
  }

  /** a string: quoted ("…", returned without quotes) or a single word */
  expectString(what: string): string {
    if (this.k() === Tok.String) {
      const s = this.t();
      this.next();
      return s.slice(1, -1);
    }
    if (this.k() === Tok.Word) return this.take();
    this.fail(`expected ${what}`);
  }
}
