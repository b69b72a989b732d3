/**
 * Work the preview puts off until the main thread is idle: re-setting the
 * markers and the selection highlight after the app's text changed under them
 * with nothing else new (a form keystroke). Monaco moves markers and
 * decorations along with the edit that `applyText` makes, so they stay on
 * their lines meanwhile; the exact ranges for the new text follow once the
 * keystroke has been painted, off its path (with 5,000 rules and 1,200
 * findings, re-setting the markers is most of what the edit costs Monaco).
 *
 * One pending task per key: scheduling again replaces it. `flush` runs what is
 * pending now (before work that must see it done), `dispose` drops it.
 */
type Handle = { cancel: () => void };

function later(fn: () => void, timeoutMs: number): Handle {
  const g = globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number; cancelIdleCallback?: (h: number) => void };
  if (typeof g.requestIdleCallback === 'function' && typeof g.cancelIdleCallback === 'function') {
    const h = g.requestIdleCallback(fn, { timeout: timeoutMs });
    return { cancel: () => g.cancelIdleCallback?.(h) };
  }
  const h = setTimeout(fn, 0);
  return { cancel: () => clearTimeout(h) };
}

export class IdleTasks {
  private pending = new Map<string, { run: () => void; handle: Handle }>();

  /** @param timeoutMs at the latest this long after (requestIdleCallback's timeout) */
  constructor(private readonly timeoutMs = 200) {}

  schedule(key: string, run: () => void): void {
    this.cancel(key);
    const task = {
      run,
      handle: later(() => {
        if (this.pending.get(key) !== task) return;
        this.pending.delete(key);
        run();
      }, this.timeoutMs),
    };
    this.pending.set(key, task);
  }

  /** Drops the pending task for `key` (its work is being done now, or no longer wanted). */
  cancel(key: string): void {
    const t = this.pending.get(key);
    if (!t) return;
    t.handle.cancel();
    this.pending.delete(key);
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  /** Runs every pending task now. */
  flush(): void {
    const tasks = [...this.pending.values()];
    this.pending.clear();
    for (const t of tasks) {
      t.handle.cancel();
      t.run();
    }
  }

  dispose(): void {
    for (const t of this.pending.values()) t.handle.cancel();
    this.pending.clear();
  }
}
