/**
 * parse(text) → { ruleset, diagnostics, spans }: reads what `nft list ruleset`
 * prints and what people write — declarative blocks, command lines (`add rule …`),
 * `define`, `include`, `flush ruleset`, `;` separators, line continuations and
 * one-line blocks. It never throws; it reports every error it can with its
 * position and carries on at the next line; it runs in time linear in the input.
 * Rules it cannot structure are kept verbatim as `raw` statements.
 */
import { MAP_OBJECT_TYPES } from '../knowledge/vocabulary.ts';
import type { Statement } from '../model/stmt.ts';
import { versionFromHeader } from '../knowledge/listing.ts';
import { isVersion } from '../knowledge/versions.ts';
import type { Diagnostic, Range, Severity, Span } from '../model/diagnostic.ts';

import type { Expr, SetElement } from '../model/expr.ts';
import { appendAll } from '../model/arrays.ts';
import { newId } from '../model/ids.ts';
import type {
  BaseChainSpec,
  Chain,
  Command,
  Commented,
  Define,
  Family,
  Flowtable,
  HashComments,
  Include,
  NamedObject,
  Priority,
  Rule,
  Ruleset,
  SetDecl,
  SetKeySpec,
} from '../model/types.ts';
import { emptyRuleset } from '../model/types.ts';
import { isChainType, isFamily, isHook } from '../knowledge/families.ts';
import { NFT_KEYWORDS } from '../knowledge/keywords.ts';
import { deviceNameProblem } from '../knowledge/names.ts';
import { isObjectType, parseObjectBody } from '../objects/registry.ts';
import { ReaderCore, type TableState } from '../model/readerCore.ts';
import { Cursor, Unstructured } from './cursor.ts';
import { parseSelector, parseSetExpr } from './expressions.ts';
import { LineIndex, Tok, type TokenStream, tokenText, tokenize } from './lexer.ts';
import { SpanIndex } from './spans.ts';
import { foldText, parseRuleTokens } from './statements.ts';
import { MAX_ELEMENT_STATEMENTS, parseElementStatements } from '../stmts/elementStmts.ts';

export interface ParseOptions {
  /** file name used in messages (default `input`) */
  file?: string;
  /**
   * The text is a design whose preamble is "replace only these tables" (the app's
   * preview): a table typed without its two preamble lines joins the preamble
   * instead of turning the others' into commands (a partial replace).
   */
  replaceTables?: boolean;
}

export interface ParseResult {
  ruleset: Ruleset;
  diagnostics: Diagnostic[];
  /** node id → source offsets */
  spans: Map<string, Span>;
  /** offset → line/column */
  lines: LineIndex;
}

const OBJECT_WORDS: ReadonlySet<string> = new Set(MAP_OBJECT_TYPES);

/**
 * Words a statement can start with in nft 1.0.6 (selectors and statement
 * keywords). A rule whose unstructured part starts with anything else is an
 * error, not text to keep.
 */
const STATEMENT_WORDS = new Set([
  'accept', 'drop', 'continue', 'return', 'jump', 'goto', 'queue', 'reject', 'counter', 'log', 'limit', 'quota',
  'notrack', 'synproxy', 'snat', 'dnat', 'masquerade', 'redirect', 'tproxy', 'dup', 'fwd', 'meter', 'flow', 'xt',
  'add', 'update', 'delete', 'ct', 'meta', 'fib', 'numgen', 'jhash', 'symhash', 'rt', 'rt0', 'rt2', 'srh', 'socket',
  'osf', 'exthdr', 'ipsec', 'ether', 'vlan', 'arp', 'ip', 'ip6', 'icmp', 'icmpv6', 'igmp', 'tcp', 'udp', 'udplite',
  'sctp', 'dccp', 'th', 'ah', 'esp', 'comp', 'hbh', 'frag', 'dst', 'mh', 'gre', 'gretap', 'vxlan', 'geneve', 'last',
  'mark', 'iif', 'iifname', 'iiftype', 'oif', 'oifname', 'oiftype', 'skuid', 'skgid', 'nftrace', 'rtclassid',
  'ibriport', 'ibrname', 'obriport', 'obrname', 'pkttype', 'cpu', 'iifgroup', 'oifgroup', 'cgroup', 'secmark',
]);
const RAW_COMMANDS = new Set(['list', 'reset', 'rename', 'replace', 'get', 'monitor', 'describe', 'export', 'import', 'destroy']);

/**
 * What a block's or the file's item stands for, for its `#` comments: a node
 * (`block` when it was written with a `{ … }` of its own), or the elements of a
 * set (`elements = { … }`, `add element`); no `placed` is a line of its block
 * (`type …`, `policy …`, `flags …`) or a command that is no node.
 */
type Placed = { node: Commented; block: boolean } | { elementsOf: SetDecl };

const TOK_NAMES: Partial<Record<Tok, string>> = {
  [Tok.EOF]: 'end of file',
  [Tok.Newline]: 'newline',
  [Tok.LBrace]: '"{"',
  [Tok.RBrace]: '"}"',
  [Tok.Semi]: '";"',
  [Tok.Comma]: '","',
  [Tok.Colon]: '":"',
  [Tok.Junk]: 'an unexpected character',
};

export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const p = new Parser(text, options);
  try {
    p.run();
  } catch (e) {
    // A bug in the parser must not lose the user's text: report it and return what we have.
    p.report(p.p, `internal parser error: ${e instanceof Error ? e.message : String(e)}`, 'error', 'parse/internal');
  }
  // an nft-agent export says on its first line which nft listed it: the design is for that version
  const nl = text.indexOf('\n');
  const version = versionFromHeader([(nl < 0 ? text : text.slice(0, nl)).slice(0, 200).replace(/\r$/, '')]);
  if (version !== undefined && isVersion(version)) p.ruleset.target = version;
  return p.result();
}

/** Named objects whose last statement nft's grammar ends with a separator too. */
const CT_OBJECTS_ENDING_STATEMENTS: ReadonlySet<string> = new Set(['ct helper', 'ct timeout', 'ct expectation']);

class Parser {
  readonly ts: TokenStream;
  readonly ruleset: Ruleset = emptyRuleset();
  readonly diagnostics: Diagnostic[] = [];
  readonly spans = new SpanIndex();
  readonly lines: LineIndex;
  p = 0;
  /** the tables read so far and the preamble the file stands for (shared with the JSON reader) */
  private readonly core = new ReaderCore(this.ruleset);
  private readonly tables = this.core.tables;
  private lastBareTable: string | undefined;
  /** tokens of the last bare `table F N` (for the span of a kept replace command) */
  private lastBareFrom = 0;
  private lastBareTo = 0;
  private sawTable = false;
  /** names of the defines so far (a file may hold a hundred thousand) */
  private readonly defineNames = new Set<string>();
  /** chains whose base spec was refused for a device name */
  private readonly refusedBase = new Set<Chain>();

  // `#` comments (see "comments" below)
  /** the next comment not yet placed */
  private ci = 0;
  /** what the item just read stands for, set by the code that read it */
  private placed: Placed | undefined;
  /** top level: a node has been placed (comments above lines that are no node go to the file's header until then) */
  private placedAtTop = false;
  /** top level: items read so far (the comments above the first may be the file's header) */
  private topItems = 0;
  /** top level: comments above lines that are not nodes (`flush ruleset`, `delete table`), for the next node */
  private pending: string[] = [];

  constructor(
    readonly src: string,
    readonly options: ParseOptions,
  ) {
    this.ts = tokenize(src);
    this.lines = new LineIndex(src);
  }

  result(): ParseResult {
    const rs = this.ruleset;
    this.fileEnd();
    const pre = this.core.finishPreamble(this.options.replaceTables);
    for (const id of pre.dropped) this.spans.delete(id);
    if (pre.partial) this.diagnostics.push({ id: 'parse/partial-replace', severity: 'warning', message: pre.partial });
    return { ruleset: rs, diagnostics: this.diagnostics, spans: this.spans, lines: this.lines };
  }

  // -------------------------------------------------------------- tokens

  k(o = 0): Tok {
    const i = this.p + o;
    return i < this.ts.count ? (this.ts.kind[i] as Tok) : Tok.EOF;
  }
  t(o = 0): string {
    const i = this.p + o;
    return i < this.ts.count ? tokenText(this.ts, i) : '';
  }
  w(o = 0): string {
    return this.k(o) === Tok.Word ? this.t(o) : '';
  }
  next(): void {
    if (this.p < this.ts.count - 1) this.p++;
  }
  describe(i: number): string {
    const k = this.ts.kind[i] as Tok;
    if (k === Tok.Word || k === Tok.String) return `"${this.src.slice(this.ts.start[i], this.ts.end[i]).slice(0, 40)}"`;
    return TOK_NAMES[k] ?? `"${this.src.slice(this.ts.start[i], this.ts.end[i])}"`;
  }

  range(startTok: number, endTok = startTok): Range {
    const a = this.lines.position(this.ts.start[startTok]);
    const endOff = Math.max(this.ts.end[endTok], this.ts.start[endTok] + 1);
    const b = this.lines.position(endOff);
    return { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col };
  }

  report(tok: number, message: string, severity: Severity = 'error', id = 'parse/syntax', nodeId?: string): void {
    const i = Math.min(tok, this.ts.count - 1);
    const d: Diagnostic = { id, severity, message, range: this.range(i) };
    if (nodeId) d.nodeId = nodeId;
    this.diagnostics.push(d);
  }

  span(id: string, startTok: number, endTok: number): void {
    this.spans.add(id, this.ts.start[startTok], this.ts.end[endTok > startTok ? endTok : startTok]);
  }

  /** Skip to the end of the current line/command (newline or ";" at depth 0), not past an unmatched "}". */
  syncLine(): void {
    let depth = 0;
    for (;;) {
      const k = this.k();
      if (k === Tok.EOF) return;
      if (depth === 0 && (k === Tok.Newline || k === Tok.Semi)) return;
      if (k === Tok.LBrace) depth++;
      if (k === Tok.RBrace) {
        if (depth === 0) return;
        depth--;
      }
      this.next();
    }
  }

  /** index of the "}" matching the "{" at `open`, or -1 */
  matchBrace(open: number): number {
    let depth = 0;
    const kind = this.ts.kind;
    for (let i = open; i < this.ts.count; i++) {
      const k = kind[i];
      if (k === Tok.LBrace) depth++;
      else if (k === Tok.RBrace) {
        depth--;
        if (depth === 0) return i;
      }
    }
    return -1;
  }

  /** end of a line-terminated item starting at p: index of the terminating token (newline, ";", "}" at depth 0 or EOF) */
  lineEnd(from: number): number {
    let depth = 0;
    const kind = this.ts.kind;
    for (let i = from; i < this.ts.count; i++) {
      const k = kind[i];
      if (k === Tok.EOF) return i;
      if (k === Tok.LBrace) depth++;
      else if (k === Tok.RBrace) {
        if (depth === 0) return i;
        depth--;
      } else if (depth === 0 && (k === Tok.Newline || k === Tok.Semi)) return i;
    }
    return this.ts.count - 1;
  }

  checkJunk(from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
      if (this.ts.kind[i] === Tok.Junk) {
        const ch = this.src.slice(this.ts.start[i], this.ts.end[i]);
        this.report(i, ch.startsWith('"') ? 'unterminated string' : `unexpected character "${ch.slice(0, 1)}"`);
        return true;
      }
    }
    return false;
  }

  expectName(what: string): string | undefined {
    const k = this.k();
    if (k === Tok.Word) {
      const name = this.t();
      if (NFT_KEYWORDS.has(name)) {
        this.report(this.p, `"${name}" is a keyword and cannot be a ${what} name`);
        this.next();
        return undefined;
      }
      if (!/^[A-Za-z_.]/.test(name)) {
        this.report(this.p, `a ${what} name must start with a letter, "_" or "."`);
        this.next();
        return undefined;
      }
      this.next();
      return name;
    }
    if (k === Tok.String) this.report(this.p, `${what} names cannot be quoted in nft`);
    else this.report(this.p, `expected a ${what} name, found ${this.describe(this.p)}`);
    return undefined;
  }

  familyOpt(): Family {
    const w = this.w();
    if (w && isFamily(w)) {
      this.next();
      return w;
    }
    return 'ip';
  }

  /** after a nested block: nft requires a newline or ";" before the next token */
  afterBlock(): void {
    const k = this.k();
    if (k === Tok.Newline || k === Tok.Semi || k === Tok.EOF) return;
    if (k === Tok.RBrace) {
      this.report(this.p, 'nft needs a newline or ";" after "}" before the next "}" (nft: syntax error, unexpected \'}\')', 'error', 'parse/block-separator');
      return;
    }
    this.report(this.p, `expected a newline or ";" after "}", found ${this.describe(this.p)}`);
    this.syncLine();
  }

  // -------------------------------------------------------------- comments
  //
  // A `#` comment belongs to the item below it (`above`), or trails the line of
  // the item before it (`inline`, or `close` after a block's "}"); inside a block
  // it may stand before the block's "}" (`end`), above a line of the block that
  // is no node (`head`: `type …`, `policy …`), or in a set's elements (`elements`).
  // Comments are placed in file order, each once: `ci` only moves forward.

  /** text of comment i */
  private commentText(i: number): string {
    return this.src.slice(this.ts.commentStart[i], this.ts.commentEnd[i]);
  }

  /** is the line directly above the one at `offset` blank? (`offset` is the first thing on its line) */
  private blankAbove(offset: number): boolean {
    const src = this.src;
    let j = offset - 1;
    while (j >= 0 && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9)) j--;
    if (j < 0 || src.charCodeAt(j) !== 10) return false;
    j--;
    while (j >= 0 && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9 || src.charCodeAt(j) === 13)) j--;
    return j >= 0 && src.charCodeAt(j) === 10;
  }

  /**
   * The comments not yet placed that start before `offset`, as lines (a `''`
   * for a blank line above one of them; with `blankBelow`, also one after the
   * last when the line above `offset` is blank), or undefined when there are none.
   */
  private takeBefore(offset: number, blankBelow = false): string[] | undefined {
    const cs = this.ts.commentStart;
    if (this.ci >= cs.length || cs[this.ci] >= offset) return undefined;
    const out: string[] = [];
    while (this.ci < cs.length && cs[this.ci] < offset) {
      if (this.blankAbove(cs[this.ci]) && out[out.length - 1] !== '') out.push('');
      out.push(this.commentText(this.ci));
      this.ci++;
    }
    if (blankBelow && offset < this.src.length && this.blankAbove(offset)) out.push('');
    return out;
  }

  /** the comment that trails token `tok` on its line (only ";" between them), taken; or undefined */
  private takeTrailing(tok: number): string | undefined {
    const cs = this.ts.commentStart;
    if (this.ci >= cs.length) return undefined;
    const kind = this.ts.kind;
    if (kind[tok] === Tok.Newline || cs[this.ci] < this.ts.end[tok]) return undefined;
    let q = tok + 1;
    while (q < this.ts.count - 1 && kind[q] === Tok.Semi) q++;
    if (q < this.ts.count && cs[this.ci] >= this.ts.start[q]) return undefined;
    return this.commentText(this.ci++);
  }

  private hashOf(node: Commented): HashComments {
    return (node.hashComments ??= {});
  }

  private addLines(node: Commented, key: 'above' | 'head' | 'end' | 'elements', lines: string[] | undefined): void {
    if (!lines?.length) return;
    const hc = this.hashOf(node);
    const have = hc[key];
    if (!have) hc[key] = lines;
    else if (have[have.length - 1] === '' && lines[0] === '') appendAll(have, lines.slice(1));
    else appendAll(have, lines);
  }

  private addLine(node: Commented, key: 'inline' | 'close', line: string | undefined): void {
    if (line === undefined) return;
    const hc = this.hashOf(node);
    // a second one (a node declared twice) goes above it
    if (hc[key] === undefined) hc[key] = line;
    else this.addLines(node, 'above', [line]);
  }

  /** after a block's "{" at token `open`: a comment on the same line trails it */
  private blockOpened(owner: Commented | undefined, open: number): void {
    if (owner) this.addLine(owner, 'inline', this.takeTrailing(open));
  }

  /**
   * After an item of a block (`owner`) or of the file (no owner) that began at
   * token `start` with `lead` above it: place the comments written inside it
   * and the one trailing it, by what the item stood for (`this.placed`).
   */
  private placeItem(lead: string[] | undefined, start: number, owner: Commented | undefined): void {
    const placed = this.placed;
    this.placed = undefined;
    const more = this.ci < this.ts.commentStart.length;
    if (!lead && !more && (owner || !this.pending.length || !placed)) return;
    let last = Math.max(start, this.p - 1);
    while (last > start && this.ts.kind[last] === Tok.Newline) last--;
    const inner = more ? this.takeBefore(this.ts.end[last]) : undefined;
    const trailing = more ? this.takeTrailing(last) : undefined;
    if (placed && 'elementsOf' in placed) {
      const lines = [...(lead ?? []), ...(inner ?? [])];
      if (trailing !== undefined) lines.push(trailing);
      this.addLines(placed.elementsOf, 'elements', lines);
      if (inner) this.report(start, `the # comments inside these elements are kept above the elements line of ${placed.elementsOf.kind} ${placed.elementsOf.name}: nft lists elements sorted, so a comment cannot stay next to its element`, 'info', 'parse/comment-moved', placed.elementsOf.id);
      return;
    }
    if (placed) {
      const node = placed.node;
      let above = lead;
      if (!owner) {
        above = this.topLead(above);
        if (this.pending.length) {
          above = [...this.pending, ...(above ?? [])];
          this.pending = [];
        }
        this.placedAtTop = true;
      }
      this.addLines(node, 'above', above);
      if (placed.block) {
        // what a block's own lines did not place (an object's or a flowtable's body)
        this.addLines(node, 'head', inner);
        this.addLine(node, 'close', trailing);
      } else {
        if (inner) {
          this.addLines(node, 'above', inner);
          this.report(start, 'the # comments inside this item are kept above it: it is written on one line', 'info', 'parse/comment-moved', (node as { id?: string }).id);
        }
        this.addLine(node, 'inline', trailing);
      }
      return;
    }
    // a line that is no node
    const lines = [...(lead ?? []), ...(inner ?? [])];
    if (trailing !== undefined) lines.push(trailing);
    if (!lines.length) return;
    if (owner) this.addLines(owner, 'head', lines);
    else if (!this.placedAtTop) this.addFileLines('head', lines);
    else appendAll(this.pending, lines);
  }

  /**
   * The comments above the file's first node: a group that a blank line
   * separates from it, or that starts with `#!`, is the file's header.
   */
  private topLead(lead: string[] | undefined): string[] | undefined {
    if (!lead || this.topItems !== 1) return lead;
    const blank = lead.lastIndexOf('');
    if (lead[0].startsWith('#!') && blank < 0) {
      this.addFileLines('head', lead);
      return undefined;
    }
    if (blank < 0) return lead;
    this.addFileLines('head', lead.slice(0, blank + 1));
    return blank + 1 < lead.length ? lead.slice(blank + 1) : undefined;
  }

  private addFileLines(key: 'head' | 'end', lines: string[]): void {
    let ls = lines;
    // the file's first line is its first line: no blank above it
    if (key === 'head' && !this.ruleset.hashComments?.head) while (ls.length && ls[0] === '') ls = ls.slice(1);
    if (!ls.length) return;
    const hc = (this.ruleset.hashComments ??= {});
    hc[key] = hc[key] ? [...hc[key], ...ls] : ls;
  }

  /** the comments before a block's "}" (at token `close`), or at the end of an unclosed block */
  private blockEnd(owner: Commented | undefined, close: number): void {
    if (!owner) return;
    this.addLines(owner, 'end', this.takeBefore(this.ts.start[close]));
  }

  /**
   * The comments of a `{ … }` body read as one piece (an object's, a
   * flowtable's; tokens `from` to `to`, the "}"): the one trailing the "{", those
   * among its lines (kept above them), those before the "}".
   */
  private bodyComments(node: Commented, from: number, to: number): void {
    this.blockOpened(node, from - 1);
    let last = to - 1;
    while (last >= from && (this.ts.kind[last] === Tok.Newline || this.ts.kind[last] === Tok.Semi)) last--;
    if (last >= from) this.addLines(node, 'head', this.takeBefore(this.ts.end[last]));
    this.blockEnd(node, to);
  }

  /** what is left when the file ends */
  private fileEnd(): void {
    const rest = this.takeBefore(Infinity) ?? [];
    const lines = [...this.pending, ...rest];
    this.pending = [];
    if (!lines.length) return;
    if (this.topItems === 0) this.addFileLines('head', lines);
    else this.addFileLines('end', lines);
  }

  // -------------------------------------------------------------- top level

  run(): void {
    const cr = this.src.indexOf('\r');
    if (cr >= 0) {
      let t = 0;
      while (t < this.ts.count - 1 && this.ts.end[t] <= cr) t++;
      this.report(
        t,
        'CRLF line ends: nft refuses every line that ends in "\\r" (1.0.6: "unexpected junk", 1.1.3: "unexpected CRLF line terminators"); fmt writes LF',
        'error',
        'parse/crlf',
      );
    }
    while (this.k() !== Tok.EOF) {
      const k = this.k();
      if (k === Tok.Newline || k === Tok.Semi) {
        this.next();
        continue;
      }
      const before = this.p;
      const lead = this.takeBefore(this.ts.start[before], true);
      this.placed = undefined;
      this.topItems++;
      if (k === Tok.Word) this.command();
      else {
        if (k === Tok.Junk) this.checkJunk(this.p, this.p + 1);
        else this.report(this.p, `unexpected ${this.describe(this.p)}`);
        this.syncLine();
        if (this.k() === Tok.RBrace) this.next();
      }
      if (this.p === before) this.next(); // always make progress
      this.placeItem(lead, before, undefined);
    }
  }

  command(): void {
    const start = this.p;
    const w = this.t();
    switch (w) {
      case 'table':
        this.next();
        this.tableCommand(start, true);
        return;
      case 'add':
      case 'create':
        this.addCommand(start);
        return;
      case 'insert':
        if (this.w(1) === 'rule') {
          this.next();
          this.next();
          this.ruleCommand(start, true);
          return;
        }
        break;
      case 'delete':
        this.deleteCommand(start);
        return;
      case 'flush':
        this.flushCommand(start);
        return;
      case 'define':
        this.defineCommand(start);
        return;
      case 'redefine':
      case 'undefine':
        this.rawCommand(start, `"${w}" is kept as written; the designer does not evaluate it`);
        return;
      case 'include':
        this.includeCommand(start);
        return;
      default:
        if (RAW_COMMANDS.has(w)) {
          this.rawCommand(start, `"${w}" commands are kept as written`);
          return;
        }
    }
    this.report(start, `unknown command ${this.describe(start)}`);
    this.syncLine();
  }

  rawCommand(start: number, note: string): void {
    this.syncLine();
    const end = this.p - 1;
    if (this.checkJunk(start, this.p)) return;
    const text = foldText(this.src, this.ts.start[start], this.ts.end[Math.max(start, end)]);
    const id = newId('x');
    const command: Command = { id, text, at: this.sawTable ? 'end' : 'start' };
    this.ruleset.commands.push(command);
    this.span(id, start, end);
    this.placed = { node: command, block: false };
    this.report(start, note, 'info', 'parse/raw-command', id);
  }

  tableState(family: Family, name: string, start: number): TableState {
    const { st, made } = this.core.tableState(family, name);
    if (made) this.span(st.table.id, start, start);
    this.sawTable = true;
    return st;
  }

  /** after `table` (or `add table`): [family] NAME [{ … }] */
  tableCommand(start: number, declarative: boolean): void {
    const family = this.familyOpt();
    const name = this.expectName('table');
    if (name === undefined) {
      this.syncLine();
      return;
    }
    const st = this.tableState(family, name, start);
    if (this.k() !== Tok.LBrace) {
      // `table ip t` alone declares an empty table; remember it for the replace pattern
      this.lastBareTable = `${family} ${name}`;
      this.lastBareFrom = start;
      this.lastBareTo = this.p - 1;
      this.span(st.table.id, start, this.p - 1);
      this.placed = { node: st.table, block: false };
      if (this.k() !== Tok.Newline && this.k() !== Tok.Semi && this.k() !== Tok.EOF) {
        this.report(this.p, `expected "{" or a newline after the table name, found ${this.describe(this.p)}`);
        this.syncLine();
      }
      return;
    }
    this.lastBareTable = undefined;
    this.tableBody(st);
    this.span(st.table.id, start, this.p - 1);
    this.placed = { node: st.table, block: true };
    if (declarative) this.afterBlock();
  }

  /**
   * The items of a `{ … }` block: separators are skipped, "}" ends it, a
   * missing "}" is reported; `item` reads one item starting at `start` (the
   * loop always moves on, so a bad item cannot stall it).
   */
  blockItems(what: string, item: (start: number) => void, owner?: Commented): void {
    const open = this.p;
    this.next(); // {
    this.blockOpened(owner, open);
    for (let first = true; ; first = false) {
      // nft ends every item of a table, chain or set with a newline or ";": `{ accept }` is refused
      if (!first && this.k() === Tok.RBrace) {
        const prev = this.ts.kind[this.p - 1];
        if (prev !== Tok.Newline && prev !== Tok.Semi && prev !== Tok.RBrace && prev !== Tok.LBrace) {
          this.report(this.p, 'nft needs a newline or ";" before this "}" (nft: syntax error, unexpected \'}\')', 'error', 'parse/block-separator');
        }
      }
      const k = this.k();
      if (k === Tok.Newline || k === Tok.Semi) {
        this.next();
        continue;
      }
      if (k === Tok.RBrace) {
        this.blockEnd(owner, this.p);
        this.next();
        return;
      }
      if (k === Tok.EOF) {
        this.report(this.p, `missing "}" to close ${what}`);
        this.blockEnd(owner, this.p);
        return;
      }
      const start = this.p;
      const lead = this.takeBefore(this.ts.start[start], true);
      this.placed = undefined;
      item(start);
      if (this.p === start) this.next();
      this.placeItem(lead, start, owner);
    }
  }

  tableBody(st: TableState): void {
    const t = st.table;
    this.blockItems(`table ${t.name}`, (start) => {
      const w = this.w();
      switch (w) {
        case 'flags': {
          this.next();
          const flags = this.wordList();
          for (const f of flags) if (!t.flags.includes(f)) t.flags.push(f);
          break;
        }
        case 'comment':
          this.next();
          t.comment = this.stringValue('comment') ?? t.comment;
          break;
        case 'chain':
          this.next();
          this.chainDecl(st, start);
          break;
        case 'set':
        case 'map':
          this.next();
          this.setDecl(st, w, start);
          break;
        case 'flowtable':
          this.next();
          this.flowtableDecl(st, start);
          break;
        case 'ct':
          this.next();
          this.ctObjectDecl(st, start);
          break;
        default:
          if (OBJECT_WORDS.has(w)) {
            this.next();
            this.objectDecl(st, w, start);
            break;
          }
          this.report(start, `unexpected ${this.describe(start)} in table ${t.name}`);
          this.syncLine();
      }
    }, t);
  }

  /** comma-separated words on one line */
  wordList(): string[] {
    const out: string[] = [];
    while (this.k() === Tok.Word) {
      out.push(this.t());
      this.next();
      if (this.k() === Tok.Comma) this.next();
      else break;
    }
    if (!out.length) this.report(this.p, `expected a word, found ${this.describe(this.p)}`);
    return out;
  }

  stringValue(what: string): string | undefined {
    const k = this.k();
    if (k === Tok.String) {
      const s = this.t().slice(1, -1);
      this.next();
      return s;
    }
    if (k === Tok.Word) {
      const s = this.t();
      this.next();
      return s;
    }
    if (k === Tok.Junk) this.checkJunk(this.p, this.p + 1);
    else this.report(this.p, `expected a ${what}, found ${this.describe(this.p)}`);
    this.syncLine();
    return undefined;
  }

  // -------------------------------------------------------------- chains

  chainOf(st: TableState, name: string, start: number): Chain {
    let chain = st.chains.get(name);
    if (!chain) {
      chain = { id: newId('c'), name, rules: [] };
      st.chains.set(name, chain);
      st.table.chains.push(chain);
      this.span(chain.id, start, start);
    }
    return chain;
  }

  chainDecl(st: TableState, start: number): void {
    const name = this.expectName('chain');
    if (name === undefined) {
      this.skipOptionalBlock();
      return;
    }
    const chain = this.chainOf(st, name, start);
    if (this.k() !== Tok.LBrace) {
      this.span(chain.id, start, this.p - 1);
      this.placed = { node: chain, block: false };
      return;
    }
    this.chainBody(st, chain);
    this.span(chain.id, start, this.p - 1);
    this.placed = { node: chain, block: true };
    this.afterBlock();
  }

  skipOptionalBlock(): void {
    if (this.k() === Tok.LBrace) {
      const close = this.matchBrace(this.p);
      this.p = close < 0 ? this.ts.count - 1 : close + 1;
    } else this.syncLine();
  }

  chainBody(st: TableState, chain: Chain): void {
    const family = st.table.family;
    let early: { policy: string; at: number } | undefined;
    this.blockItems(`chain ${chain.name}`, (start) => {
      const w = this.w();
      if (w === 'type' && (this.w(2) === 'hook' || isChainType(this.w(1)))) {
        this.baseSpec(chain, family);
        if (early && chain.base) {
          chain.base.policy = early.policy;
          early = undefined;
        }
      } else if (w === 'policy') {
        this.next();
        const pol = this.policyValue();
        if (pol !== undefined) {
          if (chain.base) chain.base.policy = pol;
          // nft takes the policy before the type line too: it is judged once the chain is read
          else if (!this.refusedBase.has(chain)) early = { policy: pol, at: start };
        }
      } else if (w === 'comment' && (this.k(1) === Tok.String || this.k(1) === Tok.Word) && this.isLineEnd(2)) {
        this.next();
        chain.comment = this.stringValue('comment') ?? chain.comment;
      } else if (w === 'flags' && chain.base && this.w(1) === 'offload') {
        this.next();
        chain.base.flags = this.wordList();
      } else {
        this.rule(chain, start, false);
      }
    }, chain);
    if (early && !this.refusedBase.has(chain)) this.report(early.at, 'policy is only allowed on base chains (with type … hook … priority)', 'error', 'parse/policy');
  }

  isLineEnd(o: number): boolean {
    const k = this.k(o);
    return k === Tok.Newline || k === Tok.Semi || k === Tok.RBrace || k === Tok.EOF;
  }

  policyValue(): string | undefined {
    if (this.k() === Tok.Dollar && this.k(1) === Tok.Word) {
      const v = `$${this.t(1)}`;
      this.next();
      this.next();
      return v;
    }
    const w = this.w();
    if (w === 'accept' || w === 'drop') {
      this.next();
      return w;
    }
    this.report(this.p, `policy must be accept or drop, found ${this.describe(this.p)}`, 'error', 'parse/policy');
    this.syncLine();
    return undefined;
  }

  /** type T hook H [device D | devices = { … }] priority P [;] */
  baseSpec(chain: Chain, family: Family): void {
    const start = this.p;
    this.next(); // type
    const type = this.w();
    if (!isChainType(type)) {
      this.report(this.p, `unknown chain type ${this.describe(this.p)}; expected filter, nat or route`);
      this.syncLine();
      return;
    }
    this.next();
    if (this.w() !== 'hook') {
      this.report(this.p, `expected "hook", found ${this.describe(this.p)}`);
      this.syncLine();
      return;
    }
    this.next();
    const hook = this.w();
    if (!isHook(hook)) {
      this.report(this.p, `unknown hook ${this.describe(this.p)}`);
      this.syncLine();
      return;
    }
    this.next();
    const spec: BaseChainSpec = { type, hook, priority: { kind: 'num', value: 0 }, policy: chain.base?.policy ?? 'accept' };
    // a refused device name is reported where it stands; the rest of the line is
    // still read, but the chain does not get this base spec
    let refused = false;
    if (this.w() === 'device') {
      this.next();
      const d = this.deviceName();
      if (d === undefined) return;
      if (d === null) refused = true;
      else spec.devices = [d];
    } else if (this.w() === 'devices') {
      this.next();
      if (this.k() !== Tok.Eq) {
        this.report(this.p, 'expected "=" after devices');
        this.syncLine();
        return;
      }
      this.next();
      if (this.k() === Tok.Dollar) {
        const d = this.deviceName();
        if (d === undefined) return;
        if (d === null) refused = true;
        else spec.devices = [d];
      } else {
        if (this.k() !== Tok.LBrace) {
          this.report(this.p, 'expected "{" after devices =');
          this.syncLine();
          return;
        }
        this.next();
        const devs: string[] = [];
        while (this.k() !== Tok.RBrace) {
          if (this.k() === Tok.EOF) break;
          if (this.k() === Tok.Newline || this.k() === Tok.Comma) {
            this.next();
            continue;
          }
          const d = this.deviceName();
          if (d === undefined) return;
          if (d === null) refused = true;
          else devs.push(d);
        }
        this.next();
        spec.devices = devs;
      }
    }
    if (this.w() !== 'priority') {
      this.report(this.p, `expected "priority", found ${this.describe(this.p)}`);
      this.syncLine();
      return;
    }
    this.next();
    const prio = this.priority(family);
    if (!prio) return;
    spec.priority = prio;
    if (refused) {
      // (its policy is then not reported as a second error)
      this.refusedBase.add(chain);
      return;
    }
    if (chain.base && (chain.base.hook !== spec.hook || chain.base.type !== spec.type)) {
      this.report(start, `chain ${chain.name} is declared again with a different type or hook`, 'warning', 'parse/redeclared');
    }
    chain.base = spec;
    // `priority filter policy drop;`: nft wants the ";" (or a newline) first
    if (!this.isLineEnd(0)) this.report(this.p, `nft needs ";" or a newline after the priority, before ${this.describe(this.p)}`, 'error', 'parse/separator');
  }

  /**
   * `$VAR`, `"NAME"` or `NAME`; null when the name is read but refused (reported
   * on its token: a device name is written bare in `devices = { … }`, so one
   * that is not a plain device name could become nft syntax), undefined after a
   * syntax error (reported, line skipped).
   */
  deviceName(): string | null | undefined {
    if (this.k() === Tok.Dollar && this.k(1) === Tok.Word) {
      const v = `$${this.t(1)}`;
      this.next();
      this.next();
      return v;
    }
    const k = this.k();
    if (k === Tok.String || k === Tok.Word) {
      const tok = this.p;
      const v = k === Tok.String ? this.t().slice(1, -1) : this.t();
      this.next();
      const problem = deviceNameProblem(v);
      if (problem === undefined) return v;
      this.report(tok, problem, 'error', 'parse/device-name');
      return null;
    }
    this.report(this.p, `expected a device name, found ${this.describe(this.p)}`);
    this.syncLine();
    return undefined;
  }

  /** NAME [(+|-) N] | [-]N | $VAR */
  priority(family: Family): Priority | undefined {
    if (this.k() === Tok.Dollar && this.k(1) === Tok.Word) {
      const name = this.t(1);
      this.next();
      this.next();
      return { kind: 'var', name };
    }
    let neg = false;
    if (this.k() === Tok.Dash) {
      neg = true;
      this.next();
    }
    const w = this.w();
    if (/^(\d+|0x[0-9a-fA-F]+)$/.test(w)) {
      this.next();
      const v = Number(w) * (neg ? -1 : 1);
      return { kind: 'num', value: v };
    }
    if (!neg && /^[a-z]+$/.test(w)) {
      this.next();
      let offset = 0;
      if (this.k() === Tok.Plus || this.k() === Tok.Dash) {
        const sign = this.k() === Tok.Plus ? 1 : -1;
        this.next();
        const n = this.w();
        if (!/^\d+$/.test(n)) {
          this.report(this.p, `expected a number after "${sign > 0 ? '+' : '-'}" in the priority`);
          this.syncLine();
          return undefined;
        }
        this.next();
        offset = sign * Number(n);
      }
      void family;
      return { kind: 'std', name: w, offset };
    }
    this.report(
      this.p,
      /^[a-z]+-\d+$/.test(w)
        ? `"${w}" is read as one word: write the priority with spaces, "${w.replace('-', ' - ')}"`
        : `invalid priority ${this.describe(this.p)}`,
      'error',
      'parse/priority',
    );
    this.syncLine();
    return undefined;
  }

  // -------------------------------------------------------------- rules

  rule(chain: Chain, start: number, prepend: boolean): void {
    const end = this.lineEnd(start);
    let last = end - 1;
    while (last > start && this.ts.kind[last] === Tok.Newline) last--;
    if (this.checkJunk(start, end)) {
      this.p = end;
      return;
    }
    if (this.ts.kind[end] === Tok.EOF && this.hasOpenBrace(start, end)) {
      this.report(start, 'missing "}" in this rule');
    }
    const parsed = parseRuleTokens(this.ts, start, end);
    if (parsed.stmts.length === 0) {
      this.report(start, parsed.comment !== undefined ? 'a rule needs a statement before its comment' : 'expected a rule');
      this.p = end;
      return;
    }
    const rule: Rule = { id: newId('r'), stmts: parsed.stmts };
    if (parsed.tooDeep) this.report(parsed.tooDeep.token, parsed.tooDeep.reason, 'error', 'parse/too-deep', rule.id);
    if (parsed.raw) {
      const t = parsed.raw.token;
      const word = this.ts.kind[t] === Tok.Word ? this.src.slice(this.ts.start[t], this.ts.end[t]) : '';
      const first = this.src.charAt(this.ts.start[t]);
      if (word && !STATEMENT_WORDS.has(word)) {
        this.report(t, `unknown statement "${word}"`, 'error', 'parse/unknown-statement', rule.id);
      } else if (!word && '-/,.|&^<>=!:'.includes(first) && !followsTimeMatch(parsed.stmts)) {
        // an operator where a statement should start (`meta mark 0x0/0-0xff`): written back, it would join the statement before it
        this.report(t, `unexpected "${first}": a statement cannot start with it`, 'error', 'parse/syntax', rule.id);
      } else {
        this.report(t, `kept as text (${parsed.raw.reason}); nft will check it when the script is loaded`, 'info', 'parse/raw', rule.id);
      }
    }
    if (parsed.comment !== undefined) rule.comment = parsed.comment;
    if (prepend) chain.rules.unshift(rule);
    else chain.rules.push(rule);
    this.span(rule.id, start, last);
    this.placed = { node: rule, block: false };
    this.p = end;
  }

  hasOpenBrace(from: number, to: number): boolean {
    let depth = 0;
    for (let i = from; i < to; i++) {
      if (this.ts.kind[i] === Tok.LBrace) depth++;
      if (this.ts.kind[i] === Tok.RBrace) depth--;
    }
    return depth > 0;
  }

  // -------------------------------------------------------------- sets

  setDecl(st: TableState, kind: 'set' | 'map', start: number): void {
    const name = this.expectName(kind);
    if (name === undefined) {
      this.skipOptionalBlock();
      return;
    }
    if (this.k() !== Tok.LBrace) {
      this.report(this.p, `expected "{" after ${kind} ${name}`);
      this.syncLine();
      return;
    }
    const set = this.setOf(st, kind, name, start);
    this.setBody(set, st);
    this.span(set.id, start, this.p - 1);
    this.placed = { node: set, block: true };
    this.afterBlock();
  }

  setOf(st: TableState, kind: 'set' | 'map', name: string, start: number): SetDecl {
    let set = st.sets.get(name);
    if (set) {
      if (set.kind !== kind) this.report(start, `${name} is declared as both a set and a map (they share one namespace)`);
      return set;
    }
    set = { id: newId('s'), kind, name, key: { mode: 'type', types: [] }, flags: [], elements: [] };
    st.sets.set(name, set);
    st.table.sets.push(set);
    this.span(set.id, start, start);
    return set;
  }

  setBody(set: SetDecl, st: TableState): void {
    const open = this.p;
    this.blockItems(`${set.kind} ${set.name}`, (start) => {
      const w = this.w();
      switch (w) {
        case 'type': {
          this.next();
          const spec = this.typeSpec(set.kind === 'map');
          if (spec) {
            set.key = spec.key;
            if (spec.data) set.data = spec.data;
          }
          break;
        }
        case 'typeof': {
          this.next();
          const spec = this.typeofSpec(set.kind === 'map');
          if (spec) {
            set.key = spec.key;
            if (spec.data) set.data = spec.data;
          }
          break;
        }
        case 'flags':
          this.next();
          for (const f of this.wordList()) if (!set.flags.includes(f)) set.flags.push(f);
          break;
        case 'timeout':
          this.next();
          set.timeout = this.stringValue('timeout');
          break;
        case 'gc-interval':
          this.next();
          set.gcInterval = this.stringValue('gc-interval');
          break;
        case 'size': {
          this.next();
          const n = this.w();
          if (/^\d+$/.test(n)) {
            set.size = Number(n);
            this.next();
          } else {
            this.report(this.p, 'expected a number after size');
            this.syncLine();
          }
          break;
        }
        case 'policy': {
          this.next();
          const pol = this.w();
          if (pol === 'performance' || pol === 'memory') {
            set.policy = pol;
            this.next();
          } else {
            this.report(this.p, 'set policy must be performance or memory');
            this.syncLine();
          }
          break;
        }
        case 'auto-merge':
          this.next();
          set.autoMerge = true;
          break;
        case 'comment':
          this.next();
          set.comment = this.stringValue('comment') ?? set.comment;
          break;
        case 'elements': {
          this.next();
          if (this.k() !== Tok.Eq) {
            this.report(this.p, 'expected "=" after elements');
            this.syncLine();
            break;
          }
          this.next();
          const els = this.elementsBlock(set.kind === 'map');
          if (els) appendAll(set.elements, els);
          this.placed = { elementsOf: set };
          break;
        }
        case 'counter':
        case 'quota':
        case 'limit':
        case 'ct':
        case 'last': {
          // the statements every element gets (stmts/elementStmts.ts)
          const end = this.lineEnd(start);
          const c = new Cursor(this.ts, start, end);
          try {
            const stmts = parseElementStatements(c);
            if (!stmts.length || !c.done()) c.fail(`unexpected ${this.describe(c.p)} in ${set.kind} ${set.name}`);
            const all = [...(set.stmts ?? []), ...stmts];
            if (all.length > MAX_ELEMENT_STATEMENTS) c.fail(`at most ${MAX_ELEMENT_STATEMENTS} statements on an element`);
            set.stmts = all;
          } catch (e) {
            if (!(e instanceof Unstructured)) throw e;
            this.report(e.token, `${set.kind} ${set.name}: ${e.message}`);
          }
          this.p = end;
          break;
        }
        default:
          this.report(start, `unexpected ${this.describe(start)} in ${set.kind} ${set.name}`);
          this.syncLine();
      }
    }, set);
    if (set.key.mode === 'type' && set.key.types.length === 0) {
      this.report(open, `${set.kind} ${set.name} needs a "type" or "typeof" line`, 'error', 'parse/set-type', set.id);
    }
    void st;
  }

  /** `type ipv4_addr . inet_service [: verdict]` */
  typeSpec(map: boolean): { key: SetKeySpec; data?: SetKeySpec } | undefined {
    const key = this.typeList();
    if (!key) return undefined;
    if (this.k() === Tok.Colon) {
      if (!map) {
        this.report(this.p, 'a set has no data type; use "map" for key : value');
        this.syncLine();
        return undefined;
      }
      this.next();
      const interval = this.intervalData();
      const data = this.typeList();
      if (!data) return undefined;
      return { key: { mode: 'type', types: key }, data: { mode: 'type', types: data, ...(interval ? { interval } : {}) } };
    }
    if (map) this.report(this.p, 'a map needs "type KEY : VALUE"');
    return { key: { mode: 'type', types: key } };
  }

  /** `interval` before a map's data type (`type ipv4_addr : interval ipv4_addr`): the data are ranges; consumed when a type follows on the line */
  intervalData(): boolean {
    if (this.w() !== 'interval' || this.k(1) !== Tok.Word || this.lineEnd(this.p) <= this.p + 1) return false;
    this.next();
    return true;
  }

  typeList(): string[] | undefined {
    const out: string[] = [];
    for (;;) {
      const w = this.w();
      if (!w) {
        this.report(this.p, `expected a data type, found ${this.describe(this.p)}`);
        this.syncLine();
        return undefined;
      }
      // `ct helper` etc. are two words, but 1.0.6 cannot use them as map data anyway
      out.push(w);
      this.next();
      if (this.k() === Tok.Dot) this.next();
      else return out;
    }
  }

  typeofSpec(map: boolean): { key: SetKeySpec; data?: SetKeySpec } | undefined {
    const end = this.lineEnd(this.p);
    const c = new Cursor(this.ts, this.p, end);
    try {
      const key = parseSelector(c);
      const spec: { key: SetKeySpec; data?: SetKeySpec } = { key: { mode: 'typeof', exprs: concatItems(key) } };
      if (c.k() === Tok.Colon) {
        if (!map) c.fail('a set has no data type');
        c.next();
        let interval = false;
        if (c.w() === 'interval' && c.at(1) < end) {
          c.next();
          interval = true;
        }
        const w = c.w();
        if (w && (w === 'verdict' || OBJECT_WORDS.has(w)) && c.at(1) >= end) {
          c.next();
          spec.data = { mode: 'type', types: [w] };
        } else spec.data = { mode: 'typeof', exprs: concatItems(parseSelector(c)) };
        if (interval) spec.data.interval = true;
      }
      if (!c.done()) c.fail(`unexpected ${this.describe(c.p)}`);
      this.p = end;
      return spec;
    } catch (e) {
      if (!(e instanceof Unstructured)) throw e;
      this.report(e.token, `typeof: ${e.message}`);
      this.p = end;
      return undefined;
    }
  }

  /** `{ … }` of set elements (may span lines) */
  elementsBlock(map: boolean): SetElement[] | undefined {
    if (this.k() !== Tok.LBrace) {
      this.report(this.p, 'expected "{" after elements =');
      this.syncLine();
      return undefined;
    }
    const close = this.matchBrace(this.p);
    if (close < 0) {
      this.report(this.p, 'missing "}" to close the elements');
      this.p = this.ts.count - 1;
      return undefined;
    }
    if (this.checkJunk(this.p, close)) {
      this.p = close + 1;
      return undefined;
    }
    const c = new Cursor(this.ts, this.p, close + 1);
    try {
      const set = parseSetExpr(c, map);
      this.p = close + 1;
      return set.elements;
    } catch (e) {
      if (!(e instanceof Unstructured)) throw e;
      this.report(e.token, `in the elements: ${e.message}`);
      this.p = close + 1;
      return undefined;
    }
  }

  // -------------------------------------------------------------- objects

  /** the token range of an object's `{ … }` body, or an inline body to the end of the line */
  bodyRange(): { from: number; to: number; block: boolean } | undefined {
    if (this.k() === Tok.LBrace) {
      const close = this.matchBrace(this.p);
      if (close < 0) {
        this.report(this.p, 'missing "}"');
        this.p = this.ts.count - 1;
        return undefined;
      }
      const r = { from: this.p + 1, to: close, block: true };
      this.p = close + 1;
      return r;
    }
    const end = this.lineEnd(this.p);
    const r = { from: this.p, to: end, block: false };
    this.p = end;
    return r;
  }

  objectDecl(st: TableState, type: string, start: number, declarative = true): void {
    const name = this.expectName(type);
    if (name === undefined) {
      this.skipOptionalBlock();
      return;
    }
    const body = this.bodyRange();
    if (!body) return;
    const obj = this.objectBody(type, name, body.from, body.to);
    // nft's grammar ends each statement of a ct helper, timeout or expectation with a ; or a new line,
    // the last one too: `ct helper h { type "ftp" protocol tcp }` is refused (unexpected '}')
    if (obj && body.block && CT_OBJECTS_ENDING_STATEMENTS.has(type) && body.to > body.from) {
      const l = body.to - 1;
      const k = this.ts.kind[l];
      // (a comment last needs none: it is not one of the object's statements in the grammar)
      const comment = k === Tok.String && l - 1 >= body.from && this.ts.kind[l - 1] === Tok.Word && tokenText(this.ts, l - 1) === 'comment';
      if (k !== Tok.Newline && k !== Tok.Semi && !comment) this.report(body.to, `nft needs a ";" or a new line before the "}" of ${type} ${name} (nft: syntax error, unexpected '}', expecting newline or semicolon)`);
    }
    if (obj) {
      this.addObject(st, obj, start);
      if (body.block) this.bodyComments(obj, body.from, body.to);
      this.placed = { node: obj, block: body.block };
    }
    if (declarative && body.block) this.afterBlock();
  }

  ctObjectDecl(st: TableState, start: number, declarative = true): void {
    const sub = this.ctObjectKind();
    if (sub !== undefined) this.objectDecl(st, `ct ${sub}`, start, declarative);
  }

  /** the word after `ct` in a declaration or command (consumed), or undefined after a reported error */
  ctObjectKind(): 'helper' | 'timeout' | 'expectation' | undefined {
    const sub = this.w();
    if (sub !== 'helper' && sub !== 'timeout' && sub !== 'expectation') {
      this.report(this.p, `expected helper, timeout or expectation after ct, found ${this.describe(this.p)}`);
      this.syncLine();
      return undefined;
    }
    this.next();
    return sub;
  }

  addObject(st: TableState, obj: NamedObject, start: number): void {
    const existing = st.table.objects.findIndex((o) => o.type === obj.type && o.name === obj.name);
    if (existing >= 0) {
      this.report(start, `${obj.type} ${obj.name} is declared twice; the last declaration wins`, 'warning', 'parse/redeclared');
      obj.id = st.table.objects[existing].id;
      const hc = st.table.objects[existing].hashComments;
      if (hc) obj.hashComments = hc;
      st.table.objects[existing] = obj;
    } else st.table.objects.push(obj);
    this.span(obj.id, start, this.p - 1);
  }

  objectBody(type: string, name: string, from: number, to: number): NamedObject | undefined {
    if (this.checkJunk(from, to)) return undefined;
    if (!isObjectType(type)) return undefined;
    const c = new Cursor(this.ts, from, to);
    let comment: string | undefined;
    const sep = (): void => {
      while (c.k() === Tok.Semi) c.next();
      if (c.is('comment')) {
        c.next();
        comment = c.expectString('a comment');
        while (c.k() === Tok.Semi) c.next();
      }
    };
    try {
      sep();
      // each type's body is read by its module (src/objects/)
      const body = parseObjectBody(type, c, { name, sep, describe: (p) => this.describe(p) });
      const o = { id: newId('o'), name, type, ...body } as NamedObject;
      if (comment !== undefined) o.comment = comment;
      return o;
    } catch (e) {
      if (!(e instanceof Unstructured)) throw e;
      this.report(e.token, e.message);
      return undefined;
    }
  }

  flowtableDecl(st: TableState, start: number): void {
    const name = this.expectName('flowtable');
    if (name === undefined) {
      this.skipOptionalBlock();
      return;
    }
    const body = this.bodyRange();
    if (!body) return;
    if (this.checkJunk(body.from, body.to)) return;
    const c = new Cursor(this.ts, body.from, body.to);
    const ft: Flowtable = { id: newId('f'), name, hook: 'ingress', priority: { kind: 'num', value: 0 }, devices: [] };
    // a refused device name is reported where it stands, and the flowtable left out
    let refused = false;
    try {
      while (!c.done()) {
        if (c.eat('hook')) {
          const h = c.expectWord('a hook');
          if (h !== 'ingress') c.fail('a flowtable hooks into ingress');
          if (!c.eat('priority')) c.fail('expected priority');
          let neg = false;
          if (c.k() === Tok.Dash) {
            neg = true;
            c.next();
          }
          const w = c.expectWord('a priority');
          if (/^\d+$/.test(w)) ft.priority = { kind: 'num', value: neg ? -Number(w) : Number(w) };
          else {
            let offset = 0;
            if (c.k() === Tok.Plus || c.k() === Tok.Dash) {
              const sign = c.k() === Tok.Plus ? 1 : -1;
              c.next();
              offset = sign * c.expectNumber('a number');
            }
            ft.priority = { kind: 'std', name: w, offset };
          }
        } else if (c.eat('devices')) {
          c.expectKind(Tok.Eq, '"="');
          c.expectKind(Tok.LBrace, '"{"');
          while (c.k() !== Tok.RBrace) {
            const at = c.p;
            const d = c.expectString('a device');
            const problem = deviceNameProblem(d);
            if (problem === undefined) ft.devices.push(d);
            else {
              this.report(at, problem, 'error', 'parse/device-name');
              refused = true;
            }
            if (c.k() === Tok.Comma) c.next();
            else if (c.k() !== Tok.RBrace) c.fail('expected "," or "}"');
          }
          c.next();
        } else if (c.eat('flags')) {
          ft.flags = [c.expectWord('a flag')];
        } else if (c.eat('counter')) {
          ft.counter = true;
        } else c.fail(`unexpected ${this.describe(c.p)} in flowtable ${name}`);
        while (c.k() === Tok.Semi) c.next();
      }
    } catch (e) {
      if (!(e instanceof Unstructured)) throw e;
      this.report(e.token, e.message);
      return;
    }
    if (refused) return;
    st.table.flowtables.push(ft);
    this.span(ft.id, start, this.p - 1);
    if (body.block) this.bodyComments(ft, body.from, body.to);
    this.placed = { node: ft, block: body.block };
    if (body.block) this.afterBlock();
  }

  // -------------------------------------------------------------- commands

  addCommand(start: number): void {
    const what = this.w(1);
    this.next();
    switch (what) {
      case 'table':
        this.next();
        this.tableCommand(start, false);
        return;
      case 'chain':
        this.next();
        this.chainCommand(start);
        return;
      case 'rule':
        this.next();
        this.ruleCommand(start, false);
        return;
      case 'set':
      case 'map': {
        this.next();
        const st = this.tableRef(start);
        if (!st) return;
        this.setDecl(st, what, start);
        return;
      }
      case 'element': {
        this.next();
        const st = this.tableRef(start);
        if (!st) return;
        const name = this.expectName('set');
        if (name === undefined) {
          this.syncLine();
          return;
        }
        const set = st.sets.get(name);
        const els = this.elementsBlock(set?.kind === 'map' || set === undefined);
        if (!set) {
          this.report(start, `add element: set ${name} is not declared in this file`, 'error', 'parse/unknown-set');
          return;
        }
        if (els) appendAll(set.elements, els);
        this.placed = { elementsOf: set };
        return;
      }
      case 'ct': {
        // `add ct helper [family] table name { … }`: the kind comes before the table
        this.next();
        const sub = this.ctObjectKind();
        if (sub === undefined) return;
        const st = this.tableRef(start);
        if (!st) return;
        this.objectDecl(st, `ct ${sub}`, start, false);
        return;
      }
      case 'flowtable': {
        this.next();
        const st = this.tableRef(start);
        if (!st) return;
        this.flowtableDecl(st, start);
        return;
      }
      default:
        if (OBJECT_WORDS.has(what)) {
          this.next();
          const st = this.tableRef(start);
          if (!st) return;
          this.objectDecl(st, what, start, false);
          return;
        }
    }
    this.report(this.p, `expected table, chain, rule, set, map, element or an object type after "${this.t(-1)}", found ${this.describe(this.p)}`);
    this.syncLine();
  }

  /** [family] TABLE, for commands; the table is created in the model if the file did not declare it */
  tableRef(start: number): TableState | undefined {
    const family = this.familyOpt();
    const name = this.expectName('table');
    if (name === undefined) {
      this.syncLine();
      return undefined;
    }
    const key = `${family} ${name}`;
    if (!this.tables.has(key)) {
      this.report(start, `table ${family} ${name} is not declared in this file; it is added to the design`, 'info', 'parse/implicit-table');
    }
    return this.tableState(family, name, start);
  }

  chainCommand(start: number): void {
    const st = this.tableRef(start);
    if (!st) return;
    this.chainDecl(st, start);
  }

  ruleCommand(start: number, prepend: boolean): void {
    const st = this.tableRef(start);
    if (!st) return;
    const name = this.expectName('chain');
    if (name === undefined) {
      this.syncLine();
      return;
    }
    const w = this.w();
    if (w === 'handle' || w === 'position' || w === 'index') {
      this.p = start;
      this.rawCommand(start, `a rule placed by ${w} is kept as a command, after the tables`);
      return;
    }
    if (!st.chains.has(name)) {
      this.report(start, `chain ${name} is not declared in this file; it is added as a regular chain`, 'info', 'parse/implicit-chain');
    }
    const chain = this.chainOf(st, name, start);
    this.rule(chain, this.p, prepend);
  }

  deleteCommand(start: number): void {
    if (this.w(1) === 'table') {
      this.next();
      this.next();
      const family = this.familyOpt();
      const name = this.w();
      const key = `${family} ${name}`;
      const st = this.tables.get(key);
      if (st && name && this.lastBareTable === key) {
        // `table F N` + `delete table F N`: the replace-this-table preamble
        this.next();
        const hc = st.table.hashComments;
        if (hc?.above) appendAll(this.pending, hc.above);
        if (hc?.inline !== undefined) this.pending.push(hc.inline);
        this.spans.delete(st.table.id);
        this.lastBareTable = undefined;
        // kept as commands for now, before every table (see result())
        const { add, del } = this.core.replaceTable(st, `add table ${key}`, `delete table ${key}`);
        this.span(add, this.lastBareFrom, this.lastBareTo);
        this.span(del, start, this.p - 1);
        return;
      }
      this.p = start;
      this.rawCommand(start, 'delete table is kept as a command');
      return;
    }
    this.rawCommand(start, 'delete commands are kept as written');
  }

  flushCommand(start: number): void {
    if (this.w(1) === 'table') {
      const at = this.p;
      this.next();
      this.next();
      const family = this.familyOpt();
      const name = this.w();
      const key = `${family} ${name}`;
      if (name && this.lastBareTable === key && this.tables.has(key) && this.isLineEnd(1)) {
        // `table F N` + `flush table F N` (+ the table): empty it first, as written. Kept
        // as commands before every table, with the declaration that makes sure it
        // exists; written after the tables they would empty what the file defines.
        this.next();
        const add = newId('x');
        const flush = newId('x');
        this.ruleset.commands.push({ id: add, text: `add table ${key}`, at: 'start' }, { id: flush, text: `flush table ${key}`, at: 'start' });
        this.span(add, this.lastBareFrom, this.lastBareTo);
        this.span(flush, start, this.p - 1);
        this.lastBareTable = undefined;
        return;
      }
      this.p = at;
    }
    if (this.w(1) === 'ruleset' && this.isLineEnd(2)) {
      this.next();
      this.next();
      if (this.sawTable && this.ruleset.tables.length > 0) {
        this.report(start, '"flush ruleset" after tables removes them; the design keeps only what follows', 'warning', 'parse/flush-after');
        this.ruleset.tables = [];
        this.tables.clear();
      }
      this.core.sawFlush = true;
      return;
    }
    this.rawCommand(start, 'this flush command is kept as written');
  }

  defineCommand(start: number): void {
    this.next();
    const name = this.w();
    if (!name) {
      this.report(this.p, `expected a variable name after define, found ${this.describe(this.p)}`);
      this.syncLine();
      return;
    }
    this.next();
    if (this.k() !== Tok.Eq) {
      this.report(this.p, `expected "=" after define ${name}`);
      this.syncLine();
      return;
    }
    this.next();
    const from = this.p;
    const end = this.lineEnd(from);
    if (end === from) {
      this.report(from, `define ${name} has no value`);
      return;
    }
    if (this.checkJunk(from, end)) {
      this.p = end;
      return;
    }
    if (this.defineNames.has(name)) {
      this.report(start, `redefinition of symbol '${name}'`, 'error', 'parse/redefine');
    }
    this.defineNames.add(name);
    const id = newId('d');
    const define: Define = { id, name, value: foldText(this.src, this.ts.start[from], this.ts.end[end - 1]) };
    this.ruleset.defines.push(define);
    this.placed = { node: define, block: false };
    this.span(id, start, end - 1);
    this.p = end;
  }

  includeCommand(start: number): void {
    this.next();
    if (this.k() !== Tok.String) {
      this.report(this.p, 'expected a quoted path after include');
      this.syncLine();
      return;
    }
    const path = this.t().slice(1, -1);
    this.next();
    const id = newId('x');
    const include: Include = { id, path };
    this.ruleset.includes.push(include);
    this.placed = { node: include, block: false };
    this.span(id, start, this.p - 1);
    this.report(start, `include "${path}" is kept, but the designer cannot follow it: its rules are not shown or checked`, 'info', 'parse/include', id);
  }
}

function concatItems(e: Expr): Expr[] {
  return e.kind === 'concat' ? e.items : [e];
}

/**
 * Errors that nft reports in the text but that writing the design out again
 * fixes: CRLF line ends and a missing newline or ";" (before "}", after a priority; the listing
 * has LF and one item per line). `lint` reports them (nft refuses the file as
 * written); `fmt`, `to-json` and the import dialog read past them.
 */
const FIXED_BY_REWRITE: ReadonlySet<string> = new Set(['parse/crlf', 'parse/block-separator', 'parse/separator']);

export function fixedByRewrite(d: Diagnostic): boolean {
  return d.severity === 'error' && FIXED_BY_REWRITE.has(d.id);
}

/** The errors that stop a rewrite: every error but those the rewrite fixes. */
export function blockingErrors(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === 'error' && !FIXED_BY_REWRITE.has(d.id));
}

/** The statement before a raw tail is a `meta time|day|hour` match: its date or time literal (`2026-01-01`) is not structured, and the tail is the rest of it. */
function followsTimeMatch(stmts: readonly Statement[]): boolean {
  const prev = stmts[stmts.length - 2];
  return prev?.kind === 'match' && prev.left.kind === 'meta' && (prev.left.key === 'time' || prev.left.key === 'day' || prev.left.key === 'hour');
}
