/**
 * What the emitter itself refuses to write (src/emit/validate.ts): a model that
 * `fmt`, `to-json` and the preview would stop on must never lint clean. Most of
 * these are found by a more specific check first (names, comments, values); this
 * one reports what is left, so `lint` and `fmt` cannot disagree about a file.
 */
import { emitProblems } from '../../emit/index.ts';
import type { Check } from './check.ts';

export const emitRefused: Check = {
  name: 'emit-refused',
  findings: [{ id: 'emit/refused', severity: 'error', summary: 'the script cannot be written as it stands (fmt, export and to-json refuse it)' }],
  run(ctx) {
    const problems = emitProblems(ctx.rs);
    if (problems.length === 0) return;
    // a node another check already reports an error for: that error explains it better
    const explained = new Set<string>();
    for (const d of ctx.out) if (d.severity === 'error' && d.nodeId !== undefined) explained.add(d.nodeId);
    for (const p of problems) {
      if (p.nodeId && explained.has(p.nodeId)) continue;
      ctx.report({
        id: 'emit/refused',
        severity: 'error',
        message: p.message,
        why: 'The designer writes only scripts nft can read; this part cannot be written as it stands, so the preview, export, fmt and to-json stop here. nft refuses it too. Change the field the message names.',
        nodeId: p.nodeId || undefined,
        field: p.field,
        // the field's own word where the text has it (`flags`, `policy`, `timeout`, …), else the node
        at: p.nodeId ? (ctx.loc?.word(p.nodeId, [p.field]) ?? ctx.loc?.node(p.nodeId)) : undefined,
      });
    }
  },
};
