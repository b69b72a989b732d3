/**
 * Monaco's diff editor, read-only: the live ruleset on the left (original), what
 * it will be after the apply on the right. Lazily loaded with Monaco itself.
 */
import { useEffect, useRef, useState } from 'react';
import { monaco } from '../monaco/loadMonaco.ts';
import { LANGUAGE_ID } from '../monaco/nft/nft.ts';
import { THEME_DARK, THEME_LIGHT } from '../monaco/nft/themes.ts';
import { editorFontSize, useUi } from '../store/ui.ts';

/** Below this width Monaco shows one column (- and + lines) instead of two sides. */
const SIDE_BY_SIDE_MIN = 760;

export default function DiffView({ original, modified, theme, height, originalLabel, modifiedLabel }: { original: string; modified: string; theme: 'light' | 'dark'; height: number | string; originalLabel: string; modifiedLabel: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const fontSize = editorFontSize(useUi((s) => s.presenter));
  const fontAtCreate = useRef(fontSize);
  // the captions follow the layout Monaco chose: two sides, or one column
  const [sideBySide, setSideBySide] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSideBySide(el.clientWidth >= SIDE_BY_SIDE_MIN));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const inst = useRef<{ editor: monaco.editor.IStandaloneDiffEditor; left: monaco.editor.ITextModel; right: monaco.editor.ITextModel; stale: monaco.editor.ITextModel[] } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const left = monaco.editor.createModel('', LANGUAGE_ID);
    const right = monaco.editor.createModel('', LANGUAGE_ID);
    for (const m of [left, right]) m.updateOptions({ tabSize: 8, insertSpaces: false });
    const editor = monaco.editor.createDiffEditor(el, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderSideBySide: true,
      // below this width the two sides become one column with - and + lines
      renderSideBySideInlineBreakpoint: SIDE_BY_SIDE_MIN,
      useInlineViewWhenSpaceIsLimited: true,
      fontSize: fontAtCreate.current,
      ariaLabel: 'What changes: the live ruleset, then the ruleset after the apply',
      originalAriaLabel: 'Live ruleset (now)',
      modifiedAriaLabel: 'After applying this design',
      renderOverviewRuler: true,
      diffAlgorithm: 'advanced',
    });
    editor.setModel({ original: left, modified: right });
    inst.current = { editor, left, right, stale: [] };
    // models replaced by a new pair live until the editor has the new pair's diff: a diff
    // still computing for them in the worker then finds them (disposed at once, the worker
    // answered nothing and Monaco threw "no diff result available" in the page)
    const done = editor.onDidUpdateDiff(() => {
      const i = inst.current;
      if (!i) return;
      for (const m of i.stale.splice(0)) m.dispose();
    });
    return () => {
      const i = inst.current;
      done.dispose();
      editor.dispose();
      for (const m of [i?.left, i?.right, ...(i?.stale ?? [])]) m?.dispose();
      inst.current = null;
    };
  }, []);
  useEffect(() => {
    const i = inst.current;
    if (!i) return;
    if (i.left.getValue() === original && i.right.getValue() === modified) return;
    // both sides change together: a fresh pair of models, set at once. Changing the
    // models' text one after the other lets a diff computed for the old text land on
    // the new (Monaco then throws "startLineNumber … cannot be after endLineNumberExclusive")
    const left = monaco.editor.createModel(original, LANGUAGE_ID);
    const right = monaco.editor.createModel(modified, LANGUAGE_ID);
    for (const m of [left, right]) m.updateOptions({ tabSize: 8, insertSpaces: false });
    i.editor.setModel({ original: left, modified: right });
    inst.current = { editor: i.editor, left, right, stale: [...i.stale, i.left, i.right] };
  }, [original, modified]);
  useEffect(() => {
    // presenter mode: the same type size as the preview, applied to the open editor
    inst.current?.editor.updateOptions({ fontSize });
  }, [fontSize]);
  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? THEME_DARK : THEME_LIGHT);
  }, [theme]);
  return (
    <>
      <div data-testid="compare.captions" style={{ display: 'flex', justifyContent: 'space-between', gap: 8, marginTop: 8, fontSize: '0.75rem' }}>
        {sideBySide ? (
          <>
            <span>{originalLabel}</span>
            <span>{modifiedLabel}</span>
          </>
        ) : (
          <span>
            One column: lines marked − are in the {originalLabel.toLowerCase()} only, lines marked + are {modifiedLabel.toLowerCase()}
          </span>
        )}
      </div>
      <div ref={ref} data-testid="compare.diff" style={{ height, width: '100%', border: '1px solid rgba(127,127,127,0.4)' }} />
    </>
  );
}
