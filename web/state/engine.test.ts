import { afterEach, describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { clearHistory, useDesign } from '../store/design.ts';
import { useDerived } from './derived.ts';
import { emitSafely, locateEmitFailure } from './emitted.ts';
import { startEngine } from './engine.ts';

const good = (): Ruleset => parse('table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n\tchain c {\n\t\ttcp dport 22 accept\n\t\tcounter\n\t}\n}\n').ruleset;

/** A structure the emitter does not expect: it throws a TypeError, not a refusal. */
function broken(): { rs: Ruleset; ruleId: string } {
  const rs = good();
  const rule = rs.tables[0].chains[0].rules[1];
  rs.tables[0].chains[0].rules[1] = { ...rule, stmts: null as never };
  return { rs, ruleId: rule.id };
}

describe('emitSafely', () => {
  it('turns an unexpected exception into a refusal with its message and the node it comes from', () => {
    const { rs, ruleId } = broken();
    const r = emitSafely(rs);
    expect(r.result).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].nodeId).toBe(ruleId);
    expect(r.problems[0].message).toMatch(/^printing rule 2 of chain c failed \(.*not iterable\)$/);
  });
  it('still reports a design whose shape is wrong as a whole', () => {
    const rs = { ...good(), tables: 'nope' } as unknown as Ruleset;
    const r = emitSafely(rs);
    expect(r.problems[0]).toMatchObject({ nodeId: '', message: expect.stringMatching(/^printing the design failed/) });
  });
  it('locates a broken set', () => {
    const rs = good();
    rs.tables[0].sets[0] = { ...rs.tables[0].sets[0], elements: 7 as never, flags: null as never };
    expect(locateEmitFailure(rs)).toEqual({ nodeId: rs.tables[0].sets[0].id, what: 'set s' });
  });
  it('keeps refusals of the emitter as they are', () => {
    const rs = good();
    rs.tables[0].chains[0].rules[0].comment = 'a"b';
    const r = emitSafely(rs);
    expect(r.result).toBeUndefined();
    expect(r.problems[0].nodeId).toBe(rs.tables[0].chains[0].rules[0].id);
    expect(r.problems[0].message).not.toMatch(/^printing/);
  });
});

describe('engine', () => {
  let stop: (() => void) | undefined;
  afterEach(() => {
    stop?.();
    useDerived.setState({ emitted: null });
  });

  it('starts on a design that cannot be printed, shows why, and recovers on the next change', () => {
    const { rs, ruleId } = broken();
    useDesign.getState().replace(rs, { untracked: true });
    clearHistory();
    stop = startEngine();
    const e1 = useDerived.getState().emitted;
    expect(e1).not.toBeNull();
    expect(e1?.stale).toBe(true);
    expect(e1?.problems[0]).toMatchObject({ nodeId: ruleId, message: expect.stringContaining('not iterable') });
    // still subscribed: fixing the design writes the script
    useDesign.getState().replace(good());
    const e2 = useDerived.getState().emitted;
    expect(e2?.stale).toBe(false);
    expect(e2?.problems).toEqual([]);
    expect(e2?.text).toContain('tcp dport 22 accept');
    // and breaking it again keeps the last good text, marked stale
    useDesign.getState().replace(broken().rs);
    const e3 = useDerived.getState().emitted;
    expect(e3?.stale).toBe(true);
    expect(e3?.text).toBe(e2?.text);
  });

  it('subscribes once however often it is started', () => {
    useDesign.getState().replace(good(), { untracked: true });
    stop = startEngine();
    startEngine();
    let calls = 0;
    const un = useDerived.subscribe(() => calls++);
    useDesign.getState().replace(broken().rs);
    un();
    expect(calls).toBe(1);
  });
});
