/** The shape of one lint check: the findings it can produce, and how it runs. */
import type { Severity } from '../../model/diagnostic.ts';
import type { LintContext } from '../context.ts';

export interface CheckFinding {
  id: string;
  severity: Severity;
  /** one line, for the docs and the rule catalogue */
  summary: string;
}

export interface Check {
  name: string;
  findings: readonly CheckFinding[];
  run(ctx: LintContext): void;
}
