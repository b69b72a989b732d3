/**
 * The named-object modules by type (one file each, module.ts): typed over every
 * ObjectType, so a type without a module fails tsc. The text reader
 * (parse/parser.ts), the emitter and the JSON writer and reader go through here.
 */
import type { Family, NamedObject, ObjectType } from '../model/types.ts';
import type { Cursor } from '../parse/cursor.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import type { LossLog } from '../json/losses.ts';
import type { ObjectBody, ObjectOf, ObjectParseContext, ObjModule } from './module.ts';
import { counter } from './counter.ts';
import { quota } from './quota.ts';
import { limit } from './limit.ts';
import { secmark } from './secmark.ts';
import { synproxy } from './synproxy.ts';
import { ctHelper } from './ctHelper.ts';
import { ctTimeout } from './ctTimeout.ts';
import { ctExpectation } from './ctExpectation.ts';

const MODULES: { readonly [T in ObjectType]: ObjModule<T> } = {
  counter,
  quota,
  limit,
  secmark,
  synproxy,
  'ct helper': ctHelper,
  'ct timeout': ctTimeout,
  'ct expectation': ctExpectation,
};

export function isObjectType(t: string): t is ObjectType {
  return Object.hasOwn(MODULES, t);
}

function of<T extends ObjectType>(type: T): ObjModule<T> {
  return MODULES[type] as unknown as ObjModule<T>;
}

/** Read the body of a `TYPE NAME { … }` block at the cursor into the object's own fields. */
export function parseObjectBody<T extends ObjectType>(type: T, c: Cursor, ctx: ObjectParseContext): ObjectBody<T> {
  return of(type).parse(c, ctx);
}

/** The body's lines as nft lists them (without indentation). */
export function objectBodyLines(o: NamedObject, family: Family, target: ListingTarget): string[] {
  return (of(o.type) as unknown as ObjModule<ObjectType>).lines(o as never, family, target);
}

/** Fill in the JSON object's own fields. */
export function objectJsonFields(o: NamedObject, j: JsonObject, loss: LossLog): void {
  (of(o.type) as unknown as ObjModule<ObjectType>).toJson(o as never, j, loss);
}

/** Read a JSON object's own fields. */
export function objectFieldsFromJson<T extends ObjectType>(type: T, o: JsonObject): ObjectBody<T> {
  return of(type).fromJson(o);
}

export type { ObjectOf };
