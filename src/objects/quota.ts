/** `quota NAME { [over] N UNIT [used N UNIT] }`: the quota statement's body (stmts/quota.ts). */
import { bool, fail, int } from '../json/readJson.ts';
import { formatQuotaBody, parseQuotaBody, type QuotaBody } from '../stmts/quota.ts';
import type { ObjModule } from './module.ts';

const UNIT_BYTES: Record<string, number> = { bytes: 1, kbytes: 1024, mbytes: 1024 ** 2, gbytes: 1024 ** 3 };

function bytes(amount: number, unit: string | undefined): number {
  return amount * (UNIT_BYTES[unit ?? 'bytes'] ?? 1);
}

export const quota: ObjModule<'quota'> = {
  type: 'quota',
  parse(c, ctx) {
    const q = parseQuotaBody(c);
    ctx.sep();
    if (!c.done()) c.fail(`unexpected ${ctx.describe(c.p)} in quota ${ctx.name}`);
    return q;
  },
  lines: (o) => [formatQuotaBody(o)],
  toJson(o, j) {
    j.bytes = bytes(o.amount, o.unit);
    j.used = o.used ? bytes(o.used, o.usedUnit) : 0;
    j.inv = o.over === true;
  },
  fromJson(o) {
    // JSON quotas are in bytes; the emitter picks the unit nft lists
    const q: QuotaBody = { amount: int(o, 'bytes') ?? fail('quota needs bytes'), unit: 'bytes' };
    const used = int(o, 'used');
    if (used) {
      q.used = used;
      q.usedUnit = 'bytes';
    }
    if (bool(o, 'inv')) q.over = true;
    return q;
  },
};
