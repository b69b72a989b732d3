/**
 * A set of one flag value (`tcp flags { syn }`, `ct status { expected | seen-reply }`)
 * means different things to the two nft versions people run: nft 1.0.6 compiles
 * it to a bit test (a SYN-ACK matches `{ syn }`), nft 1.1 to an exact comparison
 * (ct state stays a bit test in both). Seen in their bytecode (nft
 * --debug=netlink); which sets those are is oneFlagSetValue's (stmts/listingValues.ts),
 * which the listing and the trace read too.
 */
import { formatSelector } from '../../emit/selectors.ts';
import { formatValueExpr, single } from '../../emit/values.ts';
import { exprType } from '../../knowledge/datatypes.ts';
import { oneFlagSetValue } from '../../stmts/listingValues.ts';
import { listingTargetFor, lists11 } from '../../knowledge/listing.ts';
import type { Check } from './check.ts';

export const flagSets: Check = {
  name: 'flagSets',
  findings: [{ id: 'rule/one-flag-set', severity: 'warning', summary: 'a set of one flag value: a bit test for nft 1.0.6, an exact comparison for nft 1.1' }],
  run(ctx) {
    for (const { rule } of ctx.rules()) {
      for (const s of rule.stmts) {
        if (s.kind !== 'match' || s.op !== 'implicit') continue;
        const left = s.left;
        const key = oneFlagSetValue(left, s.right);
        if (!key || (key.kind !== 'value' && key.kind !== 'list')) continue;
        const type = exprType(left);
        const sel = formatSelector(left);
        const flags = formatValueExpr(key, single(type), ',');
        const exactly = lists11(listingTargetFor(ctx.target));
        ctx.report({
          id: 'rule/one-flag-set',
          severity: 'warning',
          message: exactly
            ? `${sel} { … } of one value means exactly ${flags} for nft ${ctx.target}, but a bit test for nft 1.0.6: write ${sel} == ${flags} to say so`
            : `nft ${ctx.target} reads ${sel} { … } of one value as a bit test (any of ${flags} set), not as an exact comparison: write ${sel} ${flags} for the bit test, or ${sel} == ${flags} for exactly ${flags}`,
          why: `A set of one element is compiled differently by the two nft versions people run: nft 1.0.6 (Debian 12) makes it a bit test, so tcp flags { syn } also matches a SYN-ACK; nft 1.1 (Debian 13) makes it an exact comparison. The same file then filters differently on the two hosts. Written without the braces, the intent is the same for both.`,
          nodeId: rule.id,
          at: ctx.loc?.word(rule.id, ['{']),
        });
      }
    }
  },
};
