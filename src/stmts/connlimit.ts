/**
 * `ct count [over] N` (nft's connlimit): match while the connections counted
 * for the packet's key — its own host, or a set element's key when attached to
 * one — are at most N (or, with `over`, more than N). A statement of its own,
 * though it starts like a ct match: the parser dispatches on both words.
 */
import type { JsonObject } from '../json/jsonValue.ts';
import { bool, fail, int, objectBody, only } from '../json/readJson.ts';
import type { FormProblem, StmtModule } from './module.ts';
import { fieldCount } from './stmtValues.ts';
import { NEXT } from '../trace/context.ts';

export interface ConnlimitStmt {
  kind: 'connlimit';
  count: number;
  /** `over`: match when there are more than `count` */
  over?: boolean;
}

/** The count is a 32-bit number (NFTA_CONNLIMIT_COUNT). */
const COUNT_MAX = 0xffffffff;

export const connlimit: StmtModule<'connlimit'> = {
  kind: 'connlimit',
  title: 'ct count',
  summary: 'match while a host has at most (or, with over, more than) N tracked connections',
  words: [],
  phrases: [['ct', 'count']],
  options: ['count', 'over'],
  parse(c) {
    c.next();
    c.next();
    const s: ConnlimitStmt = { kind: 'connlimit', count: 0 };
    if (c.eat('over')) s.over = true;
    s.count = c.expectNumber('a connection count');
    if (s.count > COUNT_MAX) c.fail(`the connection count is at most ${COUNT_MAX}`);
    return s;
  },
  jsonTags: ['ct count'],
  fromJson(tag, body) {
    const o = objectBody(body, tag);
    only(o, ['val', 'inv'], tag);
    const count = int(o, 'val') ?? fail('ct count needs val');
    if (count < 0 || count > COUNT_MAX) fail(`ct count val must be 0..${COUNT_MAX}`);
    const s: ConnlimitStmt = { kind: 'connlimit', count };
    if (bool(o, 'inv')) s.over = true;
    return s;
  },
  print: (s) => `ct count ${s.over ? 'over ' : ''}${s.count}`,
  toJson(s) {
    const o: JsonObject = { val: s.count };
    if (s.over) o.inv = true;
    return { 'ct count': o };
  },
  shape(v, s, p) {
    v.num(s, 'count', p, false, true);
    v.bool(s, 'over', p);
  },
  safety(v, s) {
    v.num(v.field, s.count, 'connection count', false, true);
  },
  form: {
    fields: [
      { key: 'over', label: 'Matches', kind: 'select', options: ['over'], optionLabels: { '': 'up to the count', over: 'over the count' }, optional: true },
      { key: 'count', label: 'Connections', kind: 'number', placeholder: '10', help: 'How many tracked connections the host may have; with "over" the rule matches once it has more (e.g. to drop them).' },
    ],
    read: (s) => ({ over: s.over ? 'over' : '', count: String(s.count) }),
    write(values) {
      const n = fieldCount(values.count ?? '', 'the connection count', 0, COUNT_MAX);
      const problems: FormProblem[] = typeof n === 'string' ? [{ field: 'count', message: n }] : [];
      if (values.over && values.over !== 'over') problems.push({ field: 'over', message: 'choose up to or over' });
      if (problems.length || typeof n === 'string') return problems;
      return values.over === 'over' ? { kind: 'connlimit', count: n, over: true } : { kind: 'connlimit', count: n };
    },
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => false,
  evaluate(s, ctx) {
    const over = ctx.assume('ct-count', `ct count ${s.count}: the source has more connections than that`, false);
    return over === Boolean(s.over) ? NEXT : { kind: 'nomatch', why: over ? 'over the count (assumed)' : 'not over the count (assumed)' };
  },
};
