/**
 * What emit remembers of one rule object, by identity: its problems (validate.ts)
 * and its listing (emit.ts). One side table for both, so a freshly parsed model
 * costs one WeakMap entry per rule, not two, while a keystroke in one rule of a
 * 5,000-rule chain still re-checks and re-prints that rule only.
 */
import type { Family, Rule, SetDecl } from '../model/types.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import type { EmitProblem } from './validate.ts';

export interface RuleMemo {
  /** the rule's problems, once checked */
  problems: readonly EmitProblem[] | undefined;
  /** the rule's listing, once written, and what it was written for */
  text: string | undefined;
  /** how many line breaks the text holds (a rule with a chain binding is listed on several lines) */
  breaks: number;
  family: Family | undefined;
  target: ListingTarget | undefined;
  /** for a rule whose text reads the table's sets (readsSets), the sets it was written with */
  sets: readonly SetDecl[] | undefined;
  /** the rule holds a meter (which nft 1.1 lists as a set of the table) */
  meter: boolean;
}

const memos = new WeakMap<Rule, RuleMemo>();

export function ruleMemo(r: Rule): RuleMemo {
  let m = memos.get(r);
  if (m === undefined) {
    m = { problems: undefined, text: undefined, breaks: 0, family: undefined, target: undefined, sets: undefined, meter: false };
    memos.set(r, m);
  }
  return m;
}
