/**
 * Each goal kind against real designs, parsed from nft text with the project's
 * parser and linted by its linter: several passing and failing cases per kind.
 */
import { describe, expect, it } from 'vitest';
import { blockingErrors, parse } from '../parse/index.ts';
import { lint } from '../lint/index.ts';
import type { Ruleset } from '../model/types.ts';
import type { Goal, Lesson, Step } from './format.ts';
import { describeGoal, evaluateLesson, evaluateStep, type EvalContext } from './evaluate.ts';
import { findTemplate, type Template } from '../templates/catalog.ts';

/** one-line designs read easier here; nft wants a newline after a block's } before the next one */
function design(text: string): Ruleset {
  const r = parse(text.replace(/\} (?=(table|chain|set|map|synproxy) )/g, '}\n'));
  // one-line test designs: the separators nft wants before "}" are written by the emitter
  expect(blockingErrors(r.diagnostics)).toEqual([]);
  return r.ruleset;
}

function ctx(text: string, confirmed: string[] = []): EvalContext {
  const ruleset = design(text);
  return { ruleset, findings: lint(ruleset), confirmed: new Set(confirmed) };
}

function step(goal: Goal, id = 's'): Step {
  return { id, title: id, task: ['do it'], goal };
}

function status(goal: Goal, text: string): string {
  return evaluateStep(step(goal), ctx(text)).status;
}

function lesson(...goals: Goal[]): Lesson {
  return { format: 'nft-designer-lesson', version: 1, id: 't', title: 't', steps: goals.map((g, i) => step(g, `s${i}`)) };
}

/** the wiki's anonymous synproxy example, as the template catalogue ships it */
const WIKI = (findTemplate('synproxy-anonymous') as Template).text;

describe('chain goals', () => {
  const inputDrop: Goal = { kind: 'chain', where: { family: ['inet'], hook: 'input', type: 'filter', policy: 'drop' } };
  it('finds a chain by family, hook, type and policy', () => {
    expect(status(inputDrop, 'table inet filter { chain input { type filter hook input priority filter; policy drop; } }')).toBe('met');
  });
  it('refuses the wrong policy, the wrong family, a regular chain', () => {
    expect(status(inputDrop, 'table inet filter { chain input { type filter hook input priority filter; policy accept; } }')).toBe('unmet');
    expect(status(inputDrop, 'table ip filter { chain input { type filter hook input priority filter; policy drop; } }')).toBe('unmet');
    expect(status(inputDrop, 'table inet filter { chain input { } }')).toBe('unmet');
    expect(status(inputDrop, '')).toBe('unmet');
  });
  it('a chain without a policy has policy accept', () => {
    expect(status({ kind: 'chain', where: { hook: 'input', policy: 'accept' } }, 'table inet f { chain i { type filter hook input priority 0; } }')).toBe('met');
  });
  it('resolves priority names for the family, and the conntrack position', () => {
    const raw: Goal = { kind: 'chain', where: { hook: 'prerouting', priority: { max: -300 } } };
    const before: Goal = { kind: 'chain', where: { hook: 'prerouting', conntrack: 'before' } };
    expect(status(raw, 'table ip t { chain p { type filter hook prerouting priority raw; } }')).toBe('met');
    expect(status(raw, 'table ip t { chain p { type filter hook prerouting priority -300; } }')).toBe('met');
    expect(status(raw, 'table ip t { chain p { type filter hook prerouting priority mangle; } }')).toBe('unmet');
    expect(status(before, 'table ip t { chain p { type filter hook prerouting priority raw; } }')).toBe('met');
    expect(status(before, 'table ip t { chain p { type filter hook prerouting priority -200; } }')).toBe('unmet');
    expect(status(before, 'table ip t { chain p { type filter hook prerouting priority filter; } }')).toBe('unmet');
    // a priority given by a define
    expect(status(before, 'define P = -300\ntable ip t { chain p { type filter hook prerouting priority $P; } }')).toBe('met');
  });
  it('by table and chain name; regular chains', () => {
    expect(status({ kind: 'chain', where: { table: 'filter', name: 'input' } }, 'table inet filter { chain input { } }')).toBe('met');
    expect(status({ kind: 'chain', where: { table: 'other', name: 'input' } }, 'table inet filter { chain input { } }')).toBe('unmet');
    expect(status({ kind: 'chain', where: { base: false } }, 'table inet filter { chain x { } }')).toBe('met');
    expect(status({ kind: 'chain', where: { base: false } }, 'table inet filter { chain x { type filter hook input priority 0; } }')).toBe('unmet');
  });
  it('says what is missing', () => {
    const r = evaluateStep(step(inputDrop), ctx(''));
    expect(r.missing).toEqual(['no base chain on hook input (type filter, policy drop) in a table of family inet yet']);
  });
});

describe('rule goals', () => {
  const notrack: Goal = {
    kind: 'rule',
    chain: { hook: 'prerouting', type: 'filter', conntrack: 'before' },
    match: [
      { field: 'tcp dport', values: ['8888'] },
      { field: 'tcp flags', values: ['syn'] },
    ],
    statements: ['notrack'],
  };
  it('finds the wiki notrack rule', () => {
    expect(status(notrack, WIKI)).toBe('met');
  });
  it('refuses it in a chain after conntrack, for another port, without the SYN test', () => {
    expect(status(notrack, WIKI.replace('priority raw', 'priority filter'))).toBe('unmet');
    expect(status(notrack, WIKI.replace('tcp dport 8888 tcp flags syn notrack', 'tcp dport 80 tcp flags syn notrack'))).toBe('unmet');
    expect(status(notrack, WIKI.replace('tcp dport 8888 tcp flags syn notrack', 'tcp dport 8888 notrack'))).toBe('unmet');
  });
  it('ports are found in anonymous and named sets, ranges and service names', () => {
    const g: Goal = { kind: 'rule', match: [{ field: 'tcp dport', values: ['443', '22'] }], verdict: 'accept' };
    expect(status(g, 'table inet f { chain i { tcp dport { 22, 443 } accept } }')).toBe('met');
    expect(status(g, 'table inet f { chain i { tcp dport { ssh, https } accept } }')).toBe('met');
    expect(status(g, 'table inet f { chain i { tcp dport 1-1000 accept } }')).toBe('met');
    expect(status(g, 'table inet f { set p { type inet_service; elements = { 22, 443 } } chain i { tcp dport @p accept } }')).toBe('met');
    expect(status(g, 'table inet f { chain i { tcp dport { 22, 80 } accept } }')).toBe('unmet');
    expect(status(g, 'table inet f { chain i { tcp dport != 443 accept } }')).toBe('unmet');
    expect(status(g, 'table inet f { chain i { tcp dport { 22, 443 } drop } }')).toBe('unmet');
  });
  it('verdicts: accept after other statements, jump, reject; a rule without a verdict', () => {
    const v = (verdict: 'accept' | 'jump' | 'reject' | 'drop', text: string) => status({ kind: 'rule', verdict }, `table inet f { chain a { } chain i { ${text} } }`);
    expect(v('accept', 'tcp dport 22 ct state new counter accept comment "x"')).toBe('met');
    expect(v('jump', 'tcp dport 22 jump a')).toBe('met');
    expect(v('reject', 'counter reject')).toBe('met');
    expect(v('drop', 'counter')).toBe('unmet');
    expect(v('accept', 'tcp dport 22 jump a')).toBe('unmet');
  });
  it('fields in their several spellings: iif / meta iif, l4proto names', () => {
    const lo: Goal = { kind: 'rule', match: [{ field: 'iif', values: ['lo'] }], verdict: 'accept' };
    expect(status(lo, 'table inet f { chain i { iif "lo" accept } }')).toBe('met');
    expect(status(lo, 'table inet f { chain i { meta iif "lo" accept } }')).toBe('met');
    expect(status(lo, 'table inet f { chain i { iifname "lo" accept } }')).toBe('unmet');
    const icmp6: Goal = { kind: 'rule', match: [{ field: 'meta l4proto', values: ['ipv6-icmp'] }], verdict: 'accept' };
    expect(status(icmp6, 'table inet f { chain i { meta l4proto { icmp, ipv6-icmp } accept } }')).toBe('met');
    expect(status(icmp6, 'table inet f { chain i { meta l4proto icmpv6 accept } }')).toBe('met');
    expect(status(icmp6, 'table inet f { chain i { meta l4proto 58 accept } }')).toBe('met');
    expect(status(icmp6, 'table inet f { chain i { ip6 nexthdr ipv6-icmp accept } }')).toBe('unmet');
  });
  it('synproxy by statement and by object reference; NAT types', () => {
    const sp: Goal = { kind: 'rule', match: [{ field: 'ct state', values: ['invalid', 'untracked'] }], statements: ['synproxy'] };
    expect(status(sp, WIKI)).toBe('met');
    expect(status(sp, 'table ip t { synproxy s { mss 1460 wscale 7 } chain i { type filter hook input priority 0; ct state invalid,untracked synproxy name "s" } }')).toBe('met');
    expect(status(sp, WIKI.replace('ct state invalid,untracked synproxy', 'ct state invalid synproxy'))).toBe('unmet');
    const masq: Goal = { kind: 'rule', chain: { hook: 'postrouting', type: 'nat' }, statements: ['masquerade'] };
    expect(status(masq, 'table ip nat { chain post { type nat hook postrouting priority srcnat; oifname "eth0" masquerade } }')).toBe('met');
    expect(status(masq, 'table ip nat { chain post { type nat hook postrouting priority srcnat; oifname "eth0" snat to 1.2.3.4 } }')).toBe('unmet');
  });
  it('after: a later rule of the same chain as the rule an earlier step found', () => {
    const l = lesson(
      { kind: 'rule', as: 'sp', statements: ['synproxy'] },
      { kind: 'rule', chain: { ref: 'sp' }, after: 'sp', match: [{ field: 'ct state', values: ['invalid'] }], verdict: 'drop' },
    );
    const run = (text: string) => evaluateLesson(l, ctx(text)).map((r) => r.status);
    expect(run(WIKI)).toEqual(['met', 'met']);
    // the drop before the synproxy rule does not count, and the result says where it is
    const before = WIKI.replace(/(\t\ttcp dport 8888 ct state.*\n)(\t\tct state invalid drop\n)/, '$2$1');
    expect(run(before)).toEqual(['met', 'unmet']);
    expect(evaluateLesson(l, ctx(before))[1].missing.join(' ')).toContain('before rule 2');
    // without the synproxy rule the second step waits for the first
    const none = WIKI.replace(/\t\ttcp dport 8888 ct state.*\n/, '');
    expect(run(none)).toEqual(['unmet', 'unmet']);
    expect(evaluateLesson(l, ctx(none))[1].missing[0]).toBe('first step 1 ("s0")');
  });
  it('chain refs and a rule found in another chain', () => {
    const l = lesson({ kind: 'chain', as: 'input', where: { hook: 'input' } }, { kind: 'rule', chain: { ref: 'input' }, match: [{ field: 'tcp dport', values: ['22'] }], verdict: 'accept' });
    const text = 'table inet f { chain input { type filter hook input priority 0; policy drop; } chain other { tcp dport 22 accept } }';
    const r = evaluateLesson(l, ctx(text));
    expect(r.map((x) => x.status)).toEqual(['met', 'unmet']);
    expect(r[1].missing.join(' ')).toContain('there is one in chain other');
    expect(evaluateLesson(l, ctx(text.replace('policy drop; }', 'policy drop; tcp dport ssh accept }'))).map((x) => x.status)).toEqual(['met', 'met']);
  });
});

describe('set goals', () => {
  const used: Goal = { kind: 'set', where: { is: 'set', minElements: 1, used: true } };
  it('a named set used by a rule', () => {
    expect(status(used, 'table inet f { set s { type inet_service; elements = { 22 } } chain i { tcp dport @s accept } }')).toBe('met');
    expect(status(used, 'table inet f { set s { type ipv4_addr; flags dynamic; } chain i { update @s { ip saddr } } }')).toBe('unmet'); // no elements
    expect(status({ kind: 'set', where: { is: 'set', used: true } }, 'table inet f { set s { type ipv4_addr; flags dynamic; } chain i { update @s { ip saddr } } }')).toBe('met');
    expect(status(used, 'table inet f { set s { type inet_service; elements = { 22 } } chain i { tcp dport 22 accept } }')).toBe('unmet');
    expect(status(used, 'table inet f { chain i { tcp dport { 22 } accept } }')).toBe('unmet');
  });
  it('a verdict map used by vmap; an interval set', () => {
    const vmap: Goal = { kind: 'set', where: { is: 'map', data: 'verdict', used: true } };
    expect(status(vmap, 'table inet f { map m { type inet_service : verdict; elements = { 22 : accept } } chain i { tcp dport vmap @m } }')).toBe('met');
    expect(status(vmap, 'table inet f { map m { type inet_service : mark; elements = { 22 : 1 } } chain i { meta mark set tcp dport map @m } }')).toBe('unmet');
    expect(status(vmap, 'table inet f { map m { type inet_service : verdict; elements = { 22 : accept } } }')).toBe('unmet');
    const interval: Goal = { kind: 'set', where: { flags: ['interval'], minElements: 1 } };
    expect(status(interval, 'table ip f { set lan { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } } }')).toBe('met');
    expect(status(interval, 'table ip f { set lan { type ipv4_addr; elements = { 10.0.0.1 } } }')).toBe('unmet');
  });
});

describe('synproxy goals', () => {
  const g: Goal = { kind: 'synproxy', mss: {}, wscale: {}, timestamp: true };
  it('every synproxy, statement or object, has mss and wscale in range', () => {
    expect(status(g, WIKI)).toBe('met');
    expect(status(g, 'table ip t { synproxy s { mss 1460 wscale 7 timestamp } chain i { type filter hook input priority 0; ct state invalid,untracked synproxy name "s" } }')).toBe('met');
  });
  it('refuses no synproxy, a missing or out-of-range value, no timestamp', () => {
    expect(status(g, 'table ip t { chain i { } }')).toBe('unmet');
    expect(status(g, WIKI.replace('mss 1460 wscale 7', 'wscale 7'))).toBe('unmet');
    expect(status(g, WIKI.replace('wscale 7', 'wscale 15'))).toBe('unmet');
    expect(status(g, WIKI.replace('mss 1460', 'mss 0'))).toBe('unmet');
    expect(status(g, WIKI.replace(' timestamp sack-perm', ''))).toBe('unmet');
    const r = evaluateStep(step(g), ctx(WIKI.replace('wscale 7', 'wscale 15')));
    expect(r.missing).toEqual(['the synproxy of rule 1 in chain IN has wscale 15, expected 0..14']);
  });
  it('a lesson may narrow the range', () => {
    expect(status({ kind: 'synproxy', mss: { min: 1400, max: 1460 } }, WIKI)).toBe('met');
    expect(status({ kind: 'synproxy', mss: { max: 1400 } }, WIKI)).toBe('unmet');
  });
});

describe('lint goals', () => {
  it('no errors: met for the wiki setup, unmet with an error, pending without findings', () => {
    const g: Goal = { kind: 'lint', expect: 'none', severity: 'error' };
    expect(status(g, WIKI)).toBe('met');
    const bad = WIKI.replace('mss 1460', 'mss 70000');
    expect(status(g, bad)).toBe('unmet');
    expect(evaluateStep(step(g), ctx(bad)).missing[0]).toContain('65535');
    expect(evaluateStep(step(g), { ...ctx(WIKI), findings: null }).status).toBe('pending');
  });
  it('by finding id, none and some', () => {
    const noDrop = WIKI.replace('\t\tct state invalid drop\n', '');
    expect(status({ kind: 'lint', expect: 'none', ids: ['synproxy/no-invalid-drop'] }, WIKI)).toBe('met');
    expect(status({ kind: 'lint', expect: 'none', ids: ['synproxy/no-invalid-drop'] }, noDrop)).toBe('unmet');
    expect(status({ kind: 'lint', expect: 'some', ids: ['synproxy/no-invalid-drop'] }, noDrop)).toBe('met');
    // warnings do not count when only errors are asked about
    expect(status({ kind: 'lint', expect: 'none', severity: 'error' }, noDrop)).toBe('met');
    expect(status({ kind: 'lint', expect: 'none', severity: 'warning' }, noDrop)).toBe('unmet');
  });
});

describe('confirm, all and any', () => {
  it('confirm is met once the step is confirmed', () => {
    const s = step({ kind: 'confirm' }, 'c');
    expect(evaluateStep(s, ctx(WIKI)).status).toBe('unmet');
    expect(evaluateStep(s, ctx(WIKI, ['c'])).status).toBe('met');
    expect(evaluateStep(s, ctx(WIKI, ['other'])).status).toBe('unmet');
  });
  it('all needs every goal; any needs one; pending wins over met, not over unmet', () => {
    const a: Goal = { kind: 'rule', statements: ['notrack'] };
    const b: Goal = { kind: 'rule', statements: ['masquerade'] };
    const l: Goal = { kind: 'lint', expect: 'none' };
    expect(status({ kind: 'all', of: [a, a] }, WIKI)).toBe('met');
    expect(status({ kind: 'all', of: [a, b] }, WIKI)).toBe('unmet');
    expect(status({ kind: 'any', of: [b, a] }, WIKI)).toBe('met');
    expect(status({ kind: 'any', of: [b, b] }, WIKI)).toBe('unmet');
    const noFindings = { ...ctx(WIKI), findings: null };
    expect(evaluateStep(step({ kind: 'all', of: [a, l] }), noFindings).status).toBe('pending');
    expect(evaluateStep(step({ kind: 'all', of: [b, l] }), noFindings).status).toBe('unmet');
    expect(evaluateStep(step({ kind: 'any', of: [b, l] }), noFindings).status).toBe('pending');
  });
});

describe('describeGoal', () => {
  it('says what is checked, in words', () => {
    expect(describeGoal({ kind: 'rule', chain: { hook: 'input', type: 'filter' }, match: [{ field: 'tcp dport', values: ['443'] }], statements: ['synproxy'] })).toBe(
      'a rule that matches tcp dport 443, does synproxy in a base chain on hook input (type filter)',
    );
    expect(describeGoal({ kind: 'synproxy', mss: {}, wscale: { max: 9 }, timestamp: true })).toBe('every synproxy statement and object has mss 1..65535, wscale 0..9, timestamp');
    expect(describeGoal({ kind: 'lint', expect: 'none', severity: 'error' })).toBe('no errors from the linter');
    expect(describeGoal({ kind: 'any', of: [{ kind: 'rule', statements: ['vmap'] }, { kind: 'set', where: { is: 'map', data: 'verdict', used: true } }] })).toBe(
      'a rule that does vmap; or a named map with data verdict that a rule uses',
    );
  });
});
