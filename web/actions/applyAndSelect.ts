/** Apply an operation that creates a node (one undo step) and select what it created. */
import type { Ruleset } from '../../src/model/types.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';

export function applyAndSelect(fn: (rs: Ruleset) => { ruleset: Ruleset; id: string }): void {
  let id = '';
  useDesign.getState().apply((rs) => {
    const r = fn(rs);
    id = r.id;
    return r.ruleset;
  });
  if (id) useUi.getState().select(id);
}
