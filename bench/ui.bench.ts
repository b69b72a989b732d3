/**
 * npm run bench:ui — the app in headless chromium (Debian's), against a blank
 * app on the same stack (React + MUI, built by Vite in the same run) as the
 * reference:
 *   - initial JavaScript before first paint (gzip) and what loads later;
 *   - cold load: first contentful paint (against the blank app) and "editor
 *     visible" (against a page that only loads the app's Monaco build and
 *     creates one editor), medians of runs;
 *   - a 5,000-rule design: time from a keystroke in a rule form to the preview
 *     showing it (median, p95);
 *   - importing a 10,000-rule file (paste → replace → preview updated);
 *   - the lint worker's time on the 5,000-rule design (off the main thread).
 * Figures are printed, not asserted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { generateRuleset } from '../src/testing/generate.ts';
import { initialJs } from '../scripts/initialJs.ts';

const ROOT = process.env.NFTD_ROOT ?? join(import.meta.dirname, '..');
const PORT = 4270; // not on the fetch spec's list of blocked ports (4190 is)
const BLANK_PORT = 4271;
const BARE_PORT = 4272;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}
const ms = (x: number): string => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;

const VITE = join(ROOT, 'node_modules', '.bin', 'vite');

function build(cwd: string, args: string[]): void {
  const r = spawnSync(VITE, ['build', '--logLevel', 'error', ...args], { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed in ${cwd}`);
}

async function serve(dir: string, port: number, cwd = ROOT): Promise<ChildProcess> {
  const p = spawn(VITE, ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dir], { cwd, stdio: process.env.NFTD_BENCH_DEBUG ? 'inherit' : 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok) return p;
      if (process.env.NFTD_BENCH_DEBUG) console.log('status', r.status);
    } catch (e) {
      if (process.env.NFTD_BENCH_DEBUG) console.log('not up', String(e), String((e as { cause?: unknown }).cause));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  p.kill();
  throw new Error(`preview server on ${port} did not start`);
}

/**
 * A reference page built by the same Vite in the same run, under
 * node_modules/.cache (so it resolves the project's own packages): `body` is
 * its HTML body before the script, `files` its source and config by path.
 */
function makeScratchApp(name: string, title: string, body: string, main: string, files: Record<string, string>): { dir: string; dist: string; config: string } {
  const dir = join(ROOT, 'node_modules', '.cache', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="UTF-8" /><title>${title}</title></head><body>${body}<script type="module" src="./src/${main}"></script></body></html>\n`);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  const config = Object.keys(files).find((f) => f.startsWith('vite.config.'));
  if (!config) throw new Error(`${name} has no vite.config`);
  return { dir, dist: join(dir, 'dist'), config: join(dir, config) };
}

/** A blank app on the same stack: React, MUI's CssBaseline and one Button. */
function makeBlankApp(): { dir: string; dist: string; config: string } {
  return makeScratchApp('nftd-blank-app', 'blank', '<div id="root"></div>', 'main.tsx', {
    'src/main.tsx':
      "import { createRoot } from 'react-dom/client';\nimport { Button, CssBaseline, ThemeProvider, createTheme } from '@mui/material';\ncreateRoot(document.getElementById('root') as HTMLElement).render(<ThemeProvider theme={createTheme()}><CssBaseline /><Button variant=\"contained\">Hello</Button></ThemeProvider>);\n",
    'vite.config.mjs': "import react from '@vitejs/plugin-react';\nexport default { plugins: [react()], build: { manifest: true, outDir: 'dist', emptyOutDir: true } };\n",
  });
}

/**
 * The reference for "editor visible": a page that does nothing but load the
 * app's own Monaco build (web/monaco/loadMonaco.ts, with the same stand-ins)
 * and create an editor on a short script. The app cannot show its editor
 * sooner than that; the ratio is what the app adds.
 */
function makeBareEditor(): { dir: string; dist: string; config: string } {
  const at = (...p: string[]): string => JSON.stringify(join(ROOT, 'web', 'monaco', ...p));
  return makeScratchApp('nftd-bare-editor', 'bare editor', '<div id="e" style="width:600px;height:400px"></div>', 'main.ts', {
    'src/main.ts': `import { monaco } from ${at('loadMonaco.ts')};\nimport { LANGUAGE_ID } from ${at('nft', 'nft.ts')};\nmonaco.editor.create(document.getElementById('e') as HTMLElement, { value: 'table inet t {\\n}\\n', language: LANGUAGE_ID, minimap: { enabled: false } });\n`,
    'vite.config.ts': `import { monacoStubFor } from ${at('stubs.ts')};\nexport default { plugins: [{ name: 'stubs', enforce: 'pre', load: (id: string) => monacoStubFor(id) }], build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 }, worker: { format: 'es' } };\n`,
  });
}

async function coldLoad(browser: Browser, url: string, editor: boolean): Promise<{ fcp: number; editor?: number }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await ctx.newPage();
  await page.goto(url);
  let editorMs: number | undefined;
  if (editor) {
    await page.waitForSelector('.monaco-editor', { timeout: 30_000 });
    editorMs = await page.evaluate(() => performance.now());
  }
  const fcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const e = performance.getEntriesByName('first-contentful-paint')[0];
        if (e) resolve(e.startTime);
        else new PerformanceObserver((l) => resolve(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
      }),
  );
  await ctx.close();
  return { fcp, editor: editorMs };
}

async function importText(page: Page, text: string, name: string): Promise<number> {
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.getByTestId('import.ok').waitFor({ timeout: 120_000 });
  await page.getByTestId('import.replace').click();
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('import.confirm').click();
  // done when the preview's editor shows the new design's first table line
  await page.waitForFunction(() => (document.querySelector('[data-testid="preview"] .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ').includes('table inet bench'), undefined, { timeout: 120_000, polling: 'raf' });
  const t1 = await page.evaluate(() => performance.now());
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  return t1 - t0;
}

async function main(): Promise<void> {
  console.log('nft-designer UI benchmark — Debian chromium, 1280×720');
  build(ROOT, []);
  const ours = initialJs(join(ROOT, 'dist'));
  const blank = makeBlankApp();
  build(blank.dir, ['--config', blank.config]);
  const ref = initialJs(blank.dist);
  const bare = makeBareEditor();
  build(bare.dir, ['--config', bare.config]);
  const servers: ChildProcess[] = [];
  let browser: Browser | undefined;
  try {
    servers.push(await serve(join(ROOT, 'dist'), PORT));
    servers.push(await serve(blank.dist, BLANK_PORT, blank.dir));
    servers.push(await serve(bare.dist, BARE_PORT, bare.dir));
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const runs = 5;
    const loads = [];
    const blanks = [];
    const bares = [];
    for (let i = 0; i < runs; i++) {
      blanks.push(await coldLoad(browser, `http://127.0.0.1:${BLANK_PORT}/`, false));
      bares.push(await coldLoad(browser, `http://127.0.0.1:${BARE_PORT}/`, true));
      loads.push(await coldLoad(browser, `http://127.0.0.1:${PORT}/`, true));
    }
    const editorBare = median(bares.map((l) => l.editor ?? 0));
    const fcp = median(loads.map((l) => l.fcp));
    const fcpBlank = median(blanks.map((l) => l.fcp));
    const editor = median(loads.map((l) => l.editor ?? 0));

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.waitForSelector('.monaco-editor');
    const tenK = generateRuleset(10_000).text;
    const importMs = await importText(page, tenK, '10k.nft');
    const fiveK = generateRuleset(5000, 7).text;
    await importText(page, fiveK, '5k.nft');
    const lintMs = await page
      .getByTestId('diagnostics.summary')
      .innerText()
      .then((t) => Number(/linted in (\d+) ms/.exec(t)?.[1] ?? NaN));
    const keys = await measureKeystrokes(page, 40);
    await ctx.close();

    console.log('');
    console.log('| measure | nft-designer | blank app (same stack) | ratio |');
    console.log('|---|---|---|---|');
    console.log(`| initial JS before first paint (gzip) | ${kib(ours.total)} | ${kib(ref.total)} | ${(ours.total / ref.total).toFixed(2)}× |`);
    console.log(`| first contentful paint, cold (median of ${runs}) | ${ms(fcp)} | ${ms(fcpBlank)} | ${(fcp / fcpBlank).toFixed(2)}× |`);
    console.log(`| editor visible, cold (median of ${runs}) | ${ms(editor)} | ${ms(editorBare)} (Monaco alone: the app's Monaco build, one editor) | ${(editor / editorBare).toFixed(2)}× |`);
    console.log(`| keystroke in a rule form → preview's lines updated, 5,000 rules (median / p95 of ${keys.length}) | ${ms(median(keys))} / ${ms(p95(keys))} | — | ${(median(keys) / (1000 / 60)).toFixed(2)} of a 60 Hz frame |`);
    console.log(`| import of 10,000 rules (confirm → preview updated) | ${ms(importMs)} | — | — |`);
    console.log(`| lint of 5,000 rules in the worker | ${ms(lintMs)} | — | — |`);
    // Monaco is the chunk named 'monaco' (vite.config.ts). It used to be looked up as the Preview's chunk,
    // which since the Compare dialog's diff editor shares Monaco holds only the Preview component (4 KiB).
    const monaco = ours.lazy.find((f) => f.name === 'monaco');
    console.log(`\nMonaco chunk (loaded after first paint): ${monaco ? `${kib(monaco.gzip)} gzip (${monaco.file})` : 'not found (no chunk named monaco)'}`);
    const editorJs = ours.lazyClosure('preview/Preview.tsx');
    console.log(`the editor's JavaScript after first paint (the preview's chunk and what it imports): ${kib(editorJs.total)} gzip in ${editorJs.files.length} chunks`);
  } finally {
    await browser?.close();
    for (const p of servers) p.kill();
    rmSync(blank.dir, { recursive: true, force: true });
    rmSync(bare.dir, { recursive: true, force: true });
  }
}

/** Keystrokes in the rule's comment field: time until the preview's rendered lines show the new text. */
async function measureKeystrokes(page: Page, n: number): Promise<number[]> {
  const id = await page.evaluate(() => {
    const rs = window.__nftd?.ruleset();
    for (const t of rs?.tables ?? []) for (const c of t.chains) for (const r of c.rules) if (r.comment && r.stmts.length === 2) return r.id;
    return null;
  });
  if (!id) throw new Error('no rule with a comment in the generated design');
  await page.evaluate((x) => window.__nftd?.select(x), id);
  const field = page.getByTestId('rule.comment');
  await field.waitFor();
  await field.click();
  await page.keyboard.press('End');
  await page.waitForTimeout(500);
  const times: number[] = [];
  let value = await field.inputValue();
  for (let i = 0; i < n; i++) {
    value += 'x';
    // Time from the keydown to the moment the preview's rendered lines hold the new text
    // (a MutationObserver fires in the task that changed them; the browser paints it in the
    // next frame). rAF polling would round every result up to a frame boundary.
    const arm = page.evaluate(
      (want) =>
        new Promise<number>((resolve, reject) => {
          const input = document.querySelector('[data-testid="rule.comment"]');
          const lines = document.querySelector('[data-testid="preview"] .view-lines');
          if (!input || !lines) return reject(new Error('no comment field or preview'));
          const shows = (): boolean => (lines.textContent ?? '').replace(/\u00a0/g, ' ').includes(`comment "${want}"`);
          let t0 = 0;
          const obs = new MutationObserver(() => {
            if (t0 && shows()) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          });
          input.addEventListener(
            'keydown',
            () => {
              t0 = performance.now();
              obs.observe(lines, { childList: true, subtree: true, characterData: true });
              setTimeout(() => {
                obs.disconnect();
                reject(new Error('the preview did not show the edit within 5 s'));
              }, 5000);
            },
            { capture: true, once: true },
          );
        }),
      value,
    );
    await page.waitForTimeout(30);
    await page.keyboard.press('x');
    times.push(await arm);
    await page.waitForTimeout(1100); // past the undo coalescing window and the preview's debounce
  }
  return times;
}

void main();
