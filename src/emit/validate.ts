/**
 * What must hold before anything is emitted: every name is a real nft
 * identifier (not a keyword), every comment and quoted string is quotable,
 * every device a device name, every value or raw text is what it claims to be,
 * every other word the emitter writes (a family, a hook, a verdict, a unit, a
 * flag) comes from its closed set, every number is a number, and every
 * expression is of a kind its place takes — so that no field of the model can
 * end its place early and smuggle another command into the script, and the
 * emitter never meets a shape it cannot print.
 *
 * The contract with emit.ts and statements.ts: every model string they write is
 * checked here. safety.property.test.ts puts hostile text into every string and
 * number of a corpus of models and checks that it is refused or stays inert.
 */
import type { Expr, SetElement } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { checkStatementSafety } from '../stmts/registry.ts';
import { checkElementStatementsSafety } from '../stmts/elementStmts.ts';
import { limitSafety } from '../stmts/limit.ts';
import { quotaSafety } from '../stmts/quota.ts';
import type { Chain, Priority, Ruleset, SetDecl, SetKeySpec, Table } from '../model/types.ts';
import { exprNestingProblem } from '../model/nesting.ts';
import { commentProblem, deviceNameProblem, nameProblem, quotedStringProblem } from '../knowledge/names.ts';
import { durationMs } from '../knowledge/datatypes.ts';
import { SET_FLAGS as SET_FLAG_WORDS, BINOPS, CHAIN_TYPES, CT_DIRS, EXPR_VERDICTS, FAMILIES, HOOKS, IP_FAMILIES, OBJECT_TYPES, TABLE_FLAGS, isOneOf } from '../knowledge/vocabulary.ts';
import { EXTHDR_SPACES, IPSEC_KEYS, MAX_TCP_OPTION, OSF_KEYS, OSF_TTLS, RAW_PAYLOAD_BASES, headerInfo, tunnelInfo } from '../knowledge/exthdr.ts';
import { ruleMemo } from './ruleMemo.ts';
import { WHERE, concatItemPlace, listItemPlace, placeProblem, type ExprPlace } from '../model/validate.ts';

export interface EmitProblem {
  nodeId: string;
  field: string;
  message: string;
}

/** A single unquoted nft token: words, numbers, addresses, time strings, `eth*`, `[v6]`. */
const TOKEN_RE = /^(?:[A-Za-z0-9_./:-]+\*?|\[[0-9A-Fa-f:.]+\])$/;
const KEYWORD_RE = /^[a-z0-9-]+$/;
/** A protocol, layer 3 protocol or conntrack state of a ct object: `tcp`, `ip6`, `syn_sent`. */
const CT_WORD_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The set flags nft 1.0.6 knows (`set_flag` in its grammar). */
export const SET_FLAGS: ReadonlySet<string> = new Set(SET_FLAG_WORDS);

/*
 * Closed sets of words the emitter writes as they are (a family, a hook, a
 * verdict, a unit): anything else in such a field is refused, so that no
 * field is written unchecked.
 */
const S = (xs: readonly string[]): ReadonlySet<string> => new Set(xs);
const FAMILY_SET = S(FAMILIES);
const CHAIN_TYPE_SET = S(CHAIN_TYPES);
const HOOK_SET = S(HOOKS);
const EXPR_VERDICT_SET = S(EXPR_VERDICTS);
const BINOP_SET = S(BINOPS);
const OBJECT_TYPE_SET = S(OBJECT_TYPES);
const CT_DIR_SET = S(CT_DIRS);
const NUMGEN_MODES = S(['inc', 'random']);
const HASH_KINDS = S(['jhash', 'symhash']);
const SET_KINDS = S(['set', 'map']);

/** A value shown inside a message: quoted, escaped, short. */
function shown(v: unknown): string {
  const t = JSON.stringify(typeof v === 'string' ? (v.length > 40 ? `${v.slice(0, 37)}...` : v) : v);
  return t === undefined ? String(v) : t;
}

/** Problems of a chain, remembered per chain object (an edit replaces only the chain it touches). */
const chainMemo = new WeakMap<Chain, EmitProblem[]>();
/** …and of a rule (a keystroke in one rule of a 5,000-rule chain re-checks that rule only): ruleMemo.ts */
const NO_PROBLEMS: readonly EmitProblem[] = Object.freeze([]);

const PREAMBLES = S(['none', 'flush', 'replace']);

export function emitProblems(rs: Ruleset): EmitProblem[] {
  const v = new Validator();
  v.oneOf('preamble', rs.preamble, PREAMBLES, 'a preamble (none, flush or replace)');
  for (const d of rs.defines) {
    v.node = d.id;
    v.name('name', d.name, 'variable name');
    v.raw('value', d.value, `the value of ${d.name}`);
  }
  for (const inc of rs.includes) {
    v.node = inc.id;
    v.quoted('path', inc.path, 'include path');
  }
  for (const c of rs.commands) {
    v.node = c.id;
    const p = commandTextProblem(c.text);
    if (p) v.push('text', `the command: ${p}`);
  }
  for (const t of rs.tables) v.table(t);
  return v.out;
}

/**
 * Why an expression standing at `place` cannot be written (the same checks a
 * rule's expressions get), or undefined. For callers that build nft text from
 * expressions themselves (rawFromJson).
 */
export function exprProblem(e: Expr, place: ExprPlace, where: string): string | undefined {
  const v = new Validator();
  v.field = 'expr';
  v.expr(e, place, where);
  return v.out[0]?.message;
}

/**
 * Collects problems; `node` and `field` say where the next ones belong. Every
 * model string the emitter writes is checked here: names, comments and quoted
 * strings by their grammar, values as single tokens, raw text for balance, and
 * every other word against the closed set it comes from.
 */
class Validator {
  readonly out: EmitProblem[] = [];
  node = '';
  field = '';

  push(field: string, message: string): void {
    this.out.push({ nodeId: this.node, field, message });
  }
  name(field: string, value: string, what: string): void {
    const p = nameProblem(value, what);
    if (p) this.push(field, p.message);
    // "." alone is nft's concatenation dot, never a name (knowledge/names.ts lets it through)
    else if (value === '.') this.push(field, `"." cannot be a ${what}`);
  }
  comment(field: string, value: string | undefined): void {
    if (value === undefined) return;
    const p = commentProblem(value);
    if (p) this.push(field, p.message);
  }
  quoted(field: string, value: string | undefined, what: string): void {
    if (value === undefined) return;
    const p = quotedStringProblem(value, what);
    if (p) this.push(field, p);
  }
  raw(field: string, text: string, what: string): void {
    const p = text.trim() === '' ? 'it is empty' : rawTextProblem(text);
    if (p) this.push(field, `${what}: ${p}`);
  }
  token(field: string, text: string | undefined, what: string): void {
    if (text !== undefined && !TOKEN_RE.test(text)) this.push(field, `${shown(text)} is not ${what}`);
  }
  /** A time value as nft reads it: `30s`, `1h30m`, `500ms`, `120`. */
  time(field: string, text: string | undefined): void {
    if (text !== undefined && (typeof text !== 'string' || durationMs(text) === undefined)) this.push(field, `${shown(text)} is not a time value (like 30s, 1h30m or 500ms)`);
  }
  /** A word of a ct object: a protocol, a layer 3 protocol, a conntrack state. */
  ctWord(field: string, text: string | undefined, what: string): void {
    if (text !== undefined && (typeof text !== 'string' || !CT_WORD_RE.test(text))) this.push(field, `${shown(text)} is not ${what}`);
  }
  /** A word from a closed set; `undefined` passes when `optional`. */
  oneOf(field: string, value: unknown, set: ReadonlySet<string> | readonly string[], what: string, optional = false): void {
    if (value === undefined && optional) return;
    const known = typeof value === 'string' && (set instanceof Set ? set.has(value) : (set as readonly string[]).includes(value));
    if (!known) this.push(field, `${shown(value)} is not ${what}`);
  }
  /** A finite number (whole unless `integer` is false); `undefined` passes when `optional`. */
  num(field: string, value: unknown, what: string, optional = false, integer = true): void {
    if (value === undefined && optional) return;
    if (typeof value !== 'number' || !(integer ? Number.isInteger(value) : Number.isFinite(value))) this.push(field, `the ${what} must be a ${integer ? 'whole ' : ''}number`);
  }
  /** A device name, or a `$variable` holding device names. */
  device(field: string, d: string): void {
    if (d.startsWith('$')) this.name(field, d.slice(1), 'variable name');
    else {
      const p = deviceNameProblem(d);
      if (p) this.push(field, p);
    }
  }
  priority(field: string, p: Priority): void {
    if (p.kind === 'var') this.name(field, p.name, 'variable name');
    else if (p.kind === 'std') {
      if (!/^[a-z]+$/.test(p.name)) this.push(field, `${shown(p.name)} is not a priority name`);
      if (!Number.isInteger(p.offset)) this.push(field, 'the priority must be a whole number');
    } else if (p.kind === 'num') {
      if (!Number.isInteger(p.value)) this.push(field, 'the priority must be a whole number');
    } else this.push(field, 'the priority must be a name, a number or a $variable');
  }

  table(t: Table): void {
    this.node = t.id;
    this.oneOf('family', t.family, FAMILY_SET, 'a table family');
    this.name('name', t.name, 'table name');
    this.comment('comment', t.comment);
    for (const f of t.flags) if (!isOneOf(TABLE_FLAGS, f)) this.push('flags', `unknown table flag ${shown(f)} (nft knows ${TABLE_FLAGS.join(', ')})`);
    for (const o of t.objects) {
      this.node = o.id;
      this.name('name', o.name, `${o.type} name`);
      this.comment('comment', o.comment);
      switch (o.type) {
        case 'synproxy':
          this.num('mss', o.mss, 'mss', true);
          this.num('wscale', o.wscale, 'wscale', true);
          break;
        case 'counter':
          this.num('packets', o.packets, 'packet count', true);
          this.num('bytes', o.bytes, 'byte count', true);
          break;
        case 'quota':
          quotaSafety(this, o, 'amount');
          break;
        case 'limit':
          limitSafety(this, o, 'rate');
          break;
        case 'ct helper':
          this.quoted('helper', o.helper, 'helper type');
          break;
        case 'ct timeout':
          for (const p of o.policy) {
            this.ctWord('policy', p.state, 'a conntrack state');
            this.num('policy', p.seconds, 'timeout', false);
          }
          break;
        case 'ct expectation':
          this.time('timeout', o.timeout);
          this.num('dport', o.dport, 'port');
          this.num('size', o.size, 'size');
          break;
        case 'secmark':
          this.quoted('context', o.context, 'security context');
          break;
        default:
          this.oneOf('type', (o as { type: unknown }).type, OBJECT_TYPE_SET, 'an object type');
      }
      if (o.type === 'ct helper' || o.type === 'ct timeout' || o.type === 'ct expectation') {
        this.ctWord('protocol', o.protocol ?? '', 'a protocol');
        this.ctWord('l3proto', o.l3proto, 'a layer 3 protocol');
      }
    }
    for (const s of t.sets) this.set(s);
    for (const f of t.flowtables) {
      this.node = f.id;
      this.name('name', f.name, 'flowtable name');
      if (f.hook !== 'ingress') this.push('hook', `${shown(f.hook)} is not a flowtable hook (a flowtable hooks into ingress)`);
      this.priority('priority', f.priority);
      for (const d of f.devices) this.device('devices', d);
      for (const fl of f.flags ?? []) if (fl !== 'offload') this.push('flags', `unknown flowtable flag ${shown(fl)}: the only one is offload`);
    }
    for (const c of t.chains) {
      let problems = chainMemo.get(c);
      if (!problems) {
        const sub = new Validator();
        sub.chain(c);
        problems = sub.out;
        chainMemo.set(c, problems);
      }
      for (const p of problems) this.out.push(p);
    }
  }

  keySpec(s: SetDecl, spec: SetKeySpec, what: 'key' | 'data'): void {
    const where = what === 'key' ? WHERE.typeofKey : WHERE.typeofData;
    if (spec.mode === 'type') {
      if (spec.types.length === 0) this.push('type', `${s.kind} ${s.name} has no ${what} type`);
      for (const t of spec.types) this.token('type', t, 'a data type');
    } else if (spec.mode === 'typeof') {
      if (spec.exprs.length === 0) this.push('type', `${s.kind} ${s.name} has no ${what} type`);
      this.field = 'type';
      for (const e of spec.exprs) this.expr(e, 'selector', where);
    } else this.push('type', `the ${what} of ${s.kind} ${s.name} must be given by type or typeof`);
  }

  set(s: SetDecl): void {
    this.node = s.id;
    this.oneOf('kind', s.kind, SET_KINDS, 'set or map');
    this.name('name', s.name, `${s.kind} name`);
    this.comment('comment', s.comment);
    if (s.stmts) {
      this.field = 'stmts';
      checkElementStatementsSafety(this, s.stmts);
    }
    this.keySpec(s, s.key, 'key');
    if (s.data) this.keySpec(s, s.data, 'data');
    else if (s.kind === 'map') this.push('type', `map ${s.name} has no data type`);
    for (const f of s.flags) if (!SET_FLAGS.has(f)) this.push('flags', `unknown set flag ${shown(f)}: expected constant, dynamic, interval or timeout`);
    this.time('timeout', s.timeout);
    this.time('gcInterval', s.gcInterval);
    this.num('size', s.size, 'size', true);
    this.field = 'elements';
    for (const el of s.elements) this.element(el);
  }

  element(el: SetElement): void {
    this.expr(el.key, 'elementKey', WHERE.elementKey);
    if (el.value) this.expr(el.value, 'elementData', WHERE.elementData);
    if (el.comment !== undefined) {
      const p = commentProblem(el.comment);
      if (p) this.push(this.field, p.message);
    }
    this.time(this.field, el.timeout);
    this.time(this.field, el.expires);
    checkElementStatementsSafety(this, el.stmts);
  }

  chain(c: Chain): void {
    this.node = c.id;
    this.name('name', c.name, 'chain name');
    this.comment('comment', c.comment);
    if (c.base) {
      const b = c.base;
      this.oneOf('type', b.type, CHAIN_TYPE_SET, 'a chain type');
      this.oneOf('hook', b.hook, HOOK_SET, 'a hook');
      // one device is written quoted, several bare in `devices = { … }`: both need a real device name
      for (const d of b.devices ?? []) this.device('devices', d);
      const pol = b.policy;
      if (pol !== undefined && pol !== 'accept' && pol !== 'drop' && !(pol.startsWith('$') && !nameProblem(pol.slice(1)))) {
        this.push('policy', 'policy must be accept or drop');
      }
      this.priority('priority', b.priority);
      for (const f of b.flags ?? []) if (f !== 'offload') this.push('flags', `unknown chain flag ${shown(f)}`);
    }
    for (const r of c.rules) {
      const memo = ruleMemo(r);
      let problems = memo.problems;
      if (!problems) {
        const sub = new Validator();
        sub.node = r.id;
        sub.comment('comment', r.comment);
        sub.field = 'stmts';
        for (const s of r.stmts) sub.stmt(s);
        problems = memo.problems = sub.out.length ? sub.out : NO_PROBLEMS;
      }
      for (let i = 0; i < problems.length; i++) this.out.push(problems[i]);
    }
  }

  stmt(s: Statement): void {
    // each statement kind checks its own strings (src/stmts/)
    checkStatementSafety(this, s);
  }

  /** jump and goto name a chain; the other verdicts take none. */
  verdictTarget(verdict: string, target: string | undefined): void {
    if (verdict === 'jump' || verdict === 'goto') {
      if (target === undefined) this.push(this.field, `${verdict} needs a chain name`);
      else this.name(this.field, target, 'chain name');
    } else if (target !== undefined) this.push(this.field, `${verdict} takes no chain name`);
  }

  /** The nesting is checked first, without recursion; the walk below is then bounded by it. */
  expr(e: Expr, place: ExprPlace, where: string): void {
    const tooDeep = exprNestingProblem(e);
    if (tooDeep) this.push(this.field, tooDeep);
    else this.exprTree(e, place, where);
  }

  private exprTree(e: Expr, place: ExprPlace, where: string): void {
    const f = this.field;
    const misplaced = placeProblem(e.kind, place, where);
    if (misplaced) {
      this.push(f, misplaced);
      return;
    }
    switch (e.kind) {
      case 'value': {
        const t = e.text;
        if (t.charCodeAt(0) === 34 /* " */) {
          if (t.length < 2 || t.charCodeAt(t.length - 1) !== 34) this.push(f, `unterminated string ${t.slice(0, 40)}`);
          else this.quoted(f, t.slice(1, -1), 'string');
        } else if (!TOKEN_RE.test(t) && !/^-\d+$/.test(t)) {
          this.push(f, `${shown(t)} is not a single value: use quotes for text, or one word/number/address`);
        }
        return;
      }
      case 'var':
      case 'setref':
        this.name(f, e.name, e.kind === 'var' ? 'variable name' : 'set name');
        return;
      case 'concat':
      case 'list': {
        if (e.items.length === 0) this.push(f, `an empty ${e.kind === 'concat' ? 'concatenation' : 'list'} cannot be ${where}`);
        const concat = e.kind === 'concat';
        const p = concat ? concatItemPlace(place) : listItemPlace(place);
        const w = concat ? WHERE.concatItem : WHERE.listItem;
        for (const i of e.items) this.exprTree(i, p, w);
        return;
      }
      case 'binop':
        this.oneOf(f, e.op, BINOP_SET, 'a bit operator');
        this.exprTree(e.left, 'selector', WHERE.binopLeft);
        this.exprTree(e.right, 'operand', WHERE.binopRight);
        return;
      case 'range':
        this.exprTree(e.from, 'atom', WHERE.rangeBound);
        this.exprTree(e.to, 'atom', WHERE.rangeBound);
        return;
      case 'prefix':
        this.exprTree(e.addr, 'atom', WHERE.prefixAddr);
        if (!Number.isInteger(e.len) || e.len < 0 || e.len > 128) this.push(f, `prefix length ${shown(e.len)} is out of range`);
        return;
      case 'set':
        for (const el of e.elements) this.element(el);
        return;
      case 'catchall':
        return;
      case 'map':
        this.exprTree(e.key, 'selector', WHERE.mapKey);
        this.exprTree(e.data, 'mapData', WHERE.mapData);
        return;
      case 'verdict':
        this.oneOf(f, e.verdict, EXPR_VERDICT_SET, 'a verdict');
        this.verdictTarget(e.verdict, e.target);
        return;
      case 'numgen':
        this.oneOf(f, e.mode, NUMGEN_MODES, 'inc or random');
        this.num(f, e.mod, 'modulus');
        this.num(f, e.offset, 'offset', true);
        return;
      case 'hash':
        this.oneOf(f, e.hash, HASH_KINDS, 'jhash or symhash');
        if (e.expr) this.exprTree(e.expr, 'selector', WHERE.hashExpr);
        else if (e.hash === 'jhash') this.push(f, 'jhash needs an expression to hash');
        this.token(f, e.seed, 'a seed');
        this.num(f, e.mod, 'modulus');
        this.num(f, e.offset, 'offset', true);
        return;
      case 'rawexpr':
        this.raw(f, e.text, 'the expression');
        return;
      case 'payload':
        this.keyword(e.protocol);
        // two-word fields: `arp saddr ip`
        if (typeof e.field !== 'string' || !/^[a-z0-9-]+(?: [a-z0-9-]+)?$/.test(e.field)) this.push(f, `${shown(e.field)} is not an expression keyword`);
        if (e.tunnel !== undefined && !tunnelInfo(e.tunnel)) this.push(f, `${shown(e.tunnel)} is not a tunnel nft reads inside (vxlan, geneve, gre, gretap)`);
        return;
      case 'exthdr':
        this.exthdr(e);
        return;
      case 'rawpayload':
        this.oneOf(f, e.base, Object.keys(RAW_PAYLOAD_BASES), 'a payload base (ll, nh, th, ih)');
        this.bits(e.offset, 'offset', 0);
        this.bits(e.len, 'length', 1);
        return;
      case 'ipsec':
        this.oneOf(f, e.dir, ['in', 'out'], 'in or out');
        if (e.spnum !== undefined) this.bits(e.spnum, 'ipsec spnum', 0);
        this.oneOf(f, e.family, IP_FAMILIES, 'ip or ip6', true);
        this.oneOf(f, e.key, Object.keys(IPSEC_KEYS), 'an ipsec key (reqid, spi, saddr, daddr)');
        if (Object.hasOwn(IPSEC_KEYS, e.key) && Boolean(IPSEC_KEYS[e.key].family) !== (e.family !== undefined)) this.push(f, `ipsec ${e.key} ${IPSEC_KEYS[e.key].family ? 'needs' : 'takes no'} ip or ip6`);
        return;
      case 'osf':
        this.oneOf(f, e.key, Object.keys(OSF_KEYS), 'name or version');
        this.oneOf(f, e.ttl, OSF_TTLS, 'loose or skip', true);
        return;
      case 'ct':
        this.keyword(e.key);
        this.oneOf(f, e.dir, CT_DIR_SET, 'original or reply', true);
        this.oneOf(f, e.family, IP_FAMILIES, 'ip or ip6', true);
        return;
      case 'rt':
        this.keyword(e.key);
        this.oneOf(f, e.family, IP_FAMILIES, 'ip or ip6', true);
        return;
      case 'meta':
      case 'socket':
        this.keyword(e.key);
        return;
      case 'fib':
        if (e.flags.length === 0) this.push(f, 'fib needs at least one flag (saddr, daddr, mark, iif, oif)');
        for (const w of e.flags) this.keyword(w);
        this.keyword(e.result);
        return;
    }
  }

  /** A whole number of bits (or an index) from `min` up. */
  bits(v: unknown, what: string, min: number): void {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) this.push(this.field, `the ${what} must be a whole number${min ? ` from ${min}` : ''}`);
  }

  /** A header, option or chunk of its table (knowledge/exthdr.ts), with one of its fields. */
  exthdr(e: Extract<Expr, { kind: 'exthdr' }>): void {
    const f = this.field;
    if (!Object.hasOwn(EXTHDR_SPACES, e.space)) {
      this.push(f, `${shown(e.space)} is not ip6, tcp, ip or sctp`);
      return;
    }
    const what = EXTHDR_SPACES[e.space].doc;
    if (e.space === 'tcp' && typeof e.name === 'string' && /^\d+$/.test(e.name)) {
      if (Number(e.name) > MAX_TCP_OPTION) this.push(f, `tcp option ${e.name} is out of range (0-${MAX_TCP_OPTION})`);
      if (e.field !== undefined) this.push(f, `tcp option ${e.name} has no named fields (use tcp option @${e.name},OFFSET,LENGTH)`);
      if (e.raw !== undefined) {
        this.bits(e.raw.offset, 'option offset', 0);
        this.bits(e.raw.len, 'option length', 1);
      }
      return;
    }
    if (e.raw !== undefined) this.push(f, `only a tcp option given by its number has @offset,length`);
    const h = typeof e.name === 'string' ? headerInfo(e.space, e.name) : undefined;
    if (!h) {
      this.push(f, `${shown(e.name)} is not a${/^[aeiouI]/.test(what) ? 'n' : ''} ${what} nft knows`);
      return;
    }
    if (e.field === undefined) {
      if (!h.exists) this.push(f, `${e.name} cannot be tested for existence: it needs a field`);
      if (e.index !== undefined) this.push(f, 'an index needs a field');
      return;
    }
    if (typeof e.field !== 'string' || !Object.hasOwn(h.fields, e.field)) {
      this.push(f, `${shown(e.field)} is not a field of ${e.name} (${Object.keys(h.fields).join(', ')})`);
      return;
    }
    const indexed = h.indexed?.includes(e.field) ?? false;
    if (indexed && e.index === undefined) this.push(f, `${e.name} ${e.field} needs an index (${e.field}[N])`);
    else if (!indexed && e.index !== undefined) this.push(f, `${e.name} ${e.field} takes no index`);
    else if (e.index !== undefined) this.bits(e.index, 'index', 0);
  }

  keyword(w: string): void {
    if (typeof w !== 'string' || !KEYWORD_RE.test(w)) this.push(this.field, `${shown(w)} is not an expression keyword`);
  }
}

/**
 * Characters nft reads outside quotes (its scanner turns anything else, like
 * `'` or a backslash, into a syntax error): letters, digits, blanks and
 * `/ - _ . { } ( ) [ ] , ; : @ $ & | ^ * + = ! < >`.
 */
const RAW_CHAR = new Uint8Array(128);
for (const ch of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /-_.{}()[],;:@$&|^*+=!<>') RAW_CHAR[ch.charCodeAt(0)] = 1;

/**
 * Text kept verbatim (raw statements, define values, commands) must stay on its
 * line and inside its command: no control characters, no "#" outside quotes
 * (nft would read the rest of the line as a comment, brackets and all), no ";"
 * outside brackets, every ( [ { closed by its own ) ] } and every quote closed,
 * and nothing outside quotes that nft cannot read.
 */
export function rawTextProblem(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'it contains a newline or control character';
  const open: number[] = [];
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === 34 /* " */) inQuote = false;
      continue;
    }
    switch (c) {
      case 34 /* " */:
        inQuote = true;
        break;
      case 40 /* ( */:
      case 91 /* [ */:
      case 123 /* { */:
        open.push(c);
        break;
      case 41 /* ) */:
      case 93 /* ] */:
      case 125 /* } */: {
        const want = c === 41 ? 40 : c === 93 ? 91 : 123;
        if (open.pop() !== want) return `unbalanced "${text[i]}"`;
        break;
      }
      case 35 /* # */:
        return '"#" outside quotes would make the rest of the line a comment';
      case 59 /* ; */:
        if (open.length === 0) return '";" would end the rule here';
        break;
      default:
        if (c >= 128 || RAW_CHAR[c] !== 1) return `${JSON.stringify(String.fromCodePoint(text.codePointAt(i) ?? c))} outside quotes is not nft syntax`;
    }
  }
  if (inQuote) return 'unterminated string';
  if (open.length) return `unbalanced "${String.fromCharCode(open[open.length - 1])}"`;
  return undefined;
}

/** The commands nft has besides the ones the model structures (`table`, `define`, `include`). */
const COMMAND_RE = /^(?:add|create|insert|replace|delete|destroy|flush|list|reset|rename|get|monitor|describe|export|import|redefine|undefine)\b/;

/**
 * Why `text` cannot be one top-level command on its own line, or undefined. A
 * command is nft text by design (`delete rule …`, even `flush ruleset`: the
 * linter warns about those, and a shared design shows them before it opens);
 * what is checked is that it is one command, starting with a command word.
 */
export function commandTextProblem(text: string): string | undefined {
  const raw = rawTextProblem(text);
  if (raw) return raw;
  if (!COMMAND_RE.test(text)) return `${shown(text)} does not start with an nft command (add, delete, insert, rename, …)`;
  return undefined;
}
