/**
 * One module per named-object type (`counter NAME { … }`, `ct helper NAME { … }`,
 * `synproxy NAME { … }` …), as src/stmts/ has one per statement kind: the body's
 * parser, its listing per nft version, and its JSON out and in. The registry
 * (registry.ts) is typed over every ObjectType, so a type without a module fails
 * tsc; the text reader, the emitter and both JSON directions call it.
 */
import type { Family, NamedObject, ObjectType } from '../model/types.ts';
import type { Cursor } from '../parse/cursor.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import type { LossLog } from '../json/losses.ts';

export type ObjectOf<T extends ObjectType> = Extract<NamedObject, { type: T }>;
/** What a module's parser and JSON reader fill in: the object without id, name, type and comment. */
export type ObjectBody<T extends ObjectType> = Omit<ObjectOf<T>, 'id' | 'name' | 'type' | 'comment' | 'hashComments'>;

export interface ObjectParseContext {
  name: string;
  /** the token at `p`, in words, for messages ("unexpected \"foo\" in counter c") */
  describe(p: number): string;
  /** skip `;` separators and read a `comment "…"` line */
  sep(): void;
}

export interface ObjModule<T extends ObjectType> {
  readonly type: T;
  /** Read the body between `{` and `}` (the comment line is read by ctx.sep); throws Unstructured (c.fail). */
  parse(c: Cursor, ctx: ObjectParseContext): ObjectBody<T>;
  /** The body's lines as nft lists them for `target`, without indentation (the comment line is the emitter's). */
  lines(o: ObjectOf<T>, family: Family, target: ListingTarget): string[];
  /** Fill in the JSON object's own fields (family, table, name and comment are set); throws CannotCarry where the target's JSON cannot. */
  toJson(o: ObjectOf<T>, j: JsonObject, loss: LossLog): void;
  /** Read the JSON object's own fields (throws Unconvertible via fail). */
  fromJson(o: JsonObject): ObjectBody<T>;
}

/** The layer 3 protocol nft lists for a ct object without one: the table's family. */
export function defaultL3(family: Family): string {
  return family === 'ip6' ? 'ip6' : family === 'inet' ? 'inet' : 'ip';
}
