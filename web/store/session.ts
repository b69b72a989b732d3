/**
 * The open design: its id and name in storage, autosave, switching between
 * designs, opening share links. Glue between the stores and persist.ts.
 *
 * A share link opens as a new design; when the shared design would run
 * anything on a host besides creating its tables (top-level commands,
 * includes, `flush ruleset`), it waits in `pendingShare` until the person has
 * seen those commands and chosen to open it.
 */
import { create } from 'zustand';
import type { Ruleset } from '../../src/model/types.ts';
import { clearHistory, useDesign } from './design.ts';
import { blankDesign, deleteDesign, listDesigns, loadAll, newDesignId, readDesign, saveDesign, type DesignMeta, type Recovery } from './persist.ts';
import { SHARE_PREFIX } from './shareLink.ts';
import type { NotableCommand, ShareResult } from './share.ts';
import { useUi } from './ui.ts';

/** A decoded share link that waits for the person's confirmation. */
export interface PendingShare {
  name: string;
  ruleset: Ruleset;
  notable: NotableCommand[];
}

export interface SessionState {
  id: string;
  name: string;
  designs: DesignMeta[];
  recoveries: Recovery[];
  saveError: string | null;
  pendingShare: PendingShare | null;
  rename: (name: string) => void;
  dismissRecovery: (key: string) => void;
}

export const useSession = create<SessionState>()((set) => ({
  id: newDesignId(),
  name: 'Untitled design',
  designs: [],
  recoveries: [],
  saveError: null,
  pendingShare: null,
  rename: (name) => set({ name: name.slice(0, 120) }),
  dismissRecovery: (key) => set((s) => ({ recoveries: s.recoveries.filter((r) => r.key !== key) })),
}));

function open(id: string, name: string, ruleset: Ruleset): void {
  useSession.setState({ id, name });
  useDesign.getState().replace(ruleset, { untracked: true });
  clearHistory();
  useUi.getState().select(ruleset.tables[0]?.id ?? null);
}

/**
 * Start-up: the last design opens at once; a share link in the URL is decoded
 * (its code loads on demand) and opened as a new design.
 */
export function startSession(): void {
  const loaded = loadAll();
  useSession.setState({ designs: loaded.designs, recoveries: loaded.recoveries });
  const hash = globalThis.location?.hash ?? '';
  if (hash.startsWith(SHARE_PREFIX)) {
    history.replaceState(null, '', location.pathname + location.search);
    void import('./share.ts')
      .then(({ decodeShare }) => receiveShare(decodeShare(hash)))
      .catch((e: unknown) => useUi.getState().notify({ severity: 'error', text: `Could not open the share link: ${String(e)}` }));
  }
  const d = loaded.current ?? blankDesign();
  open(d.id, d.name, d.ruleset);
  if (loaded.recoveries.length) {
    useUi.getState().notify({ severity: 'warning', text: 'A saved design could not be read; its content is kept for download (see the notice).' });
  }
}

function openShared(name: string, ruleset: Ruleset): void {
  saveNow();
  open(newDesignId(), name, ruleset);
  saveNow();
  useUi.getState().notify({ severity: 'success', text: `Opened the shared design "${name}" as a new design.` });
}

/**
 * A decoded share link: refused with its reason, opened as a new design, or —
 * when it holds commands beyond its tables — kept pending for confirmation
 * (nothing is replaced until then).
 */
export function receiveShare(r: ShareResult): void {
  if (!r.ok) {
    useUi.getState().notify({ severity: 'error', text: `Could not open the share link: ${r.error}` });
    return;
  }
  if (r.notable.length) {
    useSession.setState({ pendingShare: { name: r.name, ruleset: r.ruleset, notable: r.notable } });
    return;
  }
  openShared(r.name, r.ruleset);
}

/** The person's answer to the pending share link. */
export function resolvePendingShare(openIt: boolean): void {
  const p = useSession.getState().pendingShare;
  if (!p) return;
  useSession.setState({ pendingShare: null });
  if (openIt) openShared(p.name, p.ruleset);
  else useUi.getState().notify({ severity: 'info', text: `The shared design "${p.name}" was not opened.` });
}

export function saveNow(): void {
  const { id, name } = useSession.getState();
  const r = saveDesign(id, name, useDesign.getState().ruleset);
  useSession.setState({ saveError: r.ok ? null : r.error, designs: listDesigns() });
}

let timer: ReturnType<typeof setTimeout> | undefined;
/**
 * Autosave after every change of the document or its name: debounced, and run
 * when the browser is idle (serialising a big design takes tens of
 * milliseconds, which must not land between a keystroke and its preview).
 */
export function startAutosave(): () => void {
  const idle = (fn: () => void): void => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2000 });
    else fn();
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => idle(saveNow), 800);
  };
  const a = useDesign.subscribe((s, p) => {
    if (s.ruleset !== p.ruleset) schedule();
  });
  const b = useSession.subscribe((s, p) => {
    if (s.name !== p.name) schedule();
  });
  const flush = (): void => {
    clearTimeout(timer);
    saveNow();
  };
  globalThis.addEventListener?.('beforeunload', flush);
  return () => {
    a();
    b();
    globalThis.removeEventListener?.('beforeunload', flush);
  };
}

export function newDesign(name = 'Untitled design', ruleset?: Ruleset): void {
  saveNow();
  const d = blankDesign();
  open(d.id, name, ruleset ?? d.ruleset);
  saveNow();
}

export function switchDesign(id: string): boolean {
  saveNow();
  return openStored(id);
}

/** Open a stored design (without saving the one open now). */
function openStored(id: string): boolean {
  const recoveries: Recovery[] = [];
  const d = readDesign(id, recoveries);
  if (!d) {
    useSession.setState((s) => ({ recoveries: [...s.recoveries, ...recoveries] }));
    useUi.getState().notify({ severity: 'error', text: 'That design could not be read; its content is kept for download.' });
    return false;
  }
  open(id, d.name, d.ruleset);
  saveNow();
  return true;
}

/**
 * Delete a design. Deleting the open one opens the next readable one (or a
 * blank design) without saving the deleted one again.
 */
export function removeDesign(id: string): void {
  deleteDesign(id);
  useSession.setState({ designs: listDesigns() });
  if (useSession.getState().id !== id) return;
  for (const next of listDesigns()) if (openStored(next.id)) return;
  const d = blankDesign();
  open(d.id, d.name, d.ruleset);
  useSession.setState({ designs: listDesigns() });
}
