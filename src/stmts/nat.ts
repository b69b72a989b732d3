/**
 * `snat|dnat [ip|ip6] [prefix] to ADDR[:PORT] [flags]`, `masquerade [to :PORT]
 * [flags]`, `redirect [to :PORT] [flags]`. `prefix` maps a whole prefix onto
 * another (`snat ip prefix to ip saddr map { 10.141.11.0/24 : 192.168.2.0/24 }`):
 * the kernel's NF_NAT_RANGE_NETMAP, which nft's JSON writes as the flag
 * "netmap" beside the type flag "prefix".
 */
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import { IP_FAMILIES, isOneOf, type Family, type IpFamily } from '../knowledge/vocabulary.ts';
import { formatValue, type DataType } from '../knowledge/datatypes.ts';
import { forEachExpr } from '../model/nesting.ts';
import { WHERE } from '../model/validate.ts';
import { formatSelector } from '../emit/selectors.ts';
import { formatValueExpr, single } from '../emit/values.ts';
import { exprJson } from '../json/exprToJson.ts';
import { valueFromJson } from '../json/exprFromJson.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import { fail, objectBody, only, str, strings } from '../json/readJson.ts';
import { parseValueOrSelector } from '../parse/expressions.ts';
import { Tok } from '../parse/lexer.ts';
import type { Cursor } from '../parse/cursor.ts';
import { shown, type PrintContext, type StmtModule } from './module.ts';

export const NAT_TYPES = ['snat', 'dnat', 'masquerade', 'redirect'] as const;
export type NatType = (typeof NAT_TYPES)[number];
/** NAT flags, in the order nft lists them. */
export const NAT_FLAGS = ['random', 'fully-random', 'persistent', 'netmap'] as const;

export interface NatStmt {
  kind: 'nat';
  type: NatType;
  /** `snat ip to …` in inet tables */
  family?: IpFamily;
  addr?: Expr;
  port?: Expr;
  /** random, fully-random, persistent (netmap is read as `prefix`) */
  flags?: string[];
  /** `snat ip prefix to …`: map the address prefix onto the target's prefix (netmap) */
  prefix?: boolean;
}

/**
 * The address family of snat/dnat: from the statement, the table, or an earlier
 * ip/ip6 match of the rule (nft lists `dnat ip to …` in inet tables, and its JSON needs it).
 */
export function natFamily(explicit: IpFamily | undefined, family: Family, rule: readonly Statement[], index: number): IpFamily | undefined {
  if (explicit) return explicit;
  if (family === 'ip') return 'ip';
  if (family === 'ip6') return 'ip6';
  for (let i = index - 1; i >= 0; i--) {
    const s = rule[i];
    if (s.kind !== 'match') continue;
    const l = s.left.kind === 'concat' ? s.left.items[0] : s.left;
    if (l.kind === 'payload' && (l.protocol === 'ip' || l.protocol === 'icmp')) return 'ip';
    if (l.kind === 'payload' && (l.protocol === 'ip6' || l.protocol === 'icmpv6')) return 'ip6';
    if (l.kind === 'meta' && l.key === 'nfproto' && s.right.kind === 'value') {
      if (s.right.text === 'ipv4') return 'ip';
      if (s.right.text === 'ipv6') return 'ip6';
    }
  }
  return undefined;
}

const mixedFamily = (f: Family): boolean => f === 'inet' || f === 'bridge' || f === 'netdev';

function formatNatValue(e: Expr, type: DataType): string {
  if (e.kind === 'map' || e.kind === 'numgen' || e.kind === 'hash' || e.kind === 'payload' || e.kind === 'meta' || e.kind === 'ct') return formatSelector(e);
  return formatValueExpr(e, single(type));
}

function formatNatAddr(e: Expr, fam: IpFamily | undefined, withPort: boolean): string {
  if (e.kind === 'map') return formatSelector(e);
  const type: DataType = fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
  // an IPv6 address before a port needs brackets: [::1]:80, [::1]-[::9]:80
  const bracketed = (v: Expr): string | undefined => (v.kind === 'value' ? `[${formatValue(v.text.replace(/^\[|\]$/g, ''), type)}]` : undefined);
  if (withPort && fam === 'ip6') {
    if (e.kind === 'value') return bracketed(e) ?? '';
    if (e.kind === 'range') {
      const from = bracketed(e.from);
      const to = bracketed(e.to);
      if (from && to) return `${from}-${to}`;
    }
  }
  return formatNatValue(e, type);
}

/**
 * nft lists the family of a nat statement in ip and ip6 tables too when the
 * kernel's statement says it: with `prefix`, and when the address comes from a
 * map whose data are ranges, prefixes or address . port concatenations
 * (netlink_delinearize.c is_nat_addr_map, is_nat_proto_map).
 */
function listsFamily(s: NatStmt, prefix: boolean, family: Family, maps: PrintContext['maps']): boolean {
  if (mixedFamily(family) || prefix) return true;
  const a = s.addr;
  if (a?.kind !== 'map') return false;
  if (a.data.kind === 'setref') {
    // a named map: its declared data (`: interval ipv4_addr`, `: ipv4_addr . inet_service`)
    const d = maps?.(a.data.name)?.data;
    return d !== undefined && (d.interval === true || (d.mode === 'type' ? d.types.length : d.exprs.length) > 1);
  }
  if (a.data.kind !== 'set') return false;
  return a.data.elements.some((el) => el.value !== undefined && (el.value.kind === 'range' || el.value.kind === 'prefix' || el.value.kind === 'concat'));
}


/** `prefix`: said, or read as nft's netmap flag. */
function isPrefix(s: NatStmt): boolean {
  return s.prefix === true || (s.flags ?? []).includes('netmap');
}

function orderNatFlags(flags: readonly string[]): string[] {
  const order: readonly string[] = NAT_FLAGS;
  return [...flags].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** The flags after the target: `random`, `fully-random`, `persistent` (comma-separated or not). */
function withFlags(c: Cursor, s: NatStmt): NatStmt {
  const flags: string[] = [];
  while (isOneOf(NAT_FLAGS, c.w())) {
    flags.push(c.take());
    if (c.k() === Tok.Comma) c.next();
  }
  if (flags.length) s.flags = flags;
  return s;
}

export const nat: StmtModule<'nat'> = {
  kind: 'nat',
  title: 'NAT',
  summary: 'rewrite the source (snat, masquerade) or destination (dnat, redirect) address of the connection',
  words: NAT_TYPES,
  options: ['to', 'prefix', ...NAT_FLAGS],
  parse(c, w) {
    const type = w as NatType;
    c.next();
    const s: NatStmt = { kind: 'nat', type };
    if ((type === 'snat' || type === 'dnat') && (c.is('ip') || c.is('ip6')) && (c.is('to', 1) || (c.is('prefix', 1) && c.is('to', 2)))) s.family = c.take() as IpFamily;
    if ((type === 'snat' || type === 'dnat') && c.is('prefix') && c.is('to', 1)) {
      c.next();
      s.prefix = true;
    }
    if (c.is('to')) {
      c.next();
      if (c.k() === Tok.Colon) {
        c.next();
        s.port = parseValueOrSelector(c);
      } else {
        // `redirect to 8080` is the port too (nft lists it `to :8080`); masquerade needs the colon
        if (type === 'redirect') {
          s.port = parseValueOrSelector(c);
          return withFlags(c, s);
        }
        if (type === 'masquerade') c.fail('masquerade takes only a port: to :PORT');
        s.addr = parseValueOrSelector(c);
        if (c.k() === Tok.Colon) {
          c.next();
          s.port = parseValueOrSelector(c);
        }
      }
    }
    return withFlags(c, s);
  },
  jsonTags: NAT_TYPES,
  fromJson(tag, body) {
    const type = tag as NatType;
    const s: NatStmt = { kind: 'nat', type };
    if (body === null) return s;
    const o = objectBody(body, type);
    only(o, ['family', 'addr', 'port', 'flags', 'type_flags'], type);
    const family = str(o, 'family');
    if (family !== undefined && !isOneOf(IP_FAMILIES, family)) fail(`${type} family must be ip or ip6`);
    if (family) s.family = family;
    const addrType: DataType = family === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
    // (a map's data may be an address . port concatenation)
    if (o.addr !== undefined) s.addr = valueFromJson(o.addr, { types: [addrType], data: { kind: 'values', types: [addrType, 'inet_service'] } });
    if (o.port !== undefined) s.port = valueFromJson(o.port, { types: ['inet_service'], data: { kind: 'values', types: ['inet_service'] } });
    if (o.flags !== undefined) {
      const flags = strings(o.flags) ?? fail(`${type} flags must be strings`);
      for (const f of flags) if (!isOneOf(NAT_FLAGS, f)) fail(`unknown ${type} flag "${f.slice(0, 20)}"`);
      // netmap is what prefix sets in the kernel; nft lists it as prefix
      const rest = flags.filter((f) => f !== 'netmap');
      if (rest.length !== flags.length) s.prefix = true;
      if (rest.length) s.flags = rest;
    }
    if (o.type_flags !== undefined) {
      const tf = strings(o.type_flags) ?? fail(`${type} type_flags must be strings`);
      for (const f of tf) if (f !== 'prefix') fail(`unsupported ${type} type flag "${f.slice(0, 20)}"`);
      if (tf.length) s.prefix = true;
    }
    return s;
  },
  // the address from a named map: its listing depends on that map's declared data
  readsSets: (s) => s.addr?.kind === 'map' && s.addr.data.kind === 'setref',
  print(s, ctx) {
    let n: string = s.type;
    const fam = natFamily(s.family, ctx.family, ctx.rule, ctx.index);
    const prefix = (s.type === 'snat' || s.type === 'dnat') && isPrefix(s);
    if ((s.type === 'snat' || s.type === 'dnat') && fam && (s.addr || s.port) && listsFamily(s, prefix, ctx.family, ctx.maps)) n += ` ${fam}`;
    if (prefix && (s.addr || s.port)) n += ' prefix';
    if (s.addr || s.port) {
      n += ' to ';
      if (s.addr) n += formatNatAddr(s.addr, fam, s.port !== undefined);
      if (s.port) n += `:${formatNatValue(s.port, 'inet_service')}`;
    }
    const flags = (s.flags ?? []).filter((f) => f !== 'netmap');
    if (flags.length) n += ` ${orderNatFlags(flags).join(',')}`;
    return n;
  },
  toJson(s, ctx) {
    const n: JsonObject = {};
    const fam = natFamily(s.family, ctx.family, ctx.rule, ctx.index);
    if ((s.type === 'snat' || s.type === 'dnat') && fam && ctx.family !== 'ip' && ctx.family !== 'ip6') n.family = fam;
    const addrType: DataType = fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
    if (s.addr) n.addr = exprJson(s.addr, { types: [addrType], data: { kind: 'values', types: [addrType, 'inet_service'] } }, ctx.vars);
    if (s.port) n.port = exprJson(s.port, { types: ['inet_service'], data: { kind: 'values', types: ['inet_service'] } }, ctx.vars);
    const prefix = (s.type === 'snat' || s.type === 'dnat') && isPrefix(s);
    const flags = orderNatFlags([...(s.flags ?? []).filter((f) => f !== 'netmap'), ...(prefix ? ['netmap'] : [])]);
    if (flags.length) n.flags = flags.length === 1 ? flags[0] : flags;
    if (prefix) n.type_flags = 'prefix';
    return { [s.type]: Object.keys(n).length ? n : null };
  },
  shape(v, s, p) {
    v.oneOf(s, 'type', NAT_TYPES, p);
    v.oneOf(s, 'family', IP_FAMILIES, p, true);
    if (s.addr !== undefined) v.expr(s.addr, `${p}.addr`, 0, 'target', WHERE.natAddr);
    if (s.port !== undefined) v.expr(s.port, `${p}.port`, 0, 'target', WHERE.natPort);
    v.strList(s, 'flags', p, true);
    v.bool(s, 'prefix', p);
  },
  safety(v, s) {
    const f = v.field;
    v.oneOf(f, s.type, NAT_TYPES, 'a nat type');
    v.oneOf(f, s.family, IP_FAMILIES, 'ip or ip6', true);
    if (s.addr) v.expr(s.addr, 'target', WHERE.natAddr);
    if (s.port) v.expr(s.port, 'target', WHERE.natPort);
    for (const fl of s.flags ?? []) if (!isOneOf(NAT_FLAGS, fl)) v.push(f, `${shown(fl)} is not a nat flag`);
  },
  terminal: () => true,
  ends(s) {
    let mapped = false;
    for (const e of [s.addr, s.port]) if (e) forEachExpr(e, (x) => (mapped ||= x.kind === 'map'));
    return mapped ? undefined : s.type;
  },
  exprs: (s) => [s.addr, s.port].filter((e): e is Expr => e !== undefined),
  passes: () => false,
  // the kernel's NAT expressions end with verdict accept (nft_nat_eval, nft_masq_eval, nft_redir_eval)
  evaluate(s, ctx) {
    ctx.nat(s.type, s.addr, s.port);
    return { kind: 'verdict', verdict: 'accept' };
  },
};
