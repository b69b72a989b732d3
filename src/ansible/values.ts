/**
 * What a per-host define value may be: one nft value on one line, from a small
 * alphabet, so that an inventory value cannot end the `define` statement and start
 * another command, open a comment, or play quoting games, and cannot hold a Jinja
 * delimiter either. The same grammar is enforced twice: here (which of a design's
 * defines become inventory variables) and by the playbook's `assert` on every host
 * (the Python form, DEFINE_VALUE_PATTERN_PY).
 *
 *   atom     letters, digits and _ . / : -      (an address, a prefix, a range 1-2,
 *            a number, a MAC, a symbol)  |  "…" a quoted name of those characters
 *            and * (an interface name like "eth*")
 *   element  atom ( ␠.␠ atom )*                 (a concatenation, spaces around the dot)
 *   value    element  |  { element , element … }  (an anonymous set, blanks around
 *            the braces and commas allowed)
 *
 * Not allowed, on purpose: newlines, `;`, `#`, `$` (a reference to another define),
 * `@`, quotes other than one pair around an atom, nested braces, and more than
 * DEFINE_VALUE_MAX characters.
 */

const ATOM = String.raw`(?:[A-Za-z0-9_./:-]+|"[A-Za-z0-9_./:*-]*")`;
const ELEMENT = String.raw`${ATOM}(?: \. ${ATOM})*`;
const VALUE = String.raw`(?:${ELEMENT}|\{ *${ELEMENT}(?: *, *${ELEMENT})* *\})`;

/** The longest per-host value, in characters. */
export const DEFINE_VALUE_MAX = 1024;

/** The pattern as a JavaScript RegExp (`$` without the m flag: the end of the input). */
export const DEFINE_VALUE_PATTERN = new RegExp(`^${VALUE}$`);

/** The same pattern for Python's re.match (Ansible's `match` test): `\Z`, since Python's `$` also matches before a final newline. */
export const DEFINE_VALUE_PATTERN_PY = String.raw`^${VALUE}\Z`;

/** An Ansible variable name can be built from it: `nft_define_NAME`. */
export const DEFINE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A value the playbook accepts for a per-host define. */
export function isSingleNftValue(value: string): boolean {
  return value.length <= DEFINE_VALUE_MAX && DEFINE_VALUE_PATTERN.test(value);
}
