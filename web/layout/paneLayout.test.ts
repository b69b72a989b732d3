import { describe, expect, it } from 'vitest';
import { DEFAULT_PANES } from '../store/ui.ts';
import { fitPanes, NARROW, SPLITTER } from './paneLayout.ts';

describe('fitPanes', () => {
  const sizes: [number, number][] = [
    [1280, 672],
    [853, 432],
    [640, 312],
    [560, 300],
    [1920, 1032],
  ];
  for (const [w, h] of sizes) {
    it(`at ${w}×${h} the panes fill the width exactly and each keeps room`, () => {
      const l = fitPanes(w, h, DEFAULT_PANES, false);
      expect(l.nav + l.forms + l.preview + (l.narrow ? 1 : 2) * SPLITTER).toBe(w);
      expect(l.bottomUnderBoth).toBe(w < 1000);
      expect(l.forms).toBeGreaterThanOrEqual(248);
      expect(l.preview).toBeGreaterThanOrEqual(240);
      expect(l.bottom).toBeLessThanOrEqual(h - 140);
      expect(l.narrow).toBe(w < NARROW);
    });
  }
  for (const [w, h] of sizes.slice(0, 3)) {
    it(`in presenter mode at ${w}×${h} the forms keep 250 px of their own (drawn 1.25× larger), the navigator folds below 1000 px`, () => {
      const l = fitPanes(w, h, DEFAULT_PANES, false, 1.25);
      expect(l.nav + l.forms + l.preview + (l.narrow ? 1 : 2) * SPLITTER).toBe(w);
      expect(l.forms / 1.25).toBeGreaterThanOrEqual(248);
      expect(l.preview).toBeGreaterThanOrEqual(240);
      expect(l.narrow).toBe(w < 1000);
    });
  }
  it('keeps what was chosen when it fits, and fits what does not', () => {
    expect(fitPanes(1280, 672, { ...DEFAULT_PANES, nav: 300, preview: 400 }, false)).toMatchObject({ nav: 300, preview: 400 });
    // a preview dragged wider than the window leaves the forms their minimum
    const l = fitPanes(1280, 672, { ...DEFAULT_PANES, preview: 1400 }, false);
    expect(l.forms).toBe(250);
  });
  it('the hook map and lessons have their own, taller height', () => {
    expect(fitPanes(1280, 672, DEFAULT_PANES, true).bottom).toBe(Math.round(672 * 0.62));
    expect(fitPanes(1280, 672, DEFAULT_PANES, false).bottom).toBe(Math.round(672 * 0.33));
    // a short window: the untouched default is a share, so the forms keep most of it
    expect(fitPanes(640, 312, DEFAULT_PANES, false).bottom).toBe(103);
    // dragged sizes are kept, up to what leaves the forms their minimum
    expect(fitPanes(1280, 672, { ...DEFAULT_PANES, bottom: 300 }, false).bottom).toBe(300);
    expect(fitPanes(853, 432, { ...DEFAULT_PANES, tall: 1000 }, true).bottom).toBe(432 - 140 - SPLITTER);
  });
});
