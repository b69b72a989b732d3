/**
 * Share links: the design, compressed (deflate) and base64url-encoded, in the URL
 * fragment — it never reaches a server. Opening one treats it as untrusted input:
 * size limits, JSON, the model validator, and the emitter's safety checks.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { validateRuleset } from '../../src/model/validate.ts';
import { emitProblems } from '../../src/emit/validate.ts';
import type { Ruleset } from '../../src/model/types.ts';

export const SHARE_PREFIX = '#share=';
const MAX_FRAGMENT = 2_000_000;
const MAX_JSON = 20_000_000;

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

export function encodeShare(name: string, ruleset: Ruleset): string {
  const json = JSON.stringify({ v: 1, name, ruleset });
  return `${SHARE_PREFIX}v1.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

export type ShareResult = { ok: true; name: string; ruleset: Ruleset } | { ok: false; error: string };

export function decodeShare(hash: string): ShareResult {
  if (!hash.startsWith(SHARE_PREFIX)) return { ok: false, error: 'not a share link' };
  const body = hash.slice(SHARE_PREFIX.length);
  if (body.length > MAX_FRAGMENT) return { ok: false, error: 'the share link is too large' };
  if (!body.startsWith('v1.')) return { ok: false, error: 'unknown share link version' };
  let json: string;
  try {
    const bytes = inflateSync(fromBase64Url(body.slice(3)));
    if (bytes.length > MAX_JSON) return { ok: false, error: 'the shared design is too large' };
    json = strFromU8(bytes);
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
  return { ok: true, name, ruleset: r.ruleset };
}
