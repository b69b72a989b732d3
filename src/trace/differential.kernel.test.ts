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
 * a verdict ends with its `policy` event.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { designOf, needTarget, nftOf } from '../testing/targets.ts';
import { LISTING_TARGETS, type ListingTarget } from '../knowledge/listing.ts';
import { trace, TCP_LOOSE } from './evaluate.ts';
import { eventLine, ruleForComparison, type TraceEvent } from './events.ts';

const HOST = '198.18.0.1';
const CLIENT = '198.18.0.2';
const TRACING = `table inet nftd_trace {
	chain pre {
		type filter hook prerouting priority -2147483648; policy accept;
		meta nftrace set 1
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

interface Group {
  id: string;
  packet: string;
  events: TraceEvent[];
  /** the tracing table's rule was seen for it */
  tracing?: boolean;
}

const LINE = /^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (.*)$/;

/**
 * `nft monitor trace` output, one group per packet. The trace id is not enough:
 * the kernel derives it from the packet buffer, and a later packet can get the
 * same id (seen: the client's ACK after its SYN was stolen by synproxy). Each
 * packet passes the tracing table's chain first, so its rule event starts a group.
 */
function groups(text: string): Group[] {
  const all: Group[] = [];
  const open = new Map<string, Group>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trimEnd());
    if (!m) continue;
    const [, id, family, table, chain, rest] = m;
    let g = open.get(id);
    // the tracing table sees each packet first: its packet line (or, when nft prints none, its rule) starts a group
    const tracing = table === 'nftd_trace';
    if (tracing && (rest.startsWith('packet: ') || (rest.startsWith('rule ') && (!g || g.tracing)))) {
      const fresh: Group = { id, packet: '', events: [], tracing: rest.startsWith('rule ') };
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
      g = { id, packet: '', events: [] };
      open.set(id, g);
      all.push(g);
    }
    if (rest.startsWith('packet: ')) {
      if (!g.packet) g.packet = rest.slice(8);
      continue;
    }
    if (table === 'nftd_trace') continue;
    const rule = /^rule (.*) \(verdict ([^)]+)\)/.exec(rest);
    const policy = /^policy (\S+)/.exec(rest);
    const verdict = /^verdict (\S+(?: \S+)?)$/.exec(rest);
    const e = { family, table, chain } as TraceEvent;
    if (rule) g.events.push({ ...e, type: 'rule', rule: ruleForComparison(rule[1]), verdict: rule[2] });
    else if (policy) g.events.push({ ...e, type: 'policy', verdict: policy[1] });
    else if (verdict) g.events.push({ ...e, type: 'return', verdict: verdict[1] });
  }
  return all;
}

/** The kernel's description of a packet as the evaluator reads it (ether addresses left out, flags as a list). */
function specOf(packetLine: string): string {
  return packetLine
    .replace(/ether (saddr|daddr) \S+ ?/g, '')
    .replace(/tcp flags == ([a-z0-9| ]+?)(?= tcp | ip |$)/, (_m, f: string) => `tcp flags ${f.split('|').map((x) => x.trim()).join(',')}`)
    .replace(/ (?:ip id|tcp window|ip length|tcp urgptr|tcp checksum|ip checksum) \S+/g, '')
    .trim();
}

type Step = { kind: 'hping'; args: string[] } | { kind: 'connect'; port: number };

class Lab {
  readonly ns = `nftd-diff-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  private monitor: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'nftd-diff-'));
  private out = '';
  private barrier = 0;
  private listener: ChildProcess | undefined;

  constructor(
    private readonly nft: string,
    ruleset: string,
    sysctls: Record<string, string>,
  ) {
    const h = `${this.ns}-h`;
    const c = `${this.ns}-c`;
    ok(['ip', 'netns', 'add', h]);
    ok(['ip', 'netns', 'add', c]);
    ok(['ip', 'link', 'add', 'eth0', 'netns', h, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', c]);
    for (const [n, a] of [
      [h, HOST],
      [c, CLIENT],
    ]) {
      ok(['ip', '-n', n, 'addr', 'add', `${a}/24`, 'dev', 'eth0']);
      ok(['ip', '-n', n, 'link', 'set', 'eth0', 'up']);
      ok(['ip', '-n', n, 'link', 'set', 'lo', 'up']);
    }
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
    this.monitor.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
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
    sh(['ip', 'netns', 'exec', `${this.ns}-c`, 'hping3', '-q', '-2', '-c', '1', '-s', String(30000 + this.barrier), '-k', '-p', '9', HOST]);
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
    if (step.kind === 'hping') sh(['ip', 'netns', 'exec', `${this.ns}-c`, 'hping3', '-q', '-c', '1', ...step.args, HOST]);
    else {
      if (!this.listener) {
        this.listener = spawn('ip', ['netns', 'exec', `${this.ns}-h`, 'python3', '-c', `import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('${HOST}', ${step.port}))\ns.listen()\nprint('ready', flush=True)\nwhile True:\n  c,_=s.accept()\n  c.recv(100)\n  c.sendall(b'ok')\n  c.close()`], { stdio: ['ignore', 'pipe', 'pipe'] });
        await new Promise<void>((resolve, reject) => {
          this.listener?.stdout?.once('data', () => resolve());
          this.listener?.once('exit', () => reject(new Error('the listener ended')));
        });
      }
      ok(['ip', 'netns', 'exec', `${this.ns}-c`, 'python3', '-c', `import socket\nc=socket.create_connection(('${HOST}', ${step.port}), timeout=5)\nc.sendall(b'hi')\nc.recv(10)\nc.close()`]);
    }
    this.probe();
    if (!(await this.seen(`udp sport ${30000 + this.barrier}`, 10_000))) throw new Error('the barrier probe was not traced');
  }

  /** The client's packets as the kernel traced them (barrier probes left out). */
  clientGroups(): Group[] {
    return groups(this.out).filter((g) => g.packet.includes(`iif "eth0"`) && g.packet.includes(`ip saddr ${CLIENT}`) && !/udp sport 3\d{4} udp dport 9\b/.test(g.packet));
  }

  raw(): string {
    return this.out;
  }

  close(): void {
    this.monitor?.kill();
    this.listener?.kill();
    sh(['ip', 'netns', 'del', `${this.ns}-h`]);
    sh(['ip', 'netns', 'del', `${this.ns}-c`]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Case {
  name: string;
  ruleset: string;
  steps: Step[];
  sysctls?: Record<string, string>;
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
        const lab = new Lab(nftOf(v), c.ruleset, c.sysctls ?? {});
        try {
          await lab.start();
          for (const s of c.steps) await lab.send(s);
          const kernel = lab.clientGroups();
          if (process.env.NFTD_DIFF_RAW) console.log(lab.raw());
          expect(kernel.length).toBeGreaterThanOrEqual(c.steps.length);
          const specs = kernel.map((g) => specOf(g.packet));
          const ours = trace(designOf(c.ruleset), specs, { hostAddrs: [HOST], sysctls: c.sysctls ?? { [TCP_LOOSE]: '1' }, target: v }).packets;
          const show = (es: readonly TraceEvent[]) => es.map((e) => eventLine({ ...e, rule: e.rule && ruleForComparison(e.rule) }));
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
