/**
 * The stateless form of an nft listing, as `nft -s list ruleset` prints it: what
 * packets did to counters, quotas and timed set elements is left out, so that a
 * host's live listing and a design compare on what was configured, not on what
 * traffic has done since.
 *
 * - `counter packets N bytes N` → `counter` (rules and per-element counters)
 * - a named counter's body `packets N bytes N` → nothing
 * - `quota 25 mbytes used 1 mbytes` → `quota 25 mbytes`
 * - `expires 29m59s992ms` of a set element → nothing
 *
 * Only text outside double quotes is touched (a comment saying "counter packets 1
 * bytes 2" stays as written).
 */

const RULES: [RegExp, string][] = [
  [/\bcounter packets \d+ bytes \d+/g, 'counter'],
  [/ used \d+ [a-z]+/g, ''],
  [/ expires [0-9dhms]+/g, ''],
];

/** One line made stateless (quoted parts untouched). */
function statelessLine(line: string): string {
  // a named counter object's body line: `\t\tpackets 5 bytes 100`
  if (/^\s*packets \d+ bytes \d+\s*$/.test(line)) return '';
  if (!/packets|used|expires/.test(line)) return line;
  const parts = line.split('"');
  for (let i = 0; i < parts.length; i += 2) {
    let s = parts[i];
    for (const [re, to] of RULES) s = s.replace(re, to);
    parts[i] = s;
  }
  return parts.join('"');
}

/** The stateless form of a listing; lines that only held state are dropped. */
export function statelessText(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const s = statelessLine(line);
    if (s === '' && line !== '') continue;
    out.push(s);
  }
  return out.join('\n');
}
