/**
 * When the design is to be exported as libnftables JSON (`forJson`), what the
 * target nft's JSON cannot carry. The facts and their versions live in one
 * place, the JSON converter (src/json/losses.ts): this check runs `toJson` and
 * reports each loss on its node. A design that cannot be emitted at all (bad
 * names, comments) is reported by the names check instead.
 */
import { EmitRefused } from '../../emit/index.ts';
import { toJson } from '../../json/index.ts';
import type { Check } from './check.ts';

/** The form field a loss concerns, from what was lost. */
function fieldOf(what: string): string | undefined {
  if (what.includes('comment')) return 'comment';
  if (what.includes('flag')) return 'flags';
  if (what.includes('device')) return 'devices';
  if (what === 'typeof' || what === 'set type') return 'type';
  if (what === 'auto-merge') return 'autoMerge';
  if (what.includes('priority')) return 'priority';
  if (what.includes('policy')) return 'policy';
  return undefined;
}

export const jsonLimits: Check = {
  name: 'JSON limits',
  findings: [{ id: 'json/loss', severity: 'error', summary: 'exporting JSON: something the target nft\'s JSON cannot carry (the export would leave it out)' }],
  run(ctx) {
    if (!ctx.forJson) return;
    let losses;
    try {
      losses = toJson(ctx.rs, { targetVersion: ctx.target }).losses;
    } catch (e) {
      if (e instanceof EmitRefused) return;
      throw e;
    }
    for (const l of losses) {
      ctx.report({
        id: 'json/loss',
        severity: 'error',
        message: l.message,
        why: `The design loads as written with the text format (nft -f), but nft ${ctx.target}'s JSON (nft -j -f) cannot express this ${l.what}, so a JSON export would leave it out. Load this design as text${l.since ? `, or target nft ${l.since} or later, whose JSON carries it` : ''}.`,
        nodeId: l.nodeId,
        field: fieldOf(l.what),
      });
    }
  },
};
