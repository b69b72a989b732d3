/**
 * The rule builder's own view of a rule — rows of text as the person types it —
 * and the two conversions: `ruleToState` (a rule → rows, or the reason the
 * builder cannot show it) and `stateToRule` (rows → a rule plus, for every
 * field that is wrong or not filled in yet, a message keyed by the field's
 * path). A rule is shown in the builder only if converting it back prints
 * exactly the same nft text, so the builder never rewrites a rule it opened.
 */
import type { Expr, SetElement } from '../../../src/model/expr.ts';
import type {
  ByteUnit,
  CounterStmt,
  LogStmt,
  MatchOp,
  NatType,
  QuotaStmt,
  RateUnit,
  RejectStmt,
  Statement,
  TimeUnit,
} from '../../../src/model/stmt.ts';
import type { Chain, Family, Rule, Table } from '../../../src/model/types.ts';
import { emitRule } from '../../../src/emit/index.ts';
import { emitProblems } from '../../../src/emit/validate.ts';
import { durationMs } from '../../../src/knowledge/datatypes.ts';
import { commentProblem, nameProblem, quotedStringProblem } from '../../../src/knowledge/names.ts';
import { isFlagField, ruleField, ruleFieldOf, type RuleField } from '../../../src/knowledge/ruleFields.ts';
import type { SynproxyMode } from '../../../src/knowledge/synproxyHelp.ts';
import { SYNPROXY_DEFAULTS } from '../../../src/knowledge/synproxyFacts.ts';
import { chipText, parseChip, parseCount } from './values.ts';
import { logPrefixProblem } from '../../../src/stmts/log.ts';
import { MAX_QUEUE_NUMBER, queueProblem } from '../../../src/stmts/queue.ts';
import type { StatementKind } from '../../../src/model/stmt.ts';
import { statementForm } from '../../../src/stmts/registry.ts';
import { a } from '../../../src/lint/text.ts';

// ------------------------------------------------------------------ rows

export interface MatchRow {
  key: string;
  /** a RuleField id (`tcp dport`), '' until picked */
  field: string;
  op: MatchOp;
  /** chips as typed: `22`, `1024-65535`, `10.0.0.0/8`, `eth0`, `$V`, `@set` */
  values: string[];
  /** a flag field written as a set `{ a, b }` instead of a bit test `a,b` */
  asSet: boolean;
}

export interface MapEntryRow {
  key: string;
  /** the key value (`192.168.1.0/24`) */
  match: string;
  /** the synproxy object's name */
  object: string;
}

export interface CounterRow {
  key: string;
  kind: 'counter';
  /** a named counter of the table, '' for the rule's own */
  ref: string;
  orig?: CounterStmt;
}
export interface LogRow {
  key: string;
  kind: 'log';
  prefix: string;
  /** '' is nft's default (warn) */
  level: string;
  orig?: LogStmt;
}
export interface LimitRow {
  key: string;
  kind: 'limit';
  ref: string;
  rate: string;
  unit: RateUnit;
  per: TimeUnit;
  burst: string;
  burstUnit: RateUnit | '';
  over: boolean;
}
export interface QuotaRow {
  key: string;
  kind: 'quota';
  ref: string;
  amount: string;
  unit: ByteUnit;
  over: boolean;
  orig?: QuotaStmt;
}
export interface NotrackRow {
  key: string;
  kind: 'notrack';
}
export interface SynproxyRow {
  key: string;
  kind: 'synproxy';
  mode: SynproxyMode;
  mss: string;
  wscale: string;
  timestamp: boolean;
  sackPerm: boolean;
  /** by name: the object */
  name: string;
  /** by map: a RuleField id for the key (`ip saddr`) */
  mapKey: string;
  entries: MapEntryRow[];
  /** by named map: the map's name */
  mapName: string;
}
export interface NatRow {
  key: string;
  kind: 'nat';
  type: NatType;
  /** inet tables: `dnat ip to …`; '' = from an earlier ip/ip6 match */
  family: '' | 'ip' | 'ip6';
  addr: string;
  port: string;
  flags: string[];
}
export type MangleTarget = 'meta mark' | 'ct mark' | 'ct helper';
export interface MangleRow {
  key: string;
  kind: 'mangle';
  target: MangleTarget;
  value: string;
}
export interface SetUpdateRow {
  key: string;
  kind: 'setupdate';
  op: 'add' | 'update' | 'delete';
  set: string;
  /** a RuleField id */
  field: string;
  timeout: string;
  /** the element's statements, passed through unchanged (the builder does not edit them) */
  stmts?: Statement[];
}

/**
 * A statement edited through its module's form (src/stmts/module.ts StmtForm):
 * the field values as typed, by field key. One editor (FormFields.tsx) shows
 * every such kind.
 */
export interface FormRow {
  key: string;
  kind: 'form';
  /** the statement kind whose form this is */
  of: StatementKind;
  values: Record<string, string>;
}

export type StmtRow = CounterRow | LogRow | LimitRow | QuotaRow | NotrackRow | SynproxyRow | NatRow | MangleRow | SetUpdateRow | FormRow;
export type StmtKind = StmtRow['kind'];
/** What the "add statement" menu and a statement's kind select offer: a hand-written editor's kind, or a module's form (`form:tproxy`). */
export type StmtChoice = Exclude<StmtKind, 'form'> | `form:${StatementKind}`;

/** The statement kind a choice edits through its module's form, if it is one. */
export function formKindOf(choice: StmtChoice): StatementKind | undefined {
  return choice.startsWith('form:') ? (choice.slice('form:'.length) as StatementKind) : undefined;
}

/** The choice a row stands for. */
export function choiceOf(row: StmtRow): StmtChoice {
  return row.kind === 'form' ? `form:${row.of}` : row.kind;
}

export type VerdictKind = '' | 'accept' | 'drop' | 'reject' | 'jump' | 'goto' | 'return' | 'continue' | 'queue';
export interface VerdictRow {
  kind: VerdictKind;
  target: string;
  /** '' (nft's default), `tcp reset`, or `icmp|icmpv6|icmpx CODE` */
  rejectWith: string;
  queueNum: string;
  queueFlags: string[];
}

export interface BuilderState {
  matches: MatchRow[];
  stmts: StmtRow[];
  verdict: VerdictRow;
  comment: string;
}

export interface BuilderContext {
  family: Family;
  table: Table;
  chain: Chain;
}

/** `error`: wrong; `pending`: not filled in yet; both keep the rule from changing. `warning`: shown, not blocking. */
export type ProblemSeverity = 'error' | 'pending' | 'warning';
export interface Problem {
  /** `match.0.values`, `stmt.1.synproxy.mss`, `verdict.target`, `comment`, `rule` */
  path: string;
  severity: ProblemSeverity;
  message: string;
}

let keySeq = 0;
export function rowKey(): string {
  keySeq += 1;
  return `row${keySeq}`;
}

export function emptyVerdict(): VerdictRow {
  return { kind: '', target: '', rejectWith: '', queueNum: '', queueFlags: [] };
}

export function emptyState(): BuilderState {
  return { matches: [], stmts: [], verdict: emptyVerdict(), comment: '' };
}

export function newMatchRow(): MatchRow {
  return { key: rowKey(), field: '', op: 'implicit', values: [], asSet: false };
}

/** A fresh form row: every field empty, a required select on its first choice. */
export function newFormRow(of: StatementKind, key = rowKey()): FormRow {
  const values: Record<string, string> = {};
  for (const f of statementForm(of)?.fields ?? []) values[f.key] = f.kind === 'select' && !f.optional ? (f.options?.[0] ?? '') : '';
  return { key, kind: 'form', of, values };
}

/** A fresh statement of a kind, with nothing invented: numbers the person must give stay empty. */
export function newStmtRow(choice: StmtChoice, ctx: BuilderContext, key = rowKey()): StmtRow {
  const of = formKindOf(choice);
  if (of !== undefined) return newFormRow(of, key);
  const kind = choice as Exclude<StmtKind, 'form'>;
  switch (kind) {
    case 'counter':
      return { key, kind, ref: '' };
    case 'log':
      return { key, kind, prefix: '', level: '' };
    case 'limit':
      return { key, kind, ref: '', rate: '', unit: 'packets', per: 'second', burst: '', burstUnit: '', over: false };
    case 'quota':
      return { key, kind, ref: '', amount: '', unit: 'mbytes', over: false };
    case 'notrack':
      return { key, kind };
    case 'synproxy':
      // the wizard's values (one place: src/knowledge/synproxyFacts.ts), never "mss 0 wscale 0"
      return { key, kind, mode: 'anonymous', mss: String(SYNPROXY_DEFAULTS.mss), wscale: String(SYNPROXY_DEFAULTS.wscale), timestamp: SYNPROXY_DEFAULTS.timestamp, sackPerm: SYNPROXY_DEFAULTS.sackPerm, name: '', mapKey: 'ip saddr', entries: [], mapName: '' };
    case 'nat': {
      const hook = ctx.chain.base?.hook;
      const type: NatType = hook === 'postrouting' ? 'masquerade' : hook === 'input' ? 'snat' : 'dnat';
      return { key, kind, type, family: '', addr: '', port: '', flags: [] };
    }
    case 'mangle':
      return { key, kind, target: 'meta mark', value: '' };
    case 'setupdate': {
      const first = ctx.table.sets.find((s) => s.kind === 'set');
      return { key, kind, op: 'add', set: first?.name ?? '', field: '', timeout: '' };
    }
  }
}

// ------------------------------------------------------------------ rule → rows

export type FromRule = { ok: true; state: BuilderState } | { ok: false; reason: string };

class NotShown extends Error {}
function cannot(reason: string): never {
  throw new NotShown(reason);
}

/**
 * What the builder shows in its verdict row (a verdict, `continue` included, a
 * reject or a queue), not in a statement row. Whether nft lets anything follow a
 * statement is the registry's `isTerminal` (src/stmts), a different question.
 */
function inVerdictRow(s: Statement): boolean {
  return s.kind === 'verdict' || s.kind === 'reject' || s.kind === 'queue';
}

function chipsOf(e: Expr): string[] {
  const t = chipText(e);
  if (t === undefined) cannot('it compares with a value the builder cannot show');
  return [t];
}

function matchToRow(s: Extract<Statement, { kind: 'match' }>): MatchRow {
  const f = ruleFieldOf(s.left);
  if (!f) cannot(`it matches on ${describeSelector(s.left)}, which the builder does not offer`);
  const flags = isFlagField(f);
  const op: MatchOp = s.op === '==' && !flags ? 'implicit' : s.op;
  const r = s.right;
  let values: string[];
  let asSet = false;
  if (r.kind === 'list') {
    if (!flags) cannot('it uses a comma list on a field that is not a set of flags');
    values = r.items.flatMap(chipsOf);
  } else if (r.kind === 'set') {
    if (r.elements.some((el) => el.value || el.timeout || el.expires || el.comment !== undefined)) cannot('its set has element options');
    values = r.elements.flatMap((el) => chipsOf(el.key));
    asSet = flags;
  } else values = chipsOf(r);
  return { key: rowKey(), field: f.id, op, values, asSet };
}

function describeSelector(e: Expr): string {
  switch (e.kind) {
    case 'payload':
      return `${e.protocol} ${e.field}`;
    case 'meta':
      return `meta ${e.key}`;
    case 'ct':
      return ['ct', e.dir, e.family, e.key].filter(Boolean).join(' ');
    case 'binop':
      return 'a masked expression';
    case 'concat':
      return 'a concatenation';
    default:
      return `a ${e.kind} expression`;
  }
}

function stmtToRow(s: Statement): StmtRow {
  const key = rowKey();
  const form = statementForm(s.kind);
  if (form) {
    const values = form.read(s);
    if (typeof values === 'string') cannot(values);
    return { key, kind: 'form', of: s.kind, values: { ...values } };
  }
  switch (s.kind) {
    case 'counter':
      return { key, kind: 'counter', ref: '', orig: s };
    case 'log':
      return { key, kind: 'log', prefix: s.prefix ?? '', level: s.level ?? '', orig: s };
    case 'limit':
      return {
        key,
        kind: 'limit',
        ref: '',
        rate: String(s.rate),
        unit: s.unit,
        per: s.per,
        burst: s.burst === undefined ? '' : String(s.burst),
        burstUnit: s.burstUnit ?? '',
        over: s.over ?? false,
      };
    case 'quota':
      return { key, kind: 'quota', ref: '', amount: String(s.amount), unit: s.unit, over: s.over ?? false, orig: s };
    case 'notrack':
      return { key, kind: 'notrack' };
    case 'synproxy':
      return {
        key,
        kind: 'synproxy',
        mode: 'anonymous',
        mss: s.mss === undefined ? '' : String(s.mss),
        wscale: s.wscale === undefined ? '' : String(s.wscale),
        timestamp: s.timestamp ?? false,
        sackPerm: s.sackPerm ?? false,
        name: '',
        mapKey: 'ip saddr',
        entries: [],
        mapName: '',
      };
    case 'objref': {
      if (s.type !== 'synproxy') {
        if (s.map || s.name === undefined) cannot(`it chooses a named ${s.type} through a map`);
        if (s.type === 'counter') return { key, kind: 'counter', ref: s.name };
        if (s.type === 'quota') return { key, kind: 'quota', ref: s.name, amount: '', unit: 'mbytes', over: false };
        return { key, kind: 'limit', ref: s.name, rate: '', unit: 'packets', per: 'second', burst: '', burstUnit: '', over: false };
      }
      const base: SynproxyRow = { key, kind: 'synproxy', mode: 'name', mss: '', wscale: '', timestamp: false, sackPerm: false, name: '', mapKey: 'ip saddr', entries: [], mapName: '' };
      if (!s.map) return { ...base, name: s.name ?? '' };
      const f = ruleFieldOf(s.map.key);
      if (!f) cannot(`its synproxy map is keyed on ${describeSelector(s.map.key)}, which the builder does not offer`);
      const data = s.map.data;
      if (data.kind === 'setref') return { ...base, mode: 'namedMap', mapKey: f.id, mapName: data.name };
      if (data.kind !== 'set') cannot('its synproxy map is a variable');
      const entries = data.elements.map((el) => {
        if (!el.value || el.value.kind !== 'value' || el.timeout || el.expires || el.comment !== undefined) cannot('its synproxy map has entries the builder cannot show');
        return { key: rowKey(), match: chipsOf(el.key)[0], object: chipText(el.value) ?? '' };
      });
      return { ...base, mode: 'map', mapKey: f.id, entries };
    }
    case 'nat': {
      let addr = '';
      let port = '';
      if (s.addr) addr = chipsOf(s.addr)[0];
      if (s.port) port = chipsOf(s.port)[0];
      return { key, kind: 'nat', type: s.type, family: s.family ?? '', addr, port, flags: s.flags ?? [] };
    }
    case 'mangle': {
      const k = s.key;
      let target: MangleTarget;
      if (k.kind === 'meta' && k.key === 'mark') target = 'meta mark';
      else if (k.kind === 'ct' && k.key === 'mark' && !k.dir && !k.family) target = 'ct mark';
      else if (k.kind === 'ct' && k.key === 'helper' && !k.dir && !k.family) target = 'ct helper';
      else cannot(`it sets ${describeSelector(k)}, which the builder does not offer`);
      const v = s.value;
      let value: string;
      if (v.kind === 'value') value = chipText(v) ?? v.text;
      else if (target !== 'ct helper' && v.kind === 'meta' && v.key === 'mark') value = 'meta mark';
      else if (target !== 'ct helper' && v.kind === 'ct' && v.key === 'mark' && !v.dir && !v.family) value = 'ct mark';
      else cannot(`it sets ${target} from an expression the builder does not offer`);
      return { key, kind: 'mangle', target, value };
    }
    case 'setupdate': {
      const f = ruleFieldOf(s.key);
      if (!f) cannot(`it adds ${describeSelector(s.key)} to a set, which the builder does not offer`);
      const row: SetUpdateRow = { key, kind: 'setupdate', op: s.op, set: s.set, field: f.id, timeout: s.timeout ?? '' };
      if (s.stmts !== undefined) row.stmts = s.stmts;
      return row;
    }
    case 'raw':
      return cannot('part of it is kept as text that the structured model does not cover');
    case 'vmap':
      return cannot('it uses a verdict map (vmap)');
    default:
      return cannot(`it has a ${s.kind} statement in a place the builder does not offer`);
  }
}

function verdictToRow(s: Statement): VerdictRow {
  const v = emptyVerdict();
  if (s.kind === 'verdict') {
    v.kind = s.verdict;
    v.target = s.target ?? '';
  } else if (s.kind === 'reject') {
    v.kind = 'reject';
    v.rejectWith = rejectWithText(s);
  } else if (s.kind === 'queue') {
    // a queue picked per packet (to symhash mod 2, to oifname map { … }) has no field here
    if (s.to) cannot('its queue is picked by an expression (a hash, numgen or a map)');
    v.kind = 'queue';
    v.queueNum = s.num ?? '';
    v.queueFlags = s.flags ?? [];
  }
  return v;
}

export function rejectWithText(s: RejectStmt): string {
  if (!s.with) return '';
  if (s.with.type === 'tcp reset') return 'tcp reset';
  return `${s.with.type} ${s.with.code ?? ''}`.trim();
}

/** Rows for a rule, or why the builder cannot show it (it then opens as text). */
export function ruleToState(rule: Rule, ctx: BuilderContext): FromRule {
  try {
    const state = emptyState();
    let i = 0;
    const stmts = rule.stmts;
    for (; i < stmts.length && stmts[i].kind === 'match'; i++) state.matches.push(matchToRow(stmts[i] as Extract<Statement, { kind: 'match' }>));
    for (; i < stmts.length; i++) {
      const s = stmts[i];
      if (s.kind === 'match') cannot('it has a match after a statement (the builder puts matches first)');
      if (inVerdictRow(s)) {
        if (i !== stmts.length - 1) cannot(`it has statements after its ${s.kind === 'verdict' ? s.verdict : s.kind}`);
        state.verdict = verdictToRow(s);
      } else state.stmts.push(stmtToRow(s));
    }
    state.comment = rule.comment ?? '';
    const back = stateToRule(state, ctx, rule);
    // `pending` is fine here: an empty rule (just added by the app) opens in the builder
    if (back.problems.some((p) => p.severity === 'error')) {
      const first = back.problems.find((p) => p.severity === 'error');
      cannot(`the builder would not accept it as it is (${first?.message ?? 'unknown'})`);
    }
    if (emitRule(back.rule, ctx.family) !== emitRule(rule, ctx.family) || (back.rule.comment ?? '') !== (rule.comment ?? '')) {
      cannot('the builder would change how it reads');
    }
    return { ok: true, state };
  } catch (e) {
    if (e instanceof NotShown) return { ok: false, reason: e.message };
    throw e;
  }
}

// ------------------------------------------------------------------ rows → rule

export function blocks(p: Problem): boolean {
  return p.severity === 'error' || p.severity === 'pending';
}

export interface ToRule {
  rule: Rule;
  problems: Problem[];
}

class Collector {
  readonly problems: Problem[] = [];
  add(path: string, message: string, severity: ProblemSeverity = 'error'): void {
    this.problems.push({ path, message, severity });
  }
}

function matchFromRow(row: MatchRow, path: string, out: Collector): Statement | undefined {
  const f = ruleField(row.field);
  if (!f) {
    out.add(`${path}.field`, row.field ? `unknown field "${row.field}"` : 'choose a field', row.field ? 'error' : 'pending');
    return undefined;
  }
  if (row.values.length === 0) {
    out.add(`${path}.values`, `enter a value, e.g. ${f.example}`, 'pending');
    return undefined;
  }
  const exprs: Expr[] = [];
  const bad: string[] = [];
  for (const chip of row.values) {
    const p = parseChip(chip, f.type, { range: f.range, allowSetRef: true });
    if (p.problem !== undefined) bad.push(p.problem);
    else exprs.push(p.expr);
  }
  if (bad.length) {
    out.add(`${path}.values`, bad.join('; '));
    return undefined;
  }
  const refs = exprs.filter((e) => e.kind === 'setref');
  if (refs.length && exprs.length > 1) {
    out.add(`${path}.values`, 'a named set must be the only value: put the other values into the set, or add a second match');
    return undefined;
  }
  const ordered = row.op === '<' || row.op === '>' || row.op === '<=' || row.op === '>=';
  if (ordered && (exprs.length > 1 || exprs[0].kind !== 'value')) {
    out.add(`${path}.values`, `"${row.op}" compares with one single value`);
    return undefined;
  }
  let right: Expr;
  if (exprs.length === 1 && !row.asSet) right = exprs[0];
  else if (isFlagField(f) && !row.asSet) {
    if (exprs.some((e) => e.kind !== 'value')) {
      out.add(`${path}.values`, 'flags are listed one by one (no ranges)');
      return undefined;
    }
    right = { kind: 'list', items: exprs };
  } else right = { kind: 'set', elements: exprs.map((key): SetElement => ({ key })) };
  return { kind: 'match', left: f.expr, op: row.op, right };
}

function objectRefProblem(ctx: BuilderContext, type: string, name: string): string | undefined {
  const p = nameProblem(name, `${type} name`);
  if (p) return p.message;
  if (!ctx.table.objects.some((o) => o.type === type && o.name === name)) return `there is no ${type} named ${name} in table ${ctx.table.name}`;
  return undefined;
}

function synproxyFromRow(row: SynproxyRow, path: string, ctx: BuilderContext, out: Collector): Statement | undefined {
  if (row.mode === 'anonymous') {
    const s: Statement = { kind: 'synproxy' };
    let ok = true;
    if (row.mss.trim() !== '') {
      const m = parseCount(row.mss, 'mss', { min: 1, max: 65535 });
      if (m.problem) {
        out.add(`${path}.synproxy.mss`, m.problem);
        ok = false;
      } else s.mss = m.value;
    }
    if (row.wscale.trim() !== '') {
      const w = parseCount(row.wscale, 'wscale', { min: 0, max: 14 });
      if (w.problem) {
        out.add(`${path}.synproxy.wscale`, w.problem);
        ok = false;
      } else s.wscale = w.value;
    }
    if (s.mss !== undefined && s.wscale === undefined && row.wscale.trim() === '') {
      out.add(`${path}.synproxy.wscale`, 'give wscale too: with mss alone, nft lists wscale 0', 'warning');
    }
    if (s.wscale !== undefined && s.mss === undefined && row.mss.trim() === '') {
      out.add(`${path}.synproxy.mss`, 'give mss too: with wscale alone, nft lists mss 0', 'warning');
    }
    if ((s.wscale !== undefined || row.sackPerm) && !row.timestamp) {
      out.add(`${path}.synproxy.timestamp`, 'window scaling and SACK reach the client only inside the timestamp: turn timestamp on', 'warning');
    }
    if (row.timestamp) s.timestamp = true;
    if (row.sackPerm) s.sackPerm = true;
    return ok ? s : undefined;
  }
  if (row.mode === 'name') {
    if (!row.name) {
      out.add(`${path}.synproxy.name`, ctx.table.objects.some((o) => o.type === 'synproxy') ? 'choose a synproxy object' : `table ${ctx.table.name} has no synproxy object yet: add one first`, 'pending');
      return undefined;
    }
    const p = objectRefProblem(ctx, 'synproxy', row.name);
    if (p) out.add(`${path}.synproxy.name`, p, nameProblem(row.name) ? 'error' : 'warning');
    if (nameProblem(row.name)) return undefined;
    return { kind: 'objref', type: 'synproxy', name: row.name };
  }
  const f = ruleField(row.mapKey);
  if (!f) {
    out.add(`${path}.synproxy.mapKey`, 'choose what selects the object', 'pending');
    return undefined;
  }
  if (row.mode === 'namedMap') {
    if (!row.mapName) {
      out.add(`${path}.synproxy.mapName`, 'choose a map of synproxy objects', 'pending');
      return undefined;
    }
    const np = nameProblem(row.mapName, 'map name');
    if (np) {
      out.add(`${path}.synproxy.mapName`, np.message);
      return undefined;
    }
    return { kind: 'objref', type: 'synproxy', map: { kind: 'map', key: f.expr, data: { kind: 'setref', name: row.mapName } } };
  }
  if (row.entries.length === 0) {
    out.add(`${path}.synproxy.entries`, `add an entry: ${a(f.id)} value and the synproxy object it selects`, 'pending');
    return undefined;
  }
  const elements: SetElement[] = [];
  let ok = true;
  row.entries.forEach((en, j) => {
    const p = parseChip(en.match, f.type, { range: f.range });
    if (en.match.trim() === '') {
      out.add(`${path}.synproxy.entries.${j}.match`, `enter ${a(f.id)} value, e.g. ${f.example}`, 'pending');
      ok = false;
    } else if (p.problem !== undefined) {
      out.add(`${path}.synproxy.entries.${j}.match`, p.problem);
      ok = false;
    }
    if (!en.object) {
      out.add(`${path}.synproxy.entries.${j}.object`, 'choose a synproxy object', 'pending');
      ok = false;
    } else {
      const op = objectRefProblem(ctx, 'synproxy', en.object);
      if (op) out.add(`${path}.synproxy.entries.${j}.object`, op, nameProblem(en.object) ? 'error' : 'warning');
      if (nameProblem(en.object)) ok = false;
    }
    if (p.expr && en.object) elements.push({ key: p.expr, value: { kind: 'value', text: `"${en.object}"` } });
  });
  if (!ok) return undefined;
  return { kind: 'objref', type: 'synproxy', map: { kind: 'map', key: f.expr, data: { kind: 'set', elements } } };
}

/** The family a nat address is written in: the statement's own, or the table's, or an earlier ip/ip6 match. */
export function natAddressFamily(row: NatRow, family: Family, matches: MatchRow[]): 'ip' | 'ip6' | undefined {
  if (row.family) return row.family;
  if (family === 'ip' || family === 'ip6') return family;
  for (const m of matches) {
    const f = ruleField(m.field);
    if (f?.group === 'IPv4' || f?.id === 'icmp type') return 'ip';
    if (f?.group === 'IPv6' || f?.id === 'icmpv6 type') return 'ip6';
    if (f?.id === 'meta nfproto' && m.values.length === 1) {
      if (m.values[0] === 'ipv4') return 'ip';
      if (m.values[0] === 'ipv6') return 'ip6';
    }
  }
  return undefined;
}

function natFromRow(row: NatRow, path: string, ctx: BuilderContext, matches: MatchRow[], out: Collector): Statement | undefined {
  const s: Statement = { kind: 'nat', type: row.type };
  let ok = true;
  const takesAddr = row.type === 'snat' || row.type === 'dnat';
  if (takesAddr) {
    if (row.family) s.family = row.family;
    if (row.addr.trim() === '') {
      out.add(`${path}.addr`, `enter the address to ${row.type === 'snat' ? 'use as source' : 'send to'}, e.g. ${row.type === 'snat' ? '203.0.113.1' : '192.168.1.10'}`, 'pending');
      ok = false;
    } else {
      const fam = natAddressFamily(row, ctx.family, matches);
      if (!fam) {
        out.add(`${path}.family`, `in ${ctx.family} tables say whether the address is IPv4 or IPv6 (or match ip/ip6 first)`);
        ok = false;
      } else {
        const p = parseChip(row.addr, fam === 'ip' ? 'ipv4_addr' : 'ipv6_addr');
        if (p.problem !== undefined) {
          out.add(`${path}.addr`, p.problem);
          ok = false;
        } else s.addr = p.expr;
      }
    }
  }
  if (row.port.trim() !== '') {
    const p = parseChip(row.port, 'inet_service');
    if (p.problem !== undefined) {
      out.add(`${path}.port`, p.problem);
      ok = false;
    } else s.port = p.expr;
  } else if (row.type === 'redirect') {
    // `redirect` alone sends to the same port on this host: fine
  }
  if (row.flags.length) s.flags = [...row.flags];
  return ok ? s : undefined;
}

function mangleFromRow(row: MangleRow, path: string, ctx: BuilderContext, out: Collector): Statement | undefined {
  const key: Expr = row.target === 'meta mark' ? { kind: 'meta', key: 'mark' } : row.target === 'ct mark' ? { kind: 'ct', key: 'mark' } : { kind: 'ct', key: 'helper' };
  const v = row.value.trim();
  if (row.target === 'ct helper') {
    if (!v) {
      out.add(`${path}.value`, ctx.table.objects.some((o) => o.type === 'ct helper') ? 'choose a ct helper object' : `table ${ctx.table.name} has no ct helper object yet: add one first`, 'pending');
      return undefined;
    }
    const np = nameProblem(v, 'ct helper name');
    if (np) {
      out.add(`${path}.value`, np.message);
      return undefined;
    }
    const rp = objectRefProblem(ctx, 'ct helper', v);
    if (rp) out.add(`${path}.value`, rp, 'warning');
    return { kind: 'mangle', key, value: { kind: 'value', text: `"${v}"` } };
  }
  if (!v) {
    out.add(`${path}.value`, 'enter a mark, e.g. 0x1, or meta mark / ct mark to copy one', 'pending');
    return undefined;
  }
  if (v === 'meta mark') return { kind: 'mangle', key, value: { kind: 'meta', key: 'mark' } };
  if (v === 'ct mark') return { kind: 'mangle', key, value: { kind: 'ct', key: 'mark' } };
  const p = parseChip(v, 'mark');
  if (p.problem !== undefined || p.expr.kind !== 'value' && p.expr.kind !== 'var') {
    out.add(`${path}.value`, p.problem ?? 'a mark is one value');
    return undefined;
  }
  return { kind: 'mangle', key, value: p.expr };
}

/**
 * A form row's statement: every required field filled in (else "not filled in
 * yet"), then the module's own reading of the values, whose problems stand under
 * their fields.
 */
function formFromRow(row: FormRow, path: string, ctx: BuilderContext, out: Collector): Statement | undefined {
  const form = statementForm(row.of);
  if (!form) {
    out.add(`${path}.kind`, `the builder has no form for ${row.of}`);
    return undefined;
  }
  let filled = true;
  for (const f of form.fields) {
    if (f.optional || (row.values[f.key] ?? '').trim() !== '') continue;
    out.add(`${path}.${f.key}`, `${f.kind === 'select' ? 'choose' : 'enter'} ${f.label.toLowerCase()}${f.placeholder ? `, e.g. ${f.placeholder}` : ''}`, 'pending');
    filled = false;
  }
  if (!filled) return undefined;
  const r = form.write(row.values, { family: ctx.family });
  if (!Array.isArray(r)) return r as Statement;
  for (const p of r) out.add(`${path}.${p.field}`, p.message, p.pending ? 'pending' : 'error');
  return undefined;
}

function stmtFromRow(row: StmtRow, path: string, ctx: BuilderContext, matches: MatchRow[], out: Collector): Statement | undefined {
  switch (row.kind) {
    case 'form':
      return formFromRow(row, path, ctx, out);
    case 'counter': {
      if (row.ref) {
        const p = objectRefProblem(ctx, 'counter', row.ref);
        if (p) out.add(`${path}.ref`, p, nameProblem(row.ref) ? 'error' : 'warning');
        return nameProblem(row.ref) ? undefined : { kind: 'objref', type: 'counter', name: row.ref };
      }
      const s: CounterStmt = { kind: 'counter' };
      if (row.orig?.packets !== undefined) s.packets = row.orig.packets;
      if (row.orig?.bytes !== undefined) s.bytes = row.orig.bytes;
      return s;
    }
    case 'log': {
      const s: LogStmt = { kind: 'log' };
      if (row.orig) {
        for (const k of ['group', 'snaplen', 'queueThreshold', 'flags'] as const) if (row.orig[k] !== undefined) (s as unknown as Record<string, unknown>)[k] = row.orig[k];
      }
      const q = quotedStringProblem(row.prefix, 'log prefix');
      if (q) {
        out.add(`${path}.prefix`, q);
        return undefined;
      }
      const tooLong = logPrefixProblem(row.prefix);
      if (tooLong) {
        out.add(`${path}.prefix`, tooLong);
        return undefined;
      }
      // an empty prefix is no prefix, unless the rule already said `prefix ""`
      if (row.prefix !== '' || row.orig?.prefix === '') s.prefix = row.prefix;
      if (row.level) s.level = row.level;
      return s;
    }
    case 'limit': {
      if (row.ref) {
        const p = objectRefProblem(ctx, 'limit', row.ref);
        if (p) out.add(`${path}.ref`, p, nameProblem(row.ref) ? 'error' : 'warning');
        return nameProblem(row.ref) ? undefined : { kind: 'objref', type: 'limit', name: row.ref };
      }
      if (row.rate.trim() === '') {
        out.add(`${path}.rate`, 'enter a rate, e.g. 10', 'pending');
        return undefined;
      }
      const r = parseCount(row.rate, 'the rate', { min: 1 });
      if (r.problem) {
        out.add(`${path}.rate`, r.problem);
        return undefined;
      }
      const s: Statement = { kind: 'limit', rate: r.value ?? 0, unit: row.unit, per: row.per };
      if (row.over) s.over = true;
      if (row.burst.trim() !== '') {
        const b = parseCount(row.burst, 'the burst');
        if (b.problem) {
          out.add(`${path}.burst`, b.problem);
          return undefined;
        }
        s.burst = b.value;
        if (row.burstUnit) s.burstUnit = row.burstUnit;
      }
      return s;
    }
    case 'quota': {
      if (row.ref) {
        const p = objectRefProblem(ctx, 'quota', row.ref);
        if (p) out.add(`${path}.ref`, p, nameProblem(row.ref) ? 'error' : 'warning');
        return nameProblem(row.ref) ? undefined : { kind: 'objref', type: 'quota', name: row.ref };
      }
      if (row.amount.trim() === '') {
        out.add(`${path}.amount`, 'enter an amount, e.g. 100', 'pending');
        return undefined;
      }
      const a = parseCount(row.amount, 'the amount', { min: 1 });
      if (a.problem) {
        out.add(`${path}.amount`, a.problem);
        return undefined;
      }
      const s: QuotaStmt = { kind: 'quota', amount: a.value ?? 0, unit: row.unit };
      if (row.over) s.over = true;
      if (row.orig?.used !== undefined) s.used = row.orig.used;
      if (row.orig?.usedUnit !== undefined) s.usedUnit = row.orig.usedUnit;
      return s;
    }
    case 'notrack':
      return { kind: 'notrack' };
    case 'synproxy':
      return synproxyFromRow(row, path, ctx, out);
    case 'nat':
      return natFromRow(row, path, ctx, matches, out);
    case 'mangle':
      return mangleFromRow(row, path, ctx, out);
    case 'setupdate': {
      let ok = true;
      if (!row.set) {
        out.add(`${path}.set`, ctx.table.sets.some((s) => s.kind === 'set') ? 'choose a set' : `table ${ctx.table.name} has no set yet: add one first`, 'pending');
        ok = false;
      } else {
        const np = nameProblem(row.set, 'set name');
        if (np) {
          out.add(`${path}.set`, np.message);
          ok = false;
        }
      }
      const f = ruleField(row.field);
      if (!f) {
        out.add(`${path}.field`, 'choose what to add to the set, e.g. ip saddr', 'pending');
        ok = false;
      }
      if (row.timeout.trim() !== '' && durationMs(row.timeout.trim()) === undefined) {
        out.add(`${path}.timeout`, `"${row.timeout}" is not a time: write e.g. 30s, 10m, 1h or 1d`);
        ok = false;
      }
      if (!ok || !f) return undefined;
      const s: Statement = { kind: 'setupdate', op: row.op, set: row.set, key: f.expr };
      if (row.timeout.trim() !== '') s.timeout = row.timeout.trim();
      if (row.stmts !== undefined) s.stmts = row.stmts;
      return s;
    }
  }
}

function verdictFromRow(v: VerdictRow, ctx: BuilderContext, out: Collector): Statement | undefined {
  switch (v.kind) {
    case '':
      return undefined;
    case 'accept':
    case 'drop':
    case 'return':
    case 'continue':
      return { kind: 'verdict', verdict: v.kind };
    case 'jump':
    case 'goto': {
      if (!v.target) {
        out.add('verdict.target', `choose the chain to ${v.kind} to`, 'pending');
        return undefined;
      }
      const np = nameProblem(v.target, 'chain name');
      if (np) {
        out.add('verdict.target', np.message);
        return undefined;
      }
      const target = ctx.table.chains.find((c) => c.name === v.target);
      if (!target) out.add('verdict.target', `there is no chain ${v.target} in table ${ctx.table.name}`, 'warning');
      else if (target.base) out.add('verdict.target', `${v.target} is a base chain: the kernel refuses a ${v.kind} to it`, 'warning');
      else if (target.id === ctx.chain.id) out.add('verdict.target', `a ${v.kind} to the rule's own chain loops forever: the kernel refuses it`, 'warning');
      return { kind: 'verdict', verdict: v.kind, target: v.target };
    }
    case 'reject': {
      const s: RejectStmt = { kind: 'reject' };
      const w = v.rejectWith.trim();
      if (w === 'tcp reset') s.with = { type: 'tcp reset' };
      else if (w) {
        const [type, code] = w.split(/\s+/, 2);
        if (type !== 'icmp' && type !== 'icmpv6' && type !== 'icmpx') {
          out.add('verdict.reject', `"${w}" is not a reject type`);
          return undefined;
        }
        s.with = code ? { type, code } : { type };
      }
      return s;
    }
    case 'queue': {
      const s: Statement = { kind: 'queue' };
      const n = v.queueNum.trim();
      if (n) {
        if (!/^\d+(?:-\d+)?$/.test(n)) {
          out.add('verdict.queueNum', `the queue number is N or N-M (0..${MAX_QUEUE_NUMBER})`);
          return undefined;
        }
        s.num = n;
      }
      if (v.queueFlags.length) s.flags = [...v.queueFlags];
      // the linter's check, which is what nft refuses (a number above 65535, a range backwards, fanout without a range)
      const problem = queueProblem(s);
      if (problem) {
        out.add(problem.word === 'fanout' ? 'verdict.queueFlags.fanout' : 'verdict.queueNum', problem.message);
        return undefined;
      }
      return s;
    }
  }
}

/**
 * The rule the rows describe. `problems` lists every field that is wrong
 * (`error`) or empty (`pending`) — while any of those exist the caller must keep
 * the model as it was — and notes that do not block (`warning`).
 */
export function stateToRule(state: BuilderState, ctx: BuilderContext, base: Pick<Rule, 'id'>): ToRule {
  const out = new Collector();
  const stmts: Statement[] = [];
  state.matches.forEach((row, i) => {
    const s = matchFromRow(row, `match.${i}`, out);
    if (s) stmts.push(s);
  });
  state.stmts.forEach((row, i) => {
    const s = stmtFromRow(row, `stmt.${i}`, ctx, state.matches, out);
    if (s) stmts.push(s);
  });
  const v = verdictFromRow(state.verdict, ctx, out);
  if (v) stmts.push(v);
  const rule: Rule = { id: base.id, stmts };
  if (state.comment !== '') {
    const p = commentProblem(state.comment);
    if (p) out.add('comment', p.message);
    else rule.comment = state.comment;
  }
  if (stmts.length === 0 && !out.problems.some(blocks)) {
    out.add('rule', 'the rule is empty: add a match, a statement or a verdict', 'pending');
  }
  if (!out.problems.some(blocks)) {
    // Last line of defence: never hand the app a rule the emitter would refuse.
    const table: Table = { ...ctx.table, objects: [], sets: [], flowtables: [], chains: [{ ...ctx.chain, rules: [rule] }] };
    for (const p of emitProblems({ schema: 1, preamble: 'none', defines: [], includes: [], commands: [], tables: [table] })) {
      if (p.nodeId === rule.id) out.add(p.field === 'comment' ? 'comment' : 'rule', p.message);
    }
  }
  return { rule, problems: out.problems };
}

/** The field a problem path belongs to, e.g. `stmt.1` for `stmt.1.synproxy.mss`. */
export function rowPath(path: string): string {
  const parts = path.split('.');
  return parts.length >= 2 && (parts[0] === 'match' || parts[0] === 'stmt') ? `${parts[0]}.${parts[1]}` : parts[0];
}

export function fieldOfRow(row: MatchRow): RuleField | undefined {
  return ruleField(row.field);
}
