/**
 * Chain policy: only `accept` or `drop` (or a `$variable` holding the quoted
 * string `"accept"` / `"drop"`: `define POL = drop` is a syntax error in nft).
 * The model cannot put a policy on a regular chain (the parser reports it as
 * `parse/policy`).
 */
import type { Check } from './check.ts';

export const chainPolicy: Check = {
  name: 'chain policy',
  findings: [{ id: 'chain/policy-value', severity: 'error', summary: 'a policy other than accept or drop' }],
  run(ctx) {
    for (const ti of ctx.tables) {
      for (const chain of ti.table.chains) {
        const pol = chain.base?.policy;
        if (pol === undefined || pol === 'accept' || pol === 'drop') continue;
        let problem: string | undefined;
        if (pol.startsWith('$')) {
          const value = ctx.defineValue(pol.slice(1))?.trim();
          if (value === undefined) continue; // ref/undefined-variable reports it
          if (value === '"accept"' || value === '"drop"') continue;
          problem =
            value === 'accept' || value === 'drop'
              ? `${pol} must hold the quoted string "${value}": nft reads "define ${pol.slice(1)} = ${value}" as a syntax error`
              : `${pol} is ${value}; a policy must be accept or drop`;
        } else problem = `policy ${pol} is not allowed; a policy is accept or drop`;
        ctx.report({
          id: 'chain/policy-value',
          severity: 'error',
          message: problem,
          why: 'The policy is what a base chain does with a packet that no rule accepted or dropped, so only accept and drop make sense; nft refuses anything else as a syntax error. To continue or return, write a rule at the end of the chain instead.',
          nodeId: chain.id,
          field: 'policy',
          at: ctx.loc?.valueAfter(chain.id, ['policy'], { header: true }),
        });
      }
    }
  },
};
