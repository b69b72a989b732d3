import { describe, expect, it } from 'vitest';
import { byId, lintText } from '../fixtures/lintText.ts';
import { parse } from '../../parse/index.ts';
import { trace } from '../../trace/evaluate.ts';

const chain = (rules: string): string => `table inet t {\n\tchain in {\n\t\ttype filter hook input priority filter; policy drop;\n${rules.split('\n').map((r) => `\t\t${r}\n`).join('')}\t}\n}\n`;
const shadow = (rules: string) => byId(lintText(chain(rules)).found, 'rule/shadowed');
const redundant = (rules: string) => byId(lintText(chain(rules)).found, 'rule/redundant');

describe('shadowed and redundant rules', () => {
  it('names the earlier rule and gives an example packet', () => {
    const [d] = shadow('ip saddr 10.0.0.0/8 drop\nip saddr 10.1.2.3 tcp dport 22 accept');
    expect(d.message).toBe('this rule never decides a packet: every packet it matches is already dropped by "ip saddr 10.0.0.0/8 drop" (line 4)');
    expect(d.why).toContain('for example ip saddr 10.1.2.3 tcp dport 22');
  });
  it('carries its example as a packet the trace shows decided by the earlier rule', () => {
    const text = chain('ip saddr 10.0.0.0/8 drop\nip saddr 10.1.2.3 tcp dport 22 accept');
    const [d] = byId(lintText(text).found, 'rule/shadowed');
    expect(d.trace?.packets).toEqual(['iif "eth0" ip saddr 10.1.2.3 ip daddr 198.51.100.1 tcp sport 40000 tcp dport 22']);
    const r = trace(parse(text).ruleset, d.trace?.packets ?? [], { hostAddrs: d.trace?.hostAddrs }).packets[0];
    expect(r.verdict).toBe('drop');
    expect(r.events.map((e) => e.rule)).toEqual(['ip saddr 10.0.0.0/8 drop']);
  });
  it('no example packet where the trace never reaches the earlier rule (another chain decides first)', () => {
    const text = `table inet a {\n\tchain in {\n\t\ttype filter hook input priority -10; policy accept;\n\t\ttcp dport 22 drop\n\t}\n}\n${chain('ip saddr 10.0.0.0/8 drop\nip saddr 10.1.2.3 tcp dport 22 accept')}`;
    const [d] = byId(lintText(text).found, 'rule/shadowed');
    expect(d.message).toContain('already dropped');
    expect(d.trace).toBeUndefined();
  });
  it('intervals: a range, a set, a prefix and != are compared as sets of values', () => {
    expect(redundant('tcp dport 1-1024 accept\ntcp dport { 22, 80 } accept')).toHaveLength(1);
    expect(redundant('tcp dport 1-1024 accept\ntcp dport { 22, 2000 } accept')).toEqual([]);
    expect(shadow('tcp dport != 22 drop\ntcp dport 80 accept')).toHaveLength(1);
    expect(shadow('tcp dport != 22 drop\ntcp dport 22 accept')).toEqual([]);
    expect(shadow('ip daddr 192.0.2.0/24 reject\nip daddr 192.0.2.128/25 accept')).toHaveLength(1);
    expect(shadow('tcp dport > 1024 drop\ntcp dport 8080 accept')).toHaveLength(1);
  });
  it('what a header implies: meta l4proto tcp (or ip protocol tcp) decides a later tcp dport rule; in inet an IPv4 match leaves the IPv6 packets', () => {
    expect(shadow('meta l4proto tcp drop\ntcp dport 5000 accept')).toHaveLength(1);
    expect(shadow('meta l4proto tcp reject\ntcp dport 5000 accept')[0].message).toContain('rejected by "meta l4proto tcp reject"');
    const [ipProto] = shadow('ip protocol tcp drop\nip saddr 10.0.0.0/8 tcp dport 5000 accept');
    expect(ipProto.why).toContain('for example ip saddr 10.0.0.0 tcp dport 5000 ');
    // an IPv6 TCP packet still reaches it; and UDP is another protocol
    expect(shadow('ip protocol tcp drop\ntcp dport 22 accept')).toEqual([]);
    expect(shadow('meta l4proto tcp drop\nudp dport 53 accept')).toEqual([]);
    // icmp is IPv4 in an inet table: meta nfproto ipv4 decides it
    expect(shadow('meta nfproto ipv4 drop\nicmp type echo-request accept')).toHaveLength(1);
    expect(shadow('meta nfproto ipv6 drop\nicmp type echo-request accept')).toEqual([]);
  });
  it('ct state: a packet has one state', () => {
    expect(redundant('ct state established,related accept\nct state established accept')).toHaveLength(1);
    expect(redundant('ct state established accept\nct state established,related accept')).toEqual([]);
  });
  it('an earlier rule with a field the later one does not constrain does not cover it', () => {
    expect(shadow('ip saddr 10.0.0.0/8 tcp dport 22 drop\ntcp dport 22 accept')).toEqual([]);
  });
  it('leaves alone what it does not read exactly: limits, named sets, flags, jumps, other protocols', () => {
    expect(shadow('tcp dport 22 limit rate 1/second drop\ntcp dport 22 accept')).toEqual([]);
    expect(shadow('tcp flags syn drop\ntcp flags syn tcp dport 22 accept')).toEqual([]);
    expect(shadow('tcp dport 22 jump x\ntcp dport 22 accept').length + redundant('tcp dport 22 jump x\ntcp dport 22 accept').length).toBe(0);
    expect(shadow('udp dport 53 drop\ntcp dport 53 accept')).toEqual([]);
    expect(shadow('iifname "eth*" drop\niifname "eth0" accept')).toEqual([]);
  });
  it('several earlier rules together: each named, redundant when all decide the same way, shadowed otherwise', () => {
    const [r] = redundant('tcp dport 80 accept\ntcp dport 443 accept\ntcp dport { 80, 443 } accept');
    expect(r.message).toBe('this rule changes nothing: every packet it matches is already accepted by the earlier rules "tcp dport 80 accept" (line 4) and "tcp dport 443 accept" (line 5) together');
    const [d] = shadow('tcp dport 1-100 accept\ntcp dport 101-200 drop\ntcp dport 50-150 reject');
    expect(d.message).toBe('this rule never decides a packet: every packet it matches is already decided by the earlier rules together: accepted by "tcp dport 1-100 accept" (line 4), dropped by "tcp dport 101-200 drop" (line 5)');
    expect(shadow('tcp dport 1-100 accept\ntcp dport 102-200 drop\ntcp dport 50-150 reject')).toEqual([]);
    // two fields: the halves of a square cover it, three corners do not
    expect(redundant('ip saddr 10.0.0.0/8 tcp dport 22 accept\nip saddr != 10.0.0.0/8 tcp dport 22 accept\ntcp dport 22 ip saddr 192.0.2.1 accept')).toHaveLength(1);
    const corners = 'ip saddr 10.0.0.0/8 tcp dport 1-100 drop\nip saddr 11.0.0.0/8 tcp dport 1-100 drop\nip saddr 10.0.0.0/8 tcp dport 101-200 drop\nip saddr 10.0.0.0-11.255.255.255 tcp dport 1-200 accept';
    expect(shadow(corners)).toEqual([]);
    expect(shadow(`${corners.split('\n').slice(0, 3).join('\n')}\nip saddr 11.0.0.0/8 tcp dport 101-200 drop\nip saddr 10.0.0.0-11.255.255.255 tcp dport 1-200 accept`)).toHaveLength(1);
    // ct state: a packet has exactly one of five states
    expect(redundant('ct state established,related accept\nct state new,invalid,untracked accept\ntcp dport 22 accept')).toHaveLength(1);
  });
  it('named sets whose elements the design fixes, and concatenations in a set', () => {
    const withSet = (set: string, rules: string) => `table inet t {\n${set}\n\tchain in {\n\t\ttype filter hook input priority filter; policy drop;\n${rules.split('\n').map((r) => `\t\t${r}\n`).join('')}\t}\n}\n`;
    const web = '\tset web {\n\t\ttype inet_service\n\t\telements = { 80, 443 }\n\t}';
    expect(byId(lintText(withSet(web, 'tcp dport @web accept\ntcp dport 443 drop')).found, 'rule/shadowed')).toHaveLength(1);
    expect(byId(lintText(withSet(web, 'tcp dport @web accept\ntcp dport 8443 drop')).found, 'rule/shadowed')).toEqual([]);
    // elements a rule adds, or that time out, are not known: nothing is said
    expect(byId(lintText(withSet(web, 'tcp dport @web accept\ntcp dport 443 drop\nudp dport 53 add @web { 443 }')).found, 'rule/shadowed')).toEqual([]);
    const dyn = '\tset web {\n\t\ttype inet_service\n\t\tflags timeout\n\t\telements = { 80, 443 }\n\t}';
    expect(byId(lintText(withSet(dyn, 'tcp dport @web accept\ntcp dport 443 drop')).found, 'rule/shadowed')).toEqual([]);
    const pairs = '\tset pairs {\n\t\ttype ipv4_addr . inet_service\n\t\tflags interval\n\t\telements = { 10.0.0.0/8 . 22, 192.0.2.1 . 80-90 }\n\t}';
    expect(byId(lintText(withSet(pairs, 'ip saddr . tcp dport @pairs drop\nip saddr 10.1.1.1 tcp dport 22 accept\nip saddr 192.0.2.1 tcp dport 85 accept')).found, 'rule/shadowed')).toHaveLength(2);
    expect(byId(lintText(withSet(pairs, 'ip saddr . tcp dport @pairs drop\nip saddr 10.1.1.1 tcp dport 80 accept')).found, 'rule/shadowed')).toEqual([]);
    expect(shadow('ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.2 . 22 } drop\nip saddr 10.0.0.1-10.0.0.2 tcp dport 22 accept')).toHaveLength(1);
  });
  it('a rule that may change the packet or send it elsewhere ends what the rules before it say; a field of a header the later rule need not have covers nothing', () => {
    expect(shadow('tcp dport 22 drop\ntcp dport set 23\ntcp dport 22 accept')).toEqual([]);
    expect(shadow('tcp dport 22 drop\ntcp dport 80 jump x\ntcp dport 22 accept')).toEqual([]);
    expect(shadow('tcp dport 22 drop\ntcp dport 80 counter\ntcp dport 22 accept')).toHaveLength(1);
    // inet: an IPv6 packet has no ip saddr, a UDP packet no tcp dport
    expect(redundant('ip saddr 0.0.0.0/0 accept\ntcp dport 22 accept')).toEqual([]);
    expect(redundant('tcp dport 0-65535 accept\nudp dport 53 accept')).toEqual([]);
    expect(redundant('tcp dport 22 ip saddr 0.0.0.0/0 accept\ntcp dport 22 ip saddr 10.0.0.1 accept')).toHaveLength(1);
  });
  it('identical consecutive rules are rule/duplicate only', () => {
    const found = lintText(chain('tcp dport 22 accept\ntcp dport 22 accept')).found;
    expect(byId(found, 'rule/redundant')).toEqual([]);
    expect(byId(found, 'rule/duplicate')).toHaveLength(1);
  });
});

describe('management path, traced', () => {
  const text = (rules: string) => `table inet t {\n\tset mgmt {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.10 }\n\t}\n\n\tchain in {\n\t\ttype filter hook input priority filter; policy drop;\n${rules.split('\n').map((r) => `\t\t${r}\n`).join('')}\t}\n}\n`;
  const mp = (rules: string) => byId(lintText(text(rules)).found, 'chain/management-path');
  it('a client of the management set is traced to the accept: nothing to say', () => {
    expect(mp('ip saddr @mgmt tcp dport 22 accept')).toEqual([]);
  });
  it('an SSH accept that a rule above takes away is found by the trace, with the traced packet', () => {
    const [d] = mp('ip saddr 192.0.2.0/24 drop\nip saddr @mgmt tcp dport 22 accept');
    expect(d.why).toContain('Traced: iif "eth0" ip saddr 192.0.2.10 ip daddr 198.51.100.1 tcp sport 40000 tcp dport 22 tcp flags syn → drop (inet t in rule ip saddr 192.0.2.0/24 drop (verdict drop))');
    expect(d.trace).toEqual({ packets: ['iif "eth0" ip saddr 192.0.2.10 ip daddr 198.51.100.1 tcp sport 40000 tcp dport 22 tcp flags syn'], hostAddrs: ['198.51.100.1'] });
  });
  it('the management network from a concatenated verdict map, traced to its accept (and to its drop when the map accepts another port)', () => {
    const design = (port: number) => `table inet t {\n\tmap cm {\n\t\ttypeof ip saddr . tcp dport : verdict\n\t\tflags interval\n\t\telements = { 10.0.0.0/8 . ${port} : accept }\n\t}\n\n\tchain in {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tip saddr . tcp dport vmap @cm\n\t\tfib daddr type local tcp dport 9000 accept\n\t}\n}\n`;
    expect(byId(lintText(design(22)).found, 'chain/management-path')).toEqual([]);
    const [d] = byId(lintText(design(23)).found, 'chain/management-path');
    expect(d.trace?.packets[0]).toContain('tcp dport 22');
  });
  it('the port the user names', () => {
    const found = lintText(text('tcp dport 22 accept'), { managementPort: 2222 }).found;
    expect(byId(found, 'chain/management-path')).toHaveLength(1);
  });
});
