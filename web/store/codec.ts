/**
 * The stored form of a design: its JSON text, deflated (zlib; a 50,000-rule
 * design is ~18 MB of JSON and ~0.7 MB deflated). Pure functions, shared by the
 * main thread and the compression worker (codec.worker.ts).
 *
 * Why in pieces: JSON.stringify of a big design holds the main thread for
 * ~100 ms and deflating it for ~500 ms — long enough to swallow keystrokes. The
 * JSON is written in slices of a few milliseconds (`jsonPieces`, which yields to
 * the browser between slices), and the deflating runs in the worker, or — where
 * there is no worker — in slices too (`deflateInSlices`).
 */
import { Zlib, strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';

/** Level 6 for autosaves (smaller); the flush on closing the tab uses level 1 (about twice as fast). */
export const LEVEL = 6;
export const FAST_LEVEL = 1;

/** How long one slice of main-thread work may run before the browser gets a turn. */
const SLICE_MS = 8;
/**
 * Containers this deep and deeper are written by JSON.stringify in one go: in a
 * saved design that is one rule, one set element, one object (saved design →
 * ruleset → tables → table → chains → chain → rules → rule).
 */
const NATIVE_DEPTH = 7;
/** Bytes deflated between two yields when deflating on the main thread. */
const DEFLATE_SLICE = 256 * 1024;

type Yield = () => Promise<void>;

/** Give the browser a turn (input, paint): scheduler.yield where there is one. */
export const yieldToBrowser: Yield = () => {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return typeof s?.yield === 'function' ? s.yield() : new Promise((r) => setTimeout(r, 0));
};

/**
 * JSON.stringify(value) for plain data (what a design is), as pieces whose
 * concatenation is exactly that text; between pieces the browser gets a turn.
 * The value must not change meanwhile — designs are immutable (every change
 * makes a new ruleset), so a snapshot stays a snapshot.
 */
export async function jsonPieces(value: unknown, opts: { sliceMs?: number; yieldFn?: Yield } = {}): Promise<string[]> {
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  const yieldFn = opts.yieldFn ?? yieldToBrowser;
  const pieces: string[] = [];
  let buf: string[] = [];
  let start = performance.now();
  const tick = async (): Promise<void> => {
    if (performance.now() - start < sliceMs) return;
    pieces.push(buf.join(''));
    buf = [];
    await yieldFn();
    start = performance.now();
  };
  const leaf = (v: unknown, depth: number): boolean => depth >= NATIVE_DEPTH || v === null || typeof v !== 'object' || typeof (v as { toJSON?: unknown }).toJSON === 'function';
  const walk = async (v: object, depth: number): Promise<void> => {
    if (Array.isArray(v)) {
      buf.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i) buf.push(',');
        const x: unknown = v[i];
        if (leaf(x, depth + 1)) {
          // as JSON.stringify does: undefined, functions and symbols in arrays are null
          buf.push(JSON.stringify(x) ?? 'null');
          await tick();
        } else await walk(x as object, depth + 1);
      }
      buf.push(']');
      return;
    }
    buf.push('{');
    let first = true;
    for (const k of Object.keys(v)) {
      const x: unknown = (v as Record<string, unknown>)[k];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue; // left out, as JSON.stringify does
      buf.push(first ? '' : ',', JSON.stringify(k), ':');
      first = false;
      if (leaf(x, depth + 1)) {
        buf.push(JSON.stringify(x));
        await tick();
      } else await walk(x as object, depth + 1);
    }
    buf.push('}');
  };
  if (leaf(value, 0)) buf.push(JSON.stringify(value) ?? 'null');
  else await walk(value as object, 0);
  pieces.push(buf.join(''));
  return pieces.filter((p) => p.length > 0);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The pieces' text (UTF-8), deflated as one zlib stream, at once (in the worker, or when the tab closes). */
export function deflatePieces(pieces: string[], level: typeof LEVEL | typeof FAST_LEVEL = LEVEL): Uint8Array {
  if (pieces.length === 1) return zlibSync(strToU8(pieces[0]), { level });
  const out: Uint8Array[] = [];
  const z = new Zlib({ level }, (chunk) => out.push(chunk));
  pieces.forEach((p, i) => z.push(strToU8(p), i === pieces.length - 1));
  if (pieces.length === 0) z.push(new Uint8Array(0), true);
  return concat(out);
}

/** As deflatePieces, giving the browser a turn every DEFLATE_SLICE bytes (main thread without a worker). */
export async function deflateInSlices(pieces: string[], yieldFn: Yield = yieldToBrowser): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  const z = new Zlib({ level: LEVEL }, (chunk) => out.push(chunk));
  for (const p of pieces) {
    const bytes = strToU8(p);
    for (let at = 0; at < bytes.length; at += DEFLATE_SLICE) {
      z.push(bytes.subarray(at, at + DEFLATE_SLICE));
      await yieldFn();
    }
  }
  z.push(new Uint8Array(0), true);
  return concat(out);
}

/** The text of a stored design (throws when the bytes are not a zlib stream of UTF-8). */
export function inflateText(bytes: Uint8Array): string {
  return strFromU8(unzlibSync(bytes));
}

/** Bytes as base64 (a record that cannot be inflated is offered for download in this form). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
