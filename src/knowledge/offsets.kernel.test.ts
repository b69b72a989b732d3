/**
 * The header offsets of the payload table against nft's own bytecode: each
 * field with an `offset` alone in a rule, `nft --debug=netlink -c` (in a
 * private namespace) prints the load nft makes — its header, its offset and its
 * length — for nft 1.0.6 and 1.1.3. The emitter's payload merge
 * (emit/payloadMerge.ts) reads these offsets.
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { needTarget, nftOf } from '../testing/targets.ts';
import { nftInNamespace } from '../testing/nft.ts';
import { LISTING_TARGETS, type ListingTarget } from './listing.ts';
import { PAYLOAD_FIELDS } from './expressions.ts';
import { PAYLOAD_BASE } from '../emit/payloadMerge.ts';

const SAMPLE: Readonly<Record<string, string>> = { ipv4_addr: '10.0.0.1', ipv6_addr: '::1', ether_addr: '00:11:22:33:44:55', inet_service: '22', icmp_type: 'echo-request', icmpv6_type: 'echo-request', inet_proto: 'tcp', ether_type: 'ip' };
const HEADER = { ll: 'link', network: 'network', transport: 'transport' } as const;

describeKernel('payload offsets are nft\'s', () => {
  for (const v of LISTING_TARGETS as readonly ListingTarget[]) {
    it(`nft ${v}: every field with an offset is loaded from there, with its width`, (ctx) => {
      needTarget(ctx, v);
      const rules: { sel: string; base: string; offset: number; bits: number }[] = [];
      for (const [proto, fields] of Object.entries(PAYLOAD_FIELDS)) {
        for (const [field, info] of Object.entries(fields)) {
          if (info.offset === undefined || info.bits === undefined) continue;
          rules.push({ sel: `${proto} ${field}`, base: HEADER[PAYLOAD_BASE[proto]], offset: info.offset, bits: info.bits });
        }
      }
      expect(rules.length).toBeGreaterThan(40);
      const text = `table netdev t {\n\tchain c {\n${rules.map((r) => `\t\t${r.sel} ${SAMPLE[PAYLOAD_FIELDS[r.sel.split(' ')[0]][r.sel.split(' ')[1]].type] ?? '1'}`).join('\n')}\n\t}\n}\n`;
      const out = nftInNamespace(text, { nft: nftOf(v), check: true, debugNetlink: true });
      expect(out.ok, out.stderr).toBe(true);
      // one block per rule, in order: its last payload load is the field's
      const blocks = out.stdout.split(/\n(?=netdev t c\n)|\n\n/).map((b) => b.trim()).filter((b) => b.startsWith('netdev t c\n'));
      expect(blocks).toHaveLength(rules.length);
      const wrong: string[] = [];
      rules.forEach((r, i) => {
        const loads = [...blocks[i].matchAll(/payload load (\d+)b @ (link|network|transport) header \+ (\d+)/g)];
        const last = loads[loads.length - 1];
        const seen = last ? `${last[2]} + ${Number(last[3]) * 8} bits, ${Number(last[1]) * 8} bits` : 'no load';
        const ours = `${r.base} + ${r.offset} bits, ${r.bits} bits`;
        if (seen !== ours) wrong.push(`${r.sel}: nft ${v} loads ${seen}, the table says ${ours}`);
      });
      expect(wrong).toEqual([]);
    });
  }
});
