/**
 * The flow as a sequence diagram (client, synproxy, server), drawn from the
 * evaluator's results (src/trace/sequence.ts) as plain SVG: a trainer shows what
 * synproxy does to a handshake, with and without it.
 */
import { Box, useTheme } from '@mui/material';
import type { PacketResult } from '../../src/trace/evaluate.ts';
import { sequenceOf, usesSynproxy, type Party } from '../../src/trace/sequence.ts';

const ROW = 30;
const TOP = 34;

export function SequenceDiagram({ packets }: { packets: readonly PacketResult[] }) {
  const theme = useTheme();
  const arrows = sequenceOf(packets);
  if (arrows.length < 2) return null;
  const parties: Party[] = usesSynproxy(arrows) ? ['client', 'synproxy', 'server'] : ['client', 'server'];
  const width = 480;
  const x = (p: Party): number => 60 + (parties.indexOf(p) * (width - 120)) / (parties.length - 1);
  const height = TOP + arrows.length * ROW + 10;
  const color = { delivered: theme.palette.success.main, dropped: theme.palette.error.main, 'answered by synproxy': theme.palette.info.main, 'sent by synproxy': theme.palette.info.main, queued: theme.palette.warning.main } as const;
  const summary = arrows.map((a) => `${a.from} to ${a.to}: ${a.label}, ${a.outcome}`).join('; ');
  return (
    <Box data-testid="trace.sequence" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1, overflowX: 'auto' }}>
      <svg role="img" aria-label={`Sequence diagram: ${summary}`} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width, display: 'block' }}>
        <title>{`Sequence diagram: ${summary}`}</title>
        {parties.map((p) => (
          <g key={p}>
            <text x={x(p)} y={16} textAnchor="middle" fontSize={14} fontWeight={600} fill={theme.palette.text.primary}>
              {p}
            </text>
            <line x1={x(p)} x2={x(p)} y1={22} y2={height - 4} stroke={theme.palette.divider} strokeWidth={2} />
          </g>
        ))}
        {arrows.map((a, i) => {
          const y = TOP + i * ROW + 12;
          const x1 = x(a.from);
          const x2 = x(a.to);
          const dir = x2 > x1 ? 1 : -1;
          const c = color[a.outcome];
          const end = a.outcome === 'dropped' ? x1 + (x2 - x1) * 0.6 : x2 - dir * 6;
          return (
            <g key={i} data-outcome={a.outcome}>
              <line x1={x1} x2={end} y1={y} y2={y} stroke={c} strokeWidth={2} strokeDasharray={a.outcome === 'sent by synproxy' ? '5 3' : undefined} />
              {a.outcome === 'dropped' ? (
                // a cross drawn as two strokes (no glyph that a bundled font may lack)
                <g stroke={c} strokeWidth={2.5} aria-hidden="true">
                  <line x1={end - 5} x2={end + 5} y1={y - 5} y2={y + 5} />
                  <line x1={end - 5} x2={end + 5} y1={y + 5} y2={y - 5} />
                </g>
              ) : (
                <polygon points={`${x2},${y} ${x2 - dir * 8},${y - 4} ${x2 - dir * 8},${y + 4}`} fill={c} />
              )}
              <text x={(x1 + x2) / 2} y={y - 5} textAnchor="middle" fontSize={13} fill={theme.palette.text.primary}>
                {a.packet !== undefined ? `${a.packet + 1}. ` : ''}
                {a.label}
                {a.outcome === 'dropped' ? ' (dropped)' : a.outcome === 'answered by synproxy' ? ' (synproxy answers)' : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </Box>
  );
}
