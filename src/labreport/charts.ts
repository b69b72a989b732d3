/**
 * Chart builders: a lab report in, an SvgNode tree out (svg.ts), drawn the same by
 * the standalone page and the app. Each chart is an `<svg role="img">` with a
 * `<title>` and a `<desc>` that say its numbers in words, a viewBox and width 100 %
 * (it scales with the page and the zoom), axes with units and a legend. Text and
 * axes use currentColor, so a chart follows the page's light or dark theme; the
 * series colours read on both (contrast ≥ 3 on white and on black) and differ by
 * dash pattern and marker too, not by colour alone.
 */
import { el, type SvgNode } from './svg.ts';
import type { Capture, LabReport, LabRun, Placement } from './types.ts';
import { captureGaps, flagName, formatMs, latencyStats, optionsText, packetText, peakEntries, placementTitle, runsOf } from './summary.ts';

/** Series colours: each has contrast ≥ 3:1 against white and against black. */
export const SERIES = [
  { color: '#ea580c', dash: '', marker: 'circle' },
  { color: '#3b82f6', dash: '7 4', marker: 'square' },
  { color: '#16a34a', dash: '2 3', marker: 'diamond' },
  { color: '#a855f7', dash: '10 3 2 3', marker: 'circle' },
] as const;
export const FAIL_COLOR = '#dc2626';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const W = 760;

/** Ticks at 1, 2 or 5 × 10^k covering [0, max]. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function fmtTick(v: number): string {
  if (Math.abs(v) >= 10_000) return `${Math.round(v / 1000)}k`;
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 100) / 100);
}

function safeId(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
}

function frame(id: string, width: number, height: number, title: string, desc: string, body: SvgNode[]): SvgNode {
  const tid = `${safeId(id)}-title`;
  const did = `${safeId(id)}-desc`;
  return el(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-labelledby': `${tid} ${did}`, 'font-family': FONT, 'font-size': 13, fill: 'currentColor', 'data-chart': id },
    [el('title', { id: tid }, title), el('desc', { id: did }, desc), el('text', { x: 8, y: 20, 'font-size': 15, 'font-weight': 600 }, title), ...body],
  );
}

function marker(kind: string, x: number, y: number, color: string): SvgNode {
  if (kind === 'square') return el('rect', { x: x - 3.5, y: y - 3.5, width: 7, height: 7, fill: color });
  if (kind === 'diamond') return el('path', { d: `M${x} ${y - 4.5}L${x + 4.5} ${y}L${x} ${y + 4.5}L${x - 4.5} ${y}Z`, fill: color });
  return el('circle', { cx: x, cy: y, r: 3.5, fill: color });
}

function legend(items: { label: string; color: string; dash: string; marker: string }[], x: number, y: number): SvgNode {
  const out: SvgNode[] = [];
  let cx = x;
  for (const it of items) {
    out.push(el('line', { x1: cx, y1: y, x2: cx + 26, y2: y, stroke: it.color, 'stroke-width': 2.5, 'stroke-dasharray': it.dash || undefined }));
    out.push(marker(it.marker, cx + 13, y, it.color));
    out.push(el('text', { x: cx + 32, y: y + 4.5 }, it.label));
    cx += 40 + it.label.length * 7.2;
  }
  return el('g', { 'data-part': 'legend' }, out);
}

function runLabel(r: LabRun): string {
  return r.synproxy ? `with synproxy${r.timestamp === false ? ' (no timestamp)' : ''}` : 'without synproxy';
}

// ------------------------------------------------------------------ conntrack over time

export interface Scale {
  x: (v: number) => number;
  y: (v: number) => number;
}

/** Conntrack entries over time, during the flood, with and without synproxy, for one placement. */
export function conntrackChart(report: LabReport, placement: Placement, id = `conntrack-${placement}`): SvgNode {
  const runs = runsOf(report, placement).filter((r) => r.samples.length);
  const H = 330;
  const m = { l: 74, r: 18, t: 62, b: 52 };
  const all = runs.flatMap((r) => r.samples);
  // from the whole second at or before the first sample (before the flood: negative) to past the last
  const start = Math.floor(Math.min(0, ...all.map((s) => s.t)));
  const tMax = Math.max(1, ...all.map((s) => s.t));
  const xt = niceTicks(tMax - start, 8).map((v) => Math.round((v + start) * 1000) / 1000);
  const x0 = xt[0];
  const x1 = xt[xt.length - 1];
  const yMax = Math.max(10, ...all.map((s) => s.entries));
  const yt = niceTicks(yMax, 5);
  const y1 = yt[yt.length - 1];
  const sc: Scale = {
    x: (v) => m.l + ((v - x0) / (x1 - x0 || 1)) * (W - m.l - m.r),
    y: (v) => H - m.b - (v / (y1 || 1)) * (H - m.t - m.b),
  };
  const body: SvgNode[] = [];
  const axes: SvgNode[] = [];
  for (const v of yt) {
    axes.push(el('line', { x1: m.l, y1: sc.y(v), x2: W - m.r, y2: sc.y(v), stroke: 'currentColor', 'stroke-opacity': 0.15 }));
    axes.push(el('text', { x: m.l - 6, y: sc.y(v) + 4, 'text-anchor': 'end', 'font-size': 12 }, fmtTick(v)));
  }
  for (const v of xt) {
    axes.push(el('line', { x1: sc.x(v), y1: H - m.b, x2: sc.x(v), y2: H - m.b + 5, stroke: 'currentColor' }));
    axes.push(el('text', { x: sc.x(v), y: H - m.b + 19, 'text-anchor': 'middle', 'font-size': 12 }, fmtTick(v)));
  }
  axes.push(el('line', { x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b, stroke: 'currentColor' }));
  axes.push(el('line', { x1: m.l, y1: m.t, x2: m.l, y2: H - m.b, stroke: 'currentColor' }));
  axes.push(el('text', { x: (m.l + W - m.r) / 2, y: H - 8, 'text-anchor': 'middle' }, 'time since the flood started (s)'));
  axes.push(el('text', { x: 16, y: (m.t + H - m.b) / 2, 'text-anchor': 'middle', transform: `rotate(-90 16 ${(m.t + H - m.b) / 2})` }, 'conntrack entries (count)'));
  body.push(el('g', { 'data-part': 'axes' }, axes));
  // the flood itself: from 0 to the longest flood
  const floodEnd = Math.max(0, ...runs.map((r) => r.floodS));
  if (floodEnd > 0) {
    body.push(
      el('rect', { x: sc.x(0), y: m.t, width: Math.max(0, sc.x(Math.min(floodEnd, x1)) - sc.x(0)), height: H - m.t - m.b, fill: 'currentColor', 'fill-opacity': 0.06, 'data-part': 'flood' }),
      // above the plot, where no curve runs
      el('text', { x: W - m.r, y: m.t - 6, 'text-anchor': 'end', 'font-size': 11, 'fill-opacity': 0.85 }, 'shaded: the flood; dotted: where each run\'s flood ended'),
    );
  }
  const items: { label: string; color: string; dash: string; marker: string }[] = [];
  runs.forEach((r, i) => {
    const s = SERIES[i % SERIES.length];
    const pts = r.samples.map((p) => `${round(sc.x(p.t))},${round(sc.y(p.entries))}`).join(' ');
    const peak = peakEntries(r);
    const label = `${runLabel(r)} (peak ${peak.toLocaleString('en')})`;
    items.push({ label, color: s.color, dash: s.dash, marker: s.marker });
    const g: SvgNode[] = [el('polyline', { points: pts, fill: 'none', stroke: s.color, 'stroke-width': 2.5, 'stroke-dasharray': s.dash || undefined, 'stroke-linejoin': 'round' })];
    // a marker every few samples, so a series reads without colour too
    const every = Math.max(1, Math.ceil(r.samples.length / 12));
    r.samples.forEach((p, k) => {
      if (k % every === 0 || k === r.samples.length - 1) g.push(marker(s.marker, sc.x(p.t), sc.y(p.entries), s.color));
    });
    // where this run's flood ended
    if (r.floodS > 0 && r.floodS <= x1) g.push(el('line', { x1: sc.x(r.floodS), y1: m.t, x2: sc.x(r.floodS), y2: H - m.b, stroke: s.color, 'stroke-width': 1.2, 'stroke-dasharray': '3 3', 'data-part': 'flood-end' }));
    body.push(el('g', { 'data-series': r.id, 'data-points': r.samples.length }, g));
  });
  body.push(legend(items, m.l, 42));
  const title = `Conntrack entries during the SYN flood (${placementTitle(placement)})`;
  const desc = runs.length
    ? `${runs.map((r) => `${runLabel(r)}: ${r.synsSent.toLocaleString('en')} SYNs in ${r.floodS.toFixed(1)} s, conntrack peaked at ${peakEntries(r).toLocaleString('en')} entries (${r.samples.length} samples, limit ${r.conntrackMax.toLocaleString('en')})`).join('; ')}.`
    : 'No samples for this placement.';
  return frame(id, W, H, title, desc, body);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

// ------------------------------------------------------------------ latency per connection

const PHASE_STYLE = {
  before: { label: 'before the flood', color: 'currentColor', marker: 'diamond' },
  during: { label: 'during the flood', color: '#ea580c', marker: 'circle' },
  after: { label: 'after the flood', color: '#3b82f6', marker: 'square' },
} as const;

/** Every legitimate connection's latency, one row per run. */
export function latencyChart(report: LabReport, id = 'latency'): SvgNode {
  const runs = report.runs.filter((r) => r.connections.length);
  const m = { l: 262, r: 150, t: 62, b: 52 };
  const row = 34;
  const H = m.t + m.b + Math.max(1, runs.length) * row;
  const all = runs.flatMap((r) => r.connections.map((c) => c.latencyMs));
  const xt = niceTicks(Math.max(1, ...all), 6);
  const x1 = xt[xt.length - 1];
  const x = (v: number): number => m.l + (v / x1) * (W - m.l - m.r);
  const body: SvgNode[] = [];
  const axes: SvgNode[] = [];
  for (const v of xt) {
    axes.push(el('line', { x1: x(v), y1: m.t - 4, x2: x(v), y2: H - m.b, stroke: 'currentColor', 'stroke-opacity': 0.15 }));
    axes.push(el('text', { x: x(v), y: H - m.b + 19, 'text-anchor': 'middle', 'font-size': 12 }, fmtTick(v)));
  }
  axes.push(el('line', { x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b, stroke: 'currentColor' }));
  axes.push(el('text', { x: (m.l + W - m.r) / 2, y: H - 8, 'text-anchor': 'middle' }, 'time to connect and read the reply (ms)'));
  body.push(el('g', { 'data-part': 'axes' }, axes));
  runs.forEach((r, i) => {
    const cy = m.t + i * row + row / 2;
    const st = latencyStats(r);
    const g: SvgNode[] = [
      el('line', { x1: m.l, y1: cy, x2: W - m.r, y2: cy, stroke: 'currentColor', 'stroke-opacity': 0.25, 'stroke-dasharray': '1 3' }),
      el('text', { x: m.l - 8, y: cy + 4, 'text-anchor': 'end', 'font-size': 12 }, r.label.length > 38 ? `${r.label.slice(0, 37)}…` : r.label),
      el('text', { x: W - m.r + 8, y: cy + 4, 'font-size': 12 }, `${st.ok}/${st.count} ok · ${formatMs(st.medianMs)}`),
    ];
    r.connections.forEach((c) => {
      const px = x(c.latencyMs);
      if (!c.ok) {
        g.push(el('path', { d: `M${px - 4} ${cy - 4}L${px + 4} ${cy + 4}M${px - 4} ${cy + 4}L${px + 4} ${cy - 4}`, stroke: FAIL_COLOR, 'stroke-width': 2.5, 'data-failed': 1 }));
      } else {
        const s = PHASE_STYLE[c.phase];
        g.push(el('g', { 'fill-opacity': 0.75 }, [marker(s.marker, px, cy, s.color)]));
      }
    });
    body.push(el('g', { 'data-series': r.id, 'data-points': r.connections.length }, g));
  });
  const items = (['before', 'during', 'after'] as const).map((p) => ({ label: PHASE_STYLE[p].label, color: PHASE_STYLE[p].color, dash: '', marker: PHASE_STYLE[p].marker }));
  body.push(legend(items, 8, 42));
  body.push(el('path', { d: `M${W - 100} 38L${W - 92} 46M${W - 100} 46L${W - 92} 38`, stroke: FAIL_COLOR, 'stroke-width': 2.5 }), el('text', { x: W - 86, y: 46.5 }, 'failed'));
  const title = 'Latency of each legitimate connection';
  const desc = runs.length
    ? `${runs
        .map((r) => {
          const st = latencyStats(r);
          return `${r.label}: ${st.ok} of ${st.count} connections succeeded, median ${formatMs(st.medianMs)}, from ${formatMs(st.minMs)} to ${formatMs(st.maxMs)}`;
        })
        .join('; ')}.`
    : 'No connections were measured.';
  return frame(id, W, H, title, desc, body);
}

// ------------------------------------------------------------------ the handshake

/** The captured packets of one connection as a sequence diagram: a lane per party, an arrow per packet, time going down. */
export function handshakeChart(capture: Capture, title: string, id = 'handshake'): SvgNode {
  const lanes = capture.lanes;
  const n = capture.packets.length;
  const m = { l: 150, r: 150, t: 86, b: 24 };
  const row = 44;
  const gaps = captureGaps(capture);
  const gapAfter = new Map(gaps.map((g) => [g.after, g.seconds]));
  const gapRow = 22;
  const H = m.t + m.b + n * row + gaps.length * gapRow;
  const laneX = (i: number): number => (lanes.length === 1 ? W / 2 : m.l + (i / (lanes.length - 1)) * (W - m.l - m.r));
  const body: SvgNode[] = [];
  lanes.forEach((name, i) => {
    // kept inside the picture: the outer lanes' names are anchored at their ends
    const half = name.length * 3.8;
    const x = Math.min(W - 6 - half, Math.max(6 + half, laneX(i)));
    body.push(el('text', { x, y: 50, 'text-anchor': 'middle', 'font-weight': 600 }, name));
    body.push(el('line', { x1: laneX(i), y1: 58, x2: laneX(i), y2: H - m.b, stroke: 'currentColor', 'stroke-opacity': 0.45, 'stroke-width': 1.5 }));
  });
  body.push(el('text', { x: 8, y: 74, 'font-size': 11, 'fill-opacity': 0.8 }, 'time (ms)'));
  let y = m.t;
  const arrows: SvgNode[] = [];
  capture.packets.forEach((p, i) => {
    const cy = y + row - 12;
    const x1 = laneX(p.from);
    const x2 = laneX(p.to);
    const dir = x2 >= x1 ? 1 : -1;
    const syn = p.flags.includes('S');
    const rst = p.flags.includes('R');
    const color = rst ? FAIL_COLOR : syn ? SERIES[1].color : 'currentColor';
    const g: SvgNode[] = [el('text', { x: 8, y: cy + 4, 'font-size': 11 }, (p.t * 1000).toFixed(3))];
    const opts = optionsText(p);
    if (p.from === p.to) {
      // to itself (loopback): a small loop on the lane, its text on the side with room
      const side = x1 > W / 2 ? -1 : 1;
      g.push(el('path', { d: `M${x1} ${cy - 10}h${side * 24}v14h${-side * 20}`, fill: 'none', stroke: color, 'stroke-width': 1.8 }));
      g.push(el('path', { d: `M${x1 + side * 4} ${cy}l${side * 6} -4v8z`, fill: color }));
      g.push(el('text', { x: x1 + side * 30, y: cy - (opts ? 8 : 0), 'text-anchor': side < 0 ? 'end' : 'start', 'font-size': 12, 'font-weight': syn ? 600 : 400 }, `${packetText(p)}${p.iface ? ` (${p.iface})` : ''}`));
      if (opts) g.push(el('text', { x: x1 + side * 30, y: cy + 6, 'text-anchor': side < 0 ? 'end' : 'start', 'font-size': 11, 'fill-opacity': 0.85 }, opts));
    } else {
      const mid = (x1 + x2) / 2;
      g.push(el('line', { x1, y1: cy, x2: x2 - dir * 7, y2: cy, stroke: color, 'stroke-width': syn ? 2.2 : 1.6 }));
      g.push(el('path', { d: `M${x2} ${cy}l${-dir * 9} -5v10z`, fill: color }));
      g.push(el('text', { x: mid, y: cy - (opts ? 18 : 5), 'text-anchor': 'middle', 'font-size': 12, 'font-weight': syn ? 600 : 400 }, packetText(p)));
      if (opts) g.push(el('text', { x: mid, y: cy - 5, 'text-anchor': 'middle', 'font-size': 11, 'fill-opacity': 0.85 }, opts));
    }
    arrows.push(el('g', { 'data-packet': i, 'data-flags': flagName(p.flags) }, g));
    y += row;
    const gap = gapAfter.get(i);
    if (gap !== undefined) {
      arrows.push(
        el('g', { 'data-part': 'gap' }, [
          el('line', { x1: m.l - 30, y1: y + 6, x2: W - m.r + 30, y2: y + 6, stroke: FAIL_COLOR, 'stroke-dasharray': '4 4' }),
          el('text', { x: W / 2, y: y + 2, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 600 }, `${formatMs(gap * 1000)} with nothing on the wire`),
        ]),
      );
      y += gapRow;
    }
  });
  body.push(el('g', { 'data-part': 'packets' }, arrows));
  const listed = capture.packets.slice(0, 40).map((p) => `${(p.t * 1000).toFixed(1)} ms ${lanes[p.from] ?? '?'} to ${lanes[p.to] ?? '?'}: ${packetText(p)}${optionsText(p) ? ` (${optionsText(p)})` : ''}`);
  const desc = `${n} packets captured in the ${capture.namespace} namespace (tcpdump ${capture.filter}) between ${lanes.join(', ')}${gaps.length ? `; ${gaps.map((g) => `a ${formatMs(g.seconds * 1000)} pause after packet ${g.after + 1}`).join(', ')}` : ''}. ${listed.join('. ')}${n > 40 ? ` … and ${n - 40} more` : ''}.`;
  return frame(id, W, H, title, desc, body);
}

/** Every chart of a report, in the order the page shows them. */
export function reportCharts(report: LabReport): { id: string; heading: string; node: SvgNode }[] {
  const out: { id: string; heading: string; node: SvgNode }[] = [];
  for (const p of ['input', 'forward'] as const) {
    if (runsOf(report, p).length) out.push({ id: `conntrack-${p}`, heading: `Conntrack, ${p} placement`, node: conntrackChart(report, p) });
  }
  if (report.runs.some((r) => r.connections.length)) out.push({ id: 'latency', heading: 'Latency', node: latencyChart(report) });
  for (const r of report.runs) {
    if (r.capture && r.capture.packets.length) out.push({ id: `handshake-${r.id}`, heading: `Handshake: ${r.label}`, node: handshakeChart(r.capture, `Handshake as captured: ${r.label}`, `handshake-${r.id}`) });
  }
  return out;
}
