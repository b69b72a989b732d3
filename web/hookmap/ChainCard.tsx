/**
 * One base chain on its hook: a focusable SVG button showing name, table, type,
 * priority, policy, rule count, notrack/synproxy markers and the linter's
 * findings, with a tooltip that explains its place on the packet path.
 */
import { Tooltip, Typography } from '@mui/material';
import type { KeyboardEvent } from 'react';
import { CHAIN_TYPE_DESCRIPTIONS, EQUAL_PRIORITY_NOTE } from '../../src/knowledge/packetPath.ts';
import type { HookMapColors } from './colors.ts';
import { cardLines, chainAriaLabel, markerWords, positionWhy, type ChainFindings } from './describe.ts';
import { METRICS, type PlacedChain } from './geometry.ts';
import { fitText, type FontSpec, type Measure, MONO, SANS } from './text.ts';

const NAME_FONT: FontSpec = { size: 13, weight: 700, mono: true };
const LINE_FONT: FontSpec = { size: 12 };
const CHIP_FONT: FontSpec = { size: 11, weight: 500 };

export interface ChainCardProps {
  placed: PlacedChain;
  x: number;
  w: number;
  colors: HookMapColors;
  findings: ChainFindings | undefined;
  /** other chains with the same priority on this hook */
  ties: string[];
  /** kernel stages with the same priority on this hook */
  stageTies: string[];
  selected: boolean;
  measure: Measure;
  onSelect: (chainId: string) => void;
}

export function ChainCard({ placed, x, w, colors, findings, ties, stageTies, selected, measure, onSelect }: ChainCardProps) {
  const { chain, y, h } = placed;
  const m = METRICS;
  const lines = cardLines(chain);
  const stripe = chain.position === 'before-conntrack' ? colors.before : chain.position === 'after-conntrack' ? colors.after : colors.none;
  const errors = findings?.errors.length ?? 0;
  const warnings = findings?.warnings.length ?? 0;
  const badgeSpace = (errors ? 20 : 0) + (warnings ? 20 : 0);
  const textX = x + 12;
  const textW = w - 18;
  const select = () => onSelect(chain.id);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select();
    }
  };
  const lineY = (i: number) => y + m.cardPadTop + (i + 1) * m.cardLine - 3;

  // The visible text is drawn beside the button, not inside it (aria-hidden, no
  // pointer events): the button's accessible name is the full description, and
  // axe's label-in-name check would otherwise compare it with the card's text.
  const errorX = x + w - 11;
  const warningX = errorX - (errors ? 20 : 0);
  return (
    <>
      <Tooltip title={<ChainTip {...{ placed, findings, ties, stageTies }} />} describeChild placement="right" enterDelay={300}>
        <g
          role="button"
          tabIndex={0}
          className="hm-chain"
          data-testid={`hookmap.chain.${chain.id}`}
          data-hook={chain.hook}
          data-priority={chain.value === undefined ? undefined : String(chain.value)}
          data-position={chain.position}
          data-selected={selected ? 'true' : undefined}
          aria-label={chainAriaLabel(chain, findings, ties)}
          aria-current={selected ? 'true' : undefined}
          onClick={select}
          onKeyDown={onKeyDown}
          style={{ cursor: 'pointer' }}
        >
          <rect
            className="hm-card"
            x={x}
            y={y}
            width={w}
            height={h}
            rx={5}
            fill={selected ? colors.selectedFill : colors.card}
            stroke={selected ? colors.selected : colors.cardBorder}
            strokeWidth={selected ? 2.5 : 1}
          />
          <rect x={x + 1} y={y + 1} width={5} height={h - 2} rx={2} fill={stripe} />
          {errors > 0 && <BadgeShape kind="error" cx={errorX} cy={y + 11} colors={colors} findings={findings} />}
          {warnings > 0 && <BadgeShape kind="warning" cx={warningX} cy={y + 11} colors={colors} findings={findings} />}
        </g>
      </Tooltip>
      <g aria-hidden="true" pointerEvents="none" data-testid={`hookmap.chainText.${chain.id}`}>
        <text x={textX} y={lineY(0)} fill={colors.text} fontFamily={MONO} fontSize={NAME_FONT.size} fontWeight={NAME_FONT.weight}>
          {fitText(lines[0], textW - badgeSpace, NAME_FONT, measure)}
        </text>
        {lines.slice(1).map((line, i) => (
          <text key={i} x={textX} y={lineY(i + 1)} fill={i === 1 ? colors.text : colors.muted} fontFamily={SANS} fontSize={LINE_FONT.size}>
            {fitText(line, textW, LINE_FONT, measure)}
          </text>
        ))}
        {(chain.notrack || chain.synproxy) && <Markers {...{ placed, x: textX, y: y + m.cardPadTop + lines.length * m.cardLine + 3, colors, measure, maxW: textW }} />}
        {errors > 0 && <BadgeGlyph kind="error" count={errors} cx={errorX} cy={y + 11} colors={colors} />}
        {warnings > 0 && <BadgeGlyph kind="warning" count={warnings} cx={warningX} cy={y + 11} colors={colors} />}
      </g>
    </>
  );
}

function Markers({ placed, x, y, colors, measure, maxW }: { placed: PlacedChain; x: number; y: number; colors: HookMapColors; measure: Measure; maxW: number }) {
  const chips: { label: string; color: string }[] = [];
  if (placed.chain.notrack) chips.push({ label: 'notrack', color: colors.notrack });
  if (placed.chain.synproxy) chips.push({ label: 'synproxy', color: colors.synproxy });
  let cx = x;
  return (
    <g>
      {chips.map((c) => {
        const label = fitText(c.label, maxW - (cx - x) - 10, CHIP_FONT, measure);
        const width = Math.min(maxW - (cx - x), measure(label, CHIP_FONT) + 12);
        const chip = (
          <g key={c.label}>
            <rect x={cx} y={y} width={width} height={16} rx={8} fill={colors.card} stroke={c.color} strokeWidth={1.5} />
            <text x={cx + 6} y={y + 12} fontFamily={SANS} fontSize={CHIP_FONT.size} fontWeight={CHIP_FONT.weight} fill={colors.text}>
              {label}
            </text>
          </g>
        );
        cx += width + 6;
        return chip;
      })}
    </g>
  );
}

function BadgeShape({ kind, cx, cy, colors, findings }: { kind: 'error' | 'warning'; cx: number; cy: number; colors: HookMapColors; findings: ChainFindings | undefined }) {
  const list = kind === 'error' ? findings?.errors : findings?.warnings;
  const title = `${kind === 'error' ? 'Error' : 'Warning'}: ${(list ?? []).map((d) => d.message).join('; ')}`;
  return (
    <g className={`hm-badge hm-badge-${kind}`} data-testid={`hookmap.badge.${kind}`}>
      <title>{title}</title>
      {kind === 'error' ? (
        <circle cx={cx} cy={cy} r={8.5} fill={colors.error} />
      ) : (
        <path d={`M ${cx} ${cy - 9} L ${cx + 9.5} ${cy + 7.5} L ${cx - 9.5} ${cy + 7.5} Z`} fill={colors.warning} strokeLinejoin="round" />
      )}
    </g>
  );
}

function BadgeGlyph({ kind, count, cx, cy, colors }: { kind: 'error' | 'warning'; count: number; cx: number; cy: number; colors: HookMapColors }) {
  return (
    <text x={cx} y={cy + (kind === 'error' ? 4 : 5.5)} textAnchor="middle" fontFamily={SANS} fontSize={11} fontWeight={700} fill={kind === 'error' ? colors.onError : colors.onWarning}>
      {count > 1 ? count : '!'}
    </text>
  );
}

function ChainTip({ placed, findings, ties, stageTies }: { placed: PlacedChain; findings: ChainFindings | undefined; ties: string[]; stageTies: string[] }) {
  const c = placed.chain;
  const all = findings ? [...findings.errors, ...findings.warnings, ...findings.infos] : [];
  return (
    <div>
      <Typography variant="subtitle2" component="div">
        chain {c.name} · {c.family} {c.tableName}
      </Typography>
      <Typography variant="body2" component="div">
        hook {c.hook}, priority {c.priorityLabel}
        {c.listedAs ? ` (nft lists it as ${c.listedAs})` : ''}
      </Typography>
      <Typography variant="body2" component="div">{positionWhy(c)}</Typography>
      <Typography variant="body2" component="div">{CHAIN_TYPE_DESCRIPTIONS[c.type]}</Typography>
      {markerWords(c) && <Typography variant="body2" component="div">{markerWords(c)}</Typography>}
      {stageTies.length > 0 && (
        <Typography variant="body2" component="div">
          Same priority as the kernel stage {stageTies.join(', ')}: the order between them depends on registration.
        </Typography>
      )}
      {ties.length > 0 && (
        <Typography variant="body2" component="div">
          Same priority as {ties.join(', ')}. {EQUAL_PRIORITY_NOTE}
        </Typography>
      )}
      {c.reaches.length > 0 && <Typography variant="body2" component="div">jumps to {c.reaches.map((r) => r.name).join(', ')}</Typography>}
      {all.map((d, i) => (
        <Typography key={i} variant="body2" component="div">
          {d.severity}: {d.message}
        </Typography>
      ))}
    </div>
  );
}
