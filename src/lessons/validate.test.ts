/** The lesson file reader: untrusted input, errors that name the field. */
import { describe, expect, it } from 'vitest';
import { HOOKS } from '../knowledge/families.ts';
import { LESSON_LIMITS } from './format.ts';
import { jsonDepth, parseLessonText, readLesson } from './validate.ts';

const base = () => ({
  format: 'nft-designer-lesson',
  version: 1,
  id: 'my-lesson',
  title: 'My lesson',
  steps: [{ id: 'one', title: 'One', task: ['Add a chain.'], goal: { kind: 'chain', where: { hook: 'input' } } }],
});

function errors(data: unknown): string[] {
  const r = readLesson(data);
  return r.ok ? [] : r.errors;
}

describe('readLesson', () => {
  it('reads a minimal lesson and keeps only the checked fields', () => {
    const r = readLesson(base());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.lesson).toEqual(base());
  });

  it('names the field path and the vocabulary of a wrong hook', () => {
    const d = base();
    d.steps.push({ id: 'two', title: 'Two', task: ['x'], goal: { kind: 'rule', chain: { hook: 'inptu' }, verdict: 'accept' } as never });
    d.steps.push({ id: 'three', title: 'Three', task: ['x'], goal: { kind: 'rule', chain: { hook: 'inptu' }, verdict: 'accept' } as never });
    expect(errors(d)).toContain(`steps[2].goal.chain.hook: expected one of ${HOOKS.join(', ')}, got "inptu"`);
  });

  it('reads a rule goal\'s values as the trace reads them, and names a misspelt knowledge entry with a guess', () => {
    const d = base();
    (d.steps[0] as { goal: unknown }).goal = { kind: 'rule', match: [{ field: 'tcp dport', values: ['99999'] }] };
    expect(errors(d)).toEqual(['steps[0].goal.match[0].values[0]: tcp dport: 99999 does not fit in its 16 bits (at most 65535)']);
    (d.steps[0] as { goal: unknown }).goal = { kind: 'rule', match: [{ field: 'tcp dportt', values: ['22'] }] };
    expect(errors(d)).toHaveLength(1);
    (d.steps[0] as { goal: unknown }).goal = { kind: 'rule', match: [{ field: 'ip saddr', values: ['10.0.0.0/8'] }, { field: 'tcp dport', values: ['ssh', '1000-2000'] }], verdict: 'accept' };
    expect(errors(d)).toEqual([]);
    (d.steps[0] as { task: unknown[] }).task = [{ explain: 'stage.rawx' }];
    expect(errors(d)[0]).toMatch(/unknown knowledge entry "stage.rawx"; did you mean "stage.raw"\?/);
  });

  it('refuses unknown goal kinds', () => {
    const d = base();
    (d.steps[0] as { goal: unknown }).goal = { kind: 'packet' };
    expect(errors(d)[0]).toMatch(/^steps\[0\]\.goal\.kind: expected one of chain, rule, set, synproxy, lint, trace, confirm, all, any, got "packet"$/);
  });

  it('reads a trace goal: packets in nft\'s words (each read as the trace reads it), the host\'s addresses, what to expect', () => {
    const d = base();
    const set = (goal: unknown) => ((d.steps[0] as { goal: unknown }).goal = goal);
    set({ kind: 'trace', packets: ['iif "eth0" ip daddr 198.51.100.1 tcp dport 22 tcp flags syn'], hostAddrs: ['198.51.100.1'], tcpLoose: 0, verdict: 'accept', ctState: 'new' });
    expect(errors(d)).toEqual([]);
    set({ kind: 'trace', packet: {} });
    expect(errors(d)[0]).toMatch(/^steps\[0\]\.goal\.packet: unknown field/);
    set({ kind: 'trace', packets: ['iif "eth0" tcp dport 99999'], verdict: 'accept' });
    expect(errors(d)[0]).toBe('steps[0].goal.packets[0]: column 22: tcp dport: 99999 does not fit in its 16 bits (at most 65535)');
    set({ kind: 'trace', packets: ['iif "eth0" tcp dport 22'] });
    expect(errors(d)[0]).toMatch(/needs a verdict or a ctState/);
    set({ kind: 'trace', packets: ['iif "eth0" tcp dport 22'], verdict: 'reject' });
    expect(errors(d)[0]).toMatch(/^steps\[0\]\.goal\.verdict: /);
    set({ kind: 'trace', packets: ['iif "eth0" tcp dport 22'], hostAddrs: ['host.example'], verdict: 'drop' });
    expect(errors(d)[0]).toBe('steps[0].goal.hostAddrs[0]: "host.example" is not an IPv4 or IPv6 address');
    set({ kind: 'trace', packets: Array.from({ length: 9 }, () => 'iif "eth0" tcp dport 22'), verdict: 'drop' });
    expect(errors(d).length).toBeGreaterThan(0);
  });

  it('refuses unknown fields, wrong types, missing fields', () => {
    expect(errors({ ...base(), extra: 1 })[0]).toMatch(/^extra: unknown field/);
    expect(errors({ ...base(), __proto__: { polluted: true } })).toEqual([]); // a literal __proto__ sets the prototype, not a field
    expect(errors(JSON.parse('{"__proto__":{"x":1},"format":"nft-designer-lesson","version":1,"id":"a","title":"t","steps":[]}'))[0]).toBe('__proto__: unknown field (expected format, version, id, title, summary, author, steps)');
    expect(errors({ ...base(), title: 3 })).toEqual(['title: expected a string, got the number 3']);
    const { title: _t, ...noTitle } = base();
    expect(errors(noTitle)).toEqual(['title: missing']);
    expect(errors({ ...base(), steps: [] })).toEqual(['steps: expected at least 1 item']);
    expect(errors([])).toEqual(['(file): expected an object, got an array']);
  });

  it('checks the format and the version', () => {
    expect(errors({ ...base(), format: 'something' })).toEqual(['format: expected "nft-designer-lesson"']);
    expect(errors({ ...base(), version: 2 })[0]).toMatch(/^version: expected 1 .*got 2$/);
  });

  it('limits lengths and refuses control characters in text', () => {
    const d = base();
    d.steps[0].task = ['x'.repeat(LESSON_LIMITS.textChars + 1)];
    expect(errors(d)).toEqual([`steps[0].task[0]: at most ${LESSON_LIMITS.textChars} characters, got ${LESSON_LIMITS.textChars + 1}`]);
    d.steps[0].task = ['evil \u202e text'];
    expect(errors(d)[0]).toMatch(/^steps\[0\]\.task\[0\]: contains control/);
    d.steps[0].task = ['two\nlines'];
    expect(errors(d)).toEqual([]);
    const many = base();
    many.steps = Array.from({ length: LESSON_LIMITS.steps + 1 }, (_, i) => ({ ...base().steps[0], id: `s${i}` }));
    expect(errors(many)[0]).toBe(`steps: at most ${LESSON_LIMITS.steps} items, got ${LESSON_LIMITS.steps + 1}`);
  });

  it('text that looks like HTML is kept as text (rendered as text, never parsed)', () => {
    const d = base();
    d.steps[0].task = ['<img src=x onerror=alert(1)>'];
    const r = readLesson(d);
    expect(r.ok && r.lesson.steps[0].task[0]).toBe('<img src=x onerror=alert(1)>');
  });

  it('knowledge references must name an entry', () => {
    const d = base();
    (d.steps[0] as { task: unknown }).task = [{ explain: 'synproxy.mss' }];
    expect(errors(d)).toEqual([]);
    (d.steps[0] as { task: unknown }).task = [{ explain: 'synproxy.nothing' }];
    expect(errors(d)[0]).toMatch(/^steps\[0\]\.task\[0\]\.explain: unknown knowledge entry "synproxy.nothing"/);
    (d.steps[0] as { task: unknown }).task = [{ explain: 'synproxy.mss', html: '<b>' }];
    expect(errors(d)[0]).toMatch(/^steps\[0\]\.task\[0\]\.html: unknown field/);
  });

  it('match fields, statements, verdicts, finding ids, families come from the model and knowledge', () => {
    const goal = (g: unknown) => {
      const d = base();
      (d.steps[0] as { goal: unknown }).goal = g;
      return errors(d);
    };
    expect(goal({ kind: 'rule', match: [{ field: 'tcp dport', values: [22] }], verdict: 'accept' })).toEqual([]);
    expect(goal({ kind: 'rule', match: [{ field: 'tcp port' }], verdict: 'accept' })[0]).toMatch(/^steps\[0\]\.goal\.match\[0\]\.field: unknown match field "tcp port"/);
    expect(goal({ kind: 'rule', statements: ['teleport'] })[0]).toMatch(/^steps\[0\]\.goal\.statements\[0\]: expected one of notrack, synproxy, masquerade/);
    expect(goal({ kind: 'rule', verdict: 'maybe' })[0]).toMatch(/^steps\[0\]\.goal\.verdict: expected one of accept, drop/);
    expect(goal({ kind: 'rule' })).toEqual(['steps[0].goal: a rule goal needs at least one of match, statements, verdict']);
    expect(goal({ kind: 'lint', expect: 'none', ids: ['synproxy/no-invalid-drop'] })).toEqual([]);
    expect(goal({ kind: 'lint', expect: 'none', ids: ['made/up'] })[0]).toMatch(/^steps\[0\]\.goal\.ids\[0\]: unknown finding id "made\/up"/);
    expect(goal({ kind: 'chain', where: { family: 'inet6' } })[0]).toMatch(/^steps\[0\]\.goal\.where\.family: expected one of ip, ip6, inet, arp, bridge, netdev, got "inet6"/);
    expect(goal({ kind: 'chain', where: { family: ['inet', 'x'] } })[0]).toMatch(/^steps\[0\]\.goal\.where\.family\[1\]: expected one of/);
    expect(goal({ kind: 'chain', where: { type: 'mangle' } })[0]).toMatch(/^steps\[0\]\.goal\.where\.type: expected one of filter, nat, route/);
    expect(goal({ kind: 'chain', where: { base: false, hook: 'input' } })[0]).toMatch(/regular chain/);
  });

  it('synproxy bounds must lie in the facts range', () => {
    const goal = (g: unknown) => {
      const d = base();
      (d.steps[0] as { goal: unknown }).goal = g;
      return errors(d);
    };
    expect(goal({ kind: 'synproxy', mss: { min: 536, max: 1460 }, wscale: {} })).toEqual([]);
    expect(goal({ kind: 'synproxy', mss: { max: 70000 } })).toEqual(['steps[0].goal.mss.max: expected 1..65535, got 70000']);
    expect(goal({ kind: 'synproxy', wscale: { min: 15 } })).toEqual(['steps[0].goal.wscale.min: expected 0..14, got 15']);
    expect(goal({ kind: 'synproxy', mss: { min: 1460, max: 536 } })).toEqual(['steps[0].goal.mss: min 1460 is above max 536']);
  });

  it('references must name something an earlier goal found', () => {
    const d = base();
    d.steps = [
      { id: 'a', title: 'A', task: ['x'], goal: { kind: 'rule', as: 'sp', statements: ['synproxy'] } as never },
      { id: 'b', title: 'B', task: ['x'], goal: { kind: 'rule', chain: { ref: 'sp' }, after: 'sp', verdict: 'drop' } as never },
    ];
    expect(errors(d)).toEqual([]);
    (d.steps[1] as { goal: unknown }).goal = { kind: 'rule', after: 'nope', verdict: 'drop' };
    expect(errors(d)).toEqual(['steps[1].goal.after: "nope" is not named by an earlier goal ("as")']);
    (d.steps[0] as { goal: unknown }).goal = { kind: 'chain', as: 'sp', where: {} };
    (d.steps[1] as { goal: unknown }).goal = { kind: 'rule', after: 'sp', verdict: 'drop' };
    expect(errors(d)).toEqual(['steps[1].goal.after: "sp" names a chain, expected a rule']);
    (d.steps[1] as { goal: unknown }).goal = { kind: 'chain', as: 'sp', where: {} };
    expect(errors(d)).toEqual(['steps[1].goal.as: "sp" already names something found by an earlier goal']);
  });

  it('limits the nesting of all/any, and a confirm goal is a whole step', () => {
    const d = base();
    let g: unknown = { kind: 'chain', where: {} };
    for (let i = 0; i < LESSON_LIMITS.goalDepth + 1; i++) g = { kind: 'all', of: [g] };
    (d.steps[0] as { goal: unknown }).goal = g;
    expect(errors(d)[0]).toMatch(/nest at most 4 deep/);
    (d.steps[0] as { goal: unknown }).goal = { kind: 'any', of: [{ kind: 'confirm' }] };
    expect(errors(d)).toEqual(['steps[0].goal.of: a confirm goal must be a step\'s whole goal']);
  });

  it('step ids are unique', () => {
    const d = base();
    d.steps.push({ ...d.steps[0] });
    expect(errors(d)).toEqual(['steps[1].id: "one" is the id of an earlier step']);
  });

  it('stops after 20 errors', () => {
    const d = base();
    d.steps = Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, title: 3, task: ['x'], goal: { kind: 'confirm' } }) as never);
    expect(errors(d)).toHaveLength(20);
  });
});

describe('parseLessonText', () => {
  it('refuses what is not JSON, too big, or nested too deep, before reading it', () => {
    const r1 = parseLessonText('{ not json');
    expect(r1.ok === false && r1.errors[0]).toMatch(/^\(file\): not JSON/);
    const big = JSON.stringify({ ...base(), summary: ['x'.repeat(LESSON_LIMITS.fileChars)] });
    const r2 = parseLessonText(big);
    expect(r2.ok === false && r2.errors[0]).toMatch(/^\(file\): at most 262144 characters/);
    const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
    const r3 = parseLessonText(deep);
    expect(r3.ok === false && r3.errors[0]).toBe('(file): nested deeper than 16 levels');
    expect(parseLessonText(JSON.stringify(base())).ok).toBe(true);
  });
  it('counts depth outside strings only', () => {
    expect(jsonDepth('{"a": "[[[[[[[[[["}')).toBe(1);
    expect(jsonDepth('{"a": "\\"[[[", "b": [[1]]}')).toBe(3);
  });
});
