/** Opens a synproxy lab report (placeholder until the lab report module lands). */
import { Dialog, DialogContent, DialogTitle } from '@mui/material';

export default function LabReportDialog(props: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={props.open} onClose={props.onClose} aria-labelledby="labreport-title">
      <DialogTitle id="labreport-title">Lab report</DialogTitle>
      <DialogContent>Opening lab reports is on its way.</DialogContent>
    </Dialog>
  );
}
