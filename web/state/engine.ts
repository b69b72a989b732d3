/**
 * The engine: emits the design whenever it changes (emit memoises unchanged
 * chains and rules by identity), keeping the last good text when the design
 * holds something that cannot be written safely. Loaded lazily by main.tsx.
 *
 * It never throws and always subscribes: a design that cannot be printed shows
 * as a refusal with its reason, and the next change is emitted again.
 */
import type { EmitResult } from '../../src/emit/index.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { useDesign } from '../store/design.ts';
import { useDerived } from './derived.ts';
import { emitSafely, errorMessage } from './emitted.ts';

let last: EmitResult = { text: '', map: new Map() };
let lastRs: Ruleset | null = null;
let unsubscribe: (() => void) | undefined;

function update(rs: Ruleset): void {
  if (rs === lastRs) return;
  lastRs = rs;
  try {
    const r = emitSafely(rs);
    if (r.result) {
      last = r.result;
      useDerived.setState({ emitted: { ...r.result, problems: [], stale: false } });
    } else {
      useDerived.setState({ emitted: { ...last, problems: r.problems, stale: true } });
    }
  } catch (e) {
    useDerived.setState({ emitted: { ...last, problems: [{ nodeId: '', field: '', message: `printing the design failed (${errorMessage(e)})` }], stale: true } });
  }
}

/** Starts emitting (once; a second call is a no-op). Returns the stop function. */
export function startEngine(): () => void {
  if (!unsubscribe) {
    unsubscribe = useDesign.subscribe((s) => update(s.ruleset));
    update(useDesign.getState().ruleset);
  }
  return () => {
    unsubscribe?.();
    unsubscribe = undefined;
    lastRs = null;
  };
}
