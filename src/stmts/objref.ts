/**
 * A named object used by a rule: `counter name "c"`, `quota name "q"`, `limit
 * name "l"`, `synproxy name "x"` (nft ≥ 0.9.3), or one chosen per packet by a
 * map: `synproxy name ip saddr map { 10.0.0.0/8 : "a" }` / `… map @m`.
 */
import type { MapExpr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { OBJREF_TYPES, isOneOf, type ObjectRefType } from '../knowledge/vocabulary.ts';
import { formatMapDataSet, formatSelector, selectorContext } from '../emit/selectors.ts';
import { exprJson, typesOf } from '../json/exprToJson.ts';
import { valueFromJson } from '../json/exprFromJson.ts';
import { isObject } from '../json/jsonValue.ts';
import { fail, has } from '../json/readJson.ts';
import { WHERE } from '../model/validate.ts';
import type { Cursor } from '../parse/cursor.ts';
import { limitOver } from './limitBucket.ts';
import { isSelectorStart, parseMapLookup, parseSelector, parseVar } from '../parse/expressions.ts';
import { Tok } from '../parse/lexer.ts';
import type { StmtModule } from './module.ts';
import { quotaOutcome } from './quota.ts';
import { NEXT, type Outcome } from '../trace/context.ts';

export interface ObjectRefStmt {
  kind: 'objref';
  type: ObjectRefType;
  name?: string;
  map?: MapExpr;
}

/** After `<type> name`: `"x"`, or `KEY map { … }` / `KEY map @m`. */
export function parseObjectRef(c: Cursor, type: ObjectRefType): Statement {
  if (c.k() === Tok.String) return { kind: 'objref', type, name: c.take().slice(1, -1) };
  if (isSelectorStart(c) || c.k() === Tok.Dollar) {
    const key = c.k() === Tok.Dollar ? parseVar(c) : parseSelector(c);
    if (!c.is('map')) c.fail('expected map');
    return { kind: 'objref', type, map: parseMapLookup(c, key) };
  }
  if (c.k() === Tok.Word) return { kind: 'objref', type, name: c.take() };
  return c.fail('expected an object name');
}

export const objref: StmtModule<'objref'> = {
  kind: 'objref',
  title: 'named object',
  summary: 'use a named counter, quota, limit or synproxy object of the table, by name or chosen per packet by a map',
  // reached through counter, quota, limit and synproxy (`… name`)
  words: [],
  options: ['name', 'map'],
  // a name or `{ "map": … }` under the object's own tag; any other body is the anonymous statement's
  jsonTags: OBJREF_TYPES,
  fromJson(tag, body) {
    if (!isOneOf(OBJREF_TYPES, tag)) return undefined;
    if (typeof body === 'string') return { kind: 'objref', type: tag, name: body };
    if (!isObject(body) || !has(body, 'map') || Object.keys(body).length !== 1) return undefined;
    const map = valueFromJson(body, { types: [undefined], data: { kind: 'object' } });
    if (map.kind !== 'map') fail(`${tag} reference must be a name or a map`);
    return { kind: 'objref', type: tag, map };
  },
  print(s, ctx) {
    if (s.map) return `${s.type} name ${formatSelector(s.map.key, ctx.target)} map ${formatMapDataSet(s.map.data, selectorContext(s.map.key), 'object')}`;
    return `${s.type} name "${s.name ?? ''}"`;
  },
  toJson(s, ctx) {
    if (s.map) return { [s.type]: exprJson(s.map, { types: typesOf(s.map.key), data: { kind: 'object' } }, ctx.vars) };
    return { [s.type]: s.name ?? '' };
  },
  shape(v, s, p) {
    v.oneOf(s, 'type', OBJREF_TYPES, p);
    v.str(s, 'name', p, true);
    if (s.map !== undefined) v.expr(s.map, `${p}.map`, 0, 'objrefMap', WHERE.objrefMap);
    if (s.name === undefined && s.map === undefined) v.err(p, 'needs a name or a map');
  },
  safety(v, s) {
    const f = v.field;
    v.oneOf(f, s.type, OBJREF_TYPES, 'an object type');
    v.quoted(f, s.name, `${s.type} name`);
    if (s.map) v.expr(s.map, 'objrefMap', WHERE.objrefMap);
    else if (s.name === undefined) v.push(f, `the ${s.type} reference needs a name or a map`);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => (s.map ? [s.map] : []),
  passes: (s) => s.type === 'counter' && s.map === undefined,
  evaluate(s, ctx) {
    let name: Outcome | undefined;
    if (s.map) {
      const r = ctx.lookup(s.map.key, s.map.data);
      if ('why' in r) return { kind: 'nomatch', why: r.why };
    }
    switch (s.type) {
      case 'synproxy':
        name = ctx.synproxy();
        break;
      case 'quota': {
        // a named quota reads its object (`over 20 mbytes used 1 mbytes` does not match yet)
        const o = s.name !== undefined ? ctx.object('quota', s.name) : undefined;
        name = o?.type === 'quota' ? quotaOutcome(o, ctx, `quota ${s.name}`) : ctx.assume('quota', `quota ${s.name ?? ''}: the quota is used up`, false) ? { kind: 'nomatch', why: 'the named quota is used up (assumed)' } : NEXT;
        break;
      }
      case 'limit': {
        // a named limit is one bucket for every rule that names it
        const o = s.name !== undefined ? ctx.object('limit', s.name) : undefined;
        const over = o?.type === 'limit' ? limitOver(o, ctx, o, `limit ${s.name}`) : ctx.assume('limit', `limit ${s.name ?? ''}: the packet is over the rate`, false);
        name = over === Boolean(o?.type === 'limit' && o.over) ? NEXT : { kind: 'nomatch', why: over ? 'over the named limit' : 'under the named limit' };
        break;
      }
      default:
        name = NEXT;
    }
    return name;
  },
};
