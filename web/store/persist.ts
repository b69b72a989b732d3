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

function readIndex(recoveries: Recovery[]): Index {
  const st = storage();
  const raw = st?.getItem(INDEX_KEY);
  const empty: Index = { format: FORMAT, current: null, designs: [] };
  if (!raw) return empty;
  try {
    const v = JSON.parse(raw) as Partial<Index>;
    const designs = Array.isArray(v.designs)
      ? v.designs.filter(
          (d): d is DesignMeta => !!d && typeof d.id === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(d.id) && typeof d.name === 'string' && typeof d.updatedAt === 'number',
        )
      : [];
    return { format: FORMAT, current: typeof v.current === 'string' ? v.current : null, designs };
  } catch (e) {
    recoveries.push({ key: INDEX_KEY, raw, errors: [`the list of designs is not valid JSON (${String(e)})`] });
    return empty;
  }
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
