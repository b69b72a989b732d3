/**
 * The real grammar of names and comments in nft 1.0.6 text. Names cannot be
 * quoted, so anything outside this grammar — and every keyword — could only be
 * written through JSON, and the text listing would then be unloadable. Comments
 * are quoted strings without any escape: a `"` or a newline would end or break
 * them, which is how a comment could smuggle extra commands into a script.
 */
import { NFT_KEYWORDS } from './keywords.ts';

/** scanner.l: `string ({letter}|[_.])({letter}|{digit}|[/\-_\.])*` */
export const IDENTIFIER_RE = /^[A-Za-z_.][A-Za-z0-9/_.-]*$/;
export const NAME_MAX_BYTES = 255;
export const COMMENT_MAX_BYTES = 128;

const utf8 = new TextEncoder();
export function byteLength(s: string): number {
  // Fast path: pure ASCII.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? s.length : utf8.encode(s).length;
}

export type NameProblem =
  | { code: 'empty'; message: string }
  | { code: 'syntax'; message: string }
  | { code: 'keyword'; message: string }
  | { code: 'length'; message: string };

/** Why `name` cannot be written as an nft identifier, or undefined if it can. */
export function nameProblem(name: string, what = 'name'): NameProblem | undefined {
  if (name.length === 0) return { code: 'empty', message: `the ${what} is empty` };
  if (!IDENTIFIER_RE.test(name)) {
    const bad = [...name].find((ch, i) => (i === 0 ? !/[A-Za-z_.]/.test(ch) : !/[A-Za-z0-9/_.-]/.test(ch)));
    const first = /[A-Za-z_.]/.test(name[0] ?? '');
    return {
      code: 'syntax',
      message: first
        ? `the ${what} "${printable(name)}" contains ${describeChar(bad ?? '')}; a ${what} may only contain letters, digits and / - _ .`
        : `the ${what} "${printable(name)}" must start with a letter, "_" or "."`,
    };
  }
  // a lone "." is nft's concatenation operator, not a name (checked on nft 1.0.6; ".." reads as a name)
  if (name === '.') return { code: 'syntax', message: `"." alone cannot be a ${what}: nft reads it as the concatenation operator` };
  if (NFT_KEYWORDS.has(name)) {
    return { code: 'keyword', message: `"${name}" is an nft keyword and cannot be used as a ${what} (names cannot be quoted)` };
  }
  if (byteLength(name) > NAME_MAX_BYTES) {
    return { code: 'length', message: `the ${what} is ${byteLength(name)} bytes long; the kernel allows at most ${NAME_MAX_BYTES}` };
  }
  return undefined;
}

export type CommentProblem = { code: 'quote' | 'control' | 'length'; message: string };

export function commentProblem(comment: string): CommentProblem | undefined {
  if (comment.includes('"')) {
    return { code: 'quote', message: 'a comment cannot contain a double quote ("): nft strings have no escape, the quote would end the comment' };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(comment)) {
    return { code: 'control', message: 'a comment cannot contain a newline, tab or other control character' };
  }
  const n = byteLength(comment);
  if (n > COMMENT_MAX_BYTES) {
    return { code: 'length', message: `the comment is ${n} bytes long; nft allows at most ${COMMENT_MAX_BYTES} bytes (UTF-8)` };
  }
  return undefined;
}

/** A quoted-string value other than a comment (log prefix, ifname, helper type). */
export function quotedStringProblem(s: string, what: string): string | undefined {
  if (s.includes('"')) return `the ${what} cannot contain a double quote (")`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) return `the ${what} cannot contain a newline or other control character`;
  return undefined;
}

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '"') return 'a double quote';
  if (ch === '\n') return 'a newline';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).padStart(4, '0').toUpperCase()})`;
  return `"${ch}"`;
}

/** Show a name inside a message without letting it break the message's own line. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** Linux IFNAMSIZ is 16 bytes including the terminating NUL. */
export const IFNAME_MAX_BYTES = 15;

/**
 * Why `s` cannot be a network device name, or undefined if it can. The kernel's
 * dev_valid_name() refuses "", ".", "..", names of 16 bytes or more and any "/",
 * ":" or whitespace; on top of that a device name is written bare in a
 * `devices = { … }` list, so nothing that nft reads as punctuation or a comment
 * may appear in it. A trailing "*" (a wildcard on newer kernels) is kept.
 */
export function deviceNameProblem(s: string, what = 'device name'): string | undefined {
  if (s.length === 0) return `the ${what} is empty`;
  if (s === '.' || s === '..') return `"${s}" is not a valid ${what}`;
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0020\u007f\s/:"'{}();#,\\$=<>![\]|&@`]/u.exec(s);
  if (bad) return `the ${what} "${printable(s)}" contains ${describeChar(bad[0])}; a device name is one word like eth0 or br-lan`;
  if (s === '*') return `"*" alone is not a ${what}; a wildcard needs a prefix, like eth*`;
  const star = s.indexOf('*');
  if (star !== -1 && star !== s.length - 1) return `the ${what} "${printable(s)}" may only have a "*" at its end`;
  const n = byteLength(s);
  if (n > IFNAME_MAX_BYTES) return `the ${what} "${printable(s)}" is ${n} bytes long; Linux allows at most ${IFNAME_MAX_BYTES}`;
  return undefined;
}
