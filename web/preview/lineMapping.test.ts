import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDENTITY, lineMapping } from './lineMapping.ts';

const text = (...lines: string[]): string => lines.join('\n');

describe('lineMapping (app lines ↔ editor lines while the texts differ)', () => {
  const app = text('table ip t {', '\tset s {', '\t\ttype ipv4_addr', '\t\telements = { 1.1.1.1, 2.2.2.2 }', '\t}', '', '\tchain c {', '\t\tct state invalid drop', '\t}', '}', '');

  it('is the identity for equal texts', () => {
    expect(lineMapping(app, app)).toBe(IDENTITY);
    expect(IDENTITY.toEditor(7)).toBe(7);
  });

  it('maps the shared head and tail exactly, and nothing in a changed middle of other line counts', () => {
    // the user wrote the set on one line, followed by two blank lines
    const editor = text('table ip t {', '\tset s { type ipv4_addr; elements = { 1.1.1.1, 2.2.2.2 } }', '', '', '\tchain c {', '\t\tct state invalid drop', '\t}', '}', '');
    const m = lineMapping(editor, app);
    expect(m.identity).toBe(false);
    expect(m.toEditor(1)).toBe(1);
    for (const l of [2, 3, 4, 5]) expect(m.toEditor(l)).toBeUndefined();
    expect(m.toEditor(6)).toBe(4); // the blank line before the chain: shared tail
    expect(m.toEditor(8)).toBe(6);
    expect(m.toEditor(10)).toBe(8);
    expect(m.toEditor(11)).toBe(9);
    expect(m.toEditor(12)).toBeUndefined();
    expect(m.toApp(6)).toBe(8);
    expect(m.toApp(2)).toBeUndefined();
    expect(m.toApp(3)).toBeUndefined();
    expect(m.exact(8)).toBe(true);
    expect(m.exact(3)).toBe(false);
    // the table around the change stretches; the set inside it has no counterpart
    expect(m.rangeToEditor({ startLine: 1, endLine: 10 })).toEqual({ startLine: 1, endLine: 8 });
    expect(m.rangeToEditor({ startLine: 2, endLine: 5 })).toBeUndefined();
    expect(m.rangeToEditor({ startLine: 7, endLine: 9 })).toEqual({ startLine: 5, endLine: 7 });
  });

  it('maps a line rewritten in place to itself, but not as exact', () => {
    const editor = app.replace('\t\tct state invalid drop', '\t\tct   state invalid drop');
    const m = lineMapping(editor, app);
    expect(m.toEditor(8)).toBe(8);
    expect(m.toApp(8)).toBe(8);
    expect(m.exact(8)).toBe(false);
    expect(m.exact(7)).toBe(true);
    expect(m.rangeToEditor({ startLine: 8, endLine: 8 })).toEqual({ startLine: 8, endLine: 8 });
  });

  it('maps around inserted or deleted lines', () => {
    const editor = app.replace('\t\tct state invalid drop\n', '\t\tct state invalid drop\n\n\n');
    const m = lineMapping(editor, app);
    expect(m.toEditor(8)).toBe(8);
    expect(m.toEditor(9)).toBe(11);
    expect(m.toApp(9)).toBeUndefined();
    expect(m.toApp(11)).toBe(9);
    const back = lineMapping(app, editor);
    expect(back.toEditor(11)).toBe(9);
    expect(back.toEditor(10)).toBeUndefined();
  });

  it('never maps a line onto a different line text outside the changed part (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', '', '\tx y');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(line, { maxLength: 12 }), fc.array(line, { maxLength: 12 }), fc.array(line, { maxLength: 4 }), (head, mid, tail, other) => {
        // like every emitted script and what Monaco gives back of it: each line ends with a newline
        const appText = [...head, ...mid, ...tail, ''].join('\n');
        const editorText = [...head, ...other, ...tail, ''].join('\n');
        const m = lineMapping(editorText, appText);
        const a = appText.split('\n');
        const e = editorText.split('\n');
        for (let l = 1; l <= a.length; l++) {
          const to = m.toEditor(l);
          if (to === undefined) continue;
          expect(to).toBeGreaterThanOrEqual(1);
          expect(to).toBeLessThanOrEqual(e.length);
          if (m.exact(l)) expect(e[to - 1]).toBe(a[l - 1]);
          expect(m.toApp(to)).toBe(l);
        }
        // the shared head always maps (the tail too, unless it could also be read as part of the head)
        for (let l = 1; l <= head.length; l++) expect(m.toEditor(l)).toBe(l);
      }),
    );
  });
});
