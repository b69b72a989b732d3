/**
 * The JSON converter against the real nft 1.0.6, for every ruleset of the corpus
 * (src/json/fixtures/*.nft), each in one private network namespace:
 *   A = nft -f TEXT; nft -j list ruleset
 *   B = nft -j -f toJson(parse(TEXT)); nft -j list ruleset      → B = A (and the text listings agree)
 *   C = nft -f emit(fromJson(A)); nft -j list ruleset           → C = A
 */
import { expect, it } from 'vitest';
import { LISTING_TARGETS } from '../knowledge/listing.ts';
import { NFT_OF, targetUnavailable } from '../testing/nft.ts';
import { describeKernel } from '../testing/kernel.ts';
import { emit } from '../emit/index.ts';
import type { Ruleset } from '../model/types.ts';
import { fromJson } from './fromJson.ts';
import { toJson } from './toJson.ts';
import { comparableJson, comparableText, nftSteps } from './kernelHarness.ts';
import { corpusNames, fixture, parsed } from './testUtil.ts';

/**
 * nft 1.0.6 leaves the device of netdev/inet ingress chains out of its JSON
 * listing, and fromJson says so; to check the rest of the conversion the
 * devices are taken from the original design.
 */
function restoreDevices(rs: Ruleset, design: Ruleset): void {
  for (const t of rs.tables) {
    const dt = design.tables.find((x) => x.family === t.family && x.name === t.name);
    for (const c of t.chains) {
      const devices = dt?.chains.find((x) => x.name === c.name)?.base?.devices;
      if (c.base && devices) c.base.devices = devices.map((d) => (d.startsWith('$') ? 'eth3' : d));
    }
  }
}

describeKernel('libnftables JSON: toJson and fromJson against nft', () => {
  for (const [version, name] of LISTING_TARGETS.flatMap((v) => corpusNames().map((n) => [v, n] as const))) {
    it(`${name} (nft ${version})`, (ctx) => {
      if (targetUnavailable(version)) return ctx.skip();
      const nft = NFT_OF[version] ?? 'nft';
      const text = fixture(`${name}.nft`);
      const design = parsed(text);
      const json = toJson(design, { targetVersion: version });
      expect(json.losses).toEqual([]);
      const [loadA, listA, textA, , loadB, listB, textB] = nftSteps({ 'a.nft': text, 'b.json': json.json }, [
        '-f a.nft',
        '-j list ruleset',
        'list ruleset',
        'flush ruleset',
        '-j -f b.json',
        '-j list ruleset',
        'list ruleset',
      ], nft);
      expect(loadA.stderr).toBe('');
      expect(loadA.status).toBe(0);
      expect(loadB.stderr).toBe('');
      expect(loadB.status).toBe(0);
      const A = comparableJson(listA.stdout);
      expect(comparableJson(listB.stdout)).toEqual(A);
      // the text listing shows what the JSON listing of 1.0.6 hides (devices, the dynamic flag)
      expect(comparableText(textB.stdout)).toBe(comparableText(textA.stdout));

      const back = fromJson(listA.stdout);
      const missing = back.diagnostics.filter((d) => d.id === 'json/missing-device');
      expect(back.diagnostics.filter((d) => d.severity === 'error' && d.id !== 'json/missing-device')).toEqual([]);
      if (missing.length) restoreDevices(back.ruleset, design);
      // the listing names its nft: fromJson makes that the target, so emit writes its form
      expect(back.ruleset.target).toBe(version);
      const [loadC, listC] = nftSteps({ 'c.nft': emit(back.ruleset).text }, ['-f c.nft', '-j list ruleset'], nft);
      expect(loadC.stderr).toBe('');
      expect(comparableJson(listC.stdout)).toEqual(A);
    });
  }

  // This kernel lacks NFT_QUEUE and an active LSM: nft refuses these rulesets in the
  // kernel, after reading and checking them. The JSON gets exactly as far as the text.
  for (const [what, text] of [
    ['queue', 'table inet q {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\tqueue num 1-3 bypass\n\t\tqueue\n\t}\n}\n'],
    ['secmark', 'table inet s {\n\tsecmark ssh {\n\t\t"system_u:object_r:ssh_server_packet_t:s0"\n\t}\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\ttcp dport 22 meta secmark set "ssh"\n\t}\n}\n'],
  ]) {
    it(`${what}: read by nft as far as the text is (the kernel here refuses both)`, () => {
      const json = toJson(parsed(text));
      expect(json.losses).toEqual([]);
      const [fromText, fromJsonLoad] = nftSteps({ 'a.nft': text, 'b.json': json.json }, ['-f a.nft', '-j -f b.json']);
      expect(fromText.status).not.toBe(0);
      expect(fromText.stderr).toContain('Could not process rule: No such file or directory');
      expect(fromJsonLoad.status).not.toBe(0);
      expect(fromJsonLoad.stderr).toMatch(/^internal:0:0-0: Error: Could not process rule: No such file or directory\n/);
    });
  }
});
