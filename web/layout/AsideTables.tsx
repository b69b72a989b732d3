/**
 * "Live, not ours": the tables an import kept aside because other software
 * manages them (Ruleset.aside). Read-only: each can be viewed as it was imported,
 * or removed from the design (it stays on the host either way — nothing kept
 * aside is ever emitted).
 */
import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, List, ListItem, ListItemText, Typography } from '@mui/material';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import VisibilityOutlinedIcon from '@mui/icons-material/VisibilityOutlined';
import { memo, useState } from 'react';
import type { AsideTable, Ruleset } from '../../src/model/types.ts';
import { foreignEntry, foreignName } from '../../src/knowledge/foreign.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';

function removeAside(id: string): void {
  useDesign.getState().apply((rs) => {
    const aside = (rs.aside ?? []).filter((a) => a.id !== id);
    const next: Ruleset = { ...rs, aside };
    if (!aside.length) delete next.aside;
    return next;
  });
}

function label(a: AsideTable): string {
  return `table ${a.family} ${a.name} (${foreignName(a.owner)})`;
}

function ViewDialog({ table, onClose }: { table: AsideTable; onClose: () => void }) {
  const entry = foreignEntry(table.owner);
  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth aria-labelledby="aside-view-title" data-testid="aside.view">
      <DialogTitle id="aside-view-title">
        table {table.family} {table.name} — {foreignName(table.owner)}, live, not ours
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {entry ? `${entry.name} manages it (${entry.manages}). ` : ''}Kept as it was imported: never emitted, and the preamble "replace only these tables" leaves it alone on the host.
        </Typography>
        <Box
          component="pre"
          tabIndex={0}
          aria-label={`Kept text of ${label(table)}`}
          data-testid="aside.view.text"
          sx={{ m: 0, p: 1, bgcolor: 'action.hover', borderRadius: 1, fontSize: 12, overflow: 'auto', maxHeight: '60vh', whiteSpace: 'pre', tabSize: 4 }}
        >
          {table.text}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="aside.view.close">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export const AsideTables = memo(function AsideTables() {
  const aside = useDesign((s) => s.ruleset.aside);
  const [viewing, setViewing] = useState<AsideTable | null>(null);
  if (!aside?.length) return null;
  return (
    <Box component="section" aria-labelledby="nav-aside-title" data-testid="nav.aside" sx={{ borderTop: 1, borderColor: 'divider', mt: 1 }}>
      <Typography id="nav-aside-title" variant="overline" component="h2" sx={{ display: 'block', px: 1, pt: 0.5 }}>
        Live, not ours ({aside.length})
      </Typography>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', px: 1, pb: 0.5 }}>
        Other software manages these tables. Never emitted; the replace preamble leaves them alone.
      </Typography>
      <List dense disablePadding aria-label="Tables kept aside as live, not ours">
        {aside.map((a) => (
          <ListItem key={a.id} disablePadding sx={{ pl: 1, pr: 0.5 }} data-testid={`nav.aside.${a.family}.${a.name}`}>
            <ListItemText
              primary={`table ${a.family} ${a.name}`}
              secondary={foreignName(a.owner)}
              sx={{ minWidth: 0, my: 0.25 }}
              slotProps={{ primary: { noWrap: true, sx: { fontSize: 13 } }, secondary: { noWrap: true, sx: { fontSize: 11 } } }}
            />
            <IconButton size="small" aria-label={`View the kept text of ${label(a)}`} title="View the kept text" onClick={() => setViewing(a)} data-testid={`nav.aside.view.${a.family}.${a.name}`}>
              <VisibilityOutlinedIcon fontSize="small" />
            </IconButton>
            <IconButton
              size="small"
              aria-label={`Remove ${label(a)} from the design (it stays on the host)`}
              title="Remove from the design (it stays on the host)"
              onClick={() => {
                removeAside(a.id);
                useUi.getState().notify({ severity: 'info', text: `${label(a)} is no longer kept in the design; it stays on the host. Undo (Ctrl+Z) brings it back.` });
              }}
              data-testid={`nav.aside.remove.${a.family}.${a.name}`}
            >
              <DeleteOutlineIcon fontSize="small" />
            </IconButton>
          </ListItem>
        ))}
      </List>
      {viewing && <ViewDialog table={viewing} onClose={() => setViewing(null)} />}
    </Box>
  );
});
