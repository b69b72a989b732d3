/**
 * The queue statement in both of its spellings. This kernel has no nft_queue
 * (loading any queue rule fails with ENOENT), so this cannot be a golden file
 * checked by the kernel tier; the listing form below is nft 1.0.6's own
 * (netfilter's tests/py/any/queue.t lists `queue num 3 bypass` as
 * `queue flags bypass to 3`).
 */
import { describe, expect, it } from 'vitest';
import { parse } from './parser.ts';
import { emit } from '../emit/index.ts';

const chain = (body: string) => `table inet q {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n${body}\t}\n}\n`;

describe('queue', () => {
  it.each([
    ['queue num 3 bypass', 'queue flags bypass to 3'],
    ['queue num 1-3 bypass,fanout', 'queue flags bypass,fanout to 1-3'],
    ['queue fanout num 0-1', 'queue flags fanout to 0-1'],
    ['queue flags bypass to 4', 'queue flags bypass to 4'],
    ['queue flags bypass,fanout to 2-5', 'queue flags bypass,fanout to 2-5'],
    ['queue to 7', 'queue to 7'],
    ['queue', 'queue'],
  ])('reads %s and writes the listing form, which it reads back', (input, listing) => {
    const first = parse(chain(`\t\ttcp dport 22 ${input}\n`));
    expect(first.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const stmt = first.ruleset.tables[0].chains[0].rules[0].stmts[1];
    expect(stmt.kind).toBe('queue');
    const text = emit(first.ruleset).text;
    expect(text).toContain(`\t\ttcp dport 22 ${listing}\n`);
    const second = parse(text);
    expect(second.diagnostics.filter((d) => d.id === 'parse/raw' || d.severity !== 'info')).toEqual([]);
    expect(second.ruleset.tables[0].chains[0].rules[0].stmts[1]).toEqual(stmt);
  });

  it.each([
    ['queue flags nope to 1', /unknown queue flag "nope"/],
    ['queue to x', /expected a queue number, found "x"/],
    ['queue num 1-y', /expected a queue number, found "y"/],
  ])('does not take %s as a queue statement', (input, message) => {
    const r = parse(chain(`\t\t${input}\n`));
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(message);
    expect(r.ruleset.tables[0].chains[0].rules[0].stmts[0].kind).not.toBe('queue');
  });
});
