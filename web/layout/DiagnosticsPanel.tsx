/**
 * The diagnostics panel: every finding, worst first, with its position, id and
 * the "why" for learners. Rows are plain elements (a big design can have
 * hundreds of findings) and at most SHOWN of them are rendered.
 */
import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import WarningAmber from '@mui/icons-material/WarningAmber';
import { Box, Button, Typography } from '@mui/material';
import { memo, useMemo } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { useUi } from '../store/ui.ts';
import { plural } from '../words.ts';

const ORDER = { error: 0, warning: 1, info: 2 } as const;
const SHOWN = 300;
// SVG icons: the emoji ⛔ is in none of the bundled fonts and showed as an empty box
const ICON = { error: ErrorOutline, warning: WarningAmber, info: InfoOutlined } as const;
const COLOR = { error: 'error.main', warning: 'warning.main', info: 'info.main' } as const;

function Icon({ of }: { of: keyof typeof ICON }) {
  const C = ICON[of];
  return <C fontSize="small" sx={{ verticalAlign: 'text-bottom' }} aria-hidden />;
}

export const DiagnosticsPanel = memo(function DiagnosticsPanel({ diagnostics, lintMs }: { diagnostics: Diagnostic[]; lintMs: number | null }) {
  const select = useUi((s) => s.select);
  const traceThis = useUi((s) => s.traceThis);
  const sorted = useMemo(
    () => [...diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0)),
    [diagnostics],
  );
  const counts = useMemo(() => {
    const c = { error: 0, warning: 0, info: 0 };
    for (const d of diagnostics) c[d.severity]++;
    return c;
  }, [diagnostics]);
  return (
    <Box data-testid="diagnostics" sx={{ height: '100%', overflow: 'auto' }}>
      <Typography variant="caption" color="text.secondary" sx={{ px: 1.5, display: 'block' }} data-testid="diagnostics.summary" aria-live="polite">
        {plural(counts.error, 'error')}, {plural(counts.warning, 'warning')}, {plural(counts.info, 'note')}{lintMs !== null ? ` · linted in ${lintMs.toFixed(0)} ms` : ''}
      </Typography>
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {sorted.slice(0, SHOWN).map((d, i) => (
          <Box component="li" key={`${d.id}-${d.nodeId}-${i}`} sx={{ display: 'flex', alignItems: 'flex-start' }}>
            <Box
              component="button"
              type="button"
              onClick={() => d.nodeId && select(d.nodeId)}
              data-testid={`diagnostic.${d.id}`}
              data-severity={d.severity}
              sx={{
                display: 'flex',
                gap: 1,
                flex: 1,
                minWidth: 0,
                textAlign: 'left',
                border: 0,
                background: 'none',
                color: 'text.primary',
                font: 'inherit',
                cursor: d.nodeId ? 'pointer' : 'default',
                px: 1.5,
                py: 0.5,
                '&:hover': { bgcolor: 'action.hover' },
                '&:focus-visible': { outline: 2, outlineColor: 'primary.main', outlineStyle: 'solid', outlineOffset: -2 },
              }}
            >
              <Box component="span" role="img" aria-label={d.severity === 'info' ? 'note' : d.severity} sx={{ color: COLOR[d.severity], width: 18, flex: 'none' }}>
                <Icon of={d.severity} />
              </Box>
              <Box component="span" sx={{ minWidth: 0 }}>
                <Box component="span" sx={{ display: 'block', fontSize: 13 }}>
                  {d.range ? `${d.range.startLine}:${d.range.startCol} ` : ''}
                  {d.message}{' '}
                  <Box component="span" sx={{ color: 'text.secondary', fontSize: 11 }}>
                    [{d.id}]
                  </Box>
                </Box>
                {d.why && (
                  <Box component="span" sx={{ display: 'block', fontSize: 12, color: 'text.secondary', whiteSpace: 'pre-line' }}>
                    {d.why}
                  </Box>
                )}
              </Box>
            </Box>
            {d.trace && (
              <Button
                size="small"
                variant="outlined"
                onClick={() => traceThis(d.trace!)}
                aria-label={`Trace it: ${d.trace.packets.join(', then ')}`}
                title={`Follow the example packet through the design: ${d.trace.packets.join(' · ')}`}
                data-testid={`diagnostic.${d.id}.trace`}
                sx={{ flex: 'none', m: 0.5, mr: 1.5, whiteSpace: 'nowrap' }}
              >
                Trace it
              </Button>
            )}
          </Box>
        ))}
      </Box>
      {sorted.length > SHOWN && (
        <Typography variant="caption" sx={{ px: 1.5 }}>
          … and {sorted.length - SHOWN} more
        </Typography>
      )}
    </Box>
  );
});
