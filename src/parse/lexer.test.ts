import { describe, expect, it } from 'vitest';
import { LineIndex, Tok, tokenize } from './lexer.ts';

function tokens(src: string): [Tok, string][] {
  const ts = tokenize(src);
  const out: [Tok, string][] = [];
  for (let i = 0; i < ts.count - 1; i++) out.push([ts.kind[i] as Tok, src.slice(ts.start[i], ts.end[i])]);
  return out;
}
const words = (src: string): string[] => tokens(src).map(([, t]) => t);

describe('tokenize', () => {
  it('splits words the way nft does: "-" and "/" inside words, not at their start', () => {
    expect(words('a-b a/b .ab _x filter-5 filter - 5')).toEqual(['a-b', 'a/b', '.ab', '_x', 'filter-5', 'filter', '-', '5']);
  });
  it('reads addresses, prefixes and ranges as separate tokens', () => {
    expect(words('10.0.0.1/8 1.2.3.4-1.2.3.10 fe80::1 ::1 fe80::/10 aa:bb:cc:dd:ee:ff')).toEqual([
      '10.0.0.1', '/', '8', '1.2.3.4', '-', '1.2.3.10', 'fe80::1', '::1', 'fe80::', '/', '10', 'aa:bb:cc:dd:ee:ff',
    ]);
  });
  it('reads an address followed by a port as address, colon, number', () => {
    expect(words('dnat to 192.168.1.10:80')).toEqual(['dnat', 'to', '192.168.1.10', ':', '80']);
    expect(words('[2001:db8::1]:443')).toEqual(['[2001:db8::1]', ':', '443']);
  });
  it('ends an IPv6 address before a map colon written without a space, as nft does', () => {
    // tests/py/ip6/vmap.t: both versions load these
    expect(words('{1234:1234:1234:1234:1234:1234:aaaa:::accept,::dddd: drop}')).toEqual([
      '{', '1234:1234:1234:1234:1234:1234:aaaa::', ':', 'accept', ',', '::dddd', ':', 'drop', '}',
    ]);
    expect(words('{ fe80::1: drop, ::: accept }')).toEqual(['{', 'fe80::1', ':', 'drop', ',', '::', ':', 'accept', '}']);
  });
  it('reads numbers, hex, time strings and classids', () => {
    expect(words('22 0x10 1h30m 10ms 2m 1d 1:2 8021q')).toEqual(['22', '0x10', '1h30m', '10ms', '2m', '1d', '1:2', '8021q']);
  });
  it('keeps a map colon apart from a word', () => {
    expect(words('{ 22 : accept, eth0: drop }')).toEqual(['{', '22', ':', 'accept', ',', 'eth0', ':', 'drop', '}']);
  });
  it('reads a lone dot as the concatenation operator', () => {
    expect(tokens('ip saddr . tcp dport').map(([k]) => k)).toEqual([Tok.Word, Tok.Word, Tok.Dot, Tok.Word, Tok.Word]);
  });
  it('reads operators', () => {
    expect(tokens('== != <= >= < > << >> & | ^ ! = @ $ *').map(([k]) => k)).toEqual([
      Tok.EqEq, Tok.Neq, Tok.Le, Tok.Ge, Tok.Lt, Tok.Gt, Tok.Shl, Tok.Shr, Tok.Amp, Tok.Pipe, Tok.Caret, Tok.Bang, Tok.Eq, Tok.At, Tok.Dollar, Tok.Star,
    ]);
  });
  it('reads quoted strings without escapes, comments and line continuations', () => {
    expect(tokens('comment "a # b; c" # trailing\n x \\\n y')).toEqual([
      [Tok.Word, 'comment'], [Tok.String, '"a # b; c"'], [Tok.Newline, '\n'], [Tok.Word, 'x'], [Tok.Word, 'y'],
    ]);
  });
  it('marks an unterminated string as junk running to the end', () => {
    const t = tokens('comment "oops\nnext');
    expect(t[1]).toEqual([Tok.Junk, '"oops\nnext']);
  });
  it('treats CRLF as one newline', () => {
    expect(tokens('a\r\nb').map(([k]) => k)).toEqual([Tok.Word, Tok.Newline, Tok.Word]);
  });
  it('reads interface wildcards', () => {
    expect(words('iifname "eth*" iifname eth*')).toEqual(['iifname', '"eth*"', 'iifname', 'eth*']);
  });
});

describe('LineIndex', () => {
  it('maps offsets to 1-based line and column, a tab being one column', () => {
    const li = new LineIndex('ab\n\tcd\n');
    expect(li.position(0)).toEqual({ line: 1, col: 1 });
    expect(li.position(4)).toEqual({ line: 2, col: 2 });
    expect(li.position(7)).toEqual({ line: 3, col: 1 });
    expect(li.lineCount).toBe(3);
  });
});
