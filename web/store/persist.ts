/**
 * Autosave in the browser: several named designs, each under its own key, and an
 * index. What comes back from storage is untrusted: it is validated (and older
 * shapes migrated); a save that cannot be read is never dropped silently — it is
 * reported with its raw content for download, and kept under a `recovered` key.
 */
import { validateRuleset } from '../../src/model/validate.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { emptyRuleset } from '../../src/model/types.ts';

export const INDEX_KEY = 'nftd.designs';
export const DESIGN_PREFIX = 'nftd.design.';
export const RECOVERED_PREFIX = 'nftd.recovered.';
const FORMAT = 1;

export interface DesignMeta {
  id: string;
  name: string;
  updatedAt: number;
}

export interface SavedDesign {
  format: typeof FORMAT;
  name: string;
  ruleset: Ruleset;
  savedAt: number;
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
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function newDesignId(): string {
  return `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

interface Index {
  format: number;
  current: string | null;
  designs: DesignMeta[];
}

const ID_RE = /^[A-Za-z0-9_-]{1,40}$/;

function isMeta(d: unknown): d is DesignMeta {
  if (!d || typeof d !== 'object') return false;
  const m = d as Partial<DesignMeta>;
  return typeof m.id === 'string' && ID_RE.test(m.id) && typeof m.name === 'string' && typeof m.updatedAt === 'number';
}

/** The index as stored, or why it cannot be used. */
function parseIndex(raw: string): { ok: true; index: Index; dropped: number } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    return { ok: false, error: `the list of designs is not valid JSON (${String(e)})` };
  }
  if (!v || typeof v !== 'object' || !Array.isArray((v as Partial<Index>).designs)) return { ok: false, error: 'the list of designs has an unknown shape' };
  const o = v as { current?: unknown; designs: unknown[] };
  const designs = o.designs.filter(isMeta);
  return { ok: true, index: { format: FORMAT, current: typeof o.current === 'string' ? o.current : null, designs }, dropped: o.designs.length - designs.length };
}

/** The ids of every design stored in this browser (whatever the index says). */
function storedIds(st: Storage): string[] {
  const ids: string[] = [];
  for (let i = 0; i < st.length; i++) {
    const k = st.key(i);
    if (k?.startsWith(DESIGN_PREFIX)) {
      const id = k.slice(DESIGN_PREFIX.length);
      if (ID_RE.test(id)) ids.push(id);
    }
  }
  return ids;
}

/** Name and time of a stored design, read cheaply (it is fully validated when opened). */
function metaOf(st: Storage, id: string): DesignMeta {
  try {
    const v = JSON.parse(st.getItem(DESIGN_PREFIX + id) ?? '') as Record<string, unknown>;
    const name = typeof v?.name === 'string' ? v.name.slice(0, 200) : 'Recovered design';
    return { id, name, updatedAt: typeof v?.savedAt === 'number' ? v.savedAt : 0 };
  } catch {
    return { id, name: 'Recovered design', updatedAt: 0 };
  }
}

/**
 * The index rebuilt from the designs in storage: entries of `known` that still
 * have their design keep their place, the others follow, newest first.
 */
function rebuildIndex(st: Storage, known: DesignMeta[], current: string | null): Index {
  const ids = new Set(storedIds(st));
  const designs = known.filter((d, i) => ids.has(d.id) && known.findIndex((x) => x.id === d.id) === i);
  const seen = new Set(designs.map((d) => d.id));
  const found = [...ids].filter((id) => !seen.has(id)).map((id) => metaOf(st, id));
  found.sort((a, b) => b.updatedAt - a.updatedAt);
  designs.push(...found);
  return { format: FORMAT, current: current && ids.has(current) ? current : (designs[0]?.id ?? null), designs };
}

/**
 * The index of designs. When it is unreadable (or lists designs that are
 * missing, or misses designs that are stored), it is rebuilt from the
 * `nftd.design.*` keys and written back — so the next save does not overwrite
 * it with just the open design and orphan the others. An unreadable index is
 * kept under a `recovered` key and reported.
 */
function readIndex(recoveries: Recovery[]): Index {
  const st = storage();
  const empty: Index = { format: FORMAT, current: null, designs: [] };
  if (!st) return empty;
  const raw = st.getItem(INDEX_KEY);
  const parsed = raw ? parseIndex(raw) : ({ ok: true, index: empty, dropped: 0 } as const);
  const ids = storedIds(st);
  if (parsed.ok && parsed.dropped === 0 && parsed.index.designs.length === ids.length && parsed.index.designs.every((d) => ids.includes(d.id))) return parsed.index;
  const rebuilt = rebuildIndex(st, parsed.ok ? parsed.index.designs : [], parsed.ok ? parsed.index.current : null);
  if (!parsed.ok && raw) {
    try {
      st.setItem(`${RECOVERED_PREFIX}index.${Date.now()}`, raw);
    } catch {
      // storage full: the recovery notice still offers the raw content for download
    }
    const n = rebuilt.designs.length;
    recoveries.push({ key: INDEX_KEY, raw, errors: [parsed.error, `the list was rebuilt from the ${n} design${n === 1 ? '' : 's'} found in this browser`] });
  }
  try {
    st.setItem(INDEX_KEY, JSON.stringify(rebuilt));
  } catch {
    // storage full: rebuilt again next time
  }
  return rebuilt;
}

/** Read one saved design; problems go to `recoveries` (and the raw text is kept aside). */
export function readDesign(id: string, recoveries: Recovery[]): SavedDesign | null {
  const st = storage();
  const key = DESIGN_PREFIX + id;
  const raw = st?.getItem(key);
  if (raw === null || raw === undefined) return null;
  let errors: string[];
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    // format 0 (early drafts) stored the bare ruleset
    const rs = 'ruleset' in v ? v.ruleset : v;
    const name = typeof v.name === 'string' ? v.name.slice(0, 200) : 'Recovered design';
    const r = validateRuleset(rs);
    if (r.ok) return { format: FORMAT, name, ruleset: r.ruleset, savedAt: typeof v.savedAt === 'number' ? v.savedAt : Date.now() };
    errors = r.errors;
  } catch (e) {
    errors = [`not valid JSON (${String(e)})`];
  }
  const backup = `${RECOVERED_PREFIX}${id}.${Date.now()}`;
  try {
    st?.setItem(backup, raw);
  } catch {
    // storage full: the recovery notice still offers the raw content for download
  }
  recoveries.push({ key, raw, errors });
  return null;
}

export function loadAll(): LoadResult {
  const recoveries: Recovery[] = [];
  const index = readIndex(recoveries);
  let current: LoadResult['current'] = null;
  const order = index.current ? [index.current, ...index.designs.map((d) => d.id).filter((x) => x !== index.current)] : index.designs.map((d) => d.id);
  const bad = new Set<string>();
  for (const id of order) {
    const d = readDesign(id, recoveries);
    if (d) {
      current = { id, name: d.name, ruleset: d.ruleset };
      break;
    }
    bad.add(id);
  }
  const designs = index.designs.filter((d) => !bad.has(d.id));
  return { current, designs, recoveries };
}

export function saveDesign(id: string, name: string, ruleset: Ruleset): { ok: true } | { ok: false; error: string } {
  const st = storage();
  if (!st) return { ok: false, error: 'this browser does not allow saving (storage is disabled)' };
  const saved: SavedDesign = { format: FORMAT, name, ruleset, savedAt: Date.now() };
  try {
    st.setItem(DESIGN_PREFIX + id, JSON.stringify(saved));
    const recoveries: Recovery[] = [];
    const index = readIndex(recoveries);
    const designs = index.designs.filter((d) => d.id !== id);
    designs.unshift({ id, name, updatedAt: saved.savedAt });
    st.setItem(INDEX_KEY, JSON.stringify({ format: FORMAT, current: id, designs } satisfies Index));
    return { ok: true };
  } catch (e) {
    return { ok: false, error: `could not save: ${String(e)}` };
  }
}

export function listDesigns(): DesignMeta[] {
  return readIndex([]).designs;
}

export function deleteDesign(id: string): void {
  const st = storage();
  if (!st) return;
  st.removeItem(DESIGN_PREFIX + id);
  const index = readIndex([]);
  st.setItem(INDEX_KEY, JSON.stringify({ ...index, current: index.current === id ? null : index.current, designs: index.designs.filter((d) => d.id !== id) }));
}

export function blankDesign(): { id: string; name: string; ruleset: Ruleset } {
  return { id: newDesignId(), name: 'Untitled design', ruleset: emptyRuleset() };
}
