/**
 * Dev-only harness for the Preview (not part of the production build): mounts
 * it with a generated or template design and a minimal stand-in for the app
 * (parse → reconcile → emit → lint on text edits, a history for undo/redo,
 * buttons for external edits). Query parameters:
 *   rules=N          a generated design of about N rules (src/testing/generate.ts)
 *   template=ID      a template from src/templates/catalog.ts (default synproxy-anonymous)
 *   theme=dark       start dark
 *   echo=0           do not bump externalVersion for the editor's own edits
 * `window.__harness` lets a browser test drive it.
 */
import { StrictMode, Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { emit } from '../../src/emit/index.ts';
import { lint } from '../../src/lint/index.ts';
import { duplicateRule, removeNode, updateRule } from '../../src/model/ops.ts';
import { reconcile } from '../../src/model/reconcile.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { parse } from '../../src/parse/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { generateRuleset } from '../../src/testing/generate.ts';

const Preview = lazy(() => import('../preview/Preview.tsx'));

const params = new URLSearchParams(location.search);
const rulesParam = Number(params.get('rules') ?? 0);
const echoBumps = params.get('echo') !== '0';

function initialText(): string {
  if (rulesParam > 0) return generateRuleset(rulesParam).text;
  const id = params.get('template') ?? 'synproxy-anonymous';
  return (TEMPLATES.find((t) => t.id === id) ?? TEMPLATES[0]).text;
}

interface Doc {
  ruleset: Ruleset;
  text: string;
  map: Map<string, { startLine: number; endLine: number }>;
  lint: Diagnostic[];
}

function docOf(ruleset: Ruleset): Doc {
  const { text, map } = emit(ruleset);
  return { ruleset, text, map, lint: lint(ruleset) };
}

function allRuleIds(rs: Ruleset): string[] {
  return rs.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((r) => r.id)));
}

interface HarnessLog {
  selects: string[];
  textChanges: string[];
  renders: number;
  /** ms the harness itself spent on the last external edit (model op + emit + lint), before React and the Preview */
  lastPrepMs: number;
}

declare global {
  interface Window {
    __harness?: {
      log: HarnessLog;
      doc: () => Doc;
      version: () => number;
      select: (id: string | null) => void;
      externalEdit: (kind: 'comment' | 'duplicate' | 'remove', ruleIndex: number) => string;
      ruleIds: () => string[];
      setTheme: (t: 'light' | 'dark') => void;
      setDiagnostics: (d: Diagnostic[]) => void;
      parseErrors: () => Diagnostic[];
    };
  }
}

const start = performance.now();
const first = docOf(parse(initialText()).ruleset);
console.info(`harness: ${allRuleIds(first.ruleset).length} rules, ${first.text.split('\n').length} lines, prepared in ${Math.round(performance.now() - start)} ms`);
const log: HarnessLog = { selects: [], textChanges: [], renders: 0, lastPrepMs: 0 };

function Harness() {
  const [history, setHistory] = useState<{ past: Doc[]; present: Doc; future: Doc[] }>({ past: [], present: first, future: [] });
  const [version, setVersion] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [theme, setTheme] = useState<'light' | 'dark'>(params.get('theme') === 'dark' ? 'dark' : 'light');
  const [readOnly, setReadOnly] = useState(false);
  const [parseDiags, setParseDiags] = useState<Diagnostic[]>([]);
  const [extraDiags, setExtraDiags] = useState<Diagnostic[]>([]);
  const doc = history.present;

  const commit = useCallback((next: Doc, bump: boolean) => {
    setHistory((h) => ({ past: [...h.past, h.present].slice(-100), present: next, future: [] }));
    if (bump) setVersion((v) => v + 1);
  }, []);

  const onTextChange = useCallback(
    (text: string) => {
      log.textChanges.push(text);
      const parsed = parse(text);
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      setParseDiags(parsed.diagnostics);
      if (errors.length) return; // the model stays as it was; markers say why
      setHistory((h) => {
        const next = docOf(reconcile(h.present.ruleset, parsed.ruleset));
        return { past: [...h.past, h.present].slice(-100), present: next, future: [] };
      });
      if (echoBumps) setVersion((v) => v + 1);
    },
    [],
  );

  const undo = useCallback(() => {
    setHistory((h) => (h.past.length ? { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] } : h));
    setParseDiags([]);
    setVersion((v) => v + 1);
  }, []);
  const redo = useCallback(() => {
    setHistory((h) => (h.future.length ? { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) } : h));
    setParseDiags([]);
    setVersion((v) => v + 1);
  }, []);

  const externalEdit = useCallback(
    (kind: 'comment' | 'duplicate' | 'remove', ruleIndex: number): string => {
      const t0 = performance.now();
      const ids = allRuleIds(doc.ruleset);
      const id = ids[Math.min(Math.max(0, ruleIndex), ids.length - 1)];
      const rs =
        kind === 'comment' ? updateRule(doc.ruleset, id, { comment: `edited ${Date.now() % 100000}` }) : kind === 'duplicate' ? duplicateRule(doc.ruleset, id).ruleset : removeNode(doc.ruleset, id);
      const next = docOf(rs);
      log.lastPrepMs = performance.now() - t0;
      setParseDiags([]);
      commit(next, true);
      return id;
    },
    [doc, commit],
  );

  const diagnostics = useMemo(() => [...parseDiags, ...doc.lint, ...extraDiags], [parseDiags, doc.lint, extraDiags]);

  useEffect(() => {
    log.renders++;
    window.__harness = {
      log,
      doc: () => doc,
      version: () => version,
      select: setSelectedId,
      externalEdit,
      ruleIds: () => allRuleIds(doc.ruleset),
      setTheme,
      setDiagnostics: setExtraDiags,
      parseErrors: () => parseDiags,
    };
  }, [externalEdit, doc, version, parseDiags]);

  const ids = allRuleIds(doc.ruleset);
  const background = theme === 'dark' ? '#14171c' : '#f4f6f8';
  return (
    <div style={{ display: 'grid', gridTemplateRows: 'auto 1fr auto', height: '100%', background, color: theme === 'dark' ? '#eee' : '#111' }}>
      <nav aria-label="harness controls" style={{ display: 'flex', gap: 8, padding: 6, flexWrap: 'wrap', alignItems: 'center' }}>
        <strong>Preview harness</strong>
        <span data-testid="harness.version">version {version}</span>
        <button type="button" onClick={() => externalEdit('comment', 1)}>comment rule 2</button>
        <button type="button" onClick={() => externalEdit('duplicate', 0)}>duplicate rule 1</button>
        <button type="button" onClick={() => externalEdit('remove', 0)}>remove rule 1</button>
        <button type="button" onClick={() => setSelectedId(ids[Math.floor(ids.length / 2)] ?? null)}>select middle rule</button>
        <button type="button" onClick={() => setSelectedId(doc.ruleset.tables[0]?.chains[0]?.id ?? null)}>select first chain</button>
        <button type="button" onClick={undo}>undo</button>
        <button type="button" onClick={redo}>redo</button>
        <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>theme</button>
        <label>
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} /> read-only
        </label>
        <span data-testid="harness.selected">selected {selectedId ?? '—'}</span>
      </nav>
      <main style={{ minHeight: 0, padding: '0 6px' }}>
        <Suspense fallback={<p role="status">Loading the editor…</p>}>
          <Preview
            text={doc.text}
            map={doc.map}
            externalVersion={version}
            diagnostics={diagnostics}
            selectedId={selectedId}
            onSelect={(id) => {
              log.selects.push(id);
              setSelectedId(id);
            }}
            onTextChange={onTextChange}
            onUndo={undo}
            onRedo={redo}
            theme={theme}
            readOnly={readOnly}
            ariaLabel="nft script preview"
          />
        </Suspense>
      </main>
      <footer style={{ padding: 6 }} data-testid="harness.diagnostics">
        {diagnostics.length} findings{diagnostics[0] ? `: ${diagnostics[0].message}` : ''}
      </footer>
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Harness />
    </StrictMode>,
  );
}
