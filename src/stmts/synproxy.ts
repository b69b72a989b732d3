/**
 * The anonymous `synproxy [mss N] [wscale N] [timestamp] [sack-perm]` (nft ≥
 * 0.9.2); `synproxy name …` is an object reference (objref.ts). The options are
 * shared with named synproxy objects.
 */
import type { JsonObject } from '../json/jsonValue.ts';
import { fail, int, objectBody, only, strings } from '../json/readJson.ts';
import type { Cursor } from '../parse/cursor.ts';
import type { ShapeChecker, StmtModule } from './module.ts';
import { parseObjectRef } from './objref.ts';

export interface SynproxyStmt {
  kind: 'synproxy';
  mss?: number;
  wscale?: number;
  timestamp?: boolean;
  sackPerm?: boolean;
}

export type SynproxyOptions = Omit<SynproxyStmt, 'kind'>;

/** The flags of synproxy in nft's words (and in its JSON), in the order nft lists them. */
export const SYNPROXY_FLAGS = ['timestamp', 'sack-perm'] as const;

/** `mss N`, `wscale N`, `timestamp`, `sack-perm` in any order (the statement and the object). */
export function parseSynproxyOptions(c: Cursor, into: SynproxyOptions): void {
  for (;;) {
    const w = c.w();
    if (w === 'mss' || w === 'maxseg') {
      c.next();
      into.mss = c.expectNumber('an mss');
    } else if (w === 'wscale') {
      c.next();
      into.wscale = c.expectNumber('a wscale');
    } else if (w === 'timestamp') {
      c.next();
      into.timestamp = true;
    } else if (w === 'sack-perm' || w === 'sack-permitted') {
      c.next();
      into.sackPerm = true;
    } else break;
  }
}

/** The JSON `flags` of synproxy options. */
export function synproxyJsonFlags(o: SynproxyOptions): string[] {
  return [...(o.timestamp ? ['timestamp'] : []), ...(o.sackPerm ? ['sack-perm'] : [])];
}

/** The options of a synproxy statement or object in JSON. */
export function synproxyFields(o: JsonObject, what: string): SynproxyOptions {
  const s: SynproxyOptions = {};
  const mss = int(o, 'mss');
  const wscale = int(o, 'wscale');
  if (mss !== undefined) s.mss = mss;
  if (wscale !== undefined) s.wscale = wscale;
  if (o.flags !== undefined) {
    const flags = strings(o.flags) ?? fail(`${what} flags must be strings`);
    for (const f of flags) {
      if (f === 'timestamp') s.timestamp = true;
      else if (f === 'sack-perm') s.sackPerm = true;
      else fail(`unknown ${what} flag "${f.slice(0, 20)}"`);
    }
  }
  return s;
}

export function synproxyShape(v: ShapeChecker, s: Record<string, unknown>, p: string): void {
  v.num(s, 'mss', p, true);
  v.num(s, 'wscale', p, true);
  v.bool(s, 'timestamp', p);
  v.bool(s, 'sackPerm', p);
}

export const synproxy: StmtModule<'synproxy'> = {
  kind: 'synproxy',
  title: 'synproxy',
  summary: 'answer the TCP handshake with SYN cookies before the server or conntrack sees it (input or forward, on invalid,untracked packets)',
  words: ['synproxy'],
  options: ['mss', 'wscale', 'name', ...SYNPROXY_FLAGS],
  parse(c) {
    c.next();
    if (c.is('name')) {
      c.next();
      return parseObjectRef(c, 'synproxy');
    }
    const s: SynproxyStmt = { kind: 'synproxy' };
    parseSynproxyOptions(c, s);
    return s;
  },
  jsonTags: ['synproxy'],
  fromJson(_tag, body) {
    if (body === null) return { kind: 'synproxy' };
    const o = objectBody(body, 'synproxy');
    only(o, ['mss', 'wscale', 'flags'], 'synproxy');
    return { kind: 'synproxy', ...synproxyFields(o, 'synproxy') };
  },
  print(s) {
    // nft lists `mss N` alone as `mss N wscale 0`, which loads differently (the
    // wscale option becomes set); print what the model says and let the linter warn.
    let p = 'synproxy';
    if (s.mss !== undefined) p += ` mss ${s.mss}`;
    if (s.wscale !== undefined) p += ` wscale ${s.wscale}`;
    if (s.timestamp) p += ' timestamp';
    if (s.sackPerm) p += ' sack-perm';
    return p;
  },
  toJson(s) {
    const p: JsonObject = {};
    if (s.mss !== undefined) p.mss = s.mss;
    if (s.wscale !== undefined) p.wscale = s.wscale;
    const flags = synproxyJsonFlags(s);
    if (flags.length) p.flags = flags;
    return { synproxy: Object.keys(p).length ? p : null };
  },
  shape: (v, s, p) => synproxyShape(v, s, p),
  safety(v, s) {
    v.num(v.field, s.mss, 'mss', true);
    v.num(v.field, s.wscale, 'wscale', true);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => false,
  evaluate: (_s, ctx) => ctx.synproxy(),
};
