import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, List, ListItem, ListItemButton, ListItemText, Tooltip, Typography } from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import { newDesign, removeDesign, switchDesign, useSession } from '../store/session.ts';
import { downloadText } from './download.ts';

export default function DesignsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const designs = useSession((s) => s.designs);
  const current = useSession((s) => s.id);
  const recoveries = useSession((s) => s.recoveries);
  const dismiss = useSession((s) => s.dismissRecovery);
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="designs-title">
      <DialogTitle id="designs-title">Designs in this browser</DialogTitle>
      <DialogContent>
        {recoveries.map((r) => (
          <Alert
            key={r.key}
            severity="warning"
            sx={{ mb: 1 }}
            action={
              <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
                <Button size="small" onClick={() => downloadText('recovered-design.json', r.raw, 'application/json')} data-testid="recovery.download">
                  Download
                </Button>
                <Button size="small" onClick={() => dismiss(r.key)}>
                  Dismiss
                </Button>
              </Box>
            }
          >
            A saved design could not be read ({r.errors.slice(0, 2).join('; ')}). Its raw content is kept: download it to recover what you can.
          </Alert>
        ))}
        <List dense>
          {designs.map((d) => (
            <ListItem
              key={d.id}
              disablePadding
              secondaryAction={
                <Tooltip title={`Delete ${d.name}`}>
                  <IconButton edge="end" aria-label={`Delete design ${d.name}`} onClick={() => void removeDesign(d.id)}>
                    <DeleteIcon fontSize="small" />
                  </IconButton>
                </Tooltip>
              }
            >
              <ListItemButton
                selected={d.id === current}
                onClick={() => {
                  void switchDesign(d.id).then((ok) => ok && onClose());
                }}
                data-testid={`designs.open.${d.name}`}
              >
                <ListItemText primary={d.name} secondary={`saved ${new Date(d.updatedAt).toLocaleString()}`} />
              </ListItemButton>
            </ListItem>
          ))}
        </List>
        {designs.length === 0 && <Typography variant="body2">No saved designs yet.</Typography>}
      </DialogContent>
      <DialogActions>
        <Button
          onClick={() => {
            newDesign();
            onClose();
          }}
          data-testid="designs.new"
        >
          New design
        </Button>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
