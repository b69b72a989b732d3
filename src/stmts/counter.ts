/** `counter [packets N bytes N]`; `counter name …` is an object reference (objref.ts). */
import { int, objectBody, only } from '../json/readJson.ts';
import type { StmtModule } from './module.ts';
import { parseObjectRef } from './objref.ts';
import { NEXT } from '../trace/context.ts';

export interface CounterStmt {
  kind: 'counter';
  packets?: number;
  bytes?: number;
}

export const counter: StmtModule<'counter'> = {
  kind: 'counter',
  title: 'counter',
  summary: 'count the packets and bytes that reach this point',
  words: ['counter'],
  options: ['packets', 'bytes', 'name'],
  parse(c) {
    c.next();
    if (c.is('name')) {
      c.next();
      return parseObjectRef(c, 'counter');
    }
    let packets: number | undefined;
    let bytes: number | undefined;
    // either order (`counter bytes 1024 packets 1` loads too; nft lists packets first)
    if (c.is('packets')) {
      c.next();
      packets = c.expectNumber('a packet count');
      if (c.eat('bytes')) bytes = c.expectNumber('a byte count');
    } else if (c.is('bytes')) {
      c.next();
      bytes = c.expectNumber('a byte count');
      if (c.eat('packets')) packets = c.expectNumber('a packet count');
    }
    const s: CounterStmt = { kind: 'counter' };
    if (packets !== undefined) s.packets = packets;
    if (bytes !== undefined) s.bytes = bytes;
    return s;
  },
  jsonTags: ['counter'],
  fromJson(tag, body) {
    if (body === null) return { kind: 'counter' };
    const o = objectBody(body, tag);
    only(o, ['packets', 'bytes'], tag);
    const s: CounterStmt = { kind: 'counter' };
    const packets = int(o, 'packets');
    const bytes = int(o, 'bytes');
    if (packets !== undefined) s.packets = packets;
    if (bytes !== undefined) s.bytes = bytes;
    return s;
  },
  print: (s) => `counter packets ${s.packets ?? 0} bytes ${s.bytes ?? 0}`,
  toJson(s, ctx) {
    if (ctx.template && s.packets === undefined && s.bytes === undefined) return { counter: null };
    return { counter: { packets: s.packets ?? 0, bytes: s.bytes ?? 0 } };
  },
  shape(v, s, p) {
    v.num(s, 'packets', p, true);
    v.num(s, 'bytes', p, true);
  },
  safety(v, s) {
    v.num(v.field, s.packets, 'packet count', true);
    v.num(v.field, s.bytes, 'byte count', true);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => true,
  evaluate(_s, ctx) {
    ctx.note('counted');
    return NEXT;
  },
};
