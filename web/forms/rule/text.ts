/**
 * A rule edited as text: read with the real parser by wrapping it in a table and
 * a chain, with every finding's column given relative to what the person typed.
 * The text must be exactly one rule: a "}" or a newline that would close the
 * chain or start another rule is an error, not a second rule.
 */
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import type { Family, Rule, Table } from '../../../src/model/types.ts';
import { parse } from '../../../src/parse/index.ts';
import { emitProblems } from '../../../src/emit/validate.ts';

export interface TextFinding {
  severity: Diagnostic['severity'];
  message: string;
  /** 1-based line and column in the typed text (undefined: the rule as a whole) */
  line?: number;
  col?: number;
  id?: string;
}

export interface RuleTextResult {
  /** the rule, when the text is one rule and has no errors */
  rule?: Rule;
  findings: TextFinding[];
}

function prefixOf(family: Family): string {
  return `table ${family} t { chain c { `;
}

export function parseRuleText(text: string, family: Family, id: string): RuleTextResult {
  const prefix = prefixOf(family);
  const lines = text.split('\n');
  const res = parse(`${prefix}${text}\n}\n}\n`);
  const findings: TextFinding[] = [];
  const seen = new Set<string>();
  for (const d of res.diagnostics) {
    // the wrapping table and chain are ours, not the person's: speak of the rule's own braces
    const message = /to close (table t|chain c)\b/.test(d.message) ? 'a "{" in the rule is not closed with "}"' : d.message;
    if (seen.has(message)) continue;
    seen.add(message);
    const f: TextFinding = { severity: d.severity, message, id: d.id };
    if (d.range) {
      const line = d.range.startLine;
      if (line > lines.length) {
        f.line = lines.length;
        f.col = lines[lines.length - 1].length + 1;
        f.message = `${message} (at the end of the rule)`;
      } else {
        f.line = line;
        f.col = line === 1 ? Math.max(1, d.range.startCol - prefix.length) : d.range.startCol;
      }
    }
    findings.push(f);
  }
  if (findings.some((f) => f.severity === 'error')) return { findings };
  const rs = res.ruleset;
  const table = rs.tables[0];
  const chain = table?.chains[0];
  const extra =
    rs.tables.length !== 1 ||
    rs.defines.length > 0 ||
    rs.includes.length > 0 ||
    rs.commands.length > 0 ||
    table.chains.length !== 1 ||
    table.sets.length > 0 ||
    table.objects.length > 0 ||
    table.flowtables.length > 0 ||
    chain.base !== undefined;
  if (extra || chain.rules.length !== 1) {
    const n = chain && !extra ? chain.rules.length : 0;
    findings.push({
      severity: 'error',
      message: n === 0 && !extra ? 'the text holds no rule: write one, e.g. tcp dport 22 accept' : 'the text must be exactly one rule, on one line (without "}" or ";" that would end it)',
    });
    return { findings };
  }
  const parsed = chain.rules[0];
  const rule: Rule = { ...parsed, id };
  const wrapped: Table = { ...table, chains: [{ ...chain, rules: [rule] }] };
  for (const p of emitProblems({ ...rs, tables: [wrapped] })) {
    if (p.nodeId === id) findings.push({ severity: 'error', message: p.message });
  }
  if (findings.some((f) => f.severity === 'error')) return { findings };
  return { rule, findings };
}
