import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRuleset } from '../../src/testing/generate.ts';
import { applyLineEdit, minimalLineEdit } from './minimalEdit.ts';

const isLineStart = (text: string, offset: number): boolean => offset === 0 || text[offset - 1] === '\n';

describe('minimalLineEdit', () => {
  it('is null for equal texts', () => {
    expect(minimalLineEdit('a\nb\n', 'a\nb\n')).toBeNull();
    expect(minimalLineEdit('', '')).toBeNull();
  });

  it('replaces only the changed line', () => {
    const e = minimalLineEdit('a\nb\nc\n', 'a\nB\nc\n');
    expect(e).toEqual({ start: 2, oldEnd: 4, newEnd: 4, text: 'B\n' });
  });

  it('inserts whole lines without touching their neighbours', () => {
    expect(minimalLineEdit('a\nc\n', 'a\nb\nc\n')).toEqual({ start: 2, oldEnd: 2, newEnd: 4, text: 'b\n' });
    expect(minimalLineEdit('a\nb', 'a\nx\nb')).toEqual({ start: 2, oldEnd: 2, newEnd: 4, text: 'x\n' });
  });

  it('deletes whole lines', () => {
    expect(minimalLineEdit('a\nb\nc\n', 'a\nc\n')).toEqual({ start: 2, oldEnd: 4, newEnd: 2, text: '' });
  });

  it('edits at the ends of the text', () => {
    expect(applyLineEdit('abc', minimalLineEdit('abc', 'abcd'))).toBe('abcd');
    expect(minimalLineEdit('abc', 'abcd')).toEqual({ start: 0, oldEnd: 3, newEnd: 4, text: 'abcd' });
    expect(minimalLineEdit('a\n', 'a\nb\n')).toEqual({ start: 2, oldEnd: 2, newEnd: 4, text: 'b\n' });
    expect(minimalLineEdit('x\na\n', 'a\n')).toEqual({ start: 0, oldEnd: 2, newEnd: 0, text: '' });
    expect(applyLineEdit('', minimalLineEdit('', 'table ip t {\n}\n'))).toBe('table ip t {\n}\n');
    expect(applyLineEdit('table ip t {\n}\n', minimalLineEdit('table ip t {\n}\n', ''))).toBe('');
  });

  it('keeps repeated lines that are not part of the change (x y x → x x x)', () => {
    expect(minimalLineEdit('x\ny\nx', 'x\nx\nx')).toEqual({ start: 2, oldEnd: 4, newEnd: 4, text: 'x\n' });
  });

  it('applying the edit to the old text gives the new text (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\t', ' ', '{', '}'), maxLength: 60 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const e = minimalLineEdit(a, b);
        expect(applyLineEdit(a, e)).toBe(b);
        if (e) {
          expect(isLineStart(a, e.start)).toBe(true);
          expect(e.oldEnd === a.length || isLineStart(a, e.oldEnd)).toBe(true);
          expect(e.newEnd === b.length || isLineStart(b, e.newEnd)).toBe(true);
          expect(e.text).toBe(b.slice(e.start, e.newEnd));
          expect(a.slice(e.oldEnd)).toBe(b.slice(e.newEnd));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('touches only the changed line when one line of many changes (property)', () => {
    const lines = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 4 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(lines, fc.nat(), fc.string({ unit: fc.constantFrom('a', 'b', 'x'), maxLength: 4 }), (ls, k0, repl) => {
        const k = k0 % ls.length;
        fc.pre(ls[k] !== repl);
        const oldText = ls.join('\n') + '\n';
        const next = [...ls];
        next[k] = repl;
        const newText = next.join('\n') + '\n';
        const e = minimalLineEdit(oldText, newText);
        expect(e).not.toBeNull();
        const lineStart = ls.slice(0, k).reduce((n, l) => n + l.length + 1, 0);
        // starts at or after the changed line, ends at or before the next one
        expect(e!.start).toBeGreaterThanOrEqual(lineStart);
        expect(e!.oldEnd).toBeLessThanOrEqual(lineStart + ls[k].length + 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('stays fast on a 10,000-rule text', () => {
    const { text } = generateRuleset(10_000);
    const lines = text.split('\n');
    lines[5000] = '\t\ttcp dport 22 accept comment "changed"';
    const changed = lines.join('\n');
    const t0 = performance.now();
    const e = minimalLineEdit(text, changed);
    const ms = performance.now() - t0;
    expect(e?.text).toBe('\t\ttcp dport 22 accept comment "changed"\n');
    // typically well under 5 ms; generous for a loaded CI machine
    expect(ms).toBeLessThan(200);
  });
});
