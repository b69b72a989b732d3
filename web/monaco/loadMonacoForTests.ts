/**
 * Monaco's editor API under vitest + jsdom, for tests only: jsdom lacks
 * `CSS.escape` and `matchMedia`, which Monaco's theme service calls when it
 * starts, and `ResizeObserver`, which an editor with `automaticLayout` uses
 * (jsdom has no layout, so a stub that never reports is faithful enough). Importing the API takes several seconds (it is one large module
 * graph), so call this from a `beforeAll` with a long timeout.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api';

export async function loadMonacoForTests(): Promise<typeof MonacoApi> {
  const g = globalThis as { CSS?: { escape?: (s: string) => string } };
  if (typeof g.CSS?.escape !== 'function') {
    Object.defineProperty(globalThis, 'CSS', { value: { escape: (s: string) => s.replace(/[^\w-]/g, (c) => `\\${c}`) }, configurable: true });
  }
  if (typeof window.matchMedia !== 'function') {
    Object.defineProperty(window, 'matchMedia', {
      configurable: true,
      value: (query: string): MediaQueryList =>
        ({
          matches: false,
          media: query,
          onchange: null,
          addListener: () => {},
          removeListener: () => {},
          addEventListener: () => {},
          removeEventListener: () => {},
          dispatchEvent: () => false,
        }) as MediaQueryList,
    });
  }
  if (typeof globalThis.ResizeObserver !== 'function') {
    class NoLayoutResizeObserver {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    }
    Object.defineProperty(globalThis, 'ResizeObserver', { value: NoLayoutResizeObserver, configurable: true });
  }
  // jsdom has no canvas (it logs "not implemented"); the overview ruler and
  // minimap draw on one, so hand them a context that accepts every call
  HTMLCanvasElement.prototype.getContext = function getContext(this: HTMLCanvasElement) {
    const state: Record<string | symbol, unknown> = { canvas: this };
    return new Proxy(state, {
      get: (target, key) => (key in target ? target[key] : key === 'measureText' ? () => ({ width: 0 }) : () => undefined),
      set: (target, key, value) => {
        target[key] = value;
        return true;
      },
    });
  } as unknown as typeof HTMLCanvasElement.prototype.getContext;
  return import('monaco-editor/editor/editor.api');
}
