/**
 * A dialog's own messages ("Script copied to the clipboard."), drawn inside the
 * dialog in a live region. A snackbar would be drawn over the dialog, under
 * #root, which is aria-hidden while a dialog is open: screen readers would never
 * hear it (as the wizard's "setup added" notice once was).
 */
import { Typography } from '@mui/material';
import { useEffect, useState } from 'react';

export interface DialogMessage {
  severity: 'success' | 'error' | 'info';
  text: string;
}

/** The message and its setter; a message goes away after `ms` (the live region stays, empty). */
export function useDialogStatus(ms = 8000): [DialogMessage | null, (m: DialogMessage | null) => void] {
  const [msg, setMsg] = useState<{ m: DialogMessage; seq: number } | null>(null);
  useEffect(() => {
    if (!msg) return;
    const t = setTimeout(() => setMsg(null), ms);
    return () => clearTimeout(t);
  }, [msg, ms]);
  // the same text twice is announced twice: a new seq re-renders the region
  return [msg?.m ?? null, (m) => setMsg((old) => (m ? { m, seq: (old?.seq ?? 0) + 1 } : null))];
}

/** Always rendered (empty when there is nothing to say): a live region must exist before its text changes. */
export function DialogStatus({ message, testId }: { message: DialogMessage | null; testId: string }) {
  return (
    <Typography
      role="status"
      aria-live="polite"
      data-testid={testId}
      data-severity={message?.severity}
      variant="body2"
      sx={{ flex: '1 1 200px', minWidth: 0, px: 1, fontWeight: 500, color: message?.severity === 'error' ? 'error.main' : message?.severity === 'success' ? 'success.main' : 'text.secondary' }}
    >
      {message?.text ?? ''}
    </Typography>
  );
}
