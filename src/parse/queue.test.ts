/**
 * The queue statement in both of its spellings. This kernel has no nft_queue
 * (loading any queue rule fails with ENOENT), so this cannot be a golden file
 * checked by the kernel tier; the listing form below is nft 1.0.6's own
 * (netfilter's tests/py/any/queue.t lists `queue num 3 bypass` as
 * `queue flags bypass to 3`, a bare `queue` as `queue to 0`, and the queue
 * chosen by an expression as written). What nft refuses before the kernel is
 * asked (a range backwards, fanout without a range, a queue above 65535) was
 * checked on this machine with `nft -c` of both versions, and is a lint error.
 */
import { describe, expect, it } from 'vitest';
import { parse } from './parser.ts';
import { emit } from '../emit/index.ts';
import { lint } from '../lint/lint.ts';
import { toJson } from '../json/toJson.ts';
import { fromJson } from '../json/fromJson.ts';

const chain = (body: string) => `table inet q {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n${body}\t}\n}\n`;

describe('queue', () => {
  it.each([
    ['queue num 3 bypass', 'queue flags bypass to 3'],
    ['queue num 1-3 bypass,fanout', 'queue flags bypass,fanout to 1-3'],
    ['queue fanout num 0-1', 'queue flags fanout to 0-1'],
    ['queue flags bypass to 4', 'queue flags bypass to 4'],
    ['queue flags bypass,fanout to 2-5', 'queue flags bypass,fanout to 2-5'],
    ['queue to 7', 'queue to 7'],
    ['queue', 'queue to 0'],
    ['queue num 4-5 fanout bypass', 'queue flags bypass,fanout to 4-5'],
    ['queue num 3-3', 'queue to 3'],
    ['queue to symhash mod 65536', 'queue to symhash mod 65536'],
    ['queue flags bypass to numgen inc mod 65536', 'queue flags bypass to numgen inc mod 65536'],
    ['queue to jhash oif . meta mark mod 32', 'queue to jhash oif . meta mark mod 32'],
    ['queue flags bypass to oifname map { "eth0" : 0, "ppp0" : 2, "eth1" : 2 }', 'queue flags bypass to oifname map { "eth0" : 0, "ppp0" : 2, "eth1" : 2 }'],
    ['queue flags bypass to jhash tcp dport . tcp sport mod 4', 'queue flags bypass to jhash tcp dport . tcp sport mod 4'],
  ])('reads %s and writes the listing form, which it reads back', (input, listing) => {
    const first = parse(chain(`\t\ttcp dport 22 ${input}\n`));
    expect(first.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const stmt = first.ruleset.tables[0].chains[0].rules[0].stmts[1];
    expect(stmt.kind).toBe('queue');
    const text = emit(first.ruleset).text;
    expect(text).toContain(`\t\ttcp dport 22 ${listing}\n`);
    const second = parse(text);
    expect(second.diagnostics.filter((d) => d.id === 'parse/raw' || d.severity !== 'info')).toEqual([]);
    expect(second.ruleset.tables[0].chains[0].rules[0].stmts[1].kind).toBe('queue');
    expect(emit(second.ruleset).text).toBe(text);
  });

  it.each([
    ['queue flags nope to 1', /unknown queue flag "nope"/],
    ['queue to x', /queue to takes a number, a range, a hash \(jhash, symhash\), numgen or a map/],
    ['queue to oif', /queue to takes a number/],
    ['queue num symhash mod 65536', /expected a queue number, found "symhash"/],
    ['queue num 1-y', /expected a queue number, found "y"/],
  ])('does not take %s as a queue statement', (input, message) => {
    const r = parse(chain(`\t\t${input}\n`));
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(message);
    expect(r.ruleset.tables[0].chains[0].rules[0].stmts[0].kind).not.toBe('queue');
  });

  it('takes a variable for the queue number, as nft does (queue num $q, queue to $q), and JSON resolves it', () => {
    const text = `define q = 3\n${chain('\t\tqueue num $q\n\t\tqueue flags bypass to $q\n')}`;
    const r = parse(text);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(emit(r.ruleset).text).toContain('\t\tqueue to $q\n\t\tqueue flags bypass to $q\n');
    expect(JSON.stringify(JSON.parse(toJson(r.ruleset).json))).toContain('"queue":{"num":3,"flags":"bypass"}');
  });

  it('carries the queue an expression picks through JSON, as libnftables-json writes it (num holds the expression)', () => {
    const text = chain('\t\tqueue flags bypass to jhash ip saddr mod 4\n\t\tqueue flags bypass,fanout to 1-3\n');
    const j = toJson(parse(text).ruleset);
    expect(j.losses).toEqual([]);
    const compact = JSON.stringify(JSON.parse(j.json));
    expect(compact).toContain('"queue":{"num":{"jhash":{"mod":4,"expr":{"payload":{"protocol":"ip","field":"saddr"}}}},"flags":"bypass"}');
    expect(compact).toContain('"queue":{"num":{"range":[1,3]},"flags":["bypass","fanout"]}');
    const back = fromJson(j.json);
    expect(emit(back.ruleset).text).toBe(emit(parse(text).ruleset).text);
  });

  it.each([
    ['queue num 65536', /queue number 65536 is above 65535/],
    ['queue num 3-2', /the queue range 3-2 is backwards/],
    ['queue num 4 fanout', /fanout requires a range/],
    ['queue flags fanout to symhash mod 4', /fanout requires a range/],
    ['queue to symhash mod 2 offset 65535', /symhash picks queues up to 65536/],
    ['queue to numgen inc mod 65536 offset 1', /numgen picks queues up to 65536/],
    ['queue to oifname map { "eth0" : 70000 }', /queue number 70000 is above 65535/],
  ])('the linter reports what nft refuses: %s', (input, message) => {
    const r = lint(parse(chain(`\t\t${input}\n`)).ruleset);
    expect(r.filter((f) => f.id === 'value/queue').map((f) => f.message).join('\n')).toMatch(message);
  });

  it.each(['queue fanout', 'queue num 2-3 fanout', 'queue num 3-3 fanout', 'queue to symhash mod 65536', 'queue to numgen inc mod 65535 offset 1'])('and not what nft takes: %s', (input) => {
    const r = lint(parse(chain(`\t\t${input}\n`)).ruleset);
    expect(r.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
