/**
 * The 10-rule server a trainer builds on a projector, counted: every click (and
 * every key that stands for one: Enter on a button, Alt+N) and every typed entry.
 * It took about 100 clicks and 50 typed entries before "Add another rule" and
 * the focus moving on to "Add match"; the goal is at most half of that. The
 * result must load in the real kernel and list back, with no lint errors.
 *
 * inet table, input chain with policy drop: established/related, the synproxy
 * rule for 443 and the invalid drop after it, loopback, ICMP for both families,
 * SSH from a management set, HTTP/HTTPS; a prerouting chain at raw priority
 * that notracks the SYNs to 443.
 */
import type { Page } from '@playwright/test';
import { NFT_113, kernelUnavailable, loadAndList } from '../src/testing/nft.ts';
import { expect, test } from './fixtures.ts';

class Counted {
  clicks = 0;
  typed = 0;
  constructor(readonly page: Page) {}
  async click(testId: string): Promise<void> {
    this.clicks++;
    await this.page.getByTestId(testId).click();
  }
  async option(name: string | RegExp): Promise<void> {
    this.clicks++;
    await this.page.getByRole('option', { name }).click();
  }
  /** a key that stands for a click (Enter on the focused button, a shortcut) */
  async key(k: string): Promise<void> {
    this.clicks++;
    await this.page.keyboard.press(k);
  }
  /** one typed entry: the text and the Enter that takes it */
  async type(testId: string, text: string, enter = true): Promise<void> {
    this.typed++;
    const f = this.page.getByTestId(testId);
    await f.fill(text);
    if (enter) await f.press('Enter');
  }
  async verdict(v: string): Promise<void> {
    this.clicks++;
    await this.page.getByTestId('rule.verdict').selectOption(v);
  }
  /** a match on the focused "Add match" button (Enter), field and values typed */
  async match(i: number, field: string, values: string, focused = false): Promise<void> {
    if (focused) {
      await expect(this.page.getByTestId('rule.match.add')).toBeFocused();
      await this.key('Enter');
    } else await this.click('rule.match.add');
    await this.type(`rule.match.${i}.field`, field);
    await this.type(`rule.match.${i}.values`, values);
  }
  async statement(kind: string): Promise<void> {
    await this.click('rule.stmt.add');
    await this.click(`rule.stmt.add.${kind}`);
  }
  /** the next rule of the chain: Alt+N from the rule form, the focus lands on "Add match" */
  async another(): Promise<void> {
    const before = await this.page.getByTestId('form.rule').locator('h2').first().innerText();
    await this.key('Alt+N');
    await expect(this.page.getByTestId('form.rule').locator('h2').first()).not.toHaveText(before);
  }
}

test('the 10-rule server takes at most 50 clicks and 25 typed entries, and loads in the kernel', async ({ app, page }) => {
  await app.open();
  const u = new Counted(page);
  // an inet table "filter" (the defaults) with a management set
  await u.click('nav.addTable');
  await u.click('nav.add.filter');
  await u.click('nav.add.filter.set');
  await u.type('set.name', 'mgmt', false);
  await u.click('set.flag.interval');
  await u.type('set.elements', '198.51.100.0/24', false);
  await u.click('set.elements.apply');
  // the input chain, policy drop
  await u.click('nav.add.filter');
  await u.click('nav.add.filter.base-chain');
  await u.click('chain.policy');
  await u.option(/^drop/);
  await u.click('chain.addRule');
  await u.match(0, 'ct state', 'established related', true);
  await u.verdict('accept');
  // synproxy for 443, then the invalid drop right after it
  await u.another();
  await u.match(0, 'tcp dport', '443', true);
  await u.match(1, 'ct state', 'invalid untracked');
  await u.statement('synproxy');
  await u.another();
  await u.match(0, 'ct state', 'invalid', true);
  await u.verdict('drop');
  await u.another();
  await u.match(0, 'iif', 'lo', true);
  await u.verdict('accept');
  await u.another();
  await u.match(0, 'meta l4proto', 'icmp ipv6-icmp', true);
  await u.verdict('accept');
  await u.another();
  await u.match(0, 'ip saddr', '@mgmt', true);
  await u.match(1, 'tcp dport', '22');
  await u.verdict('accept');
  await u.another();
  await u.match(0, 'tcp dport', '80 443', true);
  await u.verdict('accept');
  // the raw-priority prerouting chain: SYNs to 443 are not tracked
  await u.click('nav.add.filter');
  await u.click('nav.add.filter.base-chain');
  await u.click('chain.hook');
  await u.option('prerouting');
  await u.click('chain.priority.name');
  await u.option(/^raw/);
  await u.click('chain.addRule');
  await u.match(0, 'tcp dport', '443', true);
  await u.match(1, 'tcp flags', 'syn');
  await u.statement('notrack');

  test.info().annotations.push({ type: 'counted', description: `${u.clicks} clicks, ${u.typed} typed entries` });
  console.log(`10-rule server: ${u.clicks} clicks, ${u.typed} typed entries`);
  expect(u.clicks).toBeLessThanOrEqual(50);
  expect(u.typed).toBeLessThanOrEqual(25);

  const script = await app.script();
  for (const line of [
    'type filter hook input priority filter; policy drop;',
    'ct state established,related accept',
    'tcp dport 443 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm',
    'ct state invalid drop',
    'iif "lo" accept',
    'meta l4proto { icmp, ipv6-icmp } accept',
    'ip saddr @mgmt tcp dport 22 accept',
    'tcp dport { 80, 443 } accept',
    'type filter hook prerouting priority raw; policy accept;',
    'tcp dport 443 tcp flags syn notrack',
  ])
    expect(script).toContain(line);
  // the synproxy rule comes before anything that accepts 443
  expect(script.indexOf('synproxy mss')).toBeLessThan(script.indexOf('tcp dport { 80, 443 } accept'));
  expect(await app.diagnosticsSummary()).toMatch(/^0 errors/);

  const reason = kernelUnavailable();
  if (reason && process.env.CI !== 'true') {
    test.info().annotations.push({ type: 'skipped part', description: `kernel check: ${reason}` });
    return;
  }
  const listed = loadAndList(script, { nft: NFT_113 });
  expect(listed.ok, listed.stderr).toBe(true);
  expect(listed.stdout).toContain('synproxy mss 1460 wscale 7 timestamp sack-perm');
  expect(listed.stdout).toContain('ip saddr @mgmt tcp dport 22 accept');
});

test('Add another rule: after the selected rule, in its chain, the focus on "Add match"; Alt+N from the chain adds at the end', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await page.getByTestId('nav.chain.IN').click();
  await page.getByTestId('rules.row.0').click();
  await expect(page.getByTestId('form.rule').locator('h2').first()).toContainText('rule 1 of');
  await page.getByTestId('rule.addAnother').click();
  await expect(page.getByTestId('form.rule').locator('h2').first()).toContainText('rule 2 of');
  await expect(page.getByTestId('rule.match.add')).toBeFocused();
  const rs = await app.ruleset();
  const chain = rs.tables[0].chains.find((c) => c.name === 'IN');
  expect(chain?.rules).toHaveLength(3);
  // the new rule is empty (no verdict out of nowhere) and sits between the two
  expect(chain?.rules[1].stmts).toEqual([]);
  // from the chain: at the end
  await page.getByTestId('rule.chainLink').click();
  await page.getByTestId('chain.name').focus();
  await page.keyboard.press('Alt+N');
  await expect(page.getByTestId('form.rule').locator('h2').first()).toContainText('rule 4 of');
  // undo removes it
  await page.getByTestId('app.undo').click();
  expect((await app.ruleset()).tables[0].chains.find((c) => c.name === 'IN')?.rules).toHaveLength(3);
});

test('tooltips sit beside what they explain: none covers the match field just added', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('synproxy-anonymous');
  await page.getByTestId('nav.chain.IN').click();
  await page.getByTestId('rules.row.1').click();
  // the pointer rests on "Add match": the new row appears right under it
  await page.getByTestId('rule.match.add').hover();
  await page.getByTestId('rule.match.add').click();
  const field = page.getByTestId('rule.match.1.field');
  await expect(field).toBeFocused();
  // hover each help and row button near the new field: their tooltips keep off the field
  const fieldBox = await field.boundingBox();
  if (!fieldBox) throw new Error('no field');
  for (const b of await page.getByTestId('form.rule').locator('button[aria-label^="About"]:not([disabled]), button[aria-label^="Move match"]:not([disabled]), button[aria-label^="Remove match"]:not([disabled])').all()) {
    await b.hover();
    const tip = page.getByRole('tooltip');
    await expect(tip).toBeVisible();
    const t = await tip.boundingBox();
    if (!t) continue;
    const overlaps = t.x < fieldBox.x + fieldBox.width && t.x + t.width > fieldBox.x && t.y < fieldBox.y + fieldBox.height && t.y + t.height > fieldBox.y;
    expect(overlaps, `the tooltip of "${await b.getAttribute('aria-label')}" covers the new field`).toBe(false);
    await page.mouse.move(0, 0);
    await expect(tip).toHaveCount(0);
  }
});
