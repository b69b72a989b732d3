import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleReport } from './example.ts';
import { parseLabReport } from './parse.ts';
import { LAB_REPORT_LIMITS, type LabReport } from './types.ts';

const FIXTURE = new URL('../../e2e/fixtures/lab-report.json', import.meta.url);

function errorsOf(r: unknown): string[] {
  const res = parseLabReport(typeof r === 'string' ? r : JSON.stringify(r));
  return res.ok ? [] : res.errors;
}

function changed(fn: (r: LabReport & Record<string, unknown>) => void): LabReport {
  const r = exampleReport() as LabReport & Record<string, unknown>;
  fn(r);
  return r;
}

describe('parseLabReport: valid reports', () => {
  it('reads the example and gives back the same data', () => {
    const r = exampleReport();
    const res = parseLabReport(JSON.stringify(r));
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.report).toEqual(r);
  });

  it('reads the committed fixture, a real lab run of both placements', () => {
    const res = parseLabReport(readFileSync(FIXTURE, 'utf8'));
    expect(res.ok ? [] : res.errors).toEqual([]);
    if (!res.ok) return;
    expect(new Set(res.report.runs.map((r) => r.placement))).toEqual(new Set(['input', 'forward']));
    expect(res.report.runs.some((r) => r.capture && r.capture.lanes.length === 3)).toBe(true);
  });

  it('takes a run without a capture and options without any TCP option', () => {
    const r = changed((x) => {
      x.runs[0].capture = null;
      x.runs[1].capture!.packets[0].options = {};
    });
    expect(errorsOf(r)).toEqual([]);
  });
});

describe('parseLabReport: invalid reports name the field', () => {
  const cases: [string, (r: LabReport & Record<string, unknown>) => void, string][] = [
    ['a negative count', (r) => ((r.runs[1].samples[3] as { entries: number }).entries = -1), 'runs[1].samples[3].entries: expected a non-negative integer'],
    ['a count as text', (r) => ((r.runs[0].samples[2] as unknown as { entries: string }).entries = '9000'), 'runs[0].samples[2].entries: expected a non-negative integer'],
    ['a fraction of an entry', (r) => (r.runs[0].samples[2].entries = 1.5), 'runs[0].samples[2].entries: expected a non-negative integer'],
    ['a missing field', (r) => delete (r.runs[0] as Partial<LabReport['runs'][0]>).synsSent, 'runs[0].synsSent: missing'],
    ['an unknown field', (r) => (r.runs[0] as unknown as Record<string, unknown>).extra = 1, 'runs[0]: unknown field "extra"'],
    ['an unknown top-level field', (r) => (r.html = '<b>'), 'report: unknown field "html"'],
    ['an unknown placement', (r) => ((r.runs[0] as unknown as { placement: string }).placement = 'output'), 'runs[0].placement: expected one of "input", "forward"'],
    ['a bad id', (r) => (r.runs[0].id = 'Input Baseline'), 'runs[0].id: does not match'],
    ['a duplicate id', (r) => (r.runs[1].id = r.runs[0].id), 'runs[1].id: "input-baseline" is used by an earlier run'],
    ['a lane out of range', (r) => (r.runs[1].capture!.packets[1].to = 2), 'runs[1].capture.packets[1].to: expected a non-negative integer (at most 1)'],
    ['a port out of range', (r) => (r.runs[1].capture!.packets[0].dport = 70000), 'runs[1].capture.packets[0].dport: expected a non-negative integer (at most 65535)'],
    ['flags that tcpdump does not print', (r) => (r.runs[1].capture!.packets[0].flags = 'SYN'), 'runs[1].capture.packets[0].flags: does not match'],
    ['an address that is not one', (r) => (r.runs[1].capture!.packets[0].src = '<script>'), 'runs[1].capture.packets[0].src: does not match'],
    ['times going back', (r) => (r.runs[0].samples[3].t = -5), 'runs[0].samples[3].t: expected times in ascending order'],
    ['a timestamp without synproxy', (r) => ((r.runs[0] as unknown as { timestamp: boolean }).timestamp = true), 'runs[0].timestamp: expected null'],
    ['NaN smuggled as a string', (r) => ((r as unknown as { wallTimeS: string }).wallTimeS = 'NaN'), 'wallTimeS: expected a non-negative number'],
    ['a control character', (r) => (r.runs[0].label = 'a\u0007b'), 'runs[0].label: contains control characters'],
    ['a newline in a one-line field', (r) => (r.runs[0].label = 'a\nb'), 'runs[0].label: contains control characters'],
    ['a lone surrogate', (r) => (r.runs[0].label = 'a\ud800b'), 'runs[0].label: contains control characters'],
    ['a list where an object belongs', (r) => ((r as unknown as { host: unknown }).host = []), 'host: expected an object'],
    ['no runs', (r) => (r.runs = []), 'runs: expected at least 1 item'],
    ['a bad date', (r) => (r.createdAt = 'yesterday'), 'createdAt: does not match'],
    ['a too long label', (r) => (r.runs[0].label = 'x'.repeat(LAB_REPORT_LIMITS.maxShort + 1)), `runs[0].label: longer than ${LAB_REPORT_LIMITS.maxShort} characters`],
    ['too many samples', (r) => (r.runs[0].samples = Array.from({ length: LAB_REPORT_LIMITS.maxSamples + 1 }, (_, i) => ({ t: i, entries: 0 }))), `runs[0].samples: more than ${LAB_REPORT_LIMITS.maxSamples} items`],
  ];
  for (const [what, fn, expected] of cases) {
    it(what, () => {
      const errs = errorsOf(changed(fn));
      expect(errs.length).toBeGreaterThan(0);
      expect(errs.some((e) => e.startsWith(expected)), `${expected}\nin\n${errs.join('\n')}`).toBe(true);
    });
  }

  it('another document: one clear error about the format or the version', () => {
    expect(errorsOf({ tables: [] })[0]).toMatch(/^report: unknown field "tables"|^format: expected "nft-designer-lab-report"/);
    expect(errorsOf({ ...exampleReport(), format: 'x' })).toEqual(['format: expected "nft-designer-lab-report" (this is not a lab report)']);
    expect(errorsOf({ ...exampleReport(), version: 2 })).toEqual(['version: expected 1 (this app reads version 1 of the lab report)']);
  });

  it('a missing field is said once', () => {
    expect(errorsOf(changed((r) => delete (r.runs[0] as Partial<LabReport['runs'][0]>).synsSent))).toEqual(['runs[0].synsSent: missing']);
    expect(errorsOf(changed((r) => delete (r.runs[1].capture!.packets[0] as { win?: number | null }).win))).toEqual(['runs[1].capture.packets[0].win: missing']);
    expect(errorsOf(changed((r) => delete (r.runs[0] as { timestamp?: boolean | null }).timestamp))).toEqual(['runs[0].timestamp: missing']);
    expect(errorsOf(changed((r) => delete (r as Partial<LabReport>).host))).toEqual(['host: missing']);
  });

  it('not JSON, not an object', () => {
    expect(errorsOf('{"format":')[0]).toMatch(/^report: not JSON/);
    expect(errorsOf('[]')).toEqual(['report: expected an object']);
    expect(errorsOf('null')).toEqual(['report: expected an object']);
    expect(errorsOf('"text"')).toEqual(['report: expected an object']);
  });

  it('stops listing after maxErrors', () => {
    const r = changed((x) => {
      x.runs[0].samples = Array.from({ length: 100 }, (_, i) => ({ t: i, entries: -1 }));
    });
    expect(errorsOf(r)).toHaveLength(LAB_REPORT_LIMITS.maxErrors);
  });
});

describe('parseLabReport: hostile input', () => {
  it('keeps markup in strings as text (the renderers escape it), but refuses it where only addresses or ids belong', () => {
    const hostile = '</svg><script>alert(1)</script><img src=x onerror=alert(1)>';
    const ok = parseLabReport(JSON.stringify(changed((r) => (r.runs[0].label = hostile))));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.report.runs[0].label).toBe(hostile);
    expect(errorsOf(changed((r) => (r.runs[0].id = hostile)))[0]).toMatch(/^runs\[0\]\.id: /);
    expect(errorsOf(changed((r) => (r.runs[0].namespaces.client = hostile)))[0]).toMatch(/^runs\[0\]\.namespaces\.client: /);
    expect(errorsOf(changed((r) => (r.runs[1].capture!.packets[0].iface = hostile)))[0]).toMatch(/^runs\[1\]\.capture\.packets\[0\]\.iface: /);
  });

  it('refuses a document larger than the limit before parsing it', () => {
    const huge = `{"format":"nft-designer-lab-report","pad":"${'x'.repeat(LAB_REPORT_LIMITS.maxChars)}"}`;
    const errs = errorsOf(huge);
    // one error, the size: had it been parsed, the unknown "pad" field would be refused too
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/more than a lab report can have/);
  });

  it('deep nesting ends in an error, not a crash', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(errorsOf(deep).length).toBe(1);
    const text = JSON.stringify(changed((r) => ((r.runs[0] as unknown as { ruleset: string }).ruleset = 'DEEP')));
    const deepField = text.replace('"DEEP"', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(deepField.length).toBeGreaterThan(text.length);
    expect(errorsOf(deepField)).toContain('runs[0].ruleset: expected an object');
  });

  it('a prototype key is an unknown field, and pollutes nothing', () => {
    const text = JSON.stringify(exampleReport()).replace('"format"', '"__proto__":{"polluted":1},"format"');
    expect(errorsOf(text)).toContain('report: unknown field "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('many runs, each at the limits, are refused or read within bounds', () => {
    const r = exampleReport();
    r.runs = Array.from({ length: LAB_REPORT_LIMITS.maxRuns + 1 }, (_, i) => ({ ...r.runs[0], id: `r${i}` }));
    expect(errorsOf(r)).toEqual([`runs: more than ${LAB_REPORT_LIMITS.maxRuns} items`]);
  });
});
