/**
 * The runtime validator: untrusted data (a saved design, a share link, a file)
 * becomes a Ruleset only if every field has the right type and value set. It
 * reports every problem with its path (`tables[0].chains[1].rules[3].stmts[0].mss`),
 * and `migrateRuleset` brings older schema versions forward first.
 *
 * This checks the SHAPE of the data: the type of every field, the closed sets
 * of words, and which kinds of expression may stand where (a selector on the
 * left of a match, a `map` in an object reference, a verdict only as map data),
 * so that nothing that passes makes the emitter or toJson stumble. Whether names
 * and values can be written as nft text safely is the emitter's check
 * (emit/validate.ts, which applies the same expression places); whether the
 * ruleset makes sense is the linter's.
 */
import { MAX_EXPR_DEPTH, NESTED_TOO_DEEPLY } from './nesting.ts';
import { SCHEMA_VERSION, type Ruleset } from './types.ts';
import type { Expr } from './expr.ts';
import { isVersion } from '../knowledge/versions.ts';
import { EXTHDR_SPACES, OSF_KEYS, OSF_TTLS, RAW_PAYLOAD_BASES } from '../knowledge/exthdr.ts';
import { checkStatementShape } from '../stmts/registry.ts';
import { checkElementStatementsShape } from '../stmts/elementStmts.ts';
import { limitShape } from '../stmts/limit.ts';
import { quotaShape } from '../stmts/quota.ts';
import { synproxyShape } from '../stmts/synproxy.ts';

export type ValidationResult = { ok: true; ruleset: Ruleset } | { ok: false; errors: string[] };

// The closed vocabularies are declared once (knowledge/vocabulary.ts; a statement kind's own in its module).
import { BINOPS, BYTE_UNITS, CHAIN_TYPES, CT_DIRS, EXPR_VERDICTS, FAMILIES, HOOKS, IP_FAMILIES, MATCH_OPS, OBJECT_TYPES, OBJREF_TYPES, RATE_UNITS, TIME_UNITS, VERDICT_NAMES } from '../knowledge/vocabulary.ts';
export { BINOPS, BYTE_UNITS, CHAIN_TYPES, CT_DIRS, EXPR_VERDICTS, FAMILIES, HOOKS, IP_FAMILIES, MATCH_OPS, OBJECT_TYPES, OBJREF_TYPES, RATE_UNITS, TIME_UNITS };
export const VERDICTS = VERDICT_NAMES;

// ------------------------------------------------------------ # comments

/** The longest `#` comment line kept (nft takes any length; this bounds untrusted input). */
export const MAX_HASH_COMMENT_LENGTH = 65_536;
/** The most lines one group of `#` comments holds (above one node, at the end of one block). */
export const MAX_HASH_COMMENT_LINES = 1_000_000;
/**
 * What cannot stand inside one `#` comment line: a line break (nft ends the
 * comment there, and what follows would be read as commands) or any other
 * control character but the tab; also the breaks an editor shows as new lines.
 */
export function breaksCommentLine(code: number): boolean {
  return (code < 32 && code !== 9) || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029;
}

function hasCommentBreak(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (breaksCommentLine(s.charCodeAt(i))) return true;
  return false;
}
/** The groups of lines of HashComments, and its single lines. */
export const HASH_COMMENT_GROUPS = ['above', 'head', 'end', 'elements'] as const;
export const HASH_COMMENT_SINGLES = ['inline', 'close'] as const;

/**
 * Why `line` cannot be one stored `#` comment line, or undefined: it is text that
 * starts with `#`, on one line, at most MAX_HASH_COMMENT_LENGTH long — or, where
 * `blank` allows it, `''` for a blank line.
 */
export function hashCommentProblem(line: unknown, blank: boolean): string | undefined {
  if (typeof line !== 'string') return 'expected text';
  if (line === '') return blank ? undefined : 'expected a # comment, found an empty line';
  if (!line.startsWith('#')) return `a # comment line starts with "#" (found ${JSON.stringify(line.slice(0, 20))})`;
  if (line.length > MAX_HASH_COMMENT_LENGTH) return `a # comment line is at most ${MAX_HASH_COMMENT_LENGTH} characters`;
  if (hasCommentBreak(line)) return 'a # comment is one line: no line break or control character in it';
  return undefined;
}

/** Every problem of a node's `hashComments` (undefined is fine), as [field, message]. */
export function hashCommentsProblems(hc: unknown, allowed: readonly string[] = [...HASH_COMMENT_GROUPS, ...HASH_COMMENT_SINGLES]): [string, string][] {
  if (hc === undefined) return [];
  if (typeof hc !== 'object' || hc === null || Array.isArray(hc)) return [['hashComments', 'expected an object']];
  const out: [string, string][] = [];
  for (const [key, v] of Object.entries(hc)) {
    const field = `hashComments.${key}`;
    if (v === undefined) continue;
    if (!allowed.includes(key)) out.push([field, `unknown field (expected ${allowed.join(', ')})`]);
    else if ((HASH_COMMENT_SINGLES as readonly string[]).includes(key)) {
      const p = hashCommentProblem(v, false);
      if (p) out.push([field, p]);
    } else if (!Array.isArray(v)) out.push([field, 'expected a list of # comment lines']);
    else if (v.length > MAX_HASH_COMMENT_LINES) out.push([field, `at most ${MAX_HASH_COMMENT_LINES} lines`]);
    else {
      for (let i = 0; i < v.length; i++) {
        const p = hashCommentProblem(v[i], true);
        if (p) {
          out.push([`${field}[${i}]`, p]);
          break;
        }
      }
    }
  }
  return out;
}

// ------------------------------------------------------------ expression places

/**
 * Where an expression stands. Each place admits some kinds of expression; the
 * emitter prints each place assuming one of them (an object reference's `map`
 * has a key and data, a match's left side is a selector), so anything else
 * would make it throw or print a script nft cannot load (`accept 1`,
 * `dnat to accept`).
 */
export type ExprPlace =
  /** left of a match, key of a vmap / map lookup / set update, typeof, jhash input, left of a bit operation */
  | 'selector'
  /** what a `set` statement writes to */
  | 'mangleKey'
  /** right of a bit operation: `0xff`, `(syn | ack)` */
  | 'operand'
  /** a single value: bound of a range, address of a prefix, item of an operand list */
  | 'atom'
  /** right of a match */
  | 'rhs'
  | 'listItem'
  | 'concatItem'
  | 'elementKey'
  /** map element data: a value or a verdict */
  | 'elementData'
  /** the table of a map lookup or vmap: `{ … }`, `@name`, `$var` */
  | 'mapData'
  /** the map of an object reference: `KEY map { … }` */
  | 'objrefMap'
  /** a value or a selector: the value of a `set` statement, a nat address or port */
  | 'target';

const EXTHDR_SPACE_NAMES = Object.keys(EXTHDR_SPACES);
const SELECTOR_KINDS = ['payload', 'meta', 'ct', 'fib', 'rt', 'socket', 'numgen', 'hash', 'exthdr', 'rawpayload', 'ipsec', 'osf', 'rawexpr', 'var', 'concat', 'binop', 'map'];
const VALUE_KINDS = ['value', 'range', 'prefix', 'var', 'rawexpr'];

export const PLACE_KINDS: Readonly<Record<ExprPlace, ReadonlySet<string>>> = {
  selector: new Set(SELECTOR_KINDS),
  mangleKey: new Set(['payload', 'meta', 'ct', 'exthdr', 'rawpayload', 'rawexpr', 'var']),
  operand: new Set(['value', 'list', 'var', 'rawexpr']),
  atom: new Set(['value', 'var', 'rawexpr']),
  rhs: new Set([...VALUE_KINDS, 'list', 'concat', 'set', 'setref']),
  listItem: new Set([...VALUE_KINDS, 'concat']),
  concatItem: new Set(VALUE_KINDS),
  // a list: flags combined into one element (`{ syn | ack, syn }`)
  elementKey: new Set([...VALUE_KINDS, 'concat', 'list', 'catchall']),
  elementData: new Set([...VALUE_KINDS, 'concat', 'verdict']),
  mapData: new Set(['set', 'setref', 'var']),
  objrefMap: new Set(['map']),
  target: new Set([...VALUE_KINDS, 'list', ...SELECTOR_KINDS]),
};

/** The place of the items of a concatenation standing at `place`. */
export function concatItemPlace(place: ExprPlace): ExprPlace {
  return place === 'selector' || place === 'mangleKey' ? 'selector' : place === 'target' ? 'target' : 'concatItem';
}

/** The place of the items of a list standing at `place`. */
export function listItemPlace(place: ExprPlace): ExprPlace {
  return place === 'operand' ? 'atom' : 'listItem';
}

const KIND_TEXT: Readonly<Record<Expr['kind'], string>> = {
  payload: 'a payload selector',
  meta: 'a meta selector',
  ct: 'a ct selector',
  fib: 'a fib selector',
  rt: 'an rt selector',
  socket: 'a socket selector',
  numgen: 'numgen',
  hash: 'a hash',
  exthdr: 'an extension header, option or chunk selector',
  rawpayload: 'a raw payload selector',
  ipsec: 'an ipsec selector',
  osf: 'an osf selector',
  rawexpr: 'an expression kept as text',
  var: 'a $variable',
  concat: 'a concatenation',
  binop: 'a bit operation',
  map: 'a map lookup',
  value: 'a value',
  list: 'a list',
  range: 'a range',
  prefix: 'a prefix',
  set: 'an anonymous set',
  setref: 'an @set reference',
  verdict: 'a verdict',
  catchall: 'the catch-all element *',
};

function isKnownKind(kind: unknown): kind is Expr['kind'] {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(KIND_TEXT, kind);
}

/** Why an expression of `kind` cannot stand at `place` (described as `where`), or undefined. */
export function placeProblem(kind: unknown, place: ExprPlace, where: string): string | undefined {
  if (typeof kind === 'string' && PLACE_KINDS[place].has(kind)) return undefined;
  return `${isKnownKind(kind) ? KIND_TEXT[kind] : 'an unknown kind of expression'} cannot be ${where}`;
}

/** How the places below an expression are named in messages. */
export const WHERE = {
  matchLeft: 'the left side of a match (expected a selector like ip saddr or meta mark)',
  matchRight: 'the right side of a match (expected a value, a set or an @set)',
  objrefMap: 'the map of an object reference (expected KEY map { … } or KEY map @m)',
  natAddr: 'a nat address',
  natPort: 'a nat port',
  queueTo: 'the queue a packet goes to (expected a number, a hash, numgen or a map)',
  mangleKey: 'what a set statement writes to (expected a selector like meta mark)',
  mangleValue: 'the value of a set statement',
  setupdateKey: 'the element of a set update (expected a selector like ip saddr)',
  vmapKey: 'the key of a vmap (expected a selector)',
  vmapData: 'the table of a vmap (expected { … }, @name or $variable)',
  typeofKey: 'a typeof key (expected a selector like ip saddr)',
  typeofData: 'a typeof data type (expected a selector like meta mark)',
  elementKey: 'a set element',
  elementData: 'the data of a map element',
  concatItem: 'part of a concatenation',
  listItem: 'an item of a list',
  binopLeft: 'the left side of a bit operation (expected a selector)',
  binopRight: 'the right side of a bit operation (expected a value or a list of flags)',
  rangeBound: 'a bound of a range (expected a single value)',
  prefixAddr: 'the address of a prefix (expected a single value)',
  mapKey: 'the key of a map lookup (expected a selector)',
  mapData: 'the table of a map lookup (expected { … }, @name or $variable)',
  hashExpr: 'the input of jhash (expected a selector)',
} as const;

class Checker {
  readonly errors: string[] = [];
  private readonly ids = new Set<string>();

  err(path: string, msg: string): void {
    if (this.errors.length < 200) this.errors.push(`${path}: ${msg}`);
  }
  obj(v: unknown, path: string): v is Record<string, unknown> {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return true;
    this.err(path, 'expected an object');
    return false;
  }
  arr(v: unknown, path: string): v is unknown[] {
    if (Array.isArray(v)) return true;
    this.err(path, 'expected a list');
    return false;
  }
  str(o: Record<string, unknown>, key: string, path: string, optional = false): boolean {
    const v = o[key];
    if (v === undefined && optional) return true;
    if (typeof v === 'string') return true;
    this.err(`${path}.${key}`, 'expected text');
    return false;
  }
  num(o: Record<string, unknown>, key: string, path: string, optional = false, integer = true): boolean {
    const v = o[key];
    if (v === undefined && optional) return true;
    if (typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v))) return true;
    this.err(`${path}.${key}`, integer ? 'expected a whole number' : 'expected a number');
    return false;
  }
  bool(o: Record<string, unknown>, key: string, path: string): void {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') this.err(`${path}.${key}`, 'expected true or false');
  }
  oneOf(o: Record<string, unknown>, key: string, values: readonly string[], path: string, optional = false): boolean {
    const v = o[key];
    if (v === undefined && optional) return true;
    if (typeof v === 'string' && values.includes(v)) return true;
    this.err(`${path}.${key}`, `expected one of ${values.join(', ')}`);
    return false;
  }
  strList(o: Record<string, unknown>, key: string, path: string, optional = false): void {
    const v = o[key];
    if (v === undefined && optional) return;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.err(`${path}.${key}`, 'expected a list of text');
  }
  hashComments(o: Record<string, unknown>, path: string, allowed?: readonly string[]): void {
    for (const [field, msg] of hashCommentsProblems(o.hashComments, allowed)) this.err(`${path}.${field}`, msg);
  }
  id(o: Record<string, unknown>, path: string): void {
    if (!this.str(o, 'id', path)) return;
    const id = o.id as string;
    if (id.length === 0 || id.length > 64) this.err(`${path}.id`, 'ids are 1 to 64 characters');
    if (this.ids.has(id)) this.err(`${path}.id`, `duplicate id "${id.slice(0, 40)}"`);
    this.ids.add(id);
  }

  ruleset(v: unknown): void {
    if (!this.obj(v, 'ruleset')) return;
    if (v.schema !== SCHEMA_VERSION) this.err('ruleset.schema', `expected schema ${SCHEMA_VERSION}`);
    this.oneOf(v, 'preamble', ['none', 'flush', 'replace'], 'ruleset');
    this.hashComments(v, 'ruleset', ['head', 'end']);
    if (v.target !== undefined && (typeof v.target !== 'string' || !isVersion(v.target))) this.err('ruleset.target', 'expected an nft version like 1.1.3');
    for (const key of ['defines', 'includes', 'tables', 'commands'] as const) {
      if (!this.arr(v[key], key)) return;
    }
    (v.defines as unknown[]).forEach((d, i) => {
      const p = `defines[${i}]`;
      if (!this.obj(d, p)) return;
      this.id(d, p);
      this.str(d, 'name', p);
      this.str(d, 'value', p);
      this.hashComments(d, p);
    });
    (v.includes as unknown[]).forEach((d, i) => {
      const p = `includes[${i}]`;
      if (!this.obj(d, p)) return;
      this.id(d, p);
      this.str(d, 'path', p);
      this.hashComments(d, p);
    });
    (v.commands as unknown[]).forEach((d, i) => {
      const p = `commands[${i}]`;
      if (!this.obj(d, p)) return;
      this.id(d, p);
      this.str(d, 'text', p);
      this.oneOf(d, 'at', ['start', 'end'], p);
      this.hashComments(d, p);
    });
    (v.tables as unknown[]).forEach((t, i) => this.table(t, `tables[${i}]`));
    if (v.aside !== undefined && this.arr(v.aside, 'aside')) {
      (v.aside as unknown[]).forEach((a, i) => {
        const p = `aside[${i}]`;
        if (!this.obj(a, p)) return;
        this.id(a, p);
        this.oneOf(a, 'family', FAMILIES, p);
        this.str(a, 'name', p);
        this.str(a, 'owner', p);
        this.str(a, 'text', p);
      });
    }
  }

  table(t: unknown, p: string): void {
    if (!this.obj(t, p)) return;
    this.id(t, p);
    this.oneOf(t, 'family', FAMILIES, p);
    this.str(t, 'name', p);
    this.strList(t, 'flags', p);
    this.str(t, 'comment', p, true);
    this.hashComments(t, p);
    for (const key of ['objects', 'sets', 'flowtables', 'chains'] as const) if (!this.arr(t[key], `${p}.${key}`)) return;
    (t.objects as unknown[]).forEach((o, i) => this.object(o, `${p}.objects[${i}]`));
    (t.sets as unknown[]).forEach((s, i) => this.set(s, `${p}.sets[${i}]`));
    (t.flowtables as unknown[]).forEach((f, i) => this.flowtable(f, `${p}.flowtables[${i}]`));
    (t.chains as unknown[]).forEach((c, i) => this.chain(c, `${p}.chains[${i}]`));
  }

  priority(v: unknown, p: string): void {
    if (!this.obj(v, p)) return;
    if (v.kind === 'std') {
      this.str(v, 'name', p);
      this.num(v, 'offset', p);
    } else if (v.kind === 'num') this.num(v, 'value', p);
    else if (v.kind === 'var') this.str(v, 'name', p);
    else this.err(`${p}.kind`, 'expected std, num or var');
  }

  chain(c: unknown, p: string): void {
    if (!this.obj(c, p)) return;
    this.id(c, p);
    this.str(c, 'name', p);
    this.str(c, 'comment', p, true);
    this.hashComments(c, p);
    if (c.base !== undefined && this.obj(c.base, `${p}.base`)) {
      const b = c.base;
      this.oneOf(b, 'type', CHAIN_TYPES, `${p}.base`);
      this.oneOf(b, 'hook', HOOKS, `${p}.base`);
      this.strList(b, 'devices', `${p}.base`, true);
      this.priority(b.priority, `${p}.base.priority`);
      this.str(b, 'policy', `${p}.base`, true);
      this.strList(b, 'flags', `${p}.base`, true);
    }
    if (!this.arr(c.rules, `${p}.rules`)) return;
    (c.rules as unknown[]).forEach((r, i) => {
      const rp = `${p}.rules[${i}]`;
      if (!this.obj(r, rp)) return;
      this.id(r, rp);
      this.str(r, 'comment', rp, true);
      this.hashComments(r, rp);
      if (!this.arr(r.stmts, `${rp}.stmts`)) return;
      (r.stmts as unknown[]).forEach((s, j) => this.stmt(s, `${rp}.stmts[${j}]`));
    });
  }

  stmt(s: unknown, p: string): void {
    // each statement kind checks its own fields (src/stmts/)
    if (this.obj(s, p)) checkStatementShape(this, s, p);
  }

  element(e: unknown, p: string, depth: number): void {
    if (!this.obj(e, p)) return;
    this.expr(e.key, `${p}.key`, depth + 1, 'elementKey', WHERE.elementKey);
    if (e.value !== undefined) this.expr(e.value, `${p}.value`, depth + 1, 'elementData', WHERE.elementData);
    this.str(e, 'timeout', p, true);
    this.str(e, 'expires', p, true);
    this.str(e, 'comment', p, true);
    checkElementStatementsShape(this, e.stmts, `${p}.stmts`);
  }

  expr(e: unknown, p: string, depth: number, place: ExprPlace, where: string): void {
    if (depth >= MAX_EXPR_DEPTH) {
      this.err(p, NESTED_TOO_DEEPLY);
      return;
    }
    if (!this.obj(e, p)) return;
    const d = depth + 1;
    const misplaced = placeProblem(e.kind, place, where);
    // an unknown kind is reported as such below
    if (misplaced && isKnownKind(e.kind)) {
      this.err(p, misplaced);
      return;
    }
    switch (e.kind) {
      case 'payload':
        this.str(e, 'protocol', p);
        this.str(e, 'field', p);
        this.str(e, 'tunnel', p, true);
        return;
      case 'exthdr':
        this.oneOf(e, 'space', EXTHDR_SPACE_NAMES, p);
        this.str(e, 'name', p);
        this.str(e, 'field', p, true);
        this.num(e, 'index', p, true);
        if (e.raw !== undefined && this.obj(e.raw, `${p}.raw`)) {
          this.num(e.raw, 'offset', `${p}.raw`);
          this.num(e.raw, 'len', `${p}.raw`);
        }
        return;
      case 'rawpayload':
        this.oneOf(e, 'base', Object.keys(RAW_PAYLOAD_BASES), p);
        this.num(e, 'offset', p);
        this.num(e, 'len', p);
        return;
      case 'ipsec':
        this.oneOf(e, 'dir', ['in', 'out'], p);
        this.num(e, 'spnum', p, true);
        this.oneOf(e, 'family', IP_FAMILIES, p, true);
        this.str(e, 'key', p);
        return;
      case 'osf':
        this.oneOf(e, 'key', Object.keys(OSF_KEYS), p);
        this.oneOf(e, 'ttl', OSF_TTLS, p, true);
        return;
      case 'meta':
      case 'socket':
        this.str(e, 'key', p);
        return;
      case 'ct':
        this.str(e, 'key', p);
        this.oneOf(e, 'dir', CT_DIRS, p, true);
        this.oneOf(e, 'family', IP_FAMILIES, p, true);
        return;
      case 'rt':
        this.str(e, 'key', p);
        this.oneOf(e, 'family', IP_FAMILIES, p, true);
        return;
      case 'fib':
        this.strList(e, 'flags', p);
        if (Array.isArray(e.flags) && e.flags.length === 0) this.err(`${p}.flags`, 'fib needs at least one flag (saddr, daddr, mark, iif, oif)');
        this.str(e, 'result', p);
        return;
      case 'concat':
      case 'list': {
        if (!this.arr(e.items, `${p}.items`)) return;
        const items = e.items as unknown[];
        if (items.length === 0) this.err(`${p}.items`, `an empty ${e.kind === 'concat' ? 'concatenation' : 'list'}`);
        const [ip, iw] = e.kind === 'concat' ? [concatItemPlace(place), WHERE.concatItem] : [listItemPlace(place), WHERE.listItem];
        items.forEach((x, i) => this.expr(x, `${p}.items[${i}]`, d, ip, iw));
        return;
      }
      case 'binop':
        this.oneOf(e, 'op', BINOPS, p);
        this.expr(e.left, `${p}.left`, d, 'selector', WHERE.binopLeft);
        this.expr(e.right, `${p}.right`, d, 'operand', WHERE.binopRight);
        return;
      case 'value':
      case 'rawexpr':
        this.str(e, 'text', p);
        return;
      case 'range':
        this.expr(e.from, `${p}.from`, d, 'atom', WHERE.rangeBound);
        this.expr(e.to, `${p}.to`, d, 'atom', WHERE.rangeBound);
        return;
      case 'prefix':
        this.expr(e.addr, `${p}.addr`, d, 'atom', WHERE.prefixAddr);
        this.num(e, 'len', p);
        return;
      case 'set':
        if (this.arr(e.elements, `${p}.elements`)) (e.elements as unknown[]).forEach((x, i) => this.element(x, `${p}.elements[${i}]`, d));
        return;
      case 'setref':
      case 'var':
        this.str(e, 'name', p);
        return;
      case 'map':
        this.expr(e.key, `${p}.key`, d, 'selector', WHERE.mapKey);
        this.expr(e.data, `${p}.data`, d, 'mapData', WHERE.mapData);
        return;
      case 'verdict':
        this.oneOf(e, 'verdict', EXPR_VERDICTS, p);
        this.str(e, 'target', p, e.verdict !== 'jump' && e.verdict !== 'goto');
        return;
      case 'numgen':
        this.oneOf(e, 'mode', ['inc', 'random'], p);
        this.num(e, 'mod', p);
        this.num(e, 'offset', p, true);
        return;
      case 'hash':
        this.oneOf(e, 'hash', ['jhash', 'symhash'], p);
        if (e.expr !== undefined) this.expr(e.expr, `${p}.expr`, d, 'selector', WHERE.hashExpr);
        this.num(e, 'mod', p);
        this.str(e, 'seed', p, true);
        this.num(e, 'offset', p, true);
        return;
      case 'catchall':
        return;
      default:
        this.err(`${p}.kind`, 'unknown expression kind');
    }
  }

  keySpec(v: unknown, p: string, where: string): void {
    if (!this.obj(v, p)) return;
    if (v.mode === 'type') this.strList(v, 'types', p);
    else if (v.mode === 'typeof') {
      if (this.arr(v.exprs, `${p}.exprs`)) (v.exprs as unknown[]).forEach((x, i) => this.expr(x, `${p}.exprs[${i}]`, 0, 'selector', where));
    } else this.err(`${p}.mode`, 'expected type or typeof');
  }

  set(s: unknown, p: string): void {
    if (!this.obj(s, p)) return;
    this.id(s, p);
    this.oneOf(s, 'kind', ['set', 'map'], p);
    this.str(s, 'name', p);
    this.keySpec(s.key, `${p}.key`, WHERE.typeofKey);
    if (s.data !== undefined) this.keySpec(s.data, `${p}.data`, WHERE.typeofData);
    this.strList(s, 'flags', p);
    this.str(s, 'timeout', p, true);
    this.str(s, 'gcInterval', p, true);
    this.num(s, 'size', p, true);
    this.oneOf(s, 'policy', ['performance', 'memory'], p, true);
    this.bool(s, 'autoMerge', p);
    this.str(s, 'comment', p, true);
    checkElementStatementsShape(this, s.stmts, `${p}.stmts`);
    this.hashComments(s, p);
    if (this.arr(s.elements, `${p}.elements`)) (s.elements as unknown[]).forEach((x, i) => this.element(x, `${p}.elements[${i}]`, 0));
  }

  object(o: unknown, p: string): void {
    if (!this.obj(o, p)) return;
    this.id(o, p);
    this.str(o, 'name', p);
    this.str(o, 'comment', p, true);
    this.hashComments(o, p);
    switch (o.type) {
      case 'synproxy':
        synproxyShape(this, o, p);
        return;
      case 'counter':
        this.num(o, 'packets', p, true);
        this.num(o, 'bytes', p, true);
        return;
      case 'quota':
        quotaShape(this, o, p);
        return;
      case 'limit':
        limitShape(this, o, p);
        return;
      case 'ct helper':
        this.str(o, 'helper', p);
        this.str(o, 'protocol', p);
        this.str(o, 'l3proto', p, true);
        return;
      case 'ct timeout':
        this.str(o, 'protocol', p);
        this.str(o, 'l3proto', p, true);
        if (this.arr(o.policy, `${p}.policy`)) {
          (o.policy as unknown[]).forEach((x, i) => {
            if (!this.obj(x, `${p}.policy[${i}]`)) return;
            this.str(x, 'state', `${p}.policy[${i}]`);
            this.num(x, 'seconds', `${p}.policy[${i}]`);
          });
        }
        return;
      case 'ct expectation':
        this.str(o, 'protocol', p);
        this.num(o, 'dport', p);
        this.str(o, 'timeout', p);
        this.num(o, 'size', p);
        this.str(o, 'l3proto', p, true);
        return;
      case 'secmark':
        this.str(o, 'context', p);
        return;
      default:
        this.err(`${p}.type`, 'unknown object type');
    }
  }

  flowtable(f: unknown, p: string): void {
    if (!this.obj(f, p)) return;
    this.id(f, p);
    this.str(f, 'name', p);
    this.oneOf(f, 'hook', ['ingress'], p);
    this.priority(f.priority, `${p}.priority`);
    this.strList(f, 'devices', p);
    this.strList(f, 'flags', p, true);
    this.bool(f, 'counter', p);
    this.hashComments(f, p);
  }
}

/** Bring an older saved shape up to the current schema (version 1 is the first). */
export function migrateRuleset(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o.schema === undefined && Array.isArray(o.tables)) {
    // pre-versioned drafts had no schema, preamble or commands
    return { schema: SCHEMA_VERSION, preamble: 'none', defines: [], includes: [], commands: [], ...o };
  }
  return v;
}

export function validateRuleset(v: unknown): ValidationResult {
  const c = new Checker();
  const migrated = migrateRuleset(v);
  c.ruleset(migrated);
  if (c.errors.length) return { ok: false, errors: c.errors };
  return { ok: true, ruleset: migrated as Ruleset };
}
