/**
 * Reading what a host runs, for "Compare with live": `nft list ruleset`,
 * `nft -j list ruleset`, or the agent's `export` file. Each table is read on its
 * own, so one that nft-designer cannot model (iptables-nft's `xt match` / `xt
 * target` in Docker's tables) never makes the others unreadable: it is kept as
 * the host listed it and compared as text.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Family, Ruleset, Table } from '../model/types.ts';
import { blockingErrors, parse } from '../parse/index.ts';
import { fromJson, looksLikeJson } from '../json/index.ts';
import { emitUnchecked } from '../emit/index.ts';
import { DEFAULT_LISTING_TARGET, listingTargetFor, type ListingTarget } from '../knowledge/listing.ts';
import { emptyRuleset } from '../model/types.ts';
import { splitJsonTables, splitTables, type TableShape } from '../knowledge/foreign.ts';
import { statelessText } from './stateless.ts';

/** One table of the live ruleset. */
export interface LiveTable {
  family: Family;
  name: string;
  /** the table as nft-designer reads it; absent when it cannot (kept as text) */
  table?: Table;
  /** its stateless listing (`nft -s` form), without a trailing newline */
  text: string;
  /** why it could not be read into the model */
  unreadable?: string;
  /** what recognition of its owner reads, when it could not be read (src/knowledge/foreign.ts) */
  shape?: TableShape;
}

export interface LiveRuleset {
  format: 'nft' | 'json';
  tables: LiveTable[];
  /** the input could not be read at all (with line and column) */
  errors: Diagnostic[];
  notes: string[];
}

function tableText(t: Table, target: ListingTarget | undefined): string {
  const rs: Ruleset = { ...emptyRuleset(), tables: [t] };
  return statelessText(emitUnchecked(rs, { preamble: 'none', comments: false, target: target ?? DEFAULT_LISTING_TARGET }).text.replace(/\n$/, ''));
}

/**
 * A live table read into the model: its stateless text comes from the emitter, in
 * the listing form of `target` (the comparison writes both sides in the design's).
 */
export function liveTableOf(t: Table, target?: ListingTarget): LiveTable {
  return { family: t.family, name: t.name, table: t, text: tableText(t, target) };
}

/** The live tables written in `target`'s listing form (those kept as text stay as the host listed them). */
export function liveInForm(live: LiveRuleset, target: ListingTarget): LiveRuleset {
  return { ...live, tables: live.tables.map((t) => (t.table ? liveTableOf(t.table, target) : t)) };
}

/** The first error that stops reading a table (CRLF or a missing ";" before "}" do not: the model's text is written anew). */
function firstError(ds: Diagnostic[]): Diagnostic | undefined {
  return blockingErrors(ds)[0];
}

const METAINFO = { metainfo: { json_schema_version: 1 } };

/**
 * nft -j: read whole, else table by table (the items of each table on their own),
 * so one table nft-designer cannot model (Docker's xt rules) is kept as nft listed it
 * and the others are read.
 */
function readLiveJson(text: string, notes: string[]): LiveRuleset {
  let r;
  try {
    r = fromJson(text);
  } catch (e) {
    return { format: 'json', tables: [], errors: [{ id: 'live/internal', severity: 'error', message: `could not read it: ${String(e)}` }], notes };
  }
  const err = firstError(r.diagnostics);
  const target = listingTargetFor(r.ruleset.target);
  if (!err) return { format: 'json', tables: r.ruleset.tables.map((t) => liveTableOf(t, target)), errors: [], notes };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { format: 'json', tables: [], errors: [err], notes };
  }
  const groups = splitJsonTables(doc);
  if (!groups.length) return { format: 'json', tables: [], errors: [err], notes };
  const tables: LiveTable[] = [];
  for (const g of groups) {
    const one = fromJson(JSON.stringify({ nftables: [METAINFO, ...g.items] }));
    const e = firstError(one.diagnostics);
    if (!e && one.ruleset.tables.length === 1) {
      tables.push(liveTableOf(one.ruleset.tables[0], target));
      continue;
    }
    const unreadable = `nft-designer cannot read table ${g.family} ${g.name}${e ? ` (${e.message.replace(/^nftables\[\d+\]: /, '')})` : ''}; it is compared as nft -j listed it`;
    notes.push(unreadable);
    // its items, one a line, without the handles that change from load to load
    const items = g.items.map((i) => JSON.stringify(i, (k, v: unknown) => (k === 'handle' ? undefined : v)));
    tables.push({ family: g.family, name: g.name, text: `table ${g.family} ${g.name} (nft -j) {\n${items.map((l) => `\t${l}`).join('\n')}\n}`, unreadable, shape: g.shape });
  }
  return { format: 'json', tables, errors: [], notes };
}

/**
 * Read a live ruleset; never throws. Its tables' texts are in the listing form of
 * the nft that wrote it (an nft-agent export's `# nft --version:` line), else of
 * the default target; compareWithLive writes them again in the design's form.
 */
export function readLive(text: string): LiveRuleset {
  const notes: string[] = [];
  if (looksLikeJson(text)) return readLiveJson(text, notes);
  const whole = parse(text);
  const target = listingTargetFor(whole.ruleset.target);
  if (!firstError(whole.diagnostics)) {
    if (whole.ruleset.commands.length || whole.ruleset.defines.length || whole.ruleset.preamble !== 'none') {
      notes.push('what stands outside the tables (commands, defines, a preamble) is not part of a live ruleset and is left out');
    }
    return { format: 'nft', tables: whole.ruleset.tables.map((t) => liveTableOf(t, target)), errors: [], notes };
  }
  // Table by table: a table the model cannot hold is kept as the host listed it.
  // The tables are found with nft's tokenizer (src/knowledge/foreign.ts, as the
  // import does), so braces in strings and comments do not count.
  const blocks = splitTables(text).tables;
  let outside = text;
  for (const b of blocks) outside = outside.slice(0, b.start) + outside.slice(b.start, b.end).replace(/[^\n]/g, ' ') + outside.slice(b.end);
  const stray = outside
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l && !/^(flush ruleset|define\s|include\s)/.test(l));
  if (stray.length || !blocks.length) {
    const err = firstError(whole.diagnostics);
    return { format: 'nft', tables: [], errors: err ? [err] : [{ id: 'live/empty', severity: 'error', message: 'no table found' }], notes };
  }
  const open = blocks.find((b) => b.unclosed);
  if (open) {
    return { format: 'nft', tables: [], errors: [{ id: 'live/unclosed', severity: 'error', message: `table ${open.family} ${open.name} is not closed: the text ends before its "}" (cut short when copied?)`, range: { startLine: open.startLine, startCol: 1, endLine: open.startLine, endCol: 6 } }], notes };
  }
  const tables: LiveTable[] = [];
  for (const b of blocks) {
    const one = parse(b.text);
    const err = firstError(one.diagnostics);
    if (!err && one.ruleset.tables.length === 1) {
      tables.push(liveTableOf(one.ruleset.tables[0], target));
      continue;
    }
    const at = err?.range ? ` (line ${b.startLine + err.range.startLine - 1}: ${err.message})` : err ? ` (${err.message})` : '';
    const unreadable = `nft-designer cannot read table ${b.family} ${b.name}${at}; it is compared as the host listed it`;
    notes.push(unreadable);
    const lines = b.text.split('\n').map((l) => l.replace(/\s+$/, ''));
    tables.push({ family: b.family, name: b.name, text: statelessText(lines.join('\n')), unreadable, shape: b.shape });
  }
  return { format: 'nft', tables, errors: [], notes };
}
