/**
 * Rules that load but do not do what they seem to: a `log` before the `limit`
 * of the same rule (it logs every packet), two identical rules one after the
 * other (the second never sees a packet the first did not), and ICMP matched
 * through an IPv6-only (or IPv4-only) field in a table that sees both families
 * (`ip6 nexthdr { icmp, ipv6-icmp }` in an inet table lets no IPv4 ping through).
 */
import { emitRule } from '../../emit/index.ts';
import type { Expr } from '../../model/expr.ts';
import type { Family, Rule } from '../../model/types.ts';
import type { Check } from './check.ts';
import { META_KEYS } from '../../knowledge/expressions.ts';

/** The values of a match's right side: `icmp`, `{ icmp, ipv6-icmp }`. */
function values(e: Expr): string[] {
  if (e.kind === 'value') return [e.text];
  if (e.kind === 'set') return e.elements.flatMap((el) => (el.key.kind === 'value' ? [el.key.text] : []));
  if (e.kind === 'list') return e.items.flatMap(values);
  return [];
}

/** Families whose tables see IPv4 and IPv6 packets alike. */
const BOTH: readonly Family[] = ['inet', 'bridge', 'netdev'];

/** An ICMP of the other family matched through one family's protocol field. */
const WRONG_ICMP: readonly { protocol: string; field: string; family: string; values: readonly string[]; other: string }[] = [
  { protocol: 'ip6', field: 'nexthdr', family: 'IPv6', values: ['icmp', '1'], other: 'IPv4' },
  { protocol: 'ip', field: 'protocol', family: 'IPv4', values: ['ipv6-icmp', 'icmpv6', '58'], other: 'IPv6' },
];

function ruleText(r: Rule, family: Family): string | undefined {
  try {
    return emitRule({ ...r, comment: undefined }, family);
  } catch {
    return undefined; // what cannot be written is another check's finding
  }
}

export const ruleSense: Check = {
  name: 'rules that do not do what they seem to',
  findings: [
    { id: 'rule/log-before-limit', severity: 'warning', summary: 'a log statement before the limit of the same rule logs every packet, not only those within the limit' },
    { id: 'rule/duplicate', severity: 'warning', summary: 'a rule identical to the one before it' },
    { id: 'rule/icmp-wrong-family', severity: 'warning', summary: 'ICMP matched through an IPv6-only or IPv4-only field in a table that sees both families' },
    { id: 'rule/selector-family', severity: 'error', summary: 'a selector nft accepts only in some table families (meta nfproto: inet only)' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      for (const chain of ti.table.chains) {
        let prev: string | undefined;
        for (const rule of chain.rules) {
          const logAt = rule.stmts.findIndex((s) => s.kind === 'log');
          const limitAt = rule.stmts.findIndex((s) => s.kind === 'limit');
          if (logAt >= 0 && limitAt > logAt) {
            ctx.report({
              id: 'rule/log-before-limit',
              severity: 'warning',
              message: 'log comes before limit in this rule: every packet that matches is logged, the limit only applies to what follows it',
              why: 'nft runs a rule\'s statements left to right, and a limit stops the rule only for the statements after it. To log at most so many packets, put the limit first: "limit rate 10/minute log prefix …".',
              nodeId: rule.id,
            });
          }
          for (const s of rule.stmts) {
            const only = s.kind === 'match' && s.left.kind === 'meta' ? META_KEYS[s.left.key]?.onlyIn : undefined;
            if (only && !only.includes(family)) {
              const key = (s as { left: { key: string } }).left.key;
              ctx.report({
                id: 'rule/selector-family',
                severity: 'error',
                message: `meta ${key} is refused in a ${family} table: nft accepts it only in ${only.join(', ')} tables`,
                why: `nft refuses the whole script ("meta ${key} is only useful in the inet family"). A ${family} table sees ${family === 'ip' ? 'IPv4 packets only' : family === 'ip6' ? 'IPv6 packets only' : 'frames, and tells IPv4 from IPv6 by "meta protocol ip" / "meta protocol ip6"'}: ${family === 'ip' || family === 'ip6' ? 'leave the match out' : 'use meta protocol'}, or move the rule to an inet table.`,
                nodeId: rule.id,
              });
            }
            if (s.kind !== 'match' || s.left.kind !== 'payload' || !BOTH.includes(family)) continue;
            const left = s.left;
            const w = WRONG_ICMP.find((x) => x.protocol === left.protocol && x.field === left.field);
            if (!w || !values(s.right).some((v) => w.values.includes(v.toLowerCase()))) continue;
            ctx.report({
              id: 'rule/icmp-wrong-family',
              severity: 'warning',
              message: `${w.protocol} ${w.field} matches ${w.family} packets only: no ${w.other} ICMP packet (a ping) matches this rule in ${family} table ${ti.table.name}`,
              why: `In a ${family} table a rule sees IPv4 and IPv6 packets. "${w.protocol} ${w.field}" first requires an ${w.family} packet, so the ${w.other} ICMP named here can never match, and a policy drop drops ${w.other} ping. Use "meta l4proto { icmp, ipv6-icmp }", which reads the transport protocol of either family.`,
              nodeId: rule.id,
            });
          }
          const text = rule.stmts.length ? ruleText(rule, family) : undefined;
          if (text !== undefined && text === prev) {
            ctx.report({
              id: 'rule/duplicate',
              severity: 'warning',
              message: `this rule is the same as the one before it in chain ${chain.name}`,
              why: 'The packets this rule matches were already matched by the same rule just before it: a verdict there ended them, a counter there counted them. The second copy only doubles counters and logs. Remove one, or change what it should match.',
              nodeId: rule.id,
            });
          }
          prev = text;
        }
      }
    }
  },
};
