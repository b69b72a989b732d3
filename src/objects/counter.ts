/** `counter NAME { packets P bytes B }` */
import { int } from '../json/readJson.ts';
import type { ObjModule } from './module.ts';

export const counter: ObjModule<'counter'> = {
  type: 'counter',
  parse(c, ctx) {
    const o: { packets?: number; bytes?: number } = {};
    if (c.eat('packets')) {
      o.packets = c.expectNumber('a packet count');
      if (c.eat('bytes')) o.bytes = c.expectNumber('a byte count');
    }
    ctx.sep();
    if (!c.done()) c.fail(`unexpected ${ctx.describe(c.p)} in counter ${ctx.name}`);
    return o;
  },
  lines: (o) => [`packets ${o.packets ?? 0} bytes ${o.bytes ?? 0}`],
  toJson(o, j) {
    j.packets = o.packets ?? 0;
    j.bytes = o.bytes ?? 0;
  },
  fromJson(o) {
    const b: { packets?: number; bytes?: number } = {};
    const packets = int(o, 'packets');
    const bytes = int(o, 'bytes');
    if (packets !== undefined) b.packets = packets;
    if (bytes !== undefined) b.bytes = bytes;
    return b;
  },
};
