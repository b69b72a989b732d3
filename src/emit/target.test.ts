/**
 * The two listing forms: what nft 1.1.3 lists differently from 1.0.6 for the
 * same loaded ruleset (each pair seen in both versions' `nft list ruleset`, see
 * docs/corpus.md), written by emit({ target }); each form is a fixed point of
 * parse → emit for its own target and reads back to the same model.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';

const table = (chains: string, objects = ''): string => `table inet t {\n${objects}\tchain c {\n${chains}\t}\n}\n`;

const PAIRS: { what: string; v106: string; v113: string }[] = [
  { what: 'a packet limit lists its default burst', v106: '\t\tlimit rate 10/second\n', v113: '\t\tlimit rate 10/second burst 5 packets\n' },
  { what: 'a packet limit with a burst', v106: '\t\tlimit rate over 400/minute burst 20 packets\n', v113: '\t\tlimit rate over 400/minute burst 20 packets\n' },
  { what: 'a byte limit is listed alike', v106: '\t\tlimit rate 1 mbytes/second burst 4 kbytes\n', v113: '\t\tlimit rate 1 mbytes/second burst 4 kbytes\n' },
  { what: 'a masked flag test', v106: '\t\ttcp flags syn / fin,syn,rst,ack\n', v113: '\t\ttcp flags & (fin | syn | rst | ack) == syn\n' },
  { what: 'a masked flag test of several flags', v106: '\t\ttcp flags fin,syn / fin,syn\n', v113: '\t\ttcp flags & (fin | syn) == fin | syn\n' },
  { what: 'a negated masked flag test', v106: '\t\ttcp flags != syn / fin,syn\n', v113: '\t\ttcp flags & (fin | syn) != syn\n' },
  { what: 'ip frag-off values', v106: '\t\tip frag-off & 8191 != 0\n', v113: '\t\tip frag-off & 0x1fff != 0x0\n' },
  { what: 'an ip frag-off range', v106: '\t\tip frag-off != 33-45\n', v113: '\t\tip frag-off != 0x21-0x2d\n' },
  { what: 'ICMP codes', v106: '\t\ticmp code { prot-unreachable, frag-needed, 33 }\n', v113: '\t\ticmp code { 2, 4, 33 }\n' },
  { what: 'an ICMPv6 code', v106: '\t\ticmpv6 code port-unreachable\n', v113: '\t\ticmpv6 code 4\n' },
  { what: 'a prefix on a mark', v106: '\t\tct mark 0x00000000/4\n', v113: '\t\tct mark & 0xf0000000 == 0x00000000\n' },
  { what: 'the mask after a shift', v106: '\t\tct mark set ct mark >> 8 & 0x0000ff00\n', v113: '\t\tct mark set ct mark >> 8 & 0xff00\n' },
];

describe('what nft adds or renames, per target', () => {
  const list = (rule: string, target: '1.0.6' | '1.1.3'): string => emit(parse(table(`\t\t${rule}\n`)).ruleset, { target }).text.split('\n')[2].trim();
  it('nft 1.1 lists the ICMPv6 messages that carry a target address before icmpv6 taddr; 1.0.6 has no taddr', () => {
    expect(list('icmpv6 taddr fe80::1', '1.1.3')).toBe('icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect } icmpv6 taddr fe80::1');
    expect(list('icmpv6 type nd-neighbor-solicit icmpv6 taddr fe80::1', '1.1.3')).toBe('icmpv6 type nd-neighbor-solicit icmpv6 taddr fe80::1');
  });
  it('icmpv6 parameter-problem, as nft lists it, is written param-problem, the word it reads (both versions)', () => {
    for (const t of ['1.0.6', '1.1.3'] as const) {
      expect(list('icmpv6 parameter-problem 5', t)).toBe('icmpv6 param-problem 5');
      expect(list('icmpv6 param-problem 5', t)).toBe('icmpv6 param-problem 5');
    }
  });
  it('a value under a shift is a plain hex number in 1.1, and a shifted verdict map\'s keys plain decimals', () => {
    expect(list('meta mark >> 8 & 0xf == 3', '1.1.3')).toBe('meta mark >> 8 & 0xf == 0x3');
    expect(list('meta mark >> 8 & 0xf vmap { 1 : accept, 12 : drop }', '1.1.3')).toBe('meta mark >> 8 & 0xf vmap { 1 : accept, 12 : drop }');
  });
});

describe('emit({ target })', () => {
  it('writes 1.1.3 by default, and a design\'s own target when it has one', () => {
    const text = table('\t\tlimit rate 10/second\n');
    const r = parse(text);
    expect(emit(r.ruleset).text).toBe(table('\t\tlimit rate 10/second burst 5 packets\n'));
    expect(emit({ ...r.ruleset, target: '1.0.6' }).text).toBe(text);
    // a lint-only version lists as the nearest profile of its line
    expect(emit({ ...r.ruleset, target: '1.0.9' }).text).toBe(text);
    expect(emit({ ...r.ruleset, target: '1.1.1' }).text).toBe(table('\t\tlimit rate 10/second burst 5 packets\n'));
    // the option wins over the design's own
    expect(emit({ ...r.ruleset, target: '1.0.6' }, { target: '1.1.3' }).text).toBe(table('\t\tlimit rate 10/second burst 5 packets\n'));
  });

  for (const p of PAIRS) {
    it(`${p.what}: 1.0.6 "${p.v106.trim()}", 1.1.3 "${p.v113.trim()}"`, () => {
      const header = '\t\ttype filter hook input priority filter; policy accept;\n';
      for (const [from, other] of [
        [p.v106, p.v113],
        [p.v113, p.v106],
      ]) {
        const r = parse(table(header + from));
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(emit(r.ruleset, { target: '1.0.6' }).text).toBe(table(header + (from === p.v106 ? from : other)));
        expect(emit(r.ruleset, { target: '1.1.3' }).text).toBe(table(header + (from === p.v113 ? from : other)));
      }
    });
  }

  it('names the NAT priorities at input and output for 1.1.3 only', () => {
    const chains = (input: string, output: string) =>
      `table ip n {\n\tchain i {\n\t\ttype nat hook input priority ${input}; policy accept;\n\t}\n\n\tchain o {\n\t\ttype nat hook output priority ${output}; policy accept;\n\t}\n}\n`;
    const r = parse(chains('100', '-90'));
    expect(emit(r.ruleset, { target: '1.0.6' }).text).toBe(chains('100', '-90'));
    expect(emit(r.ruleset).text).toBe(chains('srcnat', 'dstnat + 10'));
    expect(emit(r.ruleset, { target: '1.1.3' }).text).toBe(chains('srcnat', 'dstnat + 10'));
    expect(emit(parse(chains('srcnat', 'dstnat + 10')).ruleset, { target: '1.0.6' }).text).toBe(chains('100', '-90'));
  });

  it('lists ct timeout policies with time units for 1.1.3', () => {
    const obj = (policy: string) => `table ip c {\n\tct timeout t {\n\t\tprotocol tcp\n\t\tl3proto ip\n\t\tpolicy = { ${policy} }\n\t}\n}\n`;
    const r = parse(obj('established : 122, close : 20'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(emit(r.ruleset, { target: '1.0.6' }).text).toBe(obj('established : 122, close : 20'));
    expect(emit(r.ruleset, { target: '1.1.3' }).text).toBe(obj('established : 2m2s, close : 20s'));
    expect(emit(parse(obj('established : 2m2s, close : 20s')).ruleset, { target: '1.0.6' }).text).toBe(obj('established : 122, close : 20'));
  });

  it('lists the elements of a map, or of a set whose elements carry a timeout or a counter, one per line for 1.1.3', () => {
    const decl = (body: string) => `table ip s {\n${body}}\n`;
    const map = (elements: string) => decl(`\tmap m {\n\t\ttype inet_service : mark\n\t\telements = { ${elements} }\n\t}\n`);
    const r = parse(map('22 : 0x00000001, 80 : 0x00000020'));
    expect(emit(r.ruleset, { target: '1.0.6' }).text).toBe(map('22 : 0x00000001, 80 : 0x00000020'));
    expect(emit(r.ruleset, { target: '1.1.3' }).text).toBe(map('22 : 0x00000001,\n\t\t\t     80 : 0x00000020'));
    const set = (elements: string) => decl(`\tset t {\n\t\ttype ipv4_addr\n\t\tflags timeout\n\t\telements = { ${elements} }\n\t}\n`);
    const t = parse(set('10.2.1.1, 192.168.3.4 timeout 30s'));
    expect(emit(t.ruleset, { target: '1.1.3' }).text).toBe(set('10.2.1.1,\n\t\t\t     192.168.3.4 timeout 30s'));
    const plain = (elements: string) => decl(`\tset p {\n\t\ttype ipv4_addr\n\t\telements = { ${elements} }\n\t}\n`);
    expect(emit(parse(plain('10.0.0.1, 10.0.0.2')).ruleset, { target: '1.1.3' }).text).toBe(plain('10.0.0.1, 10.0.0.2'));
  });

  it('does not reuse a rule printed for one target when another is asked for', () => {
    const r = parse(table('\t\tlimit rate 10/second\n'));
    const a = emit(r.ruleset, { target: '1.1.3' }).text;
    const b = emit(r.ruleset, { target: '1.0.6' }).text;
    expect(a).not.toBe(b);
    expect(emit(r.ruleset, { target: '1.1.3' }).text).toBe(a);
  });
});
