/**
 * The live preview: the emitted nft script in Monaco, with markers for parse and
 * lint findings, the selected node highlighted, click-to-select, and two-way
 * editing. Load it lazily so Monaco lands in its own chunk:
 *
 *   const Preview = React.lazy(() => import('../preview/Preview.tsx'));
 *
 * (the default export is the Preview wired to the app's record of typed text
 * that does not parse; the named `Preview` takes everything as props).
 *
 * How text flows (see textSync.ts): the app's `text` is applied with minimal
 * line edits whenever `externalVersion` changes — at once, unless the editor
 * holds the user's own typing. Their edits go back through `onTextChange`,
 * debounced; the app answers with the canonical form, which replaces their text
 * when the editor loses focus (never under the cursor while they type). Text
 * that does not parse stays, whatever else changes, until they fix it or
 * discard it from the banner. While the editor's text differs from the app's,
 * the app's line numbers (lint findings, the selected node, the node under a
 * click) are mapped onto the editor's lines (lineMapping.ts), and left out
 * where the two texts differ.
 */
import { Alert, Button } from '@mui/material';
import { useEffect, useEffectEvent, useRef, useState, type CSSProperties } from 'react';
import type { editor as MonacoEditor, IDisposable } from 'monaco-editor/editor/editor.api';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { discardPendingEdit, useTextErrors, type PendingEdit } from '../actions/textErrors.ts';
import { monaco } from '../monaco/loadMonaco.ts';
import { LANGUAGE_ID } from '../monaco/nft/nft.ts';
import { THEME_DARK, THEME_LIGHT } from '../monaco/nft/themes.ts';
import { lineIndexOf } from '../state/lineOwners.ts';
import { editorFontSize, useUi } from '../store/ui.ts';
import { IdleTasks } from './idle.ts';
import { IDENTITY, lineMapping, type LineMapping } from './lineMapping.ts';
import { diagnosticsToMarkers, type MarkerModel } from './markers.ts';
import { minimalLineEdit } from './minimalEdit.ts';
import { TextSyncPolicy, type SyncBanner } from './textSync.ts';
import './Preview.css';

export interface PreviewProps {
  /** the emitted script for the current design */
  text: string;
  /** node id → 1-based inclusive line range in `text` */
  map: Map<string, { startLine: number; endLine: number }>;
  /**
   * bumps whenever `text` may differ from the editor's: every change (forms,
   * undo, import) and the answer to each text this editor sent that the app took
   */
  externalVersion: number;
  /** findings on `text`: with `range` (its lines and columns) or only `nodeId` (mapped through `map` to whole lines) */
  diagnostics: Diagnostic[];
  /**
   * text this editor sent that the app could not take (it does not parse), with
   * its errors in that text's own lines; null (or absent) when the app took the
   * last text. A new object for every refusal. While set, the editor keeps the
   * user's text whatever else changes; a preview mounted while it is set starts
   * with it.
   */
  pendingEdit?: PendingEdit | null;
  /** the editor dropped the refused text (the user discarded it, or undid their typing): the app forgets `pendingEdit` */
  onDiscardEdit?: () => void;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /**
   * the user edited the text: called debounced (~300 ms after the last
   * keystroke) with the whole text. The app answers before the next render:
   * a new `externalVersion` (taken) or a new `pendingEdit` (refused).
   */
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
/** the errors of refused text, in the editor's own lines (never mapped) */
const EDIT_MARKER_OWNER = 'nft-designer.edit';
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
  /** the model's alternative version id right after the app's text was last applied (undo back to it: in sync again) */
  cleanVersion: number;
  /** editor ↔ app lines for the model version and app text it was computed for */
  mapping: { versionId: number; text: string; value: LineMapping } | null;
  /** markers and highlight re-set after a keystroke, once the main thread is idle (idle.ts) */
  idle: IdleTasks;
  /** what the markers and the highlight were last set from: only a new text since can wait for idle */
  marked: { diagnostics: Diagnostic[]; synced: number } | null;
  highlighted: { selectedId: string | null; synced: number } | null;
}

/** The app's lines onto the editor's: identity while the editor shows the app's text. */
function mappingOf(inst: Instance, appText: string): LineMapping {
  if (inst.known !== null) return inst.known === appText ? IDENTITY : lineMapping(inst.known, appText);
  const versionId = inst.model.getVersionId();
  const c = inst.mapping;
  if (c && c.versionId === versionId && c.text === appText) return c.value;
  const value = lineMapping(inst.model.getValue(), appText);
  inst.mapping = { versionId, text: appText, value };
  return value;
}

function markerModel(model: MonacoEditor.ITextModel): MarkerModel {
  return {
    lineCount: model.getLineCount(),
    lineMaxColumn: (n) => model.getLineMaxColumn(n),
    lineFirstColumn: (n) => model.getLineFirstNonWhitespaceColumn(n),
  };
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

/**
 * The editor no longer holds refused text (the user discarded it, or undid
 * their typing back to the app's text): nothing is left to send, and the app's
 * text — which may have moved on meanwhile — shows.
 */
function settleEditor(inst: Instance, how: 'discard' | 'undone', text: string): void {
  if (inst.timer !== undefined) clearTimeout(inst.timer);
  inst.timer = undefined;
  if (how === 'discard') inst.sync.discard();
  else inst.sync.backInSync();
  inst.known = null;
  applyText(inst, text);
  inst.cleanVersion = inst.model.getAlternativeVersionId();
  monaco.editor.setModelMarkers(inst.model, EDIT_MARKER_OWNER, []);
}

const BANNER_TEXT: Record<Exclude<SyncBanner, 'none'>, string> = {
  unparsed: 'Your edit in the script does not parse yet, so the design does not have it. It stays here until you fix it or discard it.',
  'unparsed-held':
    'Your edit in the script does not parse yet. The design has changed since: the script shows those changes once you discard your edit. If you fix your edit instead, the script as you wrote it replaces them (undo brings them back).',
};

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
  pendingEdit = null,
  onDiscardEdit,
}: PreviewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const instRef = useRef<Instance | null>(null);
  const [banner, setBanner] = useState<SyncBanner>('none');
  // bumps when the editor's text became the app's again outside a render (blur, discard): decorations are redrawn unmapped
  const [synced, setSynced] = useState(0);

  // presenter mode (larger type) and wrapping of long lines: UI preferences, applied live
  const presenter = useUi((s) => s.presenter);
  const previewWrap = useUi((s) => s.previewWrap);
  // a narrow preview that wraps (200 % zoom, presenter mode): 8-column tabs would leave two-level rules 6 to 8 columns
  const compact = useUi((s) => s.previewNarrow) && previewWrap;
  const initial = useEffectEvent(() => ({ text, readOnly, ariaLabel, theme, presenter, previewWrap, pending: pendingEdit?.text ?? null }));
  const report = useEffectEvent((value: string) => onTextChange(value));
  const applyLatest = useEffectEvent((inst: Instance) => {
    const hadUserText = inst.known === null;
    applyText(inst, text);
    inst.cleanVersion = inst.model.getAlternativeVersionId();
    if (hadUserText) setSynced((n) => n + 1);
  });
  const mappingNow = useEffectEvent((inst: Instance) => mappingOf(inst, text));
  const selectLine = useEffectEvent((inst: Instance, line: number) => {
    const appLine = mappingOf(inst, text).toApp(line);
    const id = appLine === undefined ? undefined : lineIndexOf(map).nodeAt(appLine);
    if (!id || id === selectedId) return;
    inst.selfSelected = id;
    onSelect(id);
  });
  /** after settleEditor: redraw the decorations unmapped, update the banner, and let the app forget the refused text */
  const settled = (inst: Instance): void => {
    setSynced((n) => n + 1);
    setBanner(inst.sync.banner);
    onDiscardEdit?.();
  };
  const settle = useEffectEvent((inst: Instance, how: 'discard' | 'undone') => {
    settleEditor(inst, how, text);
    settled(inst);
  });
  const undo = useEffectEvent(() => onUndo?.());
  const redo = useEffectEvent(() => onRedo?.());
  const debounce = useEffectEvent(() => debounceMs);

  // the editor and its model: created once, disposed on unmount
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const init = initial();
    // text typed earlier that does not parse comes back with the editor (nothing typed is dropped by a remount)
    const model = monaco.editor.createModel(init.pending ?? init.text, LANGUAGE_ID);
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
      fontSize: editorFontSize(init.presenter),
      wordWrap: init.previewWrap ? 'on' : 'off',
      lineNumbersMinChars: 4,
      // each costs ~1.5 ms of every render on a 5,000-rule script (a keystroke must fit in a frame); nft's listing is three levels deep
      renderWhitespace: 'none',
      guides: { indentation: false },
      hover: { delay: 400 },
      // nft's listing indents with tabs; 4 columns each keeps long rules in view
      tabSize: 4,
      detectIndentation: false,
    });
    const inst: Instance = {
      editor,
      model,
      selection: editor.createDecorationsCollection(),
      sync: new TextSyncPolicy(init.pending !== null),
      applying: false,
      timer: undefined,
      selfSelected: null,
      revealed: null,
      cursorLine: 1,
      known: init.pending === null ? init.text : null,
      cleanVersion: init.pending === null ? model.getAlternativeVersionId() : -1,
      mapping: null,
      idle: new IdleTasks(),
      marked: null,
      highlighted: null,
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
      editor.onDidFocusEditorWidget(() => {
        inst.sync.focus();
        setBanner(inst.sync.banner);
      }),
      // leaving the editor: the canonical form of what the user typed takes its place (see textSync.ts)
      editor.onDidBlurEditorWidget(() => {
        const flushed = inst.flush();
        if (inst.sync.blur(flushed) === 'apply') applyLatest(inst);
        setBanner(inst.sync.banner);
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
      inst.idle.dispose();
      for (const s of subs) s.dispose();
      inst.selection.clear();
      monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      monaco.editor.setModelMarkers(model, EDIT_MARKER_OWNER, []);
      editor.dispose();
      model.dispose();
      if (instRef.current === inst) instRef.current = null;
    };
  }, []);

  // the app's text: a new version, or the verdict on the text this editor sent
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    if (inst.sync.update(externalVersion, pendingEdit !== null) === 'apply') applyLatest(inst);
    setBanner(inst.sync.banner);
  }, [externalVersion, pendingEdit]);

  // the errors of refused text, in its own lines (Monaco moves them along as the user types on)
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    const errors = pendingEdit && inst.sync.holdsUnparsedText ? pendingEdit.errors : [];
    const markers = diagnosticsToMarkers(errors, new Map(), markerModel(inst.model));
    monaco.editor.setModelMarkers(inst.model, EDIT_MARKER_OWNER, markers);
  }, [pendingEdit]);

  // findings on the app's text, on the editor's lines
  const setMarkers = useEffectEvent((inst: Instance) => {
    inst.idle.cancel('markers');
    inst.marked = { diagnostics, synced };
    const markers = diagnosticsToMarkers(diagnostics, map, markerModel(inst.model), mappingNow(inst));
    monaco.editor.setModelMarkers(inst.model, MARKER_OWNER, markers);
  });
  /**
   * Only the app's text changed since the markers or the highlight were set, and the
   * editor shows it (applied with a minimal edit, which Monaco moved them along
   * with): setting them again can wait until the keystroke is painted.
   */
  const onlyNewText = useEffectEvent((inst: Instance, last: { synced: number } | null) => last !== null && last.synced === synced && inst.known === text);
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    if (inst.marked?.diagnostics === diagnostics && onlyNewText(inst, inst.marked)) inst.idle.schedule('markers', () => setMarkers(inst));
    else setMarkers(inst);
  }, [diagnostics, map, text, synced]);

  // the selected node: whole-line highlight; scrolled into view when the selection came from elsewhere
  const highlight = useEffectEvent((inst: Instance) => {
    inst.idle.cancel('highlight');
    inst.highlighted = { selectedId, synced };
    const node = selectedId ? map.get(selectedId) : undefined;
    // where the editor's text differs from the app's, the node's lines may have no counterpart: no highlight then
    const r = node && mappingNow(inst).rangeToEditor(node);
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
  });
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    // a new selection shows (and scrolls) at once; the same one on a new text can wait (its lines rarely move)
    if (inst.highlighted?.selectedId === selectedId && inst.revealed === selectedId && onlyNewText(inst, inst.highlighted)) inst.idle.schedule('highlight', () => highlight(inst));
    else highlight(inst);
  }, [selectedId, map, text, synced]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? THEME_DARK : THEME_LIGHT);
  }, [theme]);

  useEffect(() => {
    instRef.current?.editor.updateOptions({ readOnly, ariaLabel });
  }, [readOnly, ariaLabel]);

  // the same editor, new options (re-creating it would lose the scroll position, cursor and undo stack)
  useEffect(() => {
    const inst = instRef.current;
    if (!inst) return;
    inst.editor.updateOptions({ fontSize: editorFontSize(presenter), wordWrap: previewWrap ? 'on' : 'off', lineNumbersMinChars: compact ? 2 : 4, folding: !compact });
    // shown only: the text keeps its tabs (8 columns align nft's wrapped set elements, which wrapping lines breaks anyway)
    inst.model.updateOptions({ tabSize: compact ? 2 : 8, indentSize: compact ? 2 : 8 });
  }, [presenter, previewWrap, compact]);

  // undo/redo keys routed to the app's history, when it provides one
  const hasUndo = onUndo !== undefined;
  const hasRedo = onRedo !== undefined;
  useEffect(() => {
    const inst = instRef.current;
    if (!inst || (!hasUndo && !hasRedo)) return;
    const { KeyMod, KeyCode } = monaco;
    const route = (fn: () => void, local: 'undo' | 'redo') => () => {
      if (inst.sync.holdsUnparsedText) {
        // the design's history does not have this typing (it does not parse): undo it here, in the editor
        inst.editor.trigger('keyboard', local, null);
        if (inst.model.getAlternativeVersionId() === inst.cleanVersion) settle(inst, 'undone');
        return;
      }
      inst.flush();
      inst.sync.expectExternal();
      fn();
    };
    const subs: IDisposable[] = [];
    if (hasUndo) subs.push(inst.editor.addAction({ id: 'nft-designer.undo', label: 'Undo (design history)', keybindings: [KeyMod.CtrlCmd | KeyCode.KeyZ], run: route(undo, 'undo') }));
    if (hasRedo) {
      subs.push(
        inst.editor.addAction({
          id: 'nft-designer.redo',
          label: 'Redo (design history)',
          keybindings: [KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, KeyMod.CtrlCmd | KeyCode.KeyY],
          run: route(redo, 'redo'),
        }),
      );
    }
    return () => {
      for (const s of subs) s.dispose();
    };
  }, [hasUndo, hasRedo]);

  const keepEditing = (): void => {
    const inst = instRef.current;
    if (!inst) return;
    // back to the first error, if the parser said where it is
    const at = pendingEdit?.errors.find((e) => e.range)?.range;
    if (at) {
      inst.editor.setPosition({ lineNumber: at.startLine, column: at.startCol });
      inst.editor.revealLineInCenterIfOutsideViewport(at.startLine);
    }
    inst.editor.focus();
  };
  // the only way typed text that does not parse leaves the editor without the user fixing or undoing it
  const discard = (): void => {
    const inst = instRef.current;
    if (!inst) return;
    settleEditor(inst, 'discard', text);
    settled(inst);
  };

  return (
    <section aria-label={ariaLabel} className={className ? `nft-preview ${className}` : 'nft-preview'} style={style} data-theme={theme}>
      {banner !== 'none' && (
        <Alert
          severity="warning"
          data-testid="preview.unparsed"
          sx={{ borderRadius: 0, py: 0, alignItems: 'center', flexWrap: 'wrap' }}
          action={
            <>
              <Button color="inherit" size="small" onClick={keepEditing} data-testid="preview.keepEditing">
                Keep editing
              </Button>
              <Button color="inherit" size="small" onClick={discard} data-testid="preview.discardEdit">
                Discard my edit and show the design
              </Button>
            </>
          }
        >
          {BANNER_TEXT[banner]}
        </Alert>
      )}
      <div ref={containerRef} className="nft-preview-editor" data-testid="preview.editor" />
    </section>
  );
}

/**
 * The Preview wired to the app's record of text typed here that does not
 * parse (web/actions/textErrors.ts): what the app's panel loads. Props given
 * explicitly win.
 */
export function AppPreview(props: PreviewProps) {
  const pending = useTextErrors((s) => s.pending);
  return <Preview {...props} pendingEdit={props.pendingEdit !== undefined ? props.pendingEdit : pending} onDiscardEdit={props.onDiscardEdit ?? discardPendingEdit} />;
}

export default AppPreview;
