/** The key to the hook map's shapes and colours, as an HTML list (it wraps). */
import { Box } from '@mui/material';
import type { ReactNode } from 'react';
import { CONNTRACK_PRIORITY } from '../../src/knowledge/stages.ts';
import type { HookMapColors } from './colors.ts';

export function Legend({ colors }: { colors: HookMapColors }) {
  const items: { key: string; swatch: ReactNode; text: string }[] = [
    {
      key: 'conntrack',
      swatch: <rect x={1} y={3} width={26} height={12} rx={3} fill={colors.conntrackFill} stroke={colors.conntrack} strokeWidth={2} />,
      text: `conntrack (${CONNTRACK_PRIORITY}): the flow is looked up, ct state is known below it`,
    },
    { key: 'before', swatch: <Stripe color={colors.before} colors={colors} />, text: 'chain runs before conntrack' },
    { key: 'after', swatch: <Stripe color={colors.after} colors={colors} />, text: 'chain runs after conntrack' },
    { key: 'none', swatch: <Stripe color={colors.none} colors={colors} />, text: 'not classified (ARP, bridge, unknown or equal priority)' },
    {
      key: 'stage',
      swatch: (
        <g>
          <circle cx={5} cy={9} r={3.5} fill={colors.axis} />
          <line x1={10} x2={27} y1={12} y2={12} stroke={colors.axis} strokeDasharray="3 3" />
        </g>
      ),
      text: 'other kernel stage or standard priority',
    },
    {
      key: 'tie',
      swatch: (
        <g>
          <path d="M 12 2 h -5 V 16 h 5" fill="none" stroke={colors.text} strokeWidth={1.5} />
          <text x={18} y={13} fontSize={12} fontWeight={700} fill={colors.text}>
            =
          </text>
        </g>
      ),
      text: 'same priority: order not defined',
    },
    { key: 'notrack', swatch: <Chip color={colors.notrack} colors={colors} />, text: 'notrack statement' },
    { key: 'synproxy', swatch: <Chip color={colors.synproxy} colors={colors} />, text: 'synproxy statement or object' },
    {
      key: 'error',
      swatch: (
        <g>
          <circle cx={9} cy={9} r={8} fill={colors.error} />
          <text x={9} y={13} textAnchor="middle" fontSize={11} fontWeight={700} fill={colors.onError}>
            !
          </text>
        </g>
      ),
      text: 'error from the linter',
    },
    {
      key: 'warning',
      swatch: (
        <g>
          <path d="M 9 0.5 L 18 16.5 L 0 16.5 Z" fill={colors.warning} />
          <text x={9} y={15} textAnchor="middle" fontSize={11} fontWeight={700} fill={colors.onWarning}>
            !
          </text>
        </g>
      ),
      text: 'warning from the linter',
    },
  ];
  return (
    <Box
      component="ul"
      aria-label="Legend"
      data-testid="hookmap.legend"
      sx={{ listStyle: 'none', m: 0, p: 0, display: 'flex', flexWrap: 'wrap', columnGap: 2, rowGap: 0.5, fontSize: 12, color: colors.text }}
    >
      {items.map((i) => (
        <Box component="li" key={i.key} sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
          <svg width={28} height={18} aria-hidden="true" style={{ flex: 'none' }}>
            {i.swatch}
          </svg>
          <span>{i.text}</span>
        </Box>
      ))}
    </Box>
  );
}

function Stripe({ color, colors }: { color: string; colors: HookMapColors }) {
  return (
    <g>
      <rect x={1} y={1} width={26} height={16} rx={3} fill={colors.card} stroke={colors.cardBorder} />
      <rect x={2} y={2} width={5} height={14} rx={2} fill={color} />
    </g>
  );
}

function Chip({ color, colors }: { color: string; colors: HookMapColors }) {
  return <rect x={1} y={2} width={26} height={14} rx={7} fill={colors.card} stroke={color} strokeWidth={1.5} />;
}
