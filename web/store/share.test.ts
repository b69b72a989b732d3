import { describe, expect, it } from 'vitest';
import { Deflate, deflateSync, strToU8 } from 'fflate';
import { parse } from '../../src/parse/index.ts';
import { emptyRuleset, type Ruleset } from '../../src/model/types.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { MAX_FRAGMENT, MAX_JSON, SHARE_PREFIX, decodeShare, encodeShare, inflateCapped, notableCommands } from './share.ts';
import { SHARE_PREFIX as LINK_PREFIX } from './shareLink.ts';

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const link = (compressed: Uint8Array): string => `${SHARE_PREFIX}v1.${toBase64Url(compressed)}`;

/** A valid share payload padded with spaces (which JSON ignores) to exactly `size` bytes. */
function paddedPayload(size: number): Uint8Array {
  const head = JSON.stringify({ v: 1, name: 'big', ruleset: parse(TEMPLATES[0].text).ruleset }).slice(0, -1);
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(strToU8(head));
  bytes[size - 1] = 0x7d; // the closing brace
  return bytes;
}

describe('share links: size limit while decompressing', () => {
  it('one prefix for the start-up code and the decoder', () => {
    expect(SHARE_PREFIX).toBe(LINK_PREFIX);
  });

  it('accepts a design that decompresses to exactly the limit', () => {
    const r = decodeShare(link(deflateSync(paddedPayload(MAX_JSON), { level: 6 })));
    expect(r).toMatchObject({ ok: true, name: 'big' });
  });

  it('refuses a highly compressible link that decompresses to one byte more than the limit', () => {
    const compressed = deflateSync(paddedPayload(MAX_JSON + 1), { level: 6 });
    expect(link(compressed).length).toBeLessThan(MAX_FRAGMENT / 20);
    const r = decodeShare(link(compressed));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^the shared design is too large/) });
  });

  it('stops decompressing a bomb soon after the limit instead of inflating all of it', () => {
    // 120 MB of zeros (six times the limit) in a small link; made with the streaming deflate, no 120 MB buffer
    const parts: Uint8Array[] = [];
    const d = new Deflate({ level: 1 }, (c) => parts.push(c));
    const mb = new Uint8Array(1 << 20);
    for (let i = 0; i < 120; i++) d.push(mb, i === 119);
    const compressed = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      compressed.set(p, at);
      at += p.length;
    }
    expect(link(compressed).length).toBeLessThan(MAX_FRAGMENT);
    let fed = 0;
    const counting = new Proxy(compressed, {
      get(t, k) {
        if (k === 'subarray') return (s: number, e: number) => ((fed = Math.max(fed, e)), t.subarray(s, e));
        const v = Reflect.get(t, k, t) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    expect(inflateCapped(counting, MAX_JSON)).toEqual({ ok: false, tooLarge: true });
    // only about as much input as makes the limit's worth of output was read
    expect(fed).toBeLessThan(compressed.length / 4);
    expect(decodeShare(link(compressed))).toMatchObject({ ok: false, error: expect.stringContaining('too large') });
  }, 30_000);

  it('still refuses damaged data as damaged', () => {
    expect(inflateCapped(new Uint8Array([0, 0, 0]), MAX_JSON)).toEqual({ ok: false, tooLarge: false });
    const good = deflateSync(strToU8('{"v":1}'));
    expect(inflateCapped(good.subarray(0, good.length - 2), MAX_JSON).ok).toBe(false);
    expect(decodeShare('#share=v1.AAAA')).toEqual({ ok: false, error: 'the share link is damaged (it could not be decompressed)' });
  });
});

describe('share links: what needs confirming', () => {
  const tables = (): Ruleset => parse(TEMPLATES[0].text).ruleset;

  it('nothing for a design of tables and defines', () => {
    const rs = parse('define LAN = 10.0.0.0/8\ntable inet t {\n\tchain c {\n\t\tip saddr $LAN accept\n\t}\n}\n').ruleset;
    expect(notableCommands(rs)).toEqual([]);
    expect(notableCommands({ ...tables(), preamble: 'replace' })).toEqual([]);
    const r = decodeShare(encodeShare('t', tables()));
    expect(r.ok && r.notable).toEqual([]);
  });

  it('lists top-level commands (those before the tables first), includes and a flush preamble, verbatim', () => {
    const rs: Ruleset = {
      ...emptyRuleset(),
      preamble: 'flush',
      includes: [{ id: 'i', path: '/etc/nft/extra.nft' }],
      commands: [
        { id: 'a', text: 'flush ruleset', at: 'end' },
        { id: 'b', text: 'delete table ip filter', at: 'start' },
      ],
    };
    expect(notableCommands(rs).map((c) => c.text)).toEqual(['flush ruleset', 'include "/etc/nft/extra.nft"', 'delete table ip filter', 'flush ruleset']);
    expect(notableCommands(rs).map((c) => c.note)).toEqual([
      expect.stringContaining('removes every table'),
      expect.stringContaining('reads a file'),
      'runs before the tables',
      'runs after the tables',
    ]);
  });

  it('a share link made from a script with commands carries them to the decoder', () => {
    const rs = parse('table inet t {\n}\ndelete table ip nat\n').ruleset;
    expect(rs.commands).toHaveLength(1);
    const r = decodeShare(encodeShare('cmds', rs));
    expect(r.ok && r.notable).toEqual([{ text: 'delete table ip nat', note: 'runs after the tables' }]);
  });
});
