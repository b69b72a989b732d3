/**
 * A kernel packet-trace lab: a client and a host network namespace joined by
 * veth (198.18.0.0/24), a ruleset loaded in the host with a tracing table
 * (`meta nftrace set 1` at the earliest priority of prerouting and output),
 * packets sent for real from the client (hping3, or a real TCP connect), and
 * `nft monitor trace` collected and split per packet. Used by the packet trace's
 * differential test and by the linter's kernel examples of findings the kernel
 * shows only by tracing (a rule that is never reached).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { eventForComparison, ruleForComparison, type TraceEvent } from '../trace/events.ts';
import { trace, type PacketResult, type TraceOptions } from '../trace/evaluate.ts';
import type { Ruleset } from '../model/types.ts';
import type { HostInterface } from '../trace/routing.ts';

export const HOST = '198.18.0.1';
export const CLIENT = '198.18.0.2';
/** with a server (LabOptions.server): the host's address on its second link, eth1, and the server's behind it */
export const HOST_ETH1 = '198.18.1.1';
export const SERVER = '198.18.1.2';
/** with a server: an address beyond it (the host's default route is by the server, which drops what is not its own) */
export const BEYOND = '198.19.0.9';
/** with IPv6 (LabOptions.ipv6): the host's and the client's addresses in the IPv6 benchmarking prefix (RFC 5180) */
export const HOST6 = '2001:2::1';
export const CLIENT6 = '2001:2::2';
/** the host's interfaces as the evaluator takes them (eth1 is there only with a server; an address of it is then never a destination the client uses by mistake) */
export const LAB_INTERFACES: readonly HostInterface[] = [
  { name: 'eth0', addrs: [`${HOST}/24`, `${HOST6}/64`] },
  { name: 'eth1', addrs: [`${HOST_ETH1}/24`] },
];
// The lab's barrier probes (UDP from the client's ports 30000-39999 to port 9) are
// traced and then dropped here, before the design: they must not use up its
// limits or quotas, nor be answered.
const TRACING = `table inet nftd_trace {
	chain pre {
		type filter hook prerouting priority -2147483648; policy accept;
		meta nftrace set 1
		ip saddr ${CLIENT} udp sport 30000-39999 udp dport 9 drop
	}
	chain out {
		type filter hook output priority -2147483648; policy accept;
		meta nftrace set 1
	}
}
`;

const sh = (args: string[], input?: string): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', input, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};
const ok = (args: string[], input?: string): string => {
  const r = sh(args, input);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
};

export interface Group {
  id: string;
  packet: string;
  events: TraceEvent[];
  /** the tracing table's rule was seen for it */
  tracing?: boolean;
  /** where its first line starts in the monitor's output */
  offset: number;
}

const LINE = /^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (.*)$/s;

/**
 * `nft monitor trace` output, one group per packet. The trace id is not enough:
 * the kernel derives it from the packet buffer, and a later packet can get the
 * same id (seen: the client's ACK after its SYN was stolen by synproxy). Each
 * packet passes the tracing table's chain first, so its rule event starts a group.
 */
export function groups(text: string): Group[] {
  const all: Group[] = [];
  const open = new Map<string, Group>();
  // a rule with a chain binding is printed on several lines: its own rules, then `} (verdict …)`
  const lines: string[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('trace id ') || !lines.length) {
      lines.push(line);
      offsets.push(at);
    } else if (line.trim()) lines[lines.length - 1] += `\n${line}`;
    at += line.length + 1;
  }
  for (const [n, line] of lines.entries()) {
    const offset = offsets[n];
    const m = LINE.exec(line.trimEnd());
    if (!m) continue;
    const [, id, family, table, chain, rest] = m;
    let g = open.get(id);
    // the tracing table sees each packet first: its packet line (or, when nft prints none, its rule) starts a group
    const tracing = table === 'nftd_trace';
    if (tracing && (rest.startsWith('packet: ') || (rest.startsWith('rule ') && (!g || g.tracing)))) {
      const fresh: Group = { id, packet: '', events: [], tracing: rest.startsWith('rule '), offset };
      if (rest.startsWith('packet: ')) fresh.packet = rest.slice(8);
      open.set(id, fresh);
      all.push(fresh);
      continue;
    }
    if (tracing && rest.startsWith('rule ') && g) {
      g.tracing = true;
      continue;
    }
    if (!g) {
      g = { id, packet: '', events: [], offset };
      open.set(id, g);
      all.push(g);
    }
    if (rest.startsWith('packet: ')) {
      if (!g.packet) g.packet = rest.slice(8);
      continue;
    }
    if (table === 'nftd_trace') continue;
    // nft cannot show a rule of a chain binding's anonymous chain: `__chain3 unknown rule handle 7 (verdict drop)`
    const rule = /^(?:rule (.*)|(unknown rule handle \d+)) \(verdict ([^)]+)\)/s.exec(rest);
    const policy = /^policy (\S+)/.exec(rest);
    const verdict = /^verdict (\S+(?: \S+)?)$/.exec(rest);
    const e = { family, table, chain } as TraceEvent;
    if (rule) g.events.push({ ...e, type: 'rule', rule: ruleForComparison(rule[1] ?? rule[2]), verdict: rule[3] });
    else if (policy) g.events.push({ ...e, type: 'policy', verdict: policy[1] });
    else if (verdict) g.events.push({ ...e, type: 'return', verdict: verdict[1] });
  }
  return all;
}

/** The kernel's description of a packet as the evaluator reads it (ether addresses left out, flags as a list). */
export function specOf(packetLine: string): string {
  return packetLine
    .replace(/ether (saddr|daddr) \S+ ?/g, '')
    .replace(/tcp flags == ([a-z0-9| ]+?)(?= tcp | ip |$)/, (_m, f: string) => `tcp flags ${f.split('|').map((x) => x.trim()).join(',')}`)
    .replace(/ (?:ip id|tcp window|ip length|tcp urgptr|tcp checksum|ip checksum) \S+/g, '')
    .trim();
}

/**
 * hping3 ARGS to the host (or to `to`: one of its addresses, or the server), or a
 * real TCP connect to PORT of the host (or of `to`) answered by a listener on
 * the host (or on the server, at `serverPort`: behind a dnat)
 */
export type Step =
  | { kind: 'hping'; args: string[]; to?: string }
  /** with `sport`, the client connects from that port and closes only after the listener has (so the host's side ends in TIME_WAIT) */
  | { kind: 'connect'; port: number; to?: string; serverPort?: number; sport?: number }
  /** an IPv6 packet from the client to HOST6 (hping3 has no IPv6): UDP, an ICMPv6 echo request, or a TCP segment with FLAGS (syn, ack, fin, rst) */
  | { kind: 'send6'; proto: 'udp' | 'icmpv6' | 'tcp'; sport?: number; dport?: number; flags?: string[]; id?: number }
  /** a UDP datagram the host itself sends to the client (from HOST:sport to CLIENT:dport); a closed port on the client answers with an ICMP port-unreachable */
  | { kind: 'fromHost'; sport: number; dport: number };

export interface LabOptions {
  /** more addresses of the host (on its eth0); the client routes everything through the host */
  localAddrs?: readonly string[];
  /** a third namespace, the server (198.18.1.2), behind the host's eth1 (198.18.1.1); the host forwards */
  server?: boolean;
  /** IPv6 on the link too (2001:2::1 and ::2), with static neighbours and no router or DAD chatter */
  ipv6?: boolean;
}

const PROBE = /udp sport 3\d{4} udp dport 9\b/;
const fromClient = (g: Group): boolean => g.packet.includes(`iif "eth0"`) && (g.packet.includes(`ip saddr ${CLIENT} `) || g.packet.includes(`ip6 saddr ${CLIENT6} `)) && !PROBE.test(g.packet);
const toClient = (g: Group): boolean => g.packet.startsWith('oif "eth0"') && (g.packet.includes(`ip daddr ${CLIENT} `) || g.packet.includes(`ip6 daddr ${CLIENT6} `));

const TCP_FLAG_BITS: Readonly<Record<string, number>> = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32 };

/** A python3 program that sends one IPv6 packet from the client to HOST6 (plain and raw sockets; the kernel adds the IPv6 header and checksums). */
function send6(s: Extract<Step, { kind: 'send6' }>): string {
  const to = `('${HOST6}', 0)`;
  if (s.proto === 'udp') return `import socket\nu=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\nu.bind(('${CLIENT6}', ${s.sport ?? 40000}))\nu.sendto(b'x', ('${HOST6}', ${s.dport ?? 9999}))`;
  if (s.proto === 'icmpv6') return `import socket\nr=socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)\nr.sendto(bytes([128, 0, 0, 0, ${(s.id ?? 7) >> 8}, ${(s.id ?? 7) & 255}, 0, 1]), ${to})`;
  const flags = (s.flags ?? ['syn']).reduce((a, f) => a | (TCP_FLAG_BITS[f] ?? 0), 0);
  // the TCP header alone; IPV6_CHECKSUM has the kernel fill in its checksum (offset 16)
  return `import socket, struct\nr=socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_TCP)\nr.setsockopt(socket.IPPROTO_IPV6, 7, 16)\nr.sendto(struct.pack('!HHIIBBHHH', ${s.sport ?? 40000}, ${s.dport ?? 9999}, 1, ${flags & 16 ? 1 : 0}, 5 << 4, ${flags}, 65535, 0, 0), ${to})`;
}

export class Lab {
  readonly ns = `nftd-diff-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  private monitor: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'nftd-diff-'));
  private out = '';
  /** when each piece of the monitor's output came (ms), by where it starts in `out` */
  private readonly stamps: { offset: number; ms: number }[] = [];
  private barrier = 0;
  private listener: ChildProcess | undefined;
  private server = false;
  private readonly probes: ChildProcess[] = [];

  constructor(
    private readonly nft: string,
    ruleset: string,
    sysctls: Record<string, string>,
    opts: LabOptions = {},
  ) {
    const h = `${this.ns}-h`;
    const c = `${this.ns}-c`;
    ok(['ip', 'netns', 'add', h]);
    ok(['ip', 'netns', 'add', c]);
    // an IPv4 lab unless asked: no IPv6 chatter (router and neighbour solicitations, MLD) on the link
    for (const n of [h, c]) {
      const v6 = opts.ipv6 ? ['disable_ipv6=0', 'accept_dad=0', 'accept_ra=0', 'router_solicitations=0'] : ['disable_ipv6=1'];
      for (const k of ['all', 'default']) for (const set of v6) ok(['ip', 'netns', 'exec', n, 'sysctl', '-qw', `net.ipv6.conf.${k}.${set}`]);
    }
    ok(['ip', 'link', 'add', 'eth0', 'netns', h, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', c]);
    for (const [n, a] of [
      [h, HOST],
      [c, CLIENT],
    ]) {
      ok(['ip', '-n', n, 'addr', 'add', `${a}/24`, 'dev', 'eth0']);
      ok(['ip', '-n', n, 'link', 'set', 'eth0', 'up']);
      ok(['ip', '-n', n, 'link', 'set', 'lo', 'up']);
    }
    for (const a of opts.localAddrs ?? []) ok(['ip', '-n', h, 'addr', 'add', `${a}/32`, 'dev', 'eth0']);
    if (opts.ipv6) {
      // addresses without duplicate detection, and each side's neighbour known: no neighbour solicitation on the link
      const mac = (n: string): string => /link\/ether (\S+)/.exec(ok(['ip', '-n', n, 'link', 'show', 'eth0']))?.[1] ?? '';
      for (const [n, a, peer, peerNs] of [
        [h, HOST6, CLIENT6, c],
        [c, CLIENT6, HOST6, h],
      ]) {
        ok(['ip', '-n', n, 'addr', 'add', `${a}/64`, 'dev', 'eth0', 'nodad']);
        ok(['ip', '-n', n, 'neigh', 'replace', peer, 'lladdr', mac(peerNs), 'dev', 'eth0', 'nud', 'permanent']);
      }
    }
    if (opts.server) {
      const sv = `${this.ns}-s`;
      ok(['ip', 'netns', 'add', sv]);
      this.server = true;
      for (const k of ['all', 'default']) ok(['ip', 'netns', 'exec', sv, 'sysctl', '-qw', `net.ipv6.conf.${k}.disable_ipv6=1`]);
      ok(['ip', 'link', 'add', 'eth1', 'netns', h, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', sv]);
      ok(['ip', '-n', h, 'addr', 'add', `${HOST_ETH1}/24`, 'dev', 'eth1']);
      ok(['ip', '-n', sv, 'addr', 'add', `${SERVER}/24`, 'dev', 'eth0']);
      for (const [n, d] of [
        [h, 'eth1'],
        [sv, 'eth0'],
        [sv, 'lo'],
      ])
        ok(['ip', '-n', n, 'link', 'set', d, 'up']);
      ok(['ip', '-n', sv, 'route', 'add', 'default', 'via', HOST_ETH1]);
      ok(['ip', '-n', h, 'route', 'add', 'default', 'via', SERVER]);
      ok(['ip', 'netns', 'exec', h, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    }
    // spoofed sources (hping3 -a) come in: no reverse-path filter, and the client sends everything to the host
    ok(['ip', '-n', c, 'route', 'add', 'default', 'via', HOST]);
    for (const dev of ['all', 'default', 'eth0']) ok(['ip', 'netns', 'exec', h, 'sysctl', '-qw', `net.ipv4.conf.${dev}.rp_filter=0`]);
    const file = join(this.dir, 'design.nft');
    writeFileSync(file, `${ruleset}\n${TRACING}`);
    ok(['ip', 'netns', 'exec', h, nft, '-f', file]);
    for (const [k, v] of Object.entries(sysctls)) {
      ok(['ip', 'netns', 'exec', h, 'sysctl', '-qw', `${k}=${v}`]);
      expect(ok(['ip', 'netns', 'exec', h, 'sysctl', '-n', k]).trim()).toBe(v);
    }
  }

  async start(): Promise<void> {
    this.monitor = spawn('ip', ['netns', 'exec', `${this.ns}-h`, this.nft, 'monitor', 'trace'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.monitor.stdout?.on('data', (d: Buffer) => {
      this.stamps.push({ offset: this.out.length, ms: performance.now() });
      this.out += d.toString();
    });
    // ready when a probe is traced (no fixed sleep: probe until one is seen)
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      this.probe();
      if (await this.seen(`udp sport ${30000 + this.barrier}`, 300)) return;
    }
    throw new Error('nft monitor trace did not start');
  }

  /** A UDP packet to port 9 with a fresh source port: once its trace is printed, everything sent before it is too. */
  private probe(): void {
    this.barrier++;
    // not waited for: the tracing table drops the probe, so hping3 would wait out its reply timeout
    const child = spawn('ip', ['netns', 'exec', `${this.ns}-c`, 'hping3', '-q', '-2', '-c', '1', '-s', String(30000 + this.barrier), '-k', '-p', '9', HOST], { stdio: 'ignore' });
    this.probes.push(child);
    child.once('exit', () => this.probes.splice(this.probes.indexOf(child), 1));
  }

  private async seen(text: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (this.out.includes(text)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.out.includes(text);
  }

  async send(step: Step): Promise<void> {
    if (step.kind === 'hping') sh(['ip', 'netns', 'exec', `${this.ns}-c`, 'hping3', '-q', '-c', '1', ...step.args, step.to ?? HOST]);
    else if (step.kind === 'send6') ok(['ip', 'netns', 'exec', `${this.ns}-c`, 'python3', '-c', send6(step)]);
    else if (step.kind === 'fromHost') ok(['ip', 'netns', 'exec', `${this.ns}-h`, 'python3', '-c', `import socket\nu=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu.bind(('${HOST}', ${step.sport}))\nu.sendto(b'x', ('${CLIENT}', ${step.dport}))`]);
    else {
      if (!this.listener) {
        const [where, addr, port] = step.serverPort === undefined ? ['h', step.to ?? HOST, step.port] : ['s', SERVER, step.serverPort];
        const family = addr.includes(':') ? 'socket.AF_INET6' : 'socket.AF_INET';
        this.listener = spawn('ip', ['netns', 'exec', `${this.ns}-${where}`, 'python3', '-c', `import socket\ns=socket.socket(${family})\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('${addr}', ${port}))\ns.listen()\nprint('ready', flush=True)\nwhile True:\n  c,_=s.accept()\n  c.recv(100)\n  c.sendall(b'ok')\n  c.close()`], { stdio: ['ignore', 'pipe', 'pipe'] });
        await new Promise<void>((resolve, reject) => {
          this.listener?.stdout?.once('data', () => resolve());
          this.listener?.once('exit', () => reject(new Error('the listener ended')));
        });
      }
      const client =
        step.sport === undefined
          ? `import socket\nc=socket.create_connection(('${step.to ?? HOST}', ${step.port}), timeout=5)\nc.sendall(b'hi')\nc.recv(10)\nc.close()`
          : `import socket\nc=socket.create_connection(('${step.to ?? HOST}', ${step.port}), timeout=5, source_address=('', ${step.sport}))\nc.sendall(b'hi')\nwhile c.recv(10):\n  pass\nc.close()`;
      ok(['ip', 'netns', 'exec', `${this.ns}-c`, 'python3', '-c', client]);
    }
    this.probe();
    if (!(await this.seen(`udp sport ${30000 + this.barrier}`, 10_000))) throw new Error('the barrier probe was not traced');
  }

  /**
   * Send one packet with hping3 without waiting for hping3 to end (it waits a
   * second for a reply): done once the kernel has traced a packet containing
   * SEEN (e.g. `tcp sport 20000 `), or, without SEEN, one more arrival.
   */
  async sendQuick(args: readonly string[], to: string, seen?: string): Promise<void> {
    const before = this.arrivals().length;
    const child = spawn('ip', ['netns', 'exec', `${this.ns}-c`, 'hping3', '-q', '-c', '1', ...args, to], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (seen ? this.arrivals().some((g) => g.packet.includes(seen)) : this.arrivals().length > before) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`hping3 ${args.join(' ')} ${to}: the kernel never traced it`);
    } finally {
      child.kill();
    }
  }

  /** Wait until everything sent so far is traced (a probe sent last is). */
  async settle(): Promise<void> {
    this.probe();
    if (!(await this.seen(`udp sport ${30000 + this.barrier}`, 10_000))) throw new Error('the barrier probe was not traced');
  }

  /** The client's packets as the kernel traced them (barrier probes left out; IPv6: from its address, not its link-local one). */
  clientGroups(): Group[] {
    return groups(this.out).filter(fromClient);
  }

  /**
   * One flow as the kernel traced it: the client's packets and the host's own
   * packets to the client (its SYN-ACKs, RSTs, ICMP errors, the echo replies),
   * in order — conntrack sees both directions, so the evaluator must too.
   */
  flowGroups(): Group[] {
    return groups(this.out).filter((g) => fromClient(g) || toClient(g));
  }

  /** Every packet that arrived on the host's eth0 (and, with a server, eth1) as the kernel traced it, in order (barrier probes left out). */
  arrivals(): Group[] {
    return groups(this.out).filter((g) => (g.packet.includes(`iif "eth0"`) || (this.server && g.packet.includes(`iif "eth1"`))) && !/udp sport 3\d{4} udp dport 9\b/.test(g.packet));
  }

  /**
   * When the kernel traced each group, in seconds from the first: the time its
   * output reached the lab (nft monitor prints each event as it comes, so this
   * is the packet's time to within the scheduling of two processes).
   */
  timesOf(gs: readonly Group[]): number[] {
    const msOf = (offset: number): number => {
      let ms = this.stamps[0]?.ms ?? 0;
      for (const st of this.stamps) {
        if (st.offset > offset) break;
        ms = st.ms;
      }
      return ms;
    };
    const ms = gs.map((g) => msOf(g.offset));
    return ms.map((m) => Math.max(0, (m - (ms[0] ?? 0)) / 1000));
  }

  raw(): string {
    return this.out;
  }

  close(): void {
    for (const p of [...this.probes]) p.kill();
    this.monitor?.kill();
    this.listener?.kill();
    sh(['ip', 'netns', 'del', `${this.ns}-h`]);
    sh(['ip', 'netns', 'del', `${this.ns}-c`]);
    if (this.server) sh(['ip', 'netns', 'del', `${this.ns}-s`]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}


/**
 * The evaluator's trace of the packets the kernel traced, at the times the lab
 * saw them. The lab sees a packet a little after the kernel does (the monitor's
 * output reaches it through a pipe and two schedulers), so a limit whose token
 * bucket was within TOL seconds of the packet's cost may have decided the other
 * way in the kernel: then, and only then, that packet's time is moved by at most
 * TOL (the packets before and after it kept in order) to the nearest time at
 * which the evaluator agrees with the kernel, and the comparison goes on. Which
 * packets were moved is returned, so the test can say so; any other difference
 * is left for the test to report.
 */
export function traceAtLabTimes(
  design: Ruleset,
  specs: readonly string[],
  kernel: readonly (readonly TraceEvent[])[],
  options: TraceOptions & { times: readonly number[] },
  tol = 0.05,
): { packets: PacketResult[]; moved: number[] } {
  const same = (a: readonly TraceEvent[], b: readonly TraceEvent[] | undefined): boolean => !!b && a.length === b.length && a.every((e, k) => eventForComparison(e) === eventForComparison(b[k]));
  let times = [...options.times];
  const moved: number[] = [];
  for (;;) {
    const ours = trace(design, specs, { ...options, times }).packets;
    const i = ours.findIndex((p, k) => !same(p.events, kernel[k]));
    if (i < 0 || !ours[i].limits.some((d) => Math.abs(d.margin) < tol)) return { packets: ours, moved };
    let fixed: number[] | undefined;
    for (let ms = 1; ms <= tol * 1000 && !fixed; ms++) {
      for (const shift of [-ms / 1000, ms / 1000]) {
        const at = Math.max(0, times[i] + shift);
        const t = times.map((x, k) => (k < i ? Math.min(x, at) : k === i ? at : Math.max(x, at)));
        if (trace(design, specs.slice(0, i + 1), { ...options, times: t.slice(0, i + 1) }).packets.every((p, k) => same(p.events, kernel[k]))) {
          fixed = t;
          break;
        }
      }
    }
    if (!fixed) return { packets: ours, moved };
    times = fixed;
    moved.push(i);
  }
}
