/**
 * The layout on a projector and in a zoomed browser: 1280×720 at 100 %, 150 %
 * and 200 % zoom (853×480 and 640×360 CSS px). The app bar shows words where
 * there is room and folds the rest into "More"; presenter mode makes the type
 * larger and the contrast higher and is remembered; splitters resize the panes
 * (keyboard too) and the sizes are remembered; the hook map fills the window
 * and comes back; an empty design welcomes, with a tour.
 */
import type { Page } from '@playwright/test';
import { expect, outsideOf, test, truncatedSelects } from './fixtures.ts';

const ZOOMS = [
  { name: '100 %', width: 1280, height: 720, scale: 1 },
  { name: '150 %', width: 853, height: 480, scale: 1.5 },
  { name: '200 %', width: 640, height: 360, scale: 2 },
] as const;

/**
 * Nothing is cut off: every visible control of the app bar, the tab bar and the
 * pane headers lies inside the viewport, and no pane scrolls sideways (what
 * does not fit must wrap, fold into a menu, or scroll down).
 */
async function expectNothingCutOff(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const name = (el: Element): string => el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30);
    const visible = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
    };
    const fixed = document.querySelectorAll('header button, header input, header select, [role="tablist"] [role="tab"], [data-testid="bottom.toggle"], [role="separator"], [data-testid="preview.wrap"]');
    for (const el of fixed) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      // a tab list scrolls sideways by design: its tabs must be inside the list's own box
      const box = el.getAttribute('role') === 'tab' ? (el.parentElement as Element).getBoundingClientRect() : { left: 0, right: vw, top: 0, bottom: vh };
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < -0.5 || r.bottom > vh + 0.5) out.push(`${name(el)} at ${Math.round(r.left)}..${Math.round(r.right)} × ${Math.round(r.top)}..${Math.round(r.bottom)} (viewport ${vw}×${vh})`);
    }
    for (const id of ['navigator', 'formPanel']) {
      const el = document.querySelector(`[data-testid="${id}"]`);
      if (el && visible(el) && el.scrollWidth > el.clientWidth + 1) out.push(`${id} scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const main = document.querySelector('main');
    if (main && main.scrollWidth > main.clientWidth + 1) out.push(`the workspace is wider than the window: ${main.scrollWidth} > ${main.clientWidth}`);
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
    return out;
  });
  expect(problems).toEqual([]);
}

/** Click an item of the navigator, which may be folded into a rail (presenter mode below 1000 px, any mode below 600): open it, click, close it. */
async function inNavigator(page: Page, testId: string): Promise<void> {
  const rail = page.getByTestId('nav.rail');
  // after a reload: wait for the workspace (the rail or the item) before deciding
  await expect(rail.or(page.getByTestId(testId)).first()).toBeVisible();
  const folded = await rail.isVisible();
  if (folded && (await rail.getAttribute('aria-expanded')) !== 'true') await rail.click();
  await page.getByTestId(testId).click();
  if (folded) await rail.click();
}

/** The open form fits its pane: nothing scrolls sideways, no control sticks out past its right edge, no select cuts its value or label. */
async function expectFormFits(page: Page): Promise<void> {
  await expectNothingCutOff(page);
  expect(await outsideOf(page, '[data-testid="formPanel"]'), 'controls outside the form pane').toEqual([]);
  expect(await truncatedSelects(page), 'selects that cut their value').toEqual([]);
}

async function editorFontSize(page: Page): Promise<number> {
  const line = page.locator('[data-testid="preview"] .view-lines').first();
  await expect(line).toBeVisible({ timeout: 20_000 });
  return line.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test('the app bar at 1280×720 shows the main actions with their words; More holds the rest', async ({ app, page }) => {
  await app.open();
  for (const [id, words] of [
    ['app.templates', 'Templates'],
    ['app.wizard', 'Wizard'],
    ['app.import', 'Import'],
    ['app.export', 'Export'],
    ['app.compare', 'Compare'],
    // ~110 px were free beside it: the width estimate was too cautious
    ['app.share', 'Share'],
  ] as const) {
    await expect(page.getByTestId(id)).toBeVisible();
    await expect(page.getByTestId(id)).toContainText(words);
  }
  await page.getByTestId('app.more').click();
  await expect(page.getByRole('menu', { name: 'More' })).toBeVisible();
  await expect(page.getByTestId('app.labreport')).toBeVisible();
  await expect(page.getByTestId('app.tour')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expectNothingCutOff(page);
});

for (const z of ZOOMS) {
  test(`presenter mode at ${z.name}: larger type, high contrast, nothing cut off, every action reachable`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: z.width, height: z.height }, deviceScaleFactor: z.scale });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await expect(page.getByTestId('app.templates')).toBeVisible();
    await page.getByTestId('app.templates').click();
    await page.getByTestId('template.synproxy-anonymous.open').click();
    await page.getByTestId('nav.chain.IN').click();
    const before = await editorFontSize(page);
    await expectNothingCutOff(page);
    // a narrow preview wraps its long lines unless the person chose otherwise; a wide one scrolls
    await expect(page.getByTestId('preview.wrap')).toBeChecked({ checked: z.width < 1000 });

    await page.getByTestId('app.presenter').or(page.getByTestId('app.more')).first().click();
    if (await page.getByRole('menu').isVisible()) await page.getByTestId('app.presenter').click();
    await expect.poll(() => editorFontSize(page)).toBeGreaterThanOrEqual(before + 4);
    // the forms are larger: the chain name field is drawn bigger than before
    const zoom = await page.getByTestId('formPanel').evaluate((el) => {
      let z = 1;
      for (let e: Element | null = el; e; e = e.parentElement) z *= parseFloat(getComputedStyle(e).zoom || '1');
      return z;
    });
    expect(zoom).toBeGreaterThan(1.1);
    // the larger type wraps long preview lines ("… policy drop;" was cut at column 45 at 1280 px)
    await expect(page.getByTestId('preview.wrap')).toBeChecked();
    // the rule form fits its pane: the navigator folds away below 1000 px, fields shrink and wrap
    await inNavigator(page, 'nav.chain.IN');
    await page.getByTestId('rules.open.0').click();
    await expect(page.getByTestId('form.rule')).toBeVisible();
    await expectFormFits(page);
    // the heading keeps whole words on a line ("rule 1 of chain IN" was one word per line at 200 %)
    const lines = await page
      .getByTestId('form.rule')
      .getByRole('heading')
      .first()
      .evaluate((h) => Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)));
    expect(lines).toBeLessThanOrEqual(2);
    // the preview keeps room: at least 260 CSS px, and a rule's line shows a few words per row, not 6 to 8 characters
    expect(await page.getByTestId('preview').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(260);
    const rows = (await page.locator('[data-testid="preview"] .view-line').allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' '));
    expect(rows.some((t) => t.includes('type filter hook')), rows.join('|')).toBe(true);
    await inNavigator(page, 'nav.chain.IN');
    // high contrast: the page background is pure white (light theme)
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(255, 255, 255)');
    await expectNothingCutOff(page);
    // every action of the app bar is on the bar or in More
    for (const id of ['app.templates', 'app.wizard', 'app.import', 'app.export', 'app.compare', 'app.share', 'app.help', 'app.designs']) {
      if (await page.getByTestId(id).isVisible()) continue;
      await page.getByTestId('app.more').click();
      await expect(page.getByRole('menu').getByTestId(id)).toBeVisible();
      await page.keyboard.press('Escape');
    }
    await page.screenshot({ path: `test-results/screens/presenter-${z.width}.png` });

    // remembered: after a reload, still in presenter mode
    await page.reload();
    await inNavigator(page, 'nav.chain.IN');
    await expect.poll(() => editorFontSize(page)).toBeGreaterThanOrEqual(before + 4);

    // the dark theme in presenter mode: black background
    await page.getByTestId('app.theme').click();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(0, 0, 0)');
    await expectNothingCutOff(page);
    await page.screenshot({ path: `test-results/screens/presenter-dark-${z.width}.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
}

for (const z of [ZOOMS[0], ZOOMS[2]]) {
  test(`at ${z.name} every tab of the bottom panel stays inside the tab list while the hook map shows its "Full window" button`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: z.width, height: z.height }, deviceScaleFactor: z.scale });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByTestId('navigator')).toBeVisible();
    await page.getByTestId('tab.hookmap').click();
    await expect(page.getByTestId('hookmap.maximize')).toBeVisible();
    const boxes = await page.evaluate(() => {
      const list = document.querySelector('[role="tablist"][aria-label="Bottom panel"]')!;
      const l = list.getBoundingClientRect();
      const r = (id: string) => document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
      return {
        list: { left: l.left, right: l.right, scrolls: list.scrollWidth > list.clientWidth },
        tabs: ['tab.diagnostics', 'tab.hookmap', 'tab.lessons', 'tab.trace'].map((id) => ({ id, left: r(id).left, right: r(id).right })),
        buttons: ['hookmap.maximize', 'bottom.toggle'].map((id) => ({ id, right: r(id).right })),
        vw: document.documentElement.clientWidth,
      };
    });
    // the tab list does not scroll: all four tabs are whole inside it (tab.trace ended at 597 in a list ending at 566)
    expect(boxes.list.scrolls).toBe(false);
    for (const t of boxes.tabs) {
      expect(t.left, t.id).toBeGreaterThanOrEqual(boxes.list.left - 0.5);
      expect(t.right, t.id).toBeLessThanOrEqual(boxes.list.right + 0.5);
    }
    for (const b of boxes.buttons) expect(b.right, b.id).toBeLessThanOrEqual(boxes.vw + 0.5);
    await expectNothingCutOff(page);
    await context.close();
  });
}

test('splitters resize the panes with the keyboard and the pointer, and the sizes are remembered', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('workstation');
  const width = (id: string) => page.getByTestId(id).evaluate((el) => el.getBoundingClientRect().width);
  const preview0 = await width('preview');
  const split = page.getByTestId('split.preview');
  await expect(split).toHaveAttribute('role', 'separator');
  await expect(split).toHaveAccessibleName('Resize the script preview');
  await split.focus();
  // the preview is on the right: the left arrow makes it wider
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(() => width('preview')).toBeGreaterThan(preview0 + 100);
  // the pointer: drag the navigator's splitter 80 px to the right
  const nav0 = await width('navigator');
  const box = await page.getByTestId('split.nav').boundingBox();
  if (!box) throw new Error('no navigator splitter');
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + 200, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => width('navigator')).toBeGreaterThan(nav0 + 60);
  const preview1 = await width('preview');
  const nav1 = await width('navigator');
  await page.reload();
  await expect(page.getByTestId('navigator')).toBeVisible();
  await expect.poll(() => width('preview')).toBeCloseTo(preview1, -1);
  expect(Math.abs((await width('navigator')) - nav1)).toBeLessThan(3);
  // the bottom panel's splitter: up makes the panel taller
  const bottom0 = await page.getByTestId('bottom.panel').evaluate((el) => el.getBoundingClientRect().height);
  await page.getByTestId('split.bottom').focus();
  await page.keyboard.press('Shift+ArrowUp');
  await expect.poll(() => page.getByTestId('bottom.panel').evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(bottom0 + 50);
  // a double click gives the default back
  await page.getByTestId('split.preview').dblclick();
  await expect.poll(() => width('preview')).toBeLessThan(preview1 - 50);
});

test('the hook map fills the whole window and comes back with Esc; Ctrl+Alt+H toggles it', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await page.getByTestId('tab.hookmap').click();
  await page.getByTestId('hookmap.maximize').click();
  const full = page.getByTestId('hookmap.full');
  await expect(full).toBeVisible();
  const box = await full.boundingBox();
  expect(box).toMatchObject({ x: 0, y: 0, width: 1280, height: 720 });
  await expect(full).toContainText('prerouting');
  await expect(full).toContainText('PRE');
  await page.keyboard.press('Escape');
  await expect(full).toHaveCount(0);
  await expect(page.getByTestId('tab.hookmap')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('nav.chain.IN').click();
  await page.keyboard.press('Control+Alt+H');
  await expect(full).toBeVisible();
  await page.getByTestId('hookmap.restore').click();
  await expect(full).toHaveCount(0);
});

test('an empty design welcomes: three starts, the tour, lessons and help', async ({ app, page }) => {
  await app.open();
  const welcome = page.getByTestId('welcome');
  await expect(welcome).toContainText('Welcome to nft-designer');
  for (const [id, dialog] of [
    ['welcome.templates', /Templates/],
    ['welcome.wizard', /[Ss]ynproxy/],
    ['welcome.import', /Import/],
  ] as const) {
    await page.getByTestId(id).click();
    await expect(page.getByRole('dialog').first()).toBeVisible();
    await expect(page.getByRole('dialog').first()).toContainText(dialog);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
  // the tour: one stop per pane, with a ring around it
  await page.getByTestId('welcome.tour').click();
  const tour = page.getByRole('dialog', { name: 'The app bar' });
  await expect(tour).toBeVisible();
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const title = await page.locator('#tour-title').innerText();
    seen.push(title);
    await expect(page.getByTestId('tour.ring')).toBeVisible();
    // (textContent: the button's text is drawn in capitals)
    if ((await page.getByTestId('tour.next').textContent()) === 'Done') break;
    await page.getByTestId('tour.next').click();
  }
  expect(seen).toEqual(['The app bar', 'The navigator', 'The form', 'The nft script', 'Diagnostics, hook map, lessons']);
  await page.getByTestId('tour.next').click();
  await expect(page.getByTestId('tour')).toHaveCount(0);
  // lessons open in the bottom panel
  await page.getByTestId('welcome.lessons').click();
  await expect(page.getByTestId('tab.lessons')).toHaveAttribute('aria-selected', 'true');
  // a second visit to an empty design does not say welcome again, but still offers the starts
  await page.reload();
  await expect(welcome).toContainText('An empty design');
  await expect(page.getByTestId('welcome.templates')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/welcome.png' });
});
