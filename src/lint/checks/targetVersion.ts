/**
 * Features newer than the nftables version the script is for (default: Debian
 * 12's 1.0.6) are errors: that nft cannot read the script. Versions from the
 * nftables git tags (src/knowledge/versions.ts).
 */
import type { Range } from '../../model/diagnostic.ts';
import type { Expr } from '../../model/expr.ts';
import { FEATURES, type Feature, supports } from '../../knowledge/versions.ts';
import { CT_KEYS, META_KEYS, payloadField } from '../../knowledge/expressions.ts';
import { exthdrField, tunnelInfo } from '../../knowledge/exthdr.ts';
import { forEachExpr } from '../../model/nesting.ts';
import { formatSelector } from '../../emit/selectors.ts';
import { statementExprs, statementSince, stmtModule } from '../../stmts/registry.ts';

/** The first nft version that reads this expression, when its table says a later one than every target reads. */
function exprFeature(e: Expr): Feature | undefined {
  let since: string | undefined;
  switch (e.kind) {
    case 'payload':
      since = e.tunnel ? tunnelInfo(e.tunnel)?.since : payloadField(e.protocol, e.field)?.since;
      break;
    case 'exthdr':
      since = e.field !== undefined ? exthdrField(e.space, e.name, e.field)?.since : undefined;
      break;
    case 'meta':
      since = META_KEYS[e.key]?.since;
      break;
    case 'ct':
      since = CT_KEYS[e.key]?.since;
      break;
    default:
      return undefined;
  }
  return since ? { id: `expr:${formatSelector(e)}`, title: `"${formatSelector(e)}"`, since } : undefined;
}
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
      if (t.flags.includes('persist')) need(ctx, FEATURES.tablePersist, t.id, 'flags', () => ctx.loc?.word(t.id, ['persist']));
      for (const o of t.objects) {
        if (o.type === 'synproxy') need(ctx, FEATURES.synproxyObject, o.id, 'name', () => ctx.loc?.word(o.id, ['synproxy']));
      }
      for (const s of t.sets) {
        // the statements a set declares for its elements, and those on its elements
        const stmts = [...(s.stmts ?? []), ...s.elements.flatMap((el) => el.stmts ?? [])];
        const seen = new Set<string>();
        for (const x of stmts) {
          const since = statementSince(x);
          const word = stmtModule(x.kind).words[0];
          if (since && !seen.has(x.kind)) need(ctx, { id: `stmt:${x.kind}`, title: `the ${word ?? x.kind} statement`, since }, s.id, 'elements');
          seen.add(x.kind);
        }
        if (s.elements.some((el) => el.stmts?.some((x) => x.kind === 'quota'))) need(ctx, FEATURES.elementQuota, s.id, 'elements', () => ctx.loc?.word(s.id, ['quota'], { after: 'elements' }));
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
            // what each statement module and expression table says of its own first version
            // (and the statements a set update or a meter gives its elements: `add @s { ip saddr last }`)
            for (const x of [s, ...(s.kind === 'setupdate' ? (s.stmts ?? []) : s.kind === 'meter' ? [s.stmt] : [])]) {
              const since = statementSince(x);
              const word = stmtModule(x.kind).words[0];
              if (since) need(ctx, { id: `stmt:${x.kind}`, title: `the ${word ?? x.kind} statement`, since }, rule.id, 'statement', () => (word ? ctx.loc?.word(rule.id, [word]) : undefined));
            }
            const seen = new Set<string>();
            for (const root of statementExprs(s)) {
              forEachExpr(root, (e) => {
                const f = exprFeature(e);
                if (!f || seen.has(f.id)) return;
                seen.add(f.id);
                const first = f.title.slice(1).split(' ')[0];
                need(ctx, f, rule.id, 'statement', () => ctx.loc?.word(rule.id, [first]));
              });
            }
            if (s.kind === 'objref' && s.type === 'synproxy') need(ctx, FEATURES.synproxyObject, rule.id, 'statement', () => ctx.loc?.word(rule.id, ['synproxy']));
          }
        }
      }
    }
  },
};
