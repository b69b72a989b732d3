/**
 * The app shell. First paint needs only the app bar, the navigator and the
 * panels' frames; the forms, the Monaco preview, the engine (emit), dialogs,
 * the hook map and notices load after it.
 */
import { Box, CssBaseline, ThemeProvider } from '@mui/material';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { makeTheme } from './theme.ts';
import { TopBar } from './layout/TopBar.tsx';
import { Navigator } from './layout/Navigator.tsx';
import { DiagnosticsPanel } from './layout/DiagnosticsPanel.tsx';
import { TabBar } from './layout/Tabs.tsx';
import { redo, undo } from './store/design.ts';
import { useUi } from './store/ui.ts';
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
const ShareConfirmDialog = lazy(() => import('./dialogs/ShareConfirmDialog.tsx'));
const LabReportDialog = lazy(() => import('./labreport/LabReportDialog.tsx'));
const LessonsPanel = lazy(() => import('./lessons/LessonsPanel.tsx'));


function isEditingText(el: Element | null): boolean {
  if (!el) return false;
  if (el.closest('.monaco-editor')) return true;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || isEditingText(document.activeElement)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if ((k === 'z' && e.shiftKey) || k === 'y') {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
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
  // the count is of what the panel lists: notes too (it said "(0)" over a list of notes)
  const problems = usePanelDiagnostics().length;
  return (
    <TabBar
      label="Bottom panel"
      value={bottomTab}
      onChange={setBottomTab}
      tabs={[
        { value: 'diagnostics', label: `Diagnostics (${problems})`, testId: 'tab.diagnostics' },
        { value: 'hookmap', label: 'Hook map', testId: 'tab.hookmap' },
        { value: 'lessons', label: 'Lessons', testId: 'tab.lessons' },
      ]}
      extra={
        <Box
          component="button"
          type="button"
          onClick={toggle}
          aria-expanded={open}
          data-testid="bottom.toggle"
          sx={{ border: 0, background: 'none', color: 'text.secondary', font: 'inherit', fontSize: 12, cursor: 'pointer', px: 1.5 }}
        >
          {open ? 'Hide panel ▾' : 'Show panel ▴'}
        </Box>
      }
    />
  );
}

function Workspace() {
  const bottomTab = useUi((s) => s.bottomTab);
  const bottomOpen = useUi((s) => s.bottomOpen);
  const ready = useSession((s) => s.ready);
  // until the saved design is read, nothing to edit: an edit of the blank placeholder would be lost when it opens
  if (!ready) return <OpeningSaved />;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh', minHeight: 560 }}>
      <TopBar />
      <Suspense fallback={null}>
        <Notices />
      </Suspense>
      <Box
        component="main"
        sx={{
          flex: 1,
          minHeight: 0,
          display: 'grid',
          gridTemplateColumns: 'minmax(210px, 260px) minmax(360px, 1fr) minmax(380px, 44%)',
          // the hook map needs room: its tab takes most of the column
          gridTemplateRows: !bottomOpen ? 'minmax(0, 1fr) auto' : bottomTab === 'hookmap' ? 'minmax(0, 32%) minmax(0, 1fr)' : 'minmax(0, 1fr) minmax(150px, 30%)',
        }}
      >
        <Box sx={{ gridColumn: 1, gridRow: '1 / 3', minHeight: 0 }}>
          <PanelBoundary what="the navigator">
            <NavigatorSlot />
          </PanelBoundary>
        </Box>
        <Box sx={{ gridColumn: 2, gridRow: 1, minHeight: 0, minWidth: 0 }}>
          <PanelBoundary what="the forms">
            <Suspense fallback={<Loading what="the forms" />}>
              <FormSlot />
            </Suspense>
          </PanelBoundary>
        </Box>
        <Box sx={{ gridColumn: 3, gridRow: '1 / 3', minHeight: 0, minWidth: 0 }}>
          <PanelBoundary what="the preview">
            <Suspense fallback={<Loading what="the preview" />}>
              <PreviewSlot />
            </Suspense>
          </PanelBoundary>
        </Box>
        <Box component="section" aria-label="Diagnostics and hook map" sx={{ gridColumn: 2, gridRow: 2, minHeight: 0, minWidth: 0, borderTop: 1, borderColor: 'divider', display: 'flex', flexDirection: 'column' }}>
          <BottomTabs />
          <Box role="tabpanel" id={`tabpanel-${bottomTab}`} aria-labelledby={`tab-${bottomTab}`} hidden={!bottomOpen} sx={{ flex: 1, minHeight: 0 }}>
            {!bottomOpen ? null : bottomTab === 'diagnostics' ? (
              <PanelBoundary what="the diagnostics">
                <DiagnosticsSlot />
              </PanelBoundary>
            ) : bottomTab === 'lessons' ? (
              <PanelBoundary what="the lessons">
                <Suspense fallback={<Loading what="the lessons" />}>
                  <LessonsPanel />
                </Suspense>
              </PanelBoundary>
            ) : (
              <PanelBoundary what="the hook map">
                <Suspense fallback={<Loading what="the hook map" />}>
                  <HookMapSlot />
                </Suspense>
              </PanelBoundary>
            )}
          </Box>
        </Box>
      </Box>
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
  const theme = useMemo(() => makeTheme(mode), [mode]);
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
    </ThemeProvider>
  );
}
