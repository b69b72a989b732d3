/** UI state that is not part of the document and not undoable. */
import type { TraceExample } from '../../src/model/diagnostic.ts';
import { create } from 'zustand';
import type { ThemeMode } from '../theme.ts';

export type BottomTab = 'diagnostics' | 'hookmap' | 'lessons' | 'trace';
export type DialogName = 'import' | 'export' | 'compare' | 'templates' | 'wizard' | 'share' | 'help' | 'designs' | 'labreport' | null;

/** Pane sizes in CSS px (the splitters), remembered with the preferences. */
export interface PaneSizes {
  /** the navigator's width */
  nav: number;
  /** the preview's width */
  preview: number;
  /** the bottom panel's height (diagnostics, lessons) */
  bottom: number;
  /** the bottom panel's height while it shows the hook map or a lesson (which need more room) */
  tall: number;
}
export const DEFAULT_PANES: PaneSizes = { nav: 240, preview: 540, bottom: 220, tall: 420 };
/** the untouched defaults as shares of the workspace's height (so a short window is not half bottom panel) */
export const DEFAULT_BOTTOM_SHARE = { bottom: 0.33, tall: 0.62 } as const;
/** the smallest a pane may be dragged to, and the largest (the rest must stay usable) */
export const PANE_LIMITS: Record<keyof PaneSizes, { min: number; max: number }> = {
  nav: { min: 160, max: 480 },
  preview: { min: 260, max: 1400 },
  bottom: { min: 96, max: 1200 },
  tall: { min: 96, max: 1200 },
};
export function clampPane(k: keyof PaneSizes, v: number): number {
  const { min, max } = PANE_LIMITS[k];
  return Math.round(Math.min(max, Math.max(min, Number.isFinite(v) ? v : DEFAULT_PANES[k])));
}

export interface UiState {
  selectedId: string | null;
  theme: ThemeMode;
  bottomTab: BottomTab;
  /** the bottom panel can be folded away, to give the forms the whole column (projectors) */
  bottomOpen: boolean;
  dialog: DialogName;
  /** presenter mode: larger type in forms and preview, high contrast (projectors, classes) */
  presenter: boolean;
  /** long preview lines wrap instead of scrolling sideways (what is in effect: the choice, else whether the preview is narrow) */
  previewWrap: boolean;
  /** the person's choice; null: wrap when the preview is narrow (a zoomed browser, a dragged splitter) or in presenter mode (its larger type) */
  previewWrapChoice: boolean | null;
  previewNarrow: boolean;
  /** the hook map fills the whole window */
  hookMapMax: boolean;
  panes: PaneSizes;
  /** a notice shown in a snackbar */
  notice: { severity: 'info' | 'success' | 'warning' | 'error'; text: string } | null;
  /** packets to trace, handed to the Trace tab (a finding's example packet); `seq` tells one request from the next */
  traceRequest: (TraceExample & { seq: number }) | null;
  /** open the Trace tab with these packets and trace them */
  traceThis: (t: TraceExample) => void;
  select: (id: string | null) => void;
  setTheme: (t: ThemeMode) => void;
  setBottomTab: (t: BottomTab) => void;
  toggleBottom: () => void;
  openDialog: (d: DialogName) => void;
  setPresenter: (on: boolean) => void;
  setPreviewWrap: (on: boolean) => void;
  setPreviewNarrow: (narrow: boolean) => void;
  setHookMapMax: (on: boolean) => void;
  setPane: (k: keyof PaneSizes, px: number) => void;
  notify: (n: UiState['notice']) => void;
}

const PREFS_KEY = 'nftd.prefs';

/**
 * `targetVersion`: the one target of every design, as earlier versions kept it;
 * now each design has its own (Ruleset.target), and this is only read to give
 * designs saved before then the target they were checked against (kept as it is).
 */
type Prefs = Partial<Pick<UiState, 'theme' | 'presenter' | 'panes'>> & { previewWrap?: boolean; targetVersion?: string };

function loadPrefs(): Prefs {
  try {
    const raw = globalThis.localStorage?.getItem(PREFS_KEY);
    const p = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const panes = p.panes && typeof p.panes === 'object' ? (p.panes as Record<string, unknown>) : null;
    return {
      theme: p.theme === 'dark' || p.theme === 'light' ? p.theme : undefined,
      targetVersion: typeof p.targetVersion === 'string' && /^\d+\.\d+(\.\d+)?$/.test(p.targetVersion) ? p.targetVersion : undefined,
      presenter: typeof p.presenter === 'boolean' ? p.presenter : undefined,
      previewWrap: typeof p.previewWrap === 'boolean' ? p.previewWrap : undefined,
      panes: panes
        ? {
            nav: clampPane('nav', Number(panes.nav)),
            preview: clampPane('preview', Number(panes.preview)),
            bottom: clampPane('bottom', Number(panes.bottom)),
            tall: clampPane('tall', Number(panes.tall)),
          }
        : undefined,
    };
  } catch {
    return {};
  }
}

function savePrefs(s: Pick<UiState, 'theme' | 'presenter' | 'previewWrapChoice' | 'panes'>): void {
  try {
    const prefs: Prefs = { theme: s.theme, targetVersion: prefs0.targetVersion, presenter: s.presenter, previewWrap: s.previewWrapChoice ?? undefined, panes: s.panes };
    globalThis.localStorage?.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // storage full or disabled: preferences are not essential
  }
}

const prefs = loadPrefs();
const prefs0 = prefs;

/** The target every design had before designs kept their own (undefined: none was stored). */
export function legacyTargetVersion(): string | undefined {
  return prefs0.targetVersion;
}
const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

export const useUi = create<UiState>()((set, get) => ({
  selectedId: null,
  theme: prefs.theme ?? (prefersDark ? 'dark' : 'light'),
  bottomTab: 'diagnostics',
  bottomOpen: true,
  dialog: null,
  presenter: prefs.presenter ?? false,
  previewWrap: prefs.previewWrap ?? prefs.presenter ?? false,
  previewWrapChoice: prefs.previewWrap ?? null,
  previewNarrow: false,
  hookMapMax: false,
  panes: prefs.panes ?? DEFAULT_PANES,
  notice: null,
  traceRequest: null,
  traceThis: (t) => set((s) => ({ traceRequest: { ...t, seq: (s.traceRequest?.seq ?? 0) + 1 }, bottomTab: 'trace', bottomOpen: true, hookMapMax: false })),
  select: (id) => set({ selectedId: id }),
  setTheme: (theme) => {
    set({ theme });
    savePrefs(get());
  },
  setBottomTab: (bottomTab) => set({ bottomTab, bottomOpen: true }),
  toggleBottom: () => set((s) => ({ bottomOpen: !s.bottomOpen })),
  openDialog: (dialog) => set({ dialog }),
  setPresenter: (presenter) => {
    // presenter mode's larger type cuts long lines at about column 45: they wrap, unless the person chose otherwise
    set((s) => ({ presenter, previewWrap: s.previewWrapChoice ?? (s.previewNarrow || presenter) }));
    savePrefs(get());
  },
  setPreviewWrap: (previewWrap) => {
    set({ previewWrap, previewWrapChoice: previewWrap });
    savePrefs(get());
  },
  setPreviewNarrow: (previewNarrow) => set((s) => ({ previewNarrow, previewWrap: s.previewWrapChoice ?? (previewNarrow || s.presenter) })),
  setHookMapMax: (hookMapMax) => set(hookMapMax ? { hookMapMax, bottomTab: 'hookmap', bottomOpen: true } : { hookMapMax }),
  setPane: (k, px) => {
    set((s) => ({ panes: { ...s.panes, [k]: clampPane(k, px) } }));
    savePrefs(get());
  },
  notify: (notice) => set({ notice }),
}));

/** Type sizes for the forms and the preview: one place, read by the theme and the editor. */
export const TYPE_SCALE = {
  /** `zoom` of the navigator, the forms and the bottom panel (scales every size in them, px ones too) */
  normal: { panes: 1, editor: 13 },
  presenter: { panes: 1.25, editor: 18 },
} as const;
export function paneZoom(presenter: boolean): number {
  return presenter ? TYPE_SCALE.presenter.panes : TYPE_SCALE.normal.panes;
}
export function editorFontSize(presenter: boolean): number {
  return presenter ? TYPE_SCALE.presenter.editor : TYPE_SCALE.normal.editor;
}
