/** `secmark NAME { "system_u:object_r:ssh_server_packet_t:s0" }` */
import { fail, str } from '../json/readJson.ts';
import type { ObjModule } from './module.ts';

export const secmark: ObjModule<'secmark'> = {
  type: 'secmark',
  parse(c, ctx) {
    const context = c.expectString('a security context');
    ctx.sep();
    if (!c.done()) c.fail(`unexpected ${ctx.describe(c.p)} in secmark ${ctx.name}`);
    return { context };
  },
  lines: (o) => [`"${o.context}"`],
  toJson(o, j) {
    j.context = o.context;
  },
  fromJson: (o) => ({ context: str(o, 'context') ?? fail('secmark needs a context') }),
};
