/**
 * Chain bindings: `jump { RULE; RULE }` and `goto { … }`, an anonymous chain
 * bound to the rule (nft ≥ 0.9.7, "src: support for implicit chain bindings").
 * nft lists the anonymous chain's rules on lines of their own, one tab deeper
 * than the rule, and the closing brace at the rule's depth:
 *
 *     meta l4proto tcp jump {
 *         tcp dport 22 accept
 *     }
 *
 * (rule.c chain_rules_print; tests/shell/testcases/chains/dumps/0041chain_binding_0.nft),
 * 1.0.6 and 1.1.3 alike. nft refuses a binding inside a binding ("too many levels
 * of nesting"), and has no JSON for them: `nft -j list` writes the listing text
 * as a string ("stmt ops chain have no json callback").
 */
import type { Statement } from '../model/stmt.ts';
import { formatRule } from '../emit/statements.ts';
import { CannotCarry } from '../json/losses.ts';
import { parseStatements } from '../json/snippets.ts';
import type { Cursor } from '../parse/cursor.ts';
import { Tok } from '../parse/lexer.ts';
import { parseRuleTokens } from '../parse/statements.ts';
import { checkStatementSafety, checkStatementShape, statementExprs } from './registry.ts';
import type { StmtModule } from './module.ts';

export const BINDING_VERDICTS = ['jump', 'goto'] as const;
export type BindingVerdict = (typeof BINDING_VERDICTS)[number];

/** One rule of the anonymous chain. */
export interface BoundRule {
  stmts: Statement[];
  comment?: string;
}

export interface ChainBindingStmt {
  kind: 'binding';
  verdict: BindingVerdict;
  rules: BoundRule[];
}

/** What libnftables JSON has no form for (nft writes the listing text instead). */
export const CHAIN_BINDING_LOSS = { what: 'chain binding' } as const;

const NESTED = 'a chain binding cannot hold another chain binding (nft: "too many levels of nesting")';

/** Bindings being read: nft takes one level, so the reader never recurses further. */
let reading = 0;

/**
 * `{ RULE ; RULE \n RULE }` after `jump`/`goto`, at the "{": the rules are split
 * at newlines and ";" outside inner braces and each is read like a chain's rule.
 * A rule the model does not cover keeps its raw tail, as a chain's rule does.
 */
export function parseChainBinding(c: Cursor, verdict: BindingVerdict): ChainBindingStmt {
  if (reading > 0) c.fail(NESTED);
  const ts = c.ts;
  const open = c.p;
  let close = -1;
  for (let i = open, depth = 0; i < c.end; i++) {
    const k = ts.kind[i];
    if (k === Tok.LBrace) depth++;
    else if (k === Tok.RBrace && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) c.fail('missing "}" of the chain binding');
  const rules: BoundRule[] = [];
  reading++;
  try {
    let start = open + 1;
    for (let i = open + 1, depth = 0; i <= close; i++) {
      const k = ts.kind[i];
      if (k === Tok.LBrace) depth++;
      else if (k === Tok.RBrace && i < close) depth--;
      if (i !== close && (depth > 0 || (k !== Tok.Newline && k !== Tok.Semi))) continue;
      let empty = true;
      for (let j = start; j < i && empty; j++) empty = ts.kind[j] === Tok.Newline || ts.kind[j] === Tok.Semi;
      if (!empty) {
        const r = parseRuleTokens(ts, start, i);
        if (r.tooDeep) c.fail(r.tooDeep.reason);
        if (r.raw?.reason === NESTED) c.fail(NESTED);
        if (!r.stmts.length) c.fail('a rule of the chain binding needs a statement');
        const rule: BoundRule = { stmts: r.stmts };
        if (r.comment !== undefined) rule.comment = r.comment;
        rules.push(rule);
      }
      start = i + 1;
    }
  } finally {
    reading--;
  }
  c.p = close;
  c.next();
  return { kind: 'binding', verdict, rules };
}

export const binding: StmtModule<'binding'> = {
  kind: 'binding',
  title: 'chain binding',
  summary: 'jump or go to an anonymous chain written in place: jump { tcp dport 22 accept; drop }',
  // read by the verdict module, which owns jump and goto
  words: [],
  options: [],
  jsonTags: [],
  print(s, ctx) {
    const rules = s.rules.map((r) => `\t\t\t${formatRule({ id: '', ...r }, { family: ctx.family, target: ctx.target })}\n`).join('');
    return `${s.verdict} {\n${rules}\t\t}`;
  },
  toJson() {
    throw new CannotCarry(CHAIN_BINDING_LOSS, 'libnftables JSON has no form for a chain binding (jump { … })');
  },
  shape(v, s, p) {
    v.oneOf(s, 'verdict', BINDING_VERDICTS, p);
    if (!Array.isArray(s.rules)) {
      v.err(`${p}.rules`, 'expected an array');
      return;
    }
    (s.rules as unknown[]).forEach((r, i) => {
      const rp = `${p}.rules[${i}]`;
      if (!v.obj(r, rp)) return;
      v.str(r, 'comment', rp, true);
      if (!Array.isArray(r.stmts)) {
        v.err(`${rp}.stmts`, 'expected an array');
        return;
      }
      if (r.stmts.length === 0) v.err(`${rp}.stmts`, 'a rule of the chain binding needs a statement');
      (r.stmts as unknown[]).forEach((x, j) => {
        const sp = `${rp}.stmts[${j}]`;
        if (!v.obj(x, sp)) return;
        // one level: what the binding holds is checked without recursing into another binding
        if (x.kind === 'binding') v.err(`${sp}.kind`, NESTED);
        else checkStatementShape(v, x, sp);
      });
    });
  },
  safety(v, s) {
    v.oneOf(v.field, s.verdict, BINDING_VERDICTS, 'jump or goto');
    for (const r of s.rules) {
      v.quoted(v.field, r.comment, 'rule comment');
      if (!r.stmts.length) v.push(v.field, 'a rule of the chain binding needs a statement');
      for (const x of r.stmts) {
        if (x.kind === 'binding') v.push(v.field, NESTED);
        else checkStatementSafety(v, x);
      }
    }
  },
  form: {
    fields: [
      { key: 'verdict', label: 'Verdict', kind: 'select', options: BINDING_VERDICTS, help: 'jump: come back here when the anonymous chain ends without a verdict; goto: do not come back.' },
      { key: 'rules', label: 'Rules of the anonymous chain', kind: 'text', wide: true, placeholder: 'tcp dport 22 accept; drop', help: 'Its rules, separated by ";", as nft writes rules.' },
    ],
    read(s) {
      const rules = s.rules.map((r) => formatRule({ id: '', ...r }, { family: 'inet', target: '1.0.6' }));
      if (rules.some((r) => r.includes(';'))) return 'a rule of its anonymous chain has a ";" in it';
      return { verdict: s.verdict, rules: rules.join('; ') };
    },
    write(values) {
      const verdict = values.verdict ?? 'jump';
      if (verdict !== 'jump' && verdict !== 'goto') return [{ field: 'verdict', message: 'choose jump or goto' }];
      const stmts = parseStatements(`${verdict} { ${values.rules ?? ''} }`);
      const s = stmts?.length === 1 ? stmts[0] : undefined;
      if (s?.kind !== 'binding' || !s.rules.length) return [{ field: 'rules', message: 'write the rules as nft does, separated by ";" (e.g. tcp dport 22 accept; drop)' }];
      return s;
    },
  },
  terminal: () => true,
  // after goto the packet does not come back to this chain
  ends: (s) => (s.verdict === 'goto' ? 'goto' : undefined),
  exprs: (s) => s.rules.flatMap((r) => r.stmts.flatMap((x) => (x.kind === 'binding' ? [] : statementExprs(x)))),
  passes: () => false,
  evaluate: (s) => ({ kind: 'verdict', verdict: s.verdict, rules: s.rules }),
};
