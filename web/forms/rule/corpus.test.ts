import { describe, expect, it } from 'vitest';
import { emitRule } from '../../../src/emit/index.ts';
import { parse } from '../../../src/parse/index.ts';
import { goldenCases } from '../../../src/testing/golden.ts';
import { blocks, ruleToState, stateToRule } from './model.ts';

/**
 * Every rule of the golden corpus (real `nft list ruleset` output): the builder
 * either shows it — and then gives back exactly the same nft text — or says why
 * it opens as text. It never throws and never rewrites a rule it opened.
 */
describe('the builder on the golden corpus', () => {
  const cases = goldenCases();
  it.each(cases.map((c) => [c.name, c.listing]))('%s', (_name, listing) => {
    const res = parse(listing);
    let shown = 0;
    let text = 0;
    for (const table of res.ruleset.tables) {
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          const ctx = { family: table.family, table, chain };
          const from = ruleToState(rule, ctx);
          if (!from.ok) {
            expect(from.reason).not.toBe('');
            text++;
            continue;
          }
          shown++;
          const back = stateToRule(from.state, ctx, rule);
          expect(back.problems.filter(blocks)).toEqual([]);
          expect(emitRule(back.rule, table.family)).toBe(emitRule(rule, table.family));
        }
      }
    }
    expect(shown + text).toBeGreaterThanOrEqual(0);
  });

  it('shows most rules of the corpus in the builder', () => {
    let shown = 0;
    let all = 0;
    for (const c of cases) {
      for (const table of parse(c.listing).ruleset.tables) {
        for (const chain of table.chains) {
          for (const rule of chain.rules) {
            all++;
            if (ruleToState(rule, { family: table.family, table, chain }).ok) shown++;
          }
        }
      }
    }
    expect(all).toBeGreaterThan(0);
    expect(shown / all).toBeGreaterThan(0.5);
  });
});
