/**
 * The nft tokenizer: one pass over the text, no backtracking, tokens stored as
 * parallel typed arrays (kind, start, end) so that a 50k-rule file costs a few
 * allocations instead of millions. It follows nft 1.0.6's scanner.l where it
 * matters for splitting: words may contain `/ - _ .` after a first letter, `_` or
 * `.`; IPv4/IPv6/MAC addresses, time strings (`1h30m`), hex numbers and classids
 * (`1:2`) are single tokens; `"…"` has no escapes; `#` comments run to the end of
 * the line; a backslash before a newline joins lines.
 *
 * `#` comments are not tokens (nothing that reads tokens ever meets one): their
 * offsets are kept on the side, in `commentStart`/`commentEnd`, in file order,
 * for the parser to attach them to the nodes they belong to.
 */

export const enum Tok {
  EOF = 0,
  Newline = 1,
  Word = 2,
  String = 3,
  LBrace = 4,
  RBrace = 5,
  LParen = 6,
  RParen = 7,
  LBracket = 8,
  RBracket = 9,
  Comma = 10,
  Semi = 11,
  Colon = 12,
  Eq = 13, // =
  EqEq = 14,
  Neq = 15,
  Lt = 16,
  Gt = 17,
  Le = 18,
  Ge = 19,
  At = 20,
  Dollar = 21,
  Dot = 22,
  Slash = 23,
  Dash = 24,
  Bang = 25,
  Amp = 26,
  Pipe = 27,
  Caret = 28,
  Shl = 29,
  Shr = 30,
  Star = 31,
  Plus = 32,
  /** an unterminated string or a character nft does not know */
  Junk = 33,
}

export interface TokenStream {
  src: string;
  count: number;
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  /** token texts, made on first use */
  texts: (string | undefined)[];
  /** offsets of the `#` comments (from the `#` to the end of its line, trailing blanks left out), in file order */
  commentStart: number[];
  commentEnd: number[];
}

/** The text of token i (cached: the parser looks at most tokens more than once). */
export function tokenText(ts: TokenStream, i: number): string {
  let t = ts.texts[i];
  if (t === undefined) {
    t = ts.src.slice(ts.start[i], ts.end[i]);
    ts.texts[i] = t;
  }
  return t;
}

const C_NL = 10;
const C_CR = 13;
const C_SP = 32;
const C_TAB = 9;

// Character classes as a lookup table.
const WORD_START = new Uint8Array(128);
const WORD_CHAR = new Uint8Array(128);
const DIGIT = new Uint8Array(128);
const HEX = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const letter = /[A-Za-z]/.test(ch);
  const digit = /[0-9]/.test(ch);
  WORD_START[c] = letter || ch === '_' || ch === '.' ? 1 : 0;
  WORD_CHAR[c] = letter || digit || ch === '/' || ch === '-' || ch === '_' || ch === '.' ? 1 : 0;
  DIGIT[c] = digit ? 1 : 0;
  HEX[c] = /[0-9A-Fa-f]/.test(ch) ? 1 : 0;
}

const PUNCT: Record<string, Tok> = {
  '{': Tok.LBrace,
  '}': Tok.RBrace,
  '(': Tok.LParen,
  ')': Tok.RParen,
  ']': Tok.RBracket,
  ',': Tok.Comma,
  ';': Tok.Semi,
  ':': Tok.Colon,
  '@': Tok.At,
  $: Tok.Dollar,
  '.': Tok.Dot,
  '/': Tok.Slash,
  '-': Tok.Dash,
  '&': Tok.Amp,
  '|': Tok.Pipe,
  '^': Tok.Caret,
  '*': Tok.Star,
  '+': Tok.Plus,
};

export function tokenize(src: string): TokenStream {
  let cap = Math.max(64, (src.length >> 2) + 16);
  let kind = new Uint8Array(cap);
  let start = new Uint32Array(cap);
  let end = new Uint32Array(cap);
  let n = 0;
  const len = src.length;
  const commentStart: number[] = [];
  const commentEnd: number[] = [];

  const push = (k: Tok, s: number, e: number): void => {
    if (n === cap) {
      cap *= 2;
      const k2 = new Uint8Array(cap);
      k2.set(kind);
      kind = k2;
      const s2 = new Uint32Array(cap);
      s2.set(start);
      start = s2;
      const e2 = new Uint32Array(cap);
      e2.set(end);
      end = e2;
    }
    kind[n] = k;
    start[n] = s;
    end[n] = e;
    n++;
  };

  let i = 0;
  while (i < len) {
    const c = src.charCodeAt(i);
    if (c === C_SP || c === C_TAB) {
      i++;
      continue;
    }
    if (c === C_NL) {
      push(Tok.Newline, i, i + 1);
      i++;
      continue;
    }
    if (c === C_CR) {
      if (src.charCodeAt(i + 1) === C_NL) {
        push(Tok.Newline, i, i + 2);
        i += 2;
      } else i++;
      continue;
    }
    if (c < 128 && WORD_START[c] === 1) {
      // A lone "." (with no word character after it) is the concatenation operator.
      if (c === 46 && !(i + 1 < len && isWordChar(src.charCodeAt(i + 1)))) {
        push(Tok.Dot, i, i + 1);
        i++;
        continue;
      }
      const e = scanWordLike(src, i, len);
      push(Tok.Word, i, e);
      i = e;
      continue;
    }
    if (c < 128 && DIGIT[c] === 1) {
      const e = scanNumberLike(src, i, len);
      push(Tok.Word, i, e);
      i = e;
      continue;
    }
    switch (c) {
      case 34: {
        // "…": no escapes; may span lines (nft accepts that, we report it elsewhere).
        const close = src.indexOf('"', i + 1);
        if (close < 0) {
          push(Tok.Junk, i, len);
          i = len;
        } else {
          push(Tok.String, i, close + 1);
          i = close + 1;
        }
        continue;
      }
      case 35: {
        // # comment to end of line (the newline itself stays a token)
        let j = i + 1;
        while (j < len && src.charCodeAt(j) !== C_NL && src.charCodeAt(j) !== C_CR) j++;
        let e = j;
        while (e > i + 1 && (src.charCodeAt(e - 1) === C_SP || src.charCodeAt(e - 1) === C_TAB)) e--;
        commentStart.push(i);
        commentEnd.push(e);
        i = j;
        continue;
      }
      case 92: {
        // backslash-newline joins lines
        let j = i + 1;
        while (j < len && (src.charCodeAt(j) === C_SP || src.charCodeAt(j) === C_TAB)) j++;
        if (src.charCodeAt(j) === C_NL) {
          i = j + 1;
          continue;
        }
        if (src.charCodeAt(j) === C_CR && src.charCodeAt(j + 1) === C_NL) {
          i = j + 2;
          continue;
        }
        push(Tok.Junk, i, i + 1);
        i++;
        continue;
      }
      case 91: {
        // [ipv6] (RFC 2732) or a plain bracket
        const close = src.indexOf(']', i + 1);
        if (close > 0 && close - i < 48 && isIp6(src.slice(i + 1, close))) {
          push(Tok.Word, i, close + 1);
          i = close + 1;
        } else {
          push(Tok.LBracket, i, i + 1);
          i++;
        }
        continue;
      }
      case 61: // =
        if (src.charCodeAt(i + 1) === 61) {
          push(Tok.EqEq, i, i + 2);
          i += 2;
        } else {
          push(Tok.Eq, i, i + 1);
          i++;
        }
        continue;
      case 33: // !
        if (src.charCodeAt(i + 1) === 61) {
          push(Tok.Neq, i, i + 2);
          i += 2;
        } else {
          push(Tok.Bang, i, i + 1);
          i++;
        }
        continue;
      case 60: // <
        if (src.charCodeAt(i + 1) === 61) {
          push(Tok.Le, i, i + 2);
          i += 2;
        } else if (src.charCodeAt(i + 1) === 60) {
          push(Tok.Shl, i, i + 2);
          i += 2;
        } else {
          push(Tok.Lt, i, i + 1);
          i++;
        }
        continue;
      case 62: // >
        if (src.charCodeAt(i + 1) === 61) {
          push(Tok.Ge, i, i + 2);
          i += 2;
        } else if (src.charCodeAt(i + 1) === 62) {
          push(Tok.Shr, i, i + 2);
          i += 2;
        } else {
          push(Tok.Gt, i, i + 1);
          i++;
        }
        continue;
      case 58: {
        // ":" — or an IPv6 address starting with "::"
        if (src.charCodeAt(i + 1) === 58) {
          const e = scanIp6(src, i, len);
          if (e > i + 2 || isIp6(src.slice(i, e))) {
            push(Tok.Word, i, e);
            i = e;
            continue;
          }
        }
        push(Tok.Colon, i, i + 1);
        i++;
        continue;
      }
      default: {
        const p = PUNCT[src[i]];
        if (p !== undefined) push(p, i, i + 1);
        else push(Tok.Junk, i, i + 1);
        i++;
      }
    }
  }
  push(Tok.EOF, len, len);
  return { src, count: n, kind, start, end, texts: new Array<string | undefined>(n), commentStart, commentEnd };
}

function isWordChar(c: number): boolean {
  return c < 128 && WORD_CHAR[c] === 1;
}

/** A word starting with a letter, `_` or `.`; may also be an IPv6/MAC address (`fe80::1`, `aa:bb:…`) or `eth*`. */
function scanWordLike(src: string, i: number, len: number): number {
  let e = i + 1;
  while (e < len) {
    const c = src.charCodeAt(e);
    if (c < 128 && WORD_CHAR[c] === 1) e++;
    else break;
  }
  const c = src.charCodeAt(e);
  if (c === 58 /* : */ && HEX[src.charCodeAt(i)] === 1) {
    const a = scanAddress(src, i, len);
    if (a > e) return a;
  } else if (c === 42 /* * */) {
    return e + 1; // asterisk string: eth*
  }
  return e;
}

/**
 * A token starting with a digit: decimal, hex, IPv4, IPv6, MAC, time string
 * (`1d2h3m4s`, `10ms`), classid (`1:2`) or a word like `8021q`.
 */
function scanNumberLike(src: string, i: number, len: number): number {
  let e = i;
  while (e < len && DIGIT[src.charCodeAt(e)] === 1) e++;
  const c = e < len ? src.charCodeAt(e) : 0;
  // Fast path: a plain decimal number.
  if (!(c < 128 && (WORD_CHAR[c] === 1 || c === 58)) || c === 45 /* - */ || c === 47 /* / */) return e;
  if (c === 46 /* . */) {
    // IPv4 (d.d.d.d), possibly the start of an IPv4-mapped IPv6 is not handled: nft needs ::ffff:
    const m = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/y;
    m.lastIndex = i;
    if (m.test(src)) return m.lastIndex;
    return e;
  }
  if ((c === 120 || c === 88) && e === i + 1 && src.charCodeAt(i) === 48) {
    // 0x…
    let j = e + 1;
    while (j < len && HEX[src.charCodeAt(j)] === 1) j++;
    return j > e + 1 ? j : e;
  }
  if (c === 58 /* : */ || HEX[c] === 1) {
    const a = scanAddress(src, i, len);
    if (a > e) return a;
  }
  // time string: ([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?
  const t = /(?:\d+d)?(?:\d+h)?(?:\d+m(?!s))?(?:\d+s)?(?:\d+ms)?/y;
  t.lastIndex = i;
  if (t.test(src) && t.lastIndex > e && !isWordChar(src.charCodeAt(t.lastIndex))) return t.lastIndex;
  // otherwise a word made of word characters (e.g. 8021q, or junk nft will report)
  let j = e;
  while (j < len && isWordChar(src.charCodeAt(j)) && src.charCodeAt(j) !== 45 && src.charCodeAt(j) !== 47) j++;
  return j;
}

/** Longest MAC, IPv6 or classid at i; returns i if none. */
function scanAddress(src: string, i: number, len: number): number {
  const mac = /[0-9A-Fa-f]{1,2}(?::[0-9A-Fa-f]{1,2}){5}(?![0-9A-Fa-f:])/y;
  mac.lastIndex = i;
  let best = i;
  if (mac.test(src)) best = mac.lastIndex;
  const e6 = scanIp6(src, i, len);
  if (e6 > best && isIp6(src.slice(i, e6))) best = e6;
  if (best > i) return best;
  // classid hex{1,4}:hex{1,4} followed by space, tab, newline, ":", "-", "}" or ","
  const cls = /[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}(?=[ \t\r\n:\-},]|$)/y;
  cls.lastIndex = i;
  if (cls.test(src)) return cls.lastIndex;
  return i;
}

function scanIp6(src: string, i: number, len: number): number {
  let e = i;
  while (e < len) {
    const c = src.charCodeAt(e);
    if (HEX[c] === 1 || c === 58 || c === 46) e++;
    else break;
  }
  // The longest address at i, as nft's scanner reads it: `::dddd: drop` is `::dddd`, `:`,
  // `drop`; `aaaa:::accept` is `aaaa::`, `:`, `accept`.
  while (e > i && !isIp6(src.slice(i, e))) {
    if (src.charCodeAt(e - 1) === 58 && e - 1 > i) {
      e--; // a trailing ':' is the map's colon
      continue;
    }
    // shrink to the last ':' boundary
    const k = src.lastIndexOf(':', e - 1);
    if (k <= i) break;
    e = k;
  }
  return e;
}

export function isIp6(s: string): boolean {
  if (s.length < 2 || s.indexOf(':') < 0) return false;
  let body = s;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  let groupsFromV4 = 0;
  if (tail.includes('.')) {
    if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(tail)) return false;
    body = s.slice(0, lastColon + 1) + '0';
    groupsFromV4 = 1;
  }
  const dbl = body.indexOf('::');
  if (dbl >= 0 && body.indexOf('::', dbl + 1) >= 0) return false;
  // a single ':' at either end is not part of an address (`::dddd:` is `::dddd` and a colon)
  if ((body.charCodeAt(0) === 58 && dbl !== 0) || (body.charCodeAt(body.length - 1) === 58 && dbl !== body.length - 2)) return false;
  const parts = body.split(':');
  if (dbl >= 0) {
    const nonEmpty = parts.filter((p) => p !== '');
    if (!nonEmpty.every((p) => /^[0-9A-Fa-f]{1,4}$/.test(p))) return false;
    return nonEmpty.length + groupsFromV4 <= 7;
  }
  return parts.length + groupsFromV4 === 8 && parts.every((p) => /^[0-9A-Fa-f]{1,4}$/.test(p));
}

/** Line and column (1-based; a tab counts as one column, like nft) of an offset. */
export class LineIndex {
  private readonly starts: number[];
  constructor(src: string) {
    const starts = [0];
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }
  position(offset: number): { line: number; col: number } {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - s[lo] + 1 };
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }
  get lineCount(): number {
    return this.starts.length;
  }
}
