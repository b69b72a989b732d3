/**
 * The app shell. First paint needs only the app bar, the navigator and the
 * panels' frames; the forms, the Monaco preview, the engine (emit), dialogs,
 * the hook map and notices load after it.
 */
import { Box, Button, CssBaseline, ThemeProvider } from '@mui/material';
import { lazy, Suspense, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { makeTheme } from './theme.ts';
import { TopBar } from './layout/TopBar.tsx';
import { Navigator } from './layout/Navigator.tsx';
import { DiagnosticsPanel } from './layout/DiagnosticsPanel.tsx';
import { TabBar } from './layout/Tabs.tsx';
import { DEFAULT_PANES, paneZoom, useUi } from './store/ui.ts';
import { Splitter } from './layout/Splitter.tsx';
import { useTour } from './layout/tour.ts';
import { onShortcutKey } from './layout/shortcuts.ts';
import { fitPanes, PREVIEW_WRAP_BELOW, SPLITTER } from './layout/paneLayout.ts';
import { useSession } from './store/session.ts';
import { useDerived } from './state/derived.ts';
import { ErrorBoundary, DialogBoundary, PanelBoundary } from './layout/ErrorBoundary.tsx';
import { LintRunner, useLintStore, useModelDiagnostics, usePanelDiagnostics, usePreviewDiagnostics } from './state/findings.ts';

const FormPanel = lazy(() => import('./layout/FormPanel.tsx'));
const PreviewPanel = lazy(() => import('./layout/PreviewPanel.tsx'));
const Notices = lazy(() => import('./layout/Notices.tsx'));
const ImportDialog = lazy(() => import('./dialogs/ImportDialog.tsx'));
const ExportDialog = lazy(() => import('./dialogs/ExportDialog.tsx'));
const CompareDialog = lazy(() => import('./dialogs/CompareDialog.tsx'));
const TemplatesDialog = lazy(() => import('./dialogs/TemplatesDialog.tsx'));
const ShareDialog = lazy(() => import('./dialogs/ShareDialog.tsx'));
const HelpDialog = lazy(() => import('./dialogs/HelpDialog.tsx'));
const DesignsDialog = lazy(() => import('./dialogs/DesignsDialog.tsx'));
const SynproxyWizardDialog = lazy(() => import('./dialogs/WizardHost.tsx'));
const HookMapPanel = lazy(() => import('./layout/HookMapPanel.tsx'));
const TracePanel = lazy(() => import('./trace/TracePanel.tsx'));
const ShareConfirmDialog = lazy(() => import('./dialogs/ShareConfirmDialog.tsx'));
const LabReportDialog = lazy(() => import('./labreport/LabReportDialog.tsx'));
const LessonsPanel = lazy(() => import('./lessons/LessonsPanel.tsx'));
const Tour = lazy(() => import('./layout/Tour.tsx'));


function useShortcuts(): void {
  useEffect(() => {
    window.addEventListener('keydown', onShortcutKey);
    return () => window.removeEventListener('keydown', onShortcutKey);
  }, []);
}

function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  const pendingShare = useSession((s) => s.pendingShare);
  const close = (): void => useUi.getState().openDialog(null);
  return (
    <DialogBoundary>
      <Suspense fallback={null}>
        {dialog === 'import' && <ImportDialog open onClose={close} />}
        {dialog === 'export' && <ExportDialog open onClose={close} />}
        {dialog === 'compare' && <CompareDialog open onClose={close} />}
        {dialog === 'templates' && <TemplatesDialog open onClose={close} />}
        {dialog === 'share' && <ShareDialog open onClose={close} />}
        {dialog === 'help' && <HelpDialog open onClose={close} />}
        {dialog === 'designs' && <DesignsDialog open onClose={close} />}
        {dialog === 'wizard' && <SynproxyWizardDialog open onClose={close} />}
        {dialog === 'labreport' && <LabReportDialog open onClose={close} />}
        {pendingShare && <ShareConfirmDialog pending={pendingShare} />}
      </Suspense>
    </DialogBoundary>
  );
}

function TourSlot() {
  const stop = useTour((s) => s.stop);
  return stop === null ? null : (
    <Suspense fallback={null}>
      <Tour stop={stop} />
    </Suspense>
  );
}

function Loading({ what }: { what: string }) {
  return <Box sx={{ p: 2, color: 'text.secondary', fontSize: 13 }}>Loading {what}…</Box>;
}

/** Each panel subscribes to what it shows, so a keystroke re-renders only what changed. */
function NavigatorSlot() {
  return <Navigator diagnostics={useModelDiagnostics()} />;
}
function FormSlot() {
  return <FormPanel diagnostics={useModelDiagnostics()} />;
}
function PreviewSlot() {
  const emitted = useDerived((s) => s.emitted);
  const diagnostics = usePreviewDiagnostics();
  return emitted ? <PreviewPanel emitted={emitted} diagnostics={diagnostics} /> : <Loading what="the preview" />;
}
function DiagnosticsSlot() {
  return <DiagnosticsPanel diagnostics={usePanelDiagnostics()} lintMs={useLintMs()} />;
}
function HookMapSlot() {
  return <HookMapPanel diagnostics={useModelDiagnostics()} />;
}
function useLintMs(): number | null {
  return useLintStore((s) => s.ms);
}
function BottomTabs() {
  const bottomTab = useUi((s) => s.bottomTab);
  const setBottomTab = useUi((s) => s.setBottomTab);
  const open = useUi((s) => s.bottomOpen);
  const toggle = useUi((s) => s.toggleBottom);
  const setHookMapMax = useUi((s) => s.setHookMapMax);
  // the count is of what the panel lists: notes too (it said "(0)" over a list of notes)
  const problems = usePanelDiagnostics().length;
  const small = { border: 0, background: 'none', color: 'text.secondary', font: 'inherit', fontSize: 12, cursor: 'pointer', px: 1.5, whiteSpace: 'nowrap' } as const;
  return (
    <TabBar
      label="Bottom panel"
      value={bottomTab}
      onChange={setBottomTab}
      tabs={[
        { value: 'diagnostics', label: `Diagnostics (${problems})`, testId: 'tab.diagnostics' },
        { value: 'hookmap', label: 'Hook map', testId: 'tab.hookmap' },
        { value: 'lessons', label: 'Lessons', testId: 'tab.lessons' },
        { value: 'trace', label: 'Trace', testId: 'tab.trace' },
      ]}
      extra={
        <>
          {bottomTab === 'hookmap' && open && (
            <Box component="button" type="button" onClick={() => setHookMapMax(true)} data-testid="hookmap.maximize" title="Show the hook map in the whole window (Esc to come back)" sx={small}>
              Full window
            </Box>
          )}
          <Box component="button" type="button" onClick={toggle} aria-expanded={open} aria-label={open ? 'Hide the bottom panel' : 'Show the bottom panel'} data-testid="bottom.toggle" sx={small}>
            {open ? 'Hide ▾' : 'Show ▴'}
          </Box>
        </>
      }
    />
  );
}

function BottomBody() {
  const bottomTab = useUi((s) => s.bottomTab);
  const hookMapMax = useUi((s) => s.hookMapMax);
  if (bottomTab === 'diagnostics') {
    return (
      <PanelBoundary what="the diagnostics">
        <DiagnosticsSlot />
      </PanelBoundary>
    );
  }
  if (bottomTab === 'lessons') {
    return (
      <PanelBoundary what="the lessons">
        <Suspense fallback={<Loading what="the lessons" />}>
          <LessonsPanel />
        </Suspense>
      </PanelBoundary>
    );
  }
  if (bottomTab === 'trace') {
    return (
      <PanelBoundary what="the packet trace">
        <Suspense fallback={<Loading what="the packet trace" />}>
          <TracePanel />
        </Suspense>
      </PanelBoundary>
    );
  }
  if (hookMapMax) return <Box sx={{ p: 2, color: 'text.secondary', fontSize: 13 }}>The hook map is open in the whole window.</Box>;
  return (
    <PanelBoundary what="the hook map">
      <Suspense fallback={<Loading what="the hook map" />}>
        <HookMapSlot />
      </Suspense>
    </PanelBoundary>
  );
}

/** The hook map over the whole window (presenting the order of hooks to a class), Esc or the button to come back. */
function HookMapFullWindow() {
  const setHookMapMax = useUi((s) => s.setHookMapMax);
  const zoom = paneZoom(useUi((s) => s.presenter));
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !useUi.getState().dialog) setHookMapMax(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setHookMapMax]);
  return (
    <Box component="section" aria-label="Hook map, whole window" data-testid="hookmap.full" sx={{ position: 'fixed', inset: 0, zIndex: 1200, bgcolor: 'background.default', display: 'flex', flexDirection: 'column' }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2, py: 0.75, borderBottom: 1, borderColor: 'divider' }}>
        <Box component="h2" sx={{ m: 0, fontSize: 16, fontWeight: 600, flex: 1 }}>
          Hook map
        </Box>
        <Button variant="outlined" onClick={() => setHookMapMax(false)} data-testid="hookmap.restore" autoFocus>
          Back to the design (Esc)
        </Button>
      </Box>
      <Box sx={{ flex: 1, minHeight: 0, zoom }}>
        <PanelBoundary what="the hook map">
          <Suspense fallback={<Loading what="the hook map" />}>
            <HookMapSlot />
          </Suspense>
        </PanelBoundary>
      </Box>
    </Box>
  );
}

function useBox(el: HTMLElement | null): { w: number; h: number } {
  const [box, setBox] = useState(() => ({ w: typeof window === 'undefined' ? 1280 : window.innerWidth, h: typeof window === 'undefined' ? 672 : window.innerHeight - 48 }));
  useLayoutEffect(() => {
    if (!el) return;
    const read = (): void => setBox((b) => (b.w === el.clientWidth && b.h === el.clientHeight ? b : { w: el.clientWidth, h: el.clientHeight }));
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return box;
}

function Workspace() {
  const bottomTab = useUi((s) => s.bottomTab);
  const bottomOpen = useUi((s) => s.bottomOpen);
  const hookMapMax = useUi((s) => s.hookMapMax);
  const panes = useUi((s) => s.panes);
  const setPane = useUi((s) => s.setPane);
  const zoom = paneZoom(useUi((s) => s.presenter));
  const ready = useSession((s) => s.ready);
  const [mainEl, setMainEl] = useState<HTMLElement | null>(null);
  const { w, h } = useBox(mainEl);
  const [navOpen, setNavOpen] = useState(false);
  const tall = bottomTab === 'hookmap' || bottomTab === 'lessons' || bottomTab === 'trace';
  const l = fitPanes(w, h, panes, tall, zoom);
  const bottomKey = tall ? 'tall' : 'bottom';
  const previewNarrow = l.preview < PREVIEW_WRAP_BELOW;
  useEffect(() => {
    if (useUi.getState().previewNarrow !== previewNarrow) useUi.getState().setPreviewNarrow(previewNarrow);
  }, [previewNarrow]);
  // until the saved design is read, nothing to edit: an edit of the blank placeholder would be lost when it opens
  if (!ready) return <OpeningSaved />;
  const navigator = (
    <Box sx={{ height: '100%', zoom }}>
      <PanelBoundary what="the navigator">
        <NavigatorSlot />
      </PanelBoundary>
    </Box>
  );
  const formsPane = (
    <PanelBoundary what="the forms">
      <Suspense fallback={<Loading what="the forms" />}>
        <FormSlot />
      </Suspense>
    </PanelBoundary>
  );
  const previewPane = (
    <PanelBoundary what="the preview">
      <Suspense fallback={<Loading what="the preview" />}>
        <PreviewSlot />
      </Suspense>
    </PanelBoundary>
  );
  const previewSplitter = (
    <Splitter label="Resize the script preview" testId="split.preview" orientation="vertical" value={l.preview} min={240} max={Math.max(240, w - l.nav - 2 * SPLITTER - 250)} direction={-1} onChange={(v) => setPane('preview', v)} onReset={() => setPane('preview', DEFAULT_PANES.preview)} />
  );
  const bottomSplitter = (
    <Splitter
      label="Resize the bottom panel"
      testId="split.bottom"
      orientation="horizontal"
      value={l.bottom}
      min={96}
      max={Math.max(96, h - 140 - SPLITTER)}
      direction={-1}
      onChange={(v) => setPane(bottomKey, v)}
      onReset={() => setPane(bottomKey, DEFAULT_PANES[bottomKey])}
    />
  );
  const bottomSection = (
    <Box component="section" aria-label="Diagnostics, hook map, lessons and packet trace" data-testid="bottom.panel" sx={{ height: bottomOpen ? l.bottom : 'auto', flexShrink: 0, minHeight: 0, minWidth: 0, borderTop: bottomOpen ? 0 : 1, borderColor: 'divider', display: 'flex', flexDirection: 'column' }}>
      <BottomTabs />
      <Box role="tabpanel" id={`tabpanel-${bottomTab}`} aria-labelledby={`tab-${bottomTab}`} hidden={!bottomOpen} sx={{ flex: 1, minHeight: 0, zoom }}>
        {bottomOpen ? <BottomBody /> : null}
      </Box>
    </Box>
  );
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh', minHeight: 300 }}>
      <TopBar />
      <Suspense fallback={null}>
        <Notices />
      </Suspense>
      <Box component="main" ref={setMainEl} sx={{ flex: 1, minHeight: 0, display: 'flex', position: 'relative' }}>
        {l.narrow ? (
          <Box sx={{ width: l.nav, flexShrink: 0, borderRight: 1, borderColor: 'divider', display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.5 }}>
            <Box
              component="button"
              type="button"
              aria-expanded={navOpen}
              aria-controls="navigator-drawer"
              aria-label={navOpen ? 'Hide the navigator' : 'Show the navigator'}
              title={navOpen ? 'Hide the navigator' : 'Show the navigator'}
              data-testid="nav.rail"
              onClick={() => setNavOpen(!navOpen)}
              sx={{ border: 0, background: 'none', color: 'text.primary', cursor: 'pointer', fontSize: 20, p: 0.5, borderRadius: 1, '&:hover': { bgcolor: 'action.hover' } }}
            >
              ☰
            </Box>
          </Box>
        ) : (
          <>
            <Box sx={{ width: l.nav, flexShrink: 0, minHeight: 0, minWidth: 0 }}>{navigator}</Box>
            <Splitter label="Resize the navigator" testId="split.nav" orientation="vertical" value={l.nav} min={150} max={Math.max(150, Math.min(480, w - 520))} direction={1} onChange={(v) => setPane('nav', v)} onReset={() => setPane('nav', DEFAULT_PANES.nav)} />
          </>
        )}
        {l.narrow && navOpen && (
          <Box id="navigator-drawer" sx={{ position: 'absolute', left: l.nav, top: 0, bottom: 0, width: Math.min(300, w - l.nav - 16), zIndex: 20, bgcolor: 'background.paper', boxShadow: 8, borderRight: 1, borderColor: 'divider' }}>
            {navigator}
          </Box>
        )}
        {l.bottomUnderBoth ? (
          <Box sx={{ width: l.forms + l.preview + SPLITTER, flexShrink: 0, minWidth: 0, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
            <Box sx={{ flex: 1, minHeight: 0, display: 'flex' }}>
              <Box sx={{ width: l.forms, flexShrink: 0, minWidth: 0, minHeight: 0 }}>
                <Box sx={{ height: '100%', zoom }}>{formsPane}</Box>
              </Box>
              {previewSplitter}
              <Box sx={{ width: l.preview, flexShrink: 0, minHeight: 0, minWidth: 0 }}>{previewPane}</Box>
            </Box>
            {bottomOpen && bottomSplitter}
            {bottomSection}
          </Box>
        ) : (
          <>
            <Box sx={{ width: l.forms, flexShrink: 0, minWidth: 0, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
              <Box sx={{ flex: 1, minHeight: 0, zoom }}>{formsPane}</Box>
              {bottomOpen && bottomSplitter}
              {bottomSection}
            </Box>
            {previewSplitter}
            <Box sx={{ width: l.preview, flexShrink: 0, minHeight: 0, minWidth: 0 }}>{previewPane}</Box>
          </>
        )}
      </Box>
      {hookMapMax && <HookMapFullWindow />}
    </Box>
  );
}

function OpeningSaved() {
  return (
    <Box role="status" data-testid="app.opening" sx={{ height: '100vh', display: 'grid', placeItems: 'center', color: 'text.secondary', fontSize: 14 }}>
      Opening your saved design…
    </Box>
  );
}

export function App() {
  const mode = useUi((s) => s.theme);
  const presenter = useUi((s) => s.presenter);
  const theme = useMemo(() => makeTheme(mode, presenter), [mode, presenter]);
  useShortcuts();
  useEffect(() => {
    // the engine (emitter) loads right after first paint
    void import('./state/engine.ts')
      .then((m) => m.startEngine())
      .catch((e: unknown) => {
        // without the engine there is no script: say so instead of "Loading…" forever
        useDerived.setState({ emitted: { text: '', map: new Map(), stale: true, problems: [{ nodeId: '', field: '', message: `the script engine could not be loaded (${e instanceof Error ? e.message : String(e)}); reload the page` }] } });
      });
  }, []);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <ErrorBoundary what="the app">
        <Workspace />
      </ErrorBoundary>
      <LintRunner />
      <Dialogs />
      <TourSlot />
    </ThemeProvider>
  );
}
