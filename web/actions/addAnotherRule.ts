/**
 * "Add another rule" (the rule form's button and Alt+N): a new, empty rule in
 * the same chain — right after the selected rule, or at the end of the selected
 * chain — selected, with the focus on its "Add match" button, so that a chain of
 * rules is written without going back to the chain each time.
 */
import { addRule } from '../../src/model/ops.ts';
import { findNode } from '../../src/model/find.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { applyAndSelect } from './applyAndSelect.ts';

let focusNext: string | null = null;

/** Adds the rule; false if nothing selected is in a chain. */
export function addAnotherRule(): boolean {
  const rs = useDesign.getState().ruleset;
  const id = useUi.getState().selectedId;
  const ref = id ? findNode(rs, id) : undefined;
  let chainId: string;
  let index: number;
  if (ref?.kind === 'rule') {
    chainId = ref.chain.id;
    index = ref.index + 1;
  } else if (ref?.kind === 'chain') {
    chainId = ref.node.id;
    index = ref.node.rules.length;
  } else return false;
  addRuleAt(chainId, index);
  return true;
}

/** A new empty rule at `index` of the chain (the end if left out), selected, taking the focus. */
export function addRuleAt(chainId: string, index?: number): void {
  // a new rule starts empty: no verdict out of nowhere
  applyAndSelect((r) => {
    const out = addRule(r, chainId, { stmts: [] }, index);
    focusNext = out.id;
    return out;
  });
}

/** The rule form asks once, when it opens, whether it should take the focus. */
export function takeFocusRequest(ruleId: string): boolean {
  if (focusNext !== ruleId) return false;
  focusNext = null;
  return true;
}
