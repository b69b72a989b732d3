// @vitest-environment jsdom
/**
 * The Preview mounted in jsdom with the real Monaco: text sync with minimal
 * edits, holding back the app's text while the user types, debounced reports,
 * markers, the selection highlight, keyboard click-to-select and undo routing —
 * first with props set by the test, then wired to the app's own store and text
 * action (versions and verdicts as the app really makes them).
 * Layout, scrolling, hovers and completion need a real browser: they are
 * checked in chromium with the dev harness (web/dev/preview.html).
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useMemo, useState, type ComponentProps } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { emit } from '../../src/emit/index.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { removeNode, updateRule, updateTable } from '../../src/model/ops.ts';
import { generateRuleset } from '../../src/testing/generate.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { parse } from '../../src/parse/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { applyEditedText } from '../actions/textEdit.ts';
import { discardPendingEdit, useTextErrors } from '../actions/textErrors.ts';
import { loadMonacoForTests } from '../monaco/loadMonacoForTests.ts';
import { clearHistory, redo, undo, useDesign } from '../store/design.ts';
import { editorFontSize, useUi } from '../store/ui.ts';

vi.mock('monaco-editor/editor/editor.worker?worker', () => ({ default: class {} }));

type PreviewType = (typeof import('./Preview.tsx'))['Preview'];
let Preview: PreviewType;
let AppPreview: PreviewType;
let monaco: Awaited<ReturnType<typeof loadMonacoForTests>>;

beforeAll(async () => {
  monaco = await loadMonacoForTests();
  ({ Preview, AppPreview } = await import('./Preview.tsx'));
}, 120_000);

beforeEach(() => {
  // jsdom has no layout: a wrapping editor there would wrap at every character, and cursorDown move within a line
  useUi.setState({ previewWrap: false, presenter: false });
});

afterEach(() => {
  cleanup();
  discardPendingEdit();
});

const TEXT = ['table ip t {', '\tchain c {', '\t\ttype filter hook input priority filter; policy accept;', '\t\ttcp dport 22 accept', '\t\tct state invalid drop', '\t}', '}', ''].join('\n');
const MAP = new Map([
  ['t_1', { startLine: 1, endLine: 7 }],
  ['c_1', { startLine: 2, endLine: 6 }],
  ['r_1', { startLine: 4, endLine: 4 }],
  ['r_2', { startLine: 5, endLine: 5 }],
]);

type Props = ComponentProps<PreviewType>;

function setup(over: Partial<Props> = {}) {
  const props: Props = {
    text: TEXT,
    map: MAP,
    externalVersion: 0,
    diagnostics: [],
    selectedId: null,
    onSelect: vi.fn(),
    onTextChange: vi.fn(),
    theme: 'light',
    debounceMs: 20,
    ...over,
  };
  const r = render(<Preview {...props} />);
  const editor = monaco.editor.getEditors()[0];
  const model = editor.getModel()!;
  const rerender = (next: Partial<Props>): void => {
    Object.assign(props, next);
    r.rerender(<Preview {...props} />);
  };
  return { props, editor, model, rerender, unmount: r.unmount, container: r.container };
}

const wait = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

describe('Preview', () => {
  it('creates one editor and one model, labelled, and disposes both on unmount', () => {
    const { container, editor, model, unmount } = setup({ ariaLabel: 'nft script preview' });
    expect(container.querySelector('section[aria-label="nft script preview"]')).not.toBeNull();
    expect(monaco.editor.getModels()).toHaveLength(1);
    expect(model.getValue()).toBe(TEXT);
    expect(model.getLanguageId()).toBe('nft');
    expect(editor.getRawOptions().ariaLabel).toBe('nft script preview');
    unmount();
    expect(monaco.editor.getModels()).toHaveLength(0);
    expect(monaco.editor.getEditors()).toHaveLength(0);
  });

  it('applies a new external version with a minimal edit: the cursor stays on its line, no setValue', () => {
    const { editor, model, rerender } = setup();
    editor.setPosition({ lineNumber: 5, column: 3 });
    const setValue = vi.spyOn(model, 'setValue');
    const lines = TEXT.split('\n');
    lines.splice(3, 0, '\t\ttcp dport 80 accept');
    rerender({ text: lines.join('\n'), externalVersion: 1 });
    expect(model.getValue()).toBe(lines.join('\n'));
    expect(setValue).not.toHaveBeenCalled();
    // the inserted line is above the cursor: the cursor moved down with its text
    expect(editor.getPosition()).toMatchObject({ lineNumber: 6, column: 3 });
    // one undo step, undoing exactly the insertion
    model.undo();
    expect(model.getValue()).toBe(TEXT);
  });

  it('ignores a new text without a new version (the echo of its own edit)', () => {
    const { model, rerender } = setup();
    rerender({ text: TEXT.replace('22', '2222') });
    expect(model.getValue()).toBe(TEXT);
  });

  it('reports the user\'s edits debounced, with the whole text', async () => {
    const { editor, model, props } = setup();
    editor.setPosition({ lineNumber: 4, column: 15 });
    editor.trigger('keyboard', 'type', { text: '2' });
    editor.trigger('keyboard', 'type', { text: '2' });
    expect(props.onTextChange).not.toHaveBeenCalled();
    await wait(60);
    expect(props.onTextChange).toHaveBeenCalledTimes(1);
    expect(props.onTextChange).toHaveBeenCalledWith(model.getValue());
    expect(model.getLineContent(4)).toBe('\t\ttcp dport 2222 accept');
  });

  it('does not overwrite what the user is typing; applies the app\'s text when the editor loses focus', async () => {
    const { editor, model, props, rerender } = setup();
    editor.focus();
    expect(editor.hasWidgetFocus()).toBe(true);
    editor.setPosition({ lineNumber: 4, column: 15 });
    editor.trigger('keyboard', 'type', { text: '  ' });
    await wait(60);
    expect(props.onTextChange).toHaveBeenCalledTimes(1);
    const typed = model.getValue();
    // the app reconciled and re-emitted the canonical form, with a new version (as the store does: see below)
    rerender({ text: TEXT, externalVersion: 1 });
    expect(model.getValue()).toBe(typed);
    (document.activeElement as HTMLElement).blur();
    await wait(10); // Monaco reports a widget blur on the next tick
    expect(editor.hasWidgetFocus()).toBe(false);
    expect(model.getValue()).toBe(TEXT);
  });

  it('applies a new version at once while focused if the user has not typed', () => {
    const { editor, model, rerender } = setup();
    editor.focus();
    rerender({ text: TEXT.replace('drop', 'reject'), externalVersion: 1 });
    expect(model.getLineContent(5)).toBe('\t\tct state invalid reject');
  });

  it('sends a pending edit on blur and keeps the user\'s text', async () => {
    const { editor, model, props, rerender } = setup({ debounceMs: 10_000 });
    editor.focus();
    editor.setPosition({ lineNumber: 4, column: 1 });
    editor.trigger('keyboard', 'type', { text: '#' });
    rerender({ text: TEXT, externalVersion: 1 });
    (document.activeElement as HTMLElement).blur();
    await wait(10);
    expect(props.onTextChange).toHaveBeenCalledWith(model.getValue());
    expect(model.getLineContent(4)).toBe('#\t\ttcp dport 22 accept');
  });

  it('sets markers: ranges as given, node-only findings on the node\'s lines, with the why', () => {
    const diagnostics: Diagnostic[] = [
      { id: 'parse/syntax', severity: 'error', message: 'unexpected dprot', range: { startLine: 4, startCol: 7, endLine: 4, endCol: 12 } },
      { id: 'synproxy/x', severity: 'warning', message: 'check mss', why: 'must match the backend', nodeId: 'r_2' },
    ];
    const { model, rerender } = setup({ diagnostics });
    const markers = monaco.editor.getModelMarkers({ resource: model.uri });
    expect(markers.map((m) => [m.severity, m.startLineNumber, m.startColumn, m.endLineNumber, m.endColumn])).toEqual([
      [monaco.MarkerSeverity.Error, 4, 7, 4, 12],
      [monaco.MarkerSeverity.Warning, 5, 3, 5, 24],
    ]);
    expect(markers[1].message).toBe('check mss\n\nmust match the backend');
    rerender({ diagnostics: [] });
    expect(monaco.editor.getModelMarkers({ resource: model.uri })).toHaveLength(0);
  });

  it('highlights the selected node\'s lines with one decoration', () => {
    const { model, rerender } = setup({ selectedId: 'c_1' });
    const selected = () => model.getAllDecorations().filter((d) => d.options.className === 'nft-preview-selected');
    expect(selected().map((d) => [d.range.startLineNumber, d.range.endLineNumber])).toEqual([[2, 6]]);
    rerender({ selectedId: 'r_2' });
    expect(selected().map((d) => [d.range.startLineNumber, d.range.endLineNumber])).toEqual([[5, 5]]);
    rerender({ selectedId: null });
    expect(selected()).toHaveLength(0);
  });

  it('selects the smallest node on the line the user moves to, not on programmatic moves', () => {
    const { editor, props } = setup();
    editor.setPosition({ lineNumber: 4, column: 1 });
    expect(props.onSelect).not.toHaveBeenCalled();
    editor.focus();
    editor.trigger('keyboard', 'cursorDown', null);
    expect(props.onSelect).toHaveBeenLastCalledWith('r_2');
    editor.trigger('keyboard', 'cursorDown', null);
    expect(props.onSelect).toHaveBeenLastCalledWith('c_1');
    editor.trigger('keyboard', 'cursorRight', null);
    expect(props.onSelect).toHaveBeenCalledTimes(2);
  });

  it('routes undo/redo keys to the app, sending a pending edit first', () => {
    const order: string[] = [];
    const { editor } = setup({ debounceMs: 10_000, onTextChange: () => order.push('text'), onUndo: () => order.push('undo'), onRedo: () => order.push('redo') });
    editor.focus();
    editor.setPosition({ lineNumber: 4, column: 1 });
    editor.trigger('keyboard', 'type', { text: 'x' });
    editor.getAction('nft-designer.undo')!.run();
    editor.getAction('nft-designer.redo')!.run();
    expect(order).toEqual(['text', 'undo', 'redo']);
  });

  it('follows readOnly and theme', () => {
    const { editor, rerender } = setup({ readOnly: true, theme: 'dark' });
    expect(editor.getRawOptions().readOnly).toBe(true);
    rerender({ readOnly: false });
    expect(editor.getRawOptions().readOnly).toBe(false);
  });

  it('follows presenter mode (font size) and preview wrap live, on the same editor and model', () => {
    const before = useUi.getState();
    try {
      act(() => useUi.setState({ presenter: false, previewWrap: false }));
      const { editor, model } = setup();
      const EditorOption = monaco.editor.EditorOption;
      expect(editor.getOption(EditorOption.fontSize)).toBe(editorFontSize(false));
      expect(editor.getRawOptions().wordWrap).toBe('off');
      act(() => useUi.setState({ presenter: true }));
      expect(editorFontSize(true)).not.toBe(editorFontSize(false));
      expect(editor.getOption(EditorOption.fontSize)).toBe(editorFontSize(true));
      act(() => useUi.setState({ previewWrap: true }));
      expect(editor.getRawOptions().wordWrap).toBe('on');
      act(() => useUi.setState({ presenter: false, previewWrap: false }));
      expect(editor.getOption(EditorOption.fontSize)).toBe(editorFontSize(false));
      expect(editor.getRawOptions().wordWrap).toBe('off');
      // not re-created
      expect(monaco.editor.getEditors()).toEqual([editor]);
      expect(editor.getModel()).toBe(model);
    } finally {
      useUi.setState({ presenter: before.presenter, previewWrap: before.previewWrap });
    }
  });

  it('starts with presenter mode\'s font size when it is on', () => {
    const before = useUi.getState().presenter;
    try {
      useUi.setState({ presenter: true });
      const { editor } = setup();
      expect(editor.getOption(monaco.editor.EditorOption.fontSize)).toBe(editorFontSize(true));
    } finally {
      useUi.setState({ presenter: before });
    }
  });
});

/**
 * Markers and the selection highlight after a form keystroke wait for idle
 * (idle.ts): what they end up as must be what setting them from scratch gives,
 * on generated designs, whatever the edits (comments longer and shorter, rules
 * added and removed above and below the findings and the selection).
 */
describe('Preview: markers and highlight set at idle equal a full recomputation', () => {
  const markersOf = (model: ReturnType<typeof setup>['model']) =>
    monaco.editor
      .getModelMarkers({ resource: model.uri, owner: 'nft-designer' })
      .map((m) => [m.startLineNumber, m.startColumn, m.endLineNumber, m.endColumn, m.message, m.code].join(':'))
      .sort();
  const highlightOf = (editor: ReturnType<typeof setup>['editor']) =>
    editor
      .getModel()!
      .getAllDecorations()
      .filter((d) => d.options.className === 'nft-preview-selected')
      .map((d) => `${d.range.startLineNumber}-${d.range.endLineNumber}`);

  it('on generated designs, over random edits', async () => {
    for (const seed of [1, 2, 3]) {
      let rs = parse(generateRuleset(150, seed).text).ruleset;
      const rules = () => rs.tables[0].chains.flatMap((c) => c.rules);
      // findings by node (whole lines through the map) and by range (lines of the text they were made for)
      const findings = (): Diagnostic[] =>
        rules()
          .filter((_, i) => i % 7 === 0)
          .map((r, i) => ({ id: `test/f${i}`, severity: i % 2 ? 'warning' : 'info', message: `finding ${i}`, nodeId: r.id }) as Diagnostic);
      const first = emit(rs);
      const diagnostics = [...findings(), { id: 'test/range', severity: 'error', message: 'ranged', range: { startLine: 3, startCol: 2, endLine: 3, endCol: 6 } } as Diagnostic];
      const selected = rules()[40].id;
      const { editor, model, rerender } = setup({ text: first.text, map: first.map, diagnostics, selectedId: selected, externalVersion: 1 });
      let version = 1;
      const rand = (() => {
        let x = seed * 7919;
        return (n: number) => ((x = (x * 48271) % 2147483647) % n);
      })();
      for (let step = 0; step < 12; step++) {
        const rule = rules()[rand(rules().length)];
        const k = rand(3);
        if (k === 0) rs = updateRule(rs, rule.id, { comment: `${rule.comment ?? ''}${'x'.repeat(1 + rand(5))}` });
        else if (k === 1) rs = updateRule(rs, rule.id, { comment: rule.comment ? rule.comment.slice(0, -1) || undefined : 'c' });
        else if (rule.id !== selected) rs = removeNode(rs, rule.id);
        if (!rules().some((r) => r.id === selected)) break;
        const next = emit(rs);
        // a keystroke: a new text, the same findings (the linter has not answered yet)
        rerender({ text: next.text, map: next.map, externalVersion: ++version });
        expect(model.getValue()).toBe(next.text);
        await wait(5);
        // the reference: a Preview mounted on the final state sets everything from scratch
        const fresh = render(<Preview text={next.text} map={next.map} externalVersion={1} diagnostics={diagnostics} selectedId={selected} onSelect={vi.fn()} onTextChange={vi.fn()} theme="light" />);
        const freshEditor = monaco.editor.getEditors().find((e) => e !== editor)!;
        expect(markersOf(model)).toEqual(markersOf(freshEditor.getModel()!));
        expect(highlightOf(editor)).toEqual(highlightOf(freshEditor));
        fresh.unmount();
      }
      cleanup();
    }
  }, 60_000);

  it('new findings and a new selection are set at once, not at idle', () => {
    const { editor, model, rerender } = setup();
    rerender({ diagnostics: [{ id: 'test/x', severity: 'warning', message: 'now', nodeId: 'r_1' }] });
    expect(monaco.editor.getModelMarkers({ resource: model.uri, owner: 'nft-designer' }).map((m) => m.startLineNumber)).toEqual([4]);
    rerender({ selectedId: 'r_2' });
    expect(highlightOf(editor)).toEqual(['5-5']);
  });

  it('a new text with nothing else new sets the markers once idle, not in the keystroke', async () => {
    const diagnostics: Diagnostic[] = [{ id: 'test/x', severity: 'warning', message: 'later', nodeId: 'r_2' }];
    const { model, rerender } = setup({ diagnostics, selectedId: 'r_2' });
    const spy = vi.spyOn(monaco.editor, 'setModelMarkers');
    try {
      const text = TEXT.replace('tcp dport 22 accept', 'tcp dport 22 accept comment "x"');
      rerender({ text, externalVersion: 1 });
      expect(model.getValue()).toBe(text);
      expect(spy.mock.calls.filter((c) => c[1] === 'nft-designer')).toHaveLength(0);
      await wait(5);
      expect(spy.mock.calls.filter((c) => c[1] === 'nft-designer')).toHaveLength(1);
      expect(monaco.editor.getModelMarkers({ resource: model.uri, owner: 'nft-designer' }).map((m) => m.startLineNumber)).toEqual([5]);
    } finally {
      spy.mockRestore();
    }
  });
});

/**
 * The Preview as the app's panel wires it: the real design store, the emitter,
 * applyEditedText for typed text and the app's record of text that does not
 * parse (AppPreview). Versions and verdicts come from the store, not the test.
 */
describe('Preview with the app store', () => {
  const WIKI = TEMPLATES[0].text;
  /** the rule on the emitted line holding `needle` */
  const ruleOf = (rs: Ruleset, needle: string) => {
    const { text, map } = emit(rs);
    const line = text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    return rs.tables[0].chains.flatMap((c) => c.rules).find((r) => map.get(r.id)?.startLine === line)!;
  };

  beforeEach(() => {
    useDesign.getState().replace(parse(WIKI).ruleset, { untracked: true });
    clearHistory();
  });

  function Wired({ finding }: { finding: (rs: Ruleset) => Diagnostic[] }) {
    const ruleset = useDesign((s) => s.ruleset);
    const externalVersion = useDesign((s) => s.externalVersion);
    const emitted = useMemo(() => emit(ruleset), [ruleset]);
    const diagnostics = useMemo(() => finding(ruleset), [ruleset, finding]);
    const [selectedId, setSelectedId] = useState<string | null>(null);
    wired.select = setSelectedId;
    return (
      <AppPreview
        text={emitted.text}
        map={emitted.map}
        externalVersion={externalVersion}
        diagnostics={diagnostics}
        selectedId={selectedId}
        onSelect={(id) => {
          wired.selected.push(id);
          setSelectedId(id);
        }}
        onTextChange={(t) => void applyEditedText(t)}
        onUndo={undo}
        onRedo={redo}
        theme="light"
        debounceMs={20}
      />
    );
  }
  const wired: { select: (id: string | null) => void; selected: string[] } = { select: () => {}, selected: [] };

  function mount(finding: (rs: Ruleset) => Diagnostic[] = () => []) {
    wired.selected = [];
    const r = render(<Wired finding={finding} />);
    const editor = monaco.editor.getEditors()[0];
    const model = editor.getModel()!;
    const lineOf = (needle: string): number => model.getLinesContent().findIndex((l) => l.includes(needle)) + 1;
    const markers = (owner = 'nft-designer') => monaco.editor.getModelMarkers({ resource: model.uri, owner }).map((m) => [m.code, m.startLineNumber, m.endLineNumber]);
    const selected = () => model.getAllDecorations().filter((d) => d.options.className === 'nft-preview-selected').map((d) => [d.range.startLineNumber, d.range.endLineNumber]);
    const insertAfterLine = (line: number, text: string) => {
      const col = model.getLineMaxColumn(line);
      editor.executeEdits('keyboard', [{ range: new monaco.Range(line, col, line, col), text }]);
    };
    const blur = async () => {
      (document.activeElement as HTMLElement).blur();
      await wait(10);
      expect(editor.hasWidgetFocus()).toBe(false);
    };
    return { ...r, editor, model, lineOf, markers, selected, insertAfterLine, blur };
  }

  const appText = () => emit(useDesign.getState().ruleset).text;

  it('typed text whose canonical form has other lines: markers, highlight and click-to-select follow the editor\'s lines; on blur the canonical text replaces it', async () => {
    // a lint-like finding on the rule "ct state invalid drop", by node and by range in the app's text
    const finding = (rs: Ruleset): Diagnostic[] => {
      const rule = ruleOf(rs, 'ct state invalid drop');
      const text = emit(rs).text.split('\n');
      const line = text.findIndex((l) => l.includes('ct state invalid drop')) + 1;
      const col = text[line - 1].indexOf('drop') + 1;
      return [
        { id: 'lint/node', severity: 'warning', message: 'on the rule', nodeId: rule.id },
        { id: 'lint/range', severity: 'info', message: 'on drop', range: { startLine: line, startCol: col, endLine: line, endCol: col + 4 } },
      ];
    };
    const { editor, model, lineOf, markers, selected, insertAfterLine, blur } = mount(finding);
    const rule = ruleOf(useDesign.getState().ruleset, 'ct state invalid drop');
    act(() => wired.select(rule.id));
    expect(selected()).toEqual([[10, 10]]);
    editor.focus();
    // a set on one line, then two blank lines: nft's form takes four lines for it and one blank line
    insertAfterLine(1, '\n\tset blocked { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }\n\n');
    const typed = model.getValue();
    await wait(60);
    // the app took it (its own store bumped the version) and re-emitted; the editor keeps the user's text
    expect(useDesign.getState().ruleset.tables[0].sets.map((x) => x.name)).toEqual(['blocked']);
    expect(appText()).not.toBe(typed);
    expect(model.getValue()).toBe(typed);
    const rowTyped = lineOf('ct state invalid drop');
    expect(rowTyped).toBe(13);
    expect(appText().split('\n').findIndex((l) => l.includes('ct state invalid drop')) + 1).toBe(15);
    // everything in the app's lines lands on the editor's line of that rule
    expect(markers()).toEqual([
      ['lint/node', rowTyped, rowTyped],
      ['lint/range', rowTyped, rowTyped],
    ]);
    expect(selected()).toEqual([[rowTyped, rowTyped]]);
    // moving onto the line of the synproxy rule (just above) selects that rule, not whatever the app has on line 12
    editor.setPosition({ lineNumber: rowTyped, column: 1 });
    act(() => editor.trigger('keyboard', 'cursorUp', null));
    const synproxy = ruleOf(useDesign.getState().ruleset, 'synproxy mss');
    expect(wired.selected.at(-1)).toBe(synproxy.id);
    act(() => editor.trigger('keyboard', 'cursorDown', null));
    expect(wired.selected.at(-1)).toBe(rule.id);
    // the typed set's own lines have no counterpart in the app's text: clicking there selects nothing
    const n = wired.selected.length;
    editor.setPosition({ lineNumber: 1, column: 1 });
    act(() => editor.trigger('keyboard', 'cursorDown', null));
    expect(wired.selected).toHaveLength(n);

    await blur();
    expect(model.getValue()).toBe(appText());
    expect(model.getLineContent(2)).toBe('\tset blocked {');
    const row = lineOf('ct state invalid drop');
    expect(row).toBe(15);
    expect(markers()).toEqual([
      ['lint/node', row, row],
      ['lint/range', row, row],
    ]);
    expect(selected()).toEqual([[row, row]]);
  });

  it('typed text that does not parse survives leaving the editor and a form change, with a banner, until discarded', async () => {
    const { editor, model, lineOf, markers, insertAfterLine, blur } = mount();
    editor.focus();
    insertAfterLine(lineOf('tcp flags syn notrack'), ' bogus');
    const typed = model.getValue();
    await wait(60);
    expect(useTextErrors.getState().pending?.text).toBe(typed);
    expect(markers('nft-designer.edit').length).toBeGreaterThan(0);
    expect(screen.queryByTestId('preview.unparsed')).toBeNull(); // while typing, the marker says it
    await blur();
    expect(screen.getByTestId('preview.unparsed').textContent).toContain('does not parse yet');
    // a change in the forms
    const t = useDesign.getState().ruleset.tables[0];
    act(() => useDesign.getState().apply((rs) => updateTable(rs, t.id, { comment: 'demo' })));
    expect(model.getValue()).toBe(typed);
    expect(screen.getByTestId('preview.unparsed').textContent).toContain('The design has changed since');
    // undo from the toolbar: still held
    act(() => undo());
    act(() => redo());
    expect(model.getValue()).toBe(typed);
    // keep editing: back in the editor at the error, the banner stays while the design's change is held
    fireEvent.click(screen.getByTestId('preview.keepEditing'));
    expect(editor.hasWidgetFocus()).toBe(true);
    expect(editor.getPosition()!.lineNumber).toBe(lineOf('bogus'));
    await blur();
    fireEvent.click(screen.getByTestId('preview.discardEdit'));
    expect(model.getValue()).toBe(appText());
    expect(model.getValue()).toContain('\tcomment "demo"\n');
    expect(screen.queryByTestId('preview.unparsed')).toBeNull();
    expect(useTextErrors.getState().pending).toBeNull();
    expect(markers('nft-designer.edit')).toEqual([]);
    // the editor follows the design again
    act(() => useDesign.getState().apply((rs) => updateTable(rs, t.id, { comment: 'again' })));
    expect(model.getValue()).toContain('\tcomment "again"\n');
  });

  it('fixing the text that does not parse makes it the design, and the banner goes', async () => {
    const { editor, model, lineOf, insertAfterLine, blur } = mount();
    editor.focus();
    insertAfterLine(lineOf('tcp flags syn notrack'), ' bogus');
    await wait(60);
    await blur();
    expect(screen.getByTestId('preview.unparsed')).toBeTruthy();
    fireEvent.click(screen.getByTestId('preview.keepEditing'));
    const line = lineOf('bogus');
    editor.executeEdits('keyboard', [{ range: new monaco.Range(line, model.getLineMaxColumn(line) - ' bogus'.length, line, model.getLineMaxColumn(line)), text: '  ' }]);
    await wait(60);
    expect(useTextErrors.getState().pending).toBeNull();
    expect(screen.queryByTestId('preview.unparsed')).toBeNull();
    expect(model.getValue()).not.toBe(WIKI); // the trailing spaces wait for blur
    await blur();
    expect(model.getValue()).toBe(WIKI);
  });

  it('Ctrl+Z in the editor undoes typing that does not parse there (not a design step), back to the design\'s text', async () => {
    const { editor, model, lineOf, insertAfterLine } = mount();
    const t = useDesign.getState().ruleset.tables[0];
    act(() => useDesign.getState().apply((rs) => updateTable(rs, t.id, { comment: 'kept' })));
    editor.focus();
    insertAfterLine(lineOf('tcp flags syn notrack'), ' bogus');
    await wait(60);
    expect(useTextErrors.getState().pending).not.toBeNull();
    act(() => {
      void editor.getAction('nft-designer.undo')!.run();
    });
    // the typing is gone, the design's last step (the comment) is not
    expect(model.getValue()).toBe(appText());
    expect(model.getValue()).toContain('comment "kept"');
    expect(useTextErrors.getState().pending).toBeNull();
    await wait(60);
    expect(useDesign.getState().ruleset.tables[0].comment).toBe('kept');
    // now Ctrl+Z is the design's undo again
    act(() => {
      void editor.getAction('nft-designer.undo')!.run();
    });
    expect(useDesign.getState().ruleset.tables[0].comment).toBeUndefined();
    expect(model.getValue()).toBe(WIKI);
  });

  it('a preview mounted again shows the typed text that does not parse, with the banner', async () => {
    const first = mount();
    first.editor.focus();
    first.insertAfterLine(first.lineOf('tcp flags syn notrack'), ' bogus');
    const typed = first.model.getValue();
    await wait(60);
    first.unmount();
    const again = mount();
    expect(again.model.getValue()).toBe(typed);
    expect(screen.getByTestId('preview.unparsed')).toBeTruthy();
    expect(again.markers('nft-designer.edit').length).toBeGreaterThan(0);
  });
});
