/**
 * Bit operations nft cannot take. The parser refuses a chain of more than
 * MAX_BIT_OPERATIONS operators, but one path can also cross parentheses:
 * `ip saddr . (meta mark & 1 …×30) & 1 …×23` reads as two chains, while nft
 * 1.0.6 counts the 53 operations on the path together and aborts (measured: 30
 * + 22 loads, 30 + 23 crashes with "stack smashing detected").
 */
import { stmtNestingProblem } from '../../model/nesting.ts';
import type { Check } from './check.ts';

export const nesting: Check = {
  name: 'expression nesting',
  findings: [{ id: 'rule/too-deep', severity: 'error', summary: 'more bit operations in one expression than nft 1.0.6 takes (it crashes)' }],
  run(ctx) {
    for (const { rule } of ctx.rules()) {
      for (const s of rule.stmts) {
        const problem = stmtNestingProblem(s);
        if (!problem) continue;
        ctx.report({
          id: 'rule/too-deep',
          severity: 'error',
          message: problem,
          why: 'nft 1.0.6 evaluates an expression recursively into a fixed-size buffer: past 52 bit operations on one path (counted across parentheses) it aborts with "stack smashing detected" instead of giving an error, and loads nothing. Fold constant masks into one value (`meta mark & 0xff` instead of `& 0xfff & 0xff`), or split the work over several rules.',
          nodeId: rule.id,
          field: 'statement',
        });
        break;
      }
    }
  },
};
