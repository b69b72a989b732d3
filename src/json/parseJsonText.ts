/**
 * JSON.parse with a position on failure: V8's messages do not always say where
 * the text went wrong, so on a failure a small scanner finds the offset of the
 * first error, which becomes a `line:col` diagnostic. The scanner keeps its own
 * stack, so no nesting depth can overflow it.
 */
import type { JsonValue } from './jsonValue.ts';

export type JsonParse = { ok: true; value: JsonValue } | { ok: false; offset: number; message: string };

export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    const found = firstError(text);
    const message = found?.message ?? (e instanceof Error ? e.message : 'invalid JSON');
    return { ok: false, offset: found?.offset ?? 0, message };
  }
}

/** 1-based line and column (a tab counts as one column) of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING_RE = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

interface Found {
  offset: number;
  message: string;
}

/** The first syntax error of `text` as JSON (RFC 8259), or undefined if there is none. */
export function firstError(text: string): Found | undefined {
  let i = 0;
  // what the scanner expects next, per open container: 'value' | 'key' | 'colon' | 'comma'
  const stack: ('{' | '[')[] = [];
  let expect: 'value' | 'key' | 'colon' | 'after' | 'first-key' | 'first-value' = 'value';
  const fail = (message: string): Found => ({ offset: i, message });
  const skip = (): void => {
    while (i < text.length && WS.has(text[i])) i++;
  };
  for (;;) {
    skip();
    if (i >= text.length) {
      if (stack.length || expect !== 'after') return fail('unexpected end of the text');
      return undefined;
    }
    const ch = text[i];
    if (expect === 'after') {
      const top = stack[stack.length - 1];
      if (!top) return fail(`unexpected ${describe(ch)} after the end of the document`);
      if (ch === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
      } else if ((ch === '}' && top === '{') || (ch === ']' && top === '[')) {
        i++;
        stack.pop();
        expect = 'after';
      } else return fail(`expected "," or "${top === '{' ? '}' : ']'}", found ${describe(ch)}`);
      continue;
    }
    if (expect === 'colon') {
      if (ch !== ':') return fail(`expected ":", found ${describe(ch)}`);
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'key' || expect === 'first-key') {
      if (ch === '}' && expect === 'first-key') {
        i++;
        stack.pop();
        expect = 'after';
        continue;
      }
      if (ch !== '"') return fail(`expected a property name in double quotes, found ${describe(ch)}`);
      if (!scan(STRING_RE)) return fail('invalid string');
      expect = 'colon';
      continue;
    }
    // a value
    if (ch === ']' && expect === 'first-value') {
      i++;
      stack.pop();
      expect = 'after';
    } else if (ch === '{') {
      i++;
      stack.push('{');
      expect = 'first-key';
    } else if (ch === '[') {
      i++;
      stack.push('[');
      expect = 'first-value';
    } else if (ch === '"') {
      if (!scan(STRING_RE)) return fail('invalid string (unescaped control character, bad escape or no closing quote)');
      expect = 'after';
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      if (!scan(NUMBER_RE)) return fail('invalid number');
      expect = 'after';
    } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
      i += 4;
      expect = 'after';
    } else if (text.startsWith('false', i)) {
      i += 5;
      expect = 'after';
    } else return fail(`unexpected ${describe(ch)}`);
  }

  function scan(re: RegExp): boolean {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  }
}

function describe(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `"${ch}"`;
}
