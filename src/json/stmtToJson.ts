/**
 * Model statements → libnftables JSON statements, in the shapes nft 1.0.6 both
 * writes and reads (verified by loading them with `nft -j -f`). Where a JSON
 * reader default differs from the text one it is written out: a packet limit
 * without a burst gets nft's text default of 5 (JSON would take 0).
 */
import type { Expr } from '../model/expr.ts';
import type { LimitStmt, MatchStmt, MangleStmt, NatStmt, QuotaStmt, SetUpdateStmt, Statement } from '../model/stmt.ts';
import type { Family } from '../model/types.ts';
import { exprType, isBitmask, type DataType } from '../knowledge/datatypes.ts';
import type { JsonObject, JsonValue } from './jsonValue.ts';
import { exprJson, seconds, selectorJson, typesOf, verdictJson } from './exprToJson.ts';
import { CannotCarry, LOSS } from './losses.ts';
import { parseStatements } from './snippets.ts';
import { unquoted } from './values.ts';
import type { Variables } from './variables.ts';

export interface StmtContext {
  family: Family;
  vars: Variables;
  /** statements attached to set elements are templates: nft writes a counter there as null */
  template?: boolean;
}

/** The statements of a rule; `rule` gives the statements before each one (nat infers its family from them). */
export function stmtsJson(rule: readonly Statement[], ctx: StmtContext): JsonValue[] {
  return rule.map((s, i) => stmtJson(s, rule, i, ctx));
}

export function stmtJson(s: Statement, rule: readonly Statement[], index: number, ctx: StmtContext): JsonValue {
  const vars = ctx.vars;
  switch (s.kind) {
    case 'match':
      return matchJson(s, vars);
    case 'verdict':
      return verdictJson(s);
    case 'queue': {
      const q: JsonObject = {};
      if (s.num !== undefined) {
        const [a, b] = s.num.split('-').map(Number);
        q.num = b === undefined ? a : { range: [a, b] };
      }
      if (s.flags?.length) q.flags = [...s.flags];
      return { queue: Object.keys(q).length ? q : null };
    }
    case 'reject':
      if (!s.with) return { reject: defaultReject(ctx.family) };
      if (s.with.type === 'tcp reset') return { reject: { type: 'tcp reset' } };
      return { reject: s.with.code !== undefined ? { type: s.with.type, expr: s.with.code } : { type: s.with.type } };
    case 'counter':
      if (ctx.template && s.packets === undefined && s.bytes === undefined) return { counter: null };
      return { counter: { packets: s.packets ?? 0, bytes: s.bytes ?? 0 } };
    case 'log': {
      const l: JsonObject = {};
      if (s.prefix !== undefined) l.prefix = s.prefix;
      if (s.group !== undefined) l.group = s.group;
      if (s.snaplen !== undefined) l.snaplen = s.snaplen;
      if (s.queueThreshold !== undefined) l['queue-threshold'] = s.queueThreshold;
      if (s.level !== undefined) l.level = s.level;
      if (s.flags?.length) l.flags = s.flags.length === 1 ? s.flags[0] : [...s.flags];
      return { log: Object.keys(l).length ? l : null };
    }
    case 'limit':
      return { limit: limitJson(s) };
    case 'quota':
      return { quota: quotaJson(s) };
    case 'notrack':
      return { notrack: null };
    case 'synproxy': {
      const p: JsonObject = {};
      if (s.mss !== undefined) p.mss = s.mss;
      if (s.wscale !== undefined) p.wscale = s.wscale;
      const flags = [...(s.timestamp ? ['timestamp'] : []), ...(s.sackPerm ? ['sack-perm'] : [])];
      if (flags.length) p.flags = flags;
      return { synproxy: Object.keys(p).length ? p : null };
    }
    case 'objref': {
      if (s.map) {
        return { [s.type]: exprJson(s.map, { types: typesOf(s.map.key), data: { kind: 'object' } }, vars) };
      }
      return { [s.type]: s.name ?? '' };
    }
    case 'nat':
      return natJson(s, rule, index, ctx);
    case 'mangle':
      return mangleJson(s, vars);
    case 'setupdate':
      return setUpdateJson(s, ctx);
    case 'vmap':
      return { vmap: { key: selectorJson(s.key, vars), data: exprJson(s.data, { types: typesOf(s.key), data: { kind: 'verdict' } }, vars) } };
    case 'raw':
      throw new CannotCarry(LOSS.rawStatement, `"${s.text}" is kept as text and cannot be converted`);
  }
}

/** What a bare `reject` means, written out the way nft lists it. */
function defaultReject(family: Family): JsonValue {
  if (family === 'ip') return { type: 'icmp', expr: 'port-unreachable' };
  if (family === 'ip6') return { type: 'icmpv6', expr: 'port-unreachable' };
  if (family === 'inet') return { type: 'icmpx', expr: 'port-unreachable' };
  return null;
}

/**
 * nft's operator-less form is a bit test (`"in"`) for flag types compared with
 * flags, and an equality otherwise (sets, prefixes, ranges, plain values).
 */
function matchJson(s: MatchStmt, vars: Variables): JsonValue {
  const right = s.right.kind === 'var' ? vars.expr(s.right.name) : s.right;
  // `ct count N` reads like a match but is a statement of its own in JSON
  if (s.left.kind === 'ct' && s.left.key === 'count' && !s.left.dir && s.op === 'implicit' && right.kind === 'value' && /^\d+$/.test(right.text)) {
    return { 'ct count': { val: Number(right.text) } };
  }
  let op: string = s.op;
  if (s.op === 'implicit') {
    const bitTest = s.left.kind !== 'binop' && isBitmask(exprType(s.left)) && (right.kind === 'value' || right.kind === 'list');
    op = bitTest ? 'in' : '==';
  }
  return { match: { op, left: selectorJson(s.left, vars), right: exprJson(right, { types: typesOf(s.left) }, vars) } };
}

const UNIT_BYTES: Record<string, number> = { bytes: 1, kbytes: 1024, mbytes: 1024 ** 2, gbytes: 1024 ** 3 };

/**
 * An amount in the largest of bytes/kbytes/mbytes that divides it: nft's JSON
 * reader knows only those three units and would take anything else as bytes.
 */
function byteAmount(amount: number, unit: string): [number, string] {
  let v = amount * (UNIT_BYTES[unit] ?? 1);
  if (!Number.isSafeInteger(v)) throw new CannotCarry(LOSS.rawStatement, `${amount} ${unit} is too large`);
  let u = 'bytes';
  for (const next of ['kbytes', 'mbytes']) {
    if (v === 0 || v % 1024 !== 0) break;
    v /= 1024;
    u = next;
  }
  return [v, u];
}

export function limitJson(s: Omit<LimitStmt, 'kind'>): JsonObject {
  if (s.unit === 'packets') {
    const l: JsonObject = { rate: s.rate, burst: s.burst ?? 5, per: s.per };
    if (s.over) l.inv = true;
    return l;
  }
  const [rate, rateUnit] = byteAmount(s.rate, s.unit);
  const [burst, burstUnit] = byteAmount(s.burst ?? 0, s.burstUnit && s.burstUnit !== 'packets' ? s.burstUnit : 'bytes');
  const l: JsonObject = { rate, burst, per: s.per, rate_unit: rateUnit, burst_unit: burstUnit };
  if (s.over) l.inv = true;
  return l;
}

function quotaJson(s: Omit<QuotaStmt, 'kind'>): JsonObject {
  const [val, valUnit] = byteAmount(s.amount, s.unit);
  const q: JsonObject = { val, val_unit: valUnit };
  if (s.used) {
    const [used, usedUnit] = byteAmount(s.used, s.usedUnit ?? 'bytes');
    q.used = used;
    q.used_unit = usedUnit;
  }
  if (s.over) q.inv = true;
  return q;
}

/** In inet, bridge and netdev tables nft needs to know the address family of snat/dnat. */
function natFamily(s: NatStmt, family: Family, rule: readonly Statement[], index: number): 'ip' | 'ip6' | undefined {
  if (s.family) return s.family;
  if (family === 'ip' || family === 'ip6') return family;
  for (let i = index - 1; i >= 0; i--) {
    const m = rule[i];
    if (m.kind !== 'match') continue;
    const l = m.left.kind === 'concat' ? m.left.items[0] : m.left;
    if (l.kind === 'payload' && (l.protocol === 'ip' || l.protocol === 'icmp')) return 'ip';
    if (l.kind === 'payload' && (l.protocol === 'ip6' || l.protocol === 'icmpv6')) return 'ip6';
    if (l.kind === 'meta' && l.key === 'nfproto' && m.right.kind === 'value') {
      if (m.right.text === 'ipv4') return 'ip';
      if (m.right.text === 'ipv6') return 'ip6';
    }
  }
  return undefined;
}

function natJson(s: NatStmt, rule: readonly Statement[], index: number, ctx: StmtContext): JsonValue {
  const n: JsonObject = {};
  const fam = natFamily(s, ctx.family, rule, index);
  if ((s.type === 'snat' || s.type === 'dnat') && fam && ctx.family !== 'ip' && ctx.family !== 'ip6') n.family = fam;
  const addrType: DataType = fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
  if (s.addr) n.addr = exprJson(s.addr, { types: [addrType], data: { kind: 'values', types: [addrType] } }, ctx.vars);
  if (s.port) n.port = exprJson(s.port, { types: ['inet_service'], data: { kind: 'values', types: ['inet_service'] } }, ctx.vars);
  if (s.flags?.length) n.flags = s.flags.length === 1 ? s.flags[0] : [...s.flags];
  return { [s.type]: Object.keys(n).length ? n : null };
}

const CT_OBJECT_KEYS = new Set(['helper', 'timeout', 'expectation']);

/** `ct helper set "x"` and `meta secmark set "x"` are object references in JSON. */
function mangleJson(s: MangleStmt, vars: Variables): JsonValue {
  const value: Expr = s.value.kind === 'var' ? vars.expr(s.value.name) : s.value;
  const objectRef = (type: string): JsonValue => {
    if (value.kind === 'value') return { [type]: unquoted(value.text) };
    return { [type]: exprJson(value, { types: [undefined], data: { kind: 'object' } }, vars) };
  };
  if (s.key.kind === 'ct' && CT_OBJECT_KEYS.has(s.key.key) && !s.key.dir) return objectRef(`ct ${s.key.key}`);
  if (s.key.kind === 'meta' && s.key.key === 'secmark' && (value.kind === 'value' || value.kind === 'map')) return objectRef('secmark');
  const type = exprType(s.key);
  return { mangle: { key: selectorJson(s.key, vars), value: exprJson(value, { types: [type], data: { kind: 'values', types: [type] } }, vars) } };
}

function setUpdateJson(s: SetUpdateStmt, ctx: StmtContext): JsonValue {
  const key = selectorJson(s.key, ctx.vars);
  const elem: JsonValue = s.timeout !== undefined ? { elem: { val: key, timeout: seconds(s.timeout) } } : key;
  const u: JsonObject = { op: s.op, elem, set: `@${s.set}` };
  if (s.stmtsText) {
    const stmts = parseStatements(s.stmtsText);
    if (!stmts) throw new CannotCarry(LOSS.rawStatement, `the element statements "${s.stmtsText}" cannot be read`);
    u.stmt = stmtsJson(stmts, { ...ctx, template: true });
  }
  return { set: u };
}
