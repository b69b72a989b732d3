/**
 * Fitting text into SVG boxes. SVG text does not wrap, so every line is cut to
 * its box with an ellipsis (the full text is in the tooltip, the accessible
 * name and the table). Widths come from a canvas in a browser, or from a
 * deliberately generous estimate where there is none (jsdom, tests).
 */

export type Measure = (text: string, font: FontSpec) => number;

export interface FontSpec {
  size: number;
  weight?: number;
  mono?: boolean;
}

export const SANS = 'Roboto, "DejaVu Sans", Arial, sans-serif';
export const MONO = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';

export function cssFont(f: FontSpec): string {
  return `${f.weight ?? 400} ${f.size}px ${f.mono ? MONO : SANS}`;
}

/** An upper bound of the rendered width: wide glyphs counted wide, never narrower than real. */
export function estimateWidth(text: string, f: FontSpec): number {
  if (f.mono) return text.length * f.size * 0.62;
  let em = 0;
  for (const ch of text) {
    if ('il.,:;\'|!I[]()ftrj '.includes(ch)) em += 0.34;
    else if ('mwMW@%'.includes(ch)) em += 0.9;
    else if (ch >= 'A' && ch <= 'Z') em += 0.7;
    else em += 0.6;
  }
  return em * f.size * ((f.weight ?? 400) >= 600 ? 1.06 : 1);
}

/** The longest prefix of `text` (plus "…") that fits in `max` pixels. */
export function fitText(text: string, max: number, f: FontSpec, measure: Measure = estimateWidth): string {
  if (measure(text, f) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${text.slice(0, mid)}…`, f) <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '…' : `${text.slice(0, lo)}…`;
}

/**
 * A canvas-based measure with a small safety margin (the web font may load after
 * measuring; Roboto is narrower than the fallbacks, so measuring early errs wide).
 * Its cache lives as long as the measure: callers make a new one (passing a
 * new `_fontsVersion`, which only keys their memo) when fonts finish loading.
 */
export function canvasMeasure(_fontsVersion = 0): Measure {
  if (typeof document === 'undefined' || typeof navigator === 'undefined' || /jsdom/i.test(navigator.userAgent)) return estimateWidth;
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return estimateWidth;
  const cache = new Map<string, number>();
  return (text, f) => {
    const font = cssFont(f);
    const key = `${font}\u0000${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(text).width * 1.04 + 1;
      if (cache.size > 5000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
}
