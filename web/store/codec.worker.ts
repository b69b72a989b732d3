/**
 * Deflating saved designs off the main thread: receives the JSON of a design in
 * pieces, answers with the zlib bytes (transferred, not copied).
 */
import { deflatePieces } from './codec.ts';

export interface DeflateRequest {
  seq: number;
  pieces: string[];
}

export type DeflateResponse = { seq: number; bytes: Uint8Array } | { seq: number; error: string };

self.onmessage = (e: MessageEvent<DeflateRequest>) => {
  const { seq, pieces } = e.data;
  try {
    const bytes = deflatePieces(pieces);
    self.postMessage({ seq, bytes } satisfies DeflateResponse, { transfer: [bytes.buffer] });
  } catch (err) {
    self.postMessage({ seq, error: String(err) } satisfies DeflateResponse);
  }
};
