/**
 * Every golden file and template against the kernel's trace: for each rule an
 * IPv4 packet from the wire can meet (src/testing/rulePackets.ts), a packet made
 * to meet it is sent for real from the client namespace (hping3, spoofed sources
 * included) to the host namespace that runs the design plus a tracing table —
 * to one of the host's addresses, or, for a forward chain's rule, beyond it
 * (forwarded out of eth1 to a server namespace);
 * `nft monitor trace` is collected, and every packet the kernel traced is fed, in
 * the kernel's own description of it, to the evaluator as one flow. The kernel's
 * events must equal the evaluator's, event by event, for nft 1.0.6 and 1.1.3.
 * Each rule's packet is the first of its variants (protocol, flags, ports,
 * source: what the rule leaves open) that the evaluator shows reaching it.
 * Printed per file: the packets that agree, the rules the packets met (a packet
 * made for a rule can be decided earlier, by a rule above it, as in the kernel),
 * the rules no variant gets to, and the rules no packet from the wire can meet,
 * with the reason.
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { goldenCases } from '../testing/golden.ts';
import { packetsForRules } from '../testing/rulePackets.ts';
import { designOf, needTarget, nftOf } from '../testing/targets.ts';
import { BEYOND, CLIENT, HOST, LAB_INTERFACES, Lab, specOf, traceAtLabTimes } from '../testing/traceLab.ts';
import { LISTING_TARGETS, type ListingTarget } from '../knowledge/listing.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { TCP_LOOSE } from './evaluate.ts';
import { eventForComparison, type TraceEvent } from './events.ts';

const FILES: { name: string; text: (v: ListingTarget) => string }[] = [
  ...goldenCases().map((g) => ({ name: `golden ${g.name}`, text: (v: ListingTarget) => g.listings[v] })),
  ...TEMPLATES.map((t) => ({ name: `template ${t.id}`, text: () => t.text })),
];

/** What the kernel's description of a TCP or UDP packet hping3 sends contains: its source port (unique per packet). */
function sentBy(args: readonly string[]): string | undefined {
  const i = args.indexOf('-s');
  if (i < 0) return undefined;
  return `${args.includes('-2') ? 'udp' : 'tcp'} sport ${args[i + 1]} `;
}

/**
 * Files where the kernel and the evaluator still disagree, with what differs: the
 * test expects the disagreement (it.fails), so the day it is fixed this fails and
 * the entry goes.
 */
const DISAGREE: Readonly<Record<string, string>> = {};

const show = (es: readonly TraceEvent[]) => es.map(eventForComparison);

describeKernel('every golden file and template: a packet for each rule, the trace agrees with the kernel', () => {
  for (const v of LISTING_TARGETS as readonly ListingTarget[]) {
    for (const f of FILES) {
      const text = f.text(v);
      const design = designOf(text);
      // each rule's packet chosen, among its variants, as one the evaluator shows reaching the rule (the kernel then says whether it does)
      const { packets, none } = packetsForRules(design, CLIENT, HOST, { forwardTo: BEYOND, evaluate: { interfaces: LAB_INTERFACES, routes: [{ to: '0.0.0.0/0', dev: 'eth1' }], sysctls: { [TCP_LOOSE]: '1' }, target: v } });
      if (!packets.length) continue;
      const known = DISAGREE[f.name];
      (known ? it.fails : it)(`nft ${v}: ${f.name} (${packets.length} packets)${known ? ` — known disagreement: ${known}` : ''}`, async (ctx) => {
        needTarget(ctx, v);
        const localAddrs = [...new Set(packets.filter((p) => !p.forward).map((p) => p.daddr).filter((a) => a !== HOST))];
        const server = packets.some((p) => p.forward);
        const lab = new Lab(nftOf(v), text, {}, { localAddrs, server });
        try {
          await lab.start();
          // which arrival is the packet made for a rule (the others: the client's own answers, a RST to a SYN-ACK, …)
          const first: number[] = [];
          for (const p of packets) {
            const seen = sentBy(p.hping);
            await lab.sendQuick(p.hping, p.daddr, seen);
            const all = lab.arrivals();
            first.push(seen ? all.findIndex((g) => g.packet.includes(seen)) : all.length - 1);
          }
          await lab.settle();
          const kernel = lab.arrivals();
          expect(kernel.length, 'the kernel traced every packet sent').toBeGreaterThanOrEqual(packets.length);
          const specs = kernel.map((g) => specOf(g.packet));
          if (process.env.NFTD_DIFF_RAW) console.log(specs.join('\n'));
          const interfaces = [{ name: 'eth0', addrs: [`${HOST}/24`, ...localAddrs.map((a) => `${a}/32`)] }, ...LAB_INTERFACES.slice(1)];
          // the packets' times (when the kernel traced them): limits are the kernel's token buckets
          const times = lab.timesOf(kernel);
          const { packets: ours, moved } = traceAtLabTimes(design, specs, kernel.map((g) => g.events), { interfaces, routes: server ? [{ to: '0.0.0.0/0', dev: 'eth1' }] : [], sysctls: { [TCP_LOOSE]: '1' }, times, target: v });
          for (let i = 0; i < kernel.length; i++) {
            const made = packets[first.indexOf(i)];
            expect(show(ours[i].events), `packet ${i + 1} (${made ? `made for "${made.rule}" in ${made.chain}` : "the client's own answer"}): ${specs[i]}`).toEqual(show(kernel[i].events));
          }
          const met = packets.filter((p, i) => first[i] >= 0 && ours[first[i]].ruleIds.includes(p.ruleId)).length;
          const past = packets.filter((p) => p.reaches === false);
          console.log(
            `nft ${v} ${f.name}: ${kernel.length} of ${kernel.length} packets agree (${packets.length} sent for rules, the rest the client's answers)${moved.length ? `, ${moved.length} of them with a limit decided within the lab's timing error (moved by at most 50 ms)` : ''}; ${met} of ${packets.length} rules met by their packet${past.length ? ` (${past.length} that no packet tried gets to, the rules above deciding them all, e.g. "${past[0].rule.split('\n')[0]}")` : ''}; ${none.length} rules no packet from the wire can meet${none.length ? ` (${[...new Set(none.map((n) => n.why))].slice(0, 4).join('; ')})` : ''}`,
          );
        } finally {
          lab.close();
        }
      }, 120_000);
    }
  }
});
