/**
 * Journeys 3 and 4: typing in the preview updates the forms once the text
 * parses, while a syntax error shows a marker and changes nothing; undo and
 * redo walk back and forth across form and text edits.
 */
import type { Page } from '@playwright/test';
import { TEMPLATES } from '../src/templates/catalog.ts';
import { expect, test } from './fixtures.ts';

const WIKI = TEMPLATES[0].text;

async function typeAtEndOfLine(page: Page, lineText: string, typed: string): Promise<void> {
  const line = page.locator('[data-testid="preview"] .view-line', { hasText: lineText }).first();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.type(typed);
}

test('3. editing the preview updates the forms; a syntax error shows a marker and changes nothing', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await app.waitForEditor();
  await typeAtEndOfLine(page, 'ct state invalid drop', ' comment "from-text');
  await expect.poll(() => app.script()).toContain('\t\tct state invalid drop comment "from-text"\n');
  // the forms follow: the rule's comment field holds it
  await page.getByTestId('nav.chain.IN').click();
  await expect(page.getByTestId('rules.open.1')).toContainText('comment "from-text"');
  await page.getByTestId('rules.open.1').click();
  await expect(page.getByTestId('rule.comment')).toHaveValue('from-text');

  // a syntax error: a marker in the editor, the design unchanged
  const before = await app.script();
  await typeAtEndOfLine(page, 'tcp flags syn notrack', ' bogus');
  await expect(page.locator('[data-testid="preview"] .squiggly-error').first()).toBeVisible();
  await page.waitForTimeout(800);
  expect(await app.script()).toBe(before);
  await expect(page.getByTestId('diagnostics.summary')).toContainText('1 errors');
  // removing it clears the marker
  for (let i = 0; i < ' bogus'.length; i++) await page.keyboard.press('Backspace');
  await expect(page.locator('[data-testid="preview"] .squiggly-error')).toHaveCount(0);
});

test('4. undo and redo across form and text edits', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await app.waitForEditor();
  // a form edit
  await page.getByTestId('nav.table.anon_synproxy_demo').click();
  await page.getByTestId('table.comment').fill('demo');
  await expect.poll(() => app.script()).toContain('\tcomment "demo"\n');
  const afterForm = await app.script();
  // a text edit
  await typeAtEndOfLine(page, 'ct state invalid drop', ' comment "t');
  await expect.poll(() => app.script()).toContain('ct state invalid drop comment "t"');
  const afterText = await app.script();

  await page.getByTestId('app.undo').click();
  await expect.poll(() => app.script()).toBe(afterForm);
  await page.getByTestId('app.undo').click();
  await expect.poll(() => app.script()).toBe(WIKI);
  await page.getByTestId('app.redo').click();
  await expect.poll(() => app.script()).toBe(afterForm);
  // keyboard shortcut outside the editor
  await page.getByTestId('navigator').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(() => app.script()).toBe(afterText);
  await page.keyboard.press('Control+Z');
  await expect.poll(() => app.script()).toBe(afterForm);
  // the preview shows the undone state
  await expect(app.editor()).not.toContainText('comment "t"');
});
