/**
 * Lessons: the shipped "Protect a port with synproxy" done through the UI (the
 * synproxy wizard, then the forms and undo), each step turning met; a trainer's
 * lesson imported from a file and by drag and drop; a malformed file refused
 * with the field named; progress surviving a reload; "Reset for the next
 * class". Screenshots at 1280×720 (light, dark) and at 150 % zoom.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { SYNPROXY_SYSCTLS } from '../src/knowledge/synproxyFacts.ts';
import { IP_STAGES } from '../src/knowledge/stages.ts';

const SYNPROXY_STEPS = ['notrack', 'synproxy-rule', 'invalid-drop', 'traced', 'host-sysctls', 'mss-wscale'];

const TRAINER_LESSON = {
  format: 'nft-designer-lesson',
  version: 1,
  id: 'trainer-ssh',
  title: 'Trainer: keep SSH open',
  author: 'A. Trainer',
  summary: ['A lesson from this class.'],
  steps: [
    { id: 'drop', title: 'Input drops by default', task: ['An input chain with policy drop. <b>not bold</b>'], goal: { kind: 'chain', as: 'input', where: { hook: 'input', type: 'filter', policy: 'drop' } } },
    { id: 'ssh', title: 'SSH is open', task: ['tcp dport 22 accept in it.'], goal: { kind: 'rule', chain: { ref: 'input' }, match: [{ field: 'tcp dport', values: ['22'] }], verdict: 'accept' }, explain: ['<img src=x onerror="window.__pwned=1"> stays text.'] },
  ],
};

async function openLessons(page: Page): Promise<void> {
  await page.getByTestId('tab.lessons').click();
  await expect(page.getByTestId('lessons')).toBeVisible({ timeout: 20_000 });
}

function stepStatus(page: Page, id: string) {
  return page.getByTestId(`lesson.step.${id}`);
}

async function importFile(page: Page, name: string, content: string): Promise<void> {
  await page.getByTestId('lessons.file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

test('the synproxy lesson through the UI: every step turns met, live as the design changes', async ({ app, page }) => {
  await app.open();
  await openLessons(page);
  await page.getByTestId('lessons.start.synproxy-port').click();
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'synproxy-port');
  await expect(page.getByTestId('lesson.position')).toHaveText('Step 1 of 6 · 0 met');
  await expect(stepStatus(page, 'notrack')).toHaveAttribute('data-status', 'current');
  for (const id of SYNPROXY_STEPS.slice(1)) await expect(stepStatus(page, id)).toHaveAttribute('data-status', 'todo');
  await expect(page.getByTestId('lesson.missing')).toContainText('no base chain on hook prerouting (type filter, before connection tracking) in a table of family ip, ip6 or inet yet');
  await expect(page.getByRole('progressbar', { name: 'Lesson progress: 0 of 6 steps met' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/lessons-synproxy-start-light.png' });

  // step 1 alone: the learner pastes a notrack chain into Import (replace the design)
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.text').fill('table inet web {\n\tchain pre {\n\t\ttype filter hook prerouting priority raw; policy accept;\n\t\ttcp dport 443 tcp flags syn notrack\n\t}\n}\n');
  await page.getByTestId('import.replace').click();
  await page.getByTestId('import.confirm').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(stepStatus(page, 'notrack')).toHaveAttribute('data-status', 'met');
  for (const id of SYNPROXY_STEPS.slice(1)) await expect(stepStatus(page, id)).toHaveAttribute('data-status', 'todo');
  await expect(page.getByRole('progressbar', { name: 'Lesson progress: 1 of 6 steps met' })).toBeVisible();
  await page.getByTestId('lesson.step.synproxy-rule').click();
  await expect(page.getByTestId('lesson.missing')).toContainText('no base chain on hook input (type filter)');

  // the rest: the learner lets the wizard add the setup (its defaults protect 80 and 443)
  await page.getByTestId('app.wizard').click();
  await page.getByTestId('wizard.apply').click();
  await expect(page.getByRole('dialog').getByTestId('wizard.done')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  for (const id of ['notrack', 'synproxy-rule', 'invalid-drop', 'traced', 'mss-wscale']) await expect(stepStatus(page, id)).toHaveAttribute('data-status', 'met');
  await expect(stepStatus(page, 'host-sysctls')).toHaveAttribute('data-status', 'todo');
  await expect(page.getByRole('progressbar', { name: 'Lesson progress: 5 of 6 steps met' })).toBeVisible();

  // step 1 met: the explanation is the knowledge entry's own text (src/knowledge/stages.ts), not a copy
  await page.getByTestId('lesson.prev').click();
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-step', 'notrack');
  await expect(page.getByTestId('lesson.met')).toBeVisible();
  const raw = IP_STAGES.find((s) => s.name === 'raw');
  await expect(page.getByTestId('lesson.explain').locator('[data-knowledge="stage.raw"]')).toHaveText(`raw (${raw?.value}): ${raw?.what}.`);
  await page.getByTestId('lesson.next').click();
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-step', 'synproxy-rule');
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-status', 'met');
  await page.getByTestId('lesson.next').click();
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-step', 'invalid-drop');

  // live: deleting the drop in the forms un-meets the step, undo meets it again
  await page.getByTestId('nav.chain.synproxy_in').click();
  await expect(page.getByTestId('rules.open.1')).toHaveText('ct state invalid drop');
  await page.getByTestId('rules.delete.1').click();
  await expect(stepStatus(page, 'invalid-drop')).toHaveAttribute('data-status', 'current');
  await expect(page.getByTestId('lesson.missing')).toContainText('no rule that matches ct state invalid, ends in drop in chain synproxy_in after rule 1');
  await page.getByTestId('app.undo').click();
  await expect(stepStatus(page, 'invalid-drop')).toHaveAttribute('data-status', 'met');

  // the SYN traced through the design: synproxy takes it (what the design does, not only how it looks)
  await page.getByTestId('lesson.next').click();
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-step', 'traced');
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-status', 'met');

  // the host sysctls: the app cannot check them, the learner confirms
  await page.getByTestId('lesson.next').click();
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-step', 'host-sysctls');
  for (const s of SYNPROXY_SYSCTLS) await expect(page.getByTestId('lesson.task')).toContainText(s.line);
  await expect(page.getByTestId('lesson.current')).toContainText('The designer cannot check this step');
  await page.getByTestId('lesson.confirm').click();
  await expect(stepStatus(page, 'host-sysctls')).toHaveAttribute('data-status', 'met');

  // mss and wscale: an mss the facts refuse (0) un-meets it, a good one meets it again
  await page.getByTestId('lesson.next').click();
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-step', 'mss-wscale');
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-status', 'met');
  await expect(page.getByTestId('lesson.next')).toBeDisabled();
  await expect(page.getByTestId('lesson.position')).toHaveText('Step 6 of 6 · 6 met · lesson complete');
  await expect(page.getByRole('progressbar', { name: 'Lesson progress: 6 of 6 steps met' })).toBeVisible();
  await expect(page.getByTestId('lesson.complete')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/lessons-synproxy-done-light.png' });
  await page.getByTestId('app.theme').click();
  await page.screenshot({ path: 'test-results/screens/lessons-synproxy-done-dark.png' });
});

test('a trainer imports a lesson file (file picker, then drag and drop); its text stays text', async ({ app, page }) => {
  await app.open();
  await openLessons(page);
  await importFile(page, 'trainer.json', JSON.stringify(TRAINER_LESSON));
  await expect(page.getByTestId('lessons.imported')).toContainText('Imported the lesson "Trainer: keep SSH open" (2 steps).');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'trainer-ssh');
  await expect(page.getByTestId('lesson.task')).toHaveText('An input chain with policy drop. <b>not bold</b>');
  await expect(stepStatus(page, 'drop')).toHaveAttribute('data-status', 'current');
  // a design that meets both goals
  await app.openTemplate('workstation');
  await expect(stepStatus(page, 'drop')).toHaveAttribute('data-status', 'met');
  await expect(stepStatus(page, 'ssh')).toHaveAttribute('data-status', 'met');
  await page.getByTestId('lesson.next').click();
  await expect(page.getByTestId('lesson.explain')).toHaveText('<img src=x onerror="window.__pwned=1"> stays text.');
  await expect(page.getByTestId('lessons').locator('img, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // drag and drop a changed version of the same lesson onto the panel: it replaces the imported one
  const v2 = { ...TRAINER_LESSON, title: 'Trainer: keep SSH open (v2)' };
  const data = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'trainer-v2.json', { type: 'application/json' }));
    return dt;
  }, JSON.stringify(v2));
  await page.getByTestId('lessons').dispatchEvent('dragover', { dataTransfer: data });
  await page.getByTestId('lessons').dispatchEvent('drop', { dataTransfer: data });
  await expect(page.getByTestId('lessons.imported')).toContainText('Replaced the lesson "Trainer: keep SSH open (v2)"');
  await page.getByTestId('lessons.pick').click();
  await expect(page.getByTestId('lessons.pick.trainer-ssh')).toHaveText('Trainer: keep SSH open (v2) (imported)');
  await page.keyboard.press('Escape');
});

test('a malformed lesson file is refused with the field named, and nothing is imported', async ({ app, page }) => {
  await app.open();
  await openLessons(page);
  const bad = structuredClone(TRAINER_LESSON) as { steps: { goal: Record<string, unknown> }[] };
  bad.steps[1].goal = { kind: 'rule', chain: { hook: 'inptu' }, verdict: 'accept' };
  await importFile(page, 'bad.json', JSON.stringify(bad));
  const errors = page.getByTestId('lessons.importErrors');
  await expect(errors).toContainText('bad.json is not a lesson this app can use; nothing was imported');
  await expect(errors).toContainText('steps[1].goal.chain.hook: expected one of ingress, prerouting, input, forward, output, postrouting, egress, got "inptu"');
  await expect(errors).toHaveAttribute('role', 'alert');
  // a trace goal whose packet the trace cannot read (named with its column), and a file that is not JSON
  bad.steps[1].goal = { kind: 'trace', packets: ['tcp dport 99999 tcp flags syn'], verdict: 'stolen' };
  await importFile(page, 'trace.json', JSON.stringify(bad));
  await expect(errors).toContainText('steps[1].goal.packets[0]: column 11: tcp dport: 99999 does not fit in its 16 bits (at most 65535)');
  await importFile(page, 'notjson.json', '<html>');
  await expect(errors).toContainText('(file): not JSON');
  await page.getByTestId('lessons.pick').click();
  await expect(page.getByTestId('lessons.pick.trainer-ssh')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.screenshot({ path: 'test-results/screens/lessons-import-error-light.png' });
});

test('progress and imported lessons survive a reload; what is stored is checked when read', async ({ app, page }) => {
  await app.open();
  await openLessons(page);
  await importFile(page, 'trainer.json', JSON.stringify(TRAINER_LESSON));
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'trainer-ssh');
  await page.getByTestId('lessons.pick').click();
  await page.getByTestId('lessons.pick.synproxy-port').click();
  await page.getByTestId('lesson.step.host-sysctls').click();
  await page.getByTestId('lesson.confirm').click();
  await expect(stepStatus(page, 'host-sysctls')).toHaveAttribute('data-status', 'met');
  await page.reload();
  await expect(page.getByTestId('navigator')).toBeVisible();
  await openLessons(page);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'synproxy-port');
  await expect(page.getByTestId('lesson.current')).toHaveAttribute('data-step', 'host-sysctls');
  await expect(stepStatus(page, 'host-sysctls')).toHaveAttribute('data-status', 'met');
  await expect(page.getByTestId('lesson.position')).toHaveText('Step 5 of 6 · 1 met');
  await page.getByTestId('lessons.pick').click();
  await expect(page.getByTestId('lessons.pick.trainer-ssh')).toBeVisible();
  await page.keyboard.press('Escape');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('nftd.lessons') ?? 'null') as { open: string; lessons: Record<string, { current: number; confirmed: string[] }> });
  expect(stored.open).toBe('synproxy-port');
  expect(stored.lessons['synproxy-port']).toEqual({ current: 4, confirmed: ['host-sysctls'] });

  // tampered storage: the bad parts are dropped, the app opens
  await page.evaluate(() =>
    localStorage.setItem('nftd.lessons', JSON.stringify({ version: 1, open: '<img src=x>', lessons: { 'synproxy-port': { current: 999, confirmed: ['host-sysctls', { x: 1 }] } }, imported: [{ format: 'nft-designer-lesson', version: 1, id: 'evil', title: 'x', steps: [{ id: 'a', title: 'a', task: ['a'], goal: { kind: 'eval' } }] }] })),
  );
  await page.reload();
  await expect(page.getByTestId('navigator')).toBeVisible();
  await openLessons(page);
  await expect(page.getByTestId('lessons.card.synproxy-port')).toContainText('started, 1 step confirmed');
  await expect(page.getByTestId('lessons.card.evil')).toHaveCount(0);
  await page.getByTestId('lessons.start.synproxy-port').click();
  await expect(page.getByTestId('lesson.position')).toHaveText('Step 1 of 6 · 1 met');
});

test('reset for the next class: confirmed, all progress cleared, an empty design opened, the old one kept', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await openLessons(page);
  await page.getByTestId('lessons.start.synproxy-port').click();
  await page.getByTestId('lesson.step.host-sysctls').click();
  await page.getByTestId('lesson.confirm').click();
  await expect(stepStatus(page, 'host-sysctls')).toHaveAttribute('data-status', 'met');
  // cancel changes nothing
  await page.getByTestId('lessons.reset').click();
  await expect(page.getByRole('dialog', { name: 'Reset for the next class?' })).toBeVisible();
  await page.getByTestId('lessons.reset.cancel').click();
  await expect(stepStatus(page, 'host-sysctls')).toHaveAttribute('data-status', 'met');
  expect((await app.ruleset()).tables).toHaveLength(1);
  // reset, with a new empty design
  await expect.poll(async () => (await app.stored())?.names.length ?? 0).toBeGreaterThan(0);
  const before = (await app.stored())?.names.length ?? 0;
  await page.getByTestId('lessons.reset').click();
  await expect(page.getByTestId('lessons.reset.fresh')).toBeChecked();
  await page.screenshot({ path: 'test-results/screens/lessons-reset-dialog-light.png' });
  await page.getByTestId('lessons.reset.confirm').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('lessons.card.synproxy-port')).toBeVisible();
  await expect(page.getByTestId('lessons.start.synproxy-port')).toHaveText('Start');
  await expect.poll(async () => (await app.ruleset()).tables.length).toBe(0);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('nftd.lessons') ?? 'null') as { open: unknown; lessons: unknown });
  expect(stored).toMatchObject({ open: null, lessons: {} });
  // the previous design is still among the saved designs
  await expect.poll(async () => (await app.stored())?.names.length ?? 0).toBe(before + 1);
  await page.getByTestId('lessons.start.synproxy-port').click();
  await expect(page.getByTestId('lesson.position')).toHaveText('Step 1 of 6 · 0 met');
});

test('reset for the next class, deleting every saved design: the next class finds none of this one’s work', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await app.openTemplate('workstation');
  await expect.poll(async () => (await app.stored())?.names.length ?? 0).toBeGreaterThan(1);
  await openLessons(page);
  await page.getByTestId('lessons.start.synproxy-port').click();
  await page.getByTestId('lessons.reset').click();
  await page.getByTestId('lessons.reset.wipe').check();
  await expect(page.getByTestId('lessons.reset.fresh')).toBeDisabled();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('cannot be undone');
  await page.screenshot({ path: 'test-results/screens/lessons-reset-wipe-light.png' });
  await page.getByRole('button', { name: 'Reset and delete' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByText(/saved designs? deleted; a new, empty design is open/)).toBeVisible();
  await expect(page.getByTestId('lessons.start.synproxy-port')).toHaveText('Start');
  expect((await app.ruleset()).tables).toHaveLength(0);
  await expect.poll(async () => (await app.stored())?.names.length ?? 0).toBe(0);
  // and after a reload (the next class) nothing comes back: at most the new, empty design (autosaved as any new design is)
  await page.reload();
  await expect(page.getByTestId('navigator')).toBeVisible();
  expect((await app.ruleset()).tables).toHaveLength(0);
  expect((await app.stored())?.names ?? []).not.toContain('Workstation');
  expect(((await app.stored())?.names ?? []).length).toBeLessThanOrEqual(1);
});

test('the lessons tab at 150 % zoom in the dark theme: the lesson reads and its controls are reachable', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });
  await context.addInitScript(() => localStorage.setItem('nftd.prefs', JSON.stringify({ theme: 'dark' })));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('navigator')).toBeVisible();
  await openLessons(page);
  // every lesson card lies inside the panel (none cut off at its right side)
  const panel = await page.getByTestId('lessons').boundingBox();
  const card = await page.getByTestId('lessons.card.synproxy-port').boundingBox();
  expect(panel && card && card.x >= panel.x && card.x + card.width <= panel.x + panel.width).toBe(true);
  await page.screenshot({ path: 'test-results/screens/lessons-list-dark-150.png' });
  await page.getByTestId('lessons.start.drop-by-default').click();
  for (const id of ['lesson.progress', 'lesson.next', 'lessons.reset', 'lessons.import']) {
    await page.getByTestId(id).scrollIntoViewIfNeeded();
    await expect(page.getByTestId(id)).toBeInViewport();
  }
  // nothing of the panel scrolls sideways
  const sideways = await page.getByTestId('lessons').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(sideways).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screens/lessons-dark-150.png' });
  expect(errors).toEqual([]);
  await context.close();
});

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).include('[data-testid="lessons"]').analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test('the lessons panel has no serious accessibility violations, light and dark: list, a lesson, a met step', async ({ app, page }) => {
  test.setTimeout(120_000);
  await app.open();
  await openLessons(page);
  expect(await seriousViolations(page), 'list').toEqual([]);
  await page.getByTestId('lessons.start.drop-by-default').click();
  expect(await seriousViolations(page), 'a lesson, nothing met').toEqual([]);
  await app.openTemplate('workstation');
  await expect(stepStatus(page, 'input-drop')).toHaveAttribute('data-status', 'met');
  await page.getByTestId('app.theme').click();
  expect(await seriousViolations(page), 'a met step, dark').toEqual([]);
  // every control has a name
  for (const el of await page.getByTestId('lessons').locator('button, input:not([type="file"]):not([aria-hidden="true"]), [role="combobox"], [role="progressbar"]').all()) {
    const name = (await el.getAttribute('aria-label')) ?? (await el.innerText()).trim();
    expect(name, await el.evaluate((e) => e.outerHTML.slice(0, 120))).not.toBe('');
  }
  await page.screenshot({ path: 'test-results/screens/lessons-server-dark.png' });
});
