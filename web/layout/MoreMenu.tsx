/**
 * The app bar's "More" menu (lazy: not part of first paint): the actions that
 * did not fit the bar at this width, the target nft picker when it folded, and
 * what is used less often (a lab report, preview line wrapping, the tour).
 */
import { Box, Divider, ListItemIcon, ListItemText, Menu, MenuItem } from '@mui/material';
import ScienceIcon from '@mui/icons-material/Science';
import WrapTextIcon from '@mui/icons-material/WrapText';
import TourIcon from '@mui/icons-material/Tour';
import CheckIcon from '@mui/icons-material/Check';
import { useUi } from '../store/ui.ts';
import { startTour } from './tour.ts';
import { TargetPicker, type BarAction } from './TopBar.tsx';

export default function MoreMenu({ anchor, onClose, folded, targetInMenu }: { anchor: HTMLElement; onClose: () => void; folded: BarAction[]; targetInMenu: boolean }) {
  const previewWrap = useUi((s) => s.previewWrap);
  const setPreviewWrap = useUi((s) => s.setPreviewWrap);
  const openDialog = useUi((s) => s.openDialog);
  const run = (f: () => void) => () => {
    onClose();
    f();
  };
  return (
    <Menu anchorEl={anchor} open onClose={onClose} slotProps={{ list: { 'aria-label': 'More' } }}>
      {folded.map((a) => (
        <MenuItem key={a.id} data-testid={a.testId} onClick={run(a.onClick)} disabled={a.disabled} aria-checked={a.pressed} role={a.pressed === undefined ? 'menuitem' : 'menuitemcheckbox'}>
          <ListItemIcon>{a.icon}</ListItemIcon>
          <ListItemText>{a.label}</ListItemText>
        </MenuItem>
      ))}
      {folded.length > 0 && <Divider />}
      {targetInMenu && (
        <Box sx={{ px: 2, py: 1, bgcolor: 'primary.main', color: 'primary.contrastText' }} onKeyDown={(e) => e.stopPropagation()}>
          <TargetPicker short={false} />
        </Box>
      )}
      <MenuItem data-testid="app.labreport" onClick={run(() => openDialog('labreport'))}>
        <ListItemIcon>
          <ScienceIcon />
        </ListItemIcon>
        <ListItemText>Open a lab report…</ListItemText>
      </MenuItem>
      <MenuItem data-testid="app.previewWrap" role="menuitemcheckbox" aria-checked={previewWrap} onClick={run(() => setPreviewWrap(!previewWrap))}>
        <ListItemIcon>{previewWrap ? <CheckIcon /> : <WrapTextIcon />}</ListItemIcon>
        <ListItemText>Wrap long preview lines</ListItemText>
      </MenuItem>
      <MenuItem data-testid="app.tour" onClick={run(startTour)}>
        <ListItemIcon>
          <TourIcon />
        </ListItemIcon>
        <ListItemText>Show me around</ListItemText>
      </MenuItem>
    </Menu>
  );
}
