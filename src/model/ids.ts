/**
 * Stable node ids. An id never appears in emitted text; it links a model node to
 * its form, its lines in the preview and its diagnostics. Ids are unique within a
 * session (a per-session random prefix plus a counter), so nodes parsed at
 * different times never collide when the app reconciles them into one design.
 */
const session = Math.random().toString(36).slice(2, 6);
let counter = 0;

export type NodeKind = 'rs' | 't' | 'c' | 'r' | 's' | 'o' | 'f' | 'd' | 'x';

export function newId(kind: NodeKind): string {
  counter += 1;
  return `${kind}_${session}${counter.toString(36)}`;
}
