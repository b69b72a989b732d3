/**
 * The engine: emits the design whenever it changes (emit memoises unchanged
 * chains and rules by identity), keeping the last good text when the design
 * holds something that cannot be written safely. Loaded lazily by main.tsx.
 */
import type { EmitResult } from '../../src/emit/index.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { useDesign } from '../store/design.ts';
import { useDerived } from './derived.ts';
import { emitSafely } from './emitted.ts';

let last: EmitResult = { text: '', map: new Map() };
let lastRs: Ruleset | null = null;

function update(rs: Ruleset): void {
  if (rs === lastRs) return;
  lastRs = rs;
  const r = emitSafely(rs);
  if (r.result) {
    last = r.result;
    useDerived.setState({ emitted: { ...r.result, problems: [], stale: false } });
  } else {
    useDerived.setState({ emitted: { ...last, problems: r.problems, stale: true } });
  }
}

export function startEngine(): void {
  update(useDesign.getState().ruleset);
  useDesign.subscribe((s) => update(s.ruleset));
}
