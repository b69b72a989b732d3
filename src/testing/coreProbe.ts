/**
 * Runs the core on one generated input and prints what came out as one JSON
 * line. core.stack.test.ts starts it in `node --stack-size=200` (a fifth of
 * Node's default stack): anything in the core that recursed as deep as the
 * input is large or nested would overflow there, long before the sizes nft
 * accepts.
 *
 *   node --stack-size=200 --import tsx src/testing/coreProbe.ts SCENARIO [N]
 */
import { emit, EmitRefused } from '../emit/index.ts';
import { fromJson, toJson } from '../json/index.ts';
import { lint } from '../lint/index.ts';
import { parse } from '../parse/index.ts';
import type { Ruleset } from '../model/types.ts';
import { generateBinopChainJson, generateBinopChain, generateLargeSet, generateParenthesized, generateRuleset } from './generate.ts';

export interface ProbeReport {
  scenario: string;
  /** parse diagnostics of severity error, as `line:col message` */
  parseErrors: string[];
  tables: number;
  rules: number;
  /** elements of every named set */
  elements: number;
  /** emit(parse(text)) === text */
  emitsInput: boolean;
  /** emit(parse(emit(parse(text)))) === emit(parse(text)); undefined where not asked (it doubles the time of a large input) */
  emitIdempotent?: boolean;
  /** the emitted text, when it is short enough to compare */
  emitted?: string;
  /** the emit refusal, when the model cannot be written */
  emitRefused?: string;
  lintErrors: number;
  lintInternal: string[];
  /** fromJson(toJson(model)) emits the same text as the model */
  jsonRoundTrip: boolean;
  jsonLosses: number;
  /** fromJson diagnostics of severity error */
  jsonErrors: string[];
}

const SHORT = 4096;

function counts(rs: Ruleset): { tables: number; rules: number; elements: number } {
  let rules = 0;
  let elements = 0;
  for (const t of rs.tables) {
    for (const c of t.chains) rules += c.rules.length;
    for (const s of t.sets) elements += s.elements.length;
  }
  return { tables: rs.tables.length, rules, elements };
}

/** The core's answers for one text: parse, emit, lint, toJson and back. */
export function probeText(scenario: string, text: string, idempotence = true): ProbeReport {
  const r = parse(text, { file: scenario });
  const parseErrors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range?.startLine ?? 0}:${d.range?.startCol ?? 0} ${d.message}`);
  const report: ProbeReport = { scenario, parseErrors, ...counts(r.ruleset), emitsInput: false, lintErrors: 0, lintInternal: [], jsonRoundTrip: false, jsonLosses: 0, jsonErrors: [] };
  const findings = lint(r.ruleset, { source: { text, spans: r.spans, lines: r.lines } });
  report.lintErrors = findings.filter((d) => d.severity === 'error').length;
  report.lintInternal = findings.filter((d) => d.id === 'lint/internal').map((d) => d.message);
  let once: string;
  try {
    once = emit(r.ruleset).text;
  } catch (e) {
    if (!(e instanceof EmitRefused)) throw e;
    report.emitRefused = e.problems.map((p) => p.message).join('; ');
    return report;
  }
  report.emitsInput = once === text;
  if (once.length <= SHORT) report.emitted = once;
  if (idempotence) report.emitIdempotent = emit(parse(once).ruleset).text === once;
  const j = toJson(r.ruleset);
  report.jsonLosses = j.losses.length;
  const back = fromJson(j.json);
  report.jsonErrors = back.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  report.jsonRoundTrip = report.jsonErrors.length === 0 && emit(back.ruleset).text === once;
  return report;
}

/** fromJson of a JSON text, then emit: what the JSON reader makes of it. */
export function probeJson(scenario: string, json: string): ProbeReport {
  const back = fromJson(json);
  const jsonErrors = back.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  const report: ProbeReport = { scenario, parseErrors: [], ...counts(back.ruleset), emitsInput: false, lintErrors: 0, lintInternal: [], jsonRoundTrip: false, jsonLosses: 0, jsonErrors };
  const text = emit(back.ruleset).text;
  if (text.length <= SHORT) report.emitted = text;
  report.emitIdempotent = emit(parse(text).ruleset).text === text;
  return report;
}

function run(scenario: string, n: number): ProbeReport {
  switch (scenario) {
    case 'set':
      return probeText(scenario, generateLargeSet(n), false);
    case 'rules':
      return probeText(scenario, generateRuleset(n).text, false);
    case 'chain':
      return probeText(scenario, generateBinopChain(n));
    case 'parens':
      return probeText(scenario, generateParenthesized(n));
    case 'json-chain':
      return probeJson(scenario, generateBinopChainJson(n));
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

if (/(?:^|[\\/])coreProbe\.ts$/.test(process.argv[1] ?? '')) {
  const [scenario = '', n = '0'] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(run(scenario, Number(n)))}\n`);
}
