// @vitest-environment jsdom
/**
 * The Preview mounted in jsdom with the real Monaco: text sync with minimal
 * edits, holding back the app's text while the user types, debounced reports,
 * markers, the selection highlight, keyboard click-to-select and undo routing.
 * Layout, scrolling, hovers and completion need a real browser: they are
 * checked in chromium with the dev harness (web/dev/preview.html).
 */
import { act, cleanup, render } from '@testing-library/react';
import type { ComponentProps } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { loadMonacoForTests } from '../monaco/loadMonacoForTests.ts';

vi.mock('monaco-editor/editor/editor.worker?worker', () => ({ default: class {} }));

type PreviewType = (typeof import('./Preview.tsx'))['Preview'];
let Preview: PreviewType;
let monaco: Awaited<ReturnType<typeof loadMonacoForTests>>;

beforeAll(async () => {
  monaco = await loadMonacoForTests();
  Preview = (await import('./Preview.tsx')).Preview;
}, 120_000);

afterEach(() => cleanup());

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
    // the app reconciled and re-emitted the canonical form, with a new version
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
});
