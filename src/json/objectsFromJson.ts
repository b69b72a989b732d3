/**
 * JSON named objects, sets/maps and flowtables → model nodes. Every field is
 * type-checked; what is missing or malformed is Unconvertible and reported on
 * the item.
 */
import type { Flowtable, NamedObject, ObjectType, SetDecl, SetKeySpec } from '../model/types.ts';
import { objectFieldsFromJson } from '../objects/registry.ts';
import { newId } from '../model/ids.ts';
import { exprType, formatDurationMs, type DataType } from '../knowledge/datatypes.ts';
import { deviceNameProblem } from '../knowledge/names.ts';
import type { Family } from '../model/types.ts';
import { isArray, isObject, type JsonObject, type JsonValue } from './jsonValue.ts';
import { elementFromJson, selectorFromJson, type FromTyping } from './exprFromJson.ts';
import type { Expr } from '../model/expr.ts';
import { nftTypeName } from './setsToJson.ts';
import { bool, describeJson, fail, int, str, strings, word } from './readJson.ts';
import { elementStatementFromJson } from './stmtFromJson.ts';
import { MAX_ELEMENT_STATEMENTS, freshStatements } from '../stmts/elementStmts.ts';
import { priorityFromValue } from './priority.ts';
import { MAP_OBJECT_TYPES, SET_FLAGS, isOneOf } from '../knowledge/vocabulary.ts';

export type JsonObjectType = ObjectType;

function name(o: JsonObject, what: string): string {
  return str(o, 'name') ?? fail(`${what} needs a name`);
}

export function objectFromJson(type: ObjectType, o: JsonObject): NamedObject {
  const x = { id: newId('o'), name: name(o, type), type, ...objectFieldsFromJson(type, o) } as NamedObject;
  const comment = str(o, 'comment');
  if (comment !== undefined) x.comment = comment;
  return x;
}

const OBJECT_DATA: ReadonlySet<string> = new Set(MAP_OBJECT_TYPES);

/** `"ipv4_addr"`, `["ipv4_addr", "inet_service"]`, or 1.0.6's map data `"ipv4_addr . inet_service"`. */
function typeList(v: JsonValue | undefined, what: string): string[] {
  const list = strings(v);
  if (!list || list.length === 0) fail(`${what} must be a type name or a list of them: ${describeJson(v)}`);
  return list.flatMap((t) => t.split(' . ')).map((t) => word(t, 'type'));
}

/** `{"typeof": expr}` (nft 1.1's JSON), as the selectors it declares; undefined for a type. */
function typeofFromJson(v: JsonValue | undefined, what: string): Expr[] | undefined {
  if (!isObject(v) || !('typeof' in v)) return undefined;
  const e = selectorFromJson(v.typeof ?? fail(`${what}: typeof needs an expression`));
  return e.kind === 'concat' ? e.items : [e];
}

/** A key or data declaration: its spec, and the type names its elements are read with. */
function keySpecFromJson(v: JsonValue | undefined, what: string): { spec: SetKeySpec; types: string[] } {
  const exprs = typeofFromJson(v, what);
  if (!exprs) {
    const types = typeList(v, what);
    return { spec: { mode: 'type', types }, types };
  }
  return { spec: { mode: 'typeof', exprs }, types: exprs.map((e) => nftTypeName(exprType(e)) ?? 'integer') };
}

export function setFromJson(kind: 'set' | 'map', o: JsonObject, family: Family): SetDecl {
  const key = keySpecFromJson(o.type, `${kind} type`);
  const keyTypes = key.types;
  const s: SetDecl = { id: newId('s'), kind, name: name(o, kind), key: key.spec, flags: [], elements: [] };
  let data: FromTyping['data'];
  if (kind === 'map') {
    const d = keySpecFromJson(o.map, 'map data type');
    const dataTypes = d.types;
    s.data = d.spec;
    data = dataTypes[0] === 'verdict' ? { kind: 'verdict' } : OBJECT_DATA.has(dataTypes[0]) ? { kind: 'object' } : { kind: 'values', types: dataTypes as DataType[] };
  }
  if (o.flags !== undefined) {
    const flags = strings(o.flags) ?? fail(`${kind} flags must be strings`);
    for (const f of flags) if (!isOneOf(SET_FLAGS, f)) fail(`unknown ${kind} flag "${f.slice(0, 20)}"`);
    s.flags = [...new Set(flags)];
  }
  const timeout = int(o, 'timeout');
  const gc = int(o, 'gc-interval');
  const size = int(o, 'size');
  const policy = str(o, 'policy');
  const comment = str(o, 'comment');
  // set timeouts are in seconds in JSON
  if (timeout !== undefined) s.timeout = formatDurationMs(timeout * 1000);
  if (gc !== undefined) s.gcInterval = formatDurationMs(gc * 1000);
  if (size !== undefined) s.size = size;
  if (policy !== undefined) {
    if (policy !== 'performance' && policy !== 'memory') fail(`unknown set policy "${policy.slice(0, 20)}"`);
    s.policy = policy;
  }
  if (comment !== undefined) s.comment = comment;
  if (bool(o, 'auto-merge')) s.autoMerge = true;
  if (o.stmt !== undefined) {
    if (!isArray(o.stmt)) fail(`${kind} stmt must be an array`);
    if (o.stmt.length > MAX_ELEMENT_STATEMENTS) fail(`${kind} ${s.name}: at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
    const stmts = o.stmt.map((x) => elementStatementFromJson(x, family));
    if (stmts.length) s.stmts = stmts;
  }
  if (o.elem !== undefined) s.elements = elementsFromJson(o.elem, { types: keyTypes as DataType[], data });
  // nft's JSON writes interval map data as a plain type: ranges or prefixes in the data say it
  const ranged = (e: Expr | undefined): boolean => e !== undefined && (e.kind === 'range' || e.kind === 'prefix' || (e.kind === 'concat' && e.items.some(ranged)));
  if (s.data && s.elements.some((el) => ranged(el.value))) s.data.interval = true;
  completeElementStatements(s);
  return s;
}

/**
 * nft's JSON lists only the first statement of an element (`{"elem": {"val": …,
 * "counter": …}}`, 1.0.6 and 1.1.3): the others are the set's, with their state
 * lost; they are taken from its template.
 */
export function completeElementStatements(s: SetDecl): void {
  const template = s.stmts;
  if (!template?.length) return;
  for (const el of s.elements) {
    if (!el.stmts?.length || el.stmts.length >= template.length) continue;
    el.stmts = [...el.stmts, ...freshStatements(template.slice(el.stmts.length))];
  }
}

/** The typing of a declared set's elements, for `element` items added later. */
export function setTyping(s: SetDecl): FromTyping {
  const specTypes = (k: SetKeySpec): string[] => (k.mode === 'type' ? k.types : k.exprs.map((e) => nftTypeName(exprType(e)) ?? 'integer'));
  const types = specTypes(s.key) as DataType[];
  const d = s.data ? specTypes(s.data) : undefined;
  if (!d) return { types };
  if (d[0] === 'verdict') return { types, data: { kind: 'verdict' } };
  if (OBJECT_DATA.has(d[0])) return { types, data: { kind: 'object' } };
  return { types, data: { kind: 'values', types: d as DataType[] } };
}

export function elementsFromJson(v: JsonValue, typing: FromTyping): SetDecl['elements'] {
  const items = isArray(v) ? v : [v];
  return items.map((x) => elementFromJson(x, typing, 0));
}

export function flowtableFromJson(o: JsonObject, family: Family): Flowtable {
  const hook = str(o, 'hook');
  if (hook !== 'ingress') fail('a flowtable hooks into ingress');
  const prio = int(o, 'prio') ?? fail('flowtable needs an integer prio');
  const ftName = name(o, 'flowtable');
  const devices = o.dev === undefined ? [] : (strings(o.dev) ?? fail(`flowtable ${ftName}: dev must be names`));
  // written bare in `devices = { … }`: anything but a plain device name could become nft syntax
  for (const d of devices) {
    const problem = deviceNameProblem(d);
    if (problem !== undefined) fail(`flowtable ${ftName}: ${problem}`);
  }
  return { id: newId('f'), name: ftName, hook, priority: priorityFromValue(family, 'ingress', prio), devices };
}
