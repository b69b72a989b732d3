import { describe, expect, it } from 'vitest';
import { SYNPROXY_SYSCTLS } from '../../knowledge/synproxyFacts.ts';
import { asRaw, byId, ids, lintText, rangeText } from '../fixtures/lintText.ts';

const table = (family: string, body: string): string => `table ${family} t {\n${body}}\n`;
const chain = (name: string, spec: string | undefined, rules: string): string =>
  `\tchain ${name} {\n${spec ? `\t\t${spec}\n` : ''}${rules
    .split('\n')
    .filter(Boolean)
    .map((r) => `\t\t${r}\n`)
    .join('')}\t}\n\n`;
const input = (rules: string): string => chain('in', 'type filter hook input priority filter; policy accept;', rules);
const pre = (rules: string, prio = 'raw'): string => chain('pre', `type filter hook prerouting priority ${prio}; policy accept;`, rules);
const SP = (ports: string, args = 'mss 1460 wscale 7 timestamp sack-perm'): string => `tcp dport ${ports} ct state invalid,untracked synproxy ${args}\nct state invalid drop`;

describe('synproxy numbers', () => {
  it('points at the exact mss token', () => {
    const text = table('ip', input(SP('80', 'mss 65536 wscale 7 timestamp sack-perm')));
    const [d] = byId(lintText(text).found, 'synproxy/mss-range');
    expect(rangeText(text, d)).toBe('65536');
    expect(d.field).toBe('mss');
    expect(d.message).toBe('mss 65536 is outside 1..65535; nft would silently store 0');
  });

  it('warns on mss 0, which nft itself lists for a statement given only wscale', () => {
    const found = lintText(table('ip', input(SP('80', 'mss 0 wscale 7 timestamp')))).found;
    expect(byId(found, 'synproxy/mss-range')).toEqual([]);
    expect(byId(found, 'synproxy/mss-zero').map((d) => d.severity)).toEqual(['warning']);
  });

  it('warns on wscale 15..255 and errs above 255, at the value', () => {
    const w = (n: number): string[] => ids(lintText(table('ip', input(SP('80', `mss 1460 wscale ${n} timestamp`)))).found);
    expect(w(14)).not.toContain('synproxy/wscale-max');
    expect(w(255)).toContain('synproxy/wscale-max');
    expect(w(255)).not.toContain('synproxy/wscale-range');
    expect(w(300)).toContain('synproxy/wscale-range');
    const text = table('ip', input(SP('80', 'mss 1460 wscale 300 timestamp')));
    expect(rangeText(text, byId(lintText(text).found, 'synproxy/wscale-range')[0])).toBe('300');
  });

  it('checks named objects too', () => {
    const text = table('ip', '\tsynproxy sp {\n\t\tmss 70000\n\t\twscale 7\n\t}\n\n');
    const r = lintText(text);
    expect(rangeText(text, byId(r.found, 'synproxy/mss-range')[0])).toBe('70000');
    expect(ids(r.found)).toContain('synproxy/timestamp-off');
  });

  it('wants both mss and wscale in the anonymous statement', () => {
    const r = lintText(table('ip', input(SP('80', 'wscale 7 timestamp'))));
    expect(byId(r.found, 'synproxy/mss-wscale-pair')[0].message).toBe('synproxy sets wscale 7 but no mss: nft will list it with mss 0');
    expect(ids(lintText(table('ip', input(SP('80', 'timestamp sack-perm')))).found)).not.toContain('synproxy/mss-wscale-pair');
  });
});

describe('synproxy setup', () => {
  it('accepts the wiki setup without warnings', () => {
    const text = table('ip', pre('tcp dport 8888 tcp flags syn notrack') + input(SP('8888')));
    expect(lintText(text).found.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('names the states a partial ct state match has', () => {
    const text = table('ip', input('tcp dport 80 ct state invalid synproxy mss 1460 wscale 7 timestamp\nct state invalid drop'));
    expect(byId(lintText(text).found, 'synproxy/ct-state')[0].message).toBe('the synproxy rule matches ct state invalid, not invalid,untracked');
  });

  it('accepts ct state as a set and the invalid drop through a vmap or with a counter', () => {
    const a = table('ip', input('tcp dport 80 ct state { invalid, untracked } synproxy mss 1460 wscale 7 timestamp\nct state vmap { invalid : drop, established : accept }'));
    const b = table('ip', input('tcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp\nct state invalid counter drop'));
    for (const text of [a, b]) {
      const found = ids(lintText(text).found);
      expect(found).not.toContain('synproxy/ct-state');
      expect(found).not.toContain('synproxy/no-invalid-drop');
    }
  });

  it('wants the invalid drop after the synproxy rule, in the same chain', () => {
    const text = table('ip', input('ct state invalid drop\ntcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp'));
    expect(ids(lintText(text).found)).toContain('synproxy/no-invalid-drop');
  });
});

describe('synproxy notrack coverage', () => {
  const missing = (text: string): string[] => byId(lintText(text).found, 'synproxy/notrack-missing').map((d) => d.message);

  it('lists the ports that are not notracked', () => {
    const text = table('ip', pre('tcp dport 80-90 tcp flags syn notrack') + input(SP('{ 85, 443, 8000-8080 }')));
    expect(missing(text)).toEqual(['SYNs to ports 443, 8000-8080 are not notracked before conntrack']);
  });

  it('resolves named sets on both sides', () => {
    const text = table('ip', '\tset web {\n\t\ttype inet_service\n\t\telements = { 80, 443 }\n\t}\n\n' + pre('tcp dport @web tcp flags syn notrack') + input(SP('@web')));
    expect(missing(text)).toEqual([]);
  });

  it('counts notrack rules of an inet table for an ip synproxy', () => {
    const text = table('inet', pre('tcp flags syn notrack')) + table('ip', input(SP('80')));
    expect(missing(text)).toEqual([]);
  });

  it('does not count a notrack without tcp flags syn, or one after conntrack', () => {
    expect(missing(table('ip', pre('tcp dport 80 notrack') + input(SP('80'))))).toHaveLength(1);
    expect(missing(table('ip', pre('tcp dport 80 tcp flags syn notrack', '-200') + input(SP('80'))))).toHaveLength(1);
  });

  it('asks for every port when the synproxy rule has no port match', () => {
    const text = table('ip', pre('tcp dport 80 tcp flags syn notrack') + input('ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp\nct state invalid drop'));
    expect(missing(text)).toEqual(['SYNs to any port are not notracked before conntrack']);
  });

  it('stays quiet when a notrack rule is kept as raw text', () => {
    const text = table('ip', pre('accept') + input(SP('80')));
    const r = lintText(text, { model: asRaw('pre', 0, 'tcp flags syn / syn,ack notrack') });
    expect(byId(r.found, 'synproxy/notrack-missing')).toEqual([]);
  });
});

describe('notrack placement', () => {
  it('follows jumps to the hook and priority that matter', () => {
    const text = table('ip', chain('out', 'type filter hook output priority mangle; policy accept;', 'jump nt') + chain('nt', undefined, 'notrack'));
    const [d] = byId(lintText(text).found, 'notrack/too-late');
    expect(d.message).toBe('notrack in an output chain at priority -150 (reached from out) comes after conntrack (-200) and has no effect');
  });

  it('accepts notrack on inet ingress and ignores bridge tables', () => {
    const text =
      table('inet', chain('c', 'type filter hook ingress device "eth0" priority filter; policy accept;', 'notrack')) +
      table('bridge', chain('c', 'type filter hook input priority filter; policy accept;', 'notrack'));
    expect(ids(lintText(text).found).filter((id) => id.startsWith('notrack/'))).toEqual([]);
  });
});

describe('synproxy host and backend', () => {
  it('gives one host finding with the exact sysctl lines and the conntrack sizing note', () => {
    const text = table('ip', input(`${SP('80')}\n${SP('443')}`));
    const hits = byId(lintText(text).found, 'synproxy/host-prerequisites');
    expect(hits.length).toBe(1);
    for (const line of ['net.netfilter.nf_conntrack_tcp_loose=0', 'net.ipv4.tcp_syncookies=1', 'net.ipv4.tcp_timestamps=1']) {
      expect(hits[0].message).toContain(line);
      expect(hits[0].why).toContain(line);
    }
    expect(SYNPROXY_SYSCTLS.length).toBe(3);
    expect(hits[0].why).toMatch(/nf_conntrack_max/);
    expect(hits[0].why).toMatch(/hashsize/);
  });

  it('explains how to read the backend values with tcpdump, on the protected port', () => {
    const [d] = byId(lintText(table('ip', input(SP('443')))).found, 'synproxy/backend-match');
    expect(d.why).toContain("tcpdump -nni eth0 'tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack) and src port 443'");
    expect(d.why).toMatch(/"mss" and "wscale"/);
  });
});

describe('synproxy reached (traced)', () => {
  it('reports the accept of the same port above the synproxy rule, naming it', () => {
    const text = table('inet', pre('tcp dport 8888 tcp flags syn notrack') + input(`ct state established,related accept\ntcp dport { 80, 8888 } accept\n${SP('8888')}`));
    const [d] = byId(lintText(text).found, 'synproxy/never-reached');
    expect(d.severity).toBe('error');
    expect(d.message).toBe('the SYN this synproxy rule must answer never reaches it: "tcp dport { 80, 8888 } accept" in chain in decides it first (verdict accept)');
    expect(rangeText(text, d)).toContain('synproxy mss 1460');
    // the SYN that shows it, for the packet trace
    expect(d.trace).toEqual({ packets: ['iif "eth0" ip saddr 203.0.113.10 ip daddr 198.51.100.1 tcp sport 40000 tcp dport 8888 tcp flags syn'], hostAddrs: ['198.51.100.1'], sysctls: { 'net.netfilter.nf_conntrack_tcp_loose': '0' } });
  });
  it('says nothing for the wiki setup, nor when the accept is of another port', () => {
    const ok = table('ip', pre('tcp dport 8888 tcp flags syn notrack') + input(SP('8888')));
    expect(byId(lintText(ok).found, 'synproxy/never-reached')).toEqual([]);
    const other = table('inet', pre('tcp dport 8888 tcp flags syn notrack') + input(`tcp dport { 80, 443 } accept\n${SP('8888')}`));
    expect(byId(lintText(other).found, 'synproxy/never-reached')).toEqual([]);
  });
  it('says nothing when the trace would have to assume (a limit before the synproxy rule)', () => {
    const text = table('inet', pre('tcp dport 8888 tcp flags syn notrack') + input(`tcp dport 8888 limit rate 10/second accept\n${SP('8888')}`));
    expect(byId(lintText(text).found, 'synproxy/never-reached')).toEqual([]);
  });
});
