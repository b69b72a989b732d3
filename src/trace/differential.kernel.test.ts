/**
 * The packet trace against the kernel's own: a client and a host network
 * namespace joined by veth (198.18.0.0/24), the design loaded in the host with a
 * tracing table (`meta nftrace set 1` at the earliest priority of prerouting and
 * output), packets sent for real from the client (hping3: any flags, UDP, ICMP;
 * and a real TCP connect through the stack for synproxy), `nft monitor trace`
 * collected, and every client packet the kernel traced fed — in the kernel's own
 * description of it, its `packet:` line — to the evaluator as one flow. The
 * kernel's events (minus the tracing table's) must equal the evaluator's, event
 * by event, for nft 1.0.6 and 1.1.3.
 *
 * Kernel findings on 6.18 that the evaluator follows (seen here): a rule that
 * matches without a verdict is `(verdict continue)`; `jump` then `return` comes
 * back to the calling chain; a chain entered by `goto` that ends without a verdict
 * emits nothing and the base chain's policy follows; `reject` is `(verdict drop)`;
 * the synproxy SYN is `(verdict stolen)`; every base chain a packet leaves without
 * a verdict ends with its `policy` event; an ICMP error is related to the
 * connection of the packet it quotes (in that connection's reply direction, with
 * its ct mark) when it is sent to that packet's source, and invalid when it
 * quotes nothing tracked; a reject's reset or ICMP error is related, reply
 * direction, to the refused packet's never-confirmed entry.
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { designOf, needTarget, nftOf } from '../testing/targets.ts';
import { CLIENT, HOST, HOST6, HOST_ETH1, LAB_INTERFACES, Lab, SERVER, groups, specOf, type Step } from '../testing/traceLab.ts';
import { LISTING_TARGETS, type ListingTarget } from '../knowledge/listing.ts';
import { trace, TCP_LOOSE } from './evaluate.ts';
import { eventForComparison, type TraceEvent } from './events.ts';

interface Case {
  name: string;
  ruleset: string;
  steps: Step[];
  sysctls?: Record<string, string>;
  /** a server behind the host's eth1: packets are forwarded, and the server's answers are traced too */
  server?: boolean;
  /** IPv6 on the link (2001:2::1 and ::2) */
  ipv6?: boolean;
}

const syn = (dport: number, sport: number, more: string[] = []): Step => ({ kind: 'hping', args: ['-S', '-s', String(sport), '-k', '-p', String(dport), ...more] });

const CASES: Case[] = [
  {
    name: 'jump, return, goto, a counter, a verdict map, reject, the policy',
    ruleset: `table inet t {
	chain in {
		type filter hook input priority filter; policy drop;
		tcp dport 22 jump sub
		tcp dport 23 goto sub
		counter
		tcp dport vmap { 24 : accept, 25 : drop }
		tcp dport 26 reject with tcp reset
		udp dport 9 accept
	}
	chain sub {
		ip saddr 10.0.0.0/8 accept
		tcp dport 22 return
	}
}`,
    steps: [22, 23, 24, 25, 26, 27].map((p, i) => syn(p, 40000 + i)),
  },
  {
    name: 'sets with intervals and concatenations, marks set and seen, two tables by priority',
    ruleset: `table ip a {
	set nets {
		type ipv4_addr
		flags interval
		elements = { 198.18.0.0/28, 203.0.113.0/24 }
	}
	set pairs {
		type ipv4_addr . inet_service
		elements = { 198.18.0.2 . 81 }
	}
	chain in {
		type filter hook input priority 10; policy accept;
		ip saddr . tcp dport @pairs meta mark set 0x00000002
		meta mark 0x00000002 accept
		tcp dport 80-90 ip saddr @nets drop
	}
}
table inet b {
	chain in {
		type filter hook input priority -10; policy accept;
		tcp flags & (syn | ack) == syn counter
	}
}`,
    steps: [syn(81, 41000), syn(85, 41001), syn(95, 41002), { kind: 'hping', args: ['-A', '-s', '41003', '-k', '-p', '85'] }],
  },
  {
    name: 'a map lookup that finds no element ends its rule unmatched; != against flags compares the whole value',
    ruleset: `table ip t {
	map marks {
		type inet_service : mark
		elements = { 22 : 0x00000001 }
	}

	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		dnat to tcp dport map { 80 : 198.18.0.1 }
		tcp dport 8080 counter
	}

	chain in {
		type filter hook input priority filter; policy accept;
		meta mark set tcp dport map @marks
		meta mark 0x00000001 counter
		tcp flags != syn counter
		ct state != established,related counter
	}
}`,
    steps: [syn(22, 41100), syn(8080, 41101), { kind: 'hping', args: ['-S', '-A', '-s', '41102', '-k', '-p', '8081'] }],
  },
  {
    name: 'UDP and ICMP, conntrack new',
    ruleset: `table inet t {
	chain in {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		icmp type echo-request ct state new accept
		udp dport 53 accept
	}
}`,
    steps: [{ kind: 'hping', args: ['-1'] }, { kind: 'hping', args: ['-2', '-s', '42000', '-k', '-p', '53'] }, { kind: 'hping', args: ['-2', '-s', '42001', '-k', '-p', '54'] }],
  },
  {
    name: 'ICMP errors and reject\'s answers: related to the connection they quote, in its reply direction, with its ct mark; an error quoting nothing tracked is invalid',
    ruleset: `table inet t {
	chain in {
		type filter hook input priority filter; policy drop;
		ct state related ct mark 0x00000005 counter accept
		ct state related ct direction reply counter accept
		ct state related counter accept
		ct state established accept
		udp dport 9 accept
		udp dport 7000 accept
		udp dport 7001 reject
		tcp dport 7003 reject with tcp reset
		icmp type destination-unreachable ct state invalid counter
	}
	chain out {
		type filter hook output priority filter; policy accept;
		udp dport 7103 ct mark set 0x00000005
		ct state related ct direction reply counter
		ct state related counter
		ct state new counter
		ct state established counter
		ct state invalid counter
	}
}`,
    steps: [
      // an error before the host has sent anything: it quotes no connection
      { kind: 'hping', args: ['-1', '-C', '3', '-K', '3', '--icmp-ipproto', '17', '--icmp-ipsrc', HOST, '--icmp-ipdst', CLIENT, '--icmp-srcport', '7200', '--icmp-dstport', '7201'] },
      // the host answers with port-unreachable (no socket), reject's ICMP error, reject's TCP reset
      { kind: 'hping', args: ['-2', '-s', '42000', '-k', '-p', '7000'] },
      { kind: 'hping', args: ['-2', '-s', '42001', '-k', '-p', '7001'] },
      syn(7003, 42003),
      // the host sends to a closed port of the client, which answers port-unreachable; then a copy of that error
      { kind: 'fromHost', sport: 7100, dport: 7101 },
      { kind: 'fromHost', sport: 7102, dport: 7103 },
      { kind: 'hping', args: ['-1', '-C', '3', '-K', '3', '--icmp-ipproto', '17', '--icmp-ipsrc', HOST, '--icmp-ipdst', CLIENT, '--icmp-srcport', '7102', '--icmp-dstport', '7103'] },
    ],
  },
  ...(['0', '1'] as const).map(
    (loose): Case => ({
      name: `a reset closes the connection: the same SYN again is new; after it an ACK is ${loose === '1' ? 'picked up as new' : 'invalid'}, a FIN invalid, nf_conntrack_tcp_loose=${loose}`,
      ruleset: `table inet t {
	chain in {
		type filter hook input priority filter; policy accept;
		ct state new counter
		ct state established counter
		ct state invalid counter
	}
	chain out {
		type filter hook output priority filter; policy accept;
		ct state new counter
		ct state established counter
		ct state invalid counter
	}
}`,
      sysctls: { [TCP_LOOSE]: loose },
      steps: [
        // no listener on 7777: the host's stack answers each with a reset
        syn(7777, 46000),
        syn(7777, 46000),
        { kind: 'hping', args: ['-A', '-s', '46000', '-k', '-p', '7777'] },
        { kind: 'hping', args: ['-F', '-A', '-s', '46000', '-k', '-p', '7777'] },
        { kind: 'hping', args: ['-S', '-A', '-s', '46001', '-k', '-p', '7778'] },
        { kind: 'hping', args: ['-R', '-s', '46002', '-k', '-p', '7779'] },
      ],
    }),
  ),
  {
    name: 'the TCP state machine: a closed connection reopened by a SYN, an ACK before any SYN-ACK, the flag combinations conntrack refuses, a reset before any answer; a set of one flag value (a bit test in 1.0.6, exact in 1.1)',
    ruleset: `table inet t {
	chain outraw {
		type filter hook output priority raw; policy accept;
		tcp sport 7001 notrack
	}
	chain in {
		type filter hook input priority filter; policy accept;
		ct state new counter
		ct state established counter
		ct state invalid counter
		ct state untracked counter
		tcp flags { syn } counter
		tcp flags { fin | syn } counter
	}
	chain out {
		type filter hook output priority filter; policy accept;
		ct state new counter
		ct state established counter
		ct state invalid counter
		ct state untracked counter
	}
}`,
    sysctls: { [TCP_LOOSE]: '0' },
    steps: [
      // a whole connection from port 47100, the host closing first (its side ends in TIME_WAIT); then a SYN from the same port
      { kind: 'connect', port: 7000, sport: 47100 },
      syn(7000, 47100),
      // nothing listens on 7001 and the host's resets are untracked: the entry stays in SYN_SENT.
      // Sequence numbers are fixed (-M): the reset must fall inside the window the SYN opened (the trace assumes it does)
      syn(7001, 47200, ['-M', '1000']),
      { kind: 'hping', args: ['-A', '-M', '1001', '-s', '47200', '-k', '-p', '7001'] },
      { kind: 'hping', args: ['-S', '-A', '-M', '1000', '-s', '47200', '-k', '-p', '7001'] },
      syn(7001, 47200, ['-M', '1000']),
      { kind: 'hping', args: ['-R', '-M', '1001', '-s', '47200', '-k', '-p', '7001'] },
      { kind: 'hping', args: ['-A', '-s', '47200', '-k', '-p', '7001'] },
      syn(7001, 47201, ['-F']),
      { kind: 'hping', args: ['-F', '-s', '47202', '-k', '-p', '7001'] },
      { kind: 'hping', args: ['-s', '47203', '-k', '-p', '7001'] },
      { kind: 'hping', args: ['-F', '-P', '-U', '-s', '47204', '-k', '-p', '7001'] },
      syn(7001, 47205, ['-X', '-Y']),
    ],
  },
  {
    name: 'forwarded: dnat to a server behind eth1 and masquerade, a real connect through them, the interfaces as each hook sees them, reject, ping and its reply',
    server: true,
    ruleset: `table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 8080 dnat to ${SERVER}:80
	}
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" masquerade
	}
}
table inet f {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		oifname "eth1" counter
		oifname != "eth1" iifname "eth0" counter
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "eth0" oifname "eth1" ct status dnat tcp dport 80 accept
		oifname "eth1" tcp dport 22 reject with tcp reset
		iifname "eth0" oifname "eth1" icmp type echo-request meta mark set 0x00000002
		meta mark 0x00000002 accept
	}
	chain post {
		type filter hook postrouting priority 50; policy accept;
		iifname "eth0" counter
		iifname != "eth0" oifname "eth1" ip saddr ${CLIENT} counter
		oifname "eth0" ip saddr ${SERVER} counter
	}
	chain post2 {
		type filter hook postrouting priority 150; policy accept;
		oifname "eth1" ip saddr ${HOST_ETH1} counter
		oifname "eth0" ip saddr ${HOST} counter
	}
}`,
    steps: [
      { kind: 'connect', port: 8080, serverPort: 80 },
      { kind: 'hping', args: ['-S', '-s', '44000', '-k', '-p', '22'], to: SERVER },
      { kind: 'hping', args: ['-1'], to: SERVER },
      { kind: 'hping', args: ['-2', '-s', '44001', '-k', '-p', '5353'], to: SERVER },
    ],
  },
  {
    name: 'IPv6 in an inet table: ICMPv6 echo, UDP, crafted TCP flags, a real connect, IPv4-only matches never meeting an IPv6 packet, reject',
    ipv6: true,
    ruleset: `table inet t {
	chain in {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ct state invalid counter drop
		ip6 saddr 2001:2::/64 icmpv6 type echo-request accept
		meta nfproto ipv6 udp dport 53 accept
		ip6 nexthdr udp udp dport 56 accept
		ip saddr 198.18.0.2 udp dport 54 accept
		meta l4proto udp udp dport 55 counter reject
		ip6 saddr . tcp dport { 2001:2::2 . 22 } ct state new accept
		tcp flags syn tcp dport 23 drop
		udp dport 9 accept
	}
}`,
    steps: [
      { kind: 'send6', proto: 'icmpv6', id: 9 },
      { kind: 'send6', proto: 'udp', sport: 45000, dport: 53 },
      { kind: 'send6', proto: 'udp', sport: 45001, dport: 54 },
      { kind: 'send6', proto: 'udp', sport: 45005, dport: 56 },
      { kind: 'send6', proto: 'udp', sport: 45002, dport: 55 },
      { kind: 'send6', proto: 'tcp', sport: 45003, dport: 23, flags: ['syn'] },
      { kind: 'send6', proto: 'tcp', sport: 45004, dport: 24, flags: ['fin'] },
      { kind: 'connect', port: 22, to: HOST6 },
    ],
  },
  ...(['0', '1'] as const).map(
    (loose): Case => ({
      name: `synproxy on 8888, a real connect and a crafted ACK, nf_conntrack_tcp_loose=${loose}`,
      ruleset: `table inet t {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 8888 tcp flags syn notrack
	}
	chain in {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
		ct state invalid drop
		udp dport 9 accept
		iif "lo" accept
	}
}`,
      sysctls: { [TCP_LOOSE]: loose, 'net.ipv4.tcp_syncookies': '1', 'net.ipv4.tcp_timestamps': '1' },
      steps: [{ kind: 'hping', args: ['-A', '-s', '43000', '-k', '-p', '8888'] }, ...(loose === '0' ? [{ kind: 'connect', port: 8888 } as Step] : [syn(8888, 43001)])],
    }),
  ),
];

describeKernel('the packet trace agrees with the kernel (nft monitor trace)', () => {
  for (const v of LISTING_TARGETS as readonly ListingTarget[]) {
    for (const c of CASES) {
      it(`nft ${v}: ${c.name}`, async (ctx) => {
        needTarget(ctx, v);
        const lab = new Lab(nftOf(v), c.ruleset, c.sysctls ?? {}, { server: c.server, ipv6: c.ipv6 });
        try {
          await lab.start();
          for (const s of c.steps) await lab.send(s);
          // both directions: the host's own answers (SYN-ACK, RST, ICMP errors) change the connection's state
          const kernel = c.server ? lab.arrivals() : lab.flowGroups();
          if (process.env.NFTD_DIFF_RAW) console.log(lab.raw());
          if (process.env.NFTD_DIFF_SPECS) console.log(kernel.map((g, i) => `${i + 1}: ${specOf(g.packet)}`).join("\n"));
          expect(kernel.length).toBeGreaterThanOrEqual(c.steps.length);
          const specs = kernel.map((g) => specOf(g.packet));
          const ours = trace(designOf(c.ruleset), specs, { interfaces: LAB_INTERFACES, sysctls: c.sysctls ?? { [TCP_LOOSE]: '1' }, target: v }).packets;
          const show = (es: readonly TraceEvent[]) => es.map(eventForComparison);
          for (let i = 0; i < kernel.length; i++) {
            expect(show(ours[i].events), `packet ${i + 1}: ${specs[i]}`).toEqual(show(kernel[i].events));
          }
          console.log(`nft ${v} ${c.name}: ${kernel.length} of ${kernel.length} packets agree`);
        } finally {
          lab.close();
        }
      }, 60_000);
    }
  }
});

/**
 * synproxy's own handshake with a local server, against the kernel: after the
 * client's ACK with a valid cookie the kernel sends synproxy's SYN to the server
 * (`oif "lo"`, then back in by "lo"), and, once the server has it, the server's
 * SYN-ACK (taken by synproxy's hook after the chains), synproxy's ACK to the
 * server and its window update to the client. Each of those packets the trace
 * generates must have the kernel's events; the kernel traces a packet to the host
 * itself twice (leaving, and back in by "lo"), and the trace joins them. With an
 * input chain whose policy drops what comes in by "lo", the SYN never reaches the
 * server and the client's next packets are the half-open connection's (ct state new).
 */
const HANDSHAKE_CASES = [
  {
    name: 'the input chain lets synproxy\'s packets in by "lo": the connection opens',
    lo: '\t\tiif "lo" accept\n',
    opens: true,
  },
  {
    name: 'the input chain drops synproxy\'s SYN (policy drop, nothing for "lo"): the connection stays half-open',
    lo: '',
    opens: false,
  },
];

describeKernel('synproxy\'s handshake with the server, as the kernel sends it', () => {
  for (const v of LISTING_TARGETS as readonly ListingTarget[]) {
    for (const c of HANDSHAKE_CASES) {
      it(`nft ${v}: ${c.name}`, async (ctx) => {
        needTarget(ctx, v);
        const ruleset = `table inet t {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 8888 tcp flags syn notrack
	}

	chain in {
		type filter hook input priority filter; policy drop;
${c.lo}		ct state established,related accept
		tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
		ct state invalid drop
		udp dport 9 accept
	}

	chain out {
		type filter hook output priority filter; policy accept;
		tcp sport 8888 counter
	}

	chain post {
		type filter hook postrouting priority filter; policy accept;
		oif "lo" counter
	}
}`;
        const sysctls = { [TCP_LOOSE]: '0', 'net.ipv4.tcp_syncookies': '1', 'net.ipv4.tcp_timestamps': '1' };
        const lab = new Lab(nftOf(v), ruleset, sysctls, {});
        try {
          await lab.start();
          try {
            await lab.send({ kind: 'connect', port: 8888 });
          } catch (e) {
            // the client believes it is connected, and waits in vain for the server's answer
            if (c.opens) throw e;
            await lab.settle();
          }
          const client = lab.flowGroups().filter((g) => g.packet.includes('iif "eth0"'));
          const specs = client.map((g) => specOf(g.packet));
          const ours = trace(designOf(ruleset), specs, { interfaces: LAB_INTERFACES, sysctls, target: v }).packets;
          const show = (es: readonly TraceEvent[]) => es.map(eventForComparison);
          for (let i = 0; i < client.length; i++) expect(show(ours[i].events), `client packet ${i + 1}: ${specs[i]}`).toEqual(show(client[i].events));
          const generated = ours.flatMap((p) => p.generated ?? []);
          expect(generated.length).toBe(c.opens ? 4 : 1);
          // the kernel's groups of the same packet: its tuple and flags, leaving (output) and back in by "lo"
          const keyOf = (spec: string): string => {
            const m = (re: RegExp) => re.exec(spec)?.[1] ?? '';
            const flags = m(/tcp flags (\S+)/);
            const bits = flags.startsWith('0x') ? Number(flags) : flags.split(/[,|]/).reduce((a, f) => a | ({ fin: 1, syn: 2, rst: 4, psh: 8, ack: 16 } as Record<string, number>)[f], 0);
            return `${m(/ip saddr (\S+)/)} ${m(/ip daddr (\S+)/)} ${m(/tcp sport (\d+)/)} ${m(/tcp dport (\d+)/)} ${bits}`;
          };
          const all = groups(lab.raw()).filter((g) => g.events.length > 0);
          const used = new Set<unknown>();
          const take = (key: string, way: RegExp) => {
            const g = all.find((x) => !used.has(x) && way.test(x.packet) && keyOf(specOf(x.packet)) === key);
            if (g) used.add(g);
            return g?.events ?? [];
          };
          for (const [i, g] of generated.entries()) {
            const key = keyOf(g.packet);
            const kernel = [...take(key, /^oif /), ...(g.path.includes('input') ? take(key, /^iif "lo"/) : [])];
            expect(show(g.events), `sent by the kernel ${i + 1}: ${g.packet}`).toEqual(show(kernel));
          }
          if (!c.opens) expect(ours.slice(2).every((p) => p.ctState === 'new' && p.verdict === 'drop')).toBe(true);
          console.log(`nft ${v} ${c.name}: ${client.length} client packets and ${generated.length} of synproxy's agree`);
        } finally {
          lab.close();
        }
      }, 60_000);
    }
  }
});
