/**
 * Journeys 3 and 4: typing in the preview updates the forms once the text
 * parses, while a syntax error shows a marker and changes nothing; undo and
 * redo walk back and forth across form and text edits. Then the text sync:
 * the canonical form replaces typed text when the editor is left, with the
 * markers, the highlight and click-to-select on the right lines before and
 * after; and typed text that does not parse is never lost to a form change.
 */
import type { Page } from '@playwright/test';
import { TEMPLATES } from '../src/templates/catalog.ts';
import { designed, expect, test } from './fixtures.ts';

const WIKI = TEMPLATES[0].text;

/** The editor's rendered lines, top to bottom, trimmed (Monaco draws tabs as spaces). */
async function editorLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll<HTMLElement>('[data-testid="preview"] .view-lines .view-line')];
    return lines
      .map((l) => ({ top: parseFloat(l.style.top), text: (l.textContent ?? '').replace(/\u00a0/g, ' ').trim() }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
}

/** The text of each rendered line that carries a decoration with this class (a marker's squiggle, the selection). */
async function decoratedLines(page: Page, cls: string): Promise<string[]> {
  return page.evaluate((c) => {
    const root = document.querySelector('[data-testid="preview"] .monaco-editor');
    if (!root) return [];
    const byTop = new Map<string, string>();
    for (const l of root.querySelectorAll<HTMLElement>('.view-lines .view-line')) byTop.set(l.style.top, (l.textContent ?? '').replace(/\u00a0/g, ' ').trim());
    const out = new Set<string>();
    for (const d of root.querySelectorAll<HTMLElement>(`.view-overlays .${c}`)) out.add(byTop.get((d.parentElement as HTMLElement).style.top) ?? `? ${d.parentElement?.style.top}`);
    return [...out].sort();
  }, cls);
}

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
  // the typed text has been parsed and linted (its error is counted) and the design is as it was
  await expect(page.getByTestId('diagnostics.summary')).toContainText('1 error,');
  expect(await app.script()).toBe(before);
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
  await expect.poll(() => app.script()).toBe(designed(WIKI));
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

test('typed text with another line count: markers and click-to-select follow it, and leaving the editor shows the canonical form', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await app.waitForEditor();
  const synproxyLine = 'tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm';
  // the linter's notes on the synproxy rule
  await expect.poll(() => decoratedLines(page, 'squiggly-info')).toEqual([synproxyLine]);

  // a set written on one line, and two blank lines: nft writes it over four lines and one blank line
  await page.locator('[data-testid="preview"] .view-line', { hasText: 'table ip anon_synproxy_demo {' }).click();
  await page.keyboard.press('End');
  await page.keyboard.insertText('\n\tset blocked { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }\n\n');
  await expect.poll(() => app.script()).toContain('\tset blocked {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1, 10.0.0.2 }\n\t}\n\n\tchain PRE {');
  // the editor keeps what the user typed while they are in it
  const typed = await editorLines(page);
  expect(typed.slice(0, 7)).toEqual(['table ip anon_synproxy_demo', 'delete table ip anon_synproxy_demo', 'table ip anon_synproxy_demo {', 'set blocked { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }', '', '', 'chain PRE {']);
  // the linter has seen the new design (it notes the unused set in the panel, open on its first tab) ...
  await expect(page.getByTestId('diagnostics')).toContainText('blocked');
  expect(await editorLines(page)).toEqual(typed);
  // ... and its notes, in the emitted text's lines, sit on the synproxy rule in the user's text (the set's own lines have no counterpart yet)
  await expect.poll(() => decoratedLines(page, 'squiggly-info')).toEqual([synproxyLine]);
  // mapping the notes did not replace what the user typed
  expect(await editorLines(page)).toEqual(typed);
  // clicking a line of the user's text selects the node on that line
  await page.locator('[data-testid="preview"] .view-line', { hasText: 'ct state invalid drop' }).click();
  const rs = await app.ruleset();
  const invalidDrop = rs.tables[0].chains[1].rules[1].id;
  await expect.poll(() => page.evaluate(() => window.__nftd?.selectedId())).toBe(invalidDrop);
  await expect.poll(() => decoratedLines(page, 'nft-preview-selected')).toEqual(['ct state invalid drop']);

  // leaving the editor: the canonical form takes the typed text's place
  await page.getByTestId('navigator').click({ position: { x: 5, y: 5 } });
  const script = await app.script();
  const canonical = script.split('\n').map((l) => l.trim());
  await expect.poll(async () => (await editorLines(page)).join('\n')).toBe(canonical.join('\n'));
  expect(await editorLines(page)).not.toEqual(typed);
  await expect.poll(() => decoratedLines(page, 'squiggly-info')).toEqual(['set blocked {', synproxyLine]);
  await expect.poll(() => decoratedLines(page, 'nft-preview-selected')).toEqual(['ct state invalid drop']);
  // click-to-select on the canonical lines
  await page.locator('[data-testid="preview"] .view-line', { hasText: 'tcp flags syn notrack' }).click();
  await expect.poll(() => page.evaluate(() => window.__nftd?.selectedId())).toBe(rs.tables[0].chains[0].rules[0].id);
  await page.locator('[data-testid="preview"] .view-line', { hasText: 'elements = { 10.0.0.1, 10.0.0.2 }' }).click();
  await expect.poll(() => page.evaluate(() => window.__nftd?.selectedId())).toBe(rs.tables[0].sets[0].id);
  await expect.poll(() => decoratedLines(page, 'nft-preview-selected')).toEqual(['set blocked {', 'type ipv4_addr', 'elements = { 10.0.0.1, 10.0.0.2 }', '}'].sort());
});

test('typed text that does not parse survives a form change, with a banner, until it is discarded', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await app.waitForEditor();
  await typeAtEndOfLine(page, 'tcp flags syn notrack', ' bogus');
  await expect(page.locator('[data-testid="preview"] .squiggly-error').first()).toBeVisible();
  await expect(page.getByTestId('preview.unparsed')).toHaveCount(0);

  // into the forms: the editor keeps the text and says why
  await page.getByTestId('nav.table.anon_synproxy_demo').click();
  await expect(page.getByTestId('preview.unparsed')).toContainText('does not parse yet');
  await page.getByTestId('table.comment').fill('demo');
  await expect.poll(() => app.script()).toContain('\tcomment "demo"\n');
  await expect(page.getByTestId('preview.unparsed')).toContainText('The design has changed since');
  // the preview panel has the new design's text (its line count is the new one), and still shows the user's
  const lines = (await app.script()).split('\n').length - 1;
  await expect(page.getByText(`${lines} lines · edit here or in the forms`)).toBeVisible();
  await expect(app.editor()).toContainText('tcp flags syn notrack bogus');
  await expect(app.editor()).not.toContainText('comment "demo"');
  await expect(page.locator('[data-testid="preview"] .squiggly-error').first()).toBeVisible();

  // only an explicit discard drops it
  await page.getByTestId('preview.discardEdit').click();
  await expect(page.getByTestId('preview.unparsed')).toHaveCount(0);
  await expect(app.editor()).toContainText('comment "demo"');
  await expect(app.editor()).not.toContainText('bogus');
  await expect(page.locator('[data-testid="preview"] .squiggly-error')).toHaveCount(0);
  expect((await editorLines(page)).join('\n')).toBe((await app.script()).split('\n').map((l) => l.trim()).join('\n'));
});
