import { describe, expect, it } from 'vitest';
import { makeTheme } from '../theme.ts';
import { contrast, hookMapColors, mix, type HookMapColors } from './colors.ts';

function check(c: HookMapColors): string[] {
  const bad: string[] = [];
  const need = (what: string, a: string, b: string, min: number) => {
    const r = contrast(a, b);
    if (r < min) bad.push(`${c.mode} ${what}: ${r.toFixed(2)} < ${min}`);
  };
  for (const [bgName, bg] of [['card', c.card], ['column', c.column], ['background', c.background], ['selected card', c.selectedFill]] as const) {
    need(`text on ${bgName}`, c.text, bg, 4.5);
    need(`muted on ${bgName}`, c.muted, bg, 4.5);
  }
  need('text on conntrack band', c.text, c.conntrackFill, 4.5);
  need('error badge text', c.onError, c.error, 4.5);
  need('warning badge text', c.onWarning, c.warning, 4.5);
  for (const [name, col] of [
    ['before', c.before],
    ['after', c.after],
    ['conntrack', c.conntrack],
    ['error', c.error],
    ['warning', c.warning],
    ['selected', c.selected],
    ['axis', c.axis],
  ] as const) {
    need(`${name} shape on card`, col, c.card, 3);
    need(`${name} shape on column`, col, c.column, 3);
  }
  return bad;
}

describe('hook map colours', () => {
  for (const mode of ['light', 'dark'] as const) {
    it(`have enough contrast in ${mode} (built-in)`, () => {
      expect(check(hookMapColors(mode))).toEqual([]);
    });
    it(`have enough contrast in ${mode} with the app theme`, () => {
      expect(check(hookMapColors(mode, makeTheme(mode).palette))).toEqual([]);
    });
  }

  it('ignores a palette of the other mode', () => {
    expect(hookMapColors('dark', makeTheme('light').palette).background).toBe(hookMapColors('dark').background);
  });

  it('mixes and measures like WCAG', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });
});
