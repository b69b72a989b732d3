/** `limit NAME { rate [over] N/UNIT [burst N packets] }`: the limit statement's body (stmts/limit.ts). */
import { formatLimitBody, limitFields, limitJson, parseLimitBody } from '../stmts/limit.ts';
import type { ObjModule } from './module.ts';

export const limit: ObjModule<'limit'> = {
  type: 'limit',
  parse(c, ctx) {
    const l = parseLimitBody(c);
    ctx.sep();
    if (!c.done()) c.fail(`unexpected ${ctx.describe(c.p)} in limit ${ctx.name}`);
    return l;
  },
  lines: (o) => [formatLimitBody(o)],
  toJson(o, j) {
    Object.assign(j, limitJson(o));
  },
  fromJson: (o) => limitFields(o),
};
