/**
 * lint(ruleset) → Diagnostic[]: builds the shared indexes once (context.ts),
 * runs every check (checks/index.ts), and orders the findings by position when
 * the ruleset came from text. A check that throws is reported, not fatal: the
 * linter runs on every edit in a worker and must always answer.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Ruleset } from '../model/types.ts';
import { CHECKS } from './checks/index.ts';
import { LintContext, type LintOptions } from './context.ts';

export function lint(rs: Ruleset, opts: LintOptions = {}): Diagnostic[] {
  const ctx = new LintContext(rs, opts);
  for (const check of CHECKS) {
    try {
      check.run(ctx);
    } catch (e) {
      ctx.out.push({
        id: 'lint/internal',
        severity: 'info',
        message: `the ${check.name} check failed: ${e instanceof Error ? e.message : String(e)}`,
        why: 'This is a bug in the designer, not in your ruleset; the other checks still ran. Please report it with the ruleset.',
      });
    }
  }
  if (opts.source) sortByPosition(ctx.out);
  return ctx.out;
}

/** Stable sort by range; findings without a range keep their order, after the others. */
function sortByPosition(ds: Diagnostic[]): void {
  const order = new Map(ds.map((d, i) => [d, i]));
  ds.sort((a, b) => {
    const ra = a.range;
    const rb = b.range;
    if (ra && rb) return ra.startLine - rb.startLine || ra.startCol - rb.startCol || (order.get(a) as number) - (order.get(b) as number);
    if (ra) return -1;
    if (rb) return 1;
    return (order.get(a) as number) - (order.get(b) as number);
  });
}
