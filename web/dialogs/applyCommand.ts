/**
 * The "copy apply command" for the companion agent: the script travels in a
 * quoted here-document (no expansion), under a random delimiter that does not
 * occur anywhere in the script — so no script content can end the
 * here-document early and run as shell.
 *
 * A terminal turns a pasted carriage return into Enter (and other control
 * characters into keystrokes or escape sequences, e.g. the end of bracketed
 * paste), so a line the shell sees is not what `split('\n')` sees: a script
 * holding any control character other than tab and newline is refused.
 */

/** C0 controls except tab and newline, DEL, C1 controls, and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

export type ApplyCommandResult = { ok: true; command: string } | { ok: false; error: string };

/** Why the script cannot be pasted into a terminal safely, or null. */
export function unsafeForTerminal(script: string): string | null {
  const m = UNSAFE_CHAR.exec(script);
  if (!m) return null;
  const line = script.slice(0, m.index).split(/\r\n|\r|\n/).length;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  const what = m[0] === '\r' ? 'a carriage return' : `the control character U+${code}`;
  return `the script contains ${what} (line ${line}), which a terminal would treat as a keystroke: it cannot be pasted safely. Download the .nft file instead.`;
}

function randomHex(bytes: number, random: (a: Uint8Array<ArrayBuffer>) => Uint8Array): string {
  const a = random(new Uint8Array(bytes));
  let s = '';
  for (const b of a) s += b.toString(16).padStart(2, '0');
  return s;
}

const defaultRandom = (a: Uint8Array<ArrayBuffer>): Uint8Array => globalThis.crypto.getRandomValues(a);

/**
 * The shell command that pipes `script` into `nft-agent apply`. `random` is
 * only for tests (it defaults to crypto.getRandomValues).
 */
export function applyCommand(script: string, confirmSeconds = 60, random: (a: Uint8Array<ArrayBuffer>) => Uint8Array = defaultRandom): ApplyCommandResult {
  const problem = unsafeForTerminal(script);
  if (problem) return { ok: false, error: problem };
  if (!Number.isInteger(confirmSeconds) || confirmSeconds < 1) return { ok: false, error: 'the confirmation time must be a whole number of seconds' };
  const lines = script.split(/\r\n|\r|\n/);
  let delim = '';
  for (let i = 0; i < 16; i++) {
    const d = `NFT_DESIGNER_EOF_${randomHex(8, random)}`;
    // not only no line equal to it: it occurs nowhere in the script
    if (!script.includes(d) && !lines.some((l) => l.trim() === d)) {
      delim = d;
      break;
    }
  }
  if (!delim) return { ok: false, error: 'could not pick a here-document delimiter that does not occur in the script' };
  const body = script === '' || script.endsWith('\n') ? script : `${script}\n`;
  return { ok: true, command: `nft-agent apply --confirm ${confirmSeconds} - <<'${delim}'\n${body}${delim}\n` };
}
