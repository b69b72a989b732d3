import { describe, expect, it } from 'vitest';
import { findTemplate } from '../../src/templates/catalog.ts';
import { buildHookMap } from './model.ts';
import { cardHeight, columnsPerRow, layoutLane, METRICS, overlaps, type LaneGeometry } from './geometry.ts';
import { ALL_FAMILIES_TEXT, generatedText, parseOrThrow } from './fixtures.ts';

function boxesOverlap(g: LaneGeometry): boolean {
  for (let i = 0; i < g.columns.length; i++)
    for (let j = i + 1; j < g.columns.length; j++) {
      const a = g.columns[i];
      const b = g.columns[j];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true;
    }
  return false;
}

describe('layoutLane', () => {
  it('keeps about 50 chains from overlapping, at every width', () => {
    const m = buildHookMap(parseOrThrow(generatedText(50)));
    expect(m.chains.size).toBe(50);
    for (const width of [320, 700, 1000, 1280, 1900]) {
      const g = layoutLane(m.lanes[0], width);
      expect(boxesOverlap(g)).toBe(false);
      for (const col of g.columns) {
        expect(overlaps(col)).toBe(false);
        for (const item of col.items) {
          expect(item.y).toBeGreaterThanOrEqual(col.y + METRICS.bodyTop);
          expect(item.y + item.h).toBeLessThanOrEqual(col.y + col.h);
        }
      }
      expect(g.columns.flatMap((c) => c.items).filter((i) => i.kind === 'chain')).toHaveLength(50);
    }
  });

  it('wraps hook columns onto more rows when narrow', () => {
    const m = buildHookMap(parseOrThrow(ALL_FAMILIES_TEXT));
    const ip = m.lanes[0];
    expect(ip.columns).toHaveLength(6);
    expect(layoutLane(ip, 1280).columnsPerRow).toBe(6);
    const narrow = layoutLane(ip, 400);
    expect(narrow.columnsPerRow).toBe(2);
    expect(new Set(narrow.columns.map((c) => c.y)).size).toBe(3);
    expect(columnsPerRow(100, 6)).toBe(1);
    // a row's columns share the row's height
    const row0 = narrow.columns.filter((c) => c.y === 0);
    expect(new Set(row0.map((c) => c.h)).size).toBe(1);
  });

  it('brackets equal-priority chains and labels unknown priorities', () => {
    const m = buildHookMap(parseOrThrow(ALL_FAMILIES_TEXT));
    const g = layoutLane(m.lanes[0], 1280);
    const input = g.columns.find((c) => c.column.hook === 'input');
    expect(input?.ties).toEqual([expect.objectContaining({ value: 0, names: ['input', 'input2'] })]);
    const pre = g.columns.find((c) => c.column.hook === 'prerouting');
    expect(pre?.unknownLabelY).toBeDefined();
    const last = pre?.items.at(-1);
    expect(last?.kind === 'chain' && last.chain.name).toBe('later');
    expect(last && pre?.unknownLabelY !== undefined && last.y > pre.unknownLabelY).toBe(true);
  });

  it('draws PRE above the conntrack band and gives cards with markers room for them', () => {
    const m = buildHookMap(parseOrThrow(findTemplate('synproxy-anonymous')?.text ?? ''));
    const g = layoutLane(m.lanes[0], 1280);
    const pre = g.columns.find((c) => c.column.hook === 'prerouting');
    const card = pre?.items.find((i) => i.kind === 'chain');
    const ct = pre?.items.find((i) => i.kind === 'stage' && i.stage.kind === 'conntrack');
    expect(card && ct && card.y + card.h <= ct.y).toBe(true);
    if (card?.kind === 'chain') expect(card.h).toBe(cardHeight(card.chain));
    expect(card?.h).toBe(METRICS.cardPadTop + 4 * METRICS.cardLine + METRICS.cardMarkers + METRICS.cardPadBottom);
  });

  it('marks a column with nothing in it', () => {
    const m = buildHookMap(parseOrThrow(ALL_FAMILIES_TEXT));
    const arp = layoutLane(m.lanes.find((l) => l.id === 'arp') ?? m.lanes[0], 800);
    expect(arp.columns.find((c) => c.column.hook === 'output')?.placeholderY).toBeDefined();
    expect(arp.columns.find((c) => c.column.hook === 'input')?.placeholderY).toBeUndefined();
  });
});
