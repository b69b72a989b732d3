/**
 * One lane of the hook map as SVG: its hook columns, each with a header (hook,
 * where packets come from, conntrack status), a flow axis, the kernel stages
 * (conntrack drawn as a band) and the chain cards in priority order.
 */
import { Tooltip } from '@mui/material';
import { useId } from 'react';
import { CONNTRACK_PRIORITY } from '../../src/knowledge/stages.ts';
import { EQUAL_PRIORITY_NOTE } from '../../src/knowledge/packetPath.ts';
import { ChainCard } from './ChainCard.tsx';
import type { HookMapColors } from './colors.ts';
import { stageValueText, tiesOf, type ChainFindings } from './describe.ts';
import { METRICS, type LaneGeometry, type PlacedColumn, type PlacedStage } from './geometry.ts';
import { stageTestId, type Lane } from './model.ts';
import { fitText, type Measure, SANS } from './text.ts';

export interface LaneViewProps {
  lane: Lane;
  geometry: LaneGeometry;
  colors: HookMapColors;
  findings: ReadonlyMap<string, ChainFindings>;
  selectedChainId: string | null;
  measure: Measure;
  onSelect: (chainId: string) => void;
}

export function LaneView({ lane, geometry, colors, findings, selectedChainId, measure, onSelect }: LaneViewProps) {
  const arrowId = `hm-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  return (
    <svg
      width={geometry.width}
      height={geometry.height}
      viewBox={`0 0 ${geometry.width} ${geometry.height}`}
      role="group"
      aria-label={`${lane.title}: ${lane.columns.length} hooks in packet-path order`}
      data-testid={`hookmap.lane.${lane.id}`}
      style={{ display: 'block', overflow: 'visible' }}
    >
      <defs>
        <marker id={arrowId} viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill={colors.axis} />
        </marker>
      </defs>
      {geometry.columns.map((col) => (
        <Column key={col.column.hook} {...{ lane, col, colors, findings, selectedChainId, measure, onSelect, arrowId }} />
      ))}
    </svg>
  );
}

interface ColumnProps extends Omit<LaneViewProps, 'geometry'> {
  col: PlacedColumn;
  arrowId: string;
}

function Column({ lane, col, colors, findings, selectedChainId, measure, onSelect, arrowId }: ColumnProps) {
  const { column, x, y, w, h } = col;
  const m = METRICS;
  const axisX = x + 12;
  const ct = ctStatus(column.conntrack, lane.id, colors);
  return (
    <g role="group" aria-label={`hook ${column.hook}: ${column.description}`} data-testid={`hookmap.hook.${lane.id}.${column.hook}`}>
      <rect x={x} y={y} width={w} height={h} rx={8} fill={colors.column} />
      <Tooltip title={`${column.hook}: ${column.description} (${column.from}).`} placement="top">
        <g>
          <text x={x + 10} y={y + 21} fill={colors.text} fontFamily={SANS} fontSize={15} fontWeight={700}>
            {column.hook}
          </text>
          <text x={x + 10} y={y + 38} fill={colors.muted} fontFamily={SANS} fontSize={11.5}>
            {fitText(column.from, w - 20, { size: 11.5 }, measure)}
          </text>
        </g>
      </Tooltip>
      {ct && (
        <g aria-hidden="true">
          <circle cx={x + 15} cy={y + 52} r={4.5} fill={ct.color} />
          <text x={x + 25} y={y + 56} fill={colors.text} fontFamily={SANS} fontSize={11.5}>
            {fitText(ct.text, w - 32, { size: 11.5 }, measure)}
          </text>
        </g>
      )}
      <line x1={x + 6} x2={x + w - 6} y1={y + m.headerHeight} y2={y + m.headerHeight} stroke={colors.cardBorder} strokeWidth={0.75} />
      <line x1={axisX} x2={axisX} y1={y + m.bodyTop - 2} y2={y + h - 8} stroke={colors.axis} strokeWidth={1.5} markerEnd={`url(#${arrowId})`} />
      {col.ties.map((t) => (
        <Tooltip key={t.value} title={`${t.names.join(', ')}: priority ${t.value}. ${EQUAL_PRIORITY_NOTE}`} placement="left">
          <g data-testid={`hookmap.tie.${column.hook}.${t.value}`}>
            <path d={`M ${x + 24} ${t.y + 2} h -5 V ${t.y + t.h - 2} h 5`} fill="none" stroke={colors.text} strokeWidth={1.5} />
            <rect x={x + 13} y={t.y + t.h / 2 - 8} width={10} height={16} fill={colors.column} />
            <text x={x + 18} y={t.y + t.h / 2 + 4} textAnchor="middle" fill={colors.text} fontFamily={SANS} fontSize={12} fontWeight={700}>
              =
            </text>
          </g>
        </Tooltip>
      ))}
      {col.items.map((item) =>
        item.kind === 'stage' ? (
          <StageRow key={`s.${item.stage.key}`} {...{ lane, col, item, colors, measure }} />
        ) : (
          <ChainCard
            key={item.chain.id}
            placed={item}
            x={col.cardX}
            w={col.cardW}
            colors={colors}
            findings={findings.get(item.chain.id)}
            ties={tiesOf(item.chain, column)}
            stageTies={stageTiesOf(col, item.chain.value)}
            selected={item.chain.id === selectedChainId}
            measure={measure}
            onSelect={onSelect}
          />
        ),
      )}
      {col.unknownLabelY !== undefined && (
        <text x={col.cardX} y={col.unknownLabelY + 15} fill={colors.muted} fontFamily={SANS} fontSize={11.5} fontStyle="italic">
          {fitText('priority unknown (placed last)', col.cardW, { size: 11.5 }, measure)}
        </text>
      )}
      {col.placeholderY !== undefined && (
        <text x={col.cardX} y={col.placeholderY + 16} fill={colors.muted} fontFamily={SANS} fontSize={11.5} fontStyle="italic">
          no chain on this hook
        </text>
      )}
    </g>
  );
}

function stageTiesOf(col: PlacedColumn, value: number | undefined): string[] {
  if (value === undefined) return [];
  return col.column.groups.find((g) => g.value === value)?.entries.flatMap((e) => (e.kind === 'stage' ? [e.stage.name] : [])) ?? [];
}

function ctStatus(s: PlacedColumn['column']['conntrack'], lane: Lane['id'], colors: HookMapColors): { text: string; color: string } | undefined {
  switch (s) {
    case 'runs here':
      return { text: `conntrack runs here (${CONNTRACK_PRIORITY})`, color: colors.conntrack };
    case 'not yet':
      return { text: 'before conntrack', color: colors.before };
    case 'already':
      return { text: 'after conntrack', color: colors.after };
    case 'none':
      return lane === 'arp' ? { text: 'no conntrack for ARP', color: colors.none } : lane === 'bridge' ? { text: 'bridge conntrack not shown', color: colors.none } : undefined;
  }
}

function StageRow({ lane, col, item, colors, measure }: { lane: Lane; col: PlacedColumn; item: PlacedStage; colors: HookMapColors; measure: Measure }) {
  const { stage, y, h } = item;
  const x = col.x + 20;
  const w = col.w - 26;
  const value = stageValueText(stage.value);
  const isCt = stage.kind === 'conntrack' || stage.kind === 'confirm';
  const label = `kernel stage ${stage.name}, priority ${value}: ${stage.what}`;
  const font = { size: stage.kind === 'conntrack' ? 12.5 : stage.kind === 'confirm' ? 12 : 11.5, weight: stage.kind === 'conntrack' ? 700 : stage.kind === 'confirm' ? 700 : 400 };
  const valueW = measure(value, font) + 4;
  return (
    <Tooltip title={`${stage.name} (${value}): ${stage.what}`} placement="left">
      <g role="img" aria-label={label} data-testid={stageTestId(lane.id, stage, col.column.hook)} data-priority={stage.value} data-kind={stage.kind}>
        {isCt ? (
          <rect
            x={x}
            y={y + 1}
            width={w}
            height={h - 2}
            rx={4}
            fill={stage.kind === 'conntrack' ? colors.conntrackFill : colors.column}
            stroke={colors.conntrack}
            strokeWidth={2}
            strokeDasharray={stage.kind === 'confirm' ? '5 3' : undefined}
          />
        ) : (
          <line x1={x} x2={x + w} y1={y + h - 3} y2={y + h - 3} stroke={colors.axis} strokeWidth={0.75} strokeDasharray="3 3" />
        )}
        <circle cx={col.x + 12} cy={y + h / 2} r={isCt ? 5 : 3.5} fill={isCt ? colors.conntrack : colors.axis} />
        <text x={x + (isCt ? 8 : 2)} y={y + h / 2 + 4} fill={isCt ? colors.text : colors.muted} fontFamily={SANS} fontSize={font.size} fontWeight={font.weight}>
          {fitText(stage.name, w - valueW - (isCt ? 14 : 6), font, measure)}
        </text>
        <text x={x + w - (isCt ? 8 : 2)} y={y + h / 2 + 4} textAnchor="end" fill={isCt ? colors.text : colors.muted} fontFamily={SANS} fontSize={font.size} fontWeight={font.weight}>
          {value}
        </text>
      </g>
    </Tooltip>
  );
}
