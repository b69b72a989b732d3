/**
 * Named sets and maps → JSON `set` / `map` objects. What 1.0.6's JSON cannot
 * declare (typeof, the dynamic flag, auto-merge, comments, synproxy and
 * concatenated map data) is reported and left out; when the declaration itself
 * cannot be written (a typeof key whose type nft only accepts through typeof,
 * a map of synproxy objects) the whole set is left out.
 */
import { MAP_OBJECT_TYPES } from '../knowledge/vocabulary.ts';
import type { SetDecl, SetKeySpec, Table } from '../model/types.ts';
import { exprType, type DataType } from '../knowledge/datatypes.ts';
import type { JsonObject, JsonValue } from './jsonValue.ts';
import { elementsJson, seconds, selectorJson, type DataTyping } from './exprToJson.ts';
import { CannotCarry, LOSS, type LossLog } from './losses.ts';
import { stmtsJson } from './stmtToJson.ts';
import type { Variables } from './variables.ts';
import { isFreshFromTemplate } from '../stmts/elementStmts.ts';

export interface SetContext {
  table: Table;
  vars: Variables;
  loss: LossLog;
  /** sets that a rule of the table adds to or updates: nft makes those dynamic by itself */
  updated: ReadonlySet<string>;
}

const OBJECT_MAP_TYPES: ReadonlySet<string> = new Set(MAP_OBJECT_TYPES);
/** Types nft refuses as a set key without typeof ("unqualified type"). */
const UNQUALIFIED = new Set(['integer', 'string']);

/** nft's name of a datatype where it differs from the knowledge tables' one. */
export function nftTypeName(t: DataType | undefined): string | undefined {
  // (nft names the date of meta time "time", as the duration type)
  return t === 'nfproto' ? 'nf_proto' : t === 'date' ? 'time' : t;
}

/**
 * The JSON of a key or data declaration, and the type names its elements are
 * written with. typeof is written as `{"typeof": …}` where the target's JSON
 * carries it (1.1.x); else as the type it stands for, where there is one.
 */
function typeJson(spec: SetKeySpec, s: SetDecl, ctx: SetContext, part: string): { json: JsonValue; types: string[] } {
  if (spec.mode === 'type') return { json: spec.types.length === 1 ? spec.types[0] : spec.types, types: spec.types };
  const names = spec.exprs.map((e) => nftTypeName(exprType(e)));
  // nft 1.1.3 reads a map's typeof key back as its type when the data is declared as a type
  // (`typeof ip saddr : verdict` comes back as `type ipv4_addr : verdict`; verified)
  const mixed = part === 'key' && s.data !== undefined && s.data.mode === 'type';
  if (ctx.loss.carries(LOSS.typeofKey) && !mixed) {
    const keys = spec.exprs.map((e) => selectorJson(e, ctx.vars));
    return { json: { typeof: keys.length === 1 ? keys[0] : { concat: keys } }, types: names.map((n) => n ?? 'integer') };
  }
  const shown = names.map((n) => n ?? '?').join(' . ');
  if (names.some((n) => n === undefined || UNQUALIFIED.has(n))) {
    throw new CannotCarry(LOSS.typeofKey, `${s.kind} ${s.name}: the ${part} is declared with typeof and its type (${shown}) can only be declared with typeof, which nft ${ctx.loss.target}'s JSON cannot write`);
  }
  ctx.loss.lose(LOSS.typeofKey, s.id, `${s.kind} ${s.name}: nft ${ctx.loss.target}'s JSON cannot write typeof; the ${part} is written as type ${shown} (it works the same, but nft lists it as "type")`);
  const types = names as string[];
  return { json: types.length === 1 ? types[0] : types, types };
}

function dataTyping(types: string[] | undefined): DataTyping | undefined {
  if (!types) return undefined;
  if (types[0] === 'verdict') return { kind: 'verdict' };
  if (OBJECT_MAP_TYPES.has(types[0])) return { kind: 'object' };
  return { kind: 'values', types: types as DataType[] };
}

/** The declaration, and its elements when they must wait until the chains exist. */
export interface SetItems {
  decl: JsonValue;
  elements?: JsonValue;
}

/**
 * Elements that jump to a chain: nft's JSON reader adds a set's elements with
 * the set, before chains declared later in the document exist, and then fails
 * with "No such file or directory" (its text reader does not). Such elements
 * are added after the chains (not possible for constant sets).
 */
function jumpsToChains(s: SetDecl): boolean {
  return !s.flags.includes('constant') && s.elements.some((e) => e.value?.kind === 'verdict' && e.value.target !== undefined);
}

export function setJson(s: SetDecl, ctx: SetContext): SetItems {
  const { table, loss } = ctx;
  const key = typeJson(s.key, s, ctx, 'key');
  const keyTypes = key.types;
  const o: JsonObject = { family: table.family, name: s.name, table: table.name, type: key.json };
  let dataTypes: string[] | undefined;
  if (s.data) {
    const data = typeJson(s.data, s, ctx, 'data');
    dataTypes = data.types;
    if (dataTypes[0] === 'synproxy' && !loss.carries(LOSS.synproxyMap)) {
      throw new CannotCarry(LOSS.synproxyMap, `map ${s.name} maps to synproxy objects, which nft ${loss.target}'s JSON cannot declare; the JSON leaves the map out`);
    }
    if (s.data.interval) {
      throw new CannotCarry(LOSS.intervalMapData, `map ${s.name} maps to ranges (: interval …), which no nft version's JSON reads back; the JSON leaves the map out`);
    }
    if (dataTypes.length > 1 && !loss.carries(LOSS.concatMapData)) {
      throw new CannotCarry(LOSS.concatMapData, `map ${s.name} maps to a concatenation (${dataTypes.join(' . ')}), which nft ${loss.target}'s JSON cannot declare; the JSON leaves the map out`);
    }
    o.map = data.json;
  }
  if (s.comment !== undefined) loss.lose(LOSS.setComment, s.id, `${s.kind} ${s.name}: nft's JSON does not read set comments; the JSON leaves the comment out`);
  if (s.policy !== undefined) o.policy = s.policy;
  if (s.size !== undefined) o.size = s.size;
  const flags = setFlags(s, ctx);
  if (flags.length) o.flags = flags;
  if (s.autoMerge) {
    if (loss.carries(LOSS.autoMerge)) o['auto-merge'] = true;
    else loss.lose(LOSS.autoMerge, s.id, `${s.kind} ${s.name}: nft ${loss.target}'s JSON cannot declare auto-merge; the JSON leaves it out (overlapping elements are then refused)`);
  }
  if (s.timeout !== undefined) o.timeout = seconds(s.timeout);
  if (s.gcInterval !== undefined) o['gc-interval'] = seconds(s.gcInterval);
  let elem: JsonValue[] | undefined;
  if (s.elements.length) elem = elementsJson(s.elements, { types: keyTypes as DataType[], data: dataTyping(dataTypes) }, ctx.vars, true);
  const later = elem && jumpsToChains(s);
  if (elem && !later) o.elem = elem;
  if (s.stmts?.length) o.stmt = stmtsJson(s.stmts, { family: table.family, vars: ctx.vars, template: true });
  // nft's JSON reader takes no statements of an element: every element gets the set's, fresh
  const own = s.elements.filter((e) => !isFreshFromTemplate(e.stmts, s.stmts));
  if (own.length) {
    loss.lose(LOSS.elementStatements, s.id, `${s.kind} ${s.name}: nft's JSON reader takes no statements of an element (each gets the set's, with fresh state); the JSON leaves out those of ${own.length} element${own.length === 1 ? '' : 's'}`);
  }
  const decl = { [s.kind]: o };
  if (!elem || !later) return { decl };
  return { decl, elements: { element: { family: table.family, table: table.name, name: s.name, elem } } };
}

function setFlags(s: SetDecl, ctx: SetContext): string[] {
  const flags: string[] = [];
  for (const f of s.flags) {
    if (flags.includes(f)) continue;
    if (f === 'dynamic' && !ctx.loss.carries(LOSS.dynamicFlag)) {
      // a rule that adds to or updates the set makes nft set the flag by itself
      if (!ctx.updated.has(s.name)) {
        ctx.loss.lose(LOSS.dynamicFlag, s.id, `${s.kind} ${s.name}: nft ${ctx.loss.target}'s JSON refuses the dynamic flag and no rule updates the set (which would set it); the JSON leaves the flag out`);
      }
      continue;
    }
    flags.push(f);
  }
  // a default timeout implies the timeout flag, which the text form may leave implicit
  if (s.timeout !== undefined && !flags.includes('timeout')) flags.push('timeout');
  return flags;
}
