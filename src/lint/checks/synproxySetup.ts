/**
 * The classic synproxy setup (nft.8, nftables wiki "Synproxy", §4.6):
 *   prerouting, priority raw:  tcp dport P tcp flags syn notrack
 *   input/forward:             tcp dport P ct state invalid,untracked synproxy …
 *                              ct state invalid drop
 * Each missing piece is a warning: the ruleset loads, but the protection leaks.
 */
import type { SetElement } from '../../model/expr.ts';
import type { Chain, Family, Rule } from '../../model/types.ts';
import { NOTRACK_BEFORE_PRIORITY, NOTRACK_EARLY_HOOKS, SYNPROXY_CT_STATES } from '../../knowledge/synproxyFacts.ts';
import {
  type Ports,
  ctStatesMatched,
  formatPorts,
  matchesSyn,
  rawHasWord,
  tcpDports,
  uncoveredPorts,
  unconditionalEnd,
  valueTexts,
} from '../walk.ts';
import type { LintContext, TableInfo } from '../context.ts';
import type { Check } from './check.ts';

export function usesSynproxy(rule: Rule): boolean {
  return rule.stmts.some((s) => s.kind === 'synproxy' || (s.kind === 'objref' && s.type === 'synproxy') || (s.kind === 'raw' && rawHasWord(s.text, 'synproxy')));
}

function isNotrackRule(rule: Rule): 'yes' | 'raw' | 'no' {
  if (rule.stmts.some((s) => s.kind === 'notrack')) return 'yes';
  if (rule.stmts.some((s) => s.kind === 'raw' && rawHasWord(s.text, 'notrack'))) return 'raw';
  return 'no';
}

/** Does a later rule drop `ct state invalid` packets? */
function dropsInvalid(rule: Rule): boolean {
  const states = ctStatesMatched(rule);
  if (states?.has('invalid') && unconditionalEndAfterMatches(rule) === 'drop') return true;
  for (const s of rule.stmts) {
    if (s.kind !== 'vmap' || s.key.kind !== 'ct' || s.key.key !== 'state' || s.data.kind !== 'set') continue;
    for (const el of s.data.elements) {
      if (valueTexts(el.key)?.includes('invalid') && el.value?.kind === 'verdict' && el.value.verdict === 'drop') return true;
    }
  }
  return false;
}

/** The verdict of a rule once its ct state match passed (matches are skipped). */
function unconditionalEndAfterMatches(rule: Rule): string | undefined {
  return unconditionalEnd({ ...rule, stmts: rule.stmts.filter((s) => s.kind !== 'match') });
}

interface NotrackCoverage {
  /** ports whose SYNs are notracked before conntrack, per family */
  ports: Map<Family, [number, number][] | 'any'>;
  /** some notrack rule could not be read (raw text, variables): stay quiet */
  unknown: boolean;
}

function effectiveNotrackEntry(ctx: LintContext, family: Family, entry: Chain): boolean {
  const b = entry.base;
  if (!b) return false;
  if (NOTRACK_EARLY_HOOKS.includes(b.hook)) return true;
  if (b.hook !== 'prerouting') return false;
  const v = ctx.priorityValue(family, b.priority);
  return v !== undefined && v < NOTRACK_BEFORE_PRIORITY;
}

function notrackCoverage(ctx: LintContext): NotrackCoverage {
  const ports = new Map<Family, [number, number][] | 'any'>();
  let unknown = false;
  for (const { ti, chain, rule } of ctx.rules()) {
    const nt = isNotrackRule(rule);
    if (nt === 'no') continue;
    const family = ti.table.family;
    if (!ctx.entries(ti, chain).some((e) => effectiveNotrackEntry(ctx, family, e))) continue;
    if (nt === 'raw') {
      unknown = true;
      continue;
    }
    if (!matchesSyn(rule)) continue;
    const p = tcpDports(rule, (n) => ti.sets.get(n)?.elements);
    if (p === undefined) {
      unknown = true;
      continue;
    }
    const prev = ports.get(family);
    if (prev === 'any' || p === 'any') ports.set(family, 'any');
    else ports.set(family, [...(prev ?? []), ...p]);
  }
  return { ports, unknown };
}

/** Families whose notrack rules see the packets of a `family` table. */
function coveringFamilies(family: Family): Family[] {
  return family === 'inet' ? ['inet', 'ip', 'ip6'] : [family, 'inet'];
}

function checkNotrack(ctx: LintContext, ti: TableInfo, rule: Rule, cov: NotrackCoverage): void {
  if (cov.unknown) return;
  const need: Ports | undefined = tcpDports(rule, (n) => ti.sets.get(n)?.elements as SetElement[] | undefined);
  if (need === undefined) return;
  let have: [number, number][] | 'any' = [];
  for (const f of coveringFamilies(ti.table.family)) {
    const p = cov.ports.get(f);
    if (p === 'any') have = 'any';
    else if (p && have !== 'any') have = [...have, ...p];
  }
  if (have === 'any') return;
  let missing: string;
  let example: string;
  if (need === 'any') {
    missing = 'SYNs to any port';
    example = 'tcp flags syn notrack';
  } else {
    const rest = uncoveredPorts(need, have);
    if (!rest.length) return;
    missing = `SYNs to port${rest.length > 1 || rest[0][0] !== rest[0][1] ? 's' : ''} ${formatPorts(rest)}`;
    example = `tcp dport ${rest.length === 1 && rest[0][0] === rest[0][1] ? rest[0][0] : `{ ${formatPorts(rest)} }`} tcp flags syn notrack`;
  }
  ctx.report({
    id: 'synproxy/notrack-missing',
    severity: 'warning',
    message: `${missing} are not notracked before conntrack`,
    why: `Synproxy should get SYNs that connection tracking has not seen; otherwise every SYN of a flood creates a conntrack entry, which is what synproxy is meant to prevent. Add "${example}" in a prerouting chain with priority raw (-300), below conntrack at ${NOTRACK_BEFORE_PRIORITY}.`,
    nodeId: rule.id,
    field: 'notrack',
    at: ctx.loc?.word(rule.id, ['synproxy']),
  });
}

export const synproxySetup: Check = {
  name: 'synproxy setup',
  findings: [
    { id: 'synproxy/ct-state', severity: 'warning', summary: 'a synproxy rule without a ct state invalid,untracked match' },
    { id: 'synproxy/no-invalid-drop', severity: 'warning', summary: 'no ct state invalid drop after the synproxy rule in its chain' },
    { id: 'synproxy/notrack-missing', severity: 'warning', summary: 'protected ports whose SYNs are not notracked in prerouting before conntrack' },
  ],
  run(ctx) {
    let cov: NotrackCoverage | undefined;
    const lastSynproxy = new Map<string, number>();
    for (const { ti, chain, rule, index } of ctx.rules()) {
      if (!usesSynproxy(rule)) continue;
      const at = () => ctx.loc?.word(rule.id, ['synproxy']);
      const states = ctStatesMatched(rule);
      const missing = SYNPROXY_CT_STATES.filter((s) => !states?.has(s));
      if (missing.length && !rule.stmts.some((s) => s.kind === 'raw')) {
        ctx.report({
          id: 'synproxy/ct-state',
          severity: 'warning',
          message: states ? `the synproxy rule matches ct state ${[...states].join(',')}, not invalid,untracked` : 'the synproxy rule has no ct state invalid,untracked match',
          why: 'Synproxy must only see the handshake: the notracked SYN (untracked) and the ACK that conntrack finds invalid. Without that match it also gets the packets of established connections and breaks them. Add ct state invalid,untracked before synproxy.',
          nodeId: rule.id,
          field: 'ct state',
          at: at(),
        });
      }
      // once per chain: on its last synproxy rule (a drop after it is after all of them)
      let last = lastSynproxy.get(chain.id);
      if (last === undefined) {
        last = chain.rules.findLastIndex(usesSynproxy);
        lastSynproxy.set(chain.id, last);
      }
      if (index === last && !chain.rules.slice(index + 1).some(dropsInvalid)) {
        ctx.report({
          id: 'synproxy/no-invalid-drop',
          severity: 'warning',
          message: `no "ct state invalid drop" after the synproxy rule in chain ${chain.name}`,
          why: 'Synproxy lets through the packets it does not handle; those that stay invalid (spoofed ACKs, bad cookies) must be dropped right after it, or later rules and the policy may accept them. Add ct state invalid drop after the synproxy rule.',
          nodeId: rule.id,
          field: 'ct state',
          at: at(),
        });
      }
      cov ??= notrackCoverage(ctx);
      checkNotrack(ctx, ti, rule, cov);
    }
  },
};
