/**
 * Array helpers for input-sized arrays. `target.push(...source)` passes every
 * element as an argument on the stack, so it throws "Maximum call stack size
 * exceeded" from about 125,000 elements: a set of 200,000 addresses (which nft
 * loads in a second) must not.
 */

/** Append every element of `source` to `target`, in order, without spreading. */
export function appendAll<T>(target: T[], source: readonly T[]): void {
  for (let i = 0; i < source.length; i++) target.push(source[i]);
}
