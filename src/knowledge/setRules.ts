/**
 * Rules for named set and map declarations (nft 1.0.6, verified by loading each
 * case in a private network namespace):
 * - prefixes and ranges as elements need `flags interval` (`You must add 'flags
 *   interval' to your set declaration …`);
 * - `auto-merge` only works with interval sets;
 * - an element `timeout` needs the `timeout` flag or a default `timeout` on the set
 *   (the kernel answers `Invalid argument`), and so does `update @s { … timeout … }`
 *   (`Operation not supported`);
 * - `type integer`, `type string` and `type verdict` cannot be a key: their size is
 *   unknown (`unqualified type X specified in set definition. Try "typeof
 *   expression" …`). Map *data* may be `verdict`.
 */

/** Key datatypes that need `typeof EXPR` instead of `type`, with an example. */
export const TYPEOF_ONLY_KEY_TYPES: Readonly<Record<string, string>> = {
  integer: 'typeof meta mark',
  string: 'typeof meta iifname',
  verdict: 'a map (type KEY : verdict) instead of a set of verdicts',
};

/** Map data types that can name stateful objects (`type ipv4_addr : counter`). */
export const OBJECT_MAP_TYPES: readonly string[] = ['counter', 'quota', 'limit', 'secmark', 'synproxy', 'ct helper', 'ct timeout', 'ct expectation'];

export function setHasTimeout(flags: readonly string[], timeout: string | undefined): boolean {
  return flags.includes('timeout') || timeout !== undefined;
}

export function setIsInterval(flags: readonly string[]): boolean {
  return flags.includes('interval');
}
