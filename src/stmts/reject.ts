/** `reject`, `reject with icmp|icmpv6|icmpx CODE`, `reject with tcp reset`. */
import type { Statement } from '../model/stmt.ts';
import type { Family } from '../knowledge/vocabulary.ts';
import { ICMPV6_CODES, ICMPX_CODES, ICMP_CODES, protocolNumber } from '../knowledge/datatypes.ts';
import { fail, objectBody, only, str, word } from '../json/readJson.ts';
import type { JsonObject, JsonValue } from '../json/jsonValue.ts';
import type { StmtModule } from './module.ts';

export const REJECT_TYPES = ['icmp', 'icmpv6', 'icmpx', 'tcp reset'] as const;
export type RejectType = (typeof REJECT_TYPES)[number];
/** The ICMP kinds a reject can answer with (`with icmp port-unreachable`). */
export const REJECT_ICMP_TYPES = ['icmp', 'icmpv6', 'icmpx'] as const;

export interface RejectStmt {
  kind: 'reject';
  /** `with icmp host-unreachable`, `with tcp reset`, `with icmpx admin-prohibited` */
  with?: { type: RejectType; code?: string };
}

const isIcmpType = (t: string): t is (typeof REJECT_ICMP_TYPES)[number] => (REJECT_ICMP_TYPES as readonly string[]).includes(t);

/** The default reject of each family, which nft lists as a bare `reject`. */
function isDefaultReject(family: Family, type: string, code: string | undefined): boolean {
  if (code !== 'port-unreachable') return false;
  if (type === 'icmpx') return family === 'inet' || family === 'bridge' || family === 'netdev';
  if (type === 'icmp') return family === 'ip';
  if (type === 'icmpv6') return family === 'ip6';
  return false;
}

const CODES: Readonly<Record<string, Readonly<Record<string, number>>>> = { icmp: ICMP_CODES, icmpv6: ICMPV6_CODES, icmpx: ICMPX_CODES };

/** A reject code as nft lists it: a number by its name where it has one (`icmp type 3` is port-unreachable). */
function listedCode(type: string, code: string | undefined): string | undefined {
  if (code === undefined || !/^\d+$/.test(code) || !Object.hasOwn(CODES, type)) return code;
  const n = Number(code);
  return Object.entries(CODES[type]).find(([, v]) => v === n)?.[0] ?? code;
}

/** What a bare `reject` means, written out the way nft lists it in JSON. */
function defaultReject(family: Family): JsonValue {
  if (family === 'ip') return { type: 'icmp', expr: 'port-unreachable' };
  if (family === 'ip6') return { type: 'icmpv6', expr: 'port-unreachable' };
  if (family === 'inet') return { type: 'icmpx', expr: 'port-unreachable' };
  return null;
}

/** Does the statement match TCP (so `reject with tcp reset` needs no `meta l4proto tcp` before it)? */
function isTcpMatch(s: Statement): boolean {
  if (s.kind !== 'match') return false;
  const l = s.left;
  if (l.kind === 'payload' && l.protocol === 'tcp') return true;
  if (l.kind === 'meta' && l.key === 'l4proto' && s.right.kind === 'value' && protocolNumber(s.right.text) === 6) return true;
  if (l.kind === 'payload' && l.protocol === 'ip' && l.field === 'protocol' && s.right.kind === 'value' && protocolNumber(s.right.text) === 6) return true;
  return false;
}

export const reject: StmtModule<'reject'> = {
  kind: 'reject',
  title: 'reject',
  summary: 'drop the packet and answer with an ICMP error or a TCP reset',
  words: ['reject'],
  options: ['with', 'reset', ...REJECT_ICMP_TYPES],
  parse(c) {
    c.next();
    if (!c.is('with')) return { kind: 'reject' };
    c.next();
    const t = c.expectWord('icmp, icmpv6, icmpx or tcp');
    if (t === 'tcp') {
      if (!c.eat('reset')) c.fail('expected reset');
      return { kind: 'reject', with: { type: 'tcp reset' } };
    }
    if (!isIcmpType(t)) return c.fail('expected icmp, icmpv6, icmpx or tcp');
    c.eat('type');
    const code = c.expectWord('a reject code');
    return { kind: 'reject', with: { type: t, code } };
  },
  jsonTags: ['reject'],
  fromJson(_tag, body) {
    if (body === null) return { kind: 'reject' };
    const o = objectBody(body, 'reject');
    only(o, ['type', 'expr'], 'reject');
    const type = str(o, 'type');
    if (type === undefined) return { kind: 'reject' };
    if (type === 'tcp reset') return { kind: 'reject', with: { type } };
    if (!isIcmpType(type)) fail(`unknown reject type "${type.slice(0, 20)}"`);
    const expr = o.expr;
    const code = typeof expr === 'string' ? word(expr, 'reject code') : typeof expr === 'number' && Number.isSafeInteger(expr) ? String(expr) : undefined;
    return code !== undefined ? { kind: 'reject', with: { type, code } } : { kind: 'reject', with: { type } };
  },
  print(s, ctx) {
    if (!s.with) return 'reject';
    if (s.with.type === 'tcp reset') {
      let tcpBefore = false;
      for (let i = 0; i < ctx.index && !tcpBefore; i++) tcpBefore = isTcpMatch(ctx.rule[i]);
      const needsDep = (ctx.family === 'inet' || ctx.family === 'bridge' || ctx.family === 'netdev') && !tcpBefore;
      return `${needsDep ? 'meta l4proto tcp ' : ''}reject with tcp reset`;
    }
    const code = listedCode(s.with.type, s.with.code);
    if (isDefaultReject(ctx.family, s.with.type, code)) return 'reject';
    return `reject with ${s.with.type} ${code ?? ''}`.trimEnd();
  },
  toJson(s, ctx): JsonValue {
    if (!s.with) return { reject: defaultReject(ctx.family) };
    if (s.with.type === 'tcp reset') return { reject: { type: 'tcp reset' } };
    const body: JsonObject = s.with.code !== undefined ? { type: s.with.type, expr: s.with.code } : { type: s.with.type };
    return { reject: body };
  },
  shape(v, s, p) {
    if (s.with !== undefined && v.obj(s.with, `${p}.with`)) {
      v.oneOf(s.with, 'type', REJECT_TYPES, `${p}.with`);
      v.str(s.with, 'code', `${p}.with`, true);
    }
  },
  safety(v, s) {
    if (!s.with) return;
    v.oneOf(v.field, s.with.type, REJECT_TYPES, 'a reject type');
    v.token(v.field, s.with.code, 'a reject code');
  },
  terminal: () => true,
  ends: () => 'reject',
  exprs: () => [],
  passes: () => false,
  // the kernel sends the reply and drops the packet: `nft monitor trace` shows verdict drop
  evaluate: (_s, ctx) => {
    ctx.rejected();
    return { kind: 'verdict', verdict: 'drop' };
  },
};
