import { describe, expect, it } from 'vitest';
import { nftHover } from './hover.ts';

/** hover at the first occurrence of `word` (after `skip` characters) */
function hoverOn(line: string, word: string, skip = 0, family?: 'ip' | 'inet' | 'bridge') {
  const at = line.indexOf(word, skip);
  if (at < 0) throw new Error(`${word} not in ${line}`);
  return nftHover(line, at + 1, family ? { family } : {});
}

const text = (h: ReturnType<typeof nftHover>): string => (h ? h.contents.join('\n') : '');

describe('nft hovers', () => {
  const synproxyRule = '\t\ttcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm';

  it('explains synproxy with its placement and versions', () => {
    const h = hoverOn(synproxyRule, 'synproxy');
    expect(h).toMatchObject({ startColumn: synproxyRule.indexOf('synproxy') + 1, endColumn: synproxyRule.indexOf('synproxy') + 9 });
    expect(text(h)).toContain('SYN cookies');
    expect(text(h)).toContain('input, forward');
    expect(text(h)).toContain('0.9.2');
    expect(text(h)).toContain('0.9.3');
  });

  it('explains the synproxy options with the backend facts', () => {
    expect(text(hoverOn(synproxyRule, 'mss'))).toMatch(/backend server/);
    expect(text(hoverOn(synproxyRule, 'mss'))).toMatch(/tcpdump/);
    expect(text(hoverOn(synproxyRule, 'wscale'))).toMatch(/backend server.*SYN-ACK/s);
    expect(text(hoverOn(synproxyRule, 'timestamp'))).toMatch(/window scaling and SACK/);
    expect(text(hoverOn(synproxyRule, 'sack-perm'))).toMatch(/timestamp/);
    // the number after mss explains mss too
    expect(text(hoverOn(synproxyRule, '1460'))).toMatch(/maximum segment size/);
  });

  it('explains a field in context: tcp dport, ct state and its values', () => {
    expect(hoverOn(synproxyRule, 'dport')?.contents[0]).toBe('`tcp dport`');
    expect(text(hoverOn(synproxyRule, 'dport'))).toMatch(/TCP destination port/i);
    expect(hoverOn(synproxyRule, 'state')?.contents[0]).toBe('`ct state`');
    expect(text(hoverOn(synproxyRule, 'state'))).toMatch(/established/);
    expect(text(hoverOn(synproxyRule, 'untracked'))).toMatch(/notrack/);
    expect(text(hoverOn('ct state established,related accept', 'related'))).toMatch(/belongs to an existing/);
    expect(text(hoverOn('icmp type { echo-request, echo-reply } accept', 'echo-reply'))).toMatch(/icmp type.*0/);
    expect(text(hoverOn('iifname "lo" accept', 'iifname'))).toMatch(/input interface name/i);
    expect(text(hoverOn('meta l4proto tcp', 'l4proto'))).toMatch(/layer-4/i);
  });

  it('explains notrack and priority raw: before conntrack', () => {
    expect(text(hoverOn('tcp dport 8888 tcp flags syn notrack', 'notrack'))).toMatch(/before conntrack/);
    const raw = hoverOn('type filter hook prerouting priority raw; policy accept;', 'raw', 0, 'ip');
    expect(text(raw)).toMatch(/-300/);
    expect(text(raw)).toMatch(/before conntrack/);
    expect(text(raw)).toMatch(/notrack/);
    const filter = hoverOn('type filter hook input priority filter; policy accept;', 'filter', 30, 'inet');
    expect(filter?.contents[0]).toBe('`priority filter`');
    expect(text(filter)).toMatch(/= 0/);
    // the chain type is not the priority
    expect(hoverOn('type filter hook input priority filter;', 'filter')?.contents[0]).toBe('`type filter`');
    expect(text(hoverOn('type filter hook input priority -150;', '150', 0, 'ip'))).toMatch(/after conntrack.*before dstnat/);
  });

  it('explains hooks, families and verdicts', () => {
    expect(text(hoverOn('type filter hook prerouting priority raw;', 'prerouting'))).toMatch(/before the routing decision/);
    expect(text(hoverOn('type filter hook input priority 0;', 'input'))).toMatch(/addressed to this host/);
    expect(text(hoverOn('table inet filter {', 'inet'))).toMatch(/IPv4 and IPv6/);
    expect(text(hoverOn('table ip foo {', 'ip'))).toMatch(/IPv4 packets only/);
    expect(text(hoverOn('ct state invalid drop', 'drop'))).toMatch(/Final/);
    expect(text(hoverOn('policy accept;', 'accept'))).toMatch(/Verdict/);
  });

  it('has nothing to say about names, strings, comments and blanks', () => {
    expect(hoverOn('\tchain input {', 'input')).toBeNull();
    expect(hoverOn('log prefix "synproxy " drop', 'synproxy')).toBeNull();
    expect(hoverOn('# synproxy', 'synproxy')).toBeNull();
    expect(nftHover('\t\t', 1)).toBeNull();
    expect(nftHover('', 1)).toBeNull();
  });

  it('reads set references and variables', () => {
    expect(text(hoverOn('ip saddr @blocklist drop', '@blocklist'))).toMatch(/named set or map `blocklist`/);
    expect(text(hoverOn('ip saddr $lan accept', '$lan'))).toMatch(/define lan/);
  });

  it('explains set as an assignment after a field', () => {
    expect(text(hoverOn('meta mark set 0x1', 'set'))).toMatch(/Assigns/);
    expect(text(hoverOn('\tset blocklist {', 'set'))).toMatch(/named set/);
  });
});
