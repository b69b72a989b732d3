/**
 * Opening a synproxy lab report (e2e/fixtures/lab-report.json, written by a real
 * `npm run lab:synproxy`): the runs, the charts (conntrack for both placements,
 * latency, the captured handshakes) and the delay finding, at 1280×720 in the light
 * theme and at 150 % zoom in the dark theme; nothing of the dialog or its charts is
 * cut off. An invalid report names the field.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, expectDialogFitsWidth, test } from './fixtures.ts';
import type { Page } from '@playwright/test';

const FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures/lab-report.json'));
const REPORT = JSON.parse(FIXTURE.toString('utf8')) as { runs: { id: string; placement: string; capture: unknown }[] };

async function openReport(page: Page, name = 'synproxy-lab-report.json', buffer: Buffer = FIXTURE): Promise<void> {
  await page.getByTestId('app.more').click();
  await page.getByTestId('app.labreport').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.getByTestId('labreport.file').setInputFiles({ name, mimeType: 'application/json', buffer });
}

/** every chart is drawn, inside the dialog's width, with its accessible title */
async function expectCharts(page: Page, width: number): Promise<void> {
  const ids = ['conntrack-input', 'conntrack-forward', 'latency', ...REPORT.runs.filter((r) => r.capture).map((r) => `handshake-${r.id}`)];
  const dialog = await page.getByRole('dialog').boundingBox();
  for (const id of ids) {
    const svg = page.getByTestId(`labreport.chart.${id}`).locator('svg[role="img"]');
    await svg.scrollIntoViewIfNeeded();
    await expect(svg).toBeVisible();
    await expect(svg.locator('title')).not.toBeEmpty();
    await expect(svg.locator('desc')).not.toBeEmpty();
    const box = await svg.boundingBox();
    expect(box && dialog && box.x >= dialog.x && box.x + box.width <= dialog.x + dialog.width && box.x + box.width <= width, `${id} fits`).toBe(true);
    // the drawing keeps its proportions (the viewBox scales, nothing is clipped)
    const [, , vw, vh] = ((await svg.getAttribute('viewBox')) ?? '').split(' ').map(Number);
    expect(Math.abs((box?.width ?? 0) / (box?.height ?? 1) - vw / vh)).toBeLessThan(0.02);
  }
  await expect(page.getByTestId('labreport.chart.conntrack-input').locator('polyline')).toHaveCount(2);
  await expect(page.getByTestId('labreport.chart.conntrack-forward').locator('polyline')).toHaveCount(2);
}

test('a lab report at 1280×720, light: runs, charts, the finding', async ({ app, page }) => {
  await app.open();
  await openReport(page);
  await expect(page.getByTestId('labreport.verdict')).toHaveText('PASS');
  await page.screenshot({ path: 'test-results/screens/labreport-light-1280-top.png' });
  for (const r of REPORT.runs) await expect(page.getByTestId(`labreport.run.${r.id}`)).toBeVisible();
  await expect(page.getByTestId('labreport.run.input-synproxy')).toContainText('pass');
  await expectCharts(page, 1280);
  await expect(page.getByTestId('labreport.finding')).toContainText('The 1 s delay');
  // the measurement next to the finding: both placements, with and without timestamp
  await expect(page.getByTestId('labreport.measured')).toContainText(/input: with timestamp median 1\.\d\d s .*; without timestamp median \d/);
  await expect(page.getByTestId('labreport.measured')).toContainText(/forward: with timestamp median 1\.\d\d s .* TSecr rejected; without timestamp median \d/);
  await expectDialogFitsWidth(page, 1280);
  // the dialog with its charts passes axe (names, contrast of the text, roles)
  const axe = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.getByTestId('labreport.chart.conntrack-input').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/labreport-light-1280.png' });
  await page.getByTestId('labreport.chart.handshake-forward-synproxy').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/labreport-light-1280-handshake.png' });
  await expect(page.getByTestId('labreport.close')).toBeInViewport();
  await page.getByTestId('labreport.close').click();
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('a lab report at 150 % zoom, dark: everything fits and reads light on dark', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });
  await context.addInitScript(() => localStorage.setItem('nftd.prefs', JSON.stringify({ theme: 'dark' })));
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('navigator')).toBeVisible();
  await openReport(page);
  await expect(page.getByTestId('labreport.verdict')).toHaveText('PASS');
  await page.screenshot({ path: 'test-results/screens/labreport-dark-150-top.png' });
  await expectCharts(page, 853);
  await expectDialogFitsWidth(page, 853);
  const axe = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // the charts draw in currentColor: light text on the dark paper
  const color = await page.getByTestId('labreport.chart.latency').locator('svg').evaluate((s) => getComputedStyle(s).color);
  const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
  expect(r + g + b, color).toBeGreaterThan(600);
  await page.getByTestId('labreport.chart.latency').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/labreport-dark-150.png' });
  await page.getByTestId('labreport.chart.handshake-input-synproxy').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/labreport-dark-150-handshake.png' });
  await expect(page.getByTestId('labreport.close')).toBeInViewport();
  await context.close();
});

test('an invalid lab report: the error names the field, nothing is drawn', async ({ app, page }) => {
  await app.open();
  const bad = JSON.parse(FIXTURE.toString('utf8'));
  bad.runs[1].samples[3].entries = -1;
  bad.runs[0].label = '</svg><script>window.__pwned=1</script>';
  await openReport(page, 'bad.json', Buffer.from(JSON.stringify(bad)));
  await expect(page.getByTestId('labreport.errors')).toContainText('bad.json is not a lab report');
  await expect(page.getByTestId('labreport.errors')).toContainText('runs[1].samples[3].entries: expected a non-negative integer');
  await expect(page.getByTestId('labreport.report')).toHaveCount(0);
  // a good one after it replaces the error; the hostile label is shown as text
  delete bad.runs[1].samples[3].entries;
  bad.runs[1].samples[3].entries = 0;
  await page.getByTestId('labreport.file').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('labreport.report')).toBeVisible();
  await expect(page.getByTestId('labreport.errors')).toHaveCount(0);
  await expect(page.getByTestId(`labreport.run.${REPORT.runs[0].id}`)).toContainText('</svg><script>');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
