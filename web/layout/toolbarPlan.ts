/**
 * What the app bar shows at a given width: which actions show their words,
 * which only their icon, and which fold into the "More" menu. Pure, so the
 * choice can be tested at every width a projector or a zoomed browser gives
 * (1280×720 at 100 %, 150 % and 200 % zoom are 1280, 853 and 640 CSS px).
 *
 * Widths are estimates in CSS px of the rendered controls (Roboto 14 px, MUI's
 * small buttons); the e2e journeys check the real boxes against the viewport.
 */

export type ActionId = 'designs' | 'undo' | 'redo' | 'templates' | 'wizard' | 'import' | 'export' | 'compare' | 'share' | 'presenter' | 'theme' | 'help';

export interface ToolbarAction {
  id: ActionId;
  /** the words on the button when there is room (and its accessible name) */
  label: string;
  /** shorter words for the button, if the label is long */
  short?: string;
  /** can show words at all (undo/redo/theme stay icons) */
  words: boolean;
}

/** In the order they appear. Words are dropped from the end of WORD_ORDER first, icons fold from FOLD_ORDER first. */
export const TOOLBAR_ACTIONS: readonly ToolbarAction[] = [
  { id: 'designs', label: 'Designs', words: false },
  { id: 'undo', label: 'Undo', words: false },
  { id: 'redo', label: 'Redo', words: false },
  { id: 'templates', label: 'Templates', words: true },
  { id: 'wizard', label: 'Synproxy wizard', short: 'Wizard', words: true },
  { id: 'import', label: 'Import', words: true },
  { id: 'export', label: 'Export', words: true },
  { id: 'compare', label: 'Compare with live', short: 'Compare', words: true },
  { id: 'share', label: 'Share link', short: 'Share', words: true },
  { id: 'presenter', label: 'Presenter mode', words: false },
  { id: 'theme', label: 'Theme', words: false },
  { id: 'help', label: 'Help', words: false },
];

/** Which buttons lose their words first (the last first). */
const WORD_ORDER: readonly ActionId[] = ['templates', 'wizard', 'import', 'export', 'compare', 'share'];
/** Which icons fold into the menu first (the first first); what is not listed never folds. */
const FOLD_ORDER: readonly ActionId[] = ['share', 'designs', 'presenter', 'compare', 'redo', 'help', 'export', 'wizard'];

export type Show = 'words' | 'icon' | 'menu';

export interface ToolbarPlan {
  show: Record<ActionId, Show>;
  /** the app's name as visible text (otherwise visually hidden, still the page's h1) */
  title: boolean;
  /** the design name field's width */
  nameWidth: number;
  /** the target nft picker: with its long label, short, or in the menu */
  target: 'full' | 'short' | 'menu';
}

// measured in chromium at 1280 px (Roboto loaded): an icon button 32, the title 83, the short target picker 89,
// "Templates" 108, "Wizard" 85, "Import" 84, "Export" 83, "Compare" 99; the estimates stay a few px above those
const ICON = 32; // a small IconButton
const GAP = 4; // the toolbar's gap
const DIVIDERS = 2 * 9;
const PADDING = 2 * 16; // Toolbar's gutters below 600 px (24 above: counted in SLACK)
const SLACK = 24;
const TITLE = 90;
const MORE = ICON;
const TARGET = { full: 200, short: 96, menu: 0 } as const;
const CHAR = 7.4; // Roboto 14 px, medium weight, average glyph

/** icon 20, gap 6, the words, padding 2 × 8 */
function wordsWidth(a: ToolbarAction): number {
  const text = a.short ?? a.label;
  return 20 + 6 + Math.ceil(text.length * CHAR) + 16;
}

export function widthOf(plan: ToolbarPlan): number {
  let w = PADDING + SLACK + DIVIDERS + MORE + (plan.title ? TITLE : 0) + plan.nameWidth + TARGET[plan.target];
  let items = 3; // title, name, more
  for (const a of TOOLBAR_ACTIONS) {
    const s = plan.show[a.id];
    if (s === 'menu') continue;
    w += s === 'words' ? wordsWidth(a) : ICON;
    items++;
  }
  if (plan.target !== 'menu') items++;
  return w + items * GAP;
}

/** The richest plan that fits `width` CSS px. */
export function planToolbar(width: number): ToolbarPlan {
  const show = Object.fromEntries(TOOLBAR_ACTIONS.map((a) => [a.id, a.words ? 'words' : 'icon'])) as Record<ActionId, Show>;
  const plan: ToolbarPlan = { show, title: true, nameWidth: 220, target: 'full' };
  const fits = (): boolean => widthOf(plan) <= width;
  // each step gives up a little; stop at the first plan that fits
  const steps: (() => void)[] = [
    () => (plan.target = 'short'),
    () => (plan.nameWidth = 160),
    ...[...WORD_ORDER].reverse().map((id) => () => (show[id] = 'icon')),
    () => (plan.target = 'menu'),
    () => (plan.title = false),
    () => (plan.nameWidth = 120),
    ...FOLD_ORDER.map((id) => () => (show[id] = 'menu')),
  ];
  for (const step of steps) {
    if (fits()) break;
    step();
  }
  return plan;
}
