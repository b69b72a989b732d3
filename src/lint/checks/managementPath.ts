/**
 * A drop policy (or a catch-all drop/reject) on the input or output hook cuts
 * whatever it does not explicitly accept — including the SSH session used to
 * load the ruleset. An info finding, unless an earlier rule accepts tcp port 22
 * (input: destination port; output: source port or established connections).
 */
import type { Expr } from '../../model/expr.ts';
import type { Chain, Rule } from '../../model/types.ts';
import { ctStatesMatched, isTcpDport, unconditionalEnd, valueTexts } from '../walk.ts';
import { servicePort, unquote } from '../../knowledge/datatypes.ts';
import type { TableInfo } from '../context.ts';
import type { Check } from './check.ts';

const SSH = 22;

function coversSsh(texts: readonly string[] | undefined): boolean {
  return texts?.some((t) => servicePort(unquote(t)) === SSH) ?? false;
}

function portIncludesSsh(e: Expr): boolean {
  if (e.kind === 'range' && e.from.kind === 'value' && e.to.kind === 'value') {
    const a = servicePort(e.from.text);
    const b = servicePort(e.to.text);
    return a !== undefined && b !== undefined && a <= SSH && SSH <= b;
  }
  if (e.kind === 'set') return e.elements.some((el) => portIncludesSsh(el.key));
  return coversSsh(valueTexts(e));
}

/** Does the rule accept SSH traffic of this direction? */
function acceptsSsh(rule: Rule, hook: 'input' | 'output'): boolean {
  const accepts = rule.stmts.some((s) => s.kind === 'verdict' && s.verdict === 'accept');
  for (const s of rule.stmts) {
    if (s.kind === 'vmap' && s.data.kind === 'set' && (isTcpDport(s.key) || (s.key.kind === 'payload' && s.key.field === 'sport'))) {
      if (s.data.elements.some((el) => portIncludesSsh(el.key) && el.value?.kind === 'verdict' && el.value.verdict === 'accept')) return true;
    }
  }
  if (!accepts) return false;
  if (hook === 'output' && ctStatesMatched(rule)?.has('established')) return true;
  return rule.stmts.some((s) => {
    if (s.kind !== 'match' || s.op === '!=' || s.left.kind !== 'payload') return false;
    const field = hook === 'input' ? 'dport' : 'sport';
    if (s.left.field !== field || (s.left.protocol !== 'tcp' && s.left.protocol !== 'th')) return false;
    return portIncludesSsh(s.right);
  });
}

function acceptsSshAnywhere(ti: TableInfo, chain: Chain, upTo: number, hook: 'input' | 'output'): boolean {
  if (chain.rules.slice(0, upTo).some((r) => acceptsSsh(r, hook))) return true;
  // rules in chains it jumps to count too
  const seen = new Set<string>([chain.id]);
  const stack = [chain];
  while (stack.length) {
    const c = stack.pop() as Chain;
    for (const e of ti.edges.get(c.id) ?? []) {
      const t = ti.chains.get(e.target);
      if (!t || seen.has(t.id)) continue;
      seen.add(t.id);
      if (t.rules.some((r) => acceptsSsh(r, hook))) return true;
      stack.push(t);
    }
  }
  return false;
}

export const managementPath: Check = {
  name: 'management path',
  findings: [{ id: 'chain/management-path', severity: 'info', summary: 'a drop policy or catch-all drop on input/output: make sure SSH is accepted first' }],
  run(ctx) {
    for (const ti of ctx.tables) {
      if (!['ip', 'ip6', 'inet'].includes(ti.table.family)) continue;
      for (const chain of ti.table.chains) {
        const b = chain.base;
        if (!b || b.type !== 'filter' || (b.hook !== 'input' && b.hook !== 'output')) continue;
        let cut = chain.rules.findIndex((r) => {
          const v = unconditionalEnd(r);
          return v === 'drop' || v === 'reject';
        });
        const byPolicy = cut < 0;
        if (byPolicy) {
          if (b.policy !== 'drop') continue;
          cut = chain.rules.length;
        }
        if (acceptsSshAnywhere(ti, chain, cut, b.hook)) continue;
        const what = byPolicy ? 'policy drop' : `the catch-all ${unconditionalEnd(chain.rules[cut])}`;
        ctx.report({
          id: 'chain/management-path',
          severity: 'info',
          message: `${chain.name} drops by default (${what}): make sure SSH is accepted before it`,
          why:
            b.hook === 'input'
              ? `Everything not accepted before ${what} is dropped, including a new SSH connection to this host, and — without "ct state established,related accept" — the session you are loading the ruleset from. Accept it first, e.g. "tcp dport 22 accept", and apply with a confirm-or-rollback timer.`
              : `Everything this host sends that is not accepted before ${what} is dropped, including the replies of your SSH session. Accept them first, e.g. "ct state established,related accept", and apply with a confirm-or-rollback timer.`,
          nodeId: byPolicy ? chain.id : chain.rules[cut].id,
          field: byPolicy ? 'policy' : undefined,
          at: byPolicy ? ctx.loc?.valueAfter(chain.id, ['policy'], { header: true }) : undefined,
        });
      }
    }
  },
};
