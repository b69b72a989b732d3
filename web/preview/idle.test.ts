import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdleTasks } from './idle.ts';

describe('IdleTasks', () => {
  afterEach(() => vi.useRealTimers());

  it('runs a task later, once; scheduling the same key again replaces it', () => {
    vi.useFakeTimers();
    const t = new IdleTasks();
    const runs: string[] = [];
    t.schedule('markers', () => runs.push('a'));
    t.schedule('markers', () => runs.push('b'));
    t.schedule('highlight', () => runs.push('h'));
    expect(runs).toEqual([]);
    expect(t.has('markers')).toBe(true);
    vi.runAllTimers();
    expect(runs.sort()).toEqual(['b', 'h']);
    expect(t.has('markers')).toBe(false);
    vi.runAllTimers();
    expect(runs).toHaveLength(2);
  });

  it('cancel drops a task; flush runs what is pending now, and nothing runs twice', () => {
    vi.useFakeTimers();
    const t = new IdleTasks();
    const runs: string[] = [];
    t.schedule('a', () => runs.push('a'));
    t.schedule('b', () => runs.push('b'));
    t.cancel('a');
    t.flush();
    expect(runs).toEqual(['b']);
    vi.runAllTimers();
    expect(runs).toEqual(['b']);
  });

  it('dispose drops everything pending', () => {
    vi.useFakeTimers();
    const t = new IdleTasks();
    const run = vi.fn();
    t.schedule('a', run);
    t.dispose();
    vi.runAllTimers();
    expect(run).not.toHaveBeenCalled();
  });

  it('uses requestIdleCallback where there is one, with its timeout', () => {
    const calls: { timeout?: number }[] = [];
    const cbs: (() => void)[] = [];
    vi.stubGlobal('requestIdleCallback', (cb: () => void, o?: { timeout: number }) => {
      calls.push(o ?? {});
      cbs.push(cb);
      return cbs.length;
    });
    vi.stubGlobal('cancelIdleCallback', () => {});
    try {
      const t = new IdleTasks(150);
      const run = vi.fn();
      t.schedule('a', run);
      expect(calls).toEqual([{ timeout: 150 }]);
      cbs[0]();
      expect(run).toHaveBeenCalledOnce();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
