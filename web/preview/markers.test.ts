import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { diagnosticsToMarkers, MARKER_SEVERITY } from './markers.ts';

const lines = ['table ip t {', '\tchain c {', '\t\ttcp dport 22 accept', '\t}', '}', ''];
const model = {
  lineCount: lines.length,
  lineMaxColumn: (n: number) => lines[n - 1].length + 1,
  lineFirstColumn: (n: number) => {
    const i = lines[n - 1].search(/\S/);
    return i < 0 ? 0 : i + 1;
  },
};
const map = new Map([
  ['t_1', { startLine: 1, endLine: 5 }],
  ['c_1', { startLine: 2, endLine: 4 }],
  ['r_1', { startLine: 3, endLine: 3 }],
]);

describe('diagnosticsToMarkers', () => {
  it('maps severities to Monaco marker severities', () => {
    expect(MARKER_SEVERITY).toEqual({ error: 8, warning: 4, info: 2 });
    const ds: Diagnostic[] = (['error', 'warning', 'info'] as const).map((severity) => ({ id: 'x/y', severity, message: severity, nodeId: 'r_1' }));
    expect(diagnosticsToMarkers(ds, map, model).map((m) => m.severity)).toEqual([8, 4, 2]);
  });

  it('keeps a range as it is (end column exclusive, like Monaco)', () => {
    const d: Diagnostic = { id: 'parse/syntax', severity: 'error', message: 'syntax error, unexpected "dprot"', range: { startLine: 3, startCol: 7, endLine: 3, endCol: 12 } };
    expect(diagnosticsToMarkers([d], map, model)).toEqual([
      { severity: 8, message: 'syntax error, unexpected "dprot"', code: 'parse/syntax', source: 'nft parser', startLineNumber: 3, startColumn: 7, endLineNumber: 3, endColumn: 12 },
    ]);
  });

  it('marks the lines of the node of a finding without a range, from its first character', () => {
    const d: Diagnostic = { id: 'chain/policy', severity: 'warning', message: 'm', why: 'because', nodeId: 'c_1' };
    const [m] = diagnosticsToMarkers([d], map, model);
    expect(m).toMatchObject({ startLineNumber: 2, startColumn: 2, endLineNumber: 4, endColumn: 3, source: 'nft-designer lint', code: 'chain/policy' });
    expect(m.message).toBe('m\n\nbecause');
  });

  it('prefers the range over the node when a finding has both', () => {
    const d: Diagnostic = { id: 'a', severity: 'info', message: 'm', nodeId: 't_1', range: { startLine: 3, startCol: 3, endLine: 3, endCol: 6 } };
    expect(diagnosticsToMarkers([d], map, model)[0]).toMatchObject({ startLineNumber: 3, startColumn: 3, endColumn: 6 });
  });

  it('skips findings it cannot place', () => {
    const ds: Diagnostic[] = [
      { id: 'a', severity: 'error', message: 'no place' },
      { id: 'b', severity: 'error', message: 'gone', nodeId: 'r_missing' },
    ];
    expect(diagnosticsToMarkers(ds, map, model)).toEqual([]);
  });

  it('clamps ranges to the text and never produces an empty marker', () => {
    const ds: Diagnostic[] = [
      { id: 'a', severity: 'error', message: 'past the end', range: { startLine: 99, startCol: 1, endLine: 120, endCol: 4 } },
      { id: 'b', severity: 'error', message: 'empty', range: { startLine: 3, startCol: 5, endLine: 3, endCol: 5 } },
      { id: 'c', severity: 'error', message: 'wide', range: { startLine: 1, startCol: 0, endLine: 1, endCol: 500 } },
    ];
    const [a, b, c] = diagnosticsToMarkers(ds, map, model);
    expect(a).toMatchObject({ startLineNumber: 6, endLineNumber: 6, startColumn: 1, endColumn: 1 });
    expect(b).toMatchObject({ startColumn: 5, endColumn: 6 });
    expect(c).toMatchObject({ startColumn: 1, endColumn: 13 });
  });
});

describe('diagnosticsToMarkers while the editor shows other text', () => {
  // the app's text has the rule on line 3; the user added two blank lines above it
  const appText = ['table ip t {', '\tchain c {', '\t\ttcp dport 22 accept', '\t}', '}', ''].join('\n');
  const editorLines = ['table ip t {', '', '', '\tchain c {', '\t\ttcp dport 22 accept', '\t}', '}', ''];
  const editorModel = {
    lineCount: editorLines.length,
    lineMaxColumn: (n: number) => editorLines[n - 1].length + 1,
    lineFirstColumn: (n: number) => {
      const i = editorLines[n - 1].search(/\S/);
      return i < 0 ? 0 : i + 1;
    },
  };

  it('puts ranges and nodes on the editor lines that hold them', async () => {
    const { lineMapping } = await import('./lineMapping.ts');
    const m = lineMapping(editorLines.join('\n'), appText);
    const ds: Diagnostic[] = [
      { id: 'x/range', severity: 'warning', message: 'r', range: { startLine: 3, startCol: 7, endLine: 3, endCol: 12 } },
      { id: 'x/node', severity: 'info', message: 'n', nodeId: 'c_1' },
    ];
    expect(diagnosticsToMarkers(ds, map, editorModel, m).map((x) => [x.startLineNumber, x.startColumn, x.endLineNumber, x.endColumn])).toEqual([
      [5, 7, 5, 12],
      [4, 2, 6, 3],
    ]);
  });

  it('leaves out findings whose lines have no counterpart, and marks a line rewritten in place whole', async () => {
    const { lineMapping } = await import('./lineMapping.ts');
    const rewritten = appText.replace('\t\ttcp dport 22 accept', '\t\ttcp   dport 22 accept');
    const lines2 = rewritten.split('\n');
    const model2 = { lineCount: lines2.length, lineMaxColumn: (n: number) => lines2[n - 1].length + 1, lineFirstColumn: () => 3 };
    const inPlace = lineMapping(rewritten, appText);
    const d: Diagnostic = { id: 'x/range', severity: 'warning', message: 'r', range: { startLine: 3, startCol: 7, endLine: 3, endCol: 12 } };
    expect(diagnosticsToMarkers([d], map, model2, inPlace).map((x) => [x.startLineNumber, x.startColumn, x.endLineNumber, x.endColumn])).toEqual([[3, 3, 3, lines2[2].length + 1]]);
    // the rule replaced by two lines: no counterpart for the rule or its range
    const split = appText.replace('\t\ttcp dport 22 accept', '\t\ttcp dport 22\n\t\taccept');
    const lines3 = split.split('\n');
    const model3 = { lineCount: lines3.length, lineMaxColumn: (n: number) => lines3[n - 1].length + 1, lineFirstColumn: () => 1 };
    const m = lineMapping(split, appText);
    expect(diagnosticsToMarkers([d, { id: 'x/node', severity: 'info', message: 'n', nodeId: 'r_1' }], map, model3, m)).toEqual([]);
    // but the chain around it stretches over both lines
    expect(diagnosticsToMarkers([{ id: 'x/node', severity: 'info', message: 'n', nodeId: 'c_1' }], map, model3, m).map((x) => [x.startLineNumber, x.endLineNumber])).toEqual([[2, 5]]);
  });
});
