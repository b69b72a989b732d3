import { describe, expect, it } from 'vitest';
import type { BlockContext } from './blockContext.ts';
import { nftCompletions, type CompletionRequest } from './completion.ts';
import { documentNames } from './register.ts';

const chain: BlockContext = { kind: 'chain', family: 'inet', chainType: 'filter', hook: 'input' };
const labels = (req: Partial<CompletionRequest> & { before: string }): string[] => nftCompletions({ block: chain, ...req }).items.map((i) => i.label);

describe('nft completion', () => {
  it('after type: the chain types the family accepts, or set datatypes in a set', () => {
    expect(labels({ before: '\t\ttype ', block: { kind: 'chain', family: 'inet' } })).toEqual(['filter', 'nat', 'route']);
    expect(labels({ before: '\t\ttype ', block: { kind: 'chain', family: 'bridge' } })).toEqual(['filter']);
    expect(labels({ before: '\t\ttype ', block: { kind: 'set', family: 'inet' } })).toContain('ipv4_addr');
  });

  it('after hook: the hooks of the family and chain type', () => {
    expect(labels({ before: '\t\ttype nat hook ', block: { kind: 'chain', family: 'ip' } })).toEqual(['prerouting', 'input', 'output', 'postrouting']);
    expect(labels({ before: '\t\ttype filter hook ', block: { kind: 'chain', family: 'netdev' } })).toEqual(['ingress', 'egress']);
    expect(labels({ before: '\t\ttype filter hook ', block: { kind: 'chain' } })).toContain('prerouting');
  });

  it('after priority: the standard names valid on that hook, with values', () => {
    const r = nftCompletions({ before: '\t\ttype filter hook prerouting priority ', block: { kind: 'chain', family: 'ip' } });
    expect(r.items.map((i) => i.label)).toEqual(['raw', 'mangle', 'dstnat', 'filter', 'security']);
    expect(r.items.find((i) => i.label === 'raw')?.detail).toBe('-300');
    expect(labels({ before: 'type nat hook postrouting priority ', block: { kind: 'chain', family: 'inet' } })).toContain('srcnat');
    expect(labels({ before: 'type filter hook input priority ', block: { kind: 'chain', family: 'bridge' } })).toEqual(['filter']);
  });

  it('after a selector: its fields; after a field: its symbols', () => {
    expect(labels({ before: '\t\ttcp ' })).toEqual(expect.arrayContaining(['sport', 'dport', 'flags']));
    expect(labels({ before: '\t\tmeta ' })).toEqual(expect.arrayContaining(['l4proto', 'iifname', 'mark']));
    expect(labels({ before: '\t\tct ' })).toEqual(expect.arrayContaining(['state', 'status', 'mark']));
    expect(labels({ before: '\t\tct state ' })).toEqual(['invalid', 'established', 'related', 'new', 'untracked']);
    expect(labels({ before: '\t\tct state established,' })).toContain('related');
    expect(labels({ before: '\t\ttcp flags ' })).toContain('syn');
    expect(labels({ before: '\t\ticmp type ' })).toContain('echo-request');
    expect(labels({ before: '\t\tmeta l4proto ' })).toContain('tcp');
    expect(labels({ before: '\t\ttcp dport ' })).toEqual([]);
  });

  it('after rt: the route keys and the IPv6 routing header fields; after socket, ipsec, osf: their keys', () => {
    expect(labels({ before: '\t\trt ' })).toEqual(expect.arrayContaining(['classid', 'nexthop', 'mtu', 'ipsec', 'ip', 'ip6', 'nexthdr', 'type']));
    expect(labels({ before: '\t\trt ip6 ' })).toEqual(['classid', 'nexthop', 'mtu', 'ipsec']);
    expect(labels({ before: '\t\tsocket ' })).toEqual(['transparent', 'mark', 'wildcard']);
    expect(labels({ before: '\t\tipsec in ' })).toEqual(expect.arrayContaining(['reqid', 'spi', 'spnum']));
    expect(labels({ before: '\t\tosf ' })).toEqual(expect.arrayContaining(['name', 'version', 'ttl']));
  });

  it('the word being typed is what gets replaced', () => {
    const r = nftCompletions({ before: '\t\tct sta', block: chain });
    expect(r.from).toBe(5);
    expect(r.items.map((i) => i.label)).toContain('state');
  });

  it('synproxy options, with the typical values', () => {
    expect(labels({ before: 'tcp dport 443 ct state invalid,untracked synproxy ' })).toEqual(['mss', 'wscale', 'timestamp', 'sack-perm', 'name']);
    expect(labels({ before: 'synproxy mss ' })).toEqual(['1460']);
    expect(labels({ before: '\t\t', block: { kind: 'object', objectKind: 'synproxy', family: 'ip' } })).toEqual(['mss', 'wscale', 'timestamp', 'sack-perm']);
  });

  it('policy, table families, log levels', () => {
    expect(labels({ before: 'policy ' })).toEqual(['accept', 'drop']);
    expect(labels({ before: 'table ', block: { kind: 'top' } })).toEqual(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
    expect(labels({ before: 'log level ' })).toContain('warn');
  });

  it('at the start of a line: what fits the block, with snippets', () => {
    const inChain = nftCompletions({ before: '\t\t', block: chain }).items;
    expect(inChain.find((i) => i.label === 'synproxy rule')).toMatchObject({ kind: 'snippet', snippet: true });
    expect(inChain.find((i) => i.label === 'synproxy rule')?.insertText).toContain('ct state invalid,untracked synproxy mss ${2:1460} wscale ${3:7} timestamp sack-perm');
    expect(inChain.map((i) => i.label)).toEqual(expect.arrayContaining(['tcp', 'ct', 'counter', 'accept', 'notrack']));
    const inTable = nftCompletions({ before: '\t', block: { kind: 'table', family: 'inet' } }).items;
    expect(inTable.map((i) => i.label)).toEqual(expect.arrayContaining(['base chain', 'set …', 'chain', 'set', 'synproxy']));
    expect(inTable.find((i) => i.label === 'base chain')?.insertText).toMatch(/^chain \$\{1:input\} \{\n\ttype \$\{2\|filter,nat,route\|\} hook \$\{3\|input,forward,output,prerouting,postrouting,ingress\|\}/);
    expect(labels({ before: '', block: { kind: 'top' } })).toEqual(expect.arrayContaining(['table …', 'table', 'define']));
  });

  it('a space alone only opens the list where the context is specific', () => {
    expect(labels({ before: '\t\ttcp dport 22 ', triggeredByCharacter: true })).toEqual([]);
    expect(labels({ before: '\t\ttcp ', triggeredByCharacter: true })).toContain('dport');
    expect(labels({ before: '\t\ttcp dport 22 ' })).toContain('accept');
  });

  it('names from the document after jump, @ and $', () => {
    const text = 'define lan = 10.0.0.0/8\ntable ip t {\n\tset blocklist {\n\t\ttype ipv4_addr\n\t}\n\tmap sm {\n\t\ttype ipv4_addr : synproxy\n\t}\n\tchain input {\n\t}\n\tchain ssh {\n\t}\n}\n';
    const names = () => documentNames(text);
    expect(documentNames(text)).toEqual({ chains: ['input', 'ssh'], sets: ['blocklist', 'sm'], variables: ['lan'] });
    expect(labels({ before: 'tcp dport 22 jump ', names })).toEqual(['input', 'ssh']);
    const r = nftCompletions({ before: 'ip saddr @bl', block: chain, names });
    expect(r.items.map((i) => i.label)).toEqual(['@blocklist', '@sm']);
    expect(r.from).toBe(9);
    expect(labels({ before: 'ip saddr $', names })).toEqual(['$lan']);
  });

  it('nothing inside strings and comments', () => {
    expect(labels({ before: 'log prefix "tcp ' })).toEqual([]);
    expect(labels({ before: 'accept # tcp ' })).toEqual([]);
  });
});
