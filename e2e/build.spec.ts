/**
 * Journeys 1 and 9: the nftables wiki's anonymous synproxy ruleset built only
 * through the forms — the script loads in the real kernel (nft inside
 * `unshare -n`) and lists back identically — and a rule added with the keyboard
 * alone.
 */
import type { Page } from '@playwright/test';
import { TEMPLATES } from '../src/templates/catalog.ts';
import { NFT_113, kernelUnavailable, loadAndList } from '../src/testing/nft.ts';
import { designed, expect, test } from './fixtures.ts';

async function pick(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).click();
}

async function addMatch(page: Page, i: number, field: string, values: string[]): Promise<void> {
  await page.getByTestId('rule.match.add').click();
  const f = page.getByTestId(`rule.match.${i}.field`);
  await f.fill(field);
  await f.press('Enter');
  const v = page.getByTestId(`rule.match.${i}.values`);
  for (const x of values) {
    await v.fill(x);
    await v.press('Enter');
  }
}

/**
 * The script loaded by nft in a private network namespace, listed back: the
 * design's target is the default, Debian 13's nft 1.1.3, so its nft is the judge.
 * Undefined (noted on the test) only outside CI when there is no kernel to ask.
 */
async function kernelListing(script: Promise<string>): Promise<string | undefined> {
  const reason = kernelUnavailable();
  if (reason && process.env.CI !== 'true') {
    test.info().annotations.push({ type: 'skipped part', description: `kernel check: ${reason}` });
    return undefined;
  }
  const listed = loadAndList(await script, { nft: NFT_113 });
  expect(listed.ok, listed.stderr).toBe(true);
  return listed.stdout;
}

async function addStatement(page: Page, kind: string): Promise<void> {
  await page.getByTestId('rule.stmt.add').click();
  await page.getByTestId(`rule.stmt.add.${kind}`).click();
}

test('1. the wiki anonymous synproxy ruleset, built only through the forms, loads in the kernel and lists back identically', async ({ app, page }) => {
  await app.open();
  // table ip anon_synproxy_demo
  await page.getByTestId('nav.addTable').click();
  await pick(page, 'table.family', /^ip — /);
  await page.getByTestId('table.name').fill('anon_synproxy_demo');
  // chain PRE: filter prerouting at raw
  await page.getByTestId('nav.add.anon_synproxy_demo').click();
  await page.getByTestId('nav.add.anon_synproxy_demo.base-chain').click();
  await page.getByTestId('chain.name').fill('PRE');
  await pick(page, 'chain.hook', 'prerouting');
  await pick(page, 'chain.priority.name', /^raw/);
  await page.getByTestId('chain.addRule').click();
  await addMatch(page, 0, 'tcp dport', ['8888']);
  await addMatch(page, 1, 'tcp flags', ['syn']);
  await addStatement(page, 'notrack');
  await page.getByTestId('rule.verdict').selectOption({ label: 'none (next rule)' });
  // chain IN: filter input at filter
  await page.getByTestId('nav.add.anon_synproxy_demo').click();
  await page.getByTestId('nav.add.anon_synproxy_demo.base-chain').click();
  await page.getByTestId('chain.name').fill('IN');
  await page.getByTestId('chain.addRule').click();
  await addMatch(page, 0, 'tcp dport', ['8888']);
  await addMatch(page, 1, 'ct state', ['invalid', 'untracked']);
  await addStatement(page, 'synproxy');
  await page.getByTestId('rule.stmt.0.synproxy.mss').fill('1460');
  await page.getByTestId('rule.stmt.0.synproxy.wscale').fill('7');
  await page.getByTestId('rule.stmt.0.synproxy.timestamp').check();
  await page.getByTestId('rule.stmt.0.synproxy.sackPerm').check();
  await page.getByTestId('rule.verdict').selectOption({ label: 'none (next rule)' });
  await page.getByTestId('rule.chainLink').click();
  await page.getByTestId('chain.addRule').click();
  await addMatch(page, 0, 'ct state', ['invalid']);
  await page.getByTestId('rule.verdict').selectOption('drop');

  const wiki = TEMPLATES.find((t) => t.id === 'synproxy-anonymous')?.text ?? '';
  await expect.poll(() => app.script()).toBe(designed(wiki));
  await expect(app.editor()).toContainText('synproxy mss 1460 wscale 7 timestamp sack-perm');

  // the real kernel: load in a private network namespace and list back
  const listed = await kernelListing(app.script());
  if (listed !== undefined) expect(listed).toBe(wiki);
});

test('9. a rule added with the keyboard only', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('workstation');
  await page.getByTestId('nav.chain.input').click();
  // from here on: keyboard only
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  const tabTo = async (id: string): Promise<void> => {
    for (let i = 0; i < 80; i++) {
      if ((await focused()) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${id}`);
  };
  await page.getByTestId('chain.name').focus();
  await tabTo('chain.addRule');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('form.rule')).toBeVisible();
  await tabTo('rule.match.add');
  await page.keyboard.press('Enter');
  await page.keyboard.type('tcp dport');
  await page.keyboard.press('Enter');
  await tabTo('rule.match.0.values');
  await page.keyboard.type('443');
  await page.keyboard.press('Enter');
  // a new rule has no verdict until one is chosen (no accept out of nowhere)
  await expect.poll(() => app.script()).toContain('\t\tcounter packets 0 bytes 0 reject\n\t\ttcp dport 443\n');
  await tabTo('rule.verdict');
  await page.keyboard.type('accept');
  await tabTo('rule.comment');
  await page.keyboard.type('https');
  await expect.poll(() => app.script()).toContain('\t\tcounter packets 0 bytes 0 reject\n\t\ttcp dport 443 accept comment "https"\n');
});

test('10. the field picker offers every selector the core structures, and a selector with parameters when it is typed', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('workstation');
  await page.getByTestId('nav.chain.input').click();
  await page.getByTestId('chain.addRule').click();
  // from the derived list: a TCP option, shown with its own words
  await page.getByTestId('rule.match.add').click();
  await page.getByTestId('rule.match.0.field').fill('maxseg size');
  await expect(page.getByRole('option', { name: /^tcp option maxseg size/ })).toBeVisible();
  await page.getByTestId('rule.match.0.field').press('Enter');
  await expect(page.getByTestId('rule.match.0.field')).toHaveValue('tcp option maxseg size');
  await page.getByTestId('rule.match.0.values').fill('1400-1500');
  await page.getByTestId('rule.match.0.values').press('Enter');
  // typed in full: a conntrack key of one direction and family
  await page.getByTestId('rule.match.add').click();
  await page.getByTestId('rule.match.1.field').fill('ct original ip saddr');
  await expect(page.getByRole('option', { name: /^ct original ip saddr/ })).toBeVisible();
  await page.getByTestId('rule.match.1.field').press('Enter');
  await page.getByTestId('rule.match.1.values').fill('198.18.0.1');
  await page.getByTestId('rule.match.1.values').press('Enter');
  await page.getByTestId('rule.verdict').selectOption('drop');
  await expect.poll(() => app.script()).toContain('\t\ttcp option maxseg size 1400-1500 ct original ip saddr 198.18.0.1 drop\n');
  const listed = await kernelListing(app.script());
  if (listed !== undefined) expect(listed).toContain('tcp option maxseg size 1400-1500 ct original ip saddr 198.18.0.1 drop');
});
