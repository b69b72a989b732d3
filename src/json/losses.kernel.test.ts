/**
 * Each loss toJson reports, shown on the real nft 1.0.6: the newer JSON form of
 * the thing (what toJson writes for a later --target-version) either fails to
 * load or loads without it. And the nftables wiki's named-synproxy example: the
 * lossy JSON does not load something different silently — it fails as a whole
 * (nft -f is atomic) — and loads once the objects exist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { GOLDEN_DIR } from '../testing/golden.ts';
import { describeKernel } from '../testing/kernel.ts';
import { emit } from '../emit/index.ts';
import type { Ruleset } from '../model/types.ts';
import { toJson } from './toJson.ts';
import { LOSS, type LossKind } from './losses.ts';
import { comparableJson, nftSteps } from './kernelHarness.ts';
import { NFT_113, targetUnavailable } from '../testing/nft.ts';
import { compareVersions } from '../knowledge/versions.ts';
import { parsed } from './testUtil.ts';

/** The wiki's named-synproxy example as the wiki writes it (the golden corpus keeps it). */
const WIKI_NAMED_SYNPROXY = readFileSync(join(GOLDEN_DIR, 'wiki-synproxy-named.in.nft'), 'utf8');

/** The same ruleset with only its synproxy objects: what to create with text first. */
function synproxyObjectsOnly(rs: Ruleset): Ruleset {
  return { ...rs, tables: rs.tables.map((t) => ({ ...t, chains: [], sets: [], flowtables: [], objects: t.objects.filter((o) => o.type === 'synproxy') })) };
}

describeKernel('libnftables JSON: losses, shown on nft 1.0.6', () => {
  it('the wiki’s named synproxy: reported, refused as a whole, loads once the objects exist', () => {
    const design = parsed(WIKI_NAMED_SYNPROXY);
    const lossy = toJson(design, { targetVersion: '1.0.6' });
    expect(lossy.losses.map((l) => [l.what, l.since])).toEqual([
      [LOSS.synproxyObject.what, '1.1.0'],
      [LOSS.synproxyObject.what, '1.1.0'],
    ]);
    const newer = toJson(design, { targetVersion: '1.1.0' });
    expect(newer.losses).toEqual([]);
    const steps = nftSteps(
      { 'a.nft': WIKI_NAMED_SYNPROXY, 'lossy.json': lossy.json, 'newer.json': newer.json, 'objects.nft': emit(synproxyObjectsOnly(design)).text },
      ['-f a.nft', '-j list ruleset', 'flush ruleset', '-j -f newer.json', '-j -f lossy.json', 'list ruleset', '-f objects.nft', '-j -f lossy.json', '-j list ruleset'],
    );
    const [load, listA, , newerLoad, lossyLoad, afterFailure, objects, lossyAgain, listB] = steps;
    expect(load.status).toBe(0);
    // 1.0.6 cannot read the 1.1.0 form of the objects …
    expect(newerLoad.status).not.toBe(0);
    expect(newerLoad.stderr).toContain('Unknown object passed to add command');
    // … and without them the rules that use them fail: nothing is loaded, nothing silently differs
    expect(lossyLoad.status).not.toBe(0);
    expect(lossyLoad.stderr).toContain('No such file or directory');
    expect(afterFailure.stdout).toBe('');
    // the workaround: the objects in text first, then the JSON
    expect(objects.status).toBe(0);
    expect(lossyAgain.stderr).toBe('');
    expect(comparableJson(listB.stdout)).toEqual(comparableJson(listA.stdout));
  });

  interface Case {
    kind: LossKind;
    text: string;
    /** how nft 1.0.6 takes the newer form: refuses it (with this error), or loads it without the thing */
    refused?: string;
    /** JSON for the newer form, when toJson has none (the thing is never readable) */
    patch?: (items: Record<string, Record<string, unknown>>[]) => void;
    /** toJson for 1.0.6 writes the node without the thing (rather than leaving the node out) */
    partial?: boolean;
  }

  const cases: Case[] = [
    { kind: LOSS.tableComment, text: 'table ip t {\n\tcomment "mine"\n}\n', partial: true },
    { kind: LOSS.tableFlags, text: 'table ip t {\n\tflags dormant\n}\n', partial: true },
    { kind: LOSS.chainComment, text: 'table ip t {\n\tchain c {\n\t\tcomment "mine"\n\t}\n}\n', partial: true },
    {
      kind: LOSS.setComment,
      text: 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tcomment "mine"\n\t}\n}\n',
      patch: (items) => {
        items[2].set.comment = 'mine';
      },
      partial: true,
    },
    { kind: LOSS.dynamicFlag, text: 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags dynamic\n\t}\n}\n', refused: 'Invalid set flag', partial: true },
    { kind: LOSS.autoMerge, text: 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 10.0.0.0/24 }\n\t}\n}\n', partial: true },
    // 1.0.6 takes "dev" only as a string: an array is ignored
    { kind: LOSS.chainDevices, text: 'table netdev t {\n\tchain c {\n\t\ttype filter hook ingress devices = { eth0, eth1 } priority filter; policy accept;\n\t}\n}\n', refused: "Missing `device'" },
    // 1.0.6 takes "map" only as a string: the 1.1.0 array is ignored and a plain set is made
    { kind: LOSS.concatMapData, text: 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : ipv4_addr . inet_service\n\t}\n}\n' },
    { kind: LOSS.synproxyMap, text: 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : synproxy\n\t}\n}\n', refused: "Invalid map type 'synproxy'" },
    { kind: LOSS.ctExpectation, text: 'table ip t {\n\tct expectation e {\n\t\tprotocol udp\n\t\tdport 9876\n\t\ttimeout 2m\n\t\tsize 8\n\t\tl3proto ip\n\t}\n}\n', refused: 'missing options' },
    // the rule is left out; the map and the chain stay
    { kind: LOSS.mapUpdate, text: 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : inet_service\n\t}\n\n\tchain c {\n\t\tupdate @m { ip saddr : tcp sport }\n\t}\n}\n', refused: "Unknown statement object 'map'", partial: true },
    { kind: LOSS.ctTimeout, text: 'table ip t {\n\tct timeout short {\n\t\tprotocol tcp\n\t\tl3proto ip\n\t\tpolicy = { established : 120, close : 20 }\n\t}\n}\n' },
    { kind: LOSS.typeofKey, text: 'table ip t {\n\tset s {\n\t\ttypeof ip saddr\n\t\telements = { 10.0.0.1 }\n\t}\n}\n', refused: 'Invalid set datatype', partial: true },
  ];

  for (const c of cases) {
    it(`${c.kind.what}: 1.0.6 ${c.refused ? 'refuses' : 'drops'} it`, () => {
      const design = parsed(c.text);
      const lossy = toJson(design, { targetVersion: '1.0.6' });
      expect(lossy.losses.map((l) => l.what)).toEqual([c.kind.what]);
      let newer: string;
      if (c.patch) {
        const doc = JSON.parse(lossy.json) as { nftables: Record<string, Record<string, unknown>>[] };
        c.patch(doc.nftables);
        newer = JSON.stringify(doc);
      } else {
        const n = toJson(design, { targetVersion: c.kind.since });
        expect(n.losses).toEqual([]);
        newer = n.json;
      }
      const [load, textA, , newerLoad, textN, , lossyLoad, textL] = nftSteps({ 'a.nft': c.text, 'newer.json': newer, 'lossy.json': lossy.json }, [
        '-f a.nft',
        'list ruleset',
        'flush ruleset',
        '-j -f newer.json',
        'list ruleset',
        'flush ruleset',
        '-j -f lossy.json',
        'list ruleset',
      ]);
      expect(load.status).toBe(0);
      if (c.refused) {
        expect(newerLoad.status).not.toBe(0);
        expect(newerLoad.stderr).toContain(c.refused);
      } else {
        expect(newerLoad.stderr).toBe('');
        expect(textN.stdout).not.toBe(textA.stdout);
      }
      // what toJson writes for 1.0.6 loads, without the lost thing (or without the node)
      expect(lossyLoad.stderr).toBe('');
      expect(textL.stdout).not.toBe(textA.stdout);
      if (c.partial && !c.refused) expect(textL.stdout).toBe(textN.stdout);
      if (!c.partial) expect(textL.stdout).toBe(textA.stdout.replace(/\n\t[\s\S]*\n\t}\n/, '\n'));
    });
  }
});

describeKernel('libnftables JSON: what nft 1.1.3 carries', () => {
  // every loss that 1.1.3's JSON can carry: toJson for 1.1.3 reports none, and nft 1.1.3
  // loads that JSON into exactly what it loads from the text
  const carried = (Object.values(LOSS) as LossKind[]).filter((k) => k.since !== undefined && compareVersions('1.1.3', k.since) >= 0);
  const texts: Partial<Record<string, string>> = {
    [LOSS.tableComment.what]: 'table ip t {\n\tcomment "mine"\n}\n',
    [LOSS.tableFlags.what]: 'table ip t {\n\tflags dormant\n}\n',
    [LOSS.chainComment.what]: 'table ip t {\n\tchain c {\n\t\tcomment "mine"\n\t}\n}\n',
    [LOSS.chainDevices.what]: 'table netdev t {\n\tchain c {\n\t\ttype filter hook ingress devices = { "eth0", "eth1" } priority filter; policy accept;\n\t}\n}\n',
    [LOSS.typeofKey.what]: 'table ip t {\n\tset s {\n\t\ttypeof ip saddr . tcp dport\n\t\telements = { 10.0.0.1 . 22 }\n\t}\n\tmap m {\n\t\ttypeof meta mark : ip daddr\n\t}\n}\n',
    [LOSS.dynamicFlag.what]: 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags dynamic\n\t}\n}\n',
    [LOSS.autoMerge.what]: 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 10.0.0.0/24 }\n\t}\n}\n',
    [LOSS.concatMapData.what]: 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : ipv4_addr . inet_service\n\t}\n}\n',
    [LOSS.synproxyObject.what]: 'table ip t {\n\tsynproxy sp {\n\t\tmss 1460\n\t\twscale 7\n\t\ttimestamp sack-perm\n\t}\n}\n',
    [LOSS.synproxyMap.what]: 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : synproxy\n\t}\n}\n',
    [LOSS.ctExpectation.what]: 'table ip t {\n\tct expectation e {\n\t\tprotocol udp\n\t\tdport 9876\n\t\ttimeout 2m\n\t\tsize 8\n\t\tl3proto ip\n\t}\n}\n',
    [LOSS.mapUpdate.what]: 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : inet_service\n\t}\n\n\tchain c {\n\t\tupdate @m { ip saddr : tcp sport }\n\t}\n}\n',
    [LOSS.ctTimeout.what]: 'table ip t {\n\tct timeout short {\n\t\tprotocol tcp\n\t\tl3proto ip\n\t\tpolicy = { established : 120, close : 20 }\n\t}\n}\n',
  };
  it('has a case for every loss 1.1.3 can carry', () => {
    expect(carried.map((k) => k.what).filter((w) => texts[w] === undefined)).toEqual([]);
  });
  for (const kind of carried) {
    const text = texts[kind.what];
    if (text === undefined) continue;
    it(`${kind.what}: toJson for 1.1.3 carries it, and nft 1.1.3 loads the same ruleset from it`, (ctx) => {
      if (targetUnavailable('1.1.3')) return ctx.skip();
      const out = toJson(parsed(text), { targetVersion: '1.1.3' });
      expect(out.losses).toEqual([]);
      const [load, fromText, , loadJson, fromJsonText] = nftSteps({ 'a.nft': text, 'a.json': out.json }, ['-f a.nft', 'list ruleset', 'flush ruleset', '-j -f a.json', 'list ruleset'], NFT_113);
      expect(load.stderr).toBe('');
      expect(loadJson.stderr).toBe('');
      expect(fromJsonText.stdout).toBe(fromText.stdout);
    });
  }
});
