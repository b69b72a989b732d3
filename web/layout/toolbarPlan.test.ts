import { describe, expect, it } from 'vitest';
import { planToolbar, TOOLBAR_ACTIONS, widthOf } from './toolbarPlan.ts';

const visible = (w: number) => TOOLBAR_ACTIONS.filter((a) => planToolbar(w).show[a.id] !== 'menu').map((a) => a.id);

describe('the app bar at each width', () => {
  it('a wide window shows every action, the main ones with their words', () => {
    const p = planToolbar(1600);
    expect(p.show.templates).toBe('words');
    expect(p.show.share).toBe('words');
    expect(p.target).toBe('full');
    expect(p.title).toBe(true);
  });
  it('1280 px (a projector): the main actions keep their words (Share too), nothing folds', () => {
    const p = planToolbar(1280);
    for (const id of ['templates', 'wizard', 'import', 'export', 'compare', 'share'] as const) expect(p.show[id]).toBe('words');
    expect(visible(1280)).toHaveLength(TOOLBAR_ACTIONS.length);
  });
  it('853 px (150 % zoom): every action is still on the bar, as an icon; the target picker folds', () => {
    const p = planToolbar(853);
    expect(visible(853)).toHaveLength(TOOLBAR_ACTIONS.length);
    expect(p.target).toBe('menu');
  });
  it('640 px (200 % zoom): what does not fit folds into "More", Templates and Import never do', () => {
    const v = visible(640);
    expect(v).toContain('templates');
    expect(v).toContain('import');
    expect(v.length).toBeLessThan(TOOLBAR_ACTIONS.length);
  });
  it('the plan chosen fits, at every width from 360 to 1920 (or is the smallest there is)', () => {
    const smallest = widthOf(planToolbar(0));
    for (let w = 360; w <= 1920; w += 7) {
      const p = planToolbar(w);
      expect(widthOf(p) <= w || widthOf(p) === smallest).toBe(true);
    }
  });
  it('a wider window never shows less', () => {
    let prev = 0;
    for (let w = 360; w <= 1920; w += 13) {
      const n = visible(w).length + Object.values(planToolbar(w).show).filter((s) => s === 'words').length;
      expect(n).toBeGreaterThanOrEqual(prev);
      prev = n;
    }
  });
});
