/** The synproxy lab's report: its schema, the untrusted-input parser, the charts and the standalone page. */
export * from './types.ts';
export { parseLabReport, type LabReportResult } from './parse.ts';
export { el, escapeXml, serializeSvg, textOf, findAll, checkAttrName, SVG_TAGS, type SvgNode, type SvgTag } from './svg.ts';
export { conntrackChart, latencyChart, handshakeChart, reportCharts, niceTicks, SERIES, FAIL_COLOR } from './charts.ts';
export * from './summary.ts';
export { renderLabReportHtml } from './html.ts';
