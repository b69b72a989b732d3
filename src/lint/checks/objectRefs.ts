/**
 * Named stateful objects used by rules and maps: `counter name "c"`,
 * `quota name …`, `limit name …`, `synproxy name …` (directly or through a map),
 * `ct helper set "h"`, `ct timeout set "t"`, `ct expectation set "e"`,
 * `meta secmark set "s"`, and the values of named maps of object type. The
 * object must exist in the same table with that type; otherwise the kernel
 * answers `No such file or directory` (verified for a missing name, a name of
 * another type, a missing name in an anonymous map and in a named map).
 */
import type { Expr } from '../../model/expr.ts';
import type { Statement } from '../../model/stmt.ts';
import { unquote } from '../../knowledge/datatypes.ts';
import { OBJECT_MAP_TYPES } from '../../knowledge/setRules.ts';
import { type LintContext, type TableInfo, objectKey } from '../context.ts';
import type { Check } from './check.ts';

export interface ObjectUse {
  type: string;
  name: string;
}

/** The object type a `… set VALUE` statement names, if any. */
function mangleObjectType(s: Statement): string | undefined {
  if (s.kind !== 'mangle') return undefined;
  const k = s.key;
  if (k.kind === 'ct' && (k.key === 'helper' || k.key === 'timeout' || k.key === 'expectation') && k.dir === undefined) return `ct ${k.key}`;
  if (k.kind === 'meta' && k.key === 'secmark') return 'secmark';
  return undefined;
}

/**
 * An object name in a value position. Any literal counts: nft looks even a
 * number up as an object (`meta secmark set 12` → "No such file or directory").
 */
function objectName(e: Expr | undefined): string | undefined {
  return e?.kind === 'value' ? unquote(e.text) : undefined;
}

/** Object names in a value position: a literal, or the values of an anonymous map. */
function objectNames(e: Expr): string[] {
  const out: string[] = [];
  if (e.kind === 'map' && e.data.kind === 'set') {
    for (const el of e.data.elements) {
      const n = objectName(el.value);
      if (n !== undefined) out.push(n);
    }
  } else {
    const n = objectName(e);
    if (n !== undefined) out.push(n);
  }
  return out;
}

/** Objects a statement names (with their type); `$variables` are skipped. */
export function statementObjectUses(s: Statement): ObjectUse[] {
  if (s.kind === 'objref') {
    if (s.name !== undefined) return [{ type: s.type, name: s.name }];
    return s.map ? objectNames(s.map).map((name) => ({ type: s.type, name })) : [];
  }
  const type = mangleObjectType(s);
  if (type && s.kind === 'mangle') return objectNames(s.value).map((name) => ({ type, name }));
  return [];
}

/** The object type a named map stores, if it is an object map. */
export function objectMapType(dataTypes: readonly string[] | undefined): string | undefined {
  if (!dataTypes) return undefined;
  const t = dataTypes.join(' ');
  return OBJECT_MAP_TYPES.includes(t) ? t : undefined;
}

function checkUse(ctx: LintContext, ti: TableInfo, nodeId: string, use: ObjectUse, where: string): void {
  if (use.name.startsWith('$')) return;
  if (ti.objects.has(objectKey(use.type, use.name))) return;
  const others = ti.objectsByName.get(use.name) ?? [];
  const at = ctx.loc?.nameToken(nodeId, use.name);
  if (others.length) {
    ctx.report({
      id: 'ref/object-kind',
      severity: 'error',
      message: `"${use.name}" is a ${others.map((o) => o.type).join(' and a ')}, not a ${use.type}`,
      why: `Objects are looked up by type and name, so ${where} finds no ${use.type} called ${use.name}; the kernel refuses it ("No such file or directory"). Declare a ${use.type} ${use.name} { … } or name the right object.`,
      nodeId,
      field: 'name',
      at,
    });
    return;
  }
  ctx.report({
    id: 'ref/undefined-object',
    severity: 'error',
    message: `${use.type} "${use.name}" does not exist in table ${ti.table.name}`,
    why: `${where[0].toUpperCase()}${where.slice(1)} names a ${use.type} object, which must be declared in the same table (${use.type} ${use.name} { … }); the kernel refuses it ("No such file or directory"). Declare it or fix the name.`,
    nodeId,
    field: 'name',
    at,
  });
}

export const objectRefs: Check = {
  name: 'object references',
  findings: [
    { id: 'ref/undefined-object', severity: 'error', summary: 'a named counter/quota/limit/synproxy/ct helper/ct timeout/… that does not exist' },
    { id: 'ref/object-kind', severity: 'error', summary: 'a named object of another type than the rule needs' },
    { id: 'ref/object-map-kind', severity: 'warning', summary: 'an object map of another object type than the rule uses (the kernel accepts it)' },
  ],
  run(ctx) {
    for (const { ti, rule } of ctx.rules()) {
      for (const s of rule.stmts) {
        for (const use of statementObjectUses(s)) checkUse(ctx, ti, rule.id, use, 'this rule');
        if (s.kind === 'objref' && s.map?.data.kind === 'setref') {
          const m = ti.sets.get(s.map.data.name);
          const stored = m?.kind === 'map' && m.data?.mode === 'type' ? objectMapType(m.data.types) : undefined;
          if (m && m.kind === 'map' && stored !== s.type) {
            ctx.report({
              id: 'ref/object-map-kind',
              severity: 'warning',
              message: `map @${m.name} holds ${stored ?? (m.data?.mode === 'type' ? m.data.types.join(' . ') : 'values')}, but the rule uses it for ${s.type} objects`,
              why: `A "${s.type} name … map @${m.name}" lookup should use a map declared as "type KEY : ${s.type}". The kernel loads it anyway and then runs whatever object it finds, so the rule would not do what it says. Declare the map with the right object type.`,
              nodeId: rule.id,
              field: 'set',
              at: ctx.loc?.setRef(rule.id, m.name),
            });
          }
        }
      }
    }
    for (const ti of ctx.tables) {
      for (const m of ti.table.sets) {
        if (m.kind !== 'map' || m.data?.mode !== 'type') continue;
        const type = objectMapType(m.data.types);
        if (!type) continue;
        for (const el of m.elements) {
          if (el.value?.kind === 'value') checkUse(ctx, ti, m.id, { type, name: unquote(el.value.text) }, `map ${m.name}`);
        }
      }
    }
  },
};
