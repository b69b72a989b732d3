/**
 * Share links: the design, compressed (deflate) and base64url-encoded, in the URL
 * fragment — it never reaches a server. Opening one treats it as untrusted input:
 * size limits (before and while decompressing), JSON, the model validator,
 * and the emitter's safety checks. What it would run on a host besides its
 * tables (top-level commands, includes, `flush ruleset`) is listed for the
 * person to confirm before the design opens.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import { validateRuleset } from '../../src/model/validate.ts';
import { emitProblems } from '../../src/emit/validate.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { SHARE_PREFIX } from './shareLink.ts';

export { SHARE_PREFIX };
export const MAX_FRAGMENT = 2_000_000;
/** the most a share link may decompress to */
export const MAX_JSON = 20_000_000;
/** compressed bytes fed to the inflater at a time: each step can grow by at most ~1000× */
const INFLATE_STEP = 4096;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Decompress at most `max` bytes: the output is counted as it is produced and
 * decompression stops as soon as it goes over (a few MB of a highly
 * compressible link would otherwise inflate to gigabytes).
 */
export function inflateCapped(data: Uint8Array, max: number): { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: boolean } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > max) over = true;
    else if (chunk.length) chunks.push(chunk);
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let i = 0; i < data.length && !over; i += INFLATE_STEP) {
      const end = Math.min(i + INFLATE_STEP, data.length);
      inflater.push(data.subarray(i, end), end === data.length);
    }
  } catch {
    return { ok: false, tooLarge: over };
  }
  if (over) return { ok: false, tooLarge: true };
  if (chunks.length === 1) return { ok: true, bytes: chunks[0] };
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { ok: true, bytes };
}

export function encodeShare(name: string, ruleset: Ruleset): string {
  const json = JSON.stringify({ v: 1, name, ruleset });
  return `${SHARE_PREFIX}v1.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** Something a shared design would run on a host besides creating its tables. */
export interface NotableCommand {
  text: string;
  note: string;
}

/**
 * What the person must see before a shared design opens: its top-level
 * commands, its includes, and a `flush ruleset` preamble. Empty when the
 * design only declares tables (and defines).
 */
export function notableCommands(rs: Ruleset): NotableCommand[] {
  const out: NotableCommand[] = [];
  if (rs.preamble === 'flush') out.push({ text: 'flush ruleset', note: 'before the tables (the export setting): removes every table on the host, also those of other tools' });
  for (const inc of rs.includes) out.push({ text: `include "${inc.path}"`, note: 'reads a file on the host when the script is loaded' });
  for (const c of rs.commands) if (c.at === 'start') out.push({ text: c.text, note: 'runs before the tables' });
  for (const c of rs.commands) if (c.at !== 'start') out.push({ text: c.text, note: 'runs after the tables' });
  return out;
}

export type ShareResult = { ok: true; name: string; ruleset: Ruleset; notable: NotableCommand[] } | { ok: false; error: string };

export function decodeShare(hash: string): ShareResult {
  if (!hash.startsWith(SHARE_PREFIX)) return { ok: false, error: 'not a share link' };
  const body = hash.slice(SHARE_PREFIX.length);
  if (body.length > MAX_FRAGMENT) return { ok: false, error: 'the share link is too large' };
  if (!body.startsWith('v1.')) return { ok: false, error: 'unknown share link version' };
  let json: string;
  try {
    const r = inflateCapped(fromBase64Url(body.slice(3)), MAX_JSON);
    if (!r.ok) return { ok: false, error: r.tooLarge ? `the shared design is too large (more than ${MAX_JSON / 1_000_000} MB once decompressed)` : 'the share link is damaged (it could not be decompressed)' };
    json = strFromU8(r.bytes);
  } catch {
    return { ok: false, error: 'the share link is damaged (it could not be decompressed)' };
  }
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return { ok: false, error: 'the share link is damaged (not valid JSON)' };
  }
  if (typeof v !== 'object' || v === null || (v as { v?: unknown }).v !== 1) return { ok: false, error: 'unknown share link content' };
  const o = v as { name?: unknown; ruleset?: unknown };
  const r = validateRuleset(o.ruleset);
  if (!r.ok) return { ok: false, error: `the shared design is not valid: ${r.errors.slice(0, 3).join('; ')}` };
  const problems = emitProblems(r.ruleset);
  if (problems.length) return { ok: false, error: `the shared design contains text that cannot be written safely: ${problems[0].message}` };
  // eslint-disable-next-line no-control-regex
  const name = typeof o.name === 'string' ? o.name.replace(/[\u0000-\u001f]/g, ' ').slice(0, 120) : 'Shared design';
  return { ok: true, name, ruleset: r.ruleset, notable: notableCommands(r.ruleset) };
}
