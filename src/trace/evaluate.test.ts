import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from '../emit/index.ts';
import { trace, TCP_LOOSE } from './evaluate.ts';
import { eventLine } from './events.ts';
import { parsePacket, PacketSpecError } from './packet.ts';
import { SCENARIOS, scenario } from './scenarios.ts';
import { sequenceOf, usesSynproxy } from './sequence.ts';
import { TEMPLATES } from '../templates/catalog.ts';

const design = (text: string) => {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset;
};
const lines = (text: string, specs: string[], opts: Parameters<typeof trace>[2] = {}) =>
  trace(design(text), specs, { hostAddrs: ['198.18.0.1'], ...opts }).packets.map((p) => ({ verdict: p.verdict, ct: p.ctState, events: p.events.map(eventLine) }));

const IN = (host = '198.18.0.1', rest = '') => `iif "eth0" ip saddr 198.18.0.2 ip daddr ${host} ${rest}`;

const SYNPROXY = `table inet t {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 8888 tcp flags syn notrack
	}
	chain in {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
		ct state invalid drop
		iif "lo" accept
	}
}`;

describe('what nft adds to a rule', () => {
  it('icmp id matches echo messages only, as nft adds icmp type { echo-reply, echo-request } (and the event lists it)', () => {
    const text = 'table ip t { chain c { type filter hook input priority 0; policy drop; icmp id 5 accept; }\n}';
    const echo = lines(text, [IN('198.18.0.1', 'icmp type echo-request icmp id 5')])[0];
    expect(echo.verdict).toBe('accept');
    expect(echo.events.join('\n')).toContain('icmp type { echo-reply, echo-request } icmp id 5 accept');
    expect(lines(text, [IN('198.18.0.1', 'icmp type time-exceeded icmp id 5')])[0].verdict).toBe('drop');
  });
});

describe('verdicts, as the kernel applies them', () => {
  it('accept ends only its base chain: a later base chain on the same hook still sees the packet', () => {
    const r = lines(
      `table ip a { chain c { type filter hook input priority 0; policy accept; tcp dport 22 accept; }
}
table ip b { chain c { type filter hook input priority 10; policy drop; }
}`,
      [IN('198.18.0.1', 'tcp dport 22')],
    );
    expect(r[0].verdict).toBe('drop');
    expect(r[0].events).toEqual(['ip a c rule tcp dport 22 accept (verdict accept)', 'ip b c policy drop']);
  });

  it('runs base chains in priority order, whatever the order of the tables', () => {
    const r = lines(
      `table ip late { chain c { type filter hook input priority 100; policy accept; counter; }
}
table ip early { chain c { type filter hook input priority -100; policy accept; counter; }
}`,
      [IN('198.18.0.1', 'udp dport 53')],
    );
    expect(r[0].events.map((e) => e.split(' ')[1])).toEqual(['early', 'early', 'late', 'late']);
  });

  it('jump returns to the rule after it; goto does not; return in the called chain goes back', () => {
    const text = `table inet t {
	chain in {
		type filter hook input priority filter; policy drop;
		tcp dport 22 jump a
		tcp dport 23 goto b
		tcp dport { 22, 23 } accept
	}
	chain a {
		ip saddr 10.0.0.0/8 return
		counter
	}
	chain b {
		counter
	}
}`;
    const [j, g] = lines(text, [IN('198.18.0.1', 'tcp dport 22'), IN('198.18.0.1', 'tcp dport 23')]);
    expect(j.events).toEqual([
      'inet t in rule tcp dport 22 jump a (verdict jump a)',
      'inet t a rule counter packets 0 bytes 0 (verdict continue)',
      'inet t in rule tcp dport { 22, 23 } accept (verdict accept)',
    ]);
    expect(j.verdict).toBe('accept');
    // goto: the end of b ends the base chain's evaluation, so its policy decides
    expect(g.events).toEqual(['inet t in rule tcp dport 23 goto b (verdict goto b)', 'inet t b rule counter packets 0 bytes 0 (verdict continue)', 'inet t in policy drop']);
    const [ret] = lines(text, ['iif "eth0" ip saddr 10.1.1.1 ip daddr 198.18.0.1 tcp dport 22']);
    expect(ret.events.slice(0, 2)).toEqual(['inet t in rule tcp dport 22 jump a (verdict jump a)', 'inet t a rule ip saddr 10.0.0.0/8 return (verdict return)']);
    expect(ret.verdict).toBe('accept');
  });

  it('reject shows as verdict drop and ends the packet', () => {
    const [r] = lines(`table inet t { chain in { type filter hook input priority 0; policy accept; tcp dport 23 reject with tcp reset; }
}`, [IN('198.18.0.1', 'tcp dport 23')]);
    expect(r).toEqual({ verdict: 'drop', ct: 'new', events: ['inet t in rule tcp dport 23 reject with tcp reset (verdict drop)'] });
  });

  it('a verdict map decides by its key; a key it lacks goes on', () => {
    const text = `table inet t { chain in { type filter hook input priority 0; policy drop; tcp dport vmap { 22 : accept, 23 : drop }; }
}`;
    const [a, b, c] = lines(text, [IN('198.18.0.1', 'tcp dport 22'), IN('198.18.0.1', 'tcp dport 23'), IN('198.18.0.1', 'tcp dport 24')]);
    expect(a.events).toEqual(['inet t in rule tcp dport vmap { 22 : accept, 23 : drop } (verdict accept)']);
    expect(b.verdict).toBe('drop');
    expect(c.events).toEqual(['inet t in policy drop']);
  });
});

describe('matches over what the core structures', () => {
  const SETS = `table inet t {
	set nets {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8, 192.0.2.10-192.0.2.20 }
	}
	set pairs {
		type ipv4_addr . inet_service
		elements = { 198.18.0.2 . 22 }
	}
	chain in {
		type filter hook input priority 0; policy drop;
		ip saddr @nets accept
		ip saddr . tcp dport @pairs accept
		tcp flags & (syn | ack) == syn tcp dport 1000-2000 accept
		meta l4proto udp udp dport != 53 drop
	}
}`;
  const v = (spec: string) => lines(SETS, [spec])[0].verdict;
  it('intervals and prefixes of a named set', () => {
    expect(v('iif "eth0" ip saddr 10.2.3.4 ip daddr 198.18.0.1 tcp dport 9')).toBe('accept');
    expect(v('iif "eth0" ip saddr 192.0.2.15 ip daddr 198.18.0.1 tcp dport 9')).toBe('accept');
    expect(v('iif "eth0" ip saddr 192.0.2.21 ip daddr 198.18.0.1 tcp dport 9')).toBe('drop');
  });
  it('concatenations', () => {
    expect(v('iif "eth0" ip saddr 198.18.0.2 ip daddr 198.18.0.1 tcp dport 22')).toBe('accept');
    expect(v('iif "eth0" ip saddr 198.18.0.2 ip daddr 198.18.0.1 tcp dport 23')).toBe('drop');
  });
  it('masked flags and ranges', () => {
    expect(v('iif "eth0" ip saddr 1.1.1.1 ip daddr 198.18.0.1 tcp dport 1500 tcp flags syn')).toBe('accept');
    expect(v('iif "eth0" ip saddr 1.1.1.1 ip daddr 198.18.0.1 tcp dport 1500 tcp flags syn,ack')).toBe('drop');
  });
  it('a tcp field does not match a UDP packet (the implicit protocol dependency), and the why says so', () => {
    const r = trace(design(SETS), ['iif "eth0" ip saddr 1.1.1.1 ip daddr 198.18.0.1 udp dport 53'], { hostAddrs: ['198.18.0.1'] }).packets[0];
    expect(r.verdict).toBe('drop');
    expect(r.whyNot.find((w) => w.rule.startsWith('tcp flags'))?.why).toBe('the packet is udp, not tcp');
    expect(r.whyNot.find((w) => w.rule.startsWith('udp dport'))?.why).toBe('udp dport is 53');
  });
  it('the catch-all element answers what no other element does', () => {
    const [a, b] = lines(`table inet t { map m { type inet_service : verdict; elements = { 22 : accept, * : drop }; }
	chain in { type filter hook input priority 0; policy accept; tcp dport vmap @m; }
}`, [IN('198.18.0.1', 'tcp dport 22'), IN('198.18.0.1', 'tcp dport 80')]);
    expect([a.verdict, b.verdict]).toEqual(['accept', 'drop']);
  });
  it('interface names, with a wildcard', () => {
    const text = `table inet t { chain in { type filter hook input priority 0; policy drop; iifname "wg*" accept; }
}`;
    expect(lines(text, ['iifname "wg0" ip saddr 1.1.1.1 ip daddr 198.18.0.1'])[0].verdict).toBe('accept');
    expect(lines(text, ['iifname "eth0" ip saddr 1.1.1.1 ip daddr 198.18.0.1'])[0].verdict).toBe('drop');
  });
});

describe('flows: one conntrack table for a sequence of packets', () => {
  const SERVER = `table inet t {
	chain in {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		ct state new tcp dport 22 accept
	}
	chain out {
		type filter hook output priority 0; policy accept;
		ct state established counter
	}
}`;
  it('an element added with a timeout is gone once it has timed out (--times), and the assumption is stated without times', () => {
    const text = `table inet t {
	set seen {
		type inet_service
		flags dynamic,timeout
		timeout 1m
	}
	chain in {
		type filter hook input priority filter; policy accept;
		tcp dport 1000 add @seen { tcp sport }
		tcp dport 1001 update @seen { tcp sport timeout 2m }
		tcp dport 2000 tcp sport @seen drop
	}
}`;
    const add = IN('198.18.0.1', 'tcp sport 40001 tcp dport 1000');
    const refresh = IN('198.18.0.1', 'tcp sport 40001 tcp dport 1001');
    const probe = IN('198.18.0.1', 'tcp sport 40001 tcp dport 2000');
    expect(lines(text, [add, probe], { times: [0, 30] }).map((p) => p.verdict)).toEqual(['accept', 'drop']);
    expect(lines(text, [add, probe], { times: [0, 100] }).map((p) => p.verdict)).toEqual(['accept', 'accept']);
    // update restarts the element's timeout, with its own (2m)
    expect(lines(text, [add, refresh, probe], { times: [0, 50, 150] }).map((p) => p.verdict)).toEqual(['accept', 'accept', 'drop']);
    expect(lines(text, [add, refresh, probe], { times: [0, 50, 171] }).map((p) => p.verdict)).toEqual(['accept', 'accept', 'accept']);
    const untimed = trace(design(text), [add, probe], { hostAddrs: ['198.18.0.1'] }).packets;
    expect(untimed[1].verdict).toBe('drop');
    expect(untimed[0].assumptions.join('\n')).toContain('do not time out between these packets');
  });

  it('neighbour discovery and MLD are untracked, as conntrack never tracks them: the workstation template lets them in', () => {
    const ws = TEMPLATES.find((t) => t.id === 'workstation');
    expect(ws).toBeDefined();
    for (const type of ['nd-neighbor-solicit', 'nd-neighbor-advert', 'nd-router-advert', 'mld-listener-query', 'mld2-listener-report']) {
      const r = trace(design(ws!.text), [`iif "eth0" ip6 saddr fe80::1 ip6 daddr ff02::1 icmpv6 type ${type}`]).packets[0];
      expect(r.ctState).toBe('untracked');
      expect(r.verdict).toBe('accept');
    }
    // a redirect (137) is none of them: it starts no connection and belongs to none
    expect(trace(design(ws!.text), ['iif "eth0" ip6 saddr fe80::1 ip6 daddr ff02::1 icmpv6 type nd-redirect']).packets[0].ctState).toBe('invalid');
  });

  it('only a TCP reset answers a rejected packet as related: a UDP packet the other way is new (the refused entry was never confirmed)', () => {
    const text = 'table inet t {\n\tchain in {\n\t\ttype filter hook input priority 0; policy accept;\n\t\tudp dport 53 reject\n\t\ttcp dport 80 reject with tcp reset\n\t}\n}';
    const udp = lines(text, [IN('198.18.0.1', 'udp sport 42000 udp dport 53'), 'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 udp sport 53 udp dport 42000']);
    expect(udp.map((p) => p.ct)).toEqual(['new', 'new']);
    const tcp = lines(text, [IN('198.18.0.1', 'tcp sport 42000 tcp dport 80 tcp flags syn'), 'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 tcp sport 80 tcp dport 42000 tcp flags rst,ack']);
    expect(tcp.map((p) => p.ct)).toEqual(['new', 'related']);
  });

  it('new, then established in both directions once the reply is seen', () => {
    const r = lines(SERVER, [
      IN('198.18.0.1', 'tcp sport 40000 tcp dport 22 tcp flags syn'),
      'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 tcp sport 22 tcp dport 40000 tcp flags syn,ack',
      IN('198.18.0.1', 'tcp sport 40000 tcp dport 22 tcp flags ack'),
    ]);
    expect(r.map((p) => `${p.verdict} ${p.ct}`)).toEqual(['accept new', 'accept established', 'accept established']);
    expect(r[2].events).toEqual(['inet t in rule ct state established,related accept (verdict accept)']);
  });
  it('a dropped first packet leaves no entry: the next one is new again', () => {
    const r = lines(SERVER, [IN('198.18.0.1', 'tcp sport 1 tcp dport 23 tcp flags syn'), IN('198.18.0.1', 'tcp sport 1 tcp dport 23 tcp flags syn')]);
    expect(r.map((p) => `${p.verdict} ${p.ct}`)).toEqual(['drop new', 'drop new']);
  });
  it('an ICMP error is related to the connection of the packet it quotes (the last one its destination sent), in the reply direction; with none it is invalid', () => {
    const r = trace(
      design(SERVER),
      [
        IN('198.18.0.1', 'icmp type destination-unreachable icmp code port-unreachable'),
        'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 udp sport 7100 udp dport 7101',
        IN('198.18.0.1', 'icmp type destination-unreachable icmp code port-unreachable'),
      ],
      { hostAddrs: ['198.18.0.1'] },
    ).packets;
    expect(r.map((p) => `${p.verdict} ${p.ctState}`)).toEqual(['drop invalid', 'accept new', 'accept related']);
    expect(r[0].notes.join(' ')).toMatch(/no packet from 198\.18\.0\.1 is tracked/);
    expect(r[2].assumptions.join(' ')).toMatch(/quotes the last packet 198\.18\.0\.1 sent .*udp 198\.18\.0\.1:7100 → 198\.18\.0\.2:7101.*--assume icmp-quote=no/);
    const no = trace(design(SERVER), ['oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 udp sport 7100 udp dport 7101', IN('198.18.0.1', 'icmp type time-exceeded')], { hostAddrs: ['198.18.0.1'], assume: { 'icmp-quote': 'no' } }).packets;
    expect(no[1].ctState).toBe('invalid');
  });
  it('a reset closes the connection: the same SYN again is new, an ACK after it is invalid with tcp_loose=0 and picked up as new with 1', () => {
    const open = `table inet t {\n\tchain in {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n}`;
    const flow = (loose: string) =>
      lines(
        open,
        [
          IN('198.18.0.1', 'tcp sport 46000 tcp dport 7777 tcp flags syn'),
          'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 tcp sport 7777 tcp dport 46000 tcp flags rst,ack',
          IN('198.18.0.1', 'tcp sport 46000 tcp dport 7777 tcp flags ack'),
          IN('198.18.0.1', 'tcp sport 46000 tcp dport 7777 tcp flags syn'),
        ],
        { sysctls: { [TCP_LOOSE]: loose } },
      ).map((p) => p.ct);
    expect(flow('0')).toEqual(['new', 'established', 'invalid', 'new']);
    expect(flow('1').slice(0, 3)).toEqual(['new', 'established', 'new']);
  });
  it("follows conntrack's TCP state machine: a SYN reopens a connection closed by FINs, an ACK before the SYN-ACK is invalid, refused flag combinations are invalid", () => {
    const open = `table inet t {\n\tchain in {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n}`;
    const C = (flags: string, sport = 47100) => IN('198.18.0.1', `tcp sport ${sport} tcp dport 7000 tcp flags ${flags}`);
    const H = (flags: string) => `oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 tcp sport 7000 tcp dport 47100 tcp flags ${flags}`;
    const closed = [C('syn'), H('syn,ack'), C('ack'), H('fin,ack'), C('ack'), C('fin,ack'), H('ack')];
    const r = trace(design(open), [...closed, C('syn')], { hostAddrs: ['198.18.0.1'], sysctls: { [TCP_LOOSE]: '0' } }).packets;
    expect(r.map((p) => p.ctState)).toEqual(['new', 'established', 'established', 'established', 'established', 'established', 'established', 'new']);
    expect(r[6].notes.join(' ')).toMatch(/LAST_ACK → TIME_WAIT/);
    expect(r[7].notes.join(' ')).toMatch(/reopens a closed connection \(conntrack's TIME_WAIT state\)/);
    expect(r[2].assumptions.join(' ')).toMatch(/inside the connection's window.*--assume tcp-window=no/);
    // before the close, a SYN on the open connection passes with it (conntrack ignores it)
    expect(lines(open, [...closed.slice(0, 3), C('syn')]).map((p) => p.ct)).toEqual(['new', 'established', 'established', 'established']);
    // the client's ACK while the connection waits for its SYN-ACK
    expect(lines(open, [C('syn'), C('ack')]).map((p) => p.ct)).toEqual(['new', 'invalid']);
    // tcp_valid_flags, with or without a connection
    for (const bad of ['syn,fin', 'fin', '0x0', 'fin,psh,urg']) expect(lines(open, [C('syn'), C(bad), C(bad, 47101)]).map((p) => p.ct)).toEqual(['new', 'invalid', 'invalid']);
    expect(lines(open, [C('syn,ecn,cwr')])[0].ct).toBe('new');
    // a packet given as outside the window is invalid and leaves the connection as it was
    const outside = trace(design(open), [C('syn'), H('syn,ack'), C('ack')], { hostAddrs: ['198.18.0.1'], assume: { 'tcp-window': 'no' } }).packets;
    expect(outside.map((p) => p.ctState)).toEqual(['new', 'invalid', 'invalid']);
  });
  it('a set of one flag value is a bit test for nft 1.0.6 and an exact comparison for 1.1 (ct state: a bit test in both), in the listing and in the trace', () => {
    const text = 'table inet t { chain in { type filter hook input priority 0; policy drop; tcp flags { syn } accept; }\n}';
    const synAck = IN('198.18.0.1', 'tcp sport 40000 tcp dport 22 tcp flags syn,ack');
    expect(lines(text, [synAck], { target: '1.0.6' })[0].verdict).toBe('accept');
    expect(lines(text, [synAck], { target: '1.1.3' })[0].verdict).toBe('drop');
    expect(lines(text, [IN('198.18.0.1', 'tcp sport 40000 tcp dport 22 tcp flags syn')], { target: '1.1.3' })[0].verdict).toBe('accept');
    const rs = design(text);
    expect(emit(rs, { target: '1.0.6' }).text).toContain('\t\ttcp flags syn accept\n');
    expect(emit(rs, { target: '1.1.3' }).text).toContain('\t\ttcp flags == syn accept\n');
    const both = design('table inet t { chain in { type filter hook input priority 0; policy accept; tcp flags { fin | syn } drop; ct state { invalid | established } drop; ct status { expected | seen-reply } drop; }\n}');
    expect(emit(both, { target: '1.0.6' }).text).toContain('\t\ttcp flags fin,syn drop\n\t\tct state invalid,established drop\n\t\tct status expected,seen-reply drop\n');
    expect(emit(both, { target: '1.1.3' }).text).toContain('\t\ttcp flags == 0x3 drop\n\t\tct state invalid,established drop\n\t\tct status == expected,seen-reply drop\n');
  });
  it("reject's answer (the TCP reset, the ICMP error) is related to the refused packet in the reply direction, though its entry is never confirmed", () => {
    const text = `table inet t {
	chain in {
		type filter hook input priority 0; policy drop;
		tcp dport 7003 reject with tcp reset
		udp dport 7001 reject
	}
	chain out {
		type filter hook output priority 0; policy drop;
		ct state related ct direction reply accept
	}
}`;
    const r = lines(text, [
      IN('198.18.0.1', 'tcp sport 42003 tcp dport 7003 tcp flags syn'),
      'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 tcp sport 7003 tcp dport 42003 tcp flags rst,ack',
      IN('198.18.0.1', 'udp sport 42001 udp dport 7001'),
      'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 icmp type destination-unreachable icmp code port-unreachable',
      // no reject before it: a lone reset is invalid
      'oif "eth0" ip saddr 198.18.0.1 ip daddr 198.18.0.2 tcp sport 7003 tcp dport 42003 tcp flags rst,ack',
    ]);
    expect(r.map((p) => `${p.verdict} ${p.ct}`)).toEqual(['drop new', 'accept related', 'drop new', 'accept related', 'drop invalid']);
  });
  it('a set update is seen by later packets', () => {
    const text = `table inet t {
	set seen { type ipv4_addr; flags dynamic; }
	chain in {
		type filter hook input priority 0; policy drop;
		ip saddr @seen accept
		tcp dport 1 add @seen { ip saddr }
	}
}`;
    const r = lines(text, [IN('198.18.0.1', 'tcp dport 2'), IN('198.18.0.1', 'tcp dport 1'), IN('198.18.0.1', 'tcp dport 2')]);
    expect(r.map((p) => p.verdict)).toEqual(['drop', 'drop', 'accept']);
  });
  it('a mark set by one rule is seen by a later one, and a ct mark by later packets', () => {
    const text = `table inet t {
	chain in {
		type filter hook input priority 0; policy drop;
		ct mark 0x00000001 accept
		meta mark set 0x00000007
		meta mark 0x00000007 ct mark set 0x00000001 accept
	}
}`;
    const r = lines(text, [IN('198.18.0.1', 'udp sport 5 udp dport 5'), IN('198.18.0.1', 'udp sport 5 udp dport 5')]);
    expect(r[0].events).toEqual(['inet t in rule meta mark set 0x00000007 (verdict continue)', 'inet t in rule meta mark 0x00000007 ct mark set 0x00000001 accept (verdict accept)']);
    expect(r[1].events).toEqual(['inet t in rule ct mark 0x00000001 accept (verdict accept)']);
  });
  it('dnat in prerouting routes the packet to forward', () => {
    const text = `table ip nat { chain pre { type nat hook prerouting priority dstnat; policy accept; tcp dport 80 dnat to 198.19.0.2; }
}
table ip f { chain forw { type filter hook forward priority 0; policy drop; ip daddr 198.19.0.2 tcp dport 80 accept; }
}`;
    const r = trace(design(text), [IN('198.18.0.1', 'tcp dport 80')], { hostAddrs: ['198.18.0.1'] }).packets[0];
    expect(r.path).toEqual(['prerouting', 'forward', 'postrouting']);
    expect(r.verdict).toBe('accept');
    expect(r.events.map(eventLine)).toEqual(['ip nat pre rule tcp dport 80 dnat to 198.19.0.2 (verdict accept)', 'ip f forw rule ip daddr 198.19.0.2 tcp dport 80 accept (verdict accept)']);
  });
  it('nat chains see only a connection\'s first packet', () => {
    const text = `table ip nat { chain post { type nat hook postrouting priority srcnat; policy accept; oifname "eth1" masquerade; }
}`;
    const fwd = (flags: string) => `iif "eth0" oif "eth1" ip saddr 198.18.0.2 ip daddr 198.19.0.2 tcp sport 9 tcp dport 80 tcp flags ${flags}`;
    const back = 'iif "eth1" oif "eth0" ip saddr 198.19.0.2 ip daddr 198.18.0.2 tcp sport 80 tcp dport 9 tcp flags syn,ack';
    const r = trace(design(text), [fwd('syn'), back, fwd('ack')], { hostAddrs: ['198.18.0.1'] }).packets;
    expect(r[0].events.map(eventLine)).toEqual(['ip nat post rule oifname "eth1" masquerade (verdict accept)']);
    expect(r[2].events).toEqual([]);
    expect(r[2].ctState).toBe('established');
  });
});

describe('synproxy', () => {
  const hs = (loose: string) =>
    lines(SYNPROXY, [IN('198.18.0.1', 'tcp sport 40000 tcp dport 8888 tcp flags syn'), IN('198.18.0.1', 'tcp sport 40000 tcp dport 8888 tcp flags ack'), IN('198.18.0.1', 'tcp sport 40000 tcp dport 8888 tcp flags psh,ack')], { sysctls: { [TCP_LOOSE]: loose } });
  it('with tcp_loose=0 the SYN and the final ACK are stolen, and data is established', () => {
    const r = hs('0');
    expect(r.map((p) => `${p.verdict} ${p.ct}`)).toEqual(['stolen untracked', 'stolen invalid', 'accept established']);
    expect(r[0].events).toEqual([
      'inet t pre rule tcp dport 8888 tcp flags syn notrack (verdict continue)',
      'inet t pre policy accept',
      'inet t in rule tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm (verdict stolen)',
    ]);
  });
  it('after the valid ACK synproxy opens the connection itself: its SYN to the server (out by lo, back in by lo), the SYN-ACK it takes, its ACK, the window update', () => {
    const s = scenario('handshake', { port: 8888 });
    const r = trace(design(SYNPROXY), [s.packets[0], s.packets[2]], { hostAddrs: s.hostAddrs, sysctls: { [TCP_LOOSE]: '0' } }).packets;
    const g = r[1].generated ?? [];
    expect(g.map((p) => `${p.verdict} ${p.ctState} ${p.path.join(',')}`)).toEqual([
      'accept new output,postrouting,prerouting,input',
      'stolen established output,postrouting',
      'accept established output,postrouting,prerouting,input',
      'accept established output,postrouting',
    ]);
    expect(g[0].events.map(eventLine)).toEqual(['inet t pre rule tcp dport 8888 tcp flags syn notrack (verdict continue)', 'inet t pre policy accept', 'inet t in rule iif "lo" accept (verdict accept)']);
  });
  it('an input chain that drops synproxy\'s SYN by "lo" leaves the connection half-open: the client\'s next packets are ct state new', () => {
    const s = scenario('handshake', { port: 8888 });
    const text = SYNPROXY.replace('\t\tiif "lo" accept\n', '');
    const r = trace(design(text), [s.packets[0], s.packets[2], s.packets[3]], { hostAddrs: s.hostAddrs, sysctls: { [TCP_LOOSE]: '0' } }).packets;
    expect(r[1].generated?.map((p) => `${p.verdict} ${p.events.map(eventLine).at(-1)}`)).toEqual(['drop inet t in policy drop']);
    expect(`${r[2].verdict} ${r[2].ctState}`).toBe('drop new');
    expect(sequenceOf(r).map((a) => `${a.from}>${a.to} ${a.label} ${a.outcome}`)).toContain('synproxy>server SYN dropped');
  });
  it('with tcp_loose=1 the final ACK is ct state new, the synproxy rule never sees it, and the policy drops it', () => {
    const r = hs('1');
    expect(r[1]).toEqual({ verdict: 'drop', ct: 'new', events: ['inet t pre policy accept', 'inet t in policy drop'] });
  });
  it('a spoofed ACK without a SYN-ACK before it is dropped by synproxy', () => {
    const r = lines(SYNPROXY, ['iif "eth0" ip saddr 203.0.113.5 ip daddr 198.18.0.1 tcp dport 8888 tcp flags ack'], { sysctls: { [TCP_LOOSE]: '0' } });
    expect(r[0].verdict).toBe('drop');
  });
  it('the synproxy rule after an accept of the same port is never reached by the SYN', () => {
    const text = SYNPROXY.replace('ct state established,related accept', 'ct state established,related accept\n\t\ttcp dport { 80, 8888 } accept');
    const r = lines(text, [IN('198.18.0.1', 'tcp dport 8888 tcp flags syn')]);
    expect(r[0].verdict).toBe('accept');
    expect(r[0].events.at(-1)).toBe('inet t in rule tcp dport { 80, 8888 } accept (verdict accept)');
  });
});

describe('assumptions and defaults are stated', () => {
  it('a limit is assumed under its rate, and --assume changes it', () => {
    const text = `table inet t { chain in { type filter hook input priority 0; policy drop; limit rate 10/second accept; }
}`;
    const d = trace(design(text), [IN('198.18.0.1')], { hostAddrs: ['198.18.0.1'] }).packets[0];
    expect(d.verdict).toBe('accept');
    expect(d.assumptions.join('\n')).toMatch(/limit rate 10\/second.*no \(assumed; set it with --assume limit=yes\)/);
    const o = trace(design(text), [IN('198.18.0.1')], { hostAddrs: ['198.18.0.1'], assume: { limit: 'yes' } }).packets[0];
    expect(o.verdict).toBe('drop');
  });
  it("with the packets' times a limit is the kernel's token bucket: the burst, then one packet per unit/rate", () => {
    const text = `table inet t { chain in { type filter hook input priority 0; policy drop; limit rate 10/minute accept; }
}`;
    const pkts = Array.from({ length: 8 }, (_x, i) => IN('198.18.0.1', `udp sport ${1000 + i} udp dport 53`));
    // seven at once: the burst of 5 passes; 6 s later one token has come back; 12 s after that, two
    const r = trace(design(text), pkts, { hostAddrs: ['198.18.0.1'], times: [0, 0, 0, 0, 0, 0, 6, 18] }).packets;
    expect(r.map((p) => p.verdict)).toEqual(['accept', 'accept', 'accept', 'accept', 'accept', 'drop', 'accept', 'accept']);
    expect(r[5].assumptions).toContain("limits: the kernel's token bucket over the packets' times (given)");
    expect(r[5].notes.join('\n')).toMatch(/over the rate \(the kernel's token bucket/);
    // the answer to the assumption still wins
    expect(trace(design(text), pkts.slice(0, 1), { hostAddrs: ['198.18.0.1'], times: [0], assume: { limit: 'yes' } }).packets[0].verdict).toBe('drop');
    expect(() => trace(design(text), pkts.slice(0, 2), { times: [1] })).toThrow(/1 times for 2 packets/);
    expect(() => trace(design(text), pkts.slice(0, 2), { times: [2, 1] })).toThrow(/not before the packet before it/);
  });
  it('a named limit is one bucket for every rule that names it; a limit on a set element is one bucket per element', () => {
    const named = `table ip t {
	limit l1 { rate 2/minute burst 2 packets }
	chain in { type filter hook input priority 0; policy drop; udp dport 53 limit name "l1" accept; udp dport 54 limit name "l1" accept; }
}`;
    const r = trace(design(named), [IN('198.18.0.1', 'udp sport 1 udp dport 53'), IN('198.18.0.1', 'udp sport 2 udp dport 54'), IN('198.18.0.1', 'udp sport 3 udp dport 54')], { hostAddrs: ['198.18.0.1'], times: [0, 0, 0] }).packets;
    expect(r.map((p) => p.verdict)).toEqual(['accept', 'accept', 'drop']);
    const web = TEMPLATES.find((t) => t.id === 'webserver')!.text;
    const ssh = (src: string, sport: number) => `iif "eth0" ip saddr ${src} ip daddr 198.18.0.1 tcp sport ${sport} tcp dport 22 tcp flags syn`;
    const w = trace(design(web), [ssh('203.0.113.9', 1), ssh('203.0.113.9', 2), ssh('203.0.113.9', 3), ssh('203.0.113.10', 4)], { hostAddrs: ['198.18.0.1'], times: [0, 0, 0, 0] }).packets;
    // 4/minute burst 2 per source: the third SYN from one source is logged and dropped; another source has its own bucket
    expect(w.map((p) => p.verdict)).toEqual(['accept', 'accept', 'drop', 'accept']);
    expect(w[2].events.map(eventLine).at(-1)).toBe('inet webserver input rule tcp dport 22 ct state new log prefix "ssh-flood: " drop (verdict drop)');
  });
  it('fib is unknown unless the packet gives it', () => {
    const text = `table inet t { chain in { type filter hook input priority 0; policy drop; fib daddr type local accept; }
}`;
    const u = trace(design(text), [IN('198.18.0.1')], { hostAddrs: ['198.18.0.1'] }).packets[0];
    expect(u.verdict).toBe('drop');
    expect(u.assumptions.join('\n')).toContain('fib daddr type');
    const g = trace(design(text), [IN('198.18.0.1', 'fib daddr type local')], { hostAddrs: ['198.18.0.1'] }).packets[0];
    expect(g.verdict).toBe('accept');
  });
  it('defaults for what the description leaves out', () => {
    const p = parsePacket('tcp dport 22');
    expect(p.defaults).toContain('ip saddr 203.0.113.10');
    expect(p.defaults).toContain('tcp flags syn');
    const r = trace(design('table inet t { chain c { type filter hook input priority 0; }; }'), ['tcp dport 22']).packets[0];
    expect(r.defaults).toContain('arrives from the network (no iif or oif given)');
    expect(r.defaults).toContain(`${TCP_LOOSE}=1 (the kernel's default)`);
  });
  it('equal priorities are flagged', () => {
    const r = trace(design(`table ip a { chain c { type filter hook input priority 0; }
}
table ip b { chain c { type filter hook input priority 0; }
}`), [IN()], { hostAddrs: ['198.18.0.1'] });
    expect(r.warnings.join()).toMatch(/same priority \(0\)/);
  });
  it('a bad description names the column', () => {
    expect(() => parsePacket('ip saddr 1.2.3.999')).toThrow(PacketSpecError);
    expect(() => parsePacket('ip saddr 1.1.1.1 ip6 daddr ::1')).toThrow(/IPv4 .* or IPv6/);
    expect(() => parsePacket('tcp dport 22 udp dport 53')).toThrow(/one transport header/);
  });
});

describe('scenarios', () => {
  const SERVER = `table inet t {
	chain in {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		tcp dport 80 accept
		udp dport 53 accept
		icmp type echo-request accept
	}
}`;
  it('every built-in flow passes a server that accepts it, and a drop-all design drops its first packet', () => {
    for (const name of Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]) {
      const s = scenario(name);
      const r = trace(design(SERVER), s.packets, { hostAddrs: s.hostAddrs }).packets;
      const want = name === 'syn-flood' ? ['accept'] : r.map(() => 'accept');
      expect(r.map((p) => p.verdict), name).toEqual(want);
      const none = trace(design('table inet t {\n\tchain in {\n\t\ttype filter hook input priority 0; policy drop;\n\t}\n\tchain out {\n\t\ttype filter hook output priority 0; policy drop;\n\t}\n}'), s.packets, { hostAddrs: s.hostAddrs }).packets;
      expect(none[0].verdict, name).toBe('drop');
    }
  });
  it('the handshake through synproxy: SYN and ACK stolen, data established', () => {
    const s = scenario('handshake', { port: 8888 });
    const r = trace(design(SYNPROXY), [s.packets[0], s.packets[2], s.packets[3]], { hostAddrs: s.hostAddrs, sysctls: { [TCP_LOOSE]: '0' } }).packets;
    expect(r.map((p) => `${p.verdict} ${p.ctState}`)).toEqual(['stolen untracked', 'stolen invalid', 'accept established']);
  });
  it('a forwarded flow goes through forward and postrouting', () => {
    const s = scenario('dns', { server: '198.19.0.2' });
    const r = trace(design('table inet t {\n\tchain f {\n\t\ttype filter hook forward priority 0; policy drop;\n\t\tct state established accept\n\t\tudp dport 53 accept\n\t}\n}'), s.packets, { hostAddrs: s.hostAddrs }).packets;
    expect(r.map((p) => [p.verdict, p.ctState, p.path.join(',')])).toEqual([
      ['accept', 'new', 'prerouting,forward,postrouting'],
      ['accept', 'established', 'prerouting,forward,postrouting'],
    ]);
  });
});

describe('the sequence diagram of a flow', () => {
  it('with synproxy: the SYN answered by synproxy, its cookie SYN-ACK, the ACK answered, then synproxy\'s own handshake with the server, then data', () => {
    const s = scenario('handshake', { port: 8888 });
    const r = trace(design(SYNPROXY), s.packets, { hostAddrs: s.hostAddrs, sysctls: { [TCP_LOOSE]: '0' } }).packets;
    expect(sequenceOf(r).map((a) => `${a.from}>${a.to} ${a.label} ${a.outcome}`)).toEqual([
      'client>synproxy SYN answered by synproxy',
      'synproxy>client SYN-ACK (cookie) sent by synproxy',
      'client>synproxy ACK answered by synproxy',
      'synproxy>server SYN sent by synproxy',
      'server>synproxy SYN-ACK delivered',
      'synproxy>server ACK sent by synproxy',
      'synproxy>client ACK (window update) sent by synproxy',
      'client>server data delivered',
      'server>client data delivered',
    ]);
  });
  it('without synproxy: client and server only', () => {
    const s = scenario('handshake');
    const text = 'table inet t {\n\tchain in {\n\t\ttype filter hook input priority 0; policy drop;\n\t\tct state established accept\n\t\ttcp dport 80 accept\n\t}\n}';
    const a = sequenceOf(trace(design(text), s.packets, { hostAddrs: s.hostAddrs }).packets);
    expect(usesSynproxy(a)).toBe(false);
    expect(a.map((x) => `${x.from}>${x.to} ${x.label}`)).toEqual(['client>server SYN', 'server>client SYN-ACK', 'client>server ACK', 'client>server data', 'server>client data']);
  });
});

describe('what the kernel showed in the golden-file lab (rulePackets.kernel.test.ts)', () => {
  const chain = (name: string, rules: string, prio = 'filter') => `\tchain ${name} {\n\t\ttype filter hook input priority ${prio}; policy accept;\n${rules.split('\n').map((r) => `\t\t${r}\n`).join('')}\t}\n`;
  it('equal priorities: the chain registered last runs first, with a warning', () => {
    const text = `table inet t {\n${chain('c', 'tcp dport 22 accept')}}\ntable ip u {\n${chain('c', 'tcp dport 22 drop')}}\n`;
    const r = trace(design(text), [IN('198.18.0.1', 'tcp sport 4000 tcp dport 22 tcp flags syn')], { hostAddrs: ['198.18.0.1'] });
    expect(r.packets[0].events.map(eventLine)).toEqual(['ip u c rule tcp dport 22 drop (verdict drop)']);
    expect(r.warnings.join('\n')).toContain('the kernel runs the chain registered last first');
  });
  it('flags OR-ed in a set are one exact value; absent options and secpath are missing; an IPv6 header of an IPv4 packet never matches', () => {
    const text = `table inet t {\n${chain('c', 'tcp flags { fin, syn | ack } drop\ntcp option 255 missing counter\nmeta ipsec missing counter\nexthdr frag missing drop')}}\n`;
    const [p] = trace(design(text), [IN('198.18.0.1', 'tcp sport 4000 tcp dport 22 tcp flags syn')], { hostAddrs: ['198.18.0.1'] }).packets;
    expect(p.events.map(eventLine)).toEqual(['inet t c rule tcp option 255 missing counter packets 0 bytes 0 (verdict continue)', 'inet t c rule meta ipsec missing counter packets 0 bytes 0 (verdict continue)', 'inet t c policy accept']);
    expect(p.defaults).toContain('tcp option 255 missing (not given in the packet)');
    const [sa] = trace(design(text), [IN('198.18.0.1', 'tcp sport 4000 tcp dport 22 tcp flags syn,ack')], { hostAddrs: ['198.18.0.1'] }).packets;
    expect(sa.verdict).toBe('drop');
  });
  it('a named quota reads its object: "over 20 mbytes used 1 mbytes" does not match yet', () => {
    const text = `table ip t {\n\tquota q1 {\n\t\tover 20 mbytes used 1 mbytes\n\t}\n\n\tquota q2 {\n\t\t100 kbytes\n\t}\n\n${chain('c', 'quota name "q1" drop\nquota name "q2" counter')}}\n`;
    const [p] = trace(design(text), [IN('198.18.0.1', 'tcp sport 4000 tcp dport 22 tcp flags syn')], { hostAddrs: ['198.18.0.1'] }).packets;
    expect(p.events.map(eventLine)).toEqual(['ip t c rule quota name "q2" counter packets 0 bytes 0 (verdict continue)', 'ip t c policy accept']);
  });
});

describe('routing and NAT, as the kernel showed them in the lab (differential.kernel.test.ts, "forwarded")', () => {
  const interfaces = [
    { name: 'eth0', addrs: ['198.18.0.1/24'] },
    { name: 'eth1', addrs: ['198.18.1.1/24'] },
  ];
  const NAT = `table ip nat {
	chain pre { type nat hook prerouting priority dstnat; policy accept; iifname "eth0" tcp dport 8080 dnat to 198.18.1.2:80; }
	chain post { type nat hook postrouting priority srcnat; policy accept; oifname "eth1" masquerade; }
}
table inet f {
	chain pre { type filter hook prerouting priority mangle; policy accept; oifname "eth1" counter; oifname != "eth1" iifname "eth0" counter; }
	chain forward { type filter hook forward priority filter; policy drop; ct state established,related accept; iifname "eth0" oifname "eth1" ct status dnat tcp dport 80 accept; }
	chain post { type filter hook postrouting priority 50; policy accept; iifname "eth0" ip saddr 198.18.0.2 counter; oifname "eth0" ip saddr 198.18.1.2 counter; }
	chain post2 { type filter hook postrouting priority 150; policy accept; oifname "eth1" ip saddr 198.18.1.1 counter; oifname "eth0" ip saddr 198.18.0.1 tcp sport 8080 counter; }
}`;
  const syn = 'iif "eth0" ip saddr 198.18.0.2 ip daddr 198.18.0.1 tcp sport 40000 tcp dport 8080 tcp flags syn';
  const synAck = 'iif "eth1" ip saddr 198.18.1.2 ip daddr 198.18.1.1 tcp sport 80 tcp dport 40000 tcp flags syn,ack';

  it('the interface out comes from the routes after dnat; no oif before routing; a forwarded packet keeps its iif in postrouting', () => {
    const [p] = trace(design(NAT), [syn], { interfaces }).packets;
    expect(p.path).toEqual(['prerouting', 'forward', 'postrouting']);
    expect(p.events.map(eventLine)).toEqual([
      'inet f pre rule oifname != "eth1" iifname "eth0" counter packets 0 bytes 0 (verdict continue)',
      'inet f pre policy accept',
      'ip nat pre rule iifname "eth0" tcp dport 8080 dnat to 198.18.1.2:80 (verdict accept)',
      'inet f forward rule iifname "eth0" oifname "eth1" ct status dnat tcp dport 80 accept (verdict accept)',
      'inet f post rule iifname "eth0" ip saddr 198.18.0.2 counter packets 0 bytes 0 (verdict continue)',
      'inet f post policy accept',
      'ip nat post rule oifname "eth1" masquerade (verdict accept)',
      // after srcnat (100): masquerade took eth1's address
      'inet f post2 rule oifname "eth1" ip saddr 198.18.1.1 counter packets 0 bytes 0 (verdict continue)',
      'inet f post2 policy accept',
    ]);
  });

  it("the server's reply: masquerade undone at dstnat (the mangle chain still sees the host's address), dnat undone at srcnat", () => {
    const [, r] = trace(design(NAT), [syn, synAck], { interfaces }).packets;
    expect(r.ctState).toBe('established');
    expect(r.path).toEqual(['prerouting', 'forward', 'postrouting']);
    expect(r.events.map(eventLine)).toEqual([
      'inet f pre policy accept',
      'inet f forward rule ct state established,related accept (verdict accept)',
      'inet f post rule oifname "eth0" ip saddr 198.18.1.2 counter packets 0 bytes 0 (verdict continue)',
      'inet f post policy accept',
      'inet f post2 rule oifname "eth0" ip saddr 198.18.0.1 tcp sport 8080 counter packets 0 bytes 0 (verdict continue)',
      'inet f post2 policy accept',
    ]);
  });

  it('without routes the interface out is an assumption, and rules on it do not match', () => {
    const [p] = trace(design(NAT), [syn], { hostAddrs: ['198.18.0.1'] }).packets;
    expect(p.verdict).toBe('drop');
    expect(p.assumptions.join('\n')).toMatch(/interface the packet leaves by is not known/);
  });

  it('a bad interface address is a clear error', () => {
    expect(() => trace(design(NAT), [syn], { interfaces: [{ name: 'eth0', addrs: ['198.18.0.1/33'] }] })).toThrow(/interface eth0: address "198.18.0.1\/33"/);
  });
});
