/**
 * Rules after a rule that ends every packet's path (an unconditional accept,
 * drop, reject, return, goto, queue or NAT statement) are never reached. One
 * finding per chain, on the first dead rule.
 */
import { unconditionalEnd } from '../walk.ts';
import type { Check } from './check.ts';

export const unreachable: Check = {
  name: 'unreachable rules',
  findings: [{ id: 'rule/unreachable', severity: 'warning', summary: 'rules after an unconditional verdict in the same chain' }],
  run(ctx) {
    for (const ti of ctx.tables) {
      for (const chain of ti.table.chains) {
        for (let i = 0; i < chain.rules.length - 1; i++) {
          const verdict = unconditionalEnd(chain.rules[i]);
          if (verdict === undefined) continue;
          const dead = chain.rules.length - 1 - i;
          const first = chain.rules[i + 1];
          const endLine = ctx.loc?.node(chain.rules[i].id)?.startLine;
          ctx.report({
            id: 'rule/unreachable',
            severity: 'warning',
            message: `${dead === 1 ? 'this rule is' : `this rule and the ${dead - 1} after it are`} never reached: the rule before${endLine ? ` (line ${endLine})` : ''} ends with an unconditional ${verdict}`,
            why: `nft tries rules top to bottom, and a rule without any match applies to every packet; after "${verdict}" nothing below it in chain ${chain.name} runs. Move the catch-all rule to the end, or add a match to it.`,
            nodeId: first.id,
          });
          break;
        }
      }
    }
  },
};
