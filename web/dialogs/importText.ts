/**
 * Reading an imported file or pasted text: nft -j JSON when it looks like JSON,
 * otherwise nft text (`nft list ruleset`, a script, the agent's `export`). Never
 * throws; errors carry line and column.
 *
 * Tables other software manages (src/knowledge/foreign.ts: Docker, fail2ban,
 * firewalld, …) are found first, on the text split into its top-level tables
 * (for JSON, its items grouped by table), before the strict parse: they may hold
 * statements the parser or nft refuses (iptables-nft's `xt`), and by default
 * they are kept aside (`Ruleset.aside`, text only, never emitted) instead of
 * being read into the design. Elements that sets gather at run time (fail2ban
 * bans, CrowdSec decisions, `update @set` meters) are left out unless kept.
 */
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { AsideTable, Family, Ruleset, Table } from '../../src/model/types.ts';
import { blockingErrors, fixedByRewrite, parse } from '../../src/parse/index.ts';
import { fromJson, looksLikeJson } from '../../src/json/index.ts';
import { plural } from '../words.ts';
import { emitProblems, emitUnchecked } from '../../src/emit/index.ts';
import { countRules } from '../../src/model/find.ts';
import { newId } from '../../src/model/ids.ts';
import { elementExpires, recogniseForeign, runtimeSetReason, splitJsonTables, splitTables, type ForeignRecognition } from '../../src/knowledge/foreign.ts';

export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/** A table that other software manages, found in the imported text. */
export interface ForeignTableFound {
  /** `${family} ${name}` */
  key: string;
  family: Family;
  name: string;
  /** knowledge entry id */
  owner: string;
  ownerName: string;
  /** what matched: "chains DOCKER, DOCKER-USER", "xt target MASQUERADE" */
  because: string[];
  /** other programs whose chains are in the same table */
  also: string[];
  /** the table as imported: its nft text, or (JSON) its listing form, or its JSON items when they cannot be read */
  text: string;
  /** nft text only: its lines in the input */
  startLine?: number;
  endLine?: number;
  /** why it cannot be brought into the design; undefined when it can */
  notDesignable?: string;
  /** when it can: what to know first */
  caution?: string;
  /** only names people also use for their own tables matched: kept in the design unless left out */
  tentative?: boolean;
}

/** A set whose elements were gathered at run time. */
export interface RuntimeSetFound {
  /** `${family} ${table} ${set}` */
  key: string;
  table: string;
  set: string;
  /** elements filled at run time */
  count: number;
  why: string;
  /** kept as permanent elements (else left out of the design) */
  kept: boolean;
}

export interface ImportChoices {
  /** keys of foreign tables brought into the design; the others are kept aside */
  design?: ReadonlySet<string>;
  /** keys of run-time sets whose elements are kept as permanent ones */
  keepElements?: ReadonlySet<string>;
}

export interface ImportResult {
  format: 'nft' | 'json';
  ruleset?: Ruleset;
  errors: Diagnostic[];
  notes: Diagnostic[];
  summary: string;
  /** tables other software manages, kept aside unless chosen */
  foreign: ForeignTableFound[];
  /** sets whose run-time elements were found */
  runtime: RuntimeSetFound[];
}

/** What is read once per text; choices are applied by buildImport. */
export interface ImportAnalysis {
  text: string;
  format: 'nft' | 'json';
  /** refused before reading (size, binary) */
  refused?: Diagnostic[];
  foreign: ForeignTableFound[];
  /** nft text: [start, end) offsets of each foreign table, by key */
  spans: Map<string, [number, number]>;
  /** JSON: the parsed document and the item indexes of each foreign table */
  doc?: { nftables: unknown[] };
  indexes: Map<string, number[]>;
}

const PLACEHOLDER = { metainfo: { json_schema_version: 1 } };

function found(family: Family, name: string, r: ForeignRecognition, text: string): ForeignTableFound {
  return {
    key: `${family} ${name}`,
    family,
    name,
    owner: r.owner,
    ownerName: r.name,
    because: r.because,
    also: r.also.filter((a) => a.owner !== 'iptables-nft').map((a) => a.name),
    text,
    ...(r.tentative ? { tentative: true } : {}),
  };
}

/**
 * The tables brought into the design unless the person chooses otherwise: those
 * only tentatively another program's (an iptables-style `ip filter` of their own)
 * that can be designed. Everything recognised for sure is left out (kept aside).
 */
export function defaultDesignKeys(a: ImportAnalysis): Set<string> {
  return new Set(a.foreign.filter((f) => f.tentative && f.notDesignable === undefined).map((f) => f.key));
}

const IPTABLES_CAUTION =
  'iptables-nft wrote this table: nft lists its compat matches as translations, or as nothing (comments), so the design would not be exactly its rules, and the program keeps rewriting it';

/** The xt statements of a parsed table, as nft cannot load them. */
function xtStatements(t: Table): string[] {
  const out: string[] = [];
  for (const c of t.chains) for (const r of c.rules) for (const s of r.stmts) if (s.kind === 'raw' && /^xt\s/.test(s.text)) out.push(s.text);
  return out;
}

function whyNotText(blockText: string, startLine: number): string | undefined {
  const r = parse(blockText);
  const err = blockingErrors(r.diagnostics)[0];
  if (err) return `${err.range ? `line ${startLine - 1 + err.range.startLine}: ` : ''}${err.message}`;
  const xt = r.ruleset.tables.flatMap(xtStatements);
  if (xt.length) return `it has iptables-nft compat statements nft cannot load (${[...new Set(xt)].slice(0, 3).join(', ')})`;
  const p = emitProblems(r.ruleset)[0];
  return p ? p.message : undefined;
}

export function analyseImport(text: string): ImportAnalysis {
  const json = looksLikeJson(text);
  const a: ImportAnalysis = { text, format: json ? 'json' : 'nft', foreign: [], spans: new Map(), indexes: new Map() };
  if (text.length > MAX_IMPORT_BYTES) {
    a.refused = [{ id: 'import/size', severity: 'error', message: `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB` }];
    return a;
  }
  if (text.includes('\u0000')) {
    a.refused = [{ id: 'import/binary', severity: 'error', message: 'this is a binary file, not an nft script or nft -j JSON' }];
    return a;
  }
  try {
    if (json) analyseJson(a);
    else analyseText(a);
  } catch {
    // recognition is a help: whatever it trips on, the strict read still reports
    a.foreign = [];
    a.spans.clear();
    a.indexes.clear();
    a.doc = undefined;
  }
  return a;
}

function analyseText(a: ImportAnalysis): void {
  for (const b of splitTables(a.text).tables) {
    const r = recogniseForeign(b.shape);
    if (!r) continue;
    const f = found(b.family, b.name, r, b.text);
    if (a.spans.has(f.key)) continue;
    f.startLine = b.startLine;
    f.endLine = b.endLine;
    f.notDesignable = b.unclosed ? `it has no closing brace (line ${b.startLine})` : whyNotText(b.text, b.startLine);
    if (!f.notDesignable && r.because.some((x) => x.includes('iptables-nft'))) f.caution = IPTABLES_CAUTION;
    a.foreign.push(f);
    a.spans.set(f.key, [b.start, b.end]);
  }
}

function analyseJson(a: ImportAnalysis): void {
  let doc: unknown;
  try {
    doc = JSON.parse(a.text);
  } catch {
    return; // fromJson reports where
  }
  const groups = splitJsonTables(doc);
  if (!groups.length) return;
  a.doc = doc as { nftables: unknown[] };
  for (const g of groups) {
    const r = recogniseForeign(g.shape);
    if (!r) continue;
    const alone = fromJson(JSON.stringify({ nftables: [PLACEHOLDER, ...g.items] }));
    const err = alone.diagnostics.find((d) => d.severity === 'error');
    let text: string;
    let why: string | undefined;
    if (err) {
      why = err.message.replace(/^nftables\[\d+\]: /, '');
      text = `{"nftables": [\n${g.items.map((i) => JSON.stringify(i)).join(',\n')}\n]}\n`;
    } else {
      text = emitUnchecked({ ...alone.ruleset, preamble: 'none' }).text;
      why = emitProblems(alone.ruleset)[0]?.message;
    }
    const f = found(g.family, g.name, r, text);
    f.notDesignable = why;
    a.foreign.push(f);
    a.indexes.set(f.key, g.indexes);
  }
}

/** Blank out [start, end) keeping line breaks, so positions after it stay right. */
function blank(text: string, spans: [number, number][]): string {
  if (!spans.length) return text;
  const sorted = [...spans].sort((x, y) => x[0] - y[0]);
  let out = '';
  let at = 0;
  for (const [s0, e] of sorted) {
    const s = Math.max(at, commentsAbove(text, s0));
    out += text.slice(at, s) + text.slice(s, e).replace(/[^\n\r]/g, ' ');
    at = e;
  }
  return out + text.slice(at);
}

/**
 * Where the `#` comment lines directly above offset `s` (a table left out) begin:
 * they belong to that table and leave with it (nft 1.1 lists its own "# Warning:
 * table ip filter is managed by iptables-nft, do not touch!" there), instead of
 * staying in the design as comments of something else.
 */
function commentsAbove(text: string, s: number): number {
  let from = text.lastIndexOf('\n', s - 1) + 1;
  if (text.slice(from, s).trim() !== '') return s;
  while (from > 0) {
    const prev = text.lastIndexOf('\n', from - 2) + 1;
    if (!text.slice(prev, from).trimStart().startsWith('#')) break;
    from = prev;
  }
  return from;
}

/** Leave out (or keep) the elements sets gathered at run time. */
function runtimeSets(rs: Ruleset, keep: ReadonlySet<string>): RuntimeSetFound[] {
  const out: RuntimeSetFound[] = [];
  for (const t of rs.tables) {
    const owner = recogniseForeign(t)?.owner;
    for (const s of t.sets) {
      if (!s.elements.length) continue;
      const whole = runtimeSetReason(t, s.name, owner);
      const runtime = whole ? s.elements : s.elements.filter(elementExpires);
      if (!runtime.length) continue;
      const key = `${t.family} ${t.name} ${s.name}`;
      const kept = keep.has(key);
      const why = whole ?? `its elements carry timeouts (${runtime.length} counting down)`;
      out.push({ key, table: `${t.family} ${t.name}`, set: s.name, count: runtime.length, why, kept });
      if (kept) {
        // permanent: without the countdown the kernel kept
        s.elements = s.elements.map((el) => (elementExpires(el) ? { ...el, timeout: undefined, expires: undefined } : el)).map(stripUndefined);
      } else {
        const drop = new Set(runtime);
        s.elements = s.elements.filter((el) => !drop.has(el));
      }
    }
  }
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  const r = { ...o } as Record<string, unknown>;
  for (const k of Object.keys(r)) if (r[k] === undefined) delete r[k];
  return r as T;
}

export function buildImport(a: ImportAnalysis, choices: ImportChoices = {}): ImportResult {
  const base = { format: a.format, foreign: a.foreign, runtime: [] as RuntimeSetFound[] };
  if (a.refused) return { ...base, errors: a.refused, notes: [], summary: '' };
  const design = choices.design ?? defaultDesignKeys(a);
  const aside = a.foreign.filter((f) => !design.has(f.key));
  let r: { ruleset: Ruleset; diagnostics: Diagnostic[] };
  try {
    if (a.format === 'json') {
      let text = a.text;
      if (a.doc && aside.length) {
        const drop = new Set(aside.flatMap((f) => a.indexes.get(f.key) ?? []));
        // placeholders keep the item indexes the messages refer to
        text = JSON.stringify({ ...a.doc, nftables: a.doc.nftables.map((item, i) => (drop.has(i) ? PLACEHOLDER : item)) });
      }
      r = fromJson(text);
    } else {
      r = parse(blank(a.text, aside.flatMap((f) => (a.spans.has(f.key) ? [a.spans.get(f.key) as [number, number]] : []))));
    }
  } catch (e) {
    return { ...base, errors: [{ id: 'import/internal', severity: 'error', message: `could not read it: ${String(e)}` }], notes: [], summary: '' };
  }
  const errors = blockingErrors(r.diagnostics);
  const rs = r.ruleset;
  if (aside.length) {
    const kept: AsideTable[] = aside.map((f) => ({ id: newId('x'), family: f.family, name: f.name, owner: f.owner, text: f.text }));
    rs.aside = [...(rs.aside ?? []), ...kept];
  }
  const runtime = runtimeSets(rs, choices.keepElements ?? new Set());
  for (const p of errors.length ? [] : emitProblems(rs)) errors.push({ id: 'emit/unsafe', severity: 'error', message: p.message });
  // what nft refuses in the file but the design's own script fixes (CRLF, a missing ";" before "}") is a note
  const notes = r.diagnostics.flatMap((d): Diagnostic[] => (d.severity !== 'error' ? [d] : fixedByRewrite(d) ? [{ ...d, severity: 'warning', message: `${d.message} (the design's script is fixed)` }] : []));
  const dropped = runtime.filter((x) => !x.kept).reduce((n, x) => n + x.count, 0);
  const summary =
    `${plural(rs.tables.length, 'table')}, ${plural(rs.tables.reduce((n, t) => n + t.chains.length, 0), 'chain')}, ${plural(countRules(rs), 'rule')}, ${plural(rs.tables.reduce((n, t) => n + t.sets.length, 0), 'set/map', 'sets/maps')}, ${plural(rs.tables.reduce((n, t) => n + t.objects.length, 0), 'object')}` +
    (aside.length ? `; ${aside.length} kept aside as live, not ours` : '') +
    (dropped ? `; ${plural(dropped, 'run-time set element')} left out` : '');
  return { ...base, runtime, ruleset: errors.length ? undefined : rs, errors, notes, summary };
}

/** Read a text with the given choices (by default: foreign tables kept aside, run-time elements left out). */
export function readImport(text: string, choices: ImportChoices = {}): ImportResult {
  return buildImport(analyseImport(text), choices);
}
