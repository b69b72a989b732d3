/**
 * Journeys 2 and 11: the named-synproxy template follows a form edit in the
 * preview and the diagnostics; the hook map shows the anonymous synproxy
 * design's notrack chain before conntrack and its synproxy chain after it.
 */
import { expect, test } from './fixtures.ts';

test('2. changing an mss in the named-synproxy template updates the preview and the diagnostics', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-named');
  await app.waitForEditor();
  await page.getByTestId('nav.object.https-synproxy').click();
  const mss = page.getByTestId('object.synproxy.mss');
  await mss.fill('1400');
  await expect.poll(() => app.script()).toContain('\tsynproxy https-synproxy {\n\t\tmss 1400\n\t\twscale 7\n');
  await expect(app.editor()).toContainText('mss 1400');
  // an impossible mss: the field and the diagnostics panel say why
  await mss.fill('70000');
  await expect(page.getByTestId('object.synproxy.mss.findings')).toContainText('65535');
  await page.getByTestId('tab.diagnostics').click();
  await expect(page.locator('[data-testid="diagnostic.synproxy/mss-range"]')).toHaveAttribute('data-severity', 'error');
  await expect(page.getByTestId('nav.object.https-synproxy')).toContainText('1');
  await mss.fill('1460');
  await expect(page.locator('[data-testid="diagnostic.synproxy/mss-range"]')).toHaveCount(0);
});

test('11. the hook map shows notrack before conntrack and synproxy after it; clicking a chain selects it', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  const rs = await app.ruleset();
  const [pre, inp] = rs.tables[0].chains;
  await page.getByTestId('tab.hookmap').click();
  await expect(page.getByTestId('hookmap')).toBeVisible();
  const preEl = page.getByTestId(`hookmap.chain.${pre.id}`);
  const inEl = page.getByTestId(`hookmap.chain.${inp.id}`);
  await expect(preEl).toHaveAttribute('data-hook', 'prerouting');
  await expect(preEl).toHaveAttribute('data-priority', '-300');
  await expect(preEl).toHaveAttribute('data-position', 'before-conntrack');
  await expect(inEl).toHaveAttribute('data-hook', 'input');
  await expect(inEl).toHaveAttribute('data-priority', '0');
  await expect(inEl).toHaveAttribute('data-position', 'after-conntrack');
  await expect(page.getByTestId('hookmap.stage.conntrack.prerouting')).toBeVisible();
  await inEl.click();
  expect(await page.evaluate(() => window.__nftd?.selectedId())).toBe(inp.id);
  await expect(page.getByTestId('form.chain')).toContainText('IN');
  // keyboard: focus PRE and press Enter
  await preEl.focus();
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => window.__nftd?.selectedId())).toBe(pre.id);
});

test('rules reorder by drag and drop and by keyboard, duplicate and delete, all undoable', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('workstation');
  await page.getByTestId('nav.chain.input').click();
  const first = async (): Promise<string> => (await page.getByTestId('rules.open.0').innerText()).trim();
  expect(await first()).toBe('ct state established,related accept');
  // drag the first rule onto the third
  await page.getByTestId('rules.row.0').dragTo(page.getByTestId('rules.row.2'));
  await expect(page.getByTestId('rules.open.2')).toHaveText('ct state established,related accept');
  // keyboard: Alt+Up on the moved rule, twice
  await page.getByTestId('rules.open.2').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await page.getByTestId('rules.open.1').focus();
  await page.keyboard.press('Alt+ArrowUp');
  expect(await first()).toBe('ct state established,related accept');
  // duplicate and delete
  await page.getByTestId('rules.duplicate.0').click();
  await page.getByTestId('nav.chain.input').click();
  await expect(page.getByTestId('rules.open.1')).toHaveText('ct state established,related accept');
  await page.getByTestId('rules.delete.1').click();
  await expect(page.getByTestId('rules.open.1')).toHaveText('ct state invalid drop');
  // every step undoes: delete, duplicate, two moves, the drag
  for (let i = 0; i < 5; i++) await page.getByTestId('app.undo').click();
  await expect.poll(() => app.script()).toContain('\t\tct state established,related accept\n\t\tct state invalid drop\n\t\tiif "lo" accept\n');
  expect(await first()).toBe('ct state established,related accept');
  await page.getByTestId('app.redo').click();
  expect(await first()).toBe('ct state invalid drop');
});
