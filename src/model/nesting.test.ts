/**
 * Expressions nested deeper than nft 1.0.6 takes: every layer answers with an
 * error naming the place, none throws. The models here are built directly (as
 * web/ or a share link could hand them over), far deeper than any reader lets
 * through, so a layer that recursed down them would overflow the stack.
 */
import { describe, expect, it } from 'vitest';
import type { BinopExpr, Expr } from './expr.ts';
import { meta, value } from './expr.ts';
import type { Ruleset } from './types.ts';
import { MAX_BIT_OPERATIONS, MAX_EXPR_DEPTH, NESTED_TOO_DEEPLY, TOO_MANY_BIT_OPERATIONS, exprNestingProblem, forEachExpr } from './nesting.ts';
import { validateRuleset } from './validate.ts';
import { EmitRefused, emit } from '../emit/index.ts';
import { toJson } from '../json/index.ts';
import { lint } from '../lint/index.ts';
import { parse } from '../parse/index.ts';
import { generateBinopChain } from '../testing/generate.ts';

/** `meta mark & 1 & 1 …` with `ops` operators, built as the parser builds it (left-deep). */
function chain(ops: number): Expr {
  let e: Expr = meta('mark');
  for (let i = 0; i < ops; i++) e = { kind: 'binop', op: '&', left: e, right: value('1') } satisfies BinopExpr;
  return e;
}

function rulesetWith(left: Expr): Ruleset {
  return {
    schema: 1,
    preamble: 'none',
    defines: [],
    includes: [],
    commands: [],
    tables: [{ id: 't1', family: 'ip', name: 't', flags: [], objects: [], sets: [], flowtables: [], chains: [{ id: 'c1', name: 'c', rules: [{ id: 'r1', stmts: [{ kind: 'match', left, op: '==', right: value('1') }, { kind: 'verdict', verdict: 'accept' }] }] }] }],
  };
}

// deep enough that one stack frame per level overflows Node's default stack
const HUGE = 200_000;

describe('exprNestingProblem', () => {
  it('passes what nft loads and names what it does not', () => {
    expect(exprNestingProblem(chain(MAX_BIT_OPERATIONS))).toBeUndefined();
    expect(exprNestingProblem(chain(MAX_BIT_OPERATIONS + 1))).toBe(TOO_MANY_BIT_OPERATIONS);
    expect(exprNestingProblem(chain(HUGE))).toBe(TOO_MANY_BIT_OPERATIONS);
    let concat: Expr = meta('mark');
    for (let i = 0; i < MAX_EXPR_DEPTH; i++) concat = { kind: 'concat', items: [concat] };
    expect(exprNestingProblem(concat)).toBe(NESTED_TOO_DEEPLY);
  });
  it('forEachExpr visits every node of a chain of any length, in order', () => {
    const kinds: string[] = [];
    forEachExpr(chain(HUGE), (e) => kinds.push(e.kind));
    expect(kinds.length).toBe(2 * HUGE + 1);
    expect(kinds.slice(0, 2)).toEqual(['binop', 'binop']);
    expect(kinds.at(-1)).toBe('value');
  });
});

describe(`a model with a chain of ${HUGE} operations`, () => {
  const rs = rulesetWith(chain(HUGE));
  it('validateRuleset refuses it with the path', () => {
    const r = validateRuleset(JSON.parse(JSON.stringify(rulesetWith(chain(MAX_EXPR_DEPTH + 5)))));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => e.includes('tables[0].chains[0].rules[0].stmts[0].left') && e.includes(NESTED_TOO_DEEPLY))).toBe(true);
  });
  it('emit and toJson refuse it with the reason', () => {
    expect(() => emit(rs)).toThrow(EmitRefused);
    expect(() => emit(rs)).toThrow(TOO_MANY_BIT_OPERATIONS);
    expect(() => toJson(rs)).toThrow(TOO_MANY_BIT_OPERATIONS);
  });
  it('lint runs every check on it', () => {
    const findings = lint(rs);
    expect(findings.filter((d) => d.id === 'lint/internal')).toEqual([]);
  });
});

describe('the parser on deep chains', () => {
  it(`reads ${MAX_BIT_OPERATIONS} operators and emits them back as they were listed`, () => {
    const text = generateBinopChain(MAX_BIT_OPERATIONS);
    const r = parse(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(emit(r.ruleset).text).toBe(text);
  });
  it('reports the operator after the last one nft takes, and goes on with the next rule', () => {
    const text = generateBinopChain(4000).replace('\n\t}', '\n\t\ttcp dport 22 accept\n\t}');
    const r = parse(text, { file: 'deep.nft' });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.id, d.range?.startLine, d.message])).toEqual([['parse/too-deep', 4, TOO_MANY_BIT_OPERATIONS]]);
    const rules = r.ruleset.tables[0].chains[0].rules;
    expect(rules).toHaveLength(2);
    expect(rules[1].stmts.map((s) => s.kind)).toEqual(['match', 'verdict']);
  });
  it('refuses concatenations nested in parentheses past the bound (nft refuses even one) with an error, not a crash', () => {
    const n = 10_000;
    const rule = `ip saddr . ${'(meta mark . '.repeat(n)}meta mark${')'.repeat(n)} 1 accept`;
    const r = parse(`table ip t {\n\tchain c {\n\t\t${rule}\n\t}\n}\n`);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.id, d.message])).toEqual([['parse/too-deep', NESTED_TOO_DEEPLY]]);
  });
  it('reads ((meta mark & 1) & 1) inside a concatenation as the chain it is', () => {
    const leftOf = (text: string): Expr => {
      const s = parse(text).ruleset.tables[0].chains[0].rules[0].stmts[0];
      if (s.kind !== 'match') throw new Error(`not a match: ${s.kind}`);
      return s.left;
    };
    const flat = leftOf(generateBinopChain(2));
    const nested = leftOf('table ip t {\n\tchain c {\n\t\tip saddr . ((meta mark & 0x00000001) & 0x00000001) 10.0.0.1 . 0x00000001 accept\n\t}\n}\n');
    expect(nested).toEqual({ kind: 'concat', items: [{ kind: 'payload', protocol: 'ip', field: 'saddr' }, flat] });
  });
});
