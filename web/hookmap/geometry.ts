/**
 * Where everything of a lane goes, in SVG pixels, for a given width: hook
 * columns left to right in packet-path order (wrapping onto more rows when the
 * width is too small), and within a column, top to bottom in priority order —
 * kernel stages as rows, chains as cards, chains of equal priority bracketed,
 * chains of unknown priority last. Pure and measured only by counts of lines,
 * so items never overlap whatever the text.
 */
import type { ChainNode, HookColumn, Lane, PriorityGroup, StageNode } from './model.ts';
import { cardLines, hasMarkers } from './describe.ts';

export const METRICS = {
  colMinWidth: 176,
  colMaxWidth: 300,
  colGap: 12,
  rowGap: 16,
  headerHeight: 64,
  bodyTop: 70,
  bottomPad: 16,
  cardInsetLeft: 26,
  cardInsetRight: 6,
  entryGap: 6,
  stageHeight: 20,
  conntrackHeight: 30,
  confirmHeight: 24,
  cardPadTop: 6,
  cardLine: 15,
  cardMarkers: 20,
  cardPadBottom: 6,
  sectionLabel: 22,
  placeholder: 24,
} as const;

export interface PlacedStage {
  kind: 'stage';
  stage: StageNode;
  y: number;
  h: number;
  /** a chain shares this stage's priority */
  sharedWith: string[];
}

export interface PlacedChain {
  kind: 'chain';
  chain: ChainNode;
  y: number;
  h: number;
}

export type Placed = PlacedStage | PlacedChain;

export interface PlacedTie {
  value: number;
  y: number;
  h: number;
  names: string[];
}

export interface PlacedColumn {
  column: HookColumn;
  x: number;
  y: number;
  w: number;
  h: number;
  /** card left edge and width */
  cardX: number;
  cardW: number;
  items: Placed[];
  ties: PlacedTie[];
  /** y of the "priority unknown" label, if any chain has one */
  unknownLabelY?: number;
  /** y of the "no chains" placeholder, if the column holds nothing at all */
  placeholderY?: number;
}

export interface LaneGeometry {
  width: number;
  height: number;
  columnsPerRow: number;
  columns: PlacedColumn[];
}

export function cardHeight(c: ChainNode): number {
  const m = METRICS;
  return m.cardPadTop + cardLines(c).length * m.cardLine + (hasMarkers(c) ? m.cardMarkers : 0) + m.cardPadBottom;
}

function stageHeight(s: StageNode): number {
  return s.kind === 'conntrack' ? METRICS.conntrackHeight : s.kind === 'confirm' ? METRICS.confirmHeight : METRICS.stageHeight;
}

/** How many columns fit side by side in `width`. */
export function columnsPerRow(width: number, count: number): number {
  const m = METRICS;
  const fit = Math.floor((width + m.colGap) / (m.colMinWidth + m.colGap));
  return Math.max(1, Math.min(count, fit));
}

export function layoutLane(lane: Lane, width: number): LaneGeometry {
  const m = METRICS;
  const n = lane.columns.length;
  const perRow = columnsPerRow(width, n);
  const colW = Math.min(m.colMaxWidth, Math.max(m.colMinWidth, Math.floor((width - m.colGap * (perRow - 1)) / perRow)));
  const columns: PlacedColumn[] = [];
  let rowY = 0;
  for (let start = 0; start < n; start += perRow) {
    const row = lane.columns.slice(start, start + perRow).map((col, i) => placeColumn(col, i * (colW + m.colGap), rowY, colW));
    const rowH = Math.max(...row.map((c) => c.h));
    for (const c of row) c.h = rowH;
    columns.push(...row);
    rowY += rowH + m.rowGap;
  }
  const usedWidth = perRow * colW + (perRow - 1) * m.colGap;
  return { width: usedWidth, height: Math.max(0, rowY - m.rowGap), columnsPerRow: perRow, columns };
}

function placeColumn(column: HookColumn, x: number, y: number, w: number): PlacedColumn {
  const m = METRICS;
  const items: Placed[] = [];
  const ties: PlacedTie[] = [];
  let cy = y + m.bodyTop;
  for (const g of column.groups) cy = placeGroup(g, cy, items, ties);
  let unknownLabelY: number | undefined;
  if (column.unknown.length) {
    unknownLabelY = cy;
    cy += m.sectionLabel;
    for (const chain of column.unknown) {
      const h = cardHeight(chain);
      items.push({ kind: 'chain', chain, y: cy, h });
      cy += h + m.entryGap;
    }
  }
  let placeholderY: number | undefined;
  if (!column.unknown.length && !column.groups.some((g) => g.entries.some((e) => e.kind === 'chain'))) {
    placeholderY = cy;
    cy += m.placeholder + m.entryGap;
  }
  return {
    column,
    x,
    y,
    w,
    h: cy - y + m.bottomPad,
    cardX: x + m.cardInsetLeft,
    cardW: w - m.cardInsetLeft - m.cardInsetRight,
    items,
    ties,
    unknownLabelY,
    placeholderY,
  };
}

function placeGroup(g: PriorityGroup, y: number, items: Placed[], ties: PlacedTie[]): number {
  const m = METRICS;
  const chainNames = g.entries.flatMap((e) => (e.kind === 'chain' ? [e.chain.name] : []));
  let cy = y;
  let tieStart: number | undefined;
  for (const e of g.entries) {
    if (e.kind === 'stage') {
      const h = stageHeight(e.stage);
      items.push({ kind: 'stage', stage: e.stage, y: cy, h, sharedWith: chainNames });
      cy += h + m.entryGap;
    } else {
      tieStart ??= cy;
      const h = cardHeight(e.chain);
      items.push({ kind: 'chain', chain: e.chain, y: cy, h });
      cy += h + m.entryGap;
    }
  }
  if (g.chainTie && tieStart !== undefined) ties.push({ value: g.value, y: tieStart, h: cy - m.entryGap - tieStart, names: chainNames });
  return cy;
}

/** True if any two items of a column overlap vertically (used by tests). */
export function overlaps(col: PlacedColumn): boolean {
  const sorted = [...col.items].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].y < sorted[i - 1].y + sorted[i - 1].h) return true;
  return false;
}
