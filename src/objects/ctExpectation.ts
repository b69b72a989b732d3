/** `ct expectation NAME { protocol tcp; dport 21; timeout 2m; size 8; l3proto ip }` */
import { fail, int, str, word } from '../json/readJson.ts';
import { CannotCarry, LOSS } from '../json/losses.ts';
import { durationMs, formatDurationMs, formatValue } from '../knowledge/datatypes.ts';
import { defaultL3, type ObjectBody, type ObjModule } from './module.ts';

export const ctExpectation: ObjModule<'ct expectation'> = {
  type: 'ct expectation',
  parse(c, ctx) {
    let protocol = '';
    let dport = 0;
    let timeout = '';
    let size = 0;
    let l3proto: string | undefined;
    while (!c.done()) {
      if (c.eat('protocol')) protocol = c.expectWord('a protocol');
      else if (c.eat('dport')) dport = c.expectNumber('a port');
      else if (c.eat('timeout')) timeout = c.expectWord('a timeout');
      else if (c.eat('size')) size = c.expectNumber('a size');
      else if (c.eat('l3proto')) l3proto = c.expectWord('a layer 3 protocol');
      else c.fail(`unexpected ${ctx.describe(c.p)} in ct expectation ${ctx.name}`);
      ctx.sep();
    }
    if (!protocol || !dport || !timeout || !size) c.fail(`ct expectation ${ctx.name} needs protocol, dport, timeout and size`);
    const o: ObjectBody<'ct expectation'> = { protocol, dport, timeout, size };
    if (l3proto) o.l3proto = l3proto;
    return o;
  },
  lines: (o, family) => [`protocol ${o.protocol}`, `dport ${o.dport}`, `timeout ${formatValue(o.timeout, 'time')}`, `size ${o.size}`, `l3proto ${o.l3proto ?? defaultL3(family)}`],
  toJson(o, j, loss) {
    if (!loss.carries(LOSS.ctExpectation)) {
      throw new CannotCarry(LOSS.ctExpectation, `ct expectation ${o.name}: nft ${loss.target}'s JSON misreads ct expectation objects; the JSON leaves it out`);
    }
    const ms = durationMs(o.timeout);
    if (ms === undefined) throw new CannotCarry(LOSS.ctExpectation, `ct expectation ${o.name}: "${o.timeout}" is not a time value`);
    j.protocol = o.protocol;
    j.dport = o.dport;
    j.timeout = ms;
    j.size = o.size;
    if (o.l3proto !== undefined) j.l3proto = o.l3proto;
  },
  fromJson(o) {
    const ms = int(o, 'timeout') ?? fail('ct expectation needs a timeout');
    const e: ObjectBody<'ct expectation'> = {
      protocol: word(str(o, 'protocol') ?? fail('ct expectation needs a protocol'), 'protocol'),
      dport: int(o, 'dport') ?? fail('ct expectation needs dport'),
      // JSON counts the expectation timeout in milliseconds
      timeout: formatDurationMs(ms),
      size: int(o, 'size') ?? fail('ct expectation needs a size'),
    };
    const l3proto = str(o, 'l3proto');
    if (l3proto !== undefined) e.l3proto = word(l3proto, 'l3proto');
    return e;
  },
};
