// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { exampleReport } from '../../src/labreport/example.ts';
import { conntrackChart, handshakeChart } from '../../src/labreport/charts.ts';
import { serializeSvg, type SvgNode } from '../../src/labreport/svg.ts';
import { SYNPROXY_FIRST_SYNACK_DELAY } from '../../src/knowledge/synproxyDelay.ts';
import LabReportDialog from './LabReportDialog.tsx';
import { reactAttrName, SvgView } from './SvgView.tsx';

afterEach(cleanup);

/** an element as data: tag, attributes (but xmlns), text or children */
function shape(e: Element): unknown {
  const attrs = Object.fromEntries([...e.attributes].filter((a) => a.name !== 'xmlns').map((a) => [a.name, a.value]));
  return { tag: e.tagName.toLowerCase(), attrs, text: e.children.length ? undefined : e.textContent, children: [...e.children].map(shape) };
}

const HOSTILE = '</text></svg><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 1">';

describe('SvgView', () => {
  it('maps attribute names to React props', () => {
    expect(reactAttrName('stroke-width')).toBe('strokeWidth');
    expect(reactAttrName('text-anchor')).toBe('textAnchor');
    expect(reactAttrName('aria-labelledby')).toBe('aria-labelledby');
    expect(reactAttrName('data-series')).toBe('data-series');
    expect(reactAttrName('viewBox')).toBe('viewBox');
  });

  it('draws the same chart as the serializer: the DOM reads back as the same markup', () => {
    const node = conntrackChart(exampleReport(), 'input');
    const { container } = render(<SvgView node={node} />);
    const svg = container.querySelector('svg') as SVGSVGElement;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelector('title')?.textContent).toMatch(/^Conntrack entries during the SYN flood/);
    expect(svg.querySelectorAll('polyline')).toHaveLength(2);
    // the serializer's markup, parsed, equals the React DOM (same tree, same escaping)
    const parsed = new DOMParser().parseFromString(serializeSvg(node), 'image/svg+xml').documentElement;
    expect(parsed.querySelector('parsererror')).toBeNull();
    expect(shape(svg)).toEqual(shape(parsed));
  });

  it('a hostile lane name stays text', () => {
    const capture = { ...exampleReport().runs[1].capture!, lanes: [HOSTILE, 'b'] };
    const { container } = render(<SvgView node={handshakeChart(capture, HOSTILE)} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('svg title')?.textContent).toBe(HOSTILE);
  });

  it('refuses a tag or an attribute a chart never has', () => {
    expect(() => render(<SvgView node={{ tag: 'script' as SvgNode['tag'], attrs: {} }} />)).toThrow(/not allowed/);
    expect(() => render(<SvgView node={{ tag: 'g', attrs: { onclick: 'x' } }} />)).toThrow(/not allowed/);
  });
});

function file(text: string, name = 'report.json'): File {
  return new File([text], name, { type: 'application/json' });
}

describe('LabReportDialog', () => {
  it('opens a report: summaries, charts, the delay finding', async () => {
    const r = exampleReport();
    r.runs[0].label = HOSTILE;
    render(<LabReportDialog open onClose={() => {}} />);
    fireEvent.change(screen.getByTestId('labreport.file'), { target: { files: [file(JSON.stringify(r))] } });
    await waitFor(() => expect(screen.getByTestId('labreport.report')).toBeTruthy());
    expect(screen.getByTestId('labreport.verdict').textContent).toBe('PASS');
    expect(within(screen.getByTestId('labreport.runs')).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByTestId('labreport.chart.conntrack-input').querySelector('svg[role="img"]')).toBeTruthy();
    expect(screen.getByTestId('labreport.chart.latency').querySelector('svg[role="img"]')).toBeTruthy();
    expect(screen.getByTestId('labreport.chart.handshake-input-synproxy').querySelector('svg[role="img"]')).toBeTruthy();
    expect(screen.getByTestId('labreport.finding').textContent).toContain(SYNPROXY_FIRST_SYNACK_DELAY.summary);
    // the example has no run without timestamp: nothing measured to compare
    expect(screen.queryByTestId('labreport.measured')).toBeNull();
    expect(document.querySelector('script')).toBeNull();
    expect(screen.getAllByText(HOSTILE).length).toBeGreaterThan(0);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('an invalid report: the errors name the field, nothing is drawn', async () => {
    const r = exampleReport() as unknown as { runs: { samples: { entries: unknown }[] }[] };
    r.runs[1].samples[3].entries = -4;
    render(<LabReportDialog open onClose={() => {}} />);
    fireEvent.change(screen.getByTestId('labreport.file'), { target: { files: [file(JSON.stringify(r), 'bad.json')] } });
    await waitFor(() => expect(screen.getByTestId('labreport.errors')).toBeTruthy());
    expect(screen.getByTestId('labreport.errors').textContent).toContain('bad.json is not a lab report');
    expect(screen.getByTestId('labreport.errors').textContent).toContain('runs[1].samples[3].entries: expected a non-negative integer');
    expect(screen.queryByTestId('labreport.report')).toBeNull();
  });

  it('a dropped file is read the same way', async () => {
    render(<LabReportDialog open onClose={() => {}} />);
    fireEvent.drop(screen.getByTestId('labreport.drop'), { dataTransfer: { files: [file('not json', 'notes.txt')] } });
    await waitFor(() => expect(screen.getByTestId('labreport.errors').textContent).toMatch(/notes\.txt is not a lab report.*report: not JSON/));
  });
});
