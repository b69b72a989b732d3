/**
 * Linting off the main thread: the worker receives the emitted script, parses it
 * and lints it with source positions, so findings carry exact token ranges; the
 * main thread maps them back to its own node ids by line.
 */
import { lint } from '../../src/lint/index.ts';
import { parse } from '../../src/parse/index.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';

export interface LintRequest {
  seq: number;
  text: string;
  targetVersion: string;
}

export interface LintResponse {
  seq: number;
  diagnostics: Diagnostic[];
  ms: number;
}

self.onmessage = (e: MessageEvent<LintRequest>) => {
  const t0 = performance.now();
  const { seq, text, targetVersion } = e.data;
  let diagnostics: Diagnostic[];
  try {
    const r = parse(text);
    diagnostics = [...r.diagnostics.filter((d) => d.severity !== 'info' || d.id === 'parse/include'), ...lint(r.ruleset, { targetVersion, source: { text, spans: r.spans, lines: r.lines } })];
  } catch (err) {
    diagnostics = [{ id: 'lint/internal', severity: 'error', message: `the linter failed: ${String(err)}` }];
  }
  const res: LintResponse = { seq, diagnostics, ms: performance.now() - t0 };
  (self as unknown as Worker).postMessage(res);
};
