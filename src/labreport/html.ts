/**
 * The standalone page of a lab report: one HTML file with everything inline (the
 * charts as SVG, the styles), a Content-Security-Policy that loads nothing from
 * anywhere and runs no script, light and dark by the reader's preference. Every
 * string from the report is escaped (escapeXml); the charts come from the same
 * builders the app uses.
 */
import { SYNPROXY_FIRST_SYNACK_DELAY, type DelayFinding } from '../knowledge/synproxyDelay.ts';
import { reportCharts } from './charts.ts';
import { escapeXml as h, serializeSvg } from './svg.ts';
import { delayMeasurement, formatMs, summarize } from './summary.ts';
import type { LabReport } from './types.ts';

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --card: #f6f8fa; --pass: #1a7f37; --fail: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --card: #151b23; --pass: #3fb950; --fail: #f85149; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 16px 20px 48px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.5rem; margin: 0.2em 0; } h2 { font-size: 1.2rem; margin-top: 1.6em; } h3 { font-size: 1rem; }
.muted { color: var(--muted); }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; }
figure { margin: 12px 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); }
figure svg { display: block; width: 100%; height: auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85rem; } th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.82rem; background: var(--card); border: 1px solid var(--line); padding: 8px; border-radius: 6px; }
aside { border-left: 4px solid var(--muted); padding: 4px 12px; margin: 8px 0; background: var(--card); }
`;

function n(v: number | undefined): string {
  return v === undefined ? '–' : v.toLocaleString('en');
}

function finding(f: DelayFinding, measured: string[]): string {
  const m = measured.length ? `<p><strong>Measured in this report:</strong></p><ul>${measured.map((x) => `<li>${h(x)}</li>`).join('')}</ul>` : '';
  const ev = f.evidence.length ? `<ul>${f.evidence.map((x) => `<li>${h(x)}</li>`).join('')}</ul>` : '';
  return `<aside aria-label="The 1 s delay: the finding"><h3>The 1 s delay: the finding (origin: ${h(f.origin)})</h3>${m}<p>${h(f.summary)}</p><p><strong>Cause:</strong> ${h(f.cause)}</p>${ev}<p><strong>Fix:</strong> ${h(f.fix ?? 'none known')}</p></aside>`;
}

export function renderLabReportHtml(report: LabReport, delay: DelayFinding = SYNPROXY_FIRST_SYNACK_DELAY): string {
  const charts = reportCharts(report);
  const fig = (id: string): string => {
    const c = charts.find((x) => x.id === id);
    return c ? `<figure>${serializeSvg(c.node)}</figure>` : '';
  };
  const rows = report.runs
    .map((r) => {
      const s = summarize(r);
      return `<tr><td>${h(r.label)}</td><td>${h(r.placement)}</td><td class="n">${n(s.synsSent)}</td><td class="n">${n(s.peak)}</td><td class="n">${n(s.after)}</td><td class="n">${n(s.conntrackMax)}</td><td class="n">${s.latency.ok}/${s.latency.count}</td><td class="n">${h(formatMs(s.latency.medianMs))}</td><td class="n">${h(formatMs(s.latency.maxMs))}</td><td class="n">${n(s.synRetrans)}</td><td class="n">${n(s.tsecrRejected)}</td><td class="${s.pass ? 'pass' : 'fail'}">${s.pass ? 'pass' : 'FAIL'}</td></tr>`;
    })
    .join('');
  const details = report.runs
    .map((r) => {
      const checks = r.checks.map((c) => `<li><span class="${c.pass ? 'pass' : 'fail'}">${c.pass ? 'pass' : 'FAIL'}</span> ${h(c.name)}: ${h(c.detail)}</li>`).join('');
      const counters = r.counters.map((c) => `<tr><td>${h(c.namespace)}</td><td>${h(c.name)}</td><td class="n">${n(c.value)}</td></tr>`).join('');
      return `<section><h3>${h(r.label)}</h3><p class="muted">ruleset: ${h(r.ruleset.source)}; namespaces: client ${h(r.namespaces.client)}, firewall ${h(r.namespaces.firewall)}, server ${h(r.namespaces.server)}</p>${checks ? `<ul>${checks}</ul>` : ''}${counters ? `<div class="scroll"><table><thead><tr><th>namespace</th><th>counter</th><th>value</th></tr></thead><tbody>${counters}</tbody></table></div>` : ''}<details><summary>The ruleset</summary><pre>${h(r.ruleset.text)}</pre></details>${fig(`handshake-${r.id}`)}</section>`;
    })
    .join('');
  const verdict = report.verdict.pass ? '<span class="pass">PASS</span>' : `<span class="fail">FAIL</span><ul>${report.verdict.problems.map((p) => `<li>${h(p)}</li>`).join('')}</ul>`;
  const hst = report.host;
  const cfg = report.config;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Synproxy lab report, ${h(report.createdAt)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Synproxy lab report</h1>
<p class="muted">${h(report.createdAt)} · Linux ${h(hst.kernel)} · ${h(hst.nft)} · ${h(hst.tcpdump)} · ${h(hst.hping3)} · ${n(hst.cpus)} CPUs · the lab took ${report.wallTimeS.toFixed(1)} s</p>
<p>Verdict: ${verdict}</p>
<p class="muted">Each flood: ${n(cfg.synCount)} spoofed SYNs to port ${cfg.port}, at most one every ${n(cfg.floodIntervalUs)} µs (bounded to ${n(cfg.floodTimeLimitS)} s); conntrack sampled every ${n(cfg.sampleIntervalMs)} ms.</p>
</header>
<main>
<h2>Runs</h2>
<div class="scroll"><table>
<thead><tr><th>run</th><th>placement</th><th>SYNs sent</th><th>conntrack peak</th><th>conntrack at end</th><th>conntrack max</th><th>connections ok</th><th>median latency</th><th>max latency</th><th>SYN-ACK retransmits</th><th>TSecr rejected</th><th>checks</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
<h2>Conntrack during the flood</h2>
${fig('conntrack-input')}
${fig('conntrack-forward')}
<h2>Latency of legitimate connections</h2>
${fig('latency')}
${finding(delay, delayMeasurement(report))}
<h2>Each run, its checks, counters, ruleset and handshake</h2>
${details}
</main>
</body>
</html>
`;
}
