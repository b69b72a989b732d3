import { describe, expect, it } from 'vitest';
import { eventForComparison } from '../trace/events.ts';
import { groups, traceAtLabTimes } from './traceLab.ts';
import { parse } from '../parse/index.ts';
import { trace } from '../trace/evaluate.ts';

// `nft monitor trace` as 1.1.3 printed it on this kernel for a packet sent into
// `iifname "eth0" goto { ip saddr 1.2.3.4 counter drop; drop; }`
const MONITOR = `trace id 24483bb8 inet nftd_trace pre packet: iif "eth0" ip saddr 198.18.0.2 ip daddr 198.18.0.1 tcp sport 20000 tcp dport 9999
trace id 24483bb8 inet nftd_trace pre rule meta nftrace set 1 (verdict continue)
trace id 24483bb8 inet nftd_trace pre policy accept
trace id 24483bb8 ip proxy4 pre policy accept
trace id 24483bb8 inet proxy pre rule iifname "eth0" goto {
\t\t\tip saddr 1.2.3.4 counter packets 0 bytes 0 drop
\t\t\tdrop
\t\t} (verdict goto __chain19)
trace id 24483bb8 inet proxy __chain19 unknown rule handle 13 (verdict drop)
`;

describe('the lab reads nft monitor trace', () => {
  it('a rule printed on several lines (a chain binding) is one event, and a rule nft cannot show is still an event', () => {
    const [g] = groups(MONITOR);
    expect(g.events.map((e) => [e.chain, e.type, e.verdict])).toEqual([
      ['pre', 'policy', 'accept'],
      ['pre', 'rule', 'goto __chain19'],
      ['__chain19', 'rule', 'drop'],
    ]);
    expect(g.events[1].rule).toContain('ip saddr 1.2.3.4 counter drop');
    expect(g.events[2].rule).toBe('unknown rule handle 13');
  });

  it("compares a binding by place and verdict: the kernel's __chainN and the evaluator's anonymous chain are the same", () => {
    const [g] = groups(MONITOR);
    const ours = [
      { family: 'inet', table: 'proxy', chain: 'pre', type: 'rule', rule: 'iifname "eth0" goto {\n\t\t\tip saddr 1.2.3.4 counter packets 0 bytes 0 drop\n\t\t\tdrop\n\t\t}', verdict: 'goto (anonymous chain)' },
      { family: 'inet', table: 'proxy', chain: 'pre (anonymous chain)', type: 'rule', rule: 'drop', verdict: 'drop' },
    ] as const;
    expect(ours.map(eventForComparison)).toEqual(g.events.slice(1).map(eventForComparison));
    // the verdict is still compared
    expect(eventForComparison({ ...ours[1], verdict: 'accept' })).not.toBe(eventForComparison(g.events[2]));
  });
});

describe('the lab\'s times and the limits', () => {
  const design = parse(`table ip t { chain in { type filter hook input priority 0; policy drop; limit rate 10/second accept; }
}`).ruleset;
  const specs = Array.from({ length: 7 }, (_x, i) => `iif "eth0" ip saddr 198.18.0.2 ip daddr 198.18.0.1 udp sport ${100 + i} udp dport 53`);
  const opts = { hostAddrs: ['198.18.0.1'] };
  it('a limit the kernel decided within the timing error the other way: that packet is moved, and said so', () => {
    // the burst of 5 at once, then the sixth 95 ms later is short of its 100 ms by 5 ms; the kernel let it through (it came a little later)
    const times = [0, 0, 0, 0, 0, 0.095, 0.3];
    const kernel = trace(design, specs, { ...opts, times: [0, 0, 0, 0, 0, 0.101, 0.3] }).packets.map((p) => p.events);
    expect(trace(design, specs, { ...opts, times }).packets[5].verdict).toBe('drop');
    const r = traceAtLabTimes(design, specs, kernel, { ...opts, times });
    expect(r.moved).toEqual([5]);
    expect(r.packets[5].verdict).toBe('accept');
  });
  it('a difference no limit near its threshold explains is left as it is', () => {
    const times = [0, 0, 0, 0, 0, 0, 0];
    const kernel = trace(design, specs, { ...opts, times: [0, 0, 0, 0, 0, 1, 1] }).packets.map((p) => p.events);
    const r = traceAtLabTimes(design, specs, kernel, { ...opts, times });
    expect(r.moved).toEqual([]);
    expect(r.packets[5].verdict).toBe('drop');
  });
});
