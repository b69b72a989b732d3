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
import { withDefaultPreamble, type Ruleset } from '../../src/model/types.ts';
import { countRules } from '../../src/model/find.ts';
import { clearHistory, useDesign } from './design.ts';
import type { DesignMeta, Recovery, SaveResult } from './persist.ts';
import { blankDesign, newDesignId } from './blank.ts';
import { SHARE_PREFIX } from './shareLink.ts';
import type { NotableCommand, ShareResult } from './share.ts';
import { legacyTargetVersion, useUi } from './ui.ts';

/** A decoded share link that waits for the person's confirmation. */
export interface PendingShare {
  name: string;
  ruleset: Ruleset;
  notable: NotableCommand[];
}

/** Why the last save failed: `quota` when the browser has no room left (the previous save is kept). */
export interface SaveProblem {
  quota: boolean;
  /** the browser's own words, for the details */
  detail: string;
}

export interface SessionState {
  /** the saved design is open (until then nothing is saved, and the workspace waits) */
  ready: boolean;
  id: string;
  name: string;
  designs: DesignMeta[];
  recoveries: Recovery[];
  saveError: SaveProblem | null;
  pendingShare: PendingShare | null;
  rename: (name: string) => void;
  dismissRecovery: (key: string) => void;
}

type Persist = typeof import('./persist.ts');
let persistModule: Persist | null = null;
let persistLoading: Promise<Persist> | null = null;
/**
 * Storage (IndexedDB, compression, validation of what is read back) loads after
 * first paint: start-up asks for it at once and opens nothing before it is here,
 * so once `ready` is true it is loaded and saving on leaving the page stays
 * synchronous.
 */
export function loadPersist(): Promise<Persist> {
  persistLoading ??= import('./persist.ts').then((m) => (persistModule = m));
  return persistLoading;
}
/** storage, loaded (callers run only after start-up, which waited for it) */
function persist(): Persist {
  if (!persistModule) throw new Error('storage is not loaded yet (start-up has not finished)');
  return persistModule;
}

export const useSession = create<SessionState>()((set) => ({
  ready: false,
  id: newDesignId(),
  name: 'Untitled design',
  designs: [],
  recoveries: [],
  saveError: null,
  pendingShare: null,
  rename: (name) => set({ name: name.slice(0, 120) }),
  dismissRecovery: (key) => set((s) => ({ recoveries: s.recoveries.filter((r) => r.key !== key) })),
}));

/*
 * Saving is asynchronous (compress, then one IndexedDB transaction). The rules
 * that keep it in order:
 * - every save takes a snapshot (id, name, ruleset — immutable) and a
 *   generation number when it is asked for, and saves run one after another
 *   (`queue`), as do deletions and the other writes;
 * - a queued save is skipped when a newer one of the same design is queued
 *   behind it, and its write is skipped when a newer one was already handed to
 *   IndexedDB (the flush on closing the tab overtakes the queue) or the design
 *   was deleted meanwhile.
 */
interface Snapshot {
  id: string;
  name: string;
  ruleset: Ruleset;
  gen: number;
}
let gen = 0;
let queue: Promise<unknown> = Promise.resolve();
/** per design: the newest generation queued, and the newest handed to IndexedDB */
const queued = new Map<string, number>();
const written = new Map<string, number>();
const deleted = new Set<string>();
type Content = Omit<Snapshot, 'gen'>;
/** the open design as last queued for saving: an autosave of the same content is not needed */
let stored: Content | null = null;
/** …and as last handed to IndexedDB: leaving the page must write anything newer (a save still compressing would be lost with the page) */
let handed: Content | null = null;

function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const p = queue.then(job);
  queue = p.catch(() => undefined);
  return p;
}

function snapshot(): Snapshot {
  const { id, name } = useSession.getState();
  return { id, name, ruleset: useDesign.getState().ruleset, gen: ++gen };
}

/** The open design is `c` (and the last save did not fail). */
function isOpen(c: Content | null): boolean {
  const { id, name, saveError } = useSession.getState();
  return c !== null && c.id === id && c.name === name && c.ruleset === useDesign.getState().ruleset && saveError === null;
}

const contentOf = (snap: Snapshot): Content => ({ id: snap.id, name: snap.name, ruleset: snap.ruleset });

/** The write of `snap` goes ahead (and counts as handed to IndexedDB) unless something newer already went. */
function mayWrite(snap: Snapshot): () => boolean {
  return () => {
    if (deleted.has(snap.id) || (written.get(snap.id) ?? 0) > snap.gen) return false;
    written.set(snap.id, snap.gen);
    handed = contentOf(snap);
    return true;
  };
}

function report(snap: Snapshot, r: SaveResult): void {
  if (r.ok) {
    if (r.designs) useSession.setState({ designs: r.designs });
    if ((written.get(snap.id) ?? 0) <= snap.gen) useSession.setState({ saveError: null });
    return;
  }
  // not saved: the next change, or the flush on leaving, tries again
  const same = (c: Content | null): boolean => c?.id === snap.id && c.ruleset === snap.ruleset && c.name === snap.name;
  if (same(stored)) stored = null;
  if (same(handed)) handed = null;
  useSession.setState({ saveError: { quota: r.quota, detail: r.error } });
}

/**
 * Save the open design (in the background; the promise settles once it is
 * written, or skipped because it is unchanged or newer content overtook it).
 * Before start-up has opened the saved design, nothing is saved: the blank
 * placeholder must never overwrite it.
 */
export function saveNow(): Promise<void> {
  if (!useSession.getState().ready) return Promise.resolve();
  if (isOpen(stored)) return queue.then(() => undefined);
  const snap = snapshot();
  stored = contentOf(snap);
  queued.set(snap.id, snap.gen);
  return enqueue(async () => {
    if (queued.get(snap.id) !== snap.gen || deleted.has(snap.id)) return; // a newer save of it is queued behind this one
    report(snap, await persist().saveDesign(snap.id, snap.name, snap.ruleset, { beforeWrite: mayWrite(snap) }));
  });
}

/**
 * The tab is being hidden or closed: write the open design now, on this
 * thread, unless IndexedDB has already been handed exactly this content (a
 * save still queued or compressing is not enough: it may not get another
 * turn). Overtakes the queue; the older save that may follow is skipped.
 */
export function flushNow(): Promise<void> {
  if (!useSession.getState().ready || isOpen(handed)) return Promise.resolve();
  const snap = snapshot();
  stored = contentOf(snap);
  queued.set(snap.id, snap.gen);
  return persist().saveDesignNow(snap.id, snap.name, snap.ruleset, useSession.getState().designs, { beforeWrite: mayWrite(snap) }).then((r) => report(snap, r));
}

/** Every save and deletion asked for so far has finished. */
export function settled(): Promise<void> {
  return queue.then(() => undefined);
}

function open(id: string, name: string, ruleset: Ruleset, isStored: boolean): void {
  useSession.setState({ id, name });
  // saved before designs kept their own target: the one the app then had for all
  const legacy = isStored && ruleset.target === undefined ? legacyTargetVersion() : undefined;
  useDesign.getState().replace(legacy ? { ...ruleset, target: legacy } : ruleset, { untracked: true });
  clearHistory();
  useUi.getState().select(ruleset.tables[0]?.id ?? null);
  // a design just read from storage is not written back until it changes
  stored = isStored ? { id, name, ruleset: useDesign.getState().ruleset } : null;
  handed = stored;
}

/**
 * Start-up: the last design opens once it is read from IndexedDB (until then
 * `ready` is false: the workspace waits and nothing is saved); a share link in
 * the URL is decoded (its code loads on demand) and opened as a new design.
 */
export async function startSession(): Promise<void> {
  useSession.setState({ ready: false });
  const hash = globalThis.location?.hash ?? '';
  // the link leaves the address bar at once (it is not to be bookmarked or shared again by accident)
  if (hash.startsWith(SHARE_PREFIX)) history.replaceState(null, '', location.pathname + location.search);
  const loaded = await (await loadPersist()).loadAll();
  useSession.setState({ designs: loaded.designs, recoveries: loaded.recoveries });
  const d = loaded.current ?? blankDesign();
  open(d.id, d.name, d.ruleset, loaded.current !== null);
  useSession.setState({ ready: true });
  if (loaded.error) useSession.setState({ saveError: { quota: false, detail: loaded.error } });
  if (loaded.recoveries.length) {
    useUi.getState().notify({ severity: 'warning', text: 'A saved design could not be read; its content is kept for download (see the notice).' });
  }
  if (hash.startsWith(SHARE_PREFIX)) {
    await import('./share.ts')
      .then(({ decodeShare }) => receiveShare(decodeShare(hash)))
      .catch((e: unknown) => useUi.getState().notify({ severity: 'error', text: `Could not open the share link: ${String(e)}` }));
  }
}

function openShared(name: string, ruleset: Ruleset): void {
  void saveNow();
  open(newDesignId(), name, ruleset, false);
  void saveNow();
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

let timer: ReturnType<typeof setTimeout> | undefined;
/** Quiet time after the last change before an autosave. */
export const AUTOSAVE_MS = 800;
/** Up to this many rules, writing at once (on the main thread) takes well under 100 ms. */
export const FLUSH_AT_ONCE_RULES = 5000;

/**
 * Autosave after every change of the document or its name: debounced, and run
 * when the browser is idle (the JSON of a big design is written in slices, but
 * still must not start between a keystroke and its preview). When the tab is
 * hidden or closed the pending change is written at once (`flushNow`).
 */
export function startAutosave(delayMs = AUTOSAVE_MS): () => void {
  const idle = (fn: () => void): void => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2000 });
    else fn();
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => idle(() => void saveNow()), delayMs);
  };
  const a = useDesign.subscribe((s, p) => {
    if (s.ruleset !== p.ruleset) schedule();
  });
  const b = useSession.subscribe((s, p) => {
    if (s.name !== p.name) schedule();
  });
  const flush = (): void => {
    clearTimeout(timer);
    void flushNow();
  };
  // Hidden is where a mobile browser may stop sending events, and it comes just before pagehide when a tab
  // closes. Writing at once holds the page ~0.6 s for 50,000 rules — felt when one only switches tabs — so
  // a big design is saved in the background here; should the tab be closing, pagehide then writes it at once.
  const onVisibility = (): void => {
    if (document.visibilityState !== 'hidden') return;
    if (countRules(useDesign.getState().ruleset) <= FLUSH_AT_ONCE_RULES) flush();
    else {
      clearTimeout(timer);
      void saveNow();
    }
  };
  globalThis.addEventListener?.('pagehide', flush);
  globalThis.document?.addEventListener('visibilitychange', onVisibility);
  return () => {
    a();
    b();
    clearTimeout(timer);
    globalThis.removeEventListener?.('pagehide', flush);
    globalThis.document?.removeEventListener('visibilitychange', onVisibility);
  };
}

export function newDesign(name = 'Untitled design', ruleset?: Ruleset): void {
  void saveNow();
  const d = blankDesign();
  open(d.id, name, ruleset ? withDefaultPreamble(ruleset) : d.ruleset, false);
  void saveNow();
}

export async function switchDesign(id: string): Promise<boolean> {
  void saveNow();
  return openStored(id);
}

/** Open a stored design (without saving the one open now). */
async function openStored(id: string): Promise<boolean> {
  const recoveries: Recovery[] = [];
  const d = await loadPersist()
    .then((p) => p.readDesign(id, recoveries))
    .catch(() => null);
  if (!d) {
    useSession.setState((s) => ({ recoveries: [...s.recoveries, ...recoveries] }));
    useUi.getState().notify({ severity: 'error', text: 'That design could not be read; its content is kept for download.' });
    return false;
  }
  open(id, d.name, d.ruleset, true);
  const designs = await enqueue(() => persist().markOpen(id)).catch(() => null);
  if (designs) useSession.setState({ designs });
  return true;
}

/**
 * Delete a design. Deleting the open one opens the next readable one (or a
 * blank design) without saving the deleted one again: a save of it that is
 * queued or under way is dropped, and the deletion waits for a write already
 * handed to IndexedDB.
 */
export async function removeDesign(id: string): Promise<void> {
  deleted.add(id);
  if (useSession.getState().id === id) clearTimeout(timer);
  const { deleteDesign, listDesigns } = await loadPersist();
  const designs = await enqueue(() => deleteDesign(id)).catch(() => listDesigns().catch(() => useSession.getState().designs.filter((d) => d.id !== id)));
  useSession.setState({ designs });
  if (useSession.getState().id !== id) {
    // room was made: the open design's changes that could not be saved are tried again now, not at the next edit
    if (useSession.getState().saveError) void saveNow();
    return;
  }
  for (const next of designs) if (await openStored(next.id)) return;
  const d = blankDesign();
  open(d.id, d.name, d.ruleset, false);
}

/**
 * Delete every saved design in this browser ("Reset for the next class") and
 * open a blank design in place of the open one (not saved until it changes).
 * Saves of the deleted designs that are queued or under way are dropped; the
 * deletion waits behind writes already handed to IndexedDB. Resolves to the
 * number of designs deleted; rejects (and deletes nothing) when storage
 * refuses, with the open design left as it was.
 */
export async function removeAllDesigns(): Promise<number> {
  clearTimeout(timer);
  const p = await loadPersist();
  const doomed = [useSession.getState().id, ...useSession.getState().designs.map((d) => d.id)];
  for (const id of doomed) deleted.add(id);
  let n: number;
  try {
    n = await enqueue(() => p.deleteAllDesigns());
  } catch (e) {
    for (const id of doomed) deleted.delete(id);
    throw e;
  }
  useSession.setState({ designs: [], recoveries: [], saveError: null });
  const d = blankDesign();
  // as if already stored: nothing is written (not even on leaving the page) until it changes
  open(d.id, d.name, d.ruleset, true);
  return n;
}
