import { describe, expect, it } from 'vitest';
import { byId, ids, lintText } from '../fixtures/lintText.ts';

const chain = (hook: string, policy: string, rules: string, extra = ''): string =>
  `table inet t {\n${extra}\tchain c {\n\t\ttype filter hook ${hook} priority filter; policy ${policy};\n${rules
    .split('\n')
    .filter(Boolean)
    .map((r) => `\t\t${r}\n`)
    .join('')}\t}\n}\n`;

describe('unreachable rules', () => {
  it('reports once per chain, on the first dead rule, with the count', () => {
    const r = lintText(chain('input', 'accept', 'tcp dport 22 accept\ncounter log prefix "x " drop\nudp dport 53 accept\nip saddr 10.0.0.1 accept'));
    const hits = byId(r.found, 'rule/unreachable');
    expect(hits.length).toBe(1);
    expect(hits[0].nodeId).toBe(r.ruleset.tables[0].chains[0].rules[2].id);
    expect(hits[0].message).toBe('this rule and the 1 after it are never reached: the rule before (line 5) ends with an unconditional drop');
  });

  it('does not treat matches, limits, jumps or mapped NAT as the end', () => {
    const rules = ['limit rate 10/second drop', 'jump x', 'ip saddr 10.0.0.1 drop', 'meta mark set 1', 'continue'];
    for (const first of rules) {
      const r = lintText(chain('input', 'accept', `${first}\naccept`, '\tchain x {\n\t}\n\n'));
      expect(ids(r.found), first).not.toContain('rule/unreachable');
    }
    const nat = 'table ip n {\n\tchain c {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tdnat to ip saddr map { 10.0.0.1 : 192.168.0.1 }\n\t\taccept\n\t}\n}\n';
    expect(ids(lintText(nat).found)).not.toContain('rule/unreachable');
  });

  it('sees goto, return, reject and plain NAT as the end', () => {
    for (const first of ['goto x', 'return', 'reject', 'counter reject with tcp reset']) {
      expect(ids(lintText(chain('input', 'accept', `${first}\naccept`, '\tchain x {\n\t}\n\n')).found), first).toContain('rule/unreachable');
    }
  });
});

describe('management path', () => {
  const info = (text: string): string[] => byId(lintText(text).found, 'chain/management-path').map((d) => d.message);

  it('is quiet when SSH is accepted by port, range, service name, vmap or in a jumped-to chain', () => {
    for (const rule of ['tcp dport 22 accept', 'tcp dport 20-25 accept', 'th dport ssh accept', 'tcp dport vmap { 22 : accept }', 'jump mgmt']) {
      expect(info(chain('input', 'drop', rule, '\tchain mgmt {\n\t\ttcp dport { 22, 2222 } ct state new accept\n\t}\n\n')), rule).toEqual([]);
    }
  });

  it('names the catch-all drop when there is one', () => {
    expect(info(chain('input', 'accept', 'tcp dport 80 accept\nreject'))).toEqual(['c drops by default (the catch-all reject): make sure SSH is accepted before it']);
  });

  it('wants established traffic accepted on a drop-policy output chain', () => {
    expect(info(chain('output', 'drop', 'tcp dport 53 accept'))).toHaveLength(1);
    expect(info(chain('output', 'drop', 'ct state established,related accept'))).toEqual([]);
  });

  it('ignores forward chains and accept policies', () => {
    expect(info(chain('forward', 'drop', ''))).toEqual([]);
    expect(info(chain('input', 'accept', 'tcp dport 80 accept'))).toEqual([]);
  });
});
