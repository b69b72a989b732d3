/**
 * The design's target nft: Debian 13's 1.1.3 unless chosen; the picker sets it
 * for this design (undoable, saved with it, back after a reload); the preview and
 * the exports follow it; an nft-agent export names the host's nft and an import
 * of it makes that the design's target.
 */
import { expect, test } from './fixtures.ts';

const EXPORTED = '# nft --version: nftables v1.0.6 (Lester Gooch #5)\ntable inet f {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tct state established,related accept\n\t\ticmp type echo-request limit rate 5/second accept\n\t}\n}\n';

test('the picker sets the design\'s target; the preview follows it; the design remembers it; an nft-agent export sets it', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('workstation');
  const picker = page.getByTestId('app.targetVersion');
  await expect(picker).toHaveValue('1.1.3');
  await expect(page.getByTestId('app.targetVersion.lintOnly')).toHaveCount(0);
  // a version without a listing form of its own says so
  await picker.selectOption('1.0.9');
  await expect(page.getByTestId('app.targetVersion.lintOnly')).toBeVisible();
  await expect(page.getByTestId('app.targetVersion.lintOnly')).toHaveAttribute('title', /written as nft 1\.0\.6 lists/);
  await expect.poll(() => app.script()).toContain('limit rate 5/second accept');
  await page.getByTestId('app.undo').click();
  await expect(picker).toHaveValue('1.1.3');
  await expect.poll(() => app.script()).toContain('limit rate 5/second burst 5 packets accept');

  await expect.poll(async () => (await app.stored())?.savedAt ?? 0).toBeGreaterThan(0);
  const savedBefore = (await app.stored())?.savedAt ?? 0;
  await picker.selectOption('1.0.6');
  await expect.poll(() => app.script()).toContain('limit rate 5/second accept');
  expect((await app.ruleset()).target).toBe('1.0.6');
  // one undo step
  await page.getByTestId('app.undo').click();
  await expect(picker).toHaveValue('1.1.3');
  await page.getByTestId('app.redo').click();
  await expect(picker).toHaveValue('1.0.6');
  // saved with the design
  await expect.poll(async () => (await app.stored())?.savedAt ?? 0).toBeGreaterThan(savedBefore);
  await page.reload();
  await expect(page.getByTestId('navigator')).toBeVisible();
  await expect(page.getByTestId('app.targetVersion')).toHaveValue('1.0.6');
  await expect.poll(() => app.script()).toContain('limit rate 5/second accept');

  // an nft-agent export from a Debian 12 host: the imported design is for 1.0.6
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.text').fill(EXPORTED.replace('v1.0.6 (Lester Gooch #5)', 'v1.1.3 (Commodore Bullmoose #4)'));
  await expect(page.getByTestId('import.ok')).toBeVisible();
  await page.getByTestId('import.asNew').click();
  await expect(page.getByTestId('app.targetVersion')).toHaveValue('1.1.3');
  await expect.poll(() => app.script()).toContain('limit rate 5/second burst 5 packets accept');
  await page.getByTestId('app.import').click();
  await page.getByTestId('import.text').fill(EXPORTED);
  await expect(page.getByTestId('import.ok')).toBeVisible();
  await page.getByTestId('import.asNew').click();
  await expect(page.getByTestId('app.targetVersion')).toHaveValue('1.0.6');
  // the header stays a comment of the design; the rules are in 1.0.6's form
  await expect.poll(() => app.script()).toContain('icmp type echo-request limit rate 5/second accept\n');
  const script = await app.script();
  expect(script.startsWith('# nft --version: nftables v1.0.6 (Lester Gooch #5)\n')).toBe(true);
  expect(script).not.toContain('burst');
});
