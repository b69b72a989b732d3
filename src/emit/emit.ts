/**
 * emit(ruleset) → { text, map }: the script, deterministic and in nft's own
 * listing form (tabs, member order, blank lines, element sorting and wrapping),
 * so that a designed ruleset loaded with `nft -f` lists back byte for byte.
 * `map` links every node id to its line range, for the preview.
 *
 * Emitting is refused (EmitRefused) when a name, comment or value could not be
 * written safely; see validate.ts, which checks every model string written
 * here and in statements.ts (emitUnchecked is for display only).
 *
 * Chains and rules are memoised by object identity: an edit that replaces one
 * rule re-prints only that rule.
 *
 * `#` comments kept from a hand-written file (HashComments in model/types.ts)
 * are written where they were: the lines above a node at its indentation, the
 * one trailing its line after it; `{ comments: false }` leaves them all out,
 * which is nft's listing. Each is printed as one line starting with "#" whatever
 * the model holds (commentLine), and emit() refuses a model whose comment lines
 * are not (appendHashCommentProblems), like any other unsafe text.
 */
import { MAP_OBJECT_TYPES, TABLE_FLAGS, isOneOf } from '../knowledge/vocabulary.ts';
import { forEachCommented, type Chain, type Commented, type Family, type Flowtable, type HashComments, type NamedObject, type Preamble, type Ruleset, type SetDecl, type Table } from '../model/types.ts';
import { durationMs, elementsPerLine, exprType, formatValue, type DataType } from '../knowledge/datatypes.ts';
import { formatPriority } from '../knowledge/priorities.ts';
import { DEFAULT_LISTING_TARGET, listingTargetFor, lists11, type ListingTarget } from '../knowledge/listing.ts';
import { IDENTIFIER_RE } from '../knowledge/names.ts';
import { NFT_KEYWORDS } from '../knowledge/keywords.ts';
import { emitProblems, type EmitProblem } from './validate.ts';
import { objectBodyLines } from '../objects/registry.ts';
import { LazyMap } from '../model/lazyMap.ts';
import { breaksCommentLine, hashCommentsProblems } from '../model/validate.ts';
import { formatRule, formatSelector } from './statements.ts';
import { exprLayouts, hasElementOptions, specTypes, setElementStrings, type ValueContext } from './values.ts';
import { printElementStatements } from '../stmts/elementStmts.ts';
import { readsSets } from '../stmts/registry.ts';
import { ruleMemo } from './ruleMemo.ts';
import type { Statement } from '../model/stmt.ts';
import { DEFAULT_METER_SIZE, meterSetTypes } from '../stmts/meter.ts';

export interface LineRange {
  /** 1-based, inclusive */
  startLine: number;
  endLine: number;
}

export interface EmitOptions {
  /** overrides the ruleset's own preamble */
  preamble?: Preamble;
  /** write the `#` comments kept from a hand-written file (default true); false: nft's listing, without them */
  comments?: boolean;
  /** the nft version whose listing form to write (default: the design's own target, else DEFAULT_LISTING_TARGET; knowledge/listing.ts) */
  target?: ListingTarget;
}

export interface EmitResult {
  text: string;
  map: Map<string, LineRange>;
}

export class EmitRefused extends Error {
  constructor(readonly problems: EmitProblem[]) {
    super(`cannot emit: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'EmitRefused';
  }
}

export function emit(rs: Ruleset, options: EmitOptions = {}): EmitResult {
  const problems = emitProblems(rs);
  if (options.comments !== false) appendHashCommentProblems(rs, problems);
  if (problems.length) throw new EmitRefused(problems);
  return emitUnchecked(rs, options);
}

// ------------------------------------------------------------------ # comments

/** Every node's `#` comment lines that are not one line starting with "#" (model/validate.ts says which). */
function appendHashCommentProblems(rs: Ruleset, out: EmitProblem[]): void {
  forEachCommented(rs, (node) => {
    const allowed = node === rs ? (['head', 'end'] as const) : undefined;
    for (const [field, message] of hashCommentsProblems(node.hashComments, allowed)) out.push({ nodeId: node.id ?? '', field, message: `${message} (${field})` });
  });
}


/**
 * One stored comment line as it is written: it starts with "#" and holds no
 * line break, whatever the model says (a line break would end the comment and
 * let the rest be read as commands); `''` is a blank line.
 */
function commentLine(s: string): string {
  let one = String(s);
  for (let i = 0; i < one.length; i++) {
    if (breaksCommentLine(one.charCodeAt(i))) {
      one = Array.from(one, (ch) => (breaksCommentLine(ch.charCodeAt(0)) ? ' ' : ch)).join('');
      break;
    }
  }
  return one.startsWith('#') ? one : `# ${one}`;
}

/** ` # …` after a line, or nothing. */
function trailing(s: string | undefined): string {
  return s === undefined ? '' : ` ${commentLine(s)}`;
}

/** Push a group of comment lines at `indent`; a first blank line is left out after a gap the emitter wrote itself. */
function pushLines(push: (line: string) => void, lines: readonly string[] | undefined, indent: string, afterGap = false): void {
  if (!lines) return;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') {
      if (!(i === 0 && afterGap)) push('');
    } else push(`${indent}${commentLine(l)}`);
  }
}

/** A member block's lines (`\tX NAME {` … `\t}`) with its own comments: inline, head, end, close. */
function withBlockComments(lines: string[], hc: HashComments | undefined): string[] {
  if (!hc) return lines;
  const out: string[] = [`${lines[0]}${trailing(hc.inline)}`];
  pushLines((l) => out.push(l), hc.head, '\t\t');
  for (let i = 1; i < lines.length - 1; i++) out.push(lines[i]);
  pushLines((l) => out.push(l), hc.end, '\t\t');
  out.push(`${lines[lines.length - 1]}${trailing(hc.close)}`);
  return out;
}

/**
 * A block of text (lines joined with "\n", no trailing newline) with the line
 * ranges of its nodes, relative to the block's first line, in flat arrays, and
 * the blocks nested in it by reference (a table's chains, the script's tables):
 * a keystroke in one rule re-joins the text but copies no other node's range.
 * Nesting follows the model (script → table → chain), so it is never deeper
 * than that, whatever the input.
 */
interface Block {
  text: string;
  lineCount: number;
  ids: string[];
  starts: number[];
  ends: number[];
  /** nested blocks: `at` is how many of this block's own marks come before it */
  kids: { at: number; base: number; block: Block }[];
}

/** The line breaks in a text (0 for nearly every line: checked without a scan). */
function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Builds a block line by line; nested blocks are appended whole. */
class BlockWriter {
  private parts: string[] = [];
  lineCount = 0;
  readonly ids: string[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly kids: Block['kids'] = [];

  /** One line, or several: a rule with a chain binding (`jump { … }`) is listed on several. */
  line(s: string): void {
    this.parts.push(s);
    this.lineCount += 1 + newlines(s);
  }
  /** One text whose line breaks are already counted. */
  lines(s: string, breaks: number): void {
    this.parts.push(s);
    this.lineCount += 1 + breaks;
  }
  mark(id: string, start: number, end: number): void {
    this.ids.push(id);
    this.starts.push(start);
    this.ends.push(end);
  }
  block(b: Block): void {
    this.kids.push({ at: this.ids.length, base: this.lineCount, block: b });
    this.parts.push(b.text);
    this.lineCount += b.lineCount;
  }
  done(): Block {
    return { text: this.parts.join('\n'), lineCount: this.lineCount, ids: this.ids, starts: this.starts, ends: this.ends, kids: this.kids };
  }
}

/** Every node range of `b` (and of the blocks nested in it), in the order they were marked, `base` lines down. */
function eachRange(b: Block, base: number, put: (id: string, start: number, end: number) => void): void {
  let k = 0;
  for (let i = 0; i <= b.ids.length; i++) {
    for (; k < b.kids.length && b.kids[k].at === i; k++) eachRange(b.kids[k].block, base + b.kids[k].base, put);
    if (i < b.ids.length) put(b.ids[i], base + b.starts[i], base + b.ends[i]);
  }
}

/**
 * Node id → line range, built on first read from the flat arrays the emitter
 * fills (a 10k-rule script has 10k entries; the preview reads only a few).
 */
export class LineMap extends LazyMap<LineRange> {
  constructor(block: Block | null) {
    super();
    if (block && (block.ids.length || block.kids.length)) {
      this.defer(() => eachRange(block, 0, (id, start, end) => this.put(id, { startLine: start + 1, endLine: end + 1 })));
    }
  }
}

const chainCache = new WeakMap<Chain, ChainBlock & { family: Family; comments: boolean; target: ListingTarget; sets: readonly SetDecl[] }>();

export function emitUnchecked(rs: Ruleset, options: EmitOptions = {}): EmitResult {
  const preamble = options.preamble ?? rs.preamble;
  const comments = options.comments !== false;
  const target = options.target ?? listingTargetFor(rs.target);
  const w = new BlockWriter();
  const push = (line: string): void => w.line(line);
  const above = (node: Commented): void => {
    if (comments) pushLines(push, node.hashComments?.above, '');
  };
  const single = (node: Commented & { id: string }, line: string): void => {
    above(node);
    w.mark(node.id, w.lineCount, w.lineCount);
    w.line(comments ? `${line}${trailing(node.hashComments?.inline)}` : line);
  };

  if (comments) pushLines(push, rs.hashComments?.head, '');
  const header = w.lineCount;
  if (preamble === 'flush') w.line('flush ruleset');
  for (const d of rs.defines) single(d, `define ${d.name} = ${d.value}`);
  for (const inc of rs.includes) single(inc, `include "${inc.path}"`);
  for (const c of rs.commands) if (c.at === 'start') single(c, c.text);
  const gap = w.lineCount > header && rs.tables.length > 0;
  if (gap) w.line('');

  for (let i = 0; i < rs.tables.length; i++) {
    const t = rs.tables[i];
    if (comments) pushLines(push, t.hashComments?.above, '', i === 0 && gap);
    if (preamble === 'replace') {
      w.line(`table ${t.family} ${t.name}`);
      w.line(`delete table ${t.family} ${t.name}`);
    }
    w.block(tableBlock(rs.tables[i], comments, target));
  }
  const tail = rs.commands.filter((c) => c.at !== 'start');
  if (tail.length && rs.tables.length) w.line('');
  for (const c of tail) single(c, c.text);
  if (comments) pushLines(push, rs.hashComments?.end, '');
  const b = w.done();
  return { text: b.lineCount ? `${b.text}\n` : '', map: new LineMap(b) };
}

/** A set's, object's or flowtable's block, remembered per node object like chains and rules (a big set is not re-printed on each keystroke elsewhere). */
const memberCache = new WeakMap<object, { family: Family; comments: boolean; target: ListingTarget; block: Block }>();
function memberBlock<T extends Commented>(
  node: T,
  family: Family,
  comments: boolean,
  target: ListingTarget,
  lines: (node: T, family: Family, comments: boolean, target: ListingTarget) => string[],
): Block {
  const cached = memberCache.get(node);
  if (cached && cached.family === family && cached.comments === comments && cached.target === target) return cached.block;
  const own = lines(node, family, comments, target);
  const block = linesBlock(comments ? withBlockComments(own, node.hashComments) : own);
  memberCache.set(node, { family, comments, target, block });
  return block;
}

function linesBlock(lines: string[]): Block {
  return { text: lines.join('\n'), lineCount: lines.length, ids: [], starts: [], ends: [], kids: [] };
}

/** The set nft 1.1 lists for a meter (stmts/meter.ts), or undefined where it lists the meter as one. */
function meterSet(st: Statement): SetDecl | undefined {
  const types = st.kind === 'meter' ? meterSetTypes(st.key) : undefined;
  if (st.kind !== 'meter' || !types) return undefined;
  return { id: '', kind: 'set', name: st.name, key: { mode: 'type', types }, flags: st.timeout !== undefined ? ['dynamic', 'timeout'] : ['dynamic'], size: st.size ?? DEFAULT_METER_SIZE, elements: [] };
}
const NO_METERS: readonly SetDecl[] = Object.freeze([]);

function tableBlock(t: Table, comments: boolean, target: ListingTarget): Block {
  const w = new BlockWriter();
  const push = (line: string): void => w.line(line);
  const hc = comments ? t.hashComments : undefined;
  w.line(`table ${t.family} ${t.name} {${trailing(hc?.inline)}`);
  pushLines(push, hc?.head, '\t');
  if (t.flags.length) {
    // in nft's order; 1.0.6 reads one flag per line (its own `flags dormant,owner` does not read back)
    const flags = TABLE_FLAGS.filter((f) => t.flags.includes(f));
    if (lists11(target)) w.line(`\tflags ${flags.join(',')}`);
    else for (const f of flags) w.line(`\tflags ${f}`);
  }
  if (t.comment !== undefined) w.line(`\tcomment "${t.comment}"`);
  let first = true;
  // a blank line follows the header only when the table has flags (nft quirk)
  const headerGap = t.flags.length > 0;
  const member = (node: Commented & { id: string }, block: Block): void => {
    const gap = !first || headerGap;
    if (gap) w.line('');
    first = false;
    if (comments) pushLines(push, node.hashComments?.above, '\t', gap);
    // (a set nft lists for a meter has no node of its own: the meter's rule has its lines)
    if (node.id) w.mark(node.id, w.lineCount, w.lineCount + block.lineCount - 1);
    w.block(block);
  };
  for (const o of t.objects) member(o, memberBlock(o, t.family, comments, target, objectLines));
  for (const s of t.sets) member(s, memberBlock(s, t.family, comments, target, setLines));
  const chains = t.chains.map((c) => chainBlock(c, t.family, comments, target, t.sets));
  // nft 1.1 lists each meter as the set it is, after the table's own sets (stmts/meter.ts)
  for (const ch of chains) for (const m of ch.meters) member(m, linesBlock(setLines(m, t.family, false, target)));
  for (const f of t.flowtables) member(f, memberBlock(f, t.family, comments, target, flowtableLines));
  t.chains.forEach((c, i) => member(c, chains[i].block));
  pushLines(push, hc?.end, '\t');
  w.line(`}${trailing(hc?.close)}`);
  w.mark(t.id, 0, w.lineCount - 1);
  return w.done();
}

/** A chain's lines, and the sets nft 1.1 lists for its meters. */
interface ChainBlock {
  block: Block;
  meters: readonly SetDecl[];
}

function chainBlock(c: Chain, family: Family, comments: boolean, target: ListingTarget, sets: readonly SetDecl[]): ChainBlock {
  const cached = chainCache.get(c);
  // the table's sets are part of the key: a nat rule's listing reads its named map's data (the rules' own cache keeps the rest)
  if (cached && cached.family === family && cached.comments === comments && cached.target === target && cached.sets === sets) return cached;
  const w = new BlockWriter();
  const push = (line: string): void => w.line(line);
  const hc = comments ? c.hashComments : undefined;
  w.line(`\tchain ${c.name} {${trailing(hc?.inline)}`);
  pushLines(push, hc?.head, '\t\t');
  if (c.comment !== undefined) w.line(`\t\tcomment "${c.comment}"`);
  if (c.base) {
    const b = c.base;
    let dev = '';
    if (b.devices && b.devices.length === 1) dev = ` device ${deviceText(b.devices[0])}`;
    else if (b.devices && b.devices.length > 1) dev = ` devices = { ${b.devices.map(listedDevice).join(', ')} }`;
    let line = `\t\ttype ${b.type} hook ${b.hook}${dev} priority ${formatPriority(family, b.hook, b.priority, target)}; policy ${b.policy ?? 'accept'};`;
    if (b.flags?.length) line += ` flags ${b.flags.join(',')};`;
    w.line(line);
  }
  let byName: Map<string, SetDecl> | undefined;
  const maps = (name: string): SetDecl | undefined => (byName ??= new Map(sets.map((s) => [s.name, s]))).get(name);
  const ctx = { family, target, maps };
  const asSets = lists11(target);
  let meters: SetDecl[] | undefined;
  for (const r of c.rules) {
    const m = ruleMemo(r);
    let text = m.text;
    if (text === undefined || m.family !== family || m.target !== target || (m.sets !== undefined && m.sets !== sets)) {
      m.text = text = formatRule(r, ctx);
      m.breaks = newlines(text);
      m.family = family;
      m.target = target;
      let reads = false;
      let meter = false;
      for (const st of r.stmts) {
        if (st.kind === 'meter') meter = true;
        if (readsSets(st)) reads = true;
      }
      m.sets = reads ? sets : undefined;
      m.meter = meter;
    }
    if (m.meter && asSets) {
      for (const st of r.stmts) {
        const ms = meterSet(st);
        if (ms) (meters ??= []).push(ms);
      }
    }
    const rh = comments ? r.hashComments : undefined;
    if (rh) pushLines(push, rh.above, '\t\t');
    w.mark(r.id, w.lineCount, w.lineCount + m.breaks);
    w.lines(rh ? `\t\t${text}${trailing(rh.inline)}` : `\t\t${text}`, m.breaks);
  }
  pushLines(push, hc?.end, '\t\t');
  w.line(`\t}${trailing(hc?.close)}`);
  const entry = { family, comments, target, sets, block: w.done(), meters: meters ?? NO_METERS };
  chainCache.set(c, entry);
  return entry;
}

/** `device "eth0"` (quoted, as nft lists it) or `device $DEV`. */
function deviceText(d: string): string {
  return d.startsWith('$') ? d : `"${d}"`;
}

/**
 * A device in a `devices = { … }` list: bare, as nft lists it, unless nft could
 * not read it back bare (`1x` is a number and a word, `accept` a keyword): then
 * quoted, which nft also reads. Device names are checked in validate.ts.
 */
function listedDevice(d: string): string {
  if (d.startsWith('$')) return d;
  const word = d.endsWith('*') ? d.slice(0, -1) : d;
  return IDENTIFIER_RE.test(word) && !NFT_KEYWORDS.has(word) ? d : `"${d}"`;
}

/** Print a rule on its own (for forms and the builder). */
export function emitRule(rule: Parameters<typeof formatRule>[0], family: Family, target: ListingTarget = DEFAULT_LISTING_TARGET): string {
  return formatRule(rule, { family, target });
}

// ------------------------------------------------------------------ objects


function objectLines(o: NamedObject, family: Family, _comments: boolean, target: ListingTarget): string[] {
  // the object type is the block's keyword: `counter NAME {`, `ct helper NAME {`; the body is its module's (src/objects/)
  const lines = [`\t${o.type} ${o.name} {`];
  if (o.comment !== undefined) lines.push(`\t\tcomment "${o.comment}"`);
  for (const l of objectBodyLines(o, family, target)) lines.push(`\t\t${l}`);
  lines.push('\t}');
  return lines;
}

function flowtableLines(f: Flowtable, family: Family): string[] {
  const lines = [`\tflowtable ${f.name} {`, `\t\thook ${f.hook} priority ${formatPriority(family === 'netdev' ? 'netdev' : family, 'ingress', f.priority)}`];
  if (f.devices.length) lines.push(`\t\tdevices = { ${f.devices.map(listedDevice).join(', ')} }`);
  if (f.counter) lines.push('\t\tcounter');
  if (f.flags?.length) lines.push(`\t\tflags ${f.flags.join(',')}`);
  lines.push('\t}');
  return lines;
}

// ------------------------------------------------------------------ sets

const FLAG_ORDER = ['constant', 'dynamic', 'interval', 'timeout'];

export function setValueContext(s: SetDecl, target?: ListingTarget): ValueContext {
  const types = specTypes(s.key);
  let dataType: ValueContext['dataType'];
  if (s.data) {
    if (s.data.mode === 'type') {
      const d = s.data.types[0];
      dataType = d === 'verdict' ? 'verdict' : isOneOf(MAP_OBJECT_TYPES, d) ? 'object' : (d as DataType);
    } else dataType = exprType(s.data.exprs[0]);
  }
  const ctx: ValueContext = { types, dataType };
  if (s.stmts?.length) ctx.elementStmts = s.stmts;
  if (target !== undefined) ctx.target = target;
  if (s.flags.includes('interval')) ctx.intervalSet = true;
  const layouts = s.key.mode === 'typeof' ? exprLayouts(s.key.exprs) : undefined;
  if (layouts) ctx.layouts = layouts;
  return ctx;
}

function keySpecText(spec: SetDecl['key']): string {
  return spec.mode === 'type' ? spec.types.join(' . ') : spec.exprs.map((x) => formatSelector(x)).join(' . ');
}

/** nft 1.1 lists one element per line when elements carry more than a key: map data, a timeout, statements, a comment. */
const isConcatKey = (s: SetDecl): boolean => (s.key.mode === 'type' ? s.key.types.length : s.key.exprs.length) > 1;

/** nft 1.1 lists the elements one per line: of a map, of a set whose elements carry more than a key, or can (timeouts) */
function elementsCarryMore(s: SetDecl, ctx: ValueContext): boolean {
  if (s.kind === 'map' || (ctx.elementStmts?.length ?? 0) > 0) return true;
  if (s.flags.includes('timeout') || (s.timeout !== undefined && durationMs(s.timeout) !== 0)) return true;
  return s.elements.some(hasElementOptions);
}

function setLines(s: SetDecl, family: Family, comments: boolean, target: ListingTarget): string[] {
  const lines = [`\t${s.kind} ${s.name} {`];
  const keyword = s.key.mode === 'type' ? 'type' : 'typeof';
  const data = s.data ? ` : ${s.data.interval ? 'interval ' : ''}${keySpecText(s.data)}` : '';
  lines.push(`\t\t${keyword} ${keySpecText(s.key)}${data}`);
  const constant = s.flags.includes('constant');
  if (s.policy === 'memory' && !constant) lines.push('\t\tpolicy memory');
  if (s.size && !constant) lines.push(`\t\tsize ${s.size}`);
  // a zero default timeout is none: nft lists neither it nor the timeout flag it would imply
  const timeout = s.timeout !== undefined && durationMs(s.timeout) === 0 ? undefined : s.timeout;
  const flags = FLAG_ORDER.filter((f) => s.flags.includes(f) || (f === 'timeout' && timeout !== undefined));
  const extra = s.flags.filter((f) => !FLAG_ORDER.includes(f));
  const shown = [...flags, ...extra];
  // with a default timeout, the timeout flag alone does not print a flags line
  const test = timeout !== undefined ? shown.filter((f) => f !== 'timeout') : shown;
  if (test.length) lines.push(`\t\tflags ${shown.join(',')}`);
  if (s.stmts?.length) lines.push(`\t\t${printElementStatements(s.stmts, { family, target }, true)}`);
  // nft 1.1 keeps no auto-merge on a concatenation, which it never merges (1.0.6 lists it)
  if (s.autoMerge && !(lists11(target) && isConcatKey(s))) lines.push('\t\tauto-merge');
  if (timeout !== undefined) lines.push(`\t\ttimeout ${formatValue(timeout, 'time')}`);
  if (s.gcInterval !== undefined) lines.push(`\t\tgc-interval ${formatValue(s.gcInterval, 'time')}`);
  if (s.comment !== undefined) lines.push(`\t\tcomment "${s.comment}"`);
  // the elements' comments stand above their line, or at the end of an empty set
  const elementComments = comments ? s.hashComments?.elements : undefined;
  if (elementComments) pushLines((l) => lines.push(l), elementComments, '\t\t');
  if (s.elements.length) {
    const ctx = setValueContext(s, target);
    const interval = s.flags.includes('interval');
    const items = setElementStrings(s.elements, ctx, interval ? (s.autoMerge ? 'merge' : 'intervals') : 'none');
    const perLine = lists11(target) && elementsCarryMore(s, ctx) ? 1 : elementsPerLine(ctx.types[0], ctx.types.length > 1);
    let text = '\t\telements = { ';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) text += i % perLine === 0 ? ',\n\t\t\t     ' : ', ';
      text += items[i];
    }
    text += ' }';
    for (const l of text.split('\n')) lines.push(l);
  }
  lines.push('\t}');
  return lines;
}
