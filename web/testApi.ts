/**
 * A small, read-mostly window API for the end-to-end tests and the UI benchmark
 * (the tldraw pattern of a typed in-page fixture): what the preview would show,
 * and the design as data. It exposes nothing that the page itself does not show.
 */
import { useDesign } from './store/design.ts';
import { useUi } from './store/ui.ts';
import type { Ruleset } from '../src/model/types.ts';

export interface NftdTestApi {
  /** the emitted script of the current design ('' when it cannot be written) */
  script: () => Promise<string>;
  ruleset: () => Ruleset;
  selectedId: () => string | null;
  select: (id: string | null) => void;
}

declare global {
  interface Window {
    __nftd?: NftdTestApi;
  }
}

export function installTestApi(): void {
  window.__nftd = {
    script: async () => (await import('./state/emitted.ts')).emitSafely(useDesign.getState().ruleset).result?.text ?? '',
    ruleset: () => useDesign.getState().ruleset,
    selectedId: () => useUi.getState().selectedId,
    select: (id) => useUi.getState().select(id),
  };
}
