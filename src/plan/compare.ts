/**
 * "What will change on my host?": the live ruleset next to what it will be after
 * loading this design with its preamble, and a summary of the difference.
 *
 * The prediction follows what nft does with each preamble (checked against the
 * kernel by compare.kernel.test.ts):
 * - `replace` (`table F N` + `delete table F N` + the table): every other table
 *   stays as it is; each designed table is created anew, after them (nft lists
 *   tables in creation order);
 * - `flush` (`flush ruleset`): only the designed tables remain;
 * - `none`: nft adds to what is live: rules are appended to live chains of the
 *   same name, set elements are added, a base chain takes the design's policy;
 *   loading twice appends the rules twice.
 *
 * Both sides are compared in the stateless form (`nft -s`), with the design's
 * `define`s replaced by their values, as the kernel would list them.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Chain, Preamble, Ruleset, SetDecl, Table } from '../model/types.ts';
import { emit, EmitRefused } from '../emit/index.ts';
import { parse } from '../parse/index.ts';
import { recogniseForeign } from '../knowledge/foreign.ts';
import { liveInForm, liveTableOf, type LiveRuleset, type LiveTable } from './live.ts';
import { listingTargetFor } from '../knowledge/listing.ts';

export type Change = 'added' | 'removed' | 'changed' | 'unchanged';

export interface Counts {
  added: number;
  removed: number;
  changed: number;
}

export interface MemberChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface TableDiff {
  family: string;
  name: string;
  change: Change;
  /** the software that manages it, when recognised (Docker, fail2ban …) */
  owner?: string;
  chains: MemberChanges;
  /** named sets and maps */
  sets: MemberChanges;
  /** named objects (counter, quota, limit, synproxy, ct …) and flowtables */
  objects: MemberChanges;
  rules: Counts;
}

export interface Plan {
  preamble: Preamble;
  /** the live ruleset, stateless, as `nft -s list ruleset` prints it */
  liveText: string;
  /** what it will be after the apply */
  afterText: string;
  tables: TableDiff[];
  totals: { tables: Counts; chains: Counts; sets: Counts; objects: Counts; rules: Counts };
  /** things to know before applying (tables other software owns that go away …) */
  warnings: string[];
  notes: string[];
  /** the design could not be written (nothing predicted) */
  errors: Diagnostic[];
  /** false when part of the prediction is approximate (said in notes) */
  exact: boolean;
}

export interface CompareOptions {
  /** overrides the design's own preamble */
  preamble?: Preamble;
  /** names the software that manages a table, if any (default: recognised from its contents, src/knowledge/foreign.ts) */
  owner?: (t: LiveTable) => string | undefined;
}

const key = (t: { family: string; name: string }): string => `${t.family} ${t.name}`;

// ---------------------------------------------------------------------------
// The design as the kernel would list it

const MAX_EXPANSION_DEPTH = 16;

/** Replace `$name` outside double quotes by the define's value (nested too). */
export function expandDefines(text: string, defines: ReadonlyMap<string, string>, depth = 0): string {
  if (depth > MAX_EXPANSION_DEPTH) throw new Error('define values nest too deeply (or refer to each other)');
  const parts = text.split('"');
  let changed = false;
  for (let i = 0; i < parts.length; i += 2) {
    parts[i] = parts[i].replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name: string) => {
      const v = defines.get(name);
      if (v === undefined) return m;
      changed = true;
      return v;
    });
  }
  const out = parts.join('"');
  return changed ? expandDefines(out, defines, depth + 1) : out;
}

/** The designed tables, stateless and with defines expanded, or why they cannot be written. */
export function designTables(design: Ruleset): { tables: LiveTable[]; errors: Diagnostic[]; notes: string[] } {
  let text: string;
  try {
    text = emit({ ...design, defines: [], includes: [], commands: [] }, { preamble: 'none', comments: false, target: listingTargetFor(design.target) }).text;
  } catch (e) {
    if (e instanceof EmitRefused) return { tables: [], errors: e.problems.map((p) => ({ id: 'compare/emit', severity: 'error' as const, message: p.message })), notes: [] };
    throw e;
  }
  const notes: string[] = [];
  if (design.defines.length) {
    const values = new Map<string, string>();
    for (const d of design.defines) if (!values.has(d.name)) values.set(d.name, d.value);
    try {
      text = expandDefines(text, values);
    } catch (e) {
      return { tables: [], errors: [{ id: 'compare/defines', severity: 'error', message: e instanceof Error ? e.message : String(e) }], notes };
    }
  }
  if (design.includes.length) notes.push(`the design includes ${design.includes.map((i) => `"${i.path}"`).join(', ')}, which is not followed here`);
  if (design.commands.length) notes.push(`the design's own commands (${design.commands.map((c) => c.text).slice(0, 3).join('; ')}) are not part of the prediction`);
  const r = parse(text);
  const err = r.diagnostics.find((d) => d.severity === 'error');
  if (err) return { tables: [], errors: [{ ...err, id: 'compare/expand', message: `with its defines replaced, the design does not read back: ${err.message}` }], notes };
  const target = listingTargetFor(design.target);
  return { tables: r.ruleset.tables.map((t) => liveTableOf(t, target)), errors: [], notes };
}

// ---------------------------------------------------------------------------
// No preamble: nft adds to what is live

function mergeSets(live: SetDecl, add: SetDecl): SetDecl {
  const seen = new Set(live.elements.map((e) => JSON.stringify(e.key)));
  const elements = live.elements.slice();
  for (const e of add.elements) {
    const k = JSON.stringify(e.key);
    if (!seen.has(k)) {
      seen.add(k);
      elements.push(e);
    }
  }
  return { ...live, elements };
}

function mergeChains(live: Chain, add: Chain): Chain {
  const base = live.base && add.base ? { ...live.base, policy: add.base.policy ?? live.base.policy } : (live.base ?? add.base);
  return { ...live, base, comment: add.comment ?? live.comment, rules: live.rules.concat(add.rules) };
}

function mergeByName<T extends { name: string }>(live: T[], add: T[], merge: (a: T, b: T) => T): T[] {
  const out = live.slice();
  const at = new Map(out.map((x, i) => [x.name, i]));
  for (const x of add) {
    const i = at.get(x.name);
    if (i === undefined) {
      at.set(x.name, out.length);
      out.push(x);
    } else out[i] = merge(out[i], x);
  }
  return out;
}

export function mergeTables(live: Table, add: Table): Table {
  return {
    ...live,
    flags: add.flags.length ? add.flags : live.flags,
    comment: add.comment ?? live.comment,
    objects: mergeByName(live.objects, add.objects, (a) => a),
    sets: mergeByName(live.sets, add.sets, mergeSets),
    flowtables: mergeByName(live.flowtables, add.flowtables, (a) => a),
    chains: mergeByName(live.chains, add.chains, mergeChains),
  };
}

// ---------------------------------------------------------------------------
// Listing structure: enough of nft's listing form to say what changed

interface Member {
  kind: string;
  name: string;
  /** for chains: the header lines (type/hook/policy, comment, devices) */
  head: string[];
  /** for chains: the rules; for others: every body line */
  body: string[];
}

interface Listing {
  head: string[];
  members: Map<string, Member>;
}

const MEMBER_RE = /^\t(chain|set|map|flowtable|counter|quota|limit|synproxy|secmark|ct helper|ct timeout|ct expectation) ("[^"]*"|\S+) \{$/;
const CHAIN_HEAD_RE = /^\t\t(type |comment |devices |policy )/;

function listing(text: string): Listing {
  const lines = text.split('\n');
  const head: string[] = [];
  const members = new Map<string, Member>();
  let cur: Member | undefined;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (cur) {
      if (l === '\t}') {
        cur = undefined;
        continue;
      }
      if (cur.kind === 'chain' && cur.body.length === 0 && CHAIN_HEAD_RE.test(l)) cur.head.push(l.trim());
      else if (l.trim() !== '') cur.body.push(l.trim());
      continue;
    }
    const m = MEMBER_RE.exec(l);
    if (m) {
      cur = { kind: m[1], name: m[2], head: [], body: [] };
      members.set(`${m[1]} ${m[2]}`, cur);
    } else if (l.trim() !== '' && l !== '}') head.push(l.trim());
  }
  return { head, members };
}

/** Rules added, removed and changed between two rule lists (order matters). */
export function ruleCounts(before: readonly string[], after: readonly string[]): Counts & { reordered: boolean } {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const b = before.slice(p, before.length - s);
  const a = after.slice(p, after.length - s);
  const left = new Map<string, number>();
  for (const r of b) left.set(r, (left.get(r) ?? 0) + 1);
  let added = 0;
  const keptAfter: string[] = [];
  for (const r of a) {
    const n = left.get(r) ?? 0;
    if (n > 0) {
      left.set(r, n - 1);
      keptAfter.push(r);
    } else added++;
  }
  let removed = 0;
  for (const n of left.values()) removed += n;
  const kept = new Map<string, number>();
  for (const r of keptAfter) kept.set(r, (kept.get(r) ?? 0) + 1);
  const keptBefore = b.filter((r) => {
    const n = kept.get(r) ?? 0;
    if (n > 0) kept.set(r, n - 1);
    return n > 0;
  });
  const reordered = keptBefore.some((r, i) => r !== keptAfter[i]);
  const changed = Math.min(added, removed);
  return { added: added - changed, removed: removed - changed, changed, reordered };
}

function bucket(kind: string): 'chains' | 'sets' | 'objects' {
  return kind === 'chain' ? 'chains' : kind === 'set' || kind === 'map' ? 'sets' : 'objects';
}

function emptyChanges(): MemberChanges {
  return { added: [], removed: [], changed: [] };
}

function tableDiff(family: string, name: string, before: string | undefined, after: string | undefined): TableDiff {
  const d: TableDiff = { family, name, change: 'unchanged', chains: emptyChanges(), sets: emptyChanges(), objects: emptyChanges(), rules: { added: 0, removed: 0, changed: 0 } };
  const lb = before === undefined ? undefined : listing(before);
  const la = after === undefined ? undefined : listing(after);
  if (!lb && !la) return d;
  d.change = !lb ? 'added' : !la ? 'removed' : before === after ? 'unchanged' : 'changed';
  if (d.change === 'unchanged') return d;
  const mb = lb?.members ?? new Map<string, Member>();
  const ma = la?.members ?? new Map<string, Member>();
  const label = (m: Member): string => (m.kind === 'chain' || m.kind === 'set' ? m.name : `${m.kind} ${m.name}`);
  for (const [k, m] of mb) {
    const other = ma.get(k);
    const b = bucket(m.kind);
    if (!other) {
      d[b].removed.push(label(m));
      if (m.kind === 'chain') d.rules.removed += m.body.length;
      continue;
    }
    const sameHead = m.head.join('\n') === other.head.join('\n');
    if (m.kind === 'chain') {
      const rc = ruleCounts(m.body, other.body);
      d.rules.added += rc.added;
      d.rules.removed += rc.removed;
      d.rules.changed += rc.changed;
      if (!sameHead || rc.added || rc.removed || rc.changed || rc.reordered) d.chains.changed.push(m.name);
    } else if (!sameHead || m.body.join('\n') !== other.body.join('\n')) d[b].changed.push(label(m));
  }
  for (const [k, m] of ma) {
    if (mb.has(k)) continue;
    d[bucket(m.kind)].added.push(label(m));
    if (m.kind === 'chain') d.rules.added += m.body.length;
  }
  return d;
}

// ---------------------------------------------------------------------------

function joinTables(ts: readonly { text: string }[]): string {
  return ts.length ? `${ts.map((t) => t.text).join('\n')}\n` : '';
}

function describe(t: { family: string; name: string }, owner: string | undefined): string {
  return `table ${t.family} ${t.name}${owner ? ` (${owner})` : ''}`;
}

/** The comparison of a live ruleset with what it will be after applying `design`. */
export function compareWithLive(hostLive: LiveRuleset, design: Ruleset, options: CompareOptions = {}): Plan {
  // both sides in the listing form of the design's target, so the diff shows changes, not form
  const target = listingTargetFor(design.target);
  const live = liveInForm(hostLive, target);
  const preamble = options.preamble ?? design.preamble;
  const liveText = joinTables(live.tables);
  const plan: Plan = {
    preamble,
    liveText,
    afterText: liveText,
    tables: [],
    totals: { tables: zero(), chains: zero(), sets: zero(), objects: zero(), rules: zero() },
    warnings: [],
    notes: live.notes.slice(),
    errors: live.errors.slice(),
    exact: true,
  };
  if (plan.errors.length) return plan;
  const d = designTables(design);
  plan.notes.push(...d.notes);
  if (d.errors.length) {
    plan.errors.push(...d.errors);
    return plan;
  }
  // who manages a live table: the caller's word (the design's tables kept aside), else
  // the knowledge of foreign tables (Docker, fail2ban, …) from its contents
  const owner = (t: LiveTable): string | undefined => {
    const given = options.owner?.(t);
    if (given) return given;
    const r = recogniseForeign(t.table ?? t.shape ?? t.text);
    return r && !r.tentative ? r.name : undefined;
  };
  const designed = new Map(d.tables.map((t) => [key(t), t]));
  const liveByKey = new Map(live.tables.map((t) => [key(t), t]));
  let after: LiveTable[];
  if (preamble === 'flush') {
    after = d.tables;
    for (const t of live.tables) if (!designed.has(key(t))) plan.warnings.push(`flush ruleset removes ${describe(t, owner(t))}`);
  } else if (preamble === 'replace') {
    after = live.tables.filter((t) => !designed.has(key(t))).concat(d.tables);
  } else {
    after = [];
    for (const t of live.tables) {
      const add = designed.get(key(t));
      if (!add) after.push(t);
      else if (t.table && add.table) after.push(liveTableOf(mergeTables(t.table, add.table), target));
      else {
        plan.exact = false;
        plan.notes.push(`without a preamble nft adds the design's table ${key(t)} to the live one, which nft-designer cannot read: the result is shown as the live table, unchanged`);
        after.push(t);
      }
    }
    for (const t of d.tables) if (!liveByKey.has(key(t))) after.push(t);
    if (d.tables.some((t) => liveByKey.has(key(t)))) plan.notes.push('without a preamble nft adds to the live tables: rules are appended to chains of the same name, so applying twice gives every rule twice');
  }
  for (const t of d.tables) {
    const l = liveByKey.get(key(t));
    const o = l ? owner(l) : undefined;
    if (l && o && preamble !== 'none') plan.warnings.push(`this design replaces ${describe(l, o)}; ${o} manages it and may overwrite it again, or stop working`);
  }
  plan.afterText = joinTables(after);
  const afterByKey = new Map(after.map((t) => [key(t), t]));
  const seen = new Set<string>();
  for (const t of after.concat(live.tables)) {
    const k = key(t);
    if (seen.has(k)) continue;
    seen.add(k);
    const diff = tableDiff(t.family, t.name, liveByKey.get(k)?.text, afterByKey.get(k)?.text);
    const l = liveByKey.get(k);
    const o = l ? owner(l) : undefined;
    if (o) diff.owner = o;
    plan.tables.push(diff);
    add(plan.totals.tables, diff.change);
    for (const b of ['chains', 'sets', 'objects'] as const) {
      plan.totals[b].added += diff[b].added.length;
      plan.totals[b].removed += diff[b].removed.length;
      plan.totals[b].changed += diff[b].changed.length;
    }
    plan.totals.rules.added += diff.rules.added;
    plan.totals.rules.removed += diff.rules.removed;
    plan.totals.rules.changed += diff.rules.changed;
  }
  return plan;
}

function zero(): Counts {
  return { added: 0, removed: 0, changed: 0 };
}

function add(c: Counts, change: Change): void {
  if (change === 'added') c.added++;
  else if (change === 'removed') c.removed++;
  else if (change === 'changed') c.changed++;
}

/** One line per count, e.g. "tables: 1 added, 1 changed; rules: 4 added, 2 removed". */
export function summaryLine(p: Plan): string {
  const part = (label: string, c: Counts): string | undefined => {
    const bits = [c.added && `${c.added} added`, c.removed && `${c.removed} removed`, c.changed && `${c.changed} changed`].filter(Boolean);
    return bits.length ? `${label}: ${bits.join(', ')}` : undefined;
  };
  const parts = [part('tables', p.totals.tables), part('chains', p.totals.chains), part('sets', p.totals.sets), part('objects', p.totals.objects), part('rules', p.totals.rules)].filter(Boolean);
  return parts.length ? parts.join('; ') : 'no change: applying this design leaves the live ruleset as it is';
}


