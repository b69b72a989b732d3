/**
 * JSON gives a chain priority as a number; the model keeps it the way nft lists
 * it: a standard name and offset where nft prints one (`-300` on an ip hook is
 * `raw`, `-155` is `mangle - 5`), the number otherwise.
 */
import type { Family, Hook, Priority } from '../model/types.ts';
import { formatPriorityValue } from '../knowledge/priorities.ts';

export function priorityFromValue(family: Family, hook: Hook, value: number): Priority {
  const text = formatPriorityValue(family, hook, value);
  const m = /^([a-z]+)(?: ([+-]) (\d+))?$/.exec(text);
  if (!m) return { kind: 'num', value };
  const offset = m[3] === undefined ? 0 : Number(m[3]) * (m[2] === '-' ? -1 : 1);
  return { kind: 'std', name: m[1], offset };
}
