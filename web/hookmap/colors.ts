/**
 * The hook map's colours for light and dark, as plain hex so that their
 * contrast can be checked in tests (text 4.5:1, shapes 3:1 against the card).
 * The app's MUI palette supplies the page background and the primary colour
 * when its mode matches; otherwise built-in values are used.
 */

export interface HookMapColors {
  mode: 'light' | 'dark';
  background: string;
  column: string;
  card: string;
  cardBorder: string;
  text: string;
  muted: string;
  axis: string;
  conntrack: string;
  conntrackFill: string;
  before: string;
  after: string;
  none: string;
  selected: string;
  selectedFill: string;
  error: string;
  onError: string;
  warning: string;
  onWarning: string;
  notrack: string;
  synproxy: string;
}

export interface PaletteLike {
  mode: 'light' | 'dark';
  primary: { main: string };
  background: { paper: string };
}

const BASE: Readonly<Record<'light' | 'dark', Omit<HookMapColors, 'column' | 'conntrackFill' | 'selectedFill' | 'notrack' | 'synproxy'>>> = {
  light: {
    mode: 'light',
    background: '#ffffff',
    card: '#ffffff',
    cardBorder: '#8a929c',
    text: '#1d2126',
    muted: '#4d5560',
    axis: '#6b737d',
    conntrack: '#b35c00',
    before: '#6a3fb5',
    after: '#2e7d32',
    none: '#6b737d',
    selected: '#1565c0',
    error: '#c62828',
    onError: '#ffffff',
    warning: '#8f5200',
    onWarning: '#ffffff',
  },
  dark: {
    mode: 'dark',
    background: '#1b1f26',
    card: '#232831',
    cardBorder: '#6d7582',
    text: '#e8eaed',
    muted: '#b3bac4',
    axis: '#8e96a2',
    conntrack: '#ffb86b',
    before: '#c3a6ff',
    after: '#81c784',
    none: '#8e96a2',
    selected: '#7cb8ff',
    error: '#ff8a80',
    onError: '#1b1f26',
    warning: '#ffcc66',
    onWarning: '#1b1f26',
  },
};

export function hookMapColors(mode: 'light' | 'dark', palette?: PaletteLike): HookMapColors {
  const base = { ...BASE[mode] };
  if (palette && palette.mode === mode) {
    if (isHex(palette.background.paper)) base.background = palette.background.paper;
    if (isHex(palette.primary.main) && contrast(palette.primary.main, base.card) >= 3) base.selected = palette.primary.main;
  }
  return {
    ...base,
    column: mix(base.text, base.background, mode === 'light' ? 0.045 : 0.06),
    conntrackFill: mix(base.conntrack, base.background, mode === 'light' ? 0.14 : 0.2),
    selectedFill: mix(base.selected, base.card, mode === 'light' ? 0.1 : 0.16),
    notrack: base.before,
    synproxy: base.after,
  };
}

function isHex(c: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(c);
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `t` of `a` over `b` (both #rrggbb). */
export function mix(a: string, b: string, t: number): string {
  const [r1, g1, b1] = rgb(a);
  const [r2, g2, b2] = rgb(b);
  const c = (x: number, y: number) => Math.round(x * t + y * (1 - t)).toString(16).padStart(2, '0');
  return `#${c(r1, r2)}${c(g1, g2)}${c(b1, b2)}`;
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio. */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
