/**
 * Verdicts: `accept`, `drop`, `continue`, `return`, `jump CHAIN`, `goto CHAIN`.
 * `jump { … }` and `goto { … }` are chain bindings, read here (this module owns
 * the words) into statements of their own kind (binding.ts).
 */
import { VERDICT_NAMES, type VerdictName } from '../knowledge/vocabulary.ts';
import { Tok } from '../parse/lexer.ts';
import { verdictJson } from '../json/exprToJson.ts';
import { verdictFromJson } from '../json/exprFromJson.ts';
import type { StmtModule } from './module.ts';
import { parseChainBinding } from './binding.ts';

export interface VerdictStmt {
  kind: 'verdict';
  verdict: VerdictName;
  /** chain name for jump / goto */
  target?: string;
}

export const verdict: StmtModule<'verdict'> = {
  kind: 'verdict',
  title: 'verdict',
  summary: 'decide the packet: accept, drop, or continue in another chain (jump, goto, return)',
  words: VERDICT_NAMES,
  options: [],
  parse(c, w) {
    c.next();
    if (w !== 'jump' && w !== 'goto') return { kind: 'verdict', verdict: w as VerdictName };
    if (c.k() === Tok.LBrace) return parseChainBinding(c, w);
    if (c.k() === Tok.Dollar) c.fail('variable jump target');
    return { kind: 'verdict', verdict: w, target: c.expectWord('a chain name') };
  },
  jsonTags: VERDICT_NAMES,
  fromJson(tag, body) {
    const v = verdictFromJson(tag, body);
    return v.target !== undefined ? { kind: 'verdict', verdict: v.verdict as 'jump', target: v.target } : { kind: 'verdict', verdict: v.verdict as 'accept' };
  },
  print: (s) => (s.target !== undefined ? `${s.verdict} ${s.target}` : s.verdict),
  toJson: (s) => verdictJson(s),
  shape(v, s, p) {
    v.oneOf(s, 'verdict', VERDICT_NAMES, p);
    v.str(s, 'target', p, s.verdict !== 'jump' && s.verdict !== 'goto');
  },
  safety(v, s) {
    v.oneOf(v.field, s.verdict, VERDICT_NAMES, 'a verdict');
    v.verdictTarget(s.verdict, s.target);
  },
  terminal: (s) => s.verdict !== 'continue',
  ends: (s) => (s.verdict === 'jump' || s.verdict === 'continue' ? undefined : s.target ? `${s.verdict} ${s.target}` : s.verdict),
  exprs: () => [],
  passes: () => false,
  evaluate: (s) => (s.verdict === 'jump' || s.verdict === 'goto' ? { kind: 'verdict', verdict: s.verdict, target: s.target } : { kind: 'verdict', verdict: s.verdict }),
};
