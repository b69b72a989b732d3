/**
 * npx tsx lab/report-html.ts REPORT.json OUT.html
 *
 * Validates a lab report with the app's own parser (parseLabReport: a report the lab
 * wrote that the app would refuse is an error here too) and writes the standalone
 * page with its charts (src/labreport/html.ts). Exit 1 when the report is invalid.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseLabReport, renderLabReportHtml } from '../src/labreport/index.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: npx tsx lab/report-html.ts REPORT.json OUT.html\n');
  process.exit(2);
}
const parsed = parseLabReport(readFileSync(input, 'utf8'));
if (!parsed.ok) {
  process.stderr.write(`${input}: not a valid lab report:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}\n`);
  process.exit(1);
}
writeFileSync(output, renderLabReportHtml(parsed.report));
