/**
 * Journeys 5, 6 and 7: the design survives a reload (and a corrupt save is
 * recovered with a notice), a share link opens the same design in a fresh
 * browser context, and a broken import leaves the design unchanged.
 */
import { deflateSync } from 'node:zlib';
import { TEMPLATES } from '../src/templates/catalog.ts';
import { designed, expect, STORAGE_KEYS, test } from './fixtures.ts';

test('5. reload keeps the design; a corrupt save is recovered with a notice', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-named');
  await page.getByTestId('design.name').fill('my named synproxy');
  const before = await app.script();
  expect(before).toBe(designed(TEMPLATES[1].text));
  // autosave is debounced and asynchronous: wait until IndexedDB has it
  await expect.poll(() => app.stored()).toMatchObject({ name: 'my named synproxy' });
  await page.reload();
  await expect(page.getByTestId('design.name')).toHaveValue('my named synproxy');
  expect(await app.script()).toBe(before);

  // corrupt the saved copy of the current design while the app is not running
  // (on a page of the same site without the app), then load the app again
  const broken = deflateSync(Buffer.from('{"format":1,"name":"broken","ruleset":{"schema":1,"tables":[{"family":"ipx"'));
  await page.goto('/agent/README.md');
  await page.evaluate(
    ({ k, bytes }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(k.db);
        open.onsuccess = () => {
          const t = open.result.transaction(k.store, 'readwrite');
          const s = t.objectStore(k.store);
          s.get(k.index).onsuccess = (e) => {
            const current = ((e.target as IDBRequest).result as { current: string }).current;
            s.get(k.design + current).onsuccess = (g) => {
              const v = (g.target as IDBRequest).result as { deflated: Uint8Array };
              s.put({ ...v, deflated: new Uint8Array(bytes) }, k.design + current);
            };
          };
          t.oncomplete = () => resolve();
          t.onabort = () => reject(t.error);
        };
        open.onerror = () => reject(open.error);
      }),
    { k: STORAGE_KEYS, bytes: [...broken] },
  );
  await page.goto('/');
  await expect(page.getByTestId('recovery.notice')).toBeVisible();
  await page.getByTestId('recovery.notice').getByRole('button', { name: 'Show' }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('recovery.download').first().click();
  const file = await download;
  const raw = await (await file.createReadStream()).toArray();
  expect(Buffer.concat(raw).toString()).toContain('"name":"broken"');
});

test('6. a share link opens the same design in a fresh browser context', async ({ app, page, browser }) => {
  await app.open();
  await app.openTemplate('webserver');
  const script = await app.script();
  await page.getByTestId('app.share').click();
  const link = await page.getByTestId('share.link').inputValue();
  expect(link).toContain('#share=v1.');

  const other = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const p2 = await other.newPage();
  await p2.goto(link);
  await expect(p2.getByTestId('notice')).toContainText('Opened the shared design');
  expect(await p2.evaluate(() => window.__nftd?.script())).toBe(script);
  // the fragment is gone from the address bar once opened
  expect(new URL(p2.url()).hash).toBe('');
  await other.close();
});

test('6b. a tampered share link is refused with a reason', async ({ app, page }) => {
  await app.open('/#share=v1.bm90LWRlZmxhdGU');
  await expect(page.getByTestId('notice')).toContainText('Could not open the share link');
});

test('7. a broken import file shows the error with its line and leaves the design unchanged', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  const before = await app.script();
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.file').setInputFiles({
    name: 'broken.nft',
    mimeType: 'text/plain',
    buffer: Buffer.from('table inet fw {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 acept\n\t}\n}\n'),
  });
  await expect(page.getByTestId('import.errors')).toContainText('line 4, column 16: unknown statement "acept"');
  await expect(page.getByTestId('import.replace')).toBeDisabled();
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(await app.script()).toBe(before);
});

test('7b. importing replaces the design only after agreeing, and undo brings it back', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  const before = await app.script();
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.text').fill(TEMPLATES[2].text);
  await expect(page.getByTestId('import.ok')).toContainText('1 table,');
  await page.getByTestId('import.replace').click();
  expect(await app.script()).toBe(before);
  await page.getByTestId('import.confirm').click();
  expect(await app.script()).toBe(designed(TEMPLATES[2].text));
  await page.getByTestId('app.undo').click();
  expect(await app.script()).toBe(before);
});
