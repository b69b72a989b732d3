/** Snackbar notices and the banners for unreadable saves and failed saving (loaded after first paint). */
import { Alert, Button, Snackbar } from '@mui/material';
import { useSession } from '../store/session.ts';
import { useUi } from '../store/ui.ts';

export default function Notices() {
  const notice = useUi((s) => s.notice);
  const notify = useUi((s) => s.notify);
  const recoveries = useSession((s) => s.recoveries);
  const saveError = useSession((s) => s.saveError);
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
      {saveError && (
        <Alert severity="error" sx={{ borderRadius: 0, py: 0 }}>
          {saveError}
        </Alert>
      )}
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
