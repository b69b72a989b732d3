/**
 * Shared pieces of the journeys: a fresh app per test (empty storage), the
 * in-page test API (window.__nftd: what the preview shows, the design as data),
 * and page helpers named after what a person does.
 */
import { expect, test as base, type Page } from '@playwright/test';
import type { Ruleset } from '../src/model/types.ts';

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
