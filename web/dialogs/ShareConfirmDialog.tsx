/**
 * Confirmation before a share link opens a design that would run more than its
 * tables on a host: its top-level commands, includes and `flush ruleset` are
 * listed verbatim. Nothing is opened or replaced until "Open".
 */
import { Box, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { resolvePendingShare, type PendingShare } from '../store/session.ts';

const SHOWN = 40;

export default function ShareConfirmDialog({ pending }: { pending: PendingShare }) {
  const { name, notable } = pending;
  return (
    <Dialog open onClose={() => resolvePendingShare(false)} maxWidth="md" fullWidth aria-labelledby="share-confirm-title" data-testid="share.confirm">
      <DialogTitle id="share-confirm-title">Open this shared design?</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 1 }}>
          The shared design “{name}” contains {notable.length === 1 ? 'this command' : `these ${notable.length} commands`} besides its tables. Applied on a host, the script runs{' '}
          {notable.length === 1 ? 'it' : 'them'} as written:
        </DialogContentText>
        <Box component="ul" data-testid="share.confirm.commands" sx={{ m: 0, pl: 2.5, maxHeight: 320, overflow: 'auto' }}>
          {notable.slice(0, SHOWN).map((c, i) => (
            <li key={i}>
              <Box component="code" sx={{ fontFamily: 'monospace', fontSize: 13, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontWeight: 500 }}>
                {c.text}
              </Box>
              <Box component="span" sx={{ color: 'text.secondary', fontSize: 12 }}>
                {' '}
                — {c.note}
              </Box>
            </li>
          ))}
        </Box>
        {notable.length > SHOWN && <DialogContentText sx={{ mt: 1 }}>… and {notable.length - SHOWN} more.</DialogContentText>}
        <DialogContentText sx={{ mt: 1 }}>It opens as a new design; the design open now stays saved. Only open it if you trust whoever sent the link.</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button autoFocus onClick={() => resolvePendingShare(false)} data-testid="share.confirm.cancel">
          Cancel
        </Button>
        <Button color="warning" variant="contained" onClick={() => resolvePendingShare(true)} data-testid="share.confirm.open">
          Open
        </Button>
      </DialogActions>
    </Dialog>
  );
}
