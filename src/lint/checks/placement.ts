/**
 * Statements the kernel accepts only on some hooks (src/knowledge/placement.ts):
 * checked on the hook of every base chain that reaches the rule's chain through
 * jump/goto/vmap, because that is what the kernel checks — at commit, so
 * `nft -c` says yes and the real load fails.
 *
 * Rules kept as raw text are scanned for the words synproxy, masquerade, tproxy
 * and reject (outside quotes): these are keywords only as statements. snat,
 * dnat and redirect are not scanned — they are also ct status / icmp values.
 */
import { placedStatement, statementExprs } from '../../stmts/registry.ts';
import type { Expr } from '../../model/expr.ts';
import { forEachExpr } from '../../model/nesting.ts';
import type { Chain, Family, Rule } from '../../model/types.ts';
import { type PlacedStatement, PLACEMENT, SYNPROXY_FAMILIES, allowedHooks } from '../../knowledge/placement.ts';
import { rawHasWord } from '../walk.ts';
import type { LintContext, TableInfo } from '../context.ts';
import { a } from '../text.ts';
import type { Check } from './check.ts';

const RAW_SCANNED: readonly PlacedStatement[] = ['synproxy', 'masquerade', 'tproxy', 'reject'];

/** The placed statements of a rule, once each. */
export function placedStatements(rule: Rule): PlacedStatement[] {
  const out = new Set<PlacedStatement>();
  for (const s of rule.stmts) {
    if (s.kind === 'synproxy' || (s.kind === 'objref' && s.type === 'synproxy')) out.add('synproxy');
    else if (s.kind === 'nat') out.add(s.type);
    else if (s.kind === 'reject') out.add('reject');
    else if (s.kind === 'mangle' && s.key.kind === 'meta' && s.key.key === 'pkttype') out.add('pkttype-set');
    else if (s.kind === 'raw') {
      for (const w of RAW_SCANNED) if (rawHasWord(s.text, w)) out.add(w);
    } else {
      // a kind whose module names its placement rule (tproxy)
      const p = placedStatement(s);
      if (p) out.add(p);
    }
    if (s.kind !== 'raw' && statementExprs(s).some(readsRouteMtu)) out.add('rt-mtu');
  }
  return [...out];
}

/** Does the expression read the route's MTU (`rt mtu`, `tcp option maxseg size set rt mtu`)? */
function readsRouteMtu(e: Expr): boolean {
  let found = false;
  forEachExpr(e, (x) => {
    if (x.kind === 'rt' && x.key === 'mtu') found = true;
  });
  return found;
}

function where(chain: Chain, entry: Chain): string {
  const b = entry.base;
  if (!b) return '';
  return entry.id === chain.id ? `a ${b.type} ${b.hook} chain` : `chain ${chain.name}, which base chain ${entry.name} (${b.type} ${b.hook}) jumps to`;
}

function checkRule(ctx: LintContext, ti: TableInfo, chain: Chain, rule: Rule, stmts: PlacedStatement[]): void {
  const family: Family = ti.table.family;
  for (const stmt of stmts) {
    const rule_ = PLACEMENT[stmt];
    const at = () => ctx.loc?.word(rule.id, [rule_.word ?? stmt], { notAfter: ['status', 'type'] });
    const title = rule_.title ?? stmt;
    if (stmt === 'synproxy' && !SYNPROXY_FAMILIES.includes(family)) {
      ctx.report({
        id: 'placement/synproxy',
        severity: 'error',
        message: `synproxy cannot work in ${a(family)} table`,
        why: `Synproxy needs connection tracking, which ${family} tables do not have; the kernel refuses it (${family === 'arp' ? 'nft: "conflicting protocols specified"' : '"Protocol error"'}). Put the synproxy rule in an ip, ip6 or inet table, in a filter chain on input or forward.`,
        nodeId: rule.id,
        field: 'statement',
        at: at(),
      });
      continue;
    }
    const hooks = allowedHooks(stmt, family);
    if (!hooks) continue;
    for (const entry of ctx.entries(ti, chain)) {
      const b = entry.base;
      if (!b) continue;
      const typeOk = rule_.chainType === undefined || b.type === rule_.chainType;
      if (typeOk && hooks.includes(b.hook)) continue;
      const wanted = `${rule_.chainType ? `${rule_.chainType} chains on ` : ''}${hooks.join(' or ')}`;
      ctx.report({
        id: `placement/${stmt}`,
        severity: 'error',
        message: `${title} is not allowed in ${where(chain, entry)}; only in ${wanted}`,
        why: `${rule_.purpose[0].toUpperCase()}${rule_.purpose.slice(1)}, so the kernel accepts it only in ${wanted}. It checks this when the transaction commits ("Operation not supported"), after nft -c has already said yes, and it follows jumps: a regular chain counts for every hook that reaches it. Move the rule to ${wanted}${entry.id === chain.id ? '' : `, or stop jumping to ${chain.name} from ${entry.name}`}.`,
        nodeId: rule.id,
        field: 'statement',
        at: at(),
      });
      break;
    }
  }
}

export const placement: Check = {
  name: 'statement placement',
  findings: [
    { id: 'placement/synproxy', severity: 'error', summary: 'synproxy outside input/forward of ip/ip6/inet (also through jumps)' },
    { id: 'placement/masquerade', severity: 'error', summary: 'masquerade outside nat postrouting' },
    { id: 'placement/snat', severity: 'error', summary: 'snat outside nat postrouting/input' },
    { id: 'placement/dnat', severity: 'error', summary: 'dnat outside nat prerouting/output' },
    { id: 'placement/redirect', severity: 'error', summary: 'redirect outside nat prerouting/output' },
    { id: 'placement/tproxy', severity: 'error', summary: 'tproxy outside prerouting' },
    { id: 'placement/reject', severity: 'error', summary: 'reject in postrouting (or netdev egress)' },
    { id: 'placement/pkttype-set', severity: 'error', summary: 'meta pkttype set outside prerouting (netdev: ingress)' },
    { id: 'placement/rt-mtu', severity: 'error', summary: 'rt mtu (the route\'s MTU) before the packet has a route: outside forward, output and postrouting' },
    { id: 'placement/synproxy-family', severity: 'error', summary: 'a synproxy object in an arp, bridge or netdev table' },
  ],
  run(ctx) {
    for (const { ti, chain, rule } of ctx.rules()) {
      const stmts = placedStatements(rule);
      if (stmts.length) checkRule(ctx, ti, chain, rule, stmts);
    }
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      if (SYNPROXY_FAMILIES.includes(family)) continue;
      const decls = ti.table.objects.filter((o) => o.type === 'synproxy').map((o) => ({ id: o.id, name: o.name, what: 'synproxy object' }));
      for (const d of decls) {
        ctx.report({
          id: 'placement/synproxy-family',
          severity: 'error',
          message: `${a(d.what)} cannot be declared in ${a(family)} table`,
          why: `Synproxy needs connection tracking, which ${family} tables do not have: the kernel refuses even the declaration ("Protocol error"). Declare it in an ip, ip6 or inet table.`,
          nodeId: d.id,
          field: 'name',
          at: ctx.loc?.declName(d.id, d.name),
        });
      }
    }
  },
};
