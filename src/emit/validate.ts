/**
 * What must hold before anything is emitted: every name is a real nft
 * identifier (not a keyword), every comment and quoted string is quotable, and
 * every value or raw text is what it claims to be — so that no name, comment or
 * value can end its place early and smuggle another command into the script.
 */
import type { Expr, SetElement } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { Chain, Ruleset, SetDecl, Table } from '../model/types.ts';
import { commentProblem, nameProblem, quotedStringProblem } from '../knowledge/names.ts';

export interface EmitProblem {
  nodeId: string;
  field: string;
  message: string;
}

/** A single unquoted nft token: words, numbers, addresses, time strings, `eth*`, `[v6]`. */
const TOKEN_RE = /^(?:[A-Za-z0-9_./:-]+\*?|\[[0-9A-Fa-f:.]+\])$/;
const KEYWORD_RE = /^[a-z0-9-]+$/;

/** Problems of a chain, remembered per chain object (an edit replaces only the chain it touches). */
const chainMemo = new WeakMap<Chain, EmitProblem[]>();

export function emitProblems(rs: Ruleset): EmitProblem[] {
  const v = new Validator();
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
    v.raw('text', c.text, 'the command');
  }
  for (const t of rs.tables) v.table(t);
  return v.out;
}

/** Collects problems; `node` and `field` say where the next ones belong. */
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
    const p = rawTextProblem(text);
    if (p) this.push(field, `${what}: ${p}`);
  }
  token(field: string, text: string | undefined, what: string): void {
    if (text !== undefined && !TOKEN_RE.test(text)) this.push(field, `"${text.slice(0, 40)}" is not ${what}`);
  }

  table(t: Table): void {
    this.node = t.id;
    this.name('name', t.name, 'table name');
    this.comment('comment', t.comment);
    for (const f of t.flags) if (f !== 'dormant') this.push('flags', `unknown table flag "${f}"`);
    for (const o of t.objects) {
      this.node = o.id;
      this.name('name', o.name, `${o.type} name`);
      this.comment('comment', o.comment);
      if (o.type === 'ct helper') this.quoted('helper', o.helper, 'helper type');
      if (o.type === 'secmark') this.quoted('context', o.context, 'security context');
      if (o.type === 'ct helper' || o.type === 'ct timeout' || o.type === 'ct expectation') {
        this.token('protocol', o.protocol, 'a protocol');
        this.token('l3proto', o.l3proto, 'a layer 3 protocol');
        if (o.type === 'ct timeout') for (const p of o.policy) this.token('policy', p.state, 'a state');
        if (o.type === 'ct expectation') this.token('timeout', o.timeout, 'a time value');
      }
    }
    for (const s of t.sets) this.set(s);
    for (const f of t.flowtables) {
      this.node = f.id;
      this.name('name', f.name, 'flowtable name');
      for (const d of f.devices) this.token('devices', d, 'a device name');
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

  set(s: SetDecl): void {
    this.node = s.id;
    this.name('name', s.name, `${s.kind} name`);
    this.comment('comment', s.comment);
    if (s.stmtsText) this.raw('stmtsText', s.stmtsText, 'the set statements');
    if (s.key.mode === 'type' ? s.key.types.length === 0 : s.key.exprs.length === 0) this.push('type', `${s.kind} ${s.name} has no key type`);
    if (s.kind === 'map' && !s.data) this.push('type', `map ${s.name} has no data type`);
    for (const t of s.key.mode === 'type' ? s.key.types : []) this.token('type', t, 'a data type');
    for (const t of s.data?.mode === 'type' ? s.data.types : []) this.token('type', t, 'a data type');
    this.token('timeout', s.timeout, 'a time value');
    this.token('gcInterval', s.gcInterval, 'a time value');
    this.field = 'elements';
    for (const el of s.elements) this.element(el);
  }

  element(el: SetElement): void {
    this.expr(el.key);
    if (el.value) this.expr(el.value);
    if (el.comment !== undefined) {
      const p = commentProblem(el.comment);
      if (p) this.push(this.field, p.message);
    }
    this.token(this.field, el.timeout, 'a time value');
    this.token(this.field, el.expires, 'a time value');
  }

  chain(c: Chain): void {
    this.node = c.id;
    this.name('name', c.name, 'chain name');
    this.comment('comment', c.comment);
    if (c.base) {
      for (const d of c.base.devices ?? []) {
        if (d.startsWith('$')) this.name('devices', d.slice(1), 'variable name');
        else this.quoted('devices', d, 'device name');
      }
      const pol = c.base.policy;
      if (pol !== undefined && pol !== 'accept' && pol !== 'drop' && !(pol.startsWith('$') && !nameProblem(pol.slice(1)))) {
        this.push('policy', 'policy must be accept or drop');
      }
      const p = c.base.priority;
      if (p.kind === 'var') this.name('priority', p.name, 'variable name');
      if (p.kind === 'std' && !/^[a-z]+$/.test(p.name)) this.push('priority', `"${p.name}" is not a priority name`);
      if ((p.kind === 'num' || p.kind === 'std') && !Number.isInteger(p.kind === 'num' ? p.value : p.offset)) {
        this.push('priority', 'the priority must be a whole number');
      }
      for (const f of c.base.flags ?? []) if (f !== 'offload') this.push('flags', `unknown chain flag "${f}"`);
    }
    for (const r of c.rules) {
      this.node = r.id;
      this.comment('comment', r.comment);
      this.field = 'stmts';
      for (const s of r.stmts) this.stmt(s);
    }
  }

  stmt(s: Statement): void {
    const f = this.field;
    switch (s.kind) {
      case 'match':
        this.expr(s.left);
        this.expr(s.right);
        return;
      case 'verdict':
        if (s.target !== undefined) this.name(f, s.target, 'chain name');
        return;
      case 'queue':
        if (s.num !== undefined && !/^\d+(-\d+)?$/.test(s.num)) this.push(f, 'the queue number must be N or N-M');
        for (const fl of s.flags ?? []) if (fl !== 'bypass' && fl !== 'fanout') this.push(f, `unknown queue flag "${fl}"`);
        return;
      case 'reject':
        this.token(f, s.with?.code, 'a reject code');
        return;
      case 'log':
        this.quoted(f, s.prefix, 'log prefix');
        if (s.level !== undefined && !/^[a-z]+$/.test(s.level)) this.push(f, `"${s.level}" is not a log level`);
        for (const fl of s.flags ?? []) if (!/^[a-z ,-]+$/.test(fl)) this.push(f, `"${fl}" is not a log flag`);
        return;
      case 'objref':
        this.quoted(f, s.name, `${s.type} name`);
        if (s.map) this.expr(s.map);
        return;
      case 'nat':
        if (s.addr) this.expr(s.addr);
        if (s.port) this.expr(s.port);
        for (const fl of s.flags ?? []) if (!/^[a-z-]+$/.test(fl)) this.push(f, `"${fl}" is not a nat flag`);
        return;
      case 'mangle':
        this.expr(s.key);
        this.expr(s.value);
        return;
      case 'setupdate':
        this.name(f, s.set, 'set name');
        this.expr(s.key);
        this.token(f, s.timeout, 'a time value');
        if (s.stmtsText) this.raw(f, s.stmtsText, 'the element statements');
        return;
      case 'vmap':
        this.expr(s.key);
        this.expr(s.data);
        return;
      case 'raw':
        this.raw(f, s.text, 'the rule text');
        return;
      default:
        return;
    }
  }

  expr(e: Expr): void {
    const f = this.field;
    switch (e.kind) {
      case 'value': {
        const t = e.text;
        if (t.charCodeAt(0) === 34 /* " */) {
          if (t.length < 2 || t.charCodeAt(t.length - 1) !== 34) this.push(f, `unterminated string ${t.slice(0, 40)}`);
          else this.quoted(f, t.slice(1, -1), 'string');
        } else if (!TOKEN_RE.test(t) && !/^-\d+$/.test(t)) {
          this.push(f, `"${t.slice(0, 40)}" is not a single value: use quotes for text, or one word/number/address`);
        }
        return;
      }
      case 'var':
      case 'setref':
        this.name(f, e.name, e.kind === 'var' ? 'variable name' : 'set name');
        return;
      case 'concat':
      case 'list':
        for (const i of e.items) this.expr(i);
        return;
      case 'binop':
        this.expr(e.left);
        this.expr(e.right);
        return;
      case 'range':
        this.expr(e.from);
        this.expr(e.to);
        return;
      case 'prefix':
        this.expr(e.addr);
        if (!Number.isInteger(e.len) || e.len < 0 || e.len > 128) this.push(f, `prefix length ${e.len} is out of range`);
        return;
      case 'set':
        for (const el of e.elements) this.element(el);
        return;
      case 'map':
        this.expr(e.key);
        this.expr(e.data);
        return;
      case 'verdict':
        if (e.target !== undefined) this.name(f, e.target, 'chain name');
        return;
      case 'hash':
        if (e.expr) this.expr(e.expr);
        this.token(f, e.seed, 'a seed');
        return;
      case 'rawexpr':
        this.raw(f, e.text, 'the expression');
        return;
      case 'payload':
        this.keyword(e.protocol);
        this.keyword(e.field);
        return;
      case 'meta':
      case 'ct':
      case 'rt':
      case 'socket':
        this.keyword(e.key);
        return;
      case 'fib':
        for (const w of e.flags) this.keyword(w);
        this.keyword(e.result);
        return;
      default:
        return;
    }
  }

  keyword(w: string): void {
    if (!KEYWORD_RE.test(w)) this.push(this.field, `"${w.slice(0, 40)}" is not an expression keyword`);
  }
}

/**
 * Text kept verbatim (raw statements, define values, commands) must stay on its
 * line and inside its command: no control characters, no ";" or "#" outside
 * quotes and braces, balanced braces and quotes.
 */
export function rawTextProblem(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'it contains a newline or control character';
  let depth = 0;
  let inQuote = false;
  for (const ch of text) {
    if (inQuote) {
      if (ch === '"') inQuote = false;
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === '{' || ch === '(') depth++;
    else if (ch === '}' || ch === ')') {
      depth--;
      if (depth < 0) return `unbalanced "${ch}"`;
    } else if ((ch === ';' || ch === '#') && depth === 0) return `"${ch}" would end the rule here`;
  }
  if (inQuote) return 'unterminated string';
  if (depth !== 0) return 'unbalanced braces';
  return undefined;
}
