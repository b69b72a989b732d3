/**
 * Error boundaries: a panel that throws while rendering shows what went wrong
 * and ways out, instead of taking the whole app down. The design is never
 * touched here — it stays in the store and in autosave — so nothing is lost:
 * undo the change that broke it, open another design, or reset the view (the
 * selection) and try again. A boundary also retries by itself when the design
 * or the selection changes.
 *
 * Built from what first paint already loads (Box, Paper, Button, Typography):
 * the boundaries are part of the shell, and a fallback must not depend on
 * loading another chunk.
 */
import { Box, Button, Paper, Typography } from '@mui/material';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { undo, useDesign } from '../store/design.ts';
import { useSession } from '../store/session.ts';
import { useUi } from '../store/ui.ts';
import { downloadText, safeFileName } from '../dialogs/download.ts';

export function crashMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
}

interface BoundaryProps {
  /** what the boundary holds, for the message ("the forms") */
  what: string;
  /** when one of these changes after a crash, the children are rendered again */
  resetKeys?: readonly unknown[];
  /** the fallback; the default is the panel notice */
  fallback?: (error: unknown, reset: () => void) => ReactNode;
  children: ReactNode;
}

interface BoundaryState {
  error: unknown;
  failed: boolean;
  keys: readonly unknown[] | undefined;
}

function sameKeys(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => Object.is(x, b[i]));
}

export class ErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: null, failed: false, keys: this.props.resetKeys };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error, failed: true };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    if (sameKeys(props.resetKeys, state.keys)) return null;
    // the design or the selection changed: try again
    return state.failed ? { error: null, failed: false, keys: props.resetKeys } : { keys: props.resetKeys };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`[nft-designer] ${this.props.what} failed to render:`, error, info.componentStack);
  }

  reset = (): void => this.setState({ error: null, failed: false });

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return this.props.fallback ? this.props.fallback(this.state.error, this.reset) : <CrashNotice what={this.props.what} error={this.state.error} onReset={this.reset} />;
  }
}

function downloadDesign(): void {
  const name = useSession.getState().name;
  downloadText(safeFileName(name, 'json'), `${JSON.stringify({ format: 1, name, ruleset: useDesign.getState().ruleset }, null, 1)}\n`, 'application/json');
}

export function CrashNotice({ what, error, onReset }: { what: string; error: unknown; onReset: () => void }) {
  const canUndo = useStore(useDesign.temporal, (s) => s.pastStates.length > 0);
  return (
    <Box sx={{ p: 1, height: '100%', overflow: 'auto' }}>
      <Box role="alert" data-testid="panel.crashed" sx={{ p: 1.5, border: 1, borderColor: 'error.main', borderRadius: 1, color: 'text.primary' }}>
        <Typography variant="subtitle2" component="h2" color="error" gutterBottom>
          Something went wrong showing {what}
        </Typography>
        <Box component="pre" data-testid="panel.crashed.message" sx={{ m: 0, mb: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>
          {crashMessage(error)}
        </Box>
        <Typography variant="body2">Your design is kept (it stays saved in this browser). You can:</Typography>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mt: 1 }}>
          <Button
            size="small"
            variant="outlined"
            disabled={!canUndo}
            data-testid="panel.crashed.undo"
            onClick={() => {
              undo();
              onReset();
            }}
          >
            Undo last change
          </Button>
          <Button size="small" variant="outlined" data-testid="panel.crashed.designs" onClick={() => useUi.getState().openDialog('designs')}>
            Open another design
          </Button>
          <Button
            size="small"
            variant="outlined"
            data-testid="panel.crashed.reset"
            onClick={() => {
              useUi.getState().select(null);
              onReset();
            }}
          >
            Reset view
          </Button>
          <Button size="small" data-testid="panel.crashed.download" onClick={downloadDesign}>
            Download design (JSON)
          </Button>
        </Box>
      </Box>
    </Box>
  );
}

/** A boundary for a panel of the workspace: retries when the design or the selection changes. */
export function PanelBoundary({ what, children }: { what: string; children: ReactNode }) {
  const ruleset = useDesign((s) => s.ruleset);
  const selectedId = useUi((s) => s.selectedId);
  return (
    <ErrorBoundary what={what} resetKeys={[ruleset, selectedId]}>
      {children}
    </ErrorBoundary>
  );
}

/** A boundary for the dialogs: a dialog that fails shows the error and closes. */
export function DialogBoundary({ children }: { children: ReactNode }) {
  const dialog = useUi((s) => s.dialog);
  return (
    <ErrorBoundary
      what="the dialog"
      resetKeys={[dialog]}
      fallback={(error) => (
        <Paper
          role="alertdialog"
          aria-labelledby="crash-title"
          elevation={8}
          sx={{ position: 'fixed', zIndex: 1400, top: '20%', left: '50%', transform: 'translateX(-50%)', width: 'min(520px, 92vw)', p: 2 }}
        >
          <Typography id="crash-title" variant="h6" component="h2" gutterBottom>
            Something went wrong in this dialog
          </Typography>
          <Box component="pre" data-testid="dialog.crashed" sx={{ m: 0, mb: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12, color: 'error.main' }}>
            {crashMessage(error)}
          </Box>
          <Typography variant="body2">Your design is kept.</Typography>
          <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 1 }}>
            <Button autoFocus onClick={() => useUi.getState().openDialog(null)}>
              Close
            </Button>
          </Box>
        </Paper>
      )}
    >
      {children}
    </ErrorBoundary>
  );
}
