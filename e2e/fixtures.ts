/**
 * Shared pieces of the journeys: a fresh app per test (empty storage), the
 * in-page test API (window.__nftd: what the preview shows, the design as data),
 * and page helpers named after what a person does.
 */
import { expect, test as base, type Page } from '@playwright/test';
import { withDefaultPreamble, type Ruleset } from '../src/model/types.ts';
import { emit } from '../src/emit/index.ts';
import { parse } from '../src/parse/index.ts';
import { DB_NAME, DESIGN_PREFIX, INDEX_KEY, STORE_NAME } from '../web/store/keys.ts';

/**
 * The script the app shows for `text` opened as a new design (a template, an
 * import): with the default preamble, "replace only these tables".
 */
export function designed(text: string): string {
  return emit(withDefaultPreamble(parse(text).ruleset)).text;
}

/** What `nft list ruleset` prints after loading `script`: the script without its replace preamble. */
export function listingOf(script: string): string {
  return script.replace(/^(delete )?table (ip6?|inet|arp|bridge|netdev) \S+\n/gm, '');
}

/** Where the app stores designs (IndexedDB), for tests that read or seed it in the page. */
export const STORAGE_KEYS = { db: DB_NAME, store: STORE_NAME, index: INDEX_KEY, design: DESIGN_PREFIX };

/** The open design as IndexedDB holds it. */
export interface StoredDesign {
  id: string;
  name: string;
  savedAt: number;
  /** size of the deflated design */
  bytes: number;
  /** names in the stored list, in its order */
  names: string[];
}

export const test = base.extend<{ app: App }>({
  app: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:')) errors.push(`request to another origin: ${u}`);
    });
    const app = new App(page);
    await use(app);
    expect(errors, 'page errors and foreign requests').toEqual([]);
  },
});
export { expect };

/** The open dialog fits a screen `width` CSS pixels wide: nothing of it is cut off at the side, nothing scrolls sideways. */
export async function expectDialogFitsWidth(page: Page, width: number): Promise<void> {
  const box = await page.getByRole('dialog').boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
  const inner = await page.getByRole('dialog').evaluate((d) => d.scrollWidth - d.clientWidth);
  expect(inner).toBeLessThanOrEqual(0);
}

export class App {
  constructor(readonly page: Page) {}

  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByTestId('navigator')).toBeVisible();
  }

  /** the script the preview shows (from the in-page API, so it is complete) */
  script(): Promise<string> {
    return this.page.evaluate(() => window.__nftd?.script() ?? Promise.resolve(''));
  }

  ruleset(): Promise<Ruleset> {
    return this.page.evaluate(() => window.__nftd?.ruleset() as Ruleset);
  }

  /** the open design as saved in IndexedDB (read in the page; call it once the app has opened, which creates the database) */
  stored(): Promise<StoredDesign | null> {
    return this.page.evaluate(
      (k) =>
        new Promise<StoredDesign | null>((resolve, reject) => {
          const open = indexedDB.open(k.db);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const s = db.transaction(k.store).objectStore(k.store);
            const ix = s.get(k.index);
            ix.onsuccess = () => {
              const index = ix.result as { current: string | null; designs: { name: string }[] } | undefined;
              if (!index?.current) {
                db.close();
                resolve(null);
                return;
              }
              const id = index.current;
              const g = s.get(k.design + id);
              g.onsuccess = () => {
                const v = g.result as { name: string; savedAt: number; deflated: Uint8Array } | undefined;
                db.close();
                resolve(v ? { id, name: v.name, savedAt: v.savedAt, bytes: v.deflated.byteLength, names: index.designs.map((d) => d.name) } : null);
              };
            };
          };
        }),
      STORAGE_KEYS,
    );
  }

  async openTemplate(id: string): Promise<void> {
    await this.page.getByTestId('app.templates').click();
    await this.page.getByTestId(`template.${id}.open`).click();
    await expect(this.page.getByTestId('navigator')).toContainText('table');
  }

  /** the Monaco editor of the preview, once loaded */
  editor() {
    return this.page.locator('[data-testid="preview"] .monaco-editor').first();
  }

  async waitForEditor(): Promise<void> {
    await expect(this.editor()).toBeVisible({ timeout: 20_000 });
  }

  /** text of the lines Monaco renders (the visible part of the preview) */
  async visiblePreviewText(): Promise<string> {
    return (await this.page.locator('[data-testid="preview"] .view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  async diagnosticsSummary(): Promise<string> {
    await this.page.getByTestId('tab.diagnostics').click();
    return this.page.getByTestId('diagnostics.summary').innerText();
  }
}

/**
 * Selects in `scope` whose shown value (or label) is cut: a native select's
 * chosen option measured in its own font against the room beside its arrow
 * (a native select's scrollWidth does not grow with its text); an MUI select's
 * display element by scrollWidth against clientWidth; a field's floating label
 * by the same. Empty when every value and label is shown whole.
 */
export async function truncatedSelects(page: Page, scope = '[data-testid="formPanel"]'): Promise<string[]> {
  return page.evaluate((scope) => {
    const out: string[] = [];
    const root = document.querySelector(scope);
    if (!root) return [`no ${scope}`];
    const ctx = document.createElement('canvas').getContext('2d')!;
    const shown = (el: Element): boolean => el.getBoundingClientRect().width > 0;
    for (const el of root.querySelectorAll('select')) {
      if (!shown(el) || !el.selectedOptions[0]) continue;
      const s = getComputedStyle(el);
      ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      const text = el.selectedOptions[0].text;
      const need = ctx.measureText(text).width;
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      if (need > room + 0.5) out.push(`${el.getAttribute('data-testid')}: "${text}" needs ${Math.round(need)} px, has ${Math.round(room)}`);
    }
    for (const el of root.querySelectorAll('.MuiSelect-select')) {
      if (shown(el) && el.scrollWidth > el.clientWidth + 1) out.push(`${el.getAttribute('data-testid')}: "${el.textContent}" ${el.scrollWidth} > ${el.clientWidth}`);
    }
    for (const el of root.querySelectorAll('label.MuiInputLabel-root')) {
      if (shown(el) && el.scrollWidth > el.clientWidth + 1) out.push(`label "${el.textContent}" ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  }, scope);
}

/** Controls in `scope` (its accessibility tree) that share one accessible name with another control of the same role. */
export async function sharedNames(page: Page, scope: string): Promise<string[]> {
  const yaml = await page.locator(scope).ariaSnapshot();
  const seen = new Map<string, number>();
  for (const m of yaml.matchAll(/^\s*- (button|combobox|textbox|checkbox|spinbutton|link) "([^"]*)"/gm)) {
    const k = `${m[1]} "${m[2]}"`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

/** Visible controls in `scope` whose box sticks out past the right edge of `scope`'s own box. */
export async function outsideOf(page: Page, scope: string): Promise<string[]> {
  return page.evaluate((scope) => {
    const box = document.querySelector(scope)?.getBoundingClientRect();
    if (!box) return [`no ${scope}`];
    const out: string[] = [];
    for (const el of document.querySelectorAll(`${scope} button, ${scope} input, ${scope} select, ${scope} h2, ${scope} label`)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (r.right > box.right + 0.5 || r.left < box.left - 0.5) out.push(`${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)} at ${Math.round(r.left)}..${Math.round(r.right)} (pane ${Math.round(box.left)}..${Math.round(box.right)})`);
    }
    return out;
  }, scope);
}
