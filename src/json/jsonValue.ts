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

/** `{"nftables": [...]}` on one line, with nft's own separators. */
export function stringifyLikeNft(v: JsonValue): string {
  const out: string[] = [];
  write(v, out);
  return out.join('');
}

function write(v: JsonValue, out: string[]): void {
  if (v === null || typeof v !== 'object') {
    out.push(JSON.stringify(v));
    return;
  }
  if (Array.isArray(v)) {
    out.push('[');
    v.forEach((x, i) => {
      if (i) out.push(', ');
      write(x, out);
    });
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const k of Object.keys(v)) {
    if (!first) out.push(', ');
    first = false;
    out.push(JSON.stringify(k), ': ');
    write(v[k], out);
  }
  out.push('}');
}
