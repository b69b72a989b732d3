/**
 * Sets, maps, objects and regular chains nothing uses (info). Uses are counted in
 * structured statements, in named maps (object and verdict maps), and — so that
 * a rule kept as raw text does not make its set look unused — in raw text: any
 * `@name`, any quoted string (object names) and any word after jump/goto.
 */
import { unquote } from '../../knowledge/datatypes.ts';
import { forEachStmtExpr, mapJumps, stripQuoted } from '../walk.ts';
import { objectKey } from '../context.ts';
import { objectMapType, statementObjectUses } from './objectRefs.ts';
import type { Check } from './check.ts';

const RAW_SETREF = /@([A-Za-z_.][A-Za-z0-9/_.-]*)/g;
const RAW_STRING = /"([^"]*)"/g;

export const unused: Check = {
  name: 'unused declarations',
  findings: [
    { id: 'ref/unused-set', severity: 'info', summary: 'a set or map no rule uses' },
    { id: 'ref/unused-object', severity: 'info', summary: 'a named object no rule or map uses' },
    { id: 'ref/unused-chain', severity: 'info', summary: 'a regular chain no rule jumps to' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      const usedSets = new Set<string>();
      const usedObjects = new Set<string>();
      const usedNames = new Set<string>(); // object names seen in raw text, any type
      const jumped = new Set<string>();
      for (const chain of ti.table.chains) {
        for (const e of ti.edges.get(chain.id) ?? []) jumped.add(e.target);
        for (const rule of chain.rules) {
          for (const s of rule.stmts) {
            if (s.kind === 'raw') {
              for (const m of stripQuoted(s.text).matchAll(RAW_SETREF)) usedSets.add(m[1]);
              for (const m of s.text.matchAll(RAW_STRING)) usedNames.add(m[1]);
              continue;
            }
            if (s.kind === 'setupdate') usedSets.add(s.set);
            forEachStmtExpr(s, (e) => {
              if (e.kind === 'setref') usedSets.add(e.name);
            });
            for (const u of statementObjectUses(s)) usedObjects.add(objectKey(u.type, u.name));
          }
        }
      }
      for (const m of ti.table.sets) {
        if (m.kind !== 'map' || m.data?.mode !== 'type') continue;
        for (const j of mapJumps(m.elements)) jumped.add(j.target);
        const type = objectMapType(m.data.types);
        if (!type) continue;
        for (const el of m.elements) if (el.value?.kind === 'value') usedObjects.add(objectKey(type, unquote(el.value.text)));
      }
      for (const s of ti.table.sets) {
        if (usedSets.has(s.name)) continue;
        ctx.report({
          id: 'ref/unused-set',
          severity: 'info',
          message: `${s.kind} ${s.name} is not used by any rule`,
          why: `Nothing refers to @${s.name}, so it does not affect any packet. Use it in a rule (e.g. ip saddr @${s.name} drop), or remove it if it is left over; a set filled from outside (nft add element) is fine to keep.`,
          nodeId: s.id,
          field: 'name',
          at: ctx.loc?.declName(s.id, s.name),
        });
      }
      for (const o of ti.table.objects) {
        if (usedObjects.has(objectKey(o.type, o.name)) || usedNames.has(o.name)) continue;
        ctx.report({
          id: 'ref/unused-object',
          severity: 'info',
          message: `${o.type} ${o.name} is not used by any rule`,
          why: `A named object only acts when a rule refers to it (${o.type.startsWith('ct ') ? `${o.type} set "${o.name}"` : o.type === 'secmark' ? `meta secmark set "${o.name}"` : `${o.type} name "${o.name}"`}). Add such a rule, or remove the object.`,
          nodeId: o.id,
          field: 'name',
          at: ctx.loc?.declName(o.id, o.name),
        });
      }
      for (const c of ti.table.chains) {
        if (c.base || jumped.has(c.name)) continue;
        ctx.report({
          id: 'ref/unused-chain',
          severity: 'info',
          message: `chain ${c.name} is never entered: no rule jumps to it and it has no hook`,
          why: `A regular chain (without a type/hook line) only runs when a rule does jump ${c.name}, goto ${c.name} or picks it in a verdict map. Add such a rule, or give the chain a type, hook and priority to make it a base chain.`,
          nodeId: c.id,
          field: 'name',
          at: ctx.loc?.declName(c.id, c.name),
        });
      }
    }
  },
};
