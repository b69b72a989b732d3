/**
 * `tproxy [ip|ip6] to ADDR[:PORT]`, `tproxy [ip|ip6] to :PORT`: hand the packet
 * to a local socket listening on ADDR:PORT without rewriting it (prerouting
 * only; nft needs a transport protocol match before it, "Transparent proxy
 * support requires transport protocol match"). nft lists the family only in
 * inet tables, an IPv6 address always in brackets. nft 1.0.6 leaves a port that
 * is not a constant (a map lookup) out of its listing; the designer prints it,
 * so that what it writes loads as designed.
 */
import type { Expr } from '../model/expr.ts';
import { formatValue } from '../knowledge/datatypes.ts';
import { IP_FAMILIES, isOneOf, type Family, type IpFamily } from '../knowledge/vocabulary.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import { fail, objectBody, only, str } from '../json/readJson.ts';
import { parseValueOrSelector } from '../parse/expressions.ts';
import { Tok } from '../parse/lexer.ts';
import type { FormProblem, StmtModule } from './module.ts';
import { addrType, fieldExpr, tableIpFamily, unbracket, valueIn, valueJson, valueText } from './stmtValues.ts';
import { NEXT } from '../trace/context.ts';

export interface TproxyStmt {
  kind: 'tproxy';
  /** `tproxy ip to …`: needed for an address in inet tables */
  family?: IpFamily;
  addr?: Expr;
  port?: Expr;
}

const WHERE_ADDR = 'the address of tproxy (expected an address or a map lookup)';
const WHERE_PORT = 'the port of tproxy (expected a port or a map lookup)';

/** The address family of the statement: its own, else the table's. */
function family(s: TproxyStmt, table: Family): IpFamily | undefined {
  return s.family ?? tableIpFamily(table);
}

function addrText(e: Expr, fam: IpFamily | undefined): string {
  const a = unbracket(e);
  const type = addrType(fam, a);
  // nft prints an IPv6 address in brackets, with a port or without
  if (a.kind === 'value' && type === 'ipv6_addr') return `[${formatValue(a.text, type)}]`;
  return valueText(a, type);
}

export const tproxy: StmtModule<'tproxy'> = {
  kind: 'tproxy',
  title: 'tproxy',
  summary: 'hand the packet to a local socket (a transparent proxy) without rewriting it; prerouting only, after a tcp or udp match',
  words: ['tproxy'],
  options: ['to'],
  parse(c) {
    c.next();
    const s: TproxyStmt = { kind: 'tproxy' };
    if ((c.is('ip') || c.is('ip6')) && c.is('to', 1)) s.family = c.take() as IpFamily;
    if (!c.eat('to')) c.fail('expected "to" after tproxy');
    if (c.k() !== Tok.Colon) s.addr = parseValueOrSelector(c);
    if (c.k() === Tok.Colon) {
      c.next();
      s.port = parseValueOrSelector(c);
    }
    return s;
  },
  jsonTags: ['tproxy'],
  fromJson(_tag, body, ctx) {
    const o = objectBody(body, 'tproxy');
    only(o, ['family', 'addr', 'port'], 'tproxy');
    const s: TproxyStmt = { kind: 'tproxy' };
    const fam = str(o, 'family');
    if (fam !== undefined && !isOneOf(IP_FAMILIES, fam)) fail('tproxy family must be ip or ip6');
    if (fam !== undefined) s.family = fam;
    if (o.addr !== undefined) s.addr = valueIn(o.addr, addrType(fam ?? tableIpFamily(ctx.family), typeof o.addr === 'string' ? { kind: 'value', text: o.addr } : undefined), 'tproxy address');
    if (o.port !== undefined) s.port = valueIn(o.port, 'inet_service', 'tproxy port');
    if (!s.addr && !s.port) fail('tproxy needs an address or a port');
    return s;
  },
  print(s, ctx) {
    let t = 'tproxy';
    // in inet the family says which; elsewhere nft lists none, and one that contradicts the table is kept as written (the linter's error)
    if (s.family && (ctx.family === 'inet' || s.family !== tableIpFamily(ctx.family))) t += ` ${s.family}`;
    t += ' to';
    if (s.addr) t += ` ${addrText(s.addr, family(s, ctx.family))}`;
    if (s.port) t += `${s.addr ? '' : ' '}:${valueText(s.port, 'inet_service')}`;
    return t;
  },
  toJson(s, ctx) {
    const t: JsonObject = {};
    if (s.family && ctx.family === 'inet') t.family = s.family;
    if (s.addr) t.addr = valueJson(s.addr, addrType(family(s, ctx.family), unbracket(s.addr)), ctx.vars);
    if (s.port) t.port = valueJson(s.port, 'inet_service', ctx.vars);
    return { tproxy: t };
  },
  shape(v, s, p) {
    v.oneOf(s, 'family', IP_FAMILIES, p, true);
    if (s.addr !== undefined) v.expr(s.addr, `${p}.addr`, 0, 'target', WHERE_ADDR);
    if (s.port !== undefined) v.expr(s.port, `${p}.port`, 0, 'target', WHERE_PORT);
    if (s.addr === undefined && s.port === undefined) v.err(p, 'tproxy needs an address or a port');
  },
  safety(v, s) {
    v.oneOf(v.field, s.family, IP_FAMILIES, 'ip or ip6', true);
    if (s.addr) v.expr(s.addr, 'target', WHERE_ADDR);
    if (s.port) v.expr(s.port, 'target', WHERE_PORT);
    if (!s.addr && !s.port) v.push(v.field, 'tproxy needs an address or a port');
  },
  form: {
    fields: [
      { key: 'family', label: 'Family', kind: 'select', options: IP_FAMILIES, optionLabels: { '': 'the table’s', ip: 'IPv4 (ip)', ip6: 'IPv6 (ip6)' }, optional: true, help: 'In inet tables an address needs its family (tproxy ip to …); a port alone does not.' },
      { key: 'addr', label: 'Address', kind: 'text', optional: true, placeholder: '127.0.0.1', help: 'The local address the proxy listens on; empty: the packet’s own destination address.' },
      { key: 'port', label: 'Port', kind: 'text', optional: true, placeholder: '3128', help: 'The port the proxy listens on; empty: the packet’s own destination port.' },
    ],
    read: (s) => ({ family: s.family ?? '', addr: s.addr ? valueText(unbracket(s.addr), addrType(s.family, unbracket(s.addr))) : '', port: s.port ? valueText(s.port, 'inet_service') : '' }),
    write(values, ctx) {
      const problems: FormProblem[] = [];
      const s: TproxyStmt = { kind: 'tproxy' };
      const fam = values.family ?? '';
      if (fam !== '') {
        if (isOneOf(IP_FAMILIES, fam)) s.family = fam;
        else problems.push({ field: 'family', message: 'choose ip or ip6' });
      }
      if (values.addr) {
        const a = fieldExpr(values.addr, 'address');
        if (typeof a === 'string') problems.push({ field: 'addr', message: a });
        else {
          s.addr = a;
          if (ctx.family === 'inet' && !s.family) problems.push({ field: 'family', message: 'in an inet table say whether the address is IPv4 (ip) or IPv6 (ip6)' });
        }
      }
      if (values.port) {
        const p = fieldExpr(values.port, 'port');
        if (typeof p === 'string') problems.push({ field: 'port', message: p });
        else s.port = p;
      }
      if (!values.addr && !values.port) problems.push({ field: 'port', message: 'enter a port, an address or both', pending: true });
      return problems.length ? problems : s;
    },
  },
  placement: 'tproxy',
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => [s.addr, s.port].filter((e): e is Expr => e !== undefined),
  passes: () => false,
  evaluate(_s, ctx) {
    const found = ctx.assume('socket', 'tproxy: a listening transparent socket is found', false);
    return found ? NEXT : { kind: 'nomatch', why: 'no transparent socket found (assumed)' };
  },
};
