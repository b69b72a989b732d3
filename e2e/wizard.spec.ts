/**
 * The synproxy wizard and the export: protecting web ports adds the notrack
 * chain at raw, the synproxy rule and `ct state invalid drop`, shows the host
 * prerequisites, loads in the kernel; the export offers the script, the JSON
 * with what nft 1.0.6's JSON cannot carry, and a safe apply command.
 */
import { readFileSync } from 'node:fs';
import { NFT_113, kernelUnavailable, loadAndList } from '../src/testing/nft.ts';
import { listingOf, expect, test } from './fixtures.ts';

test('the synproxy wizard adds a complete setup and shows the host prerequisites', async ({ app, page }) => {
  await app.open();
  await app.openTemplate('workstation');
  await page.getByTestId('app.wizard').click();
  await expect(page.getByTestId('wizard.preview')).toContainText('synproxy mss 1460 wscale 7 timestamp sack-perm');
  await page.getByTestId('wizard.apply').click();
  // the dialog itself says it is done (announced: role alert), no notice drawn over it from outside
  await expect(page.getByRole('dialog').getByTestId('wizard.done')).toContainText('Undo brings the design back');
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveCount(1);
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await expect(page.getByTestId('wizard.hostCommands')).toContainText('net.netfilter.nf_conntrack_tcp_loose=0');
  await expect(page.getByTestId('wizard.hostCommands')).toContainText('net.ipv4.tcp_syncookies=1');
  await expect(page.getByTestId('wizard.hostCommands')).toContainText('net.ipv4.tcp_timestamps=1');
  await page.keyboard.press('Escape');
  const script = await app.script();
  expect(script).toContain('type filter hook prerouting priority raw; policy accept;\n\t\ttcp dport { 80, 443 } tcp flags syn notrack\n');
  expect(script).toMatch(/tcp dport \{ 80, 443 \} ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm\n\t\tct state invalid drop\n/);
  // the workstation's own input chain is untouched
  expect(script).toContain('tcp dport 22 ct state new accept comment "remove if you do not use SSH"');
  await page.getByTestId('app.undo').click();
  await expect.poll(() => app.script()).not.toContain('synproxy');
  await page.getByTestId('app.redo').click();
  await expect.poll(() => app.script()).toBe(script);
  if (!kernelUnavailable() || process.env.CI === 'true') {
    const listed = loadAndList(script, { nft: NFT_113 });
    expect(listed.ok, listed.stderr).toBe(true);
    expect(listed.stdout).toBe(listingOf(script));
  }
});

test('export: .nft download, JSON with its limits, and a here-document apply command', async ({ app, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.open();
  await app.openTemplate('synproxy-named');
  await page.getByTestId('app.export').click();
  await page.getByTestId('export.preamble.replace').check();
  await expect(page.getByTestId('export.text')).toContainText('table ip foo\ndelete table ip foo\ntable ip foo {');
  const dl = page.waitForEvent('download');
  await page.getByTestId('export.download').click();
  const file = await dl;
  expect(file.suggestedFilename()).toMatch(/\.nft$/);
  const text = readFileSync(await file.path(), 'utf8');
  expect(text.startsWith('table ip foo\ndelete table ip foo\n')).toBe(true);
  // the default target, nft 1.1.3, carries synproxy objects in JSON; nft 1.0.6's JSON
  // cannot create them: with the design's target set to 1.0.6 the dialog says so
  await expect(page.getByTestId('export.jsonLosses')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.getByTestId('app.targetVersion').selectOption('1.0.6');
  await page.getByTestId('app.export').click();
  await page.getByTestId('export.preamble.replace').check();
  await expect(page.getByTestId('export.jsonLosses')).toContainText('synproxy');
  await page.getByTestId('export.copyApply').click();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  // a random here-document delimiter, which the script itself cannot end early
  const delim = /^nft-agent apply --confirm 60 - <<'(NFT_DESIGNER_EOF_[0-9a-f]{16})'\n/.exec(clip)?.[1];
  expect(delim, clip.slice(0, 80)).toBeTruthy();
  expect(clip.endsWith(`\n${delim}\n`)).toBe(true);
  expect(clip.split(delim!).length).toBe(3);
  expect(clip).toContain(text);
  // the agent is offered for download from the site itself
  const agent = await page.request.get('/agent/nft-agent');
  expect(agent.ok()).toBe(true);
  expect((await agent.text()).startsWith('#!/bin/sh')).toBe(true);
});
