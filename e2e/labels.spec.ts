/**
 * Words and labels a newcomer reads: counts that agree with what is listed, in
 * the singular where there is one, icons drawn (not a glyph missing from the
 * bundled fonts), one control per label in the chain form.
 */
import { expect, test } from './fixtures.ts';

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

test('the "Synproxy parameters from" select shows its whole value', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await page.getByTestId('nav.chain.IN').click();
  await page.getByTestId('rules.open.0').click();
  const select = page.getByTestId('rule.stmt.0.synproxy.mode');
  for (const mode of ['anonymous', 'name', 'map', 'namedMap']) {
    await select.selectOption(mode);
    // the chosen option's text, measured in the select's own font, fits inside it beside the arrow
    const fit = await select.evaluate((el: HTMLSelectElement) => {
      const s = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      const text = ctx.measureText(el.selectedOptions[0].text).width;
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      return { text, room };
    });
    expect(fit.text, mode).toBeLessThanOrEqual(fit.room);
  }
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
