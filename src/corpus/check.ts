/**
 * The corpus against one nft version: (a) the original loads (or the case is
 * "not loadable" by this version and kernel) and nft's own listing L is the
 * oracle; (b) parse → emit of L; (c) the emitted text is L byte for byte; (d) it
 * loads and lists back as L; (e) `toJson` of it loads with `nft -j -f` and lists
 * back as L, wherever this version's JSON can carry it (else "JSON cannot carry");
 * (f) the linter, targeting this version, reports no error on the case as written
 * (nft loads it: an error would be a false one).
 * Loads are batched: the cases of one py file in one `nft -f` (each alone when
 * that is refused), every load of a phase in one `unshare -n` namespace.
 */
import { emit } from '../emit/index.ts';
import { toJson } from '../json/index.ts';
import { parse } from '../parse/index.ts';
import { lint } from '../lint/lint.ts';
import type { Case } from './sources.ts';
import { runSteps, type Load, type LoadResult, type Step } from './namespace.ts';

export type FailureClass =
  | 'parse-error'
  | 'raw-text'
  | 'emit-refused'
  | 'emit-differs'
  | 'load-refused'
  | 'reload-differs'
  | 'json-refused'
  | 'json-differs'
  | 'lint-error';

export const FAILURE_CLASSES: readonly FailureClass[] = [
  'parse-error',
  'raw-text',
  'emit-refused',
  'emit-differs',
  'load-refused',
  'reload-differs',
  'json-refused',
  'json-differs',
  'lint-error',
];

export interface CaseResult {
  id: string;
  status: 'pass' | 'fail' | 'not-loadable';
  class?: FailureClass;
  /** short reason: nft's or the parser's message, the raw texts, the first differing line pair */
  reason?: string;
  /** nft's listing of the original (the oracle), when loadable */
  listing?: string;
  /** what toJson says the version's JSON cannot carry (then the JSON step is not run) */
  jsonLosses?: string[];
  /** every failed step, not only the first */
  failures?: { class: FailureClass; reason: string }[];
}

export interface Version {
  name: '1.0.6' | '1.1.3';
  nft: string;
}

/** The one place that asks the emitter for a version's listing form. */
export function emitFor(version: Version['name'], rs: Parameters<typeof emit>[0]): string {
  return emit(rs, { target: version }).text;
}

/**
 * Listings without what differs between two loads of the same ruleset: the time
 * left of set elements is dropped; the time since `last` saw a packet is written
 * as `1s` (the listing stays one nft reads; `last used never` is kept).
 */
export function stable(listing: string): string {
  // `last used` may begin a line (`\t\tlast used 5m28ms`) or follow a statement
  return listing.replace(/ expires [0-9dhms]+/g, '').replace(/\blast used [0-9dhms]+/g, 'last used 1s');
}

/** The block of table `family name` in a listing. */
export function tableBlock(listing: string, family: string, name: string): string {
  const lines = listing.split('\n');
  const head = `table ${family} ${name} {`;
  const start = lines.indexOf(head);
  if (start < 0) return '';
  const end = lines.indexOf('}', start);
  return lines.slice(start, end + 1).join('\n') + '\n';
}

/** The first differing line pair of two texts, as `line N: "a" ≠ "b"`. */
export function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: ${JSON.stringify(a[i] ?? '<end>')} ≠ ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'identical';
}

/** nft's first error message without the file:line:col part. */
export function nftError(stderr: string): string {
  const m = /Error: (.*)/.exec(stderr);
  return (m?.[1] ?? stderr.trim().split('\n')[0] ?? '').slice(0, 200);
}

/** Texts the model keeps verbatim (raw statements and unstructured expressions). */
export function rawTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) rawTexts(x, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ((o.kind === 'raw' || o.kind === 'rawexpr') && typeof o.text === 'string') out.push(o.text);
    else for (const v of Object.values(o)) rawTexts(v, out);
  }
  return out;
}

/**
 * Load each text and return, per text, its load's status and the listing it
 * is part of. Texts without a group (whole rulesets) load alone after `flush
 * ruleset`. Grouped texts (py cases, every one in its own table) load side by
 * side: each group in one `nft -f` (after `flush ruleset`: nft reads the whole
 * ruleset before each load, so a small one is fast), then the halves of each
 * refused group, and so on until a refused text is alone. One namespace per round.
 */
async function loadBatched(nft: string, items: { group?: string; load: Load }[], merge: (loads: Load[]) => Load): Promise<LoadResult[]> {
  const out: LoadResult[] = new Array<LoadResult>(items.length);
  const whole: number[] = [];
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    if (it.group === undefined) whole.push(i);
    else {
      const g = groups.get(it.group);
      if (g) g.push(i);
      else groups.set(it.group, [i]);
    }
  });
  let chunks = [...groups.values()];
  let first = true;
  while (chunks.length || first) {
    const steps: Step[][] = first ? whole.map((i) => [{ load: items[i].load, flush: true }, { list: true }]) : [];
    const base = steps.length;
    for (const c of chunks) steps.push([{ load: c.length === 1 ? items[c[0]].load : merge(c.map((i) => items[i].load)), flush: true }, { list: true }]);
    const res = await runSteps(nft, steps);
    if (first) whole.forEach((i, k) => (out[i] = res[k][0]));
    const next: number[][] = [];
    chunks.forEach((c, k) => {
      const lr = res[base + k][0];
      if (lr.ok || c.length === 1) for (const i of c) out[i] = lr;
      else next.push(c.slice(0, c.length >> 1), c.slice(c.length >> 1));
    });
    chunks = next;
    first = false;
  }
  return out;
}

function mergeText(loads: Load[]): Load {
  return { text: loads.map((l) => l.text).join('') };
}

function mergeJson(loads: Load[]): Load {
  const items: unknown[] = [];
  loads.forEach((l, i) => {
    const doc = JSON.parse(l.text) as { nftables: Record<string, unknown>[] };
    for (const o of doc.nftables) if (i === 0 || !('metainfo' in o)) items.push(o);
  });
  return { text: JSON.stringify({ nftables: items }), json: true };
}

let blockCache: { listing: string; blocks: Map<string, string> } | undefined;

/** The table blocks of a listing by their first line (the last listing's, cached). */
function blocksOf(listing: string): Map<string, string> {
  if (blockCache?.listing === listing) return blockCache.blocks;
  const blocks = new Map<string, string>();
  const lines = listing.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('table ')) continue;
    const end = lines.indexOf('}', i);
    blocks.set(lines[i], lines.slice(i, end + 1).join('\n') + '\n');
    i = end;
  }
  blockCache = { listing, blocks };
  return blocks;
}

/** A case's own part of a listing: its table (py cases) or the whole ruleset. */
function own(c: Case, listing: string): string {
  return stable(c.table ? (blocksOf(listing).get(`table ${c.table.family} ${c.table.name} {`) ?? '') : listing);
}

interface Work {
  c: Case;
  r: CaseResult;
  emitted?: string;
  json?: string;
}

function fail(w: Work, cls: FailureClass, reason: string): void {
  (w.r.failures ??= []).push({ class: cls, reason });
  if (w.r.status !== 'fail') {
    w.r.status = 'fail';
    w.r.class = cls;
    w.r.reason = reason;
  }
}

/** Run every case against one version. */
export async function checkVersion(version: Version, cases: readonly Case[]): Promise<CaseResult[]> {
  const group = (c: Case): string | undefined => c.group;
  // (a) the originals: nft's listing is the oracle
  const original = await loadBatched(
    version.nft,
    cases.map((c) => ({ group: group(c), load: { text: c.text } })),
    mergeText,
  );
  const work: Work[] = cases.map((c, i) => {
    const o = original[i];
    const listing = o.ok ? own(c, o.listing) : '';
    if (!o.ok || !listing) return { c, r: { id: c.id, status: 'not-loadable', reason: o.ok ? 'lists nothing' : nftError(o.stderr) } };
    return { c, r: { id: c.id, status: 'pass', listing } };
  });

  // (b, c) parse → emit of the listing
  for (const w of work) {
    if (w.r.status !== 'pass' || w.r.listing === undefined) continue;
    const L = w.r.listing;
    const p = parse(L, { file: 'listing.nft' });
    const errors = p.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const d = errors[0];
      const line = d.range?.startLine;
      fail(w, 'parse-error', `${d.message}${line ? ` (line ${line}: ${JSON.stringify(L.split('\n')[line - 1])})` : ''}`.slice(0, 300));
      continue;
    }
    const raw = rawTexts(p.ruleset.tables);
    if (raw.length) fail(w, 'raw-text', [...new Set(raw)].slice(0, 3).join(' | ').slice(0, 300));
    try {
      w.emitted = emitFor(version.name, p.ruleset);
    } catch (e) {
      fail(w, 'emit-refused', (e as Error).message.slice(0, 300));
      continue;
    }
    if (w.emitted !== L) fail(w, 'emit-differs', firstDifference(L, w.emitted));
    try {
      const j = toJson(p.ruleset, { targetVersion: version.name });
      if (j.losses.length) w.r.jsonLosses = [...new Set(j.losses.map((l) => l.what))];
      else w.json = j.json;
    } catch (e) {
      fail(w, 'json-refused', `toJson: ${(e as Error).message}`.slice(0, 300));
    }
  }

  // (d) the emitted text loads and lists back as L
  const emitted = work.filter((w) => w.emitted !== undefined);
  const reloaded = await loadBatched(
    version.nft,
    emitted.map((w) => ({ group: group(w.c), load: { text: w.emitted ?? '' } })),
    mergeText,
  );
  emitted.forEach((w, i) => {
    const r = reloaded[i];
    if (!r.ok) fail(w, 'load-refused', nftError(r.stderr));
    else {
      const got = own(w.c, r.listing);
      if (got !== w.r.listing) fail(w, 'reload-differs', firstDifference(w.r.listing ?? '', got));
    }
  });

  // (e) the JSON loads and lists back as L
  const json = work.filter((w) => w.json !== undefined);
  const fromJson = await loadBatched(
    version.nft,
    json.map((w) => ({ group: group(w.c), load: { text: w.json ?? '', json: true } })),
    mergeJson,
  );
  json.forEach((w, i) => {
    const r = fromJson[i];
    if (!r.ok) fail(w, 'json-refused', nftError(r.stderr));
    else {
      const got = own(w.c, r.listing);
      if (got !== w.r.listing) fail(w, 'json-differs', firstDifference(w.r.listing ?? '', got));
    }
  });

  // (f) no lint error on what nft loads, as written
  for (const w of work) {
    if (w.r.status === 'not-loadable') continue;
    const p = parse(w.c.text, { file: 'case.nft' });
    const found = [...p.diagnostics, ...lint(p.ruleset, { targetVersion: version.name, source: { text: w.c.text, spans: p.spans, lines: p.lines } })];
    const e = found.find((d) => d.severity === 'error');
    if (e) fail(w, 'lint-error', `${e.id}: ${e.message}`.slice(0, 300));
  }
  return work.map((w) => w.r);
}
