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
  // after the valid ACK, synproxy's own handshake with the server, traced through the design
  const sent = page.getByTestId('trace.generated.2');
  await expect(sent).toContainText('oif "lo"');
  await expect(page.getByTestId('trace.generated.2.0')).toContainText('output → postrouting → prerouting → input');
  await expect(page.getByTestId('trace.generated.2.1')).toContainText('stolen');
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

test('a finding\'s example packet is one click from its trace; stepping through the events selects each rule', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('app.import').click();
  await page
    .getByTestId('import.text')
    .fill('table inet web {\n\tchain pre {\n\t\ttype filter hook prerouting priority raw; policy accept;\n\t\ttcp dport 443 tcp flags syn notrack\n\t}\n\n\tchain in {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport { 80, 443 } accept\n\t\ttcp dport 443 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm\n\t\tct state invalid drop\n\t\tip saddr 10.0.0.0/8 drop\n\t\tip saddr 10.1.2.3 tcp dport 22 accept\n\t}\n}\n');
  await page.getByTestId('import.replace').click();
  await page.getByTestId('import.confirm').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByTestId('tab.diagnostics').click();
  // the synproxy rule the untracked SYN never reaches: its SYN traced
  const traceIt = page.getByTestId('diagnostic.synproxy/never-reached.trace');
  await expect(traceIt).toBeVisible({ timeout: 20_000 });
  await expect(traceIt).toHaveAccessibleName(/^Trace it: iif "eth0" .* tcp dport 443 tcp flags syn$/);
  await expect(page.getByTestId('diagnostic.rule/shadowed.trace')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/diagnostics-trace-it-light.png' });
  await traceIt.click();
  await expect(page.getByTestId('trace')).toBeVisible();
  await expect(page.getByTestId('trace.packets')).toHaveValue(/tcp dport 443 tcp flags syn/);
  await expect(page.getByTestId('trace.verdict.0')).toHaveText('accept');
  await expect(page.getByTestId('trace.packet.0')).toContainText('rule tcp dport { 80, 443 } accept (verdict accept)');

  // step through: each event in turn, its rule selected
  await page.getByTestId('trace.next').click();
  await expect(page.getByTestId('trace.step')).toHaveText('Packet 1, event 1 · 1 of 3');
  await expect(page.getByTestId('trace.event.0.0')).toHaveAttribute('aria-current', 'step');
  const first = await app.page.evaluate(() => window.__nftd?.selectedId());
  await page.getByTestId('trace.next').click();
  await page.getByTestId('trace.next').click();
  await expect(page.getByTestId('trace.step')).toHaveText('Packet 1, event 3 · 3 of 3');
  await expect(page.getByTestId('trace.event.0.2')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('trace.next')).toBeDisabled();
  const third = await app.page.evaluate(() => window.__nftd?.selectedId());
  expect(third).not.toBe(first);
  const rs = await app.ruleset();
  expect(third).toBe(rs.tables[0].chains.find((c) => c.name === 'in')?.rules[0].id);
  await expect(page.locator('[data-testid="navigator"] [aria-current="true"]').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/trace-step-light.png' });
  await page.getByTestId('app.theme').click();
  await page.screenshot({ path: 'test-results/screens/trace-step-dark.png' });
});

test("the NAT router template, forwarded: the interfaces route the packet out and masquerade takes eth0's address; times make a limit the kernel's token bucket", async ({ app, page }) => {
  await app.open();
  await app.openTemplate('nat-router');
  await openTrace(page);
  // typing packets makes the flow "my own packets"
  await page.getByTestId('trace.hostAddrs').fill('');
  await page.getByTestId('trace.interfaces').fill('eth0=203.0.113.1/24 eth1=192.168.1.1/24');
  await page.getByTestId('trace.packets').fill('iif "eth1" ip saddr 192.168.1.20 ip daddr 203.0.113.80 tcp sport 40000 tcp dport 443 tcp flags syn');
  await page.getByTestId('trace.run').click();
  await expect(page.getByTestId('trace.verdict.0')).toHaveText('accept');
  await expect(page.getByTestId('trace.packet.0')).toContainText('rule iifname "eth1" oifname "eth0" accept (verdict accept)');
  await expect(page.getByTestId('trace.packet.0')).toContainText('masquerade to 203.0.113.1');
  await page.screenshot({ path: 'test-results/screens/trace-forward-light.png' });
  await page.getByTestId('trace.interfaces').fill('eth0=203.0.113.1/33');
  await page.getByTestId('trace.run').click();
  await expect(page.getByTestId('trace.error')).toContainText('Interfaces: interface eth0: address "203.0.113.1/33"');

  // a limit, traced at given times: the burst, then over the rate
  await app.openTemplate('workstation');
  await openTrace(page);
  await page.getByTestId('trace.interfaces').fill('');
  await page.getByTestId('trace.hostAddrs').fill('198.51.100.1');
  const ping = (n: number) => `iif "eth0" ip saddr 198.18.0.2 ip daddr 198.51.100.1 icmp type echo-request icmp id ${n}`;
  await page.getByTestId('trace.packets').fill([1, 2, 3, 4, 5, 6].map(ping).join('\n'));
  await page.getByTestId('trace.times').fill('0, 0, 0, 0, 0, 0');
  await page.getByTestId('trace.run').click();
  await expect(page.getByTestId('trace.verdict.4')).toHaveText('accept');
  await expect(page.getByTestId('trace.verdict.5')).toHaveText('drop');
  await expect(page.getByTestId('trace.packet.5')).toContainText("over the rate (the kernel's token bucket");
});
