/** UI state that is not part of the document and not undoable. */
import { create } from 'zustand';
import { DEFAULT_TARGET_VERSION } from '../../src/knowledge/versions.ts';
import type { ThemeMode } from '../theme.ts';

export type BottomTab = 'diagnostics' | 'hookmap';
export type DialogName = 'import' | 'export' | 'compare' | 'templates' | 'wizard' | 'share' | 'help' | 'designs' | null;

export interface UiState {
  selectedId: string | null;
  theme: ThemeMode;
  bottomTab: BottomTab;
  /** the bottom panel can be folded away, to give the forms the whole column (projectors) */
  bottomOpen: boolean;
  dialog: DialogName;
  targetVersion: string;
  /** a notice shown in a snackbar */
  notice: { severity: 'info' | 'success' | 'warning' | 'error'; text: string } | null;
  select: (id: string | null) => void;
  setTheme: (t: ThemeMode) => void;
  setBottomTab: (t: BottomTab) => void;
  toggleBottom: () => void;
  openDialog: (d: DialogName) => void;
  setTargetVersion: (v: string) => void;
  notify: (n: UiState['notice']) => void;
}

const PREFS_KEY = 'nftd.prefs';

function loadPrefs(): { theme?: ThemeMode; targetVersion?: string } {
  try {
    const raw = globalThis.localStorage?.getItem(PREFS_KEY);
    const p = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    return {
      theme: p.theme === 'dark' || p.theme === 'light' ? p.theme : undefined,
      targetVersion: typeof p.targetVersion === 'string' && /^\d+\.\d+(\.\d+)?$/.test(p.targetVersion) ? p.targetVersion : undefined,
    };
  } catch {
    return {};
  }
}

function savePrefs(s: Pick<UiState, 'theme' | 'targetVersion'>): void {
  try {
    globalThis.localStorage?.setItem(PREFS_KEY, JSON.stringify({ theme: s.theme, targetVersion: s.targetVersion }));
  } catch {
    // storage full or disabled: preferences are not essential
  }
}

const prefs = loadPrefs();
const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

export const useUi = create<UiState>()((set, get) => ({
  selectedId: null,
  theme: prefs.theme ?? (prefersDark ? 'dark' : 'light'),
  bottomTab: 'diagnostics',
  bottomOpen: true,
  dialog: null,
  targetVersion: prefs.targetVersion ?? DEFAULT_TARGET_VERSION,
  notice: null,
  select: (id) => set({ selectedId: id }),
  setTheme: (theme) => {
    set({ theme });
    savePrefs(get());
  },
  setBottomTab: (bottomTab) => set({ bottomTab, bottomOpen: true }),
  toggleBottom: () => set((s) => ({ bottomOpen: !s.bottomOpen })),
  openDialog: (dialog) => set({ dialog }),
  setTargetVersion: (targetVersion) => {
    set({ targetVersion });
    savePrefs(get());
  },
  notify: (notice) => set({ notice }),
}));
