/**
 * Reading untrusted JSON field by field: every accessor checks the type of what
 * it reads and answers undefined otherwise, and `Unconvertible` carries the
 * reason a JSON expression or statement has no model form up to the item that
 * reports it.
 */
import { isArray, isObject, singleKey, type JsonObject, type JsonValue } from './jsonValue.ts';

export class Unconvertible extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unconvertible';
  }
}

export function fail(message: string): never {
  throw new Unconvertible(message);
}

export function str(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** A whole number JSON can hold exactly (nft's fields are integers). */
export function int(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

export function bool(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function obj(o: JsonObject, key: string): JsonObject | undefined {
  const v = o[key];
  return isObject(v) ? v : undefined;
}

export function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** A string, or an array of strings (nft writes one flag as a string, several as an array). */
export function strings(v: JsonValue | undefined): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

/** `{"kind": body}`: the kind and body of a JSON expression or statement. */
export function tagged(v: JsonValue): [string, JsonValue] | undefined {
  return isObject(v) ? singleKey(v) : undefined;
}

/** Text built from JSON words must stay one nft token. */
export function word(v: string, what: string): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(v)) fail(`${what} "${v.slice(0, 40)}" is not a keyword`);
  return v;
}

/**
 * A short preview of a JSON value for a message. It reads only as much as it
 * shows, so a huge or deeply nested value costs nothing (JSON.stringify would
 * walk all of it, and overflow the stack on deep nesting).
 */
export function describeJson(v: JsonValue | undefined): string {
  const out: string[] = [];
  let len = 0;
  const add = (s: string): boolean => {
    out.push(s);
    len += s.length;
    return len <= 60;
  };
  const walk = (x: JsonValue | undefined, depth: number): boolean => {
    if (depth > 20) return add('...');
    if (x === undefined) return add('nothing');
    if (x === null || typeof x !== 'object') return add(JSON.stringify(x).slice(0, 61));
    if (isArray(x)) {
      if (!add('[')) return false;
      for (let i = 0; i < x.length; i++) if ((i && !add(', ')) || !walk(x[i], depth + 1)) return false;
      return add(']');
    }
    if (!add('{')) return false;
    let first = true;
    for (const k of Object.keys(x)) {
      if ((!first && !add(', ')) || !add(`${JSON.stringify(k)}: `) || !walk(x[k], depth + 1)) return false;
      first = false;
    }
    return add('}');
  };
  walk(v, 0);
  const s = out.join('');
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Fail on a property we do not know: it could change what the statement does. */
export function only(body: JsonObject, keys: readonly string[], what: string): void {
  for (const k of Object.keys(body)) if (!keys.includes(k)) fail(`${what}: unknown property "${k.slice(0, 40)}"`);
}

export function objectBody(body: JsonValue, what: string): JsonObject {
  if (!isObject(body)) fail(`${what} needs an object: ${describeJson(body)}`);
  return body;
}
