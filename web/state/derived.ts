/**
 * Results derived from the design by the engine (emitted script, source map,
 * refusals). The engine module (emit, knowledge) loads after first paint and
 * fills this store; until then the preview shows "loading".
 */
import { create } from 'zustand';
import type { Emitted } from './emitted.ts';

export const useDerived = create<{ emitted: Emitted | null }>()(() => ({ emitted: null }));
