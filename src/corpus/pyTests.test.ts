/** The tests/py `.t` reader, on a file written here in that format. */
import { describe, expect, it } from 'vitest';
import { parsePyTest, pyRuleScript } from './pyTests.ts';
import { changedPairs, classify } from './differences.ts';
import { stable, tableBlock, firstDifference, rawTexts } from './check.ts';
import { wholeRuleset } from './sources.ts';

const T = [
  ':input;type filter hook input priority 0',
  ':ingress;type filter hook ingress device lo priority 0',
  '',
  '*ip;test-ip4;input',
  '*netdev;test-netdev;ingress',
  '',
  '!set1 type ipv4_addr . inet_service timeout 60s flags interval;ok',
  '!map1 type ipv4_addr : mark;ok',
  '!bad type nonsense;fail',
  '?set1 10.0.0.1 . 22, 10.0.0.2 . 80;ok',
  '%cnt1 type counter;ok',
  '%ct1 type ct helper { type "ftp" protocol tcp; };ok',
  '# a comment',
  'tcp dport 22;ok',
  'ip dscp 0x38;ok;ip dscp cs7',
  '- ip hdrlength 10;ok',
  'tcp dport 70000;fail',
  '@nh,8,8 0xff;ok',
].join('\n');

describe('parsePyTest', () => {
  const f = parsePyTest(T);
  it('reads the ok rules with their expected listing, and skips fail, omitted and comment lines', () => {
    expect(f.rules.map((r) => [r.rule, r.expected])).toEqual([
      ['tcp dport 22', undefined],
      ['ip dscp 0x38', 'ip dscp cs7'],
      ['@nh,8,8 0xff', undefined],
    ]);
    expect(f.rules[0].line).toBe(14);
    expect(f.rules[0].tables.map((t) => `${t.family} ${t.name} ${t.chains.join(',')}`)).toEqual(['ip test-ip4 input', 'netdev test-netdev ingress']);
  });
  it('turns the ok sets, maps, elements and objects into nft commands', () => {
    expect(f.rules[0].setup).toEqual([
      'add set TABLE set1 { type ipv4_addr . inet_service; timeout 60s; flags interval; }',
      'add map TABLE map1 { type ipv4_addr : mark; }',
      'add element TABLE set1 { 10.0.0.1 . 22, 10.0.0.2 . 80 }',
      'add counter TABLE cnt1',
      'add ct helper TABLE ct1 { type "ftp" protocol tcp; }',
    ]);
  });
  it('writes one rule in one renamed table with its chains', () => {
    const netdev = f.rules[0].tables[1];
    expect(pyRuleScript(f, f.rules[0], netdev, 'test-netdev-7').split('\n').slice(0, 2)).toEqual([
      'add table netdev test-netdev-7',
      'add chain netdev test-netdev-7 ingress { type filter hook ingress device lo priority 0; }',
    ]);
    expect(pyRuleScript(f, f.rules[0], netdev, 'n')).toContain('add rule netdev n ingress tcp dport 22\n');
  });
});

describe('the corpus helpers', () => {
  it('finds a table block, the first differing line and raw texts', () => {
    const l = 'table ip a {\n\tchain c {\n\t}\n}\ntable ip b {\n}\n';
    expect(tableBlock(l, 'ip', 'b')).toBe('table ip b {\n}\n');
    expect(firstDifference('x\ny\n', 'x\nz\n')).toBe('line 2: "y" ≠ "z"');
    expect(rawTexts({ tables: [{ rules: [{ stmts: [{ kind: 'raw', text: 'reset tcp option mss' }] }] }] })).toEqual(['reset tcp option mss']);
    expect(stable('elements = { 1.2.3.4 timeout 30s expires 29s998ms }')).toBe('elements = { 1.2.3.4 timeout 30s }');
    // the time since a `last` statement saw a packet, at the start of a line or after another statement
    expect(stable('\t\tlast used 5m28ms\n\t\tcounter packets 0 bytes 0 last used 1s\n')).toBe('\t\tlast used 1s\n\t\tcounter packets 0 bytes 0 last used 1s\n');
    expect(stable('\t\tlast used never\n')).toBe('\t\tlast used never\n');
  });
  it('pairs changed lines and names their class', () => {
    const a = 'table ip t {\n\tlimit rate 4/second\n\tip frag-off & 8191 != 0\n}\n';
    const b = 'table ip t {\n\tlimit rate 4/second burst 5 packets\n\tip frag-off & 0x1fff != 0x0\n}\n';
    const pairs = changedPairs(a, b);
    expect(pairs).toHaveLength(2);
    expect(classify(pairs[0])).toMatch(/^limit: the default burst/);
    expect(classify(pairs[1])).toMatch(/^ip frag-off: values in hex/);
    expect(classify({ v106: 'meta l4proto 6', v113: 'meta l4proto tcp' })).toBe('N → tcp');
  });
  it('knows a whole ruleset from a fragment of one', () => {
    expect(wholeRuleset('table inet x {\n\tchain y {\n\t}\n}\n')).toBe(true);
    expect(wholeRuleset('table inet x {\n\tchain y {\n\t...\n')).toBe(false);
    expect(wholeRuleset('nft add table inet x\n')).toBe(false);
  });
});
