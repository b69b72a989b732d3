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

export function describeJson(v: JsonValue | undefined): string {
  const s = JSON.stringify(v) ?? 'nothing';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
