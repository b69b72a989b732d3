/**
 * The workspace's pane sizes for the space there is: the sizes a person chose
 * with the splitters (remembered), fitted so that every pane keeps a usable
 * width. Pure, so each width a projector or a zoomed browser gives can be
 * tested (1280×720 at 100/150/200 % zoom: 1280×672, 853×432, 640×312 CSS px
 * below the app bar).
 */
import { DEFAULT_BOTTOM_SHARE, DEFAULT_PANES, type PaneSizes } from '../store/ui.ts';

export const SPLITTER = 6;
/** below this width the navigator folds into a rail with a toggle */
export const NARROW = 600;
/**
 * in presenter mode (forms drawn 1.25× larger) the navigator folds below this
 * width: at 150 % zoom (853 CSS px) it would leave the forms 210 px of their own
 * and the rule form would scroll sideways
 */
export const NARROW_PRESENTER = 1000;
export const RAIL = 40;
/** below this width the bottom panel spans the forms and the preview (its tabs need the room) */
export const BOTTOM_UNDER_BOTH = 1000;
/** the preview's untouched share of the width */
export const PREVIEW_SHARE = 0.44;
/** narrower than this, the preview wraps long lines unless the person chose otherwise */
export const PREVIEW_WRAP_BELOW = 480;
const MIN = { nav: 140, forms: 250, preview: 240, bottomOpen: 96, top: 140 } as const;

export interface PaneLayout {
  narrow: boolean;
  /** the bottom panel is under the forms and the preview, not only under the forms */
  bottomUnderBoth: boolean;
  nav: number;
  forms: number;
  preview: number;
  /** the bottom panel's height (when open) */
  bottom: number;
}

/**
 * `tall`: the bottom panel shows the hook map or a lesson; `zoom`: the forms'
 * zoom (presenter mode draws them larger, so they need more CSS px to keep
 * their minimum width of their own)
 */
export function fitPanes(width: number, height: number, chosen: PaneSizes, tall: boolean, zoom = 1): PaneLayout {
  const narrow = width < (zoom > 1 ? NARROW_PRESENTER : NARROW);
  const minForms = Math.round(MIN.forms * Math.max(1, zoom));
  let nav = narrow ? RAIL : Math.min(chosen.nav, Math.max(MIN.nav, Math.floor(width * 0.24)));
  // the navigator gives way first when the forms and the preview would not keep their minimum
  if (!narrow) nav = Math.max(MIN.nav, Math.min(nav, width - 2 * SPLITTER - minForms - MIN.preview));
  const rest = Math.max(0, width - nav - (narrow ? 1 : 2) * SPLITTER);
  // the preview gets what was chosen, as long as the forms keep their minimum; both shrink together below that
  // never dragged: a share of the width (as wide as the script's usual lines at 1280 px); dragged: what was chosen
  const wantPreview = chosen.preview === DEFAULT_PANES.preview ? Math.round(width * PREVIEW_SHARE) : chosen.preview;
  let preview = Math.min(wantPreview, rest - minForms);
  if (preview < MIN.preview) preview = Math.max(Math.floor(rest * 0.45), Math.min(MIN.preview, rest - 160));
  preview = Math.max(0, Math.floor(preview));
  const forms = rest - preview;
  const key = tall ? 'tall' : 'bottom';
  // never dragged: a share of the height; dragged: what was chosen
  const want = chosen[key] === DEFAULT_PANES[key] ? Math.round(height * DEFAULT_BOTTOM_SHARE[key]) : chosen[key];
  const bottom = Math.max(MIN.bottomOpen, Math.min(want, height - MIN.top - SPLITTER));
  return { narrow, bottomUnderBoth: width < BOTTOM_UNDER_BOTH, nav, forms, preview, bottom: Math.max(0, Math.floor(bottom)) };
}
