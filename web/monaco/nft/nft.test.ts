// @vitest-environment jsdom
/**
 * The Monarch tokens, line by line, through Monaco's own tokenizer
 * (`editor.tokenize`), the way monaco-editor tests its languages. Monaco's
 * editor API loads under jsdom with two polyfills (../loadMonacoForTests.ts).
 * The editor itself (hovers, completion, markers) is checked in chromium.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { loadMonacoForTests } from '../loadMonacoForTests.ts';
import { LANGUAGE_ID } from './nft.ts';
import { registerNftTokens } from './register.ts';

let monaco: typeof MonacoApi;

beforeAll(async () => {
  monaco = await loadMonacoForTests();
  registerNftTokens(monaco);
}, 120_000);

/** [text, token class] pairs of one line, whitespace left out, `.nft` dropped */
function tokens(line: string): [string, string][] {
  const [toks] = monaco.editor.tokenize(line, LANGUAGE_ID);
  const out: [string, string][] = [];
  toks.forEach((t, i) => {
    const text = line.slice(t.offset, toks[i + 1]?.offset ?? line.length);
    if (text.trim() === '') return;
    out.push([text, t.type.replace(/\.nft$/, '')]);
  });
  return out;
}

describe('nft tokens', () => {
  it('a table header with its family and name', () => {
    expect(tokens('table inet filter {')).toEqual([
      ['table', 'keyword'],
      ['inet', 'type.family'],
      ['filter', 'identifier'],
      ['{', 'delimiter.curly'],
    ]);
    expect(tokens('table ip anon_synproxy_demo {')).toEqual([
      ['table', 'keyword'],
      ['ip', 'type.family'],
      ['anon_synproxy_demo', 'identifier'],
      ['{', 'delimiter.curly'],
    ]);
  });

  it('a chain declaration: the name is a name, even when it is a hook word', () => {
    expect(tokens('\tchain input {')).toEqual([
      ['chain', 'keyword'],
      ['input', 'identifier'],
      ['{', 'delimiter.curly'],
    ]);
  });

  it('a base chain header: type, hook, priority, policy', () => {
    expect(tokens('\t\ttype filter hook prerouting priority raw; policy accept;')).toEqual([
      ['type', 'keyword'],
      ['filter', 'type.chain'],
      ['hook', 'keyword'],
      ['prerouting', 'type.hook'],
      ['priority', 'keyword'],
      ['raw', 'type.priority'],
      [';', 'delimiter'],
      ['policy', 'keyword'],
      ['accept', 'keyword.verdict'],
      [';', 'delimiter'],
    ]);
    expect(tokens('type nat hook postrouting priority srcnat + 10;')).toEqual([
      ['type', 'keyword'],
      ['nat', 'type.chain'],
      ['hook', 'keyword'],
      ['postrouting', 'type.hook'],
      ['priority', 'keyword'],
      ['srcnat', 'type.priority'],
      ['+', 'delimiter'],
      ['10', 'number'],
      [';', 'delimiter'],
    ]);
  });

  it('the wiki synproxy rule', () => {
    expect(tokens('\t\ttcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm')).toEqual([
      ['tcp', 'keyword.selector'],
      ['dport', 'attribute'],
      ['8888', 'number'],
      ['ct', 'keyword.selector'],
      ['state', 'attribute'],
      ['invalid', 'constant'],
      [',', 'delimiter'],
      ['untracked', 'constant'],
      ['synproxy', 'keyword.statement'],
      ['mss', 'attribute'],
      ['1460', 'number'],
      ['wscale', 'attribute'],
      ['7', 'number'],
      ['timestamp', 'attribute'],
      ['sack-perm', 'attribute'],
    ]);
  });

  it('notrack for SYNs, a bitmask match with a mask', () => {
    expect(tokens('tcp dport 8888 tcp flags syn notrack')).toEqual([
      ['tcp', 'keyword.selector'],
      ['dport', 'attribute'],
      ['8888', 'number'],
      ['tcp', 'keyword.selector'],
      ['flags', 'keyword'],
      ['syn', 'constant'],
      ['notrack', 'keyword.statement'],
    ]);
    expect(tokens('tcp flags syn / fin,syn,rst,ack limit rate 10/second accept').map((t) => t[1])).toEqual([
      'keyword.selector', 'keyword', 'constant', 'delimiter', 'constant', 'delimiter', 'constant', 'delimiter', 'constant', 'delimiter', 'constant',
      'keyword.statement', 'attribute', 'number', 'delimiter', 'attribute', 'keyword.verdict',
    ]);
  });

  it('addresses: IPv4 with prefix, IPv6, MAC, ranges and hex', () => {
    expect(tokens('ip saddr 192.168.1.0/24 ip daddr != 10.0.0.1-10.0.0.9')).toEqual([
      ['ip', 'keyword.selector'],
      ['saddr', 'attribute'],
      ['192.168.1.0/24', 'number.address'],
      ['ip', 'keyword.selector'],
      ['daddr', 'attribute'],
      ['!=', 'operator'],
      ['10.0.0.1', 'number.address'],
      ['-', 'delimiter'],
      ['10.0.0.9', 'number.address'],
    ]);
    expect(tokens('ip6 saddr 2001:db8::1f ip6 daddr fe80::/10 ip6 saddr ::1')).toEqual([
      ['ip6', 'keyword.selector'],
      ['saddr', 'attribute'],
      ['2001:db8::1f', 'number.address'],
      ['ip6', 'keyword.selector'],
      ['daddr', 'attribute'],
      ['fe80::/10', 'number.address'],
      ['ip6', 'keyword.selector'],
      ['saddr', 'attribute'],
      ['::1', 'number.address'],
    ]);
    expect(tokens('ether saddr 00:11:22:aa:bb:cc meta mark 0x0000002a')).toEqual([
      ['ether', 'keyword.selector'],
      ['saddr', 'attribute'],
      ['00:11:22:aa:bb:cc', 'number.address'],
      ['meta', 'keyword.selector'],
      ['mark', 'attribute'],
      ['0x0000002a', 'number.hex'],
    ]);
  });

  it('strings, comments, variables and set references', () => {
    expect(tokens('iifname "eth0" ip saddr $lan ip saddr @blocklist drop # spoofed')).toEqual([
      ['iifname', 'attribute'],
      ['"eth0"', 'string'],
      ['ip', 'keyword.selector'],
      ['saddr', 'attribute'],
      ['$lan', 'variable'],
      ['ip', 'keyword.selector'],
      ['saddr', 'attribute'],
      ['@blocklist', 'variable.set'],
      ['drop', 'keyword.verdict'],
      ['# spoofed', 'comment'],
    ]);
    expect(tokens('define lan = 192.168.0.0/16')).toEqual([
      ['define', 'keyword'],
      ['lan', 'variable'],
      ['=', 'delimiter'],
      ['192.168.0.0/16', 'number.address'],
    ]);
    expect(tokens('log prefix "unterminated')).toEqual([
      ['log', 'keyword.statement'],
      ['prefix', 'attribute'],
      ['"unterminated', 'string.invalid'],
    ]);
  });

  it('named objects and references to them', () => {
    expect(tokens('\tsynproxy https-synproxy {')).toEqual([
      ['synproxy', 'keyword.statement'],
      ['https-synproxy', 'identifier'],
      ['{', 'delimiter.curly'],
    ]);
    expect(tokens('ct state invalid,untracked synproxy name ip saddr map @sm')).toEqual([
      ['ct', 'keyword.selector'],
      ['state', 'attribute'],
      ['invalid', 'constant'],
      [',', 'delimiter'],
      ['untracked', 'constant'],
      ['synproxy', 'keyword.statement'],
      ['name', 'keyword'],
      ['ip', 'keyword.selector'],
      ['saddr', 'attribute'],
      ['map', 'keyword'],
      ['@sm', 'variable.set'],
    ]);
    expect(tokens('iifname "eth0" jump c12')).toEqual([
      ['iifname', 'attribute'],
      ['"eth0"', 'string'],
      ['jump', 'keyword.verdict'],
      ['c12', 'identifier'],
    ]);
  });

  it('sets: type, flags, elements; time strings', () => {
    expect(tokens('\tset blocklist {')).toEqual([
      ['set', 'keyword'],
      ['blocklist', 'identifier'],
      ['{', 'delimiter.curly'],
    ]);
    expect(tokens('\t\ttype ipv4_addr . inet_service')).toEqual([
      ['type', 'keyword'],
      ['ipv4_addr', 'type'],
      ['.', 'delimiter'],
      ['inet_service', 'type'],
    ]);
    expect(tokens('\t\tflags interval,timeout')).toEqual([
      ['flags', 'keyword'],
      ['interval', 'keyword'],
      [',', 'delimiter'],
      ['timeout', 'keyword'],
    ]);
    expect(tokens('\t\ttimeout 1h30m')).toEqual([
      ['timeout', 'keyword'],
      ['1h30m', 'number.time'],
    ]);
    expect(tokens('\t\telements = { 192.0.2.0/24, 198.51.100.0/24,')).toEqual([
      ['elements', 'keyword'],
      ['=', 'delimiter'],
      ['{', 'delimiter.curly'],
      ['192.0.2.0/24', 'number.address'],
      [',', 'delimiter'],
      ['198.51.100.0/24', 'number.address'],
      [',', 'delimiter'],
    ]);
  });

  it('NAT, meta and a verdict map', () => {
    expect(tokens('oifname "wan0" masquerade')).toEqual([
      ['oifname', 'attribute'],
      ['"wan0"', 'string'],
      ['masquerade', 'keyword.statement'],
    ]);
    expect(tokens('meta l4proto tcp dnat to 10.0.0.2:8080')).toEqual([
      ['meta', 'keyword.selector'],
      ['l4proto', 'attribute'],
      ['tcp', 'keyword.selector'],
      ['dnat', 'keyword.statement'],
      ['to', 'keyword'],
      ['10.0.0.2', 'number.address'],
      [':', 'delimiter'],
      ['8080', 'number'],
    ]);
    expect(tokens('tcp dport vmap { 22 : jump ssh, 80 : accept }').map((t) => t[1])).toEqual([
      'keyword.selector', 'attribute', 'keyword', 'delimiter.curly', 'number', 'delimiter', 'keyword.verdict', 'identifier', 'delimiter', 'number', 'delimiter', 'keyword.verdict', 'delimiter.curly',
    ]);
  });

  it('a character nft does not know is invalid', () => {
    expect(tokens('tcp dport 22 ~ accept')).toContainEqual(['~', 'invalid']);
  });

  it('every line of the templates tokenizes without invalid tokens', async () => {
    const { TEMPLATES } = await import('../../../src/templates/catalog.ts');
    for (const t of TEMPLATES) {
      for (const line of t.text.split('\n')) {
        const bad = tokens(line).filter(([, type]) => type.startsWith('invalid'));
        expect(bad, `${t.id}: ${line}`).toEqual([]);
      }
    }
  });
});
