import { Alert, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useMemo } from 'react';
import { useDesign } from '../store/design.ts';
import { useSession } from '../store/session.ts';
import { encodeShare } from '../store/share.ts';
import { copyText } from './download.ts';
import { DialogStatus, useDialogStatus } from './DialogStatus.tsx';

export default function ShareDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const rs = useDesign((s) => s.ruleset);
  const name = useSession((s) => s.name);
  // said inside the dialog, in a live region (a snackbar would be hidden from screen readers under the dialog)
  const [status, notify] = useDialogStatus();
  const link = useMemo(() => (open ? `${location.origin}${location.pathname}${encodeShare(name, rs)}` : ''), [open, name, rs]);
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="share-title">
      <DialogTitle id="share-title">Share link</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 1 }}>
          The whole design is compressed into the link, after the #. Browsers do not send that part to any server; whoever opens the link gets a copy as a new design.
        </DialogContentText>
        <TextField value={link} fullWidth multiline maxRows={4} slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'share.link', 'aria-label': 'Share link', style: { fontFamily: 'monospace', fontSize: 12 } } }} />
        {link.length > 64000 && (
          <Alert severity="warning" sx={{ mt: 1 }}>
            This link is {Math.round(link.length / 1024)} KiB long; some chat tools cut long links. Export the .nft file instead for big designs.
          </Alert>
        )}
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <DialogStatus message={status} testId="share.status" />
        <Button
          variant="contained"
          data-testid="share.copy"
          onClick={async () => notify((await copyText(link)) ? { severity: 'success', text: 'Share link copied.' } : { severity: 'error', text: 'The clipboard is not available; select the link and copy it.' })}
        >
          Copy link
        </Button>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
