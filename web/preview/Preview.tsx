/**
 * The live preview: the emitted nft script in Monaco, with markers for parse and
 * lint findings, the selected node highlighted, click-to-select, and two-way
 * editing. Load it lazily so Monaco lands in its own chunk:
 *
 *   const Preview = React.lazy(() => import('../preview/Preview.tsx'));
 *
 * How text flows (see textSync.ts): the app's `text` is applied with minimal
 * line edits whenever `externalVersion` changes — at once, unless the user is
 * typing in the editor, in which case the canonical form of their own edit waits
 * until the editor loses focus. The user's edits go back through `onTextChange`,
 * debounced.
 */
import { useEffect, useEffectEvent, useRef, type CSSProperties } from 'react';
import type { editor as MonacoEditor, IDisposable } from 'monaco-editor/editor/editor.api';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { monaco } from '../monaco/loadMonaco.ts';
import { LANGUAGE_ID } from '../monaco/nft/nft.ts';
import { THEME_DARK, THEME_LIGHT } from '../monaco/nft/themes.ts';
import { lineIndexOf } from '../state/lineOwners.ts';
import { diagnosticsToMarkers } from './markers.ts';
import { minimalLineEdit } from './minimalEdit.ts';
import { TextSyncPolicy } from './textSync.ts';
import './Preview.css';

export interface PreviewProps {
  /** the emitted script for the current design */
  text: string;
  /** node id → 1-based inclusive line range in `text` */
  map: Map<string, { startLine: number; endLine: number }>;
  /** bumps whenever `text` changed for a reason other than this editor's own edits (forms, undo, import) */
  externalVersion: number;
  /** findings: with `range` (lines/cols in the editor text) or only `nodeId` (mapped through `map` to whole lines) */
  diagnostics: Diagnostic[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** the user edited the text: called debounced (~300 ms after the last keystroke) with the whole text */
  onTextChange: (text: string) => void;
  theme: 'light' | 'dark';
  readOnly?: boolean;
  /** e.g. "nft script preview" */
  ariaLabel?: string;
  /**
   * Ctrl+Z in the editor calls this instead of Monaco's own undo, so that form
   * and text edits share one history (the app's). A pending text edit is sent
   * first, so undo takes back the user's latest typing.
   */
  onUndo?: () => void;
  /** Ctrl+Shift+Z / Ctrl+Y in the editor, see onUndo */
  onRedo?: () => void;
  /** debounce of onTextChange in ms (default 300) */
  debounceMs?: number;
  className?: string;
  style?: CSSProperties;
}

const MARKER_OWNER = 'nft-designer';
/** at most this many lines of a selected node are brought into view (its start first) */
const REVEAL_LINES = 12;

interface Instance {
  editor: MonacoEditor.IStandaloneCodeEditor;
  model: MonacoEditor.ITextModel;
  selection: MonacoEditor.IEditorDecorationsCollection;
  sync: TextSyncPolicy;
  /** true while the preview applies the app's text (its change events are not the user's) */
  applying: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** the id this editor itself asked to select (no scrolling for it) */
  selfSelected: string | null;
  revealed: string | null;
  cursorLine: number;
  /** sends a pending (debounced) edit now; true if there was one */
  flush: () => boolean;
  /** the model's text as this component last set it; null once the user typed (then ask the model) */
  known: string | null;
}

/**
 * Replaces the model's text with `text` by one minimal line edit, keeping the
 * first visible line in place when the edit is entirely above it.
 */
function applyText(inst: Instance, text: string): void {
  const { editor, model } = inst;
  // getValue() rebuilds the whole text from Monaco's piece tree: skip it when we know the text
  const edit = minimalLineEdit(inst.known ?? model.getValue(), text);
  inst.known = text;
  if (!edit) return;
  const from = model.getPositionAt(edit.start);
  const to = model.getPositionAt(edit.oldEnd);
  const visible = editor.getVisibleRanges()[0];
  const topLine = visible?.startLineNumber ?? 1;
  const topOffset = editor.getScrollTop() - editor.getTopForLineNumber(topLine);
  const linesBefore = model.getLineCount();
  inst.applying = true;
  try {
    model.pushStackElement();
    model.pushEditOperations([], [{ range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: edit.text }], () => null);
    model.pushStackElement();
  } finally {
    inst.applying = false;
  }
  const shift = model.getLineCount() - linesBefore;
  // an edit wholly above the viewport: keep showing the same lines
  if (shift !== 0 && visible && to.lineNumber < topLine) {
    editor.setScrollTop(editor.getTopForLineNumber(topLine + shift) + topOffset, monaco.editor.ScrollType.Immediate);
  }
  // draw now rather than on Monaco's next animation frame: the edit shows in the frame of the keystroke
  editor.render();
}

export function Preview({
  text,
  map,
  externalVersion,
  diagnostics,
  selectedId,
  onSelect,
  onTextChange,
  theme,
  readOnly = false,
  ariaLabel = 'nft script preview',
  onUndo,
  onRedo,
  debounceMs = 300,
  className,
  style,
}: PreviewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const instRef = useRef<Instance | null>(null);

  const initial = useEffectEvent(() => ({ text, readOnly, ariaLabel, theme }));
  const report = useEffectEvent((value: string) => onTextChange(value));
  const applyLatest = useEffectEvent((inst: Instance) => applyText(inst, text));
  const selectLine = useEffectEvent((inst: Instance, line: number) => {
    const id = lineIndexOf(map).nodeAt(line);
    if (!id || id === selectedId) return;
    inst.selfSelected = id;
    onSelect(id);
  });
  const undo = useEffectEvent(() => onUndo?.());
  const redo = useEffectEvent(() => onRedo?.());
  const debounce = useEffectEvent(() => debounceMs);

  // the editor and its model: created once, disposed on unmount
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const init = initial();
    const model = monaco.editor.createModel(init.text, LANGUAGE_ID);
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    // nft's listing aligns wrapped set elements for 8-column tabs
    model.updateOptions({ tabSize: 8, indentSize: 8, insertSpaces: false });
    monaco.editor.setTheme(init.theme === 'dark' ? THEME_DARK : THEME_LIGHT);
    const editor = monaco.editor.create(container, {
      model,
      ariaLabel: init.ariaLabel,
      readOnly: init.readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      // the dimmed number of the empty last line fails contrast checks and says nothing
      renderFinalNewline: 'off',
      fixedOverflowWidgets: true,
      wordBasedSuggestions: 'off',
      renderValidationDecorations: 'on',
      fontSize: 13,
      lineNumbersMinChars: 4,
      hover: { delay: 400 },
      // nft's listing indents with tabs; 4 columns each keeps long rules in view
      tabSize: 4,
      detectIndentation: false,
    });
    const inst: Instance = {
      editor,
      model,
      selection: editor.createDecorationsCollection(),
      sync: new TextSyncPolicy(),
      applying: false,
      timer: undefined,
      selfSelected: null,
      revealed: null,
      cursorLine: 1,
      known: init.text,
      flush: () => {
        if (inst.timer === undefined) return false;
        clearTimeout(inst.timer);
        inst.timer = undefined;
        report(model.getValue());
        return true;
      },
    };
    instRef.current = inst;

    const subs: IDisposable[] = [
      model.onDidChangeContent(() => {
        if (inst.applying) return;
        inst.known = null;
        inst.sync.userEdit();
        if (inst.timer !== undefined) clearTimeout(inst.timer);
        inst.timer = setTimeout(() => {
          inst.timer = undefined;
          report(model.getValue());
        }, debounce());
      }),
      editor.onDidFocusEditorWidget(() => inst.sync.focus()),
      editor.onDidBlurEditorWidget(() => {
        const flushed = inst.flush();
        if (inst.sync.blur(flushed) === 'apply') applyLatest(inst);
      }),
      editor.onMouseDown((e) => {
        const t = e.target;
        const T = monaco.editor.MouseTargetType;
        if (!t.position) return;
        if (t.type !== T.CONTENT_TEXT && t.type !== T.CONTENT_EMPTY && t.type !== T.GUTTER_LINE_NUMBERS && t.type !== T.GUTTER_LINE_DECORATIONS) return;
        inst.cursorLine = t.position.lineNumber;
        selectLine(inst, t.position.lineNumber);
      }),
      editor.onDidChangeCursorPosition((e) => {
        const line = e.position.lineNumber;
        const moved = line !== inst.cursorLine;
        inst.cursorLine = line;
        // only the user's own navigation: not typing, edits, undo or programmatic moves
        if (e.source !== 'keyboard' || e.reason !== monaco.editor.CursorChangeReason.Explicit || !moved) return;
        selectLine(inst, line);
      }),
    ];

    return () => {
      inst.flush();
      for (const s of subs) s.dispose();
      inst.selection.clear();
      editor.dispose();
      model.dispose();
      if (instRef.current === inst) instRef.current = null;
    };
  }, []);

  // the app's text, when it changed for a reason other than this editor
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    if (inst.sync.external() === 'apply') applyLatest(inst);
  }, [externalVersion]);

  // markers
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    const { model } = inst;
    const markers = diagnosticsToMarkers(diagnostics, map, {
      lineCount: model.getLineCount(),
      lineMaxColumn: (n) => model.getLineMaxColumn(n),
      lineFirstColumn: (n) => model.getLineFirstNonWhitespaceColumn(n),
    });
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
  }, [diagnostics, map]);

  // the selected node: whole-line highlight; scrolled into view when the selection came from elsewhere
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    const r = selectedId ? map.get(selectedId) : undefined;
    const lineCount = inst.model.getLineCount();
    if (!selectedId || !r || r.startLine > lineCount) {
      inst.selection.clear();
      inst.revealed = null;
      return;
    }
    const start = Math.max(1, r.startLine);
    const end = Math.min(lineCount, Math.max(start, r.endLine));
    inst.selection.set([
      {
        range: new monaco.Range(start, 1, end, 1),
        options: {
          isWholeLine: true,
          className: 'nft-preview-selected',
          linesDecorationsClassName: 'nft-preview-selected-gutter',
          overviewRuler: { color: 'rgba(21, 101, 192, 0.6)', position: monaco.editor.OverviewRulerLane.Full },
        },
      },
    ]);
    if (inst.revealed !== selectedId) {
      inst.revealed = selectedId;
      if (inst.selfSelected === selectedId) inst.selfSelected = null;
      else inst.editor.revealLinesInCenterIfOutsideViewport(start, Math.min(end, start + REVEAL_LINES - 1), monaco.editor.ScrollType.Smooth);
    }
  }, [selectedId, map]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? THEME_DARK : THEME_LIGHT);
  }, [theme]);

  useEffect(() => {
    instRef.current?.editor.updateOptions({ readOnly, ariaLabel });
  }, [readOnly, ariaLabel]);

  // undo/redo keys routed to the app's history, when it provides one
  const hasUndo = onUndo !== undefined;
  const hasRedo = onRedo !== undefined;
  useEffect(() => {
    const inst = instRef.current;
    if (!inst || (!hasUndo && !hasRedo)) return;
    const { KeyMod, KeyCode } = monaco;
    const route = (fn: () => void) => () => {
      inst.flush();
      inst.sync.expectExternal();
      fn();
    };
    const subs: IDisposable[] = [];
    if (hasUndo) subs.push(inst.editor.addAction({ id: 'nft-designer.undo', label: 'Undo (design history)', keybindings: [KeyMod.CtrlCmd | KeyCode.KeyZ], run: route(undo) }));
    if (hasRedo) {
      subs.push(
        inst.editor.addAction({
          id: 'nft-designer.redo',
          label: 'Redo (design history)',
          keybindings: [KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, KeyMod.CtrlCmd | KeyCode.KeyY],
          run: route(redo),
        }),
      );
    }
    return () => {
      for (const s of subs) s.dispose();
    };
  }, [hasUndo, hasRedo]);

  return (
    <section aria-label={ariaLabel} className={className ? `nft-preview ${className}` : 'nft-preview'} style={style} data-theme={theme}>
      <div ref={containerRef} className="nft-preview-editor" data-testid="preview.editor" />
    </section>
  );
}

export default Preview;
