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

export function emitProblems(rs: Ruleset): EmitProblem[] {
  const out: EmitProblem[] = [];
  const name = (nodeId: string, field: string, value: string, what: string): void => {
    const p = nameProblem(value, what);
    if (p) out.push({ nodeId, field, message: p.message });
  };
  const comment = (nodeId: string, field: string, value: string | undefined): void => {
    if (value === undefined) return;
    const p = commentProblem(value);
    if (p) out.push({ nodeId, field, message: p.message });
  };
  const quoted = (nodeId: string, field: string, value: string | undefined, what: string): void => {
    if (value === undefined) return;
    const p = quotedStringProblem(value, what);
    if (p) out.push({ nodeId, field, message: p });
  };
  const rawText = (nodeId: string, field: string, text: string, what: string): void => {
    const p = rawTextProblem(text);
    if (p) out.push({ nodeId, field, message: `${what}: ${p}` });
  };

  for (const d of rs.defines) {
    name(d.id, 'name', d.name, 'variable name');
    rawText(d.id, 'value', d.value, `the value of ${d.name}`);
  }
  for (const inc of rs.includes) quoted(inc.id, 'path', inc.path, 'include path');
  for (const c of rs.commands) rawText(c.id, 'text', c.text, 'the command');
  for (const t of rs.tables) tableProblems(t, out, name, comment, quoted, rawText);
  return out;
}

type NameCheck = (nodeId: string, field: string, value: string, what: string) => void;
type CommentCheck = (nodeId: string, field: string, value: string | undefined) => void;
type QuotedCheck = (nodeId: string, field: string, value: string | undefined, what: string) => void;

function tableProblems(t: Table, out: EmitProblem[], name: NameCheck, comment: CommentCheck, quoted: QuotedCheck, rawText: NameCheck): void {
  name(t.id, 'name', t.name, 'table name');
  comment(t.id, 'comment', t.comment);
  for (const f of t.flags) if (f !== 'dormant') out.push({ nodeId: t.id, field: 'flags', message: `unknown table flag "${f}"` });
  for (const o of t.objects) {
    name(o.id, 'name', o.name, `${o.type} name`);
    comment(o.id, 'comment', o.comment);
    if (o.type === 'ct helper') quoted(o.id, 'helper', o.helper, 'helper type');
    if (o.type === 'secmark') quoted(o.id, 'context', o.context, 'security context');
  }
  for (const s of t.sets) setProblems(s, out, name, comment, rawText);
  for (const f of t.flowtables) {
    name(f.id, 'name', f.name, 'flowtable name');
    for (const d of f.devices) quoted(f.id, 'devices', d, 'device name');
  }
  for (const c of t.chains) chainProblems(c, out, name, comment, quoted, rawText);
}

function setProblems(s: SetDecl, out: EmitProblem[], name: NameCheck, comment: CommentCheck, rawText: NameCheck): void {
  name(s.id, 'name', s.name, `${s.kind} name`);
  comment(s.id, 'comment', s.comment);
  if (s.stmtsText) rawText(s.id, 'stmtsText', s.stmtsText, 'the set statements');
  if (s.key.mode === 'type' ? s.key.types.length === 0 : s.key.exprs.length === 0) {
    out.push({ nodeId: s.id, field: 'type', message: `${s.kind} ${s.name} has no key type` });
  }
  if (s.kind === 'map' && !s.data) out.push({ nodeId: s.id, field: 'type', message: `map ${s.name} has no data type` });
  for (const t of [...(s.key.mode === 'type' ? s.key.types : []), ...(s.data?.mode === 'type' ? s.data.types : [])]) {
    if (!TOKEN_RE.test(t)) out.push({ nodeId: s.id, field: 'type', message: `"${t}" is not a data type` });
  }
  const err = (msg: string): void => {
    out.push({ nodeId: s.id, field: 'elements', message: msg });
  };
  for (const el of s.elements) elementProblems(el, err);
}

function elementProblems(el: SetElement, err: (m: string) => void): void {
  exprProblems(el.key, err);
  if (el.value) exprProblems(el.value, err);
  if (el.comment !== undefined) {
    const p = commentProblem(el.comment);
    if (p) err(p.message);
  }
  for (const t of [el.timeout, el.expires]) if (t !== undefined && !TOKEN_RE.test(t)) err(`"${t}" is not a time value`);
}

function chainProblems(c: Chain, out: EmitProblem[], name: NameCheck, comment: CommentCheck, quoted: QuotedCheck, rawText: NameCheck): void {
  name(c.id, 'name', c.name, 'chain name');
  comment(c.id, 'comment', c.comment);
  if (c.base) {
    for (const d of c.base.devices ?? []) {
      if (d.startsWith('$')) name(c.id, 'devices', d.slice(1), 'variable name');
      else quoted(c.id, 'devices', d, 'device name');
    }
    const pol = c.base.policy;
    if (pol !== undefined && pol !== 'accept' && pol !== 'drop' && !(pol.startsWith('$') && !nameProblem(pol.slice(1)))) {
      out.push({ nodeId: c.id, field: 'policy', message: 'policy must be accept or drop' });
    }
    const p = c.base.priority;
    if (p.kind === 'var') name(c.id, 'priority', p.name, 'variable name');
    if (p.kind === 'std' && !/^[a-z]+$/.test(p.name)) out.push({ nodeId: c.id, field: 'priority', message: `"${p.name}" is not a priority name` });
    if ((p.kind === 'num' || p.kind === 'std') && !Number.isInteger(p.kind === 'num' ? p.value : p.offset)) {
      out.push({ nodeId: c.id, field: 'priority', message: 'the priority must be a whole number' });
    }
  }
  for (const r of c.rules) {
    comment(r.id, 'comment', r.comment);
    const err = (msg: string): void => {
      out.push({ nodeId: r.id, field: 'stmts', message: msg });
    };
    for (const s of r.stmts) stmtProblems(s, err, (text) => rawText(r.id, 'stmts', text, 'the rule text'));
  }
}

function stmtProblems(s: Statement, err: (m: string) => void, raw: (text: string) => void): void {
  const ident = (v: string | undefined, what: string): void => {
    if (v === undefined) return;
    const p = nameProblem(v, what);
    if (p) err(p.message);
  };
  const str = (v: string | undefined, what: string): void => {
    if (v === undefined) return;
    const p = quotedStringProblem(v, what);
    if (p) err(p);
  };
  switch (s.kind) {
    case 'match':
      exprProblems(s.left, err);
      exprProblems(s.right, err);
      return;
    case 'verdict':
      ident(s.target, 'chain name');
      return;
    case 'queue':
      if (s.num !== undefined && !/^\d+(-\d+)?$/.test(s.num)) err('the queue number must be N or N-M');
      for (const f of s.flags ?? []) if (f !== 'bypass' && f !== 'fanout') err(`unknown queue flag "${f}"`);
      return;
    case 'reject':
      if (s.with?.code !== undefined && !TOKEN_RE.test(s.with.code)) err(`"${s.with.code}" is not a reject code`);
      return;
    case 'log':
      str(s.prefix, 'log prefix');
      if (s.level !== undefined && !/^[a-z]+$/.test(s.level)) err(`"${s.level}" is not a log level`);
      for (const f of s.flags ?? []) if (!/^[a-z ,-]+$/.test(f)) err(`"${f}" is not a log flag`);
      return;
    case 'objref':
      if (s.name !== undefined) str(s.name, `${s.type} name`);
      if (s.map) exprProblems(s.map, err);
      return;
    case 'nat':
      if (s.addr) exprProblems(s.addr, err);
      if (s.port) exprProblems(s.port, err);
      for (const f of s.flags ?? []) if (!/^[a-z-]+$/.test(f)) err(`"${f}" is not a nat flag`);
      return;
    case 'mangle':
      exprProblems(s.key, err);
      exprProblems(s.value, err);
      return;
    case 'setupdate':
      ident(s.set, 'set name');
      exprProblems(s.key, err);
      if (s.timeout !== undefined && !TOKEN_RE.test(s.timeout)) err(`"${s.timeout}" is not a time value`);
      if (s.stmtsText) raw(s.stmtsText);
      return;
    case 'vmap':
      exprProblems(s.key, err);
      exprProblems(s.data, err);
      return;
    case 'raw':
      raw(s.text);
      return;
    default:
      return;
  }
}

function exprProblems(e: Expr, err: (m: string) => void): void {
  switch (e.kind) {
    case 'value':
      if (e.text.startsWith('"')) {
        const inner = e.text.slice(1, -1);
        if (!e.text.endsWith('"') || e.text.length < 2) err(`unterminated string ${e.text}`);
        else {
          const p = quotedStringProblem(inner, 'string');
          if (p) err(p);
        }
      } else if (!TOKEN_RE.test(e.text) && !/^-\d+$/.test(e.text)) {
        err(`"${e.text.slice(0, 40)}" is not a single value: use quotes for text, or one word/number/address`);
      }
      return;
    case 'var':
    case 'setref': {
      const p = nameProblem(e.name);
      if (p) err(p.message);
      return;
    }
    case 'concat':
    case 'list':
      e.items.forEach((i) => exprProblems(i, err));
      return;
    case 'binop':
      exprProblems(e.left, err);
      exprProblems(e.right, err);
      return;
    case 'range':
      exprProblems(e.from, err);
      exprProblems(e.to, err);
      return;
    case 'prefix':
      exprProblems(e.addr, err);
      if (!Number.isInteger(e.len) || e.len < 0 || e.len > 128) err(`prefix length ${e.len} is out of range`);
      return;
    case 'set':
      e.elements.forEach((el) => elementProblems(el, err));
      return;
    case 'map':
      exprProblems(e.key, err);
      exprProblems(e.data, err);
      return;
    case 'verdict':
      if (e.target !== undefined) {
        const p = nameProblem(e.target, 'chain name');
        if (p) err(p.message);
      }
      return;
    case 'hash':
      if (e.expr) exprProblems(e.expr, err);
      if (e.seed !== undefined && !TOKEN_RE.test(e.seed)) err(`"${e.seed}" is not a seed`);
      return;
    case 'rawexpr': {
      const p = rawTextProblem(e.text);
      if (p) err(p);
      return;
    }
    case 'payload':
    case 'meta':
    case 'ct':
    case 'fib':
    case 'rt':
    case 'socket': {
      const words = [
        ...(e.kind === 'payload' ? [e.protocol, e.field] : []),
        ...(e.kind === 'meta' || e.kind === 'ct' || e.kind === 'rt' || e.kind === 'socket' ? [e.key] : []),
        ...(e.kind === 'fib' ? [...e.flags, e.result] : []),
      ];
      for (const w of words) if (!/^[a-z0-9-]+$/.test(w)) err(`"${w}" is not an expression keyword`);
      return;
    }
    default:
      return;
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
