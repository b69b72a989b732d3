/**
 * `dup to ADDR [device DEV]` (ip, ip6 tables: send a copy of the packet to a
 * host, through a device) and `dup to DEV` (netdev: send a copy out of a device).
 * nft refuses dup in other families ("unsupported family"). Both versions list
 * it alike: the address as nft prints addresses, devices quoted, a map as a
 * map (`dup to ip saddr map { … } device "lo"`).
 */
import type { Expr } from '../model/expr.ts';
import type { DataType } from '../knowledge/datatypes.ts';
import type { Family } from '../knowledge/vocabulary.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import { fail, objectBody, only } from '../json/readJson.ts';
import { parseValueOrSelector } from '../parse/expressions.ts';
import type { StmtModule } from './module.ts';
import { addrType, fieldDevice, fieldExpr, tableIpFamily, valueIn, valueJson, valueText } from './stmtValues.ts';
import { NEXT } from '../trace/context.ts';

export interface DupStmt {
  kind: 'dup';
  /** the host to send the copy to (ip, ip6), or the device to send it out of (netdev) */
  to: Expr;
  /** the device to send the copy through (ip, ip6) */
  device?: Expr;
}

const WHERE_TO = 'the destination of dup (expected an address, a device in netdev, or a map lookup)';
const WHERE_DEVICE = 'the device of dup (expected a device name or a map lookup)';

/** What `to` is in a table of `family`: a device in netdev, an address elsewhere. */
function toType(family: Family, to?: Expr): DataType {
  return family === 'netdev' ? 'ifname' : addrType(tableIpFamily(family), to);
}

export const dup: StmtModule<'dup'> = {
  kind: 'dup',
  title: 'dup',
  summary: 'send a copy of the packet to another host (ip, ip6) or out of another device (netdev); the packet itself goes on',
  words: ['dup'],
  options: ['to', 'device'],
  parse(c) {
    c.next();
    if (!c.eat('to')) c.fail('expected "to" after dup');
    const s: DupStmt = { kind: 'dup', to: parseValueOrSelector(c) };
    if (c.eat('device')) s.device = parseValueOrSelector(c);
    return s;
  },
  jsonTags: ['dup'],
  fromJson(_tag, body, ctx) {
    const o = objectBody(body, 'dup');
    only(o, ['addr', 'dev'], 'dup');
    const s: DupStmt = { kind: 'dup', to: valueIn(o.addr ?? fail('dup needs addr'), toType(ctx.family), ctx.family === 'netdev' ? 'dup device' : 'dup address') };
    if (o.dev !== undefined) s.device = valueIn(o.dev, 'ifname', 'dup device');
    return s;
  },
  print(s, ctx) {
    let d = `dup to ${valueText(s.to, toType(ctx.family, s.to))}`;
    if (s.device) d += ` device ${valueText(s.device, 'ifname')}`;
    return d;
  },
  toJson(s, ctx) {
    const d: JsonObject = { addr: valueJson(s.to, toType(ctx.family, s.to), ctx.vars) };
    if (s.device) d.dev = valueJson(s.device, 'ifname', ctx.vars);
    return { dup: d };
  },
  shape(v, s, p) {
    v.expr(s.to, `${p}.to`, 0, 'target', WHERE_TO);
    if (s.device !== undefined) v.expr(s.device, `${p}.device`, 0, 'target', WHERE_DEVICE);
  },
  safety(v, s) {
    v.expr(s.to, 'target', WHERE_TO);
    if (s.device) v.expr(s.device, 'target', WHERE_DEVICE);
  },
  form: {
    fields: [
      { key: 'to', label: 'To', kind: 'text', placeholder: '192.0.2.1', help: 'The host the copy is sent to (an ip or ip6 table), or in a netdev table the device it is sent out of. A map lookup (ip saddr map { … }) chooses it per packet.' },
      { key: 'device', label: 'Device', kind: 'text', optional: true, placeholder: 'eth0', help: 'The device the copy leaves through (ip and ip6 tables); without it the routing table decides.' },
    ],
    read(s) {
      const out: Record<string, string> = { to: valueText(s.to, undefined), device: s.device ? valueText(s.device, 'ifname') : '' };
      return out;
    },
    write(values, ctx) {
      const to = ctx.family === 'netdev' ? fieldDevice(values.to ?? '', 'device') : fieldExpr(values.to ?? '', 'address');
      const device = values.device ? fieldDevice(values.device, 'device') : undefined;
      const problems = [...(typeof to === 'string' ? [{ field: 'to', message: to }] : []), ...(typeof device === 'string' ? [{ field: 'device', message: device }] : [])];
      if (problems.length || typeof to === 'string' || typeof device === 'string') return problems;
      const s: DupStmt = { kind: 'dup', to };
      if (device) s.device = device;
      return s;
    },
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => (s.device ? [s.to, s.device] : [s.to]),
  passes: () => true,
  evaluate(_s, ctx) {
    ctx.note('duplicated');
    return NEXT;
  },
};
