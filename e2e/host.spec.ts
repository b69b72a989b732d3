/**
 * On the host and across a fleet: a host's listing with Docker's and fail2ban's
 * tables is imported with those tables kept aside (shown in the navigator, never
 * exported, named in Compare with live); the Export dialog's Ansible tab shows
 * the per-host values and downloads a bundle that unpacks with the agent
 * executable and that ansible-playbook accepts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, expectDialogFitsWidth, test } from './fixtures.ts';

const HOST = readFileSync(join(import.meta.dirname, '../src/knowledge/fixtures/foreign/host-own-docker-fail2ban.nft'), 'utf8');

const FLEET_DESIGN = `define MGMT = 198.18.0.0/15
define SSH_PORT = 22

table inet fleet {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tct state established,related accept
\t\tiif "lo" accept
\t\tip saddr $MGMT tcp dport $SSH_PORT accept comment "{{ lookup('pipe','id') }}"
\t}
}
`;

async function importText(page: import('@playwright/test').Page, text: string): Promise<void> {
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.text').fill(text);
  await expect(page.getByTestId('import.ok')).toBeVisible();
}

test("a host's listing: Docker's and fail2ban's tables are kept aside, never exported, named when compared", async ({ app, page }) => {
  await app.open();
  await importText(page, HOST);
  const foreign = page.getByTestId('import.foreign');
  await expect(foreign).toContainText('Docker');
  await expect(foreign).toContainText('fail2ban');
  await page.screenshot({ path: 'test-results/screens/import-foreign-light.png' });
  await page.getByTestId('import.asNew').click();
  const aside = page.getByTestId('nav.aside');
  await expect(aside).toContainText('ip filter');
  await expect(aside).toContainText('ip nat');
  await expect(aside).toContainText('inet f2b-table');
  await page.getByTestId('app.theme').click();
  await page.screenshot({ path: 'test-results/screens/aside-dark.png' });
  await page.getByTestId('app.theme').click();
  const script = await app.script();
  expect(script).toContain('table inet filter {');
  expect(script).not.toMatch(/table ip nat|DOCKER|f2b-table/);
  expect(script).toMatch(/^table inet filter\ndelete table inet filter\n/m);
  // the host's own listing compared with the design: nothing of theirs changes
  await page.getByTestId('app.compare').click();
  await page.getByTestId('compare.text').fill(HOST);
  await page.getByTestId('compare.run').click();
  await expect(page.getByTestId('compare.table.ip.nat')).toContainText('unchanged');
  await expect(page.getByTestId('compare.table.ip.nat')).toContainText('Docker');
  await page.getByTestId('compare.preamble.flush').check();
  await expect(page.getByTestId('compare.warnings')).toContainText('flush ruleset removes table inet f2b-table (fail2ban)');
  await page.getByTestId('compare.preamble.replace').check();
  await page.getByTestId('compare.close').click();
  await page.getByTestId(`nav.aside.view.ip.nat`).click();
  await expect(page.getByTestId('aside.view.text')).toContainText('chain DOCKER');
  await page.getByTestId('aside.view.close').click();
});

test('Export, Ansible tab: per-host values, and a bundle that unpacks and that ansible-playbook accepts', async ({ app, page }) => {
  await app.open();
  await importText(page, FLEET_DESIGN);
  await page.getByTestId('import.asNew').click();
  await page.getByTestId('app.export').click();
  await page.getByTestId('export.tab.ansible').click();
  const defines = page.getByTestId('export.ansible.defines');
  await expect(defines).toContainText('nft_define_MGMT');
  await expect(defines).toContainText('198.18.0.0/15');
  await expect(defines).toContainText('nft_define_SSH_PORT');
  await page.screenshot({ path: 'test-results/screens/export-ansible-light.png' });
  // a field out of range says so on the field, and there is nothing to download
  await page.getByTestId('export.ansible.confirm').fill('5');
  await expect(page.getByText('from 10 to 86400')).toBeVisible();
  await expect(page.getByTestId('export.ansible.download')).toHaveCount(0);
  await page.getByTestId('export.ansible.confirm').fill('30');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export.ansible.download').click()]);
  expect(download.suggestedFilename()).toMatch(/^[A-Za-z0-9_.-]+-ansible\.zip$/);
  const dir = mkdtempSync(join(tmpdir(), 'nftd-ansible-'));
  try {
    const zip = join(dir, 'bundle.zip');
    await download.saveAs(zip);
    const unzip = spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2]); [__import__("os").chmod(__import__("os").path.join(sys.argv[2], i.filename), i.external_attr >> 16 & 0o777) for i in zipfile.ZipFile(sys.argv[1]).infolist()]', zip, dir], { encoding: 'utf8' });
    expect(unzip.status, unzip.stderr).toBe(0);
    const root = join(dir, download.suggestedFilename().replace(/\.zip$/, ''));
    const agent = join(root, 'roles/nft_designer/files/nft-agent');
    expect(readFileSync(agent, 'utf8')).toMatch(/^#!\/bin\/sh\n/);
    expect(statSync(agent).mode & 0o777).toBe(0o755);
    // the design is copied as it is: its comment is never templated
    const body = readFileSync(join(root, 'roles/nft_designer/files/design.nft'), 'utf8');
    expect(body).toContain(`accept comment "{{ lookup('pipe','id') }}"`);
    expect(body).not.toContain('define MGMT');
    expect(readFileSync(join(root, 'roles/nft_designer/defaults/main.yml'), 'utf8')).toContain('nft_confirm_seconds: 30');
    const check = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'inventory.example.ini', 'site.yml'], { cwd: root, encoding: 'utf8' });
    // (npm test installs ansible: scripts/ensure-system-deps.sh)
    expect(check.error, 'ansible-playbook must be installed').toBeUndefined();
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Ansible tab at 150 % zoom in the dark theme fits the screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('app.theme').click();
  await importText(page, FLEET_DESIGN);
  await page.getByTestId('import.asNew').click();
  await page.getByTestId('app.export').click();
  await page.getByTestId('export.tab.ansible').click();
  await expect(page.getByTestId('export.ansible.defines')).toBeVisible();
  await page.getByTestId('export.ansible.download').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('export.ansible.download')).toBeInViewport();
  await expectDialogFitsWidth(page, 853);
  await page.screenshot({ path: 'test-results/screens/export-ansible-dark-150.png' });
  await context.close();
});
