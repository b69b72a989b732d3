import { describe, expect, it } from 'vitest';
import { lineCount } from './PreviewPanel.tsx';

describe("the preview header's line count", () => {
  it('counts the lines of a script as split would', () => {
    for (const t of ['', 'a', 'a\n', 'a\nb\n', '\n\n\n', 'table inet t {\n}\n']) expect(lineCount(t)).toBe(t.split('\n').length - 1);
  });
});
