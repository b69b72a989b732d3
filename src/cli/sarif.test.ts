/** lint --format sarif: a SARIF 2.1.0 log whose results point at the findings' places. */
import { describe, expect, it } from 'vitest';
import { run } from './main.ts';
import { memoryIo } from './io.ts';
import { FINDINGS } from '../lint/index.ts';
import type { SarifLog, SarifResult, SarifRule } from './sarif.ts';

function lintSarif(file: string, text: string): { code: number; log: SarifLog; text: string } {
  const m = memoryIo({ [file]: text });
  const code = run(['lint', '--format', 'sarif', file], m.io);
  return { code, log: JSON.parse(m.out()), text: m.out() };
}

const BAD = 'table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\tct state invalid synproxy mss 99999\n\t}\n}\n';

describe('lint --format sarif', () => {
  it('is a SARIF 2.1.0 log with one result per finding, each with its region', () => {
    const m = memoryIo({ 'rules/bad one.nft': BAD });
    expect(run(['lint', '--json', 'rules/bad one.nft'], m.io)).toBe(1);
    const plain: { id: string; severity: string; range?: { startLine: number; startCol: number; endLine: number; endCol: number } }[] = JSON.parse(m.out());
    const { code, log } = lintSarif('rules/bad one.nft', BAD);
    expect(code).toBe(1);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [runLog] = log.runs;
    expect(runLog.tool.driver.name).toBe('nft-designer');
    expect(runLog.results).toHaveLength(plain.length);
    const level = { error: 'error', warning: 'warning', info: 'note' } as Record<string, string>;
    runLog.results.forEach((r: SarifResult, i: number) => {
      const d = plain[i];
      expect(r.ruleId).toBe(d.id);
      expect(runLog.tool.driver.rules[r.ruleIndex].id).toBe(d.id);
      expect(r.level).toBe(level[d.severity]);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: 'rules/bad%20one.nft', uriBaseId: '%SRCROOT%' });
      if (d.range) expect(loc.region).toEqual({ startLine: d.range.startLine, startColumn: d.range.startCol, endLine: d.range.endLine, endColumn: d.range.endCol });
    });
    const mss = runLog.results.find((r: SarifResult) => r.ruleId === 'synproxy/mss-range')!;
    expect(mss.level).toBe('error');
    expect(mss.locations[0].physicalLocation.region?.startLine).toBe(4);
    expect(runLog.tool.driver.rules.find((x: SarifRule) => x.id === 'synproxy/mss-range')!.shortDescription.text).toBe(FINDINGS.find((f) => f.id === 'synproxy/mss-range')!.summary);
  });
  it('names each rule once, and describes parse errors too', () => {
    const { code, log } = lintSarif('p.nft', 'table ip t {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n');
    expect(code).toBe(1);
    const ids = log.runs[0].tool.driver.rules.map((r: SarifRule) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const parseRule = log.runs[0].tool.driver.rules.find((r: SarifRule) => r.id.startsWith('parse/'))!;
    expect(parseRule.shortDescription.text).toMatch(/cannot be read/);
    expect(log.runs[0].results.find((r: SarifResult) => r.ruleId === parseRule.id)!.locations[0].physicalLocation.region).toMatchObject({ startLine: 3, startColumn: 16 });
  });
  it('a clean file is an empty result list and exit 0; absolute paths are file URIs', () => {
    const ok = 'table inet f {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tct state established,related accept\n\t\ttcp dport 22 accept\n\t}\n}\n';
    const m = memoryIo({ '/srv/rules/a.nft': ok });
    const code = run(['lint', '--format', 'sarif', '/srv/rules/a.nft'], m.io);
    const log: SarifLog = JSON.parse(m.out());
    expect(log.runs[0].results.filter((r: SarifResult) => r.level === 'error')).toEqual([]);
    expect(code).toBe(0);
    expect(log.runs[0].artifacts[0].location).toEqual({ uri: 'file:///srv/rules/a.nft' });
  });
  it('refuses an unknown format (exit 2)', () => {
    const m = memoryIo({ 'a.nft': BAD });
    expect(run(['lint', '--format', 'xml', 'a.nft'], m.io)).toBe(2);
    expect(m.err()).toContain('--format must be text, json or sarif');
  });
});
