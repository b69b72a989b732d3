/**
 * Words and labels a newcomer reads: counts that agree with what is listed, in
 * the singular where there is one, icons drawn (not a glyph missing from the
 * bundled fonts), one control per label in the chain form.
 */
import { expect, sharedNames, test, truncatedSelects } from './fixtures.ts';

test('the diagnostics tab counts what it lists, in words that agree, with drawn icons; the chain form has one "Name"', async ({ app, page }) => {
  await app.open();
  // two notes (the backend's mss/wscale, the host settings): the tab said "(0)" over them
  await app.openTemplate('synproxy-anonymous');
  const rows = page.locator('[data-testid="diagnostics"] li');
  await page.getByTestId('tab.diagnostics').click();
  // the lint worker answers after the template opens: wait for its two notes, not for the first summary
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('diagnostics.summary')).toContainText(/\d+ (error|errors), \d+ (warning|warnings), \d+ (note|notes)/);
  const listed = await rows.count();
  await expect(page.getByTestId('tab.diagnostics')).toHaveText(`Diagnostics (${listed})`);
  // each row's icon is an SVG with its severity as its label, no emoji glyph
  const first = rows.first();
  await expect(first.locator('[role="img"] svg')).toHaveCount(1);
  expect(await page.getByTestId('diagnostics').innerText()).not.toContain('⛔');
  await page.screenshot({ path: 'test-results/screens/diagnostics-light.png' });
  await page.getByTestId('app.theme').click();
  await page.screenshot({ path: 'test-results/screens/diagnostics-dark.png' });
  // "1 rule", never "1 rules"
  await expect(page.getByTestId('navigator')).not.toContainText(/\b1 rules\b/);
  // the chain form: the chain's name and the priority's name are told apart
  await page.getByTestId('nav.chain.IN').click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Priority name', { exact: true })).toHaveCount(1);
});

test('repeated controls say which row they are in; a value chip says what its delete button removes', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await page.getByTestId('nav.chain.IN').click();
  await page.getByTestId('rules.open.0').click();
  // the rule "tcp dport 8888 ct state invalid,untracked synproxy …": two matches, one statement
  await expect(page.getByLabel('Match 1: Operator', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Match 2: Operator', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Match 1: values', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Statement 1: mss', { exact: true })).toHaveValue('1460');
  await expect(page.getByRole('img', { name: 'Remove 8888' })).toHaveCount(1);
  await expect(page.getByRole('img', { name: 'Remove untracked' })).toHaveCount(1);
});

const ZOOMS = [
  { name: '100 %', width: 1280, height: 720, scale: 1 },
  { name: '150 %', width: 853, height: 480, scale: 1.5 },
  { name: '200 %', width: 640, height: 360, scale: 2 },
] as const;

for (const z of ZOOMS) {
  for (const presenter of [false, true]) {
    test(`the "Synproxy parameters from" select shows its whole value and label at ${z.name}${presenter ? ' in presenter mode' : ''}`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width: z.width, height: z.height }, deviceScaleFactor: z.scale });
      const page = await context.newPage();
      await page.goto('/');
      await expect(page.getByTestId('app.theme')).toBeVisible();
      if (presenter) await page.keyboard.press('Control+Alt+P');
      await page.getByTestId('app.templates').or(page.getByTestId('app.more')).first().click();
      if (await page.getByRole('menu').isVisible()) await page.getByRole('menu').getByTestId('app.templates').click();
      await page.getByTestId('template.synproxy-anonymous.open').click();
      // the navigator is folded into a rail in presenter mode below 1000 px
      const rail = page.getByTestId('nav.rail');
      if (await rail.isVisible()) await rail.click();
      await page.getByTestId('nav.chain.IN').click();
      if (await rail.isVisible()) await rail.click();
      await page.getByTestId('rules.open.0').click();
      const select = page.getByTestId('rule.stmt.0.synproxy.mode');
      for (const mode of ['anonymous', 'name', 'map', 'namedMap']) {
        await select.selectOption(mode);
        // the chosen option (and the statement kind, "synpro" once), measured in the select's own font, fits beside the arrow; the labels are whole
        expect(await truncatedSelects(page), mode).toEqual([]);
      }
      // the version each form needs is said under the select, not in its options
      await expect(page.getByTestId('rule.stmt.0.synproxy.mode.since')).toContainText('needs nftables 1.0.2 or later');
      await context.close();
    });
  }
}

test('no select in the rule builder cuts its value at 1280×720: every match of the webserver template shows "has any of these set" whole', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('webserver');
  await page.getByTestId('nav.chain.input').click();
  const rules = await page.locator('[data-testid^="rules.open."]').count();
  expect(rules).toBeGreaterThan(1);
  const ops = new Set<string>();
  for (let i = 0; i < rules; i++) {
    await page.getByTestId('nav.chain.input').click();
    await page.getByTestId(`rules.open.${i}`).click();
    await expect(page.getByTestId('form.rule')).toBeVisible();
    expect(await truncatedSelects(page), `rule ${i + 1}`).toEqual([]);
    for (const t of await page.locator('[data-testid$=".op"]').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).selectedOptions[0]?.text ?? ''))) ops.add(t);
  }
  // the ct state and tcp flags matches were cut to "has any of the"
  expect([...ops]).toContain('has any of these set');
});

test('repeated controls of a rule and of a synproxy object each have a name of their own; a map entry is labelled "Entry 1: ip saddr"', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await page.getByTestId('nav.chain.IN').click();
  await page.getByTestId('rules.open.0').click();
  await expect(page.getByTestId('form.rule')).toBeVisible();
  // two matches: both field pickers' dropdown buttons were named "Open"
  await expect(page.getByRole('button', { name: 'Open', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Match 2: show the fields' })).toHaveCount(1);
  expect(await sharedNames(page, '[data-testid="formPanel"]'), 'rule form').toEqual([]);
  // each "why?" says which note it explains, and still starts with the words it shows
  const whys = page.getByTestId('formPanel').getByRole('button', { name: /^why\?/ });
  expect(await whys.count()).toBeGreaterThan(0);
  for (const name of await whys.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) expect(name).toMatch(/^why\? \(.+\)$/);

  await app.openTemplate('synproxy-named');
  await page.getByTestId('nav.chain.bar').click();
  await page.getByTestId('rules.open.0').click();
  await expect(page.getByTestId('rule.stmt.0.synproxy.entries')).toBeVisible();
  // the visible label reads "Entry 1: ip saddr" (it read "ip saddr 1"), and it is the field's whole name
  await expect(page.locator('label', { hasText: /^Entry 1: ip saddr$/ })).toBeVisible();
  await expect(page.getByLabel('Entry 1: ip saddr', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Entry 2: ip saddr', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Entry 2: uses object', { exact: true })).toHaveCount(1);
  expect(await sharedNames(page, '[data-testid="formPanel"]'), 'rule form with a map').toEqual([]);

  await page.getByTestId('nav.object.https-synproxy').click();
  await expect(page.getByTestId('formPanel')).toContainText('https-synproxy');
  expect(await sharedNames(page, '[data-testid="formPanel"]'), 'synproxy object form').toEqual([]);
});

test("a set's key type is picked from nft's datatypes, several make a concatenation; its policy says it is about storage", async ({ app, page }) => {
  await app.open();
  await app.openTemplate('webserver');
  await page.getByTestId('nav.set.ssh_meter').click();
  const key = page.getByTestId('set.type');
  await key.click();
  await expect(page.getByRole('option', { name: 'inet_service', exact: true })).toBeVisible();
  await page.getByRole('option', { name: 'inet_service', exact: true }).click();
  await expect.poll(() => app.script()).toContain('\t\ttype ipv4_addr . inet_service\n');
  await expect(page.getByText('a concatenation: ipv4_addr . inet_service')).toBeVisible();
  await expect(page.getByTestId('set.policy')).toHaveText('speed (the default)');
  await expect(page.getByTestId('form.set')).toContainText('Lookups tuned for');
  await page.screenshot({ path: 'test-results/screens/set-form-light.png' });
});
