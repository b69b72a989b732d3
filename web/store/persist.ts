/**
 * Autosave in the browser: several named designs, each under its own key, and an
 * index, in IndexedDB (localStorage holds ~5 MB, and a 20,000-rule design is
 * 7 MB of JSON). Each design is stored deflated (codec.ts), with its name and
 * time beside it so the list can be rebuilt without inflating anything.
 *
 * What comes back from storage is untrusted: it is validated (and older shapes
 * migrated); a save that cannot be read is never dropped silently — it is
 * reported with its raw content for download, and kept under a `recovered` key.
 * Designs saved in localStorage by earlier versions are moved into IndexedDB at
 * start-up, and removed from localStorage only once they read back intact.
 *
 * Every write of a design and of the index is one transaction: it is committed
 * whole or not at all, so a failed save (the quota is used up) leaves the
 * previous save as it was.
 */
import { createStore, promisifyRequest as req, type UseStore } from 'idb-keyval';
import { strToU8, zlibSync } from 'fflate';
import { validateRuleset } from '../../src/model/validate.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { inflateText, toBase64 } from './codec.ts';
import { compressJson, compressJsonNow, measure } from './compress.ts';

import { DB_NAME, DESIGN_PREFIX, INDEX_KEY, RECOVERED_PREFIX, STORE_NAME } from './keys.ts';
import { blankDesign, newDesignId } from './blank.ts';

export { blankDesign, DESIGN_PREFIX, INDEX_KEY, newDesignId, RECOVERED_PREFIX };
const FORMAT = 1;
/** The stored record's own format (the JSON inside it is a SavedDesign of FORMAT). */
const RECORD_FORMAT = 2;

export interface DesignMeta {
  id: string;
  name: string;
  updatedAt: number;
}

/** The JSON of a design (what localStorage held, and what is deflated into a StoredDesign). */
export interface SavedDesign {
  format: typeof FORMAT;
  name: string;
  ruleset: Ruleset;
  savedAt: number;
}

/** A design in IndexedDB. */
export interface StoredDesign {
  format: typeof RECORD_FORMAT;
  name: string;
  savedAt: number;
  /** the SavedDesign JSON, zlib-deflated */
  deflated: Uint8Array;
}

export interface Recovery {
  key: string;
  raw: string;
  errors: string[];
}

export interface LoadResult {
  current: { id: string; name: string; ruleset: Ruleset } | null;
  designs: DesignMeta[];
  recoveries: Recovery[];
  /** storage could not be opened at all (nothing will be saved) */
  error?: string;
}

export type SaveResult = { ok: true; designs: DesignMeta[] | null } | { ok: false; quota: boolean; error: string };

interface Index {
  format: number;
  current: string | null;
  designs: DesignMeta[];
}

const ID_RE = /^[A-Za-z0-9_-]{1,40}$/;

let kv: UseStore | undefined;
/** The open connection, once there is one: the save on closing the tab starts its transaction synchronously with it. */
let openDb: IDBDatabase | null = null;
/** The IndexedDB store (idb-keyval), or null where the browser has no IndexedDB. */
export function designStore(): UseStore | null {
  if (typeof indexedDB === 'undefined') return null;
  return (kv ??= createStore(DB_NAME, STORE_NAME));
}

class StorageUnavailable extends Error {
  constructor() {
    super('this browser does not allow saving (its storage is disabled)');
  }
}

function localStore(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}


export function errorText(e: unknown): string {
  if (e instanceof Error || e instanceof DOMException) return e.message ? `${e.name}: ${e.message}` : e.name;
  return String(e);
}

/** The browser has no room left for this origin (the names differ between engines). */
export function isQuotaError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

function txDone(t: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    t.addEventListener('complete', () => resolve());
    t.addEventListener('abort', () => reject(t.error ?? new DOMException('the transaction was aborted', 'AbortError')));
  });
}

/**
 * One transaction: resolves once it is committed; when `fn` fails, nothing of
 * it is kept (the transaction is aborted). `fn` may await only IndexedDB
 * requests (anything else lets the transaction commit early).
 */
function inTx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T> | T): Promise<T> {
  const kvStore = designStore();
  if (!kvStore) return Promise.reject(new StorageUnavailable());
  return kvStore(mode, async (s) => {
    remember(s.transaction.db);
    return runIn(s, fn);
  });
}

function remember(db: IDBDatabase): void {
  if (openDb === db) return;
  openDb = db;
  db.addEventListener('close', () => {
    if (openDb === db) openDb = null;
  });
}

async function runIn<T>(s: IDBObjectStore, fn: (s: IDBObjectStore) => Promise<T> | T): Promise<T> {
  {
    const done = txDone(s.transaction);
    done.catch(() => undefined); // awaited below, or superseded by fn's own error
    try {
      const r = await fn(s);
      await done;
      return r;
    } catch (e) {
      try {
        s.transaction.abort();
      } catch {
        // already finished
      }
      // when the browser aborted it (no room left, say), its reason is the transaction's error, not a request's AbortError
      throw s.transaction.error ?? e;
    }
  }
}

function isMeta(d: unknown): d is DesignMeta {
  if (!d || typeof d !== 'object') return false;
  const m = d as Partial<DesignMeta>;
  return typeof m.id === 'string' && ID_RE.test(m.id) && typeof m.name === 'string' && typeof m.updatedAt === 'number';
}

function isStored(v: unknown): v is StoredDesign {
  if (!v || typeof v !== 'object') return false;
  const r = v as Partial<StoredDesign>;
  return r.format === RECORD_FORMAT && typeof r.name === 'string' && typeof r.savedAt === 'number' && isBytes(r.deflated);
}

/** A Uint8Array, also one made in another realm (what IndexedDB hands back need not pass `instanceof` everywhere). */
function isBytes(v: unknown): v is Uint8Array {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]';
}

/** Text of a stored value for the recovery download. */
function rawText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The index as stored (an object; the JSON text of the localStorage days), or why it cannot be used. */
function parseIndex(stored: unknown): { ok: true; index: Index; dropped: number } | { ok: false; error: string } {
  let v = stored;
  if (typeof stored === 'string') {
    try {
      v = JSON.parse(stored);
    } catch (e) {
      return { ok: false, error: `the list of designs is not valid JSON (${String(e)})` };
    }
  }
  if (!v || typeof v !== 'object' || !Array.isArray((v as Partial<Index>).designs)) return { ok: false, error: 'the list of designs has an unknown shape' };
  const o = v as { current?: unknown; designs: unknown[] };
  const designs = o.designs.filter(isMeta);
  return { ok: true, index: { format: FORMAT, current: typeof o.current === 'string' ? o.current : null, designs }, dropped: o.designs.length - designs.length };
}

/** Name and time of a design's JSON, read cheaply (it is fully validated when opened). */
function metaOfText(raw: string): { name: string; savedAt: number } {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    return { name: typeof v?.name === 'string' ? v.name.slice(0, 200) : 'Recovered design', savedAt: typeof v?.savedAt === 'number' ? v.savedAt : 0 };
  } catch {
    return { name: 'Recovered design', savedAt: 0 };
  }
}

function metaOf(id: string, v: unknown): DesignMeta {
  return isStored(v) ? { id, name: v.name.slice(0, 200), updatedAt: v.savedAt } : { id, name: 'Recovered design', updatedAt: 0 };
}

function designIds(keys: IDBValidKey[]): string[] {
  return keys.flatMap((k) => (typeof k === 'string' && k.startsWith(DESIGN_PREFIX) && ID_RE.test(k.slice(DESIGN_PREFIX.length)) ? [k.slice(DESIGN_PREFIX.length)] : []));
}

/**
 * The index of designs, in a read-write transaction. When it is unreadable (or
 * lists designs that are missing, or misses designs that are stored), it is
 * rebuilt from the `nftd.design.*` keys and written back — so the next save
 * does not overwrite it with just the open design and orphan the others. An
 * unreadable index is kept under a `recovered` key and reported. `writing` is
 * a design this transaction is writing (not yet in the index: not a stray).
 */
async function indexIn(s: IDBObjectStore, recoveries: Recovery[], writing?: string): Promise<Index> {
  const [keys, stored] = await Promise.all([req(s.getAllKeys()), req(s.get(INDEX_KEY))]);
  const ids = designIds(keys).filter((id) => id !== writing);
  const empty: Index = { format: FORMAT, current: null, designs: [] };
  const parsed = stored === undefined ? { ok: true as const, index: empty, dropped: 0 } : parseIndex(stored);
  if (parsed.ok && parsed.dropped === 0 && parsed.index.designs.length === ids.length && parsed.index.designs.every((d) => ids.includes(d.id))) return parsed.index;
  const present = new Set(ids);
  const known = parsed.ok ? parsed.index.designs : [];
  // entries of the old index that still have their design keep their place, the others follow, newest first
  const designs = known.filter((d, i) => present.has(d.id) && known.findIndex((x) => x.id === d.id) === i);
  const seen = new Set(designs.map((d) => d.id));
  const missing = ids.filter((id) => !seen.has(id));
  const found = await Promise.all(missing.map(async (id) => metaOf(id, await req(s.get(DESIGN_PREFIX + id)))));
  found.sort((a, b) => b.updatedAt - a.updatedAt);
  designs.push(...found);
  const current = parsed.ok && parsed.index.current && present.has(parsed.index.current) ? parsed.index.current : (designs[0]?.id ?? null);
  const rebuilt: Index = { format: FORMAT, current, designs };
  if (!parsed.ok) {
    const raw = rawText(stored);
    s.put(raw, `${RECOVERED_PREFIX}index.${Date.now()}`);
    const n = designs.length;
    recoveries.push({ key: INDEX_KEY, raw, errors: [parsed.error, `the list was rebuilt from the ${n} design${n === 1 ? '' : 's'} found in this browser`] });
  }
  s.put(rebuilt, INDEX_KEY);
  return rebuilt;
}

/** A design's JSON as saved (format 1, or the bare ruleset of early drafts). */
function parseSavedText(raw: string): { ok: true; design: SavedDesign } | { ok: false; errors: string[] } {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    // format 0 (early drafts) stored the bare ruleset
    const rs = 'ruleset' in v ? v.ruleset : v;
    const name = typeof v.name === 'string' ? v.name.slice(0, 200) : 'Recovered design';
    const r = validateRuleset(rs);
    if (r.ok) return { ok: true, design: { format: FORMAT, name, ruleset: r.ruleset, savedAt: typeof v.savedAt === 'number' ? v.savedAt : Date.now() } };
    return { ok: false, errors: r.errors };
  } catch (e) {
    return { ok: false, errors: [`not valid JSON (${String(e)})`] };
  }
}

function decodeStored(v: unknown): { ok: true; design: SavedDesign } | { ok: false; raw: string; errors: string[] } {
  if (!isStored(v)) return { ok: false, raw: rawText(v), errors: ['the saved record has an unknown shape'] };
  let text: string;
  try {
    text = inflateText(v.deflated);
  } catch (e) {
    return { ok: false, raw: toBase64(v.deflated), errors: [`the saved data cannot be decompressed (${String(e)}); the download holds its bytes in base64`] };
  }
  const r = parseSavedText(text);
  return r.ok ? r : { ok: false, raw: text, errors: r.errors };
}

/** Keep an unreadable save aside (once per design: it also stays where it is, and is reported at every start). */
async function keepAside(id: string, raw: string): Promise<void> {
  try {
    await inTx('readwrite', async (s) => {
      const keys = await req(s.getAllKeys());
      if (keys.some((k) => typeof k === 'string' && k.startsWith(`${RECOVERED_PREFIX}${id}.`))) return;
      s.put(raw, `${RECOVERED_PREFIX}${id}.${Date.now()}`);
    });
  } catch {
    // storage full: the recovery notice still offers the raw content for download
  }
}

/** Read one saved design; problems go to `recoveries` (and the raw content is kept aside). */
export async function readDesign(id: string, recoveries: Recovery[]): Promise<SavedDesign | null> {
  const key = DESIGN_PREFIX + id;
  const v = await inTx('readonly', (s) => req(s.get(key)));
  if (v === undefined) return null;
  const r = decodeStored(v);
  if (r.ok) return r.design;
  await keepAside(id, r.raw);
  recoveries.push({ key, raw: r.raw, errors: r.errors });
  return null;
}

/** Where one localStorage entry went, and how to tell that it arrived intact. */
interface Move {
  from: string;
  to: string;
  arrived: (v: unknown) => boolean;
}

function sameText(raw: string): (v: unknown) => boolean {
  return (v) => {
    if (typeof v === 'string') return v === raw;
    try {
      return isStored(v) && inflateText(v.deflated) === raw;
    } catch {
      return false;
    }
  };
}

/**
 * Move what earlier versions saved in localStorage (`nftd.designs`,
 * `nftd.design.*`, `nftd.recovered.*`) into IndexedDB, in one transaction, then
 * read it back and remove from localStorage only what arrived intact. A design
 * already in IndexedDB is replaced only by a newer localStorage copy; an older,
 * different copy is kept aside and reported rather than dropped.
 */
async function migrateLocalStorage(recoveries: Recovery[]): Promise<void> {
  const st = localStore();
  if (!st) return;
  const legacy: [string, string][] = [];
  for (let i = 0; i < st.length; i++) {
    const k = st.key(i);
    const v = k === null ? null : st.getItem(k);
    if (k !== null && v !== null && (k === INDEX_KEY || k.startsWith(DESIGN_PREFIX) || k.startsWith(RECOVERED_PREFIX))) legacy.push([k, v]);
  }
  if (!legacy.length) return;
  const designs = legacy.flatMap(([key, raw]) => {
    const id = key.startsWith(DESIGN_PREFIX) ? key.slice(DESIGN_PREFIX.length) : '';
    if (!ID_RE.test(id)) return [];
    // the JSON text as it was, deflated: a design that does not read is kept byte for byte (and reported when opened)
    const record: StoredDesign = { format: RECORD_FORMAT, ...metaOfText(raw), deflated: zlibSync(strToU8(raw)) };
    return [{ id, key, raw, record }];
  });
  const recovered = legacy.filter(([k]) => k.startsWith(RECOVERED_PREFIX));
  const indexRaw = st.getItem(INDEX_KEY);
  const moves: Move[] = [];
  const notes: Recovery[] = [];
  try {
    await inTx('readwrite', async (s) => {
      const [have, storedIndex] = await Promise.all([Promise.all(designs.map((d) => req(s.get(d.key)))), req(s.get(INDEX_KEY))]);
      designs.forEach((d, i) => {
        const old = have[i];
        if (old !== undefined && sameText(d.raw)(old)) {
          // moved already (an earlier start stopped before removing the old copy)
        } else if (isStored(old) && old.savedAt >= d.record.savedAt) {
          const aside = `${RECOVERED_PREFIX}${d.id}.${Date.now()}`;
          s.put(d.raw, aside);
          moves.push({ from: d.key, to: aside, arrived: sameText(d.raw) });
          notes.push({ key: d.key, raw: d.raw, errors: ['an older copy of this design, different from the one saved, was found in localStorage; it is kept for download'] });
          return;
        } else s.put(d.record, d.key);
        moves.push({ from: d.key, to: d.key, arrived: sameText(d.raw) });
      });
      for (const [key, raw] of recovered) {
        s.put(raw, key);
        moves.push({ from: key, to: key, arrived: sameText(raw) });
      }
      if (indexRaw !== null) {
        const parsed = parseIndex(indexRaw);
        if (parsed.ok) {
          // both lists, IndexedDB's entries first (indexIn drops duplicates and strays later)
          const mine = storedIndex === undefined ? null : parseIndex(storedIndex);
          const index: Index = mine?.ok ? { format: FORMAT, current: mine.index.current ?? parsed.index.current, designs: [...mine.index.designs, ...parsed.index.designs] } : parsed.index;
          s.put(index, INDEX_KEY);
          moves.push({ from: INDEX_KEY, to: INDEX_KEY, arrived: (v) => v !== undefined });
        } else {
          const aside = `${RECOVERED_PREFIX}index.${Date.now()}`;
          s.put(indexRaw, aside);
          moves.push({ from: INDEX_KEY, to: aside, arrived: sameText(indexRaw) });
          notes.push({ key: INDEX_KEY, raw: indexRaw, errors: [parsed.error, 'the list was rebuilt from the designs found in this browser'] });
        }
      }
    });
  } catch (e) {
    // one transaction: nothing moved; all of it stays in localStorage and is moved on a later start
    for (const d of designs) recoveries.push({ key: d.key, raw: d.raw, errors: [`it could not be moved into this browser's database (${errorText(e)}); it stays where it was`] });
    return;
  }
  recoveries.push(...notes);
  const back = await inTx('readonly', (s) => Promise.all(moves.map((m) => req(s.get(m.to)))));
  const left = new Set(designs.map((d) => d.key));
  moves.forEach((m, i) => {
    if (m.from === INDEX_KEY || !m.arrived(back[i])) return;
    st.removeItem(m.from);
    left.delete(m.from);
  });
  // the old list goes last, once none of its designs is left behind in localStorage
  const indexMove = moves.findIndex((m) => m.from === INDEX_KEY);
  if (indexMove >= 0 && left.size === 0 && moves[indexMove].arrived(back[indexMove])) st.removeItem(INDEX_KEY);
}

export async function loadAll(): Promise<LoadResult> {
  const recoveries: Recovery[] = [];
  try {
    await migrateLocalStorage(recoveries);
    const index = await inTx('readwrite', (s) => indexIn(s, recoveries));
    let current: LoadResult['current'] = null;
    const order = index.current ? [index.current, ...index.designs.map((d) => d.id).filter((x) => x !== index.current)] : index.designs.map((d) => d.id);
    const bad = new Set<string>();
    for (const id of order) {
      const d = await readDesign(id, recoveries);
      if (d) {
        current = { id, name: d.name, ruleset: d.ruleset };
        break;
      }
      bad.add(id);
    }
    return { current, designs: index.designs.filter((d) => !bad.has(d.id)), recoveries };
  } catch (e) {
    return { current: null, designs: [], recoveries, error: errorText(e) };
  }
}

function saveFailed(e: unknown): SaveResult {
  return { ok: false, quota: isQuotaError(e), error: e instanceof StorageUnavailable ? e.message : errorText(e) };
}

/**
 * Save a design and put it first in the list. `beforeWrite` is asked once the
 * design is compressed, right before the transaction starts: returning false
 * skips the write (a newer save of it was written meanwhile, or it was deleted).
 */
export async function saveDesign(id: string, name: string, ruleset: Ruleset, opts: { beforeWrite?: () => boolean } = {}): Promise<SaveResult> {
  const savedAt = Date.now();
  let deflated: Uint8Array;
  try {
    deflated = await compressJson({ format: FORMAT, name, ruleset, savedAt } satisfies SavedDesign);
  } catch (e) {
    return { ok: false, quota: false, error: `the design could not be compressed (${errorText(e)})` };
  }
  if (opts.beforeWrite && !opts.beforeWrite()) return { ok: true, designs: null };
  const t0 = performance.now();
  try {
    const designs = await inTx('readwrite', async (s) => {
      // the design first: should this page go away meanwhile, the next start finds it (and lists it)
      s.put({ format: RECORD_FORMAT, name, savedAt, deflated } satisfies StoredDesign, DESIGN_PREFIX + id);
      const index = await indexIn(s, [], id);
      const designs = [{ id, name, updatedAt: savedAt }, ...index.designs.filter((d) => d.id !== id)];
      s.put({ format: FORMAT, current: id, designs } satisfies Index, INDEX_KEY);
      return designs;
    });
    measure('nftd.save.write', t0);
    return { ok: true, designs };
  } catch (e) {
    return saveFailed(e);
  }
}

/**
 * Save at once, when the tab is being hidden or closed: compressed on this
 * thread, both writes issued and the transaction committed before the event
 * handler's turn ends (nothing waits for a read). The list is the one this
 * tab knows (`known`), with this design first.
 */
export function saveDesignNow(id: string, name: string, ruleset: Ruleset, known: DesignMeta[], opts: { beforeWrite?: () => boolean } = {}): Promise<SaveResult> {
  if (!designStore()) return Promise.resolve(saveFailed(new StorageUnavailable()));
  const savedAt = Date.now();
  let deflated: Uint8Array;
  try {
    deflated = compressJsonNow({ format: FORMAT, name, ruleset, savedAt } satisfies SavedDesign);
  } catch (e) {
    return Promise.resolve({ ok: false, quota: false, error: `the design could not be compressed (${errorText(e)})` });
  }
  if (opts.beforeWrite && !opts.beforeWrite()) return Promise.resolve({ ok: true, designs: null });
  const designs = [{ id, name, updatedAt: savedAt }, ...known.filter((d) => d.id !== id)];
  const write = (s: IDBObjectStore): DesignMeta[] => {
    s.put({ format: RECORD_FORMAT, name, savedAt, deflated } satisfies StoredDesign, DESIGN_PREFIX + id);
    s.put({ format: FORMAT, current: id, designs } satisfies Index, INDEX_KEY);
    s.transaction.commit?.();
    return designs;
  };
  let started: Promise<DesignMeta[]> | null = null;
  if (openDb) {
    try {
      started = runIn(openDb.transaction(STORE_NAME, 'readwrite').objectStore(STORE_NAME), write);
    } catch {
      // the connection is closing: open it again below
    }
  }
  return (started ?? inTx('readwrite', write)).then(
    (d): SaveResult => ({ ok: true, designs: d }),
    (e: unknown) => saveFailed(e),
  );
}

export async function listDesigns(): Promise<DesignMeta[]> {
  return (await inTx('readwrite', (s) => indexIn(s, []))).designs;
}

/** The design opened last is first in the list and opens at the next start (its content is not rewritten). */
export async function markOpen(id: string): Promise<DesignMeta[]> {
  return inTx('readwrite', async (s) => {
    const index = await indexIn(s, []);
    const me = index.designs.find((d) => d.id === id);
    const designs = me ? [me, ...index.designs.filter((d) => d.id !== id)] : index.designs;
    s.put({ format: FORMAT, current: me ? id : index.current, designs } satisfies Index, INDEX_KEY);
    return designs;
  });
}

export async function deleteDesign(id: string): Promise<DesignMeta[]> {
  return inTx('readwrite', async (s) => {
    const index = await indexIn(s, []);
    const designs = index.designs.filter((d) => d.id !== id);
    s.delete(DESIGN_PREFIX + id);
    s.put({ format: FORMAT, current: index.current === id ? null : index.current, designs } satisfies Index, INDEX_KEY);
    return designs;
  });
}


/**
 * Delete every saved design in this browser, and what was kept aside of
 * unreadable ones (a class's browser handed to the next class): one
 * transaction, so either all of it goes or nothing does. Left-overs of the
 * localStorage days go too. Returns how many designs were deleted.
 */
export async function deleteAllDesigns(): Promise<number> {
  const n = await inTx('readwrite', async (s) => {
    const keys = await req(s.getAllKeys());
    const ids = designIds(keys);
    for (const k of keys) if (typeof k === 'string' && (k.startsWith(DESIGN_PREFIX) || k.startsWith(RECOVERED_PREFIX))) s.delete(k);
    s.put({ format: FORMAT, current: null, designs: [] } satisfies Index, INDEX_KEY);
    return ids.length;
  });
  const st = localStore();
  if (st) {
    const old: string[] = [];
    for (let i = 0; i < st.length; i++) {
      const k = st.key(i);
      if (k !== null && (k === INDEX_KEY || k.startsWith(DESIGN_PREFIX) || k.startsWith(RECOVERED_PREFIX))) old.push(k);
    }
    for (const k of old) st.removeItem(k);
  }
  return n;
}
