import { describe, expect, it } from 'vitest';
import { asRaw, byId, errors, ids, lintText, rangeText } from '../fixtures/lintText.ts';

const table = (body: string): string => `table ip t {\n${body}}\n`;
const base = (rules: string, name = 'in', hook = 'input'): string =>
  `\tchain ${name} {\n\t\ttype filter hook ${hook} priority filter; policy accept;\n${rules
    .split('\n')
    .filter(Boolean)
    .map((r) => `\t\t${r}\n`)
    .join('')}\t}\n\n`;
const regular = (name: string, rules: string): string =>
  `\tchain ${name} {\n${rules
    .split('\n')
    .filter(Boolean)
    .map((r) => `\t\t${r}\n`)
    .join('')}\t}\n\n`;

describe('chain references', () => {
  it('points at the missing jump target', () => {
    const text = table(base('tcp dport 22 goto ssh_in'));
    const [d] = byId(lintText(text).found, 'ref/undefined-chain');
    expect(rangeText(text, d)).toBe('ssh_in');
    expect(d.message).toBe('goto to chain "ssh_in", which does not exist in table t');
  });

  it('checks the jump targets of named verdict maps, used or not', () => {
    const text = table('\tmap vm {\n\t\ttype inet_service : verdict\n\t\telements = { 22 : jump nope, 80 : goto in }\n\t}\n\n' + base('accept'));
    const r = lintText(text);
    expect(ids(errors(r.found))).toEqual(['ref/undefined-chain', 'ref/jump-to-base']);
    expect(r.found[0].nodeId).toBe(r.ruleset.tables[0].sets[0].id);
  });

  it('sees jumps kept in raw text', () => {
    const text = table(base('accept'));
    expect(ids(lintText(text, { model: asRaw('in', 0, 'meta cpu 1 jump nope comment "jump x"') }).found)).toEqual(['ref/undefined-chain']);
  });
});

describe('set references', () => {
  it('finds @refs nested in concatenations and anonymous maps', () => {
    const text = table(base('ip saddr . tcp dport @pairs accept\nmeta mark set ip saddr map @marks'));
    const r = lintText(text);
    expect(byId(r.found, 'ref/undefined-set').map((d) => rangeText(text, d))).toEqual(['@pairs', '@marks']);
  });

  it('allows matching against a map (it tests the keys)', () => {
    const text = table('\tmap m {\n\t\ttype ipv4_addr : mark\n\t}\n\n' + base('ip saddr @m accept'));
    expect(errors(lintText(text).found)).toEqual([]);
  });

  it('needs a map for a map lookup', () => {
    const text = table('\tmap s {\n\t\ttype ipv4_addr : mark\n\t}\n\n' + base('meta mark set ip saddr map @s'));
    const r = lintText(text, {
      model: (rs) => {
        rs.tables[0].sets[0].kind = 'set';
      },
    });
    expect(ids(r.found)).toContain('ref/set-kind');
  });

  it('checks add/update targets', () => {
    expect(ids(lintText(table(base('add @seen { ip saddr }'))).found)).toContain('ref/undefined-set');
  });
});

describe('object references', () => {
  it('checks synproxy objects chosen by an anonymous map', () => {
    const text = table(
      '\tsynproxy a {\n\t\tmss 1460\n\t\twscale 7\n\t\ttimestamp sack-perm\n\t}\n\n' +
        base('ct state invalid,untracked synproxy name ip saddr map { 10.0.0.0/8 : "a", 192.168.0.0/16 : "b" }\nct state invalid drop'),
    );
    const r = lintText(text);
    const [d] = byId(r.found, 'ref/undefined-object');
    expect(d.message).toBe('synproxy "b" does not exist in table t');
    expect(rangeText(text, d)).toBe('"b"');
  });

  it('checks ct timeout, ct expectation and secmark objects', () => {
    const text = table(base('ct timeout set "t1"\nct expectation set "e1"\nmeta secmark set "s1"', 'pre', 'prerouting'));
    expect(byId(lintText(text).found, 'ref/undefined-object').map((d) => d.message)).toEqual([
      'ct timeout "t1" does not exist in table t',
      'ct expectation "e1" does not exist in table t',
      'secmark "s1" does not exist in table t',
    ]);
  });

  it('looks a number up as an object name too, as nft does', () => {
    expect(ids(lintText(table(base('meta secmark set 12', 'pre', 'prerouting'))).found)).toContain('ref/undefined-object');
  });

  it('skips object names that are variables', () => {
    expect(ids(lintText(`define C = "c"\n${table(base('counter name $C'))}`).found)).not.toContain('ref/undefined-object');
  });
});

describe('variables', () => {
  it('finds undefined variables in rules, devices and other defines', () => {
    const text = 'define A = $B\ntable netdev t {\n\tchain c {\n\t\ttype filter hook ingress device $DEV priority filter; policy accept;\n\t\tip saddr $NET drop\n\t}\n}\n';
    const r = lintText(text);
    expect(byId(r.found, 'ref/undefined-variable').map((d) => rangeText(text, d))).toEqual(['$B', '$DEV', '$NET']);
  });

  it('stays quiet when an include may define them', () => {
    expect(ids(lintText(`include "vars.nft"\n${table(base('ip saddr $NET drop'))}`).found)).not.toContain('ref/undefined-variable');
  });
});

describe('jump loops', () => {
  it('names the whole loop and points at the rule that closes it', () => {
    const text = table(base('jump a') + regular('a', 'jump b') + regular('b', 'jump c') + regular('c', 'tcp dport 22 goto a'));
    const [d] = byId(lintText(text).found, 'ref/jump-loop');
    expect(d.message).toMatch(/^jump loop: [abc] → [abc] → [abc] → [abc]$/);
    expect(d.severity).toBe('error');
    expect(d.why).toMatch(/nft -c does not notice/);
  });

  it('reports a loop no base chain reaches as a warning', () => {
    const r = lintText(table(regular('a', 'jump b') + regular('b', 'jump a')));
    expect(byId(r.found, 'ref/jump-loop-latent').length).toBe(1);
    expect(byId(r.found, 'ref/jump-loop')).toEqual([]);
  });

  it('does not mistake a diamond for a loop', () => {
    const text = table(base('jump a\njump b') + regular('a', 'jump c') + regular('b', 'jump c') + regular('c', 'accept'));
    expect(ids(lintText(text).found).filter((id) => id.startsWith('ref/jump-loop'))).toEqual([]);
  });

  it('handles long chains of jumps without recursion', () => {
    let body = base('jump c0');
    for (let i = 0; i < 5000; i++) body += regular(`c${i}`, `jump c${i + 1}`);
    body += regular('c5000', 'jump c0');
    expect(ids(lintText(table(body)).found)).toContain('ref/jump-loop');
  });
});

describe('unused declarations', () => {
  it('counts uses in raw text, named maps and set updates', () => {
    const text = table(
      '\tset a {\n\t\ttype ipv4_addr\n\t}\n\n\tset b {\n\t\ttype ipv4_addr\n\t\tflags dynamic\n\t}\n\n\tcounter k {\n\t}\n\n\tmap m {\n\t\ttype ipv4_addr : counter\n\t\telements = { 1.2.3.4 : "k" }\n\t}\n\n' +
        base('accept\nadd @b { ip saddr }\ncounter name ip saddr map @m'),
    );
    const r = lintText(text, { model: asRaw('in', 0, 'meta cpu 1 ip saddr @a drop') });
    expect(ids(r.found).filter((id) => id.startsWith('ref/unused'))).toEqual([]);
  });

  it('reports chains only reachable from nowhere', () => {
    const r = lintText(table(base('accept') + regular('spare', 'accept')));
    expect(byId(r.found, 'ref/unused-chain').map((d) => d.message)).toEqual(['chain spare is never entered: no rule jumps to it and it has no hook']);
  });
});
