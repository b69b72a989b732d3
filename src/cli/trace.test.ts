/** The trace command: a flow of --packet flags, its JSON, its text, and its errors. */
import { describe, expect, it } from 'vitest';
import { run } from './main.ts';
import { memoryIo } from './io.ts';
import { TEMPLATES } from '../templates/catalog.ts';

function cli(argv: string[], files: Record<string, string> = {}): { code: number; out: string; err: string } {
  const m = memoryIo(files);
  const code = run(argv, m.io);
  return { code, out: m.out(), err: m.err() };
}

const WIKI = TEMPLATES[0].text;
const SYN = 'iif "eth0" ip saddr 198.18.0.2 ip daddr 198.18.0.1 tcp sport 40000 tcp dport 8888 tcp flags syn';
const ACK = SYN.replace('flags syn', 'flags ack');

describe('trace', () => {
  it('prints one flow as JSON: the SYN stolen by synproxy, the final ACK too with tcp_loose=0', () => {
    const r = cli(['trace', 'w.nft', '--packet', SYN, '--packet', ACK, '--sysctl', 'net.netfilter.nf_conntrack_tcp_loose=0', '--host-addr', '198.18.0.1', '--json'], { 'w.nft': WIKI });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { packets: { packet: string; verdict: string; ctState: string; assumptions: unknown[]; events: { type: string; chain: string; verdict: string; rule?: string }[] }[] };
    expect(j.packets.map((p) => [p.packet, p.verdict, p.ctState])).toEqual([
      [SYN, 'stolen', 'untracked'],
      [ACK, 'stolen', 'invalid'],
    ]);
    expect(j.packets[0].events.map((e) => `${e.chain} ${e.type} ${e.verdict}`)).toEqual(['PRE rule continue', 'PRE policy accept', 'IN rule stolen']);
    expect(j.packets[0].events[0].rule).toBe('tcp dport 8888 tcp flags syn notrack');
    expect(Array.isArray(j.packets[0].assumptions)).toBe(true);
  });
  it('with tcp_loose=1 the final ACK is new and passes the synproxy rule by', () => {
    const r = cli(['trace', 'w.nft', '--packet', SYN, '--packet', ACK, '--sysctl', 'net.netfilter.nf_conntrack_tcp_loose=1', '--host-addr', '198.18.0.1'], { 'w.nft': WIKI });
    expect(r.code).toBe(0);
    expect(r.out).toContain('packet 2: ');
    expect(r.out.split('packet 2: ')[1]).toContain('(ct state new;');
  });
  it('the JSON carries synproxy\'s handshake with the server under the ACK (generated), each packet traced', () => {
    const r = cli(['trace', 'w.nft', '--packet', SYN, '--packet', ACK, '--sysctl', 'net.netfilter.nf_conntrack_tcp_loose=0', '--host-addr', '198.18.0.1', '--json'], { 'w.nft': WIKI });
    const j = JSON.parse(r.out) as { packets: { generated?: { packet: string; verdict: string; ruleIds?: unknown }[] }[] };
    expect(j.packets[1].generated?.map((g) => [g.packet.split(' tcp flags ')[1], g.verdict])).toEqual([
      ['syn', 'accept'],
      ['syn,ack', 'stolen'],
      ['ack', 'accept'],
      ['ack', 'accept'],
    ]);
    expect(j.packets[1].generated?.[0].packet).toMatch(/^oif "lo" /);
    expect(j.packets[1].generated?.[0].ruleIds).toBeUndefined();
  });
  it('a sysctl by a short name, or with a value that is no 0/1, is an error; one the trace does not model is a warning', () => {
    const short = cli(['trace', 'w.nft', '--packet', SYN, '--sysctl', 'nf_conntrack_tcp_loose=0'], { 'w.nft': WIKI });
    expect(short.code).toBe(1);
    expect(short.err).toContain('give its full name, net.netfilter.nf_conntrack_tcp_loose');
    expect(cli(['trace', 'w.nft', '--packet', SYN, '--sysctl', 'net.netfilter.nf_conntrack_tcp_loose=2'], { 'w.nft': WIKI }).err).toContain('must be 0 or 1');
    const other = cli(['trace', 'w.nft', '--packet', SYN, '--sysctl', 'net.ipv4.tcp_syncookies=1'], { 'w.nft': WIKI });
    expect(other.code).toBe(0);
    expect(other.out).toContain('warning: sysctl net.ipv4.tcp_syncookies');
  });
  it('a value wider than its header field is an error at its column', () => {
    const r = cli(['trace', 'w.nft', '--packet', 'iif "eth0" tcp dport 99999'], { 'w.nft': WIKI });
    expect(r.code).toBe(2);
    expect(r.err).toBe('--packet 1:22: tcp dport: 99999 does not fit in its 16 bits (at most 65535)\n');
  });
  it('a design nft refuses (a verdict map that does not exist) is not traced', () => {
    const r = cli(['trace', 'x.nft', '--packet', SYN], { 'x.nft': 'table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n\t\ttcp dport vmap @nonexist\n\t}\n}\n' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('x.nft:4:');
    expect(r.err).toContain('[ref/undefined-set]');
  });
  it('reads like nft monitor trace', () => {
    const r = cli(['trace', 'w.nft', '--packet', SYN], { 'w.nft': WIKI });
    expect(r.out).toContain('  ip anon_synproxy_demo PRE rule tcp dport 8888 tcp flags syn notrack (verdict continue)\n');
  });
  it('routes a forwarded packet by the host\'s interfaces (--iface, --route): the oif rules see it, masquerade takes its address', () => {
    const design = `table ip nat { chain post { type nat hook postrouting priority srcnat; policy accept; oifname "eth1" masquerade; }
}
table ip f { chain forw { type filter hook forward priority 0; policy drop; oifname "eth1" accept; }
}`;
    const pkt = 'iif "eth0" ip saddr 198.18.0.2 ip daddr 198.19.5.5 udp sport 5 udp dport 53';
    const r = cli(['trace', 'n.nft', '--packet', pkt, '--iface', 'eth0=198.18.0.1/24', '--iface', 'eth1=198.18.1.1/24', '--route', '198.19.0.0/16=eth1'], { 'n.nft': design });
    expect(r.err).toBe('');
    expect(r.out).toContain('ip f forw rule oifname "eth1" accept (verdict accept)');
    expect(r.out).toContain('note: masquerade to 198.18.1.1');
    const bad = cli(['trace', 'n.nft', '--packet', pkt, '--iface', 'eth0'], { 'n.nft': design });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--iface "eth0": expected NAME=ADDR/LEN');
  });
  it('--times: limits run the kernel\'s token bucket over the packets\' times', () => {
    const design = `table ip t { chain in { type filter hook input priority 0; policy drop; limit rate 1/minute burst 1 packets accept; }
}`;
    const pkt = (n: number) => `iif "eth0" ip saddr 198.18.0.2 ip daddr 198.18.0.1 udp sport ${n} udp dport 53`;
    const r = cli(['trace', 'l.nft', '--packet', pkt(1), '--packet', pkt(2), '--packet', pkt(3), '--host-addr', '198.18.0.1', '--times', '0,1,61', '--json'], { 'l.nft': design });
    expect(r.err).toBe('');
    expect((JSON.parse(r.out) as { packets: { verdict: string }[] }).packets.map((p) => p.verdict)).toEqual(['accept', 'drop', 'accept']);
    const bad = cli(['trace', 'l.nft', '--packet', pkt(1), '--times', 'soon'], { 'l.nft': design });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--times: "soon" is not a number of seconds');
    const few = cli(['trace', 'l.nft', '--packet', pkt(1), '--packet', pkt(2), '--times', '0'], { 'l.nft': design });
    expect(few.code).toBe(1);
    expect(few.err).toContain('1 times for 2 packets');
  });
  it('says where a packet description is wrong, and needs one', () => {
    const bad = cli(['trace', 'w.nft', '--packet', SYN, '--packet', 'ip saddr 1.2.3.999'], { 'w.nft': WIKI });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^--packet 2:\d+: /);
    expect(cli(['trace', 'w.nft'], { 'w.nft': WIKI }).code).toBe(2);
    expect(cli(['trace', 'w.nft', '--packet', SYN, '--bogus', 'x'], { 'w.nft': WIKI }).code).toBe(2);
  });
});
