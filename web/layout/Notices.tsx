/** Snackbar notices and the banners for unreadable saves and failed saving (loaded after first paint). */
import { Alert, AlertTitle, Box, Button, Snackbar } from '@mui/material';
import { useSession, type SaveProblem } from '../store/session.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { downloadText, safeFileName } from '../dialogs/download.ts';

/** The open design as a file: its nft script (what Import reads back), or its JSON when it cannot be printed. */
async function downloadCopy(): Promise<void> {
  const { name } = useSession.getState();
  const { ruleset } = useDesign.getState();
  const { emitSafely } = await import('../state/emitted.ts');
  const text = emitSafely(ruleset).result?.text;
  if (text) downloadText(safeFileName(name, 'nft'), text);
  else downloadText(safeFileName(name, 'json'), `${JSON.stringify({ format: 1, name, ruleset }, null, 1)}\n`, 'application/json');
}

/** A failed save in words, with what the person can do; the last good save is untouched either way. */
function SaveFailed({ problem, name }: { problem: SaveProblem; name: string }) {
  return (
    <Alert
      severity="error"
      data-testid="save.error"
      data-quota={problem.quota}
      action={
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', whiteSpace: 'nowrap' }}>
          <Button color="inherit" variant="outlined" size="small" onClick={() => void downloadCopy()} data-testid="save.download">
            Download a copy
          </Button>
          {problem.quota && (
            <Button color="inherit" size="small" onClick={() => useUi.getState().openDialog('designs')} data-testid="save.manage">
              Manage designs
            </Button>
          )}
        </Box>
      }
      sx={{ borderRadius: 0, py: 0.5, '& .MuiAlert-action': { alignItems: 'center', pt: 0 } }}
    >
      <AlertTitle sx={{ mb: 0.25 }}>{problem.quota ? 'This browser has no room left to save your design' : 'Your design could not be saved in this browser'}</AlertTitle>
      {problem.quota
        ? `Changes to “${name}” since its last save are only in this tab; that last save is kept as it was. Download a copy to keep them, or delete designs you no longer need to make room.`
        : `Changes to “${name}” since its last save are only in this tab; that last save is kept as it was. Download a copy to keep them. (${problem.detail})`}
    </Alert>
  );
}

export default function Notices() {
  const notice = useUi((s) => s.notice);
  const notify = useUi((s) => s.notify);
  const recoveries = useSession((s) => s.recoveries);
  const saveError = useSession((s) => s.saveError);
  const name = useSession((s) => s.name);
  return (
    <>
      {recoveries.length > 0 && (
        <Alert
          severity="warning"
          data-testid="recovery.notice"
          action={
            <Button color="inherit" onClick={() => useUi.getState().openDialog('designs')}>
              Show
            </Button>
          }
          sx={{ borderRadius: 0, py: 0 }}
        >
          A saved design could not be read. Its raw content is kept for download; you are working on another design.
        </Alert>
      )}
      {saveError && <SaveFailed problem={saveError} name={name} />}
      <Snackbar open={notice !== null} autoHideDuration={6000} onClose={() => notify(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        {notice ? (
          <Alert severity={notice.severity} onClose={() => notify(null)} variant="filled" data-testid="notice">
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </>
  );
}
