/**
 * fromJson never throws, whatever it is given: random text, random JSON, and
 * random documents built from the words libnftables JSON uses (which reach far
 * deeper into the readers than random JSON does). And whatever it accepts
 * without an error, the emitter can print.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emit } from '../emit/index.ts';
import { fromJson } from './fromJson.ts';
import type { JsonValue } from './jsonValue.ts';

const WORDS = [
  'nftables', 'metainfo', 'json_schema_version', 'table', 'chain', 'rule', 'set', 'map', 'element', 'flowtable',
  'counter', 'quota', 'limit', 'ct helper', 'ct timeout', 'ct expectation', 'secmark', 'synproxy',
  'add', 'insert', 'replace', 'delete', 'flush', 'rename', 'list', 'ruleset',
  'family', 'name', 'table', 'handle', 'type', 'hook', 'prio', 'policy', 'dev', 'comment', 'flags', 'expr', 'elem',
  'match', 'op', 'left', 'right', 'payload', 'protocol', 'field', 'meta', 'key', 'ct', 'dir', 'fib', 'result',
  'concat', 'set', 'range', 'prefix', 'addr', 'len', 'map', 'data', 'val', 'timeout', 'expires', 'in', '==', '!=', '&', '|',
  'accept', 'drop', 'jump', 'goto', 'target', 'log', 'prefix', 'level', 'reject', 'nat', 'snat', 'dnat', 'masquerade',
  'redirect', 'port', 'mangle', 'value', 'vmap', 'notrack', 'mss', 'wscale', 'numgen', 'mode', 'mod', 'offset', 'jhash',
  'seed', 'packets', 'bytes', 'rate', 'per', 'burst', 'inv', 'ip', 'ip6', 'inet', 'netdev', 'filter', 'input', 'ingress',
  'tcp', 'dport', 'saddr', 'state', 'established', 'mark', 'iifname', 'eth0', '@s', 'second', 'ct count', 'tproxy', 'queue', 'num',
];

/** JSON whose keys and strings are mostly nft's own words. */
const nftish: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<JsonValue>(null, true, false, 0, -1, 1, 22, 65536, 1.5, 2 ** 60),
    fc.constantFrom(...WORDS),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 4 })), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** A document: `{"nftables": [...]}` holding a table, a chain and nft-ish items. */
const documents = fc.array(nftish, { maxLength: 6 }).map((items) =>
  JSON.stringify({
    nftables: [
      { table: { family: 'inet', name: 't' } },
      { chain: { family: 'inet', table: 't', name: 'c', type: 'filter', hook: 'input', prio: 0 } },
      { set: { family: 'inet', table: 't', name: 's', type: 'ipv4_addr' } },
      ...items,
      ...items.map((x) => ({ rule: { family: 'inet', table: 't', chain: 'c', expr: [x] } })),
      ...items.map((x) => ({ rule: { family: 'inet', table: 't', chain: 'c', expr: [{ match: { op: 'in', left: x, right: x } }] } })),
    ],
  }),
);

function noThrow(text: string): void {
  const r = fromJson(text);
  expect(Array.isArray(r.diagnostics)).toBe(true);
  expect(Array.isArray(r.ruleset.tables)).toBe(true);
  // what was read without an error must be printable
  if (!r.diagnostics.some((d) => d.severity === 'error')) emit(r.ruleset);
}

describe('fromJson never throws', () => {
  it('on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), noThrow), { numRuns: 500 });
  });

  it('on random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => noThrow(JSON.stringify(v))), { numRuns: 500 });
  });

  it('on random documents made of nft’s JSON words', () => {
    fc.assert(fc.property(documents, noThrow), { numRuns: 1000 });
  });

  it('on truncated and corrupted listings', () => {
    const listing = JSON.stringify({ nftables: [{ table: { family: 'ip', name: 't' } }, { chain: { family: 'ip', table: 't', name: 'c' } }, { rule: { family: 'ip', table: 't', chain: 'c', expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { set: [22, 80] } } }, { accept: null }] } }] });
    fc.assert(
      fc.property(fc.nat(listing.length), fc.string({ maxLength: 3 }), (cut, junk) => noThrow(listing.slice(0, cut) + junk + listing.slice(cut))),
      { numRuns: 500 },
    );
  });
});
