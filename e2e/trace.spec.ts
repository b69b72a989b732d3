/**
 * The Trace panel: the synproxy template's handshake traced with tcp_loose 0 and
 * 1, an event selecting its rule, "why not?", a packet description with an
 * error named by packet and column, and the panel at 150 % zoom (dark).
 * Screenshots at 1280×720 light and dark, and at 150 %.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

async function openTrace(page: Page): Promise<void> {
  await page.getByTestId('tab.trace').click();
  await expect(page.getByTestId('trace')).toBeVisible({ timeout: 20_000 });
}

test('the synproxy handshake traced: SYN and ACK stolen with tcp_loose=0; with 1 the ACK meets the policy', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await openTrace(page);
  await page.getByTestId('trace.run').click();
  await expect(page.getByTestId('trace.verdict.0')).toHaveText('stolen');
  await expect(page.getByTestId('trace.packet.0')).toContainText('ct state untracked');
  await expect(page.getByTestId('trace.packet.0')).toContainText('rule tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm (verdict stolen)');
  await expect(page.getByTestId('trace.verdict.2')).toHaveText('stolen');
  await expect(page.getByTestId('trace.verdict.3')).toHaveText('accept');
  await expect(page.getByTestId('trace.packet.3')).toContainText('ct state established');
  // the handshake as a sequence diagram: synproxy answers the SYN with its cookie, then opens the server side
  const diagram = page.getByTestId('trace.sequence').getByRole('img');
  await expect(diagram).toHaveAttribute('aria-label', /client to synproxy: SYN, answered by synproxy; synproxy to client: SYN-ACK \(cookie\), sent by synproxy; .*synproxy to server: SYN, sent by synproxy/);
  await page.getByTestId('trace.sequence').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/trace-sequence-light.png' });
  await page.screenshot({ path: 'test-results/screens/trace-synproxy-light.png' });
  await page.getByTestId('app.theme').click();
  await page.screenshot({ path: 'test-results/screens/trace-synproxy-dark.png' });

  // an event selects its rule
  await page.getByTestId('trace.packet.0').getByRole('button', { name: /synproxy mss 1460/ }).click();
  await expect(page.locator('[data-testid="navigator"] [aria-current="true"]').first()).toBeVisible();

  // why not?
  await page.getByTestId('trace.whyNot.3').click();
  await expect(page.getByTestId('trace.packet.3')).toContainText('tcp flags is psh,ack');

  // tcp_loose = 1: the final ACK is new, passes the synproxy rule by
  await page.getByRole('combobox', { name: 'nf_conntrack_tcp_loose' }).click();
  await page.getByRole('option', { name: /^1/ }).click();
  await page.getByTestId('trace.run').click();
  await expect(page.getByTestId('trace.packet.2')).toContainText('ct state new');
  await expect(page.getByTestId('trace.packet.2')).toContainText('nf_conntrack_tcp_loose=1');
});

test('a packet the description gets wrong is named by packet and column', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await openTrace(page);
  await page.getByTestId('trace.packets').fill('ip saddr 198.18.0.2 tcp dport 22\nip saddr 1.2.3.999');
  await page.getByTestId('trace.run').click();
  await expect(page.getByTestId('trace.error')).toContainText('packet 2, column');
  await expect(page.getByTestId('trace.error')).toContainText('"1.2.3.999" is not a value of ip saddr');
});

test('the trace panel at 150 % zoom (dark) reads and has no serious accessibility violations', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });
  await context.addInitScript(() => localStorage.setItem('nftd.prefs', JSON.stringify({ theme: 'dark' })));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('navigator')).toBeVisible();
  await openTrace(page);
  await page.getByTestId('trace.run').click();
  await expect(page.getByTestId('trace.verdict.0')).toBeVisible();
  for (const id of ['trace.flow', 'trace.run', 'trace.packets']) {
    await page.getByTestId(id).scrollIntoViewIfNeeded();
    await expect(page.getByTestId(id)).toBeInViewport();
  }
  const sideways = await page.getByTestId('trace').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(sideways).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screens/trace-dark-150.png' });
  // the handshake's sequence diagram fits the panel at this zoom
  await page.getByTestId('trace.sequence').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('trace.sequence')).toBeInViewport();
  expect(await page.getByTestId('trace.sequence').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screens/trace-sequence-dark-150.png' });
  const r = await new AxeBuilder({ page }).include('[data-testid="trace"]').analyze();
  expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
