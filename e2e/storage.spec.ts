/**
 * Designs of any size are saved (IndexedDB, deflated): a 50,000-rule design
 * saves and opens again after a reload; designs an earlier version saved in
 * localStorage move into IndexedDB; when the browser has no room left the app
 * says so in words, offers a copy, and the previous save is what opens next.
 */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { parse } from '../src/parse/index.ts';
import { TEMPLATES } from '../src/templates/catalog.ts';
import { designed, App, expect, STORAGE_KEYS, test } from './fixtures.ts';

declare global {
  interface Window {
    /** set by the quota test: every write to IndexedDB fails as on a full disk */
    __quotaFull?: boolean;
  }
}

/** serious or critical axe findings inside the save-error notice */
async function noticeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).include('[data-testid="save.error"]').analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

function bigScript(rules: number): string {
  const lines = ['table inet big {', '\tchain input {', '\t\ttype filter hook input priority filter; policy drop;'];
  for (let i = 0; i < rules; i++) lines.push(`\t\tip saddr 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} tcp dport ${1 + (i % 65000)} accept`);
  lines.push('\t}', '}', '');
  return lines.join('\n');
}

test('a 50,000-rule design saves, and opens again after a reload', async ({ app, page }) => {
  test.setTimeout(90_000);
  // the deflating runs in our own module worker, which the built site's CSP allows (worker-src 'self')
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await app.open();
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.file').setInputFiles({ name: 'big.nft', mimeType: 'text/plain', buffer: Buffer.from(bigScript(50_000)) });
  await expect(page.getByTestId('import.ok')).toContainText('50000 rules', { timeout: 30_000 });
  await page.getByTestId('import.asNew').click();
  await expect.poll(() => app.stored(), { timeout: 30_000 }).toMatchObject({ name: 'big' });

  // an autosave of the big design: how long it takes and how long the main thread is held at most
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
  const before = await app.stored();
  const t0 = Date.now();
  await page.getByTestId('design.name').fill('big, renamed');
  await expect.poll(() => app.stored(), { timeout: 30_000, intervals: [100] }).toMatchObject({ name: 'big, renamed' });
  const saveMs = Date.now() - t0;
  const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
  const after = await app.stored();
  expect(after?.id).toBe(before?.id);
  expect(workers.filter((u) => u.includes('codec.worker'))).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  // the flush when the tab is hidden or closed compresses on the main thread at once: how long does it hold it?
  await page.getByTestId('design.name').fill('big, flushed');
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await expect.poll(() => app.stored(), { timeout: 30_000, intervals: [100] }).toMatchObject({ name: 'big, flushed' });
  const spans = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('measure').filter((m) => m.name.startsWith('nftd.save.')).map((m) => [m.name, Math.round(m.duration)])));
  expect(Object.keys(spans)).toEqual(expect.arrayContaining(['nftd.save.json', 'nftd.save.deflate-worker', 'nftd.save.write', 'nftd.save.now']));
  test.info().annotations.push({
    type: 'figures',
    description: `50,000 rules: ${after?.bytes} bytes stored; autosave written ${saveMs} ms after the rename (800 ms debounce included), longest main-thread task meanwhile ${Math.round(longest)} ms; last spans (ms): ${JSON.stringify(spans)}`,
  });
  console.log(test.info().annotations.at(-1)?.description);

  await page.reload();
  await expect(page.getByTestId('design.name')).toHaveValue('big, flushed', { timeout: 30_000 });
  const rules = await page.evaluate(() => window.__nftd?.ruleset().tables[0].chains[0].rules.length);
  expect(rules).toBe(50_000);
  const last = await page.evaluate(() => {
    const r = window.__nftd?.ruleset().tables[0].chains[0].rules.at(-1);
    return JSON.stringify(r?.stmts);
  });
  expect(last).toContain('10.0.195.79');
});

test('the last change before the tab is reloaded or closed is kept (written on leaving, not lost to the debounce)', async ({ app, page, context }) => {
  await app.open();
  await app.openTemplate('synproxy-named');
  await expect.poll(() => app.stored()).toMatchObject({ names: expect.arrayContaining([expect.any(String)]) });
  // well inside the autosave's quiet time: only the flush on leaving can save these
  await page.getByTestId('design.name').fill('renamed, then reloaded');
  await page.reload();
  await expect(page.getByTestId('design.name')).toHaveValue('renamed, then reloaded');
  await page.getByTestId('design.name').fill('renamed, then closed');
  await page.close();
  const again = new App(await context.newPage());
  await again.open();
  await expect(again.page.getByTestId('design.name')).toHaveValue('renamed, then closed');
  expect(await again.script()).toBe(designed(TEMPLATES[1].text));
});

test('a design an earlier version saved in localStorage moves into IndexedDB and opens', async ({ app, page }) => {
  const id = 'dlegacy01';
  const name = 'from localStorage';
  const saved = JSON.stringify({ format: 1, name, ruleset: parse(TEMPLATES[1].text).ruleset, savedAt: 1_700_000_000_000 });
  const index = JSON.stringify({ format: 1, current: id, designs: [{ id, name, updatedAt: 1_700_000_000_000 }] });
  // what the old version left behind, in place before the app starts (once: the reload below must not seed it again)
  await page.addInitScript(
    ({ k, id, saved, index }) => {
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem(k.design + id, saved);
      localStorage.setItem(k.index, index);
    },
    { k: STORAGE_KEYS, id, saved, index },
  );
  await app.open();
  await expect(page.getByTestId('design.name')).toHaveValue(name);
  expect(await app.script()).toBe(TEMPLATES[1].text);
  expect(await app.stored()).toMatchObject({ id, name, names: [name] });
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('nftd.design')))).toEqual([]);
  await page.reload();
  await expect(page.getByTestId('design.name')).toHaveValue(name);
  expect(await app.script()).toBe(TEMPLATES[1].text);
});

test('with no room left the app says so, offers a copy, and the previous save opens after a reload', async ({ app, page }) => {
  // a full disk: IndexedDB refuses every write while the flag is set (it is not set again after the reload)
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (window.__quotaFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await app.open();
  await app.openTemplate('synproxy-named');
  await page.getByTestId('design.name').fill('kept');
  await expect.poll(() => app.stored()).toMatchObject({ name: 'kept' });

  await page.evaluate(() => (window.__quotaFull = true));
  await page.getByTestId('design.name').fill('changes not saved');
  const alert = page.getByTestId('save.error');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('This browser has no room left to save your design');
  await expect(alert).toContainText('that last save is kept as it was');
  await expect(alert).not.toContainText('QuotaExceededError');
  await expect(alert.getByRole('button', { name: 'Manage designs' })).toBeVisible();

  mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: 'test-results/screens/quota-light.png' });
  expect(await noticeViolations(page), 'light theme').toEqual([]);
  await page.getByTestId('app.theme').click();
  await expect(page.getByTestId('app.theme')).toHaveAccessibleName('Light theme');
  await page.screenshot({ path: 'test-results/screens/quota-dark.png' });
  expect(await noticeViolations(page), 'dark theme').toEqual([]);

  const download = page.waitForEvent('download');
  await alert.getByRole('button', { name: 'Download a copy' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('changes-not-saved.nft');
  const body = Buffer.concat(await (await file.createReadStream()).toArray()).toString();
  expect(body).toBe(designed(TEMPLATES[1].text));

  await page.reload();
  await expect(page.getByTestId('design.name')).toHaveValue('kept');
  expect(await app.script()).toBe(designed(TEMPLATES[1].text));
  await expect(page.getByTestId('save.error')).toHaveCount(0);
});
