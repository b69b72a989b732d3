/**
 * Journey 10: no serious or critical axe-core violations on the main views.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test('10. main views have no serious or critical accessibility violations', async ({ app, page }) => {
  // axe analyses the whole page once per view: several seconds each on a loaded 2-core machine
  test.setTimeout(150_000);
  await app.open();
  expect(await seriousViolations(page), 'empty design').toEqual([]);
  await app.openTemplate('synproxy-anonymous');
  await app.waitForEditor();
  expect(await seriousViolations(page), 'table form with preview').toEqual([]);
  await page.getByTestId('nav.chain.IN').click();
  expect(await seriousViolations(page), 'chain form').toEqual([]);
  await page.getByTestId('rules.open.0').click();
  await expect(page.getByTestId('form.rule')).toBeVisible();
  expect(await seriousViolations(page), 'rule builder').toEqual([]);
  await page.getByTestId('tab.hookmap').click();
  await expect(page.getByTestId('hookmap')).toBeVisible();
  expect(await seriousViolations(page), 'hook map').toEqual([]);
  for (const [button, what] of [
    ['app.export', 'export dialog'],
    ['app.import', 'import dialog'],
    ['app.templates', 'templates dialog'],
    ['app.wizard', 'synproxy wizard'],
  ] as const) {
    await page.getByTestId(button).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await seriousViolations(page), what).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
  await page.getByTestId('app.theme').click();
  expect(await seriousViolations(page), 'dark theme').toEqual([]);
});

test('a dialog says what its copy buttons did inside itself, in a live region screen readers hear; no snackbar over it', async ({ app, page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  for (const [open, button, status, words] of [
    ['app.export', 'export.copy', 'export.status', 'Script copied to the clipboard.'],
    ['app.export', 'export.copyApply', 'export.status', 'Apply command copied'],
    ['app.share', 'share.copy', 'share.status', 'Share link copied.'],
  ] as const) {
    await page.getByTestId(open).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await page.getByTestId(button).click();
    // inside the dialog (#root is aria-hidden while it is open), as a polite live region
    const region = dialog.getByTestId(status);
    await expect(region).toContainText(words);
    await expect(region).toHaveAttribute('role', 'status');
    await expect(region).toHaveAttribute('aria-live', 'polite');
    // the accessibility tree has it: it is not under an aria-hidden ancestor
    expect(await region.evaluate((el) => el.closest('[aria-hidden="true"]') === null)).toBe(true);
    await expect(page.getByTestId('notice')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
});
