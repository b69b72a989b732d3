/**
 * Journey 8: a name or comment with markup is shown as text, never rendered,
 * and the app refuses to write a script it could not quote.
 */
import { expect, test } from './fixtures.ts';

const XSS = '<img src=x onerror=alert(1)>';

test('8. markup in names and comments is shown as text and refused by the emitter', async ({ app, page }) => {
  let dialogs = 0;
  page.on('dialog', async (d) => {
    dialogs++;
    await d.dismiss();
  });
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  const good = await app.script();
  await page.getByTestId('nav.table.anon_synproxy_demo').click();
  await page.getByTestId('table.name').fill(XSS);
  await page.getByTestId('table.comment').fill(`say "hi" ${XSS}`);
  // shown as text in the navigator and the form, never as an element
  await expect(page.getByTestId('navigator')).toContainText(XSS);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  // the emitter refuses; the preview keeps the last good script and says why
  await expect(page.getByTestId('preview.refused')).toBeVisible();
  expect(await app.script()).toBe('');
  await expect(page.getByTestId('table.name.findings')).toContainText('must start with a letter');
  await expect(page.getByTestId('table.comment.findings')).toContainText('cannot contain a double quote');
  await page.getByTestId('app.export').click();
  await expect(page.getByTestId('export.refused')).toBeVisible();
  await expect(page.getByTestId('export.download')).toBeDisabled();
  await page.keyboard.press('Escape');
  // undo back to a quotable design
  await page.getByTestId('app.undo').click();
  await page.getByTestId('app.undo').click();
  expect(await app.script()).toBe(good);
  expect(dialogs).toBe(0);
});
