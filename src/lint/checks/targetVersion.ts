/**
 * Features newer than the nftables version the script is for (default: Debian
 * 12's 1.0.6) are errors: that nft cannot read the script. Versions from the
 * nftables git tags (src/knowledge/versions.ts).
 */
import type { Range } from '../../model/diagnostic.ts';
import { FEATURES, type Feature, supports } from '../../knowledge/versions.ts';
import type { LintContext } from '../context.ts';
import type { Check } from './check.ts';

function need(ctx: LintContext, feature: Feature, nodeId: string, field: string, at?: () => Range | undefined): void {
  if (supports(ctx.target, feature)) return;
  ctx.report({
    id: 'version/feature',
    severity: 'error',
    message: `${feature.title} needs nftables ${feature.since} or later; the target is ${ctx.target}`,
    why: `nft ${ctx.target} does not know ${feature.title} (added in ${feature.since}), so it cannot load this script. Rewrite it without ${feature.title}, or target the nftables version actually installed where the script will run (nft --version).`,
    nodeId,
    field,
    at: at?.(),
  });
}

export const targetVersion: Check = {
  name: 'target version',
  findings: [{ id: 'version/feature', severity: 'error', summary: 'a feature newer than the target nftables version' }],
  run(ctx) {
    for (const c of ctx.rs.commands) {
      if (/^destroy\b/.test(c.text)) need(ctx, FEATURES.destroy, c.id, 'text', () => ctx.loc?.word(c.id, ['destroy']));
    }
    for (const ti of ctx.tables) {
      const t = ti.table;
      for (const o of t.objects) {
        if (o.type === 'synproxy') need(ctx, FEATURES.synproxyObject, o.id, 'name', () => ctx.loc?.word(o.id, ['synproxy']));
      }
      for (const s of t.sets) {
        if (s.key.mode === 'typeof' || s.data?.mode === 'typeof') need(ctx, FEATURES.typeofSets, s.id, 'type', () => ctx.loc?.word(s.id, ['typeof']));
        if (s.autoMerge) need(ctx, FEATURES.autoMerge, s.id, 'autoMerge', () => ctx.loc?.word(s.id, ['auto-merge']));
        if (s.kind === 'map' && s.data?.mode === 'type' && s.data.types.join(' ') === 'synproxy') {
          need(ctx, FEATURES.synproxyMaps, s.id, 'type', () => ctx.loc?.word(s.id, ['synproxy']));
        }
      }
      for (const chain of t.chains) {
        const b = chain.base;
        if (b) {
          if (b.priority.kind === 'std') need(ctx, FEATURES.priorityNames, chain.id, 'priority', () => ctx.loc?.valueAfter(chain.id, ['priority'], { header: true, after: 'hook', toEnd: true }));
          if ((b.devices?.length ?? 0) > 1) need(ctx, FEATURES.multiDevice, chain.id, 'devices', () => ctx.loc?.word(chain.id, ['devices'], { header: true }));
          if (t.family === 'inet' && b.hook === 'ingress') need(ctx, FEATURES.inetIngress, chain.id, 'hook', () => ctx.loc?.valueAfter(chain.id, ['hook'], { header: true }));
          if (t.family === 'netdev' && b.hook === 'egress') need(ctx, FEATURES.netdevEgress, chain.id, 'hook', () => ctx.loc?.valueAfter(chain.id, ['hook'], { header: true }));
        }
        for (const rule of chain.rules) {
          for (const s of rule.stmts) {
            if (s.kind === 'synproxy') need(ctx, FEATURES.synproxyStmt, rule.id, 'statement', () => ctx.loc?.word(rule.id, ['synproxy']));
            if (s.kind === 'objref' && s.type === 'synproxy') need(ctx, FEATURES.synproxyObject, rule.id, 'statement', () => ctx.loc?.word(rule.id, ['synproxy']));
          }
        }
      }
    }
  },
};
