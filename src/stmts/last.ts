/**
 * `last [used never|used TIME]`: remember when a packet last reached this
 * statement (a rule's or a set element's). nft lists it as `last used never`
 * until a packet comes, then `last used 5m24ms` (the time since). nft 1.0.6
 * does not know it ("syntax error"; added in 1.0.7, nftables commit 2b41e3c4
 * "src: add last statement"); 1.1.3 does.
 */
import { durationMs, formatDurationMs } from '../knowledge/datatypes.ts';
import { fail, int, objectBody, only } from '../json/readJson.ts';
import type { StmtModule } from './module.ts';
import { NEXT } from '../trace/context.ts';

export interface LastStmt {
  kind: 'last';
  /** the time since a packet last came (`5m24ms`); undefined: never */
  used?: string;
}

export const last: StmtModule<'last'> = {
  kind: 'last',
  title: 'last',
  summary: 'remember when a packet last reached this point',
  words: ['last'],
  options: ['used', 'never'],
  since: '1.0.7',
  parse(c) {
    c.next();
    if (!c.eat('used')) return { kind: 'last' };
    const w = c.expectWord('never or a time');
    if (w === 'never') return { kind: 'last' };
    if (durationMs(w) === undefined) c.fail(`"${w}" is not a time (like 5m24ms) or never`);
    return { kind: 'last', used: w };
  },
  jsonTags: ['last'],
  fromJson(_tag, body) {
    if (body === null) return { kind: 'last' };
    const o = objectBody(body, 'last');
    only(o, ['used'], 'last');
    const used = int(o, 'used') ?? fail('last used must be a number of milliseconds');
    // -1 is nft's "never" (parser_json.c)
    return used < 0 ? { kind: 'last' } : { kind: 'last', used: formatDurationMs(used) };
  },
  print: (s) => `last used ${s.used ?? 'never'}`,
  toJson(s, ctx) {
    const ms = s.used === undefined ? undefined : durationMs(s.used);
    return { last: ms === undefined || ctx.template ? null : { used: ms } };
  },
  shape(v, s, p) {
    v.str(s, 'used', p, true);
  },
  safety(v, s) {
    v.time(v.field, s.used);
  },
  form: {
    fields: [{ key: 'used', label: 'Last used', kind: 'text', optional: true, placeholder: 'never', help: 'What nft last listed (the time since a packet came); empty for a new rule. nft keeps it up to date, it is not a setting.' }],
    read: (s) => ({ used: s.used ?? '' }),
    write(values) {
      const u = (values.used ?? '').trim();
      if (u === '' || u === 'never') return { kind: 'last' };
      if (durationMs(u) === undefined) return [{ field: 'used', message: `"${u}" is not a time: write e.g. 5m24ms, or leave it empty` }];
      return { kind: 'last', used: u };
    },
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => true,
  evaluate: () => NEXT,
};
