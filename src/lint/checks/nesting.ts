/**
 * Bit operations nft cannot take. The parser refuses a chain of more than
 * MAX_BIT_OPERATIONS operators (nft 1.0.6's limit), but one path can also cross
 * parentheses: `ip saddr . (meta mark & 1 …×30) & 1 …×23` reads as two chains,
 * while nft 1.0.6 counts the 53 operations on the path together and aborts
 * (measured: 30 + 22 loads, 30 + 23 crashes with "stack smashing detected").
 * Newer nft takes fewer (bitOperationLimit: 15 for Debian 13's 1.1.3), so the
 * target version decides.
 */
import { bitOperationLimit } from '../../knowledge/versions.ts';
import { deepestBitPath } from '../../model/nesting.ts';
import { stmtExprs, stmtNestingProblem } from '../../stmts/exprs.ts';
import type { Statement } from '../../model/stmt.ts';
import type { Check } from './check.ts';

function deepestInStmt(s: Statement): number {
  let most = 0;
  for (const e of stmtExprs(s)) most = Math.max(most, deepestBitPath(e));
  return most;
}

export const nesting: Check = {
  name: 'expression nesting',
  findings: [{ id: 'rule/too-deep', severity: 'error', summary: 'more bit operations in one expression than the target nft takes' }],
  run(ctx) {
    const limit = bitOperationLimit(ctx.target);
    for (const { rule } of ctx.rules()) {
      for (const s of rule.stmts) {
        const ops = deepestInStmt(s);
        const problem = ops > limit.most
          ? `${ops} bit operations (&, |, ^, <<, >>) on one path of an expression: nft ${ctx.target} takes at most ${limit.most} and ${limit.beyond}`
          : stmtNestingProblem(s);
        if (!problem) continue;
        ctx.report({
          id: 'rule/too-deep',
          severity: 'error',
          message: problem,
          why: `nft evaluates an expression recursively and bounds how many bit operations one path may hold (counted across parentheses): nft ${ctx.target} takes ${limit.most}, and with more it ${limit.beyond}. Fold constant masks into one value (\`meta mark & 0xff\` instead of \`& 0xfff & 0xff\`), or split the work over several rules.`,
          nodeId: rule.id,
          field: 'statement',
        });
        break;
      }
    }
  },
};
