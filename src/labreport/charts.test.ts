import { describe, expect, it } from 'vitest';
import { conntrackChart, handshakeChart, latencyChart, niceTicks, reportCharts } from './charts.ts';
import { exampleReport } from './example.ts';
import { findAll, serializeSvg, textOf, type SvgNode } from './svg.ts';
import { renderLabReportHtml } from './html.ts';
import { delayMeasurement } from './summary.ts';
import type { DelayFinding } from '../knowledge/synproxyDelay.ts';

function points(node: SvgNode, series: string): [number, number][] {
  const g = findAll(node, (n) => n.attrs['data-series'] === series)[0];
  const line = findAll(g, (n) => n.tag === 'polyline')[0];
  return String(line.attrs.points)
    .split(' ')
    .map((p) => p.split(',').map(Number) as [number, number]);
}

/** every point lies on one line through the data: y = a·value + b (within rounding) */
function expectAffine(data: number[], screen: number[]): void {
  // anchored on the smallest and the largest value, so that rounding stays small
  const lo = data.indexOf(Math.min(...data));
  const hi = data.indexOf(Math.max(...data));
  const a = (screen[hi] - screen[lo]) / (data[hi] - data[lo]);
  const b = screen[lo] - a * data[lo];
  data.forEach((d, k) => expect(Math.abs(a * d + b - screen[k])).toBeLessThan(0.3));
}

function markerX(n: SvgNode): number {
  if (n.tag === 'circle') return Number(n.attrs.cx);
  if (n.tag === 'rect') return Number(n.attrs.x) + 3.5;
  const m = /^M(-?[\d.]+) (-?[\d.]+)/.exec(String(n.attrs.d));
  // the diamond starts at its top; the failure cross 4 px left of its centre
  return n.attrs['data-failed'] ? Number(m?.[1]) + 4 : Number(m?.[1]);
}

describe('niceTicks', () => {
  it('covers the range in steps of 1, 2 or 5 × 10^k', () => {
    expect(niceTicks(19067)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(1031, 6)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(7, 5)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe('conntrackChart', () => {
  const report = exampleReport();
  const chart = conntrackChart(report, 'input');

  it('is an accessible svg that scales: role img, title, desc with the numbers, viewBox, width 100%', () => {
    expect(chart.tag).toBe('svg');
    expect(chart.attrs.role).toBe('img');
    expect(chart.attrs.width).toBe('100%');
    expect(String(chart.attrs.viewBox)).toMatch(/^0 0 \d+ \d+$/);
    expect(chart.children?.[0]).toMatchObject({ tag: 'title' });
    expect(chart.children?.[1]).toMatchObject({ tag: 'desc' });
    expect(chart.attrs['aria-labelledby']).toBe('conntrack-input-title conntrack-input-desc');
    const desc = chart.children?.[1].text ?? '';
    expect(desc).toContain('without synproxy: 20,000 SYNs in 2.0 s, conntrack peaked at 18,000 entries');
    expect(desc).toContain('with synproxy: 20,000 SYNs in 2.0 s, conntrack peaked at 3 entries');
  });

  it('one polyline per run, each point where its sample is', () => {
    for (const run of report.runs) {
      const pts = points(chart, run.id);
      expect(pts).toHaveLength(run.samples.length);
      expectAffine(
        run.samples.map((s) => s.t),
        pts.map((p) => p[0]),
      );
    }
    // one scale for both series: entries map to the same heights
    const all = report.runs.flatMap((r) => r.samples.map((s) => s.entries));
    const ys = report.runs.flatMap((r) => points(chart, r.id).map((p) => p[1]));
    expectAffine(all, ys);
    // more entries, higher up; 18,000 is near the top, 1 near the axis
    const base = points(chart, 'input-baseline');
    expect(base[3][1]).toBeLessThan(base[2][1]);
    expect(base[2][1]).toBeLessThan(base[0][1]);
  });

  it('every point lies inside the axes', () => {
    const viewBox = String(chart.attrs.viewBox).split(' ').map(Number);
    const axes = findAll(chart, (n) => n.attrs['data-part'] === 'axes')[0];
    const lines = findAll(axes, (n) => n.tag === 'line');
    const xs = lines.flatMap((l) => [Number(l.attrs.x1), Number(l.attrs.x2)]);
    const ys = lines.flatMap((l) => [Number(l.attrs.y1), Number(l.attrs.y2)]);
    for (const run of report.runs) {
      for (const [x, y] of points(chart, run.id)) {
        expect(x).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(x).toBeLessThanOrEqual(Math.max(...xs));
        expect(x).toBeLessThanOrEqual(viewBox[2]);
        expect(y).toBeGreaterThanOrEqual(Math.min(...ys) - 6);
        expect(y).toBeLessThanOrEqual(Math.max(...ys));
      }
    }
  });

  it('axes with units and a legend', () => {
    const t = textOf(chart);
    expect(t).toContain('time since the flood started (s)');
    expect(t).toContain('conntrack entries (count)');
    expect(t).toContain('20k');
    expect(t).toContain('without synproxy (peak 18,000)');
    expect(t).toContain('with synproxy (peak 3)');
  });

  it('draws in currentColor (light and dark themes)', () => {
    expect(chart.attrs.fill).toBe('currentColor');
    const axes = findAll(chart, (n) => n.attrs['data-part'] === 'axes')[0];
    expect(findAll(axes, (n) => n.tag === 'line').every((l) => l.attrs.stroke === 'currentColor')).toBe(true);
  });

  it('a placement without runs says so', () => {
    expect(conntrackChart(report, 'forward').children?.[1].text).toBe('No samples for this placement.');
  });
});

describe('latencyChart', () => {
  const report = exampleReport();
  const chart = latencyChart(report);

  it('a marker per connection, at its latency; failures as crosses', () => {
    for (const run of report.runs) {
      const g = findAll(chart, (n) => n.attrs['data-series'] === run.id)[0];
      expect(g.attrs['data-points']).toBe(run.connections.length);
      const failed = findAll(g, (n) => n.attrs['data-failed'] === 1);
      expect(failed).toHaveLength(run.connections.filter((c) => !c.ok).length);
    }
    // the markers (after the row's line and two labels) sit where the latencies are, on one scale
    const run = report.runs[1];
    const sy = findAll(chart, (n) => n.attrs['data-series'] === run.id)[0];
    const xs = (sy.children ?? []).slice(3).map((m) => markerX(m.children?.[0] ?? m));
    expect(xs).toHaveLength(run.connections.length);
    expectAffine(
      [...report.runs[0].connections, ...run.connections].map((c) => c.latencyMs),
      [...(findAll(chart, (n) => n.attrs['data-series'] === report.runs[0].id)[0].children ?? []).slice(3), ...(sy.children ?? []).slice(3)].map((m) => markerX(m.children?.[0] ?? m)),
    );
  });

  it('says the numbers in words', () => {
    const desc = chart.children?.[1].text ?? '';
    expect(desc).toContain('input, synproxy (template): 3 of 3 connections succeeded, median 1.01 s');
    expect(desc).toContain('input, without synproxy: 2 of 3 connections succeeded');
    expect(textOf(chart)).toContain('time to connect and read the reply (ms)');
  });
});

describe('handshakeChart', () => {
  const capture = exampleReport().runs[1].capture!;
  const chart = handshakeChart(capture, 'Handshake');

  it('an arrow per packet, named by its flags, with the TCP options', () => {
    const arrows = findAll(chart, (n) => n.attrs['data-packet'] !== undefined);
    expect(arrows.map((a) => a.attrs['data-flags'])).toEqual(['SYN', 'SYN-ACK', 'ACK']);
    const t = textOf(chart);
    expect(t).toContain('SYN seq 100 win 64240');
    expect(t).toContain('mss 1460 · sackOK · TS 1/0 · wscale 7');
    expect(t).toContain('client 198.18.0.2');
  });

  it('an arrow goes from its sender lane to its receiver lane', () => {
    const arrows = findAll(chart, (n) => n.attrs['data-packet'] !== undefined);
    const [syn, synack] = arrows.map((a) => findAll(a, (n) => n.tag === 'line')[0]);
    expect(Number(syn.attrs.x1)).toBeLessThan(Number(syn.attrs.x2));
    expect(Number(synack.attrs.x1)).toBeGreaterThan(Number(synack.attrs.x2));
  });

  it('marks a pause (a retransmission timer) and says it', () => {
    const gaps = findAll(chart, (n) => n.attrs['data-part'] === 'gap');
    expect(gaps).toHaveLength(1);
    expect(textOf(gaps[0])).toEqual(['1.00 s with nothing on the wire']);
    expect(chart.children?.[1].text).toContain('a 1.00 s pause after packet 2');
  });
});

describe('the standalone page', () => {
  const finding: DelayFinding = { summary: 'S <b>', cause: 'C', evidence: ['E1'], origin: 'kernel', fix: null };

  it('is one file: no script, nothing from elsewhere, a CSP that forbids both', () => {
    const html = renderLabReportHtml(exampleReport(), finding);
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    for (const c of reportCharts(exampleReport())) expect(html).toContain(serializeSvg(c.node));
  });

  it('escapes every string of the report', () => {
    const r = exampleReport();
    const hostile = '</pre></svg><script>alert(1)</script>';
    r.runs[0].label = hostile;
    r.runs[0].ruleset.text = hostile;
    r.runs[0].checks[0].detail = hostile;
    r.verdict = { pass: false, problems: [hostile] };
    r.host.kernel = hostile;
    const html = renderLabReportHtml(r, { ...finding, cause: hostile });
    expect(html).not.toContain('<script>');
    expect(html.split('&lt;script&gt;').length - 1).toBeGreaterThanOrEqual(6);
  });

  it('shows what this report measured of the delay, with and without timestamp', () => {
    const r = exampleReport();
    r.runs.push({ ...r.runs[1], id: 'input-synproxy-nots', label: 'input, synproxy, no timestamp', timestamp: false, flood: false, samples: [], connections: [{ phase: 'before', t: 0, ok: true, latencyMs: 1.5 }], counters: [] });
    expect(delayMeasurement(r)).toEqual(['input: with timestamp median 1.01 s over 3 connections, 3 SYN-ACK retransmits, 0 TSecr rejected; without timestamp median 1.5 ms over 1 connection, 0 SYN-ACK retransmits, 0 TSecr rejected.']);
    expect(renderLabReportHtml(r, finding)).toContain('<li>input: with timestamp median 1.01 s');
    // without a run lacking timestamp there is nothing to compare
    expect(delayMeasurement(exampleReport())).toEqual([]);
  });

  it('shows the delay finding', () => {
    const html = renderLabReportHtml(exampleReport(), finding);
    expect(html).toContain('S &lt;b&gt;');
    expect(html).toContain('<li>E1</li>');
    expect(html).toContain('none known');
  });
});
