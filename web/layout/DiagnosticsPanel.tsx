import { Box, List, ListItemButton, ListItemIcon, ListItemText, Typography } from '@mui/material';
import ErrorIcon from '@mui/icons-material/Error';
import WarningIcon from '@mui/icons-material/Warning';
import InfoIcon from '@mui/icons-material/Info';
import { useMemo } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { useUi } from '../store/ui.ts';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function DiagnosticsPanel({ diagnostics, lintMs }: { diagnostics: Diagnostic[]; lintMs: number | null }) {
  const select = useUi((s) => s.select);
  const sorted = useMemo(
    () => [...diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0)),
    [diagnostics],
  );
  const counts = useMemo(() => ({ error: diagnostics.filter((d) => d.severity === 'error').length, warning: diagnostics.filter((d) => d.severity === 'warning').length, info: diagnostics.filter((d) => d.severity === 'info').length }), [diagnostics]);
  return (
    <Box data-testid="diagnostics" sx={{ height: '100%', overflow: 'auto' }}>
      <Typography variant="caption" color="text.secondary" sx={{ px: 1.5, display: 'block' }} data-testid="diagnostics.summary" aria-live="polite">
        {counts.error} errors, {counts.warning} warnings, {counts.info} notes{lintMs !== null ? ` · linted in ${lintMs.toFixed(0)} ms` : ''}
      </Typography>
      <List dense disablePadding>
        {sorted.slice(0, 500).map((d, i) => (
          <Box component="li" key={`${d.id}-${d.nodeId}-${i}`} sx={{ listStyle: 'none' }}>
          <ListItemButton
            onClick={() => d.nodeId && select(d.nodeId)}
            data-testid={`diagnostic.${d.id}`}
            data-severity={d.severity}
            sx={{ alignItems: 'flex-start', py: 0.25 }}
          >
            <ListItemIcon sx={{ minWidth: 28, mt: 0.5 }}>
              {d.severity === 'error' ? <ErrorIcon color="error" fontSize="small" titleAccess="error" /> : d.severity === 'warning' ? <WarningIcon color="warning" fontSize="small" titleAccess="warning" /> : <InfoIcon color="info" fontSize="small" titleAccess="note" />}
            </ListItemIcon>
            <ListItemText
              primary={
                <>
                  {d.range ? `${d.range.startLine}:${d.range.startCol} ` : ''}
                  {d.message} <Box component="span" sx={{ color: 'text.secondary', fontSize: 11 }}>[{d.id}]</Box>
                </>
              }
              secondary={d.why}
              slotProps={{ primary: { sx: { fontSize: 13 } }, secondary: { sx: { fontSize: 12, whiteSpace: 'pre-line' } } }}
            />
          </ListItemButton>
          </Box>
        ))}
      </List>
      {sorted.length > 500 && <Typography variant="caption" sx={{ px: 1.5 }}>… and {sorted.length - 500} more</Typography>}
    </Box>
  );
}
