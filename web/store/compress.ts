/**
 * Compressing a design for storage without freezing the page: the JSON is
 * written in slices on the main thread (codec.ts) and deflated in a module
 * worker of our own (served from 'self', so the CSP needs no blob: workers and
 * one worker serves every save). Where there is no worker (unit tests) or it
 * fails to start, the deflating runs on the main thread in slices instead.
 */
import { deflateInSlices, deflatePieces, FAST_LEVEL, jsonPieces } from './codec.ts';
import type { DeflateRequest, DeflateResponse } from './codec.worker.ts';

let worker: Worker | null | undefined;
let seq = 0;
const waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

function failAll(why: string): void {
  worker?.terminate();
  worker = null; // from now on: the main-thread path
  for (const w of waiting.values()) w.reject(new Error(why));
  waiting.clear();
}

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (typeof Worker !== 'function') return (worker = null);
  try {
    worker = new Worker(new URL('./codec.worker.ts', import.meta.url), { type: 'module', name: 'nftd-compress' });
  } catch {
    return (worker = null);
  }
  worker.onmessage = (e: MessageEvent<DeflateResponse>) => {
    const w = waiting.get(e.data.seq);
    waiting.delete(e.data.seq);
    if (!w) return;
    if ('bytes' in e.data) w.resolve(e.data.bytes);
    else w.reject(new Error(e.data.error));
  };
  // a worker that cannot load (blocked, or a script error) says so here
  worker.onerror = (e) => {
    e.preventDefault();
    failAll(`the compression worker failed (${e.message || 'it could not be loaded'})`);
  };
  return worker;
}

/** A worker that has not answered by then is taken for dead (saves wait in line behind this one). */
const WORKER_TIMEOUT_MS = 60_000;

function deflateInWorker(w: Worker, pieces: string[]): Promise<Uint8Array> {
  const id = ++seq;
  return new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => failAll('the compression worker did not answer'), WORKER_TIMEOUT_MS);
    const done = <T,>(fn: (v: T) => void) => (v: T) => {
      clearTimeout(timer);
      fn(v);
    };
    waiting.set(id, { resolve: done(resolve), reject: done(reject) });
    w.postMessage({ seq: id, pieces } satisfies DeflateRequest);
  });
}

/**
 * A span on the performance timeline (DevTools, the UI benchmark and the e2e
 * figures read them); never fails a save.
 */
export function measure(name: string, start: number): void {
  try {
    performance.measure(name, { start, end: performance.now() });
  } catch {
    // no User Timing here (some test environments)
  }
}

/** JSON of `value`, deflated; the main thread only ever works in short slices. */
export async function compressJson(value: unknown): Promise<Uint8Array> {
  const t0 = performance.now();
  const pieces = await jsonPieces(value);
  measure('nftd.save.json', t0);
  const t1 = performance.now();
  const w = getWorker();
  if (w) {
    try {
      const bytes = await deflateInWorker(w, pieces);
      measure('nftd.save.deflate-worker', t1);
      return bytes;
    } catch {
      // the worker is gone (failAll): deflate here instead
    }
  }
  const bytes = await deflateInSlices(pieces);
  measure('nftd.save.deflate-main', t1);
  return bytes;
}

/**
 * At once, on this thread: when the tab is being hidden or closed there may be
 * no later turn for a worker's answer, so the bytes must exist before the
 * event handler returns.
 */
export function compressJsonNow(value: unknown): Uint8Array {
  const t0 = performance.now();
  const bytes = deflatePieces([JSON.stringify(value)], FAST_LEVEL);
  measure('nftd.save.now', t0);
  return bytes;
}
