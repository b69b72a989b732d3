/**
 * "What will change on my host?": a person pastes what the host runs and sees the
 * live ruleset next to what it will be after the apply, with a summary; the
 * default preamble leaves other software's tables alone, `flush ruleset` is
 * shown removing them. The default preamble of a new design is "replace only
 * these tables" in Export too.
 */
import { expect, expectDialogFitsWidth, test } from './fixtures.ts';

/** The modified side's own lines: in one column, Monaco draws the removed lines in view zones of class `view-lines line-delete` inside it too. */
const MODIFIED_LINES = '.editor.modified .view-lines:not(.line-delete)';

const LIVE = `table ip nat {
	chain DOCKER {
	}

	chain POSTROUTING {
		type nat hook postrouting priority srcnat; policy accept;
		oifname != "docker0" ip saddr 172.17.0.0/16 counter packets 12 bytes 720 masquerade
	}
}
table inet workstation {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		tcp dport 22 accept
	}
}
`;

test('compare with live: summary, untouched foreign table, diff editor; flush shows what it removes', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('workstation');
  await page.getByTestId('app.compare').click();
  await page.getByTestId('compare.text').fill(LIVE);
  await page.getByTestId('compare.run').click();
  await expect(page.getByTestId('compare.preamble.replace')).toBeChecked();
  const summary = page.getByTestId('compare.summary');
  await expect(summary).toHaveText('tables: 1 changed; chains: 2 added, 1 changed; rules: 5 added, 1 changed');
  await expect(page.getByTestId('compare.table.ip.nat')).toContainText('unchanged');
  await expect(page.getByTestId('compare.table.inet.workstation')).toContainText('changed');
  await expect(page.getByTestId('compare.table.inet.workstation')).toContainText('chains added: forward, output');
  await expect(page.getByTestId('compare.warnings')).toHaveCount(0);
  // Monaco's diff editor: the live side and the after side
  const diff = page.getByTestId('compare.diff');
  await expect(diff.locator('.editor.original .view-lines')).toContainText('masquerade', { timeout: 20_000 });
  await expect(diff.locator(MODIFIED_LINES)).toContainText('ct state invalid drop');
  await expect(diff.locator(MODIFIED_LINES)).toContainText('chain DOCKER');
  await expect(page.getByTestId('compare.captions')).toHaveText(/^Live ruleset now \(pasted text\)After applying this design$/);
  await page.screenshot({ path: 'test-results/screens/compare-light.png' });

  await page.getByTestId('compare.preamble.flush').check();
  await expect(page.getByTestId('compare.warnings')).toHaveText('flush ruleset removes table ip nat (Docker)');
  await expect(page.getByTestId('compare.table.ip.nat')).toContainText('removed');
  await expect(summary).toContainText('tables: 1 removed, 1 changed');
  await expect(diff.locator(MODIFIED_LINES)).not.toContainText('chain DOCKER');
  // the choice is the design's: Export shows it too
  await page.getByTestId('compare.close').click();
  await page.getByTestId('app.export').click();
  await expect(page.getByTestId('export.preamble.flush')).toBeChecked();
  await expect(page.getByTestId('export.text')).toContainText('flush ruleset\n');
});

test('compare with live: an unreadable file says where; a new design exports with the replace preamble', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('webserver');
  await page.getByTestId('app.export').click();
  await expect(page.getByTestId('export.preamble.replace')).toBeChecked();
  await expect(page.getByTestId('export.text')).toContainText('table inet webserver\ndelete table inet webserver\ntable inet webserver {');
  await page.keyboard.press('Escape');
  await page.getByTestId('app.compare').click();
  await page.getByTestId('compare.text').fill('table inet x {\n\tchain c {\n\t\tthis is not nft\n');
  await page.getByTestId('compare.run').click();
  await expect(page.getByTestId('compare.errors')).toContainText(/^pasted text:1:1: table inet x is not closed/);
  // a file works as well as a paste: the agent's export of the host
  await page.getByTestId('compare.file').setInputFiles({ name: 'host-a.nft', mimeType: 'text/plain', buffer: Buffer.from(LIVE) });
  await expect(page.getByTestId('compare.source')).toHaveText('Live ruleset: host-a.nft (2 tables)');
  await expect(page.getByTestId('compare.table.inet.webserver')).toContainText('added');
  await expect(page.getByTestId('compare.table.inet.workstation')).toContainText('unchanged');
});

test('compare with live at 150 % zoom and in the dark theme', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('app.templates').click();
  await page.getByTestId('template.workstation.open').click();
  await page.getByTestId('app.theme').click();
  await page.getByTestId('app.compare').click();
  await page.getByTestId('compare.text').fill(LIVE);
  await page.getByTestId('compare.run').click();
  await expect(page.getByTestId('compare.diff').locator(MODIFIED_LINES)).toContainText('chain', { timeout: 20_000 });
  // everything the person needs is reachable: the summary and the close button are on screen or scroll into view
  // too narrow for two sides: Monaco shows one column, and the caption says how to read it
  await expect(page.getByTestId('compare.captions')).toContainText('One column: lines marked −');
  await page.getByTestId('compare.summary').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('compare.summary')).toBeInViewport();
  await expect(page.getByTestId('compare.close')).toBeInViewport();
  // the dialog fits the screen's width: nothing of it is cut off at the side
  await expectDialogFitsWidth(page, 853);
  await page.screenshot({ path: 'test-results/screens/compare-dark-150.png' });
  await context.close();
});
