/**
 * `fwd to DEV` and `fwd ip|ip6 to ADDR device DEV` (netdev only, ingress and
 * egress): send the packet out of another device — to the neighbour ADDR — and
 * end its path here (the kernel steals it; nft treats fwd as terminal). Both
 * versions list it alike.
 */
import type { Expr } from '../model/expr.ts';
import { IP_FAMILIES, isOneOf, type IpFamily } from '../knowledge/vocabulary.ts';
import type { JsonObject } from '../json/jsonValue.ts';
import { fail, objectBody, only, str } from '../json/readJson.ts';
import { forEachExpr } from '../model/nesting.ts';
import { parseValueOrSelector } from '../parse/expressions.ts';
import type { FormProblem, StmtModule } from './module.ts';
import { addrType, fieldDevice, fieldExpr, valueIn, valueJson, valueText } from './stmtValues.ts';

export interface FwdStmt {
  kind: 'fwd';
  /** the device the packet leaves through */
  device: Expr;
  /** with `addr`: the neighbour's address family */
  family?: IpFamily;
  /** the neighbour to send it to (needs `family`) */
  addr?: Expr;
}

const WHERE_DEVICE = 'the device of fwd (expected a device name or a map lookup)';
const WHERE_ADDR = 'the address of fwd (expected an address or a map lookup)';

export const fwd: StmtModule<'fwd'> = {
  kind: 'fwd',
  title: 'fwd',
  summary: 'send the packet out of another device (netdev ingress or egress), optionally to a neighbour address; it goes no further here',
  words: ['fwd'],
  options: ['to', 'device'],
  parse(c) {
    c.next();
    if ((c.is('ip') || c.is('ip6')) && c.is('to', 1)) {
      const family = c.take() as IpFamily;
      c.next();
      const addr = parseValueOrSelector(c);
      if (!c.eat('device')) c.fail('expected "device" after the address of fwd');
      return { kind: 'fwd', family, addr, device: parseValueOrSelector(c) };
    }
    if (!c.eat('to')) c.fail('expected "to" after fwd');
    return { kind: 'fwd', device: parseValueOrSelector(c) };
  },
  jsonTags: ['fwd'],
  fromJson(_tag, body) {
    const o = objectBody(body, 'fwd');
    only(o, ['dev', 'family', 'addr'], 'fwd');
    const device = valueIn(o.dev ?? fail('fwd needs dev'), 'ifname', 'fwd device');
    const family = str(o, 'family');
    if (family === undefined || o.addr === undefined) return { kind: 'fwd', device };
    if (!isOneOf(IP_FAMILIES, family)) fail('fwd family must be ip or ip6');
    return { kind: 'fwd', family, addr: valueIn(o.addr, addrType(family), 'fwd address'), device };
  },
  print(s) {
    const dev = valueText(s.device, 'ifname');
    return s.addr && s.family ? `fwd ${s.family} to ${valueText(s.addr, addrType(s.family))} device ${dev}` : `fwd to ${dev}`;
  },
  toJson(s, ctx) {
    const f: JsonObject = { dev: valueJson(s.device, 'ifname', ctx.vars) };
    if (s.addr && s.family) {
      f.family = s.family;
      f.addr = valueJson(s.addr, addrType(s.family), ctx.vars);
    }
    return { fwd: f };
  },
  shape(v, s, p) {
    v.expr(s.device, `${p}.device`, 0, 'target', WHERE_DEVICE);
    v.oneOf(s, 'family', IP_FAMILIES, p, true);
    if (s.addr !== undefined) v.expr(s.addr, `${p}.addr`, 0, 'target', WHERE_ADDR);
    if ((s.addr === undefined) !== (s.family === undefined)) v.err(`${p}.family`, 'fwd takes an address and its family together (fwd ip to ADDR device DEV)');
  },
  safety(v, s) {
    v.expr(s.device, 'target', WHERE_DEVICE);
    v.oneOf(v.field, s.family, IP_FAMILIES, 'ip or ip6', true);
    if (s.addr) v.expr(s.addr, 'target', WHERE_ADDR);
    if ((s.addr === undefined) !== (s.family === undefined)) v.push(v.field, 'fwd takes an address and its family together (fwd ip to ADDR device DEV)');
  },
  form: {
    fields: [
      { key: 'device', label: 'Device', kind: 'text', placeholder: 'eth1', help: 'The device the packet leaves through. A map lookup (meta mark map { … }) chooses it per packet.' },
      { key: 'family', label: 'Neighbour family', kind: 'select', options: IP_FAMILIES, optionLabels: { '': 'none (the device only)', ip: 'IPv4 (ip)', ip6: 'IPv6 (ip6)' }, optional: true, help: 'With an address: send the packet to that neighbour on the device (its MAC address is looked up), not just out of the device.' },
      { key: 'addr', label: 'Neighbour address', kind: 'text', optional: true, placeholder: '192.0.2.10' },
    ],
    read: (s) => ({ device: valueText(s.device, 'ifname'), family: s.family ?? '', addr: s.addr ? valueText(s.addr, addrType(s.family)) : '' }),
    write(values) {
      const problems: FormProblem[] = [];
      const device = fieldDevice(values.device ?? '', 'device');
      if (typeof device === 'string') problems.push({ field: 'device', message: device });
      const family = values.family ?? '';
      if (family !== '' && !isOneOf(IP_FAMILIES, family)) problems.push({ field: 'family', message: 'choose ip or ip6' });
      let addr: Expr | string | undefined;
      if (values.addr) {
        addr = fieldExpr(values.addr, 'address');
        if (typeof addr === 'string') problems.push({ field: 'addr', message: addr });
        else if (family === '') problems.push({ field: 'family', message: 'say whether the neighbour address is IPv4 (ip) or IPv6 (ip6)' });
      } else if (family !== '') problems.push({ field: 'addr', message: `enter the neighbour's ${family === 'ip' ? 'IPv4' : 'IPv6'} address, or choose no family` });
      if (problems.length || typeof device === 'string' || typeof addr === 'string') return problems;
      return addr && isOneOf(IP_FAMILIES, family) ? { kind: 'fwd', family, addr, device } : { kind: 'fwd', device };
    },
  },
  terminal: () => true,
  ends(s) {
    let mapped = false;
    for (const e of [s.device, s.addr]) if (e) forEachExpr(e, (x) => (mapped ||= x.kind === 'map'));
    return mapped ? undefined : 'fwd';
  },
  exprs: (s) => (s.addr ? [s.device, s.addr] : [s.device]),
  passes: () => false,
  // the packet leaves by the named device: the kernel's verdict is stolen
  evaluate: () => ({ kind: 'verdict', verdict: 'stolen' }),
};
