import { describe, expect, it } from 'vitest';
import { asRaw, byId, errors, ids, lintText, rangeText } from '../fixtures/lintText.ts';

const chain = (name: string, spec: string | undefined, rules: string): string =>
  `\tchain ${name} {\n${spec ? `\t\t${spec}\n` : ''}${rules
    .split('\n')
    .filter(Boolean)
    .map((r) => `\t\t${r}\n`)
    .join('')}\t}\n\n`;
const table = (family: string, body: string): string => `table ${family} t {\n${body}}\n`;
const SP = 'tcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm';

describe('statement placement', () => {
  it('follows a verdict map from an output chain into a regular chain', () => {
    const text = table(
      'ip',
      chain('out', 'type filter hook output priority filter; policy accept;', 'tcp sport vmap { 80 : jump sp }') + chain('sp', undefined, SP),
    );
    const [d] = byId(lintText(text).found, 'placement/synproxy');
    expect(d.message).toBe('synproxy is not allowed in chain sp, which base chain out (filter output) jumps to; only in input or forward');
    expect(rangeText(text, d)).toBe('synproxy');
    expect(d.field).toBe('statement');
  });

  it('reports a regular chain reached from a good and a bad hook once, naming the bad one', () => {
    const text = table(
      'inet',
      chain('in', 'type filter hook input priority filter; policy accept;', 'jump sp') +
        chain('pre', 'type filter hook prerouting priority filter; policy accept;', 'jump sp') +
        chain('sp', undefined, `${SP}\nct state invalid drop`),
    );
    const hits = byId(lintText(text).found, 'placement/synproxy');
    expect(hits.length).toBe(1);
    expect(hits[0].message).toMatch(/base chain pre \(filter prerouting\)/);
  });

  it('says nothing about a regular chain no base chain reaches', () => {
    expect(ids(lintText(table('ip', chain('sp', undefined, SP))).found)).not.toContain('placement/synproxy');
  });

  it('accepts snat on nat input and tproxy on nat prerouting', () => {
    const text = table(
      'ip',
      chain('in', 'type nat hook input priority 100; policy accept;', 'snat to 10.0.0.1') +
        chain('pre', 'type nat hook prerouting priority dstnat; policy accept;', 'meta l4proto tcp tproxy to :1234'),
    );
    expect(ids(lintText(text).found).filter((id) => id.startsWith('placement/'))).toEqual([]);
  });

  it('reads masquerade, tproxy and reject in raw text, but not "ct status dnat"', () => {
    const text = table(
      'ip',
      chain('out', 'type filter hook output priority filter; policy accept;', 'accept\naccept\naccept') +
        chain('post', 'type filter hook postrouting priority filter; policy accept;', 'accept\naccept'),
    );
    const raw = [
      asRaw('out', 0, 'meta cpu 1 ct status dnat accept'),
      asRaw('out', 1, 'meta l4proto tcp tproxy to :1'),
      asRaw('out', 2, 'meta cpu 1 log prefix "masquerade " accept'),
      asRaw('post', 0, 'meta cpu 1 ct status snat counter'),
      asRaw('post', 1, 'meta cpu 1 reject'),
    ];
    const r = lintText(text, { model: (rs) => raw.forEach((f) => f(rs)) });
    expect(ids(errors(r.found)).sort()).toEqual(['placement/reject', 'placement/tproxy']);
  });

  it('needs a nat chain, not just the right hook', () => {
    const text = table('ip', chain('post', 'type filter hook postrouting priority srcnat; policy accept;', 'snat to 10.0.0.1'));
    const [d] = byId(lintText(text).found, 'placement/snat');
    expect(d.message).toBe('snat is not allowed in a filter postrouting chain; only in nat chains on postrouting or input');
  });

  it('refuses synproxy in arp and netdev tables whatever the hook', () => {
    expect(ids(lintText(table('arp', chain('c', 'type filter hook input priority filter; policy accept;', 'synproxy'))).found)).toContain('placement/synproxy');
    const nd = table('netdev', chain('c', 'type filter hook ingress device "eth0" priority filter; policy accept;', 'synproxy mss 1460 wscale 7 timestamp'));
    expect(byId(lintText(nd).found, 'placement/synproxy')[0].message).toBe('synproxy cannot work in a netdev table');
  });

  it('lets reject run on inet ingress and netdev ingress', () => {
    const text =
      table('inet', chain('c', 'type filter hook ingress device "eth0" priority filter; policy accept;', 'reject')) +
      table('netdev', chain('c', 'type filter hook ingress device "eth0" priority filter; policy accept;', 'reject'));
    expect(ids(lintText(text).found)).not.toContain('placement/reject');
  });
});
