/** `synproxy NAME { mss 1460 wscale 7 timestamp sack-perm }` (nft ≥ 0.9.3): the synproxy statement's options (stmts/synproxy.ts). */
import { CannotCarry, LOSS } from '../json/losses.ts';
import { parseSynproxyOptions, synproxyFields, synproxyJsonFlags, type SynproxyOptions } from '../stmts/synproxy.ts';
import type { ObjModule } from './module.ts';

export const synproxy: ObjModule<'synproxy'> = {
  type: 'synproxy',
  parse(c, ctx) {
    const o: SynproxyOptions = {};
    while (!c.done()) {
      const before = c.p;
      parseSynproxyOptions(c, o);
      ctx.sep();
      if (c.p === before) c.fail(`unexpected ${ctx.describe(c.p)} in synproxy ${ctx.name}`);
    }
    return o;
  },
  lines(o) {
    const lines: string[] = [];
    if (o.mss !== undefined || o.wscale !== undefined) lines.push(`mss ${o.mss ?? 0}`, `wscale ${o.wscale ?? 0}`);
    // nft's own spacing: "timestamp " alone has a trailing space, " sack-perm" alone a leading one
    if (o.timestamp || o.sackPerm) lines.push(`${o.timestamp ? 'timestamp' : ''} ${o.sackPerm ? 'sack-perm' : ''}`);
    return lines;
  },
  toJson(o, j, loss) {
    if (!loss.carries(LOSS.synproxyObject)) {
      throw new CannotCarry(LOSS.synproxyObject, `synproxy ${o.name}: nft ${loss.target}'s JSON cannot create synproxy objects; the JSON leaves it out (create it with the text format first, then load the JSON)`);
    }
    j.mss = o.mss ?? 0;
    j.wscale = o.wscale ?? 0;
    const flags = synproxyJsonFlags(o);
    if (flags.length) j.flags = flags;
  },
  fromJson: (o) => synproxyFields(o, 'synproxy'),
};
