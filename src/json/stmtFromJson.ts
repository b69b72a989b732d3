/**
 * libnftables JSON statements → model statements. Statements the model does not
 * structure (ct count, tproxy, dup, fwd, flow offload, map updates, log with
 * several flags) become `raw` statements holding their nft text; anything
 * without a text form here is Unconvertible and reported on its rule.
 */
import type { Expr } from '../model/expr.ts';
import type { ByteUnit, LimitStmt, LogStmt, MatchOp, ObjectRefType, QuotaStmt, RateUnit, Statement, TimeUnit } from '../model/stmt.ts';
import type { Family } from '../model/types.ts';
import { LOG_FLAGS, canonicalLogFlags, exprType, formatDurationMs, isBitmask, type DataType } from '../knowledge/datatypes.ts';
import { formatStatement } from '../emit/statements.ts';
import { isArray, isObject, type JsonObject, type JsonValue } from './jsonValue.ts';
import { selectorFromJson, typesOfExpr, valueFromJson, verdictFromJson } from './exprFromJson.ts';
import { bool, describeJson, fail, has, int, objectBody, only, str, strings, tagged, word } from './readJson.ts';
import { modelText } from './values.ts';
import { rawStatementText } from './rawFromJson.ts';

const OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const VERDICTS = new Set(['accept', 'drop', 'continue', 'return', 'jump', 'goto']);
const OBJECT_REFS = new Set<ObjectRefType>(['counter', 'quota', 'limit', 'synproxy']);
const NAT = new Set(['snat', 'dnat', 'masquerade', 'redirect']);
const RATE_UNITS = new Set(['packets', 'bytes', 'kbytes', 'mbytes']);
const BYTE_UNITS = new Set(['bytes', 'kbytes', 'mbytes', 'gbytes']);
const TIME_UNITS = new Set(['second', 'minute', 'hour', 'day', 'week']);

export function stmtFromJson(j: JsonValue, family: Family): Statement {
  const t = tagged(j);
  if (!t) fail(`a statement is an object with one property: ${describeJson(j)}`);
  const [kind, body] = t;
  if (VERDICTS.has(kind)) return verdictStmt(kind, body);
  if (OBJECT_REFS.has(kind as ObjectRefType) && (typeof body === 'string' || (isObject(body) && has(body, 'map') && Object.keys(body).length === 1))) {
    return objectRef(kind as ObjectRefType, body);
  }
  if (NAT.has(kind)) return natFromJson(kind as 'snat', body);
  switch (kind) {
    case 'match':
      return matchFromJson(body);
    case 'counter': {
      if (body === null) return { kind: 'counter' };
      const o = objectBody(body, kind);
      only(o, ['packets', 'bytes'], kind);
      const s: Statement = { kind: 'counter' };
      const packets = int(o, 'packets');
      const bytes = int(o, 'bytes');
      if (packets !== undefined) s.packets = packets;
      if (bytes !== undefined) s.bytes = bytes;
      return s;
    }
    case 'limit':
      return { kind: 'limit', ...limitFromJson(objectBody(body, kind)) };
    case 'quota':
      return { kind: 'quota', ...quotaFromJson(objectBody(body, kind)) };
    case 'log':
      return logFromJson(body);
    case 'reject':
      return rejectFromJson(body);
    case 'notrack':
      return { kind: 'notrack' };
    case 'synproxy':
      return synproxyFromJson(body);
    case 'mangle': {
      const o = objectBody(body, kind);
      const key = selectorFromJson(o.key ?? fail('mangle needs a key'));
      const type = exprType(key);
      return { kind: 'mangle', key, value: valueFromJson(o.value ?? fail('mangle needs a value'), { types: [type], data: { kind: 'values', types: [type] } }) };
    }
    case 'ct helper':
    case 'ct timeout':
    case 'ct expectation':
      return { kind: 'mangle', key: { kind: 'ct', key: kind.slice(3) }, value: objectName(body) };
    case 'secmark':
      return { kind: 'mangle', key: { kind: 'meta', key: 'secmark' }, value: objectName(body) };
    case 'set':
      return setUpdateFromJson(body, family);
    case 'vmap': {
      const o = objectBody(body, kind);
      const key = selectorFromJson(o.key ?? fail('vmap needs a key'));
      const data = valueFromJson(o.data ?? fail('vmap needs data'), { types: typesOfExpr(key), data: { kind: 'verdict' } });
      if (data.kind !== 'set' && data.kind !== 'setref') fail('vmap data must be a set or a @reference');
      return { kind: 'vmap', key, data };
    }
    case 'queue':
      return queueFromJson(body);
    case 'ct count': {
      // the parser reads `ct count N` as a match on the ct key count; keep that form
      const o = objectBody(body, kind);
      only(o, ['val', 'inv'], kind);
      const val = int(o, 'val') ?? fail('ct count needs val');
      if (bool(o, 'inv')) return { kind: 'raw', text: `ct count over ${val}` };
      return { kind: 'match', left: { kind: 'ct', key: 'count' }, op: 'implicit', right: { kind: 'value', text: String(val) } };
    }
    default:
      return { kind: 'raw', text: rawStatementText(kind, body, family) };
  }
}

function verdictStmt(kind: string, body: JsonValue): Statement {
  const v = verdictFromJson(kind, body);
  return v.target !== undefined ? { kind: 'verdict', verdict: v.verdict as 'jump', target: v.target } : { kind: 'verdict', verdict: v.verdict as 'accept' };
}

/** `counter name "c"` or `counter name KEY map { … }`. */
function objectRef(type: ObjectRefType, body: JsonValue): Statement {
  if (typeof body === 'string') return { kind: 'objref', type, name: body };
  const map = valueFromJson(body, { types: [undefined], data: { kind: 'object' } });
  if (map.kind !== 'map') fail(`${type} reference must be a name or a map`);
  return { kind: 'objref', type, map };
}

/** The value of `ct helper set "x"`: the name, quoted as nft lists it, or a map to names. */
function objectName(body: JsonValue): Expr {
  if (typeof body === 'string') return { kind: 'value', text: modelText(body, 'string') };
  const map = valueFromJson(body, { types: [undefined], data: { kind: 'object' } });
  if (map.kind !== 'map') fail(`an object reference must be a name or a map: ${describeJson(body)}`);
  return map;
}

function matchFromJson(body: JsonValue): Statement {
  const o = objectBody(body, 'match');
  only(o, ['op', 'left', 'right'], 'match');
  const opText = str(o, 'op') ?? fail('match needs op');
  const left = selectorFromJson(o.left ?? fail('match needs left'));
  const right = valueFromJson(o.right ?? fail('match needs right'), { types: typesOfExpr(left) });
  let op: MatchOp;
  if (opText === 'in') op = 'implicit';
  else if (opText === '==') {
    // nft lists `==` only where it is not the operator-less form: flag types compared exactly, and bit operations
    const explicit = left.kind === 'binop' || (isBitmask(exprType(left)) && right.kind !== 'set' && right.kind !== 'setref');
    op = explicit ? '==' : 'implicit';
  } else if (OPS.has(opText)) op = opText as MatchOp;
  else fail(`unknown relational operator "${opText.slice(0, 10)}"`);
  return { kind: 'match', left, op, right };
}

function limitFromJson(o: JsonObject): Omit<LimitStmt, 'kind'> {
  only(o, ['rate', 'per', 'burst', 'rate_unit', 'burst_unit', 'inv'], 'limit');
  return limitFields(o);
}

/** The fields of a limit statement or object. */
export function limitFields(o: JsonObject): Omit<LimitStmt, 'kind'> {
  const rate = int(o, 'rate') ?? fail('limit needs a rate');
  const per = str(o, 'per') ?? 'second';
  if (!TIME_UNITS.has(per)) fail(`unknown limit time unit "${per.slice(0, 20)}"`);
  const unit = str(o, 'rate_unit') ?? 'packets';
  if (!RATE_UNITS.has(unit)) fail(`unknown limit rate unit "${unit.slice(0, 20)}"`);
  const l: Omit<LimitStmt, 'kind'> = { rate, unit: unit as RateUnit, per: per as TimeUnit };
  const burst = int(o, 'burst');
  if (burst) {
    l.burst = burst;
    const bu = str(o, 'burst_unit');
    if (unit !== 'packets') {
      if (bu !== undefined && !RATE_UNITS.has(bu)) fail(`unknown limit burst unit "${bu.slice(0, 20)}"`);
      l.burstUnit = (bu ?? 'bytes') as RateUnit;
    }
  }
  if (bool(o, 'inv')) l.over = true;
  return l;
}

function quotaFromJson(o: JsonObject): Omit<QuotaStmt, 'kind'> {
  only(o, ['val', 'val_unit', 'used', 'used_unit', 'inv'], 'quota');
  const amount = int(o, 'val') ?? fail('quota needs val');
  const unit = str(o, 'val_unit') ?? 'bytes';
  if (!BYTE_UNITS.has(unit)) fail(`unknown quota unit "${unit.slice(0, 20)}"`);
  const q: Omit<QuotaStmt, 'kind'> = { amount, unit: unit as ByteUnit };
  const used = int(o, 'used');
  if (used) {
    const uu = str(o, 'used_unit') ?? 'bytes';
    if (!BYTE_UNITS.has(uu)) fail(`unknown quota unit "${uu.slice(0, 20)}"`);
    q.used = used;
    q.usedUnit = uu as ByteUnit;
  }
  if (bool(o, 'inv')) q.over = true;
  return q;
}

function logFromJson(body: JsonValue): Statement {
  if (body === null) return { kind: 'log' };
  const o = objectBody(body, 'log');
  only(o, ['prefix', 'group', 'snaplen', 'queue-threshold', 'level', 'flags'], 'log');
  const s: LogStmt = { kind: 'log' };
  const prefix = str(o, 'prefix');
  const group = int(o, 'group');
  const snaplen = int(o, 'snaplen');
  const qt = int(o, 'queue-threshold');
  const level = str(o, 'level');
  if (prefix !== undefined) s.prefix = prefix;
  if (group !== undefined) s.group = group;
  if (snaplen !== undefined) s.snaplen = snaplen;
  if (qt !== undefined) s.queueThreshold = qt;
  if (level !== undefined) s.level = word(level, 'log level');
  if (o.flags === undefined) return s;
  const flags = strings(o.flags) ?? fail('log flags must be strings');
  for (const f of flags) if (f !== 'all' && !LOG_FLAGS.includes(f)) fail(`unknown log flag "${f.slice(0, 20)}"`);
  return { ...s, flags: canonicalLogFlags(flags) };
}

function rejectFromJson(body: JsonValue): Statement {
  if (body === null) return { kind: 'reject' };
  const o = objectBody(body, 'reject');
  only(o, ['type', 'expr'], 'reject');
  const type = str(o, 'type');
  if (type === undefined) return { kind: 'reject' };
  if (type === 'tcp reset') return { kind: 'reject', with: { type } };
  if (type !== 'icmp' && type !== 'icmpv6' && type !== 'icmpx') fail(`unknown reject type "${type.slice(0, 20)}"`);
  const expr = o.expr;
  const code = typeof expr === 'string' ? word(expr, 'reject code') : typeof expr === 'number' && Number.isSafeInteger(expr) ? String(expr) : undefined;
  return code !== undefined ? { kind: 'reject', with: { type, code } } : { kind: 'reject', with: { type } };
}

function synproxyFromJson(body: JsonValue): Statement {
  if (body === null) return { kind: 'synproxy' };
  const o = objectBody(body, 'synproxy');
  only(o, ['mss', 'wscale', 'flags'], 'synproxy');
  const s: Statement = { kind: 'synproxy' };
  const mss = int(o, 'mss');
  const wscale = int(o, 'wscale');
  if (mss !== undefined) s.mss = mss;
  if (wscale !== undefined) s.wscale = wscale;
  if (o.flags !== undefined) {
    const flags = strings(o.flags) ?? fail('synproxy flags must be strings');
    for (const f of flags) {
      if (f === 'timestamp') s.timestamp = true;
      else if (f === 'sack-perm') s.sackPerm = true;
      else fail(`unknown synproxy flag "${f.slice(0, 20)}"`);
    }
  }
  return s;
}

function natFromJson(type: 'snat' | 'dnat' | 'masquerade' | 'redirect', body: JsonValue): Statement {
  const s: Statement = { kind: 'nat', type };
  if (body === null) return s;
  const o = objectBody(body, type);
  only(o, ['family', 'addr', 'port', 'flags'], type);
  const family = str(o, 'family');
  if (family !== undefined && family !== 'ip' && family !== 'ip6') fail(`${type} family must be ip or ip6`);
  if (family) s.family = family;
  const addrType: DataType = family === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
  if (o.addr !== undefined) s.addr = valueFromJson(o.addr, { types: [addrType], data: { kind: 'values', types: [addrType] } });
  if (o.port !== undefined) s.port = valueFromJson(o.port, { types: ['inet_service'], data: { kind: 'values', types: ['inet_service'] } });
  if (o.flags !== undefined) {
    const flags = strings(o.flags) ?? fail(`${type} flags must be strings`);
    for (const f of flags) if (!['random', 'fully-random', 'persistent', 'netmap'].includes(f)) fail(`unknown ${type} flag "${f.slice(0, 20)}"`);
    if (flags.length) s.flags = flags;
  }
  return s;
}

function setUpdateFromJson(body: JsonValue, family: Family): Statement {
  const o = objectBody(body, 'set');
  only(o, ['op', 'elem', 'set', 'stmt'], 'set');
  const op = str(o, 'op');
  if (op !== 'add' && op !== 'update' && op !== 'delete') fail('set statement op must be add, update or delete');
  const ref = str(o, 'set');
  if (ref === undefined || !ref.startsWith('@')) fail('set statement needs "set": "@name"');
  let elem = o.elem ?? fail('set statement needs elem');
  let timeout: number | undefined;
  const wrapped = tagged(elem);
  if (wrapped && wrapped[0] === 'elem' && isObject(wrapped[1])) {
    const inner = wrapped[1];
    only(inner, ['val', 'timeout'], 'set statement elem');
    timeout = int(inner, 'timeout');
    elem = inner.val ?? fail('elem needs val');
  }
  const s: Statement = { kind: 'setupdate', op, set: ref.slice(1), key: selectorFromJson(elem) };
  if (timeout !== undefined) s.timeout = formatDurationMs(timeout * 1000);
  if (o.stmt !== undefined) {
    if (!isArray(o.stmt)) fail('set statement stmt must be an array');
    const stmts = o.stmt.map((x) => elementStmtFromJson(x, family));
    if (stmts.length) s.stmtsText = elementStatementsText(stmts, family);
  }
  return s;
}

/**
 * A statement attached to set elements. nft takes only stateful statements
 * there (counter, limit, quota, ct count, last), never another set update: one
 * inside another is refused before it is read, so the depth stays one.
 */
export function elementStmtFromJson(j: JsonValue, family: Family): Statement {
  const t = tagged(j);
  if (t && t[0] === 'set') fail('a set statement cannot hold another set statement (nft attaches only stateful statements to elements)');
  return stmtFromJson(j, family);
}

/**
 * Statements attached to set elements, as nft lists them in a set declaration
 * or a set update: templates, so a counter is listed without its values.
 */
export function elementStatementsText(stmts: readonly Statement[], family: Family): string {
  return stmts.map((x) => (x.kind === 'counter' ? 'counter' : formatStatement(x, { family }))).join(' ');
}

function queueFromJson(body: JsonValue): Statement {
  const s: Statement = { kind: 'queue' };
  if (body === null) return s;
  const o = objectBody(body, 'queue');
  only(o, ['num', 'flags'], 'queue');
  const num = o.num;
  if (typeof num === 'number' && Number.isSafeInteger(num)) s.num = String(num);
  else if (num !== undefined) {
    const r = tagged(num);
    const range = r && r[0] === 'range' && isArray(r[1]) ? r[1] : undefined;
    if (!range || range.length !== 2 || !range.every((x) => typeof x === 'number' && Number.isSafeInteger(x))) fail('queue num must be a number or a range');
    s.num = `${range[0]}-${range[1]}`;
  }
  if (o.flags !== undefined) {
    const flags = strings(o.flags) ?? fail('queue flags must be strings');
    for (const f of flags) if (f !== 'bypass' && f !== 'fanout') fail(`unknown queue flag "${f.slice(0, 20)}"`);
    if (flags.length) s.flags = flags;
  }
  return s;
}
