/**
 * JSON values as they come out of `JSON.parse`, with the guards fromJson needs to
 * read untrusted input field by field, and the writer that prints a document
 * the way `nft -j` does (one line, `", "` and `": "` separators).
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isArray(v: unknown): v is JsonValue[] {
  return Array.isArray(v);
}

/**
 * libnftables writes an expression or statement as an object with exactly one
 * property whose name is its kind (`{"payload": {…}}`); anything else is not one.
 */
export function singleKey(o: JsonObject): [string, JsonValue] | undefined {
  let found: [string, JsonValue] | undefined;
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    if (found) return undefined;
    found = [k, o[k]];
  }
  return found;
}

/**
 * `{"nftables": [...]}` on one line, with nft's own separators: JSON.stringify's
 * compact text with a space after every `,` and `:` outside strings. Done on the
 * UTF-8 bytes in one pass, because walking the document (or regular
 * expressions over the text) costs ten times JSON.stringify on large rulesets.
 */
export function stringifyLikeNft(v: JsonValue): string {
  const src = encoder.encode(JSON.stringify(v));
  const out = new Uint8Array(src.length * 2);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    out[o++] = c;
    if (c === QUOTE) {
      // copy the string as it is, escapes included
      for (i++; i < src.length; i++) {
        const d = src[i];
        out[o++] = d;
        if (d === BACKSLASH) out[o++] = src[++i];
        else if (d === QUOTE) break;
      }
    } else if (c === COMMA || c === COLON) out[o++] = SPACE;
  }
  return decoder.decode(out.subarray(0, o));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const SPACE = 32;
