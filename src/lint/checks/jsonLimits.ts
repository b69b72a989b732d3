/**
 * When the design is exported as libnftables JSON (`forJson`), what the target
 * nft's JSON cannot carry (src/knowledge/jsonLimits.ts): losses are warnings,
 * things that make the import fail are errors.
 */
import { JSON_LIMITS, type JsonLimit } from '../../knowledge/jsonLimits.ts';
import { compareVersions } from '../../knowledge/versions.ts';
import type { LintContext } from '../context.ts';
import type { Check } from './check.ts';

function limit(ctx: LintContext, l: JsonLimit, nodeId: string, field: string): void {
  if (compareVersions(ctx.target, l.fixedIn) >= 0) return;
  const fails = l.effect === 'fails';
  ctx.report({
    id: fails ? 'json/unsupported' : 'json/lossy',
    severity: fails ? 'error' : 'warning',
    message: fails ? `nft ${ctx.target}'s JSON cannot carry ${l.what}` : `nft ${ctx.target}'s JSON loses ${l.what}`,
    why:
      (fails
        ? `A JSON import of this design would fail on nft ${ctx.target}. `
        : `After a JSON round trip on nft ${ctx.target} this would be gone, without an error. `) +
      `It works in JSON from nft ${l.fixedIn}${l.assumed ? ' (assumed; verified broken in 1.0.6)' : ''}; until then use the text format (nft -f) to load this design.`,
    nodeId,
    field,
  });
}

export const jsonLimits: Check = {
  name: 'JSON limits',
  findings: [
    { id: 'json/lossy', severity: 'warning', summary: 'exporting JSON: something the target nft\'s JSON drops' },
    { id: 'json/unsupported', severity: 'error', summary: 'exporting JSON: something that makes the target nft\'s JSON import fail' },
  ],
  run(ctx) {
    if (!ctx.forJson) return;
    for (const ti of ctx.tables) {
      const t = ti.table;
      if (t.comment !== undefined) limit(ctx, JSON_LIMITS.tableComment, t.id, 'comment');
      if (t.flags.length) limit(ctx, JSON_LIMITS.tableFlags, t.id, 'flags');
      for (const o of t.objects) if (o.type === 'synproxy') limit(ctx, JSON_LIMITS.synproxyObjects, o.id, 'name');
      for (const s of t.sets) {
        if (s.comment !== undefined) limit(ctx, JSON_LIMITS.setComment, s.id, 'comment');
        if (s.key.mode === 'typeof' || s.data?.mode === 'typeof') limit(ctx, JSON_LIMITS.typeofKeys, s.id, 'type');
        if (s.flags.includes('dynamic')) limit(ctx, JSON_LIMITS.dynamicFlag, s.id, 'flags');
        if (s.autoMerge) limit(ctx, JSON_LIMITS.autoMerge, s.id, 'autoMerge');
        if (s.kind === 'map' && s.data?.mode === 'type' && s.data.types.join(' ') === 'synproxy') limit(ctx, JSON_LIMITS.synproxyMaps, s.id, 'type');
      }
      for (const c of t.chains) {
        if (c.comment !== undefined) limit(ctx, JSON_LIMITS.chainComment, c.id, 'comment');
        const n = c.base?.devices?.length ?? 0;
        if (n > 1) limit(ctx, JSON_LIMITS.multiDevice, c.id, 'devices');
        else if (n === 1) limit(ctx, JSON_LIMITS.chainDevice, c.id, 'devices');
      }
    }
  },
};
