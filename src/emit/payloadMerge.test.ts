import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';

/** The rules as emitted: what nft 1.0.6 and 1.1.3 listed for each (seen in a namespace; the golden file `dependencies` checks the transport cases in the kernel tier). */
const listed = (family: string, rules: string[]): string[] =>
  emit(parse(`table ${family} t {\n\tchain c {\n${rules.map((r) => `\t\t${r}\n`).join('')}\t}\n}\n`).ruleset)
    .text.split('\n')
    .slice(2, 2 + rules.length)
    .map((l) => l.trim());

describe("nft's payload merge, as its listing shows it", () => {
  it('neighbouring fields of one header are listed in offset order, where the one with the lowest offset stood; other matches do not end the run', () => {
    expect(listed('inet', ['tcp dport 22 tcp sport 1024 accept', 'tcp dport 22 iifname "lo" tcp sport 1024 accept'])).toEqual(['tcp sport 1024 tcp dport 22 accept', 'iifname "lo" tcp sport 1024 tcp dport 22 accept']);
  });
  it('a field naming the next header keeps its place; the link-layer header merges past 32 bits, the network header does not', () => {
    expect(listed('ip', ['ip protocol tcp ct state new ip ttl 64 accept', 'ip daddr 1.2.3.4 ip saddr 5.6.7.8 accept'])).toEqual(['ip ttl 64 ip protocol tcp ct state new accept', 'ip daddr 1.2.3.4 ip saddr 5.6.7.8 accept']);
    expect(listed('netdev', ['ether saddr 00:11:22:33:44:55 meta mark 1 ether daddr 00:11:22:33:44:66 accept'])).toEqual(['meta mark 0x00000001 ether daddr 00:11:22:33:44:66 ether saddr 00:11:22:33:44:55 accept']);
  });
  it('only == matches to one value merge, and a statement that is not a match ends the run (nft ≥ 1.0.9)', () => {
    expect(listed('inet', ['tcp dport != 22 tcp sport 1024 accept', 'tcp dport 22 tcp sport { 1024, 1025 } accept', 'tcp dport 22 counter tcp sport 1024 accept', 'udp dport 53 udp sport 53 udp length 30 accept'])).toEqual([
      'tcp dport != 22 tcp sport 1024 accept',
      'tcp dport 22 tcp sport { 1024, 1025 } accept',
      'tcp dport 22 counter packets 0 bytes 0 tcp sport 1024 accept',
      'udp sport 53 udp dport 53 udp length 30 accept',
    ]);
  });
});
