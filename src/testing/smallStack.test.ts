/**
 * The core at every size nft accepts, on a fifth of Node's stack: each input runs
 * through parse, lint, emit, toJson and fromJson in a child `node
 * --stack-size=200` (coreProbe.ts). Recursion as deep as the input is large
 * (a spread of a million elements into push) or nested (a walk down a binop
 * chain) overflows there; what nft itself refuses or crashes on must come back
 * as an error naming the place.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProbeReport } from './coreProbe.ts';
import { generateBinopChain, generateParenthesized, generateRuleset } from './generate.ts';
import { MAX_BIT_OPERATIONS } from '../model/nesting.ts';
import { emit } from '../emit/index.ts';
import { parse } from '../parse/index.ts';

const PROBE = fileURLToPath(new URL('./coreProbe.ts', import.meta.url));
const STACK_KB = 200;

function probe(scenario: string, n: number): Promise<ProbeReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--stack-size=${STACK_KB}`, '--import', 'tsx', PROBE, scenario, String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${scenario} ${n} exited ${code}: ${err.slice(0, 2000)}`));
      else resolve(JSON.parse(out) as ProbeReport);
    });
  });
}

/** The canonical text of a small input, emitted in this process (normal stack) to compare with. */
function canonical(text: string): string {
  return emit(parse(text).ruleset).text;
}

describe(`the core on a ${STACK_KB} KB stack`, () => {
  // the two large inputs run side by side: together they take about 40 s on this 2-core machine
  const large = Promise.all([probe('set', 1_000_000), probe('rules', 200_000)]);
  // let an unawaited rejection not crash the run before the tests look at it
  large.catch(() => undefined);

  it('a set of 1,000,000 elements: parsed, linted, emitted as its listing, through JSON and back', async () => {
    const [set] = await large;
    expect(set.parseErrors).toEqual([]);
    expect(set.elements).toBe(1_000_000);
    expect(set.rules).toBe(1);
    expect(set.emitsInput).toBe(true);
    expect(set.lintInternal).toEqual([]);
    expect(set.lintErrors).toBe(0);
    expect(set.jsonLosses).toBe(0);
    expect(set.jsonErrors).toEqual([]);
    expect(set.jsonRoundTrip).toBe(true);
  }, 180_000);

  it('a table of 200,000 rules: every rule read, linted, emitted, through JSON and back', async () => {
    const [, rules] = await large;
    expect(rules.parseErrors).toEqual([]);
    expect(rules.rules).toBe(generateRuleset(200_000).rules);
    expect(rules.lintInternal).toEqual([]);
    expect(rules.lintErrors).toBe(0);
    expect(rules.jsonLosses).toBe(0);
    expect(rules.jsonErrors).toEqual([]);
    expect(rules.jsonRoundTrip).toBe(true);
  }, 180_000);

  it(`a chain of ${MAX_BIT_OPERATIONS} bit operations (the most nft 1.0.6 loads) goes through every layer`, async () => {
    const r = await probe('chain', MAX_BIT_OPERATIONS);
    expect(r.parseErrors).toEqual([]);
    expect(r.rules).toBe(1);
    expect(r.emitsInput).toBe(true);
    expect(r.emitIdempotent).toBe(true);
    expect(r.lintInternal).toEqual([]);
    expect(r.jsonRoundTrip).toBe(true);
  }, 60_000);

  it('one operation more, and 4000 more (a 16 KB rule), is an error at the operator nft cannot take', async () => {
    const text = generateBinopChain(MAX_BIT_OPERATIONS + 1);
    // the column of the 53rd "&": after two tabs, "meta mark" and 52 " & 0x00000001"
    const col = 3 + 'meta mark'.length + MAX_BIT_OPERATIONS * ' & 0x00000001'.length + 1;
    expect(text.split('\n')[3].slice(col - 1, col)).toBe('&');
    for (const n of [MAX_BIT_OPERATIONS + 1, 4000]) {
      const r = await probe('chain', n);
      expect(r.parseErrors).toEqual([`4:${col} more than ${MAX_BIT_OPERATIONS} bit operations (&, |, ^, <<, >>) in one expression: nft 1.0.6 crashes on that many (stack smashing from 53)`]);
      expect(r.lintInternal).toEqual([]);
    }
  }, 60_000);

  it('5000 parentheses around a selector (nft takes 9984) are read without recursion', async () => {
    const r = await probe('parens', 5000);
    expect(r.parseErrors).toEqual([]);
    expect(r.rules).toBe(1);
    expect(r.emitted).toBe(canonical(generateParenthesized(0)));
    expect(r.emitIdempotent).toBe(true);
    expect(r.jsonRoundTrip).toBe(true);
  }, 60_000);

  it('JSON: a binop chain nft loads is read; deeper ones are errors naming the rule, not crashes', async () => {
    const ok = await probe('json-chain', MAX_BIT_OPERATIONS);
    expect(ok.jsonErrors).toEqual([]);
    expect(ok.emitted).toBe(generateBinopChain(MAX_BIT_OPERATIONS).replace('type filter hook input priority filter; policy accept;\n\t\t', ''));
    const over = await probe('json-chain', MAX_BIT_OPERATIONS + 1);
    expect(over.rules).toBe(0);
    expect(over.jsonErrors).toEqual([`nftables[2]: a rule of chain ip t c, statement 0: more than ${MAX_BIT_OPERATIONS} bit operations (&, |, ^, <<, >>) in one expression: nft 1.0.6 crashes on that many (stack smashing from 53); the rule is left out`]);
    // 4000 levels of {"&": [...]} (8000 of JSON nesting; nft's own reader stops at 2048)
    const deep = await probe('json-chain', 4000);
    expect(deep.rules).toBe(0);
    expect(deep.jsonErrors).toHaveLength(1);
    expect(deep.jsonErrors[0]).toMatch(/^nftables\[2\]: a rule of chain ip t c, statement 0: the expression is nested too deeply \(more than 64 levels\); the rule is left out$/);
  }, 60_000);
});
