/**
 * `meter NAME [size N] { KEY [timeout T] STMT }`: a dynamic set NAME keyed by
 * KEY whose elements each carry one stateful statement (limit, counter, quota,
 * ct count, last). nft 1.0.6 lists it as written, with `size 65535` when none was
 * given and the statement stateless (`counter`, not its values). nft 1.1.x lists
 * what the meter became: a set NAME in the table (`flags dynamic[,timeout]`) and
 * `update @NAME { … }` (with a timeout) or `add @NAME { … }` in the rule. That
 * listing needs a set declaration beside the chain, which a statement cannot
 * print, so for 1.1.3 the meter form is printed too: 1.1.3 loads it and then
 * lists the set form.
 */
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { durationMs, exprType, formatDurationMs, formatValue } from '../knowledge/datatypes.ts';
import { lists11 } from '../knowledge/listing.ts';
import { nameProblem } from '../knowledge/names.ts';
import { formatSelector } from '../emit/selectors.ts';
import { seconds, selectorJson } from '../json/exprToJson.ts';
import { selectorFromJson } from '../json/exprFromJson.ts';
import { isObject, type JsonObject } from '../json/jsonValue.ts';
import { fail, int, objectBody, only, str, tagged } from '../json/readJson.ts';
import { parseStatements } from '../json/snippets.ts';
import { parseSelector } from '../parse/expressions.ts';
import { Tok } from '../parse/lexer.ts';
import { checkStatementSafety, checkStatementShape, parseStatementAt, statementExprs, statementFromJson, statementJson } from './registry.ts';
import { ELEMENT_STATEMENT_KINDS, isElementStatement } from './elementKinds.ts';
import { printElementStatements } from './elementStmts.ts';
import type { FormProblem, PrintContext, StmtModule } from './module.ts';
import { fieldCount } from './stmtValues.ts';
import { NEXT } from '../trace/context.ts';

/** The statements a meter's elements can carry: nft's stateful statements (elementStmts.ts). */
export const METER_STATEMENT_KINDS = ELEMENT_STATEMENT_KINDS;
const isMeterStatement = isElementStatement;

/** nft's size of a meter declared without one. */
export const DEFAULT_METER_SIZE = 65535;

/** Datatypes nft 1.1 lists a meter's set key with that it cannot read back (`type 0` for ip ttl): such a meter stays a meter. */
const UNLISTABLE_TYPES: ReadonlySet<string> = new Set(['integer', 'hex_integer', 'string', 'boolean']);

/**
 * nft 1.1 lists a meter as the named set it is (`set m1 { type ipv4_addr; size 65535;
 * flags dynamic }`, after the table's own sets) and the rule as an update of it
 * (`add @m1 { ip saddr limit rate … }`, `update @m1 { … timeout 10s … }` with a
 * timeout). The set's key types, or undefined where that listing cannot be read back.
 */
export function meterSetTypes(key: Expr): string[] | undefined {
  const items = key.kind === 'concat' ? key.items : [key];
  const types: string[] = [];
  for (const e of items) {
    const t = exprType(e);
    if (t === undefined || UNLISTABLE_TYPES.has(t)) return undefined;
    types.push(t);
  }
  return types;
}
const SIZE_MAX = 0xffffffff;

export interface MeterStmt {
  kind: 'meter';
  name: string;
  size?: number;
  key: Expr;
  /** how long an element stays (`timeout 10m`) */
  timeout?: string;
  /** the statement each element carries */
  stmt: Statement;
}

const WHERE_KEY = 'the key of a meter (expected a selector like ip saddr)';
const NOT_STATEFUL = `a meter's statement is one of ${METER_STATEMENT_KINDS.map((k) => (k === 'connlimit' ? 'ct count' : k)).join(', ')}`;

/** The element statement as nft lists it there: stateless (a counter without its values, last without its time). */
function elementText(s: Statement, ctx: PrintContext): string {
  return printElementStatements([s], ctx, true);
}

export const meter: StmtModule<'meter'> = {
  kind: 'meter',
  title: 'meter',
  summary: 'keep a dynamic set of keys (e.g. source addresses), each with its own limit, counter or quota',
  words: ['meter'],
  options: ['size', 'timeout'],
  parse(c) {
    c.next();
    const name = c.expectWord('a meter name');
    const s: MeterStmt = { kind: 'meter', name, key: { kind: 'value', text: '' }, stmt: { kind: 'counter' } };
    if (c.eat('size')) s.size = c.expectNumber('a meter size');
    c.expectKind(Tok.LBrace, '"{"');
    s.key = parseSelector(c);
    if (c.eat('timeout')) s.timeout = c.expectWord('a timeout');
    const inner = parseStatementAt(c);
    if (!isMeterStatement(inner)) c.fail(NOT_STATEFUL);
    s.stmt = inner;
    c.expectKind(Tok.RBrace, '"}"');
    return s;
  },
  jsonTags: ['meter'],
  fromJson(_tag, body, ctx) {
    const o = objectBody(body, 'meter');
    only(o, ['name', 'key', 'size', 'stmt'], 'meter');
    const name = str(o, 'name') ?? fail('meter needs a name');
    const np = nameProblem(name, 'meter name');
    if (np) fail(np.message);
    let key = o.key ?? fail('meter needs a key');
    let timeout: number | undefined;
    const wrapped = tagged(key);
    if (wrapped && wrapped[0] === 'elem' && isObject(wrapped[1])) {
      only(wrapped[1], ['val', 'timeout'], 'meter key');
      timeout = int(wrapped[1], 'timeout');
      key = wrapped[1].val ?? fail('meter key elem needs val');
    }
    const t = tagged(o.stmt ?? fail('meter needs stmt'));
    if (t && t[0] === 'meter') fail(NOT_STATEFUL);
    const stmt = statementFromJson(o.stmt ?? null, ctx.family);
    if (!isMeterStatement(stmt)) fail(NOT_STATEFUL);
    const s: MeterStmt = { kind: 'meter', name, key: selectorFromJson(key), stmt };
    const size = int(o, 'size');
    if (size !== undefined) s.size = size;
    if (timeout !== undefined) s.timeout = formatDurationMs(timeout * 1000);
    return s;
  },
  print(s, ctx) {
    const asSet = lists11(ctx.target) && meterSetTypes(s.key) !== undefined;
    let m = asSet ? `${s.timeout !== undefined ? 'update' : 'add'} @${s.name} { ${formatSelector(s.key)}` : `meter ${s.name} size ${s.size ?? DEFAULT_METER_SIZE} { ${formatSelector(s.key)}`;
    if (s.timeout !== undefined) m += ` timeout ${formatValue(s.timeout, 'time')}`;
    return `${m} ${elementText(s.stmt, ctx)} }`;
  },
  toJson(s, ctx) {
    const key = selectorJson(s.key, ctx.vars);
    const m: JsonObject = {
      name: s.name,
      key: s.timeout !== undefined ? { elem: { val: key, timeout: seconds(s.timeout) } } : key,
      stmt: statementJson(s.stmt, { ...ctx, template: true, rule: [s.stmt], index: 0 }),
    };
    if (s.size !== undefined) m.size = s.size;
    return { meter: m };
  },
  shape(v, s, p) {
    v.str(s, 'name', p);
    v.num(s, 'size', p, true, true);
    v.expr(s.key, `${p}.key`, 0, 'selector', WHERE_KEY);
    v.str(s, 'timeout', p, true);
    const inner = s.stmt;
    // one level: a meter's statement is stateful, none of which holds statements
    if (!v.obj(inner, `${p}.stmt`)) return;
    if (!isMeterStatement(inner)) v.err(`${p}.stmt.kind`, NOT_STATEFUL);
    else checkStatementShape(v, inner, `${p}.stmt`);
  },
  safety(v, s) {
    const f = v.field;
    v.name(f, s.name, 'meter name');
    v.num(f, s.size, 'meter size', true, true);
    v.expr(s.key, 'selector', WHERE_KEY);
    v.time(f, s.timeout);
    if (!isMeterStatement(s.stmt)) v.push(f, NOT_STATEFUL);
    else checkStatementSafety(v, s.stmt);
  },
  form: {
    fields: [
      { key: 'name', label: 'Meter name', kind: 'text', placeholder: 'per_source' },
      { key: 'key', label: 'Key', kind: 'text', placeholder: 'ip saddr', help: 'What each element is for: ip saddr (per source address), ip saddr . tcp dport, iif . ip6 saddr …' },
      { key: 'stmt', label: 'Each element', kind: 'text', wide: true, placeholder: 'limit rate 10/second', help: 'The statement every element carries: limit rate …, counter, quota …, ct count … or last.' },
      { key: 'timeout', label: 'Timeout', kind: 'text', optional: true, placeholder: '10m', help: 'How long an element stays after it was added (30s, 10m, 1h).' },
      { key: 'size', label: 'Size', kind: 'number', optional: true, placeholder: String(DEFAULT_METER_SIZE), help: `The most elements it holds; nft's default is ${DEFAULT_METER_SIZE}.` },
    ],
    read(s) {
      const ctx: PrintContext = { family: 'inet', target: '1.0.6', rule: [s.stmt], index: 0 };
      return { name: s.name, key: formatSelector(s.key), stmt: elementText(s.stmt, ctx), timeout: s.timeout ?? '', size: s.size === undefined ? '' : String(s.size) };
    },
    write(values) {
      const problems: FormProblem[] = [];
      const name = (values.name ?? '').trim();
      const np = nameProblem(name, 'meter name');
      if (np) problems.push({ field: 'name', message: np.message });
      const keyStmts = parseStatements(`meter m { ${values.key ?? ''} counter }`);
      const keyStmt = keyStmts?.length === 1 ? keyStmts[0] : undefined;
      if (keyStmt?.kind !== 'meter') problems.push({ field: 'key', message: `"${values.key ?? ''}" is not a key: write selectors like ip saddr or ip saddr . tcp dport` });
      const stmts = parseStatements(values.stmt ?? '');
      const stmt = stmts?.length === 1 ? stmts[0] : undefined;
      if (!stmt || !isMeterStatement(stmt)) problems.push({ field: 'stmt', message: `"${values.stmt ?? ''}" is not one statement an element can carry: ${NOT_STATEFUL}` });
      const timeout = (values.timeout ?? '').trim();
      if (timeout && durationMs(timeout) === undefined) problems.push({ field: 'timeout', message: `"${timeout}" is not a time: write e.g. 30s, 10m or 1h` });
      let size: number | string | undefined;
      if (values.size) {
        size = fieldCount(values.size, 'the size', 1, SIZE_MAX);
        if (typeof size === 'string') problems.push({ field: 'size', message: size });
      }
      if (problems.length || keyStmt?.kind !== 'meter' || !stmt || !isMeterStatement(stmt) || typeof size === 'string') return problems;
      const s: MeterStmt = { kind: 'meter', name, key: keyStmt.key, stmt };
      if (timeout) s.timeout = timeout;
      if (size !== undefined) s.size = size;
      return s;
    },
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => [s.key, ...statementExprs(s.stmt)],
  passes: () => false,
  evaluate(_s, ctx) {
    const over = ctx.assume('limit', 'the meter\'s limit: the packet is over the rate', false);
    return over ? { kind: 'nomatch', why: 'over the meter\'s rate (assumed)' } : NEXT;
  },
};
