import { describe, expect, it } from 'vitest';
import { emitRule } from '../../../src/emit/index.ts';
import type { Family } from '../../../src/model/types.ts';
import {
  blocks,
  emptyState,
  newMatchRow,
  newStmtRow,
  ruleToState,
  stateToRule,
  type BuilderContext,
  type BuilderState,
  type SynproxyRow,
} from './model.ts';
import { ruleOf, wikiFixture } from './testUtil.ts';
import { WIZARD_DEFAULTS } from '../../../src/wizard/synproxy.ts';

const fx = wikiFixture();
const ctxIn: BuilderContext = { family: 'inet', table: fx.table, chain: fx.chain('in') };

function roundTrip(text: string, ctx: BuilderContext = ctxIn): string {
  const rule = ruleOf(text, ctx.family);
  const from = ruleToState(rule, ctx);
  if (!from.ok) throw new Error(`not shown in the builder: ${from.reason}`);
  const back = stateToRule(from.state, ctx, rule);
  expect(back.problems.filter(blocks)).toEqual([]);
  expect(back.rule.id).toBe(rule.id);
  return emitRule(back.rule, ctx.family);
}

describe('rule → rows → rule keeps the nft listing', () => {
  it.each([
    // the nftables wiki's synproxy rules
    'tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm',
    'ct state invalid drop',
    'tcp dport 8888 tcp flags syn notrack',
    'ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy", 192.168.2.0/24 : "other-synproxy" }',
    'tcp dport 443 ct state invalid,untracked synproxy name "https-synproxy"',
    'ct state invalid,untracked synproxy name ip saddr map @per-source',
    // everyday rules
    'ct state established,related accept',
    'iifname "lo" accept',
    'ip saddr @allowed tcp dport 22 counter packets 0 bytes 0 accept',
    'tcp dport { 80, 443 } accept comment "web"',
    'ip saddr 10.0.0.1-10.0.0.9 tcp dport != 22 log prefix "odd: " level info drop',
    'ip6 saddr 2001:db8::/32 udp dport 53 accept',
    'meta l4proto tcp reject with tcp reset',
    'tcp dport 22 limit rate over 10/minute burst 20 packets drop',
    'quota over 10 mbytes drop',
    'meta mark set 0x00000001 ct mark set meta mark',
    'ct helper set "ftp-std"',
    'add @banned { ip saddr timeout 30s }',
    'tcp dport 21 counter name "hits" jump web',
    'ct state { established, related } accept',
    'meta nfproto ipv4 tcp dport 80 reject with icmpx admin-prohibited',
    'vlan id 10 ether saddr 00:11:22:33:44:55 return',
    'tcp dport < 1024 continue',
    'ip saddr $TRUSTED accept',
    // every selector the core structures is a field (ruleFields.ts MORE_FIELDS, or typed in full)
    'ct original ip saddr 10.0.0.1 accept',
    'tcp option maxseg size 1400-1500 drop',
    'tcp option sack-perm exists accept',
    'exthdr hbh missing accept',
    'srh sid[1] 2001:db8::1 drop',
    '@nh,8,8 0x1 drop',
    'vxlan ip saddr 10.0.0.1 drop',
    'ipsec in reqid 1 accept',
    'ipsec out spnum 2 ip6 daddr 2001:db8::1 accept',
    'osf ttl skip name "Linux" accept',
    'rt mtu > 1400 accept',
    'socket transparent 1 accept',
    'sctp chunk init num-inbound-streams 1 drop',
    'meta cpu 1 accept',
    'ct zone 2 accept',
    'tcp dport 22 queue flags bypass,fanout to 0-3',
    'queue to 0',
  ])('%s', (text) => {
    expect(roundTrip(text)).toBe(emitRule(ruleOf(text), 'inet'));
  });

  it('nat in a nat chain', () => {
    const ctx: BuilderContext = { family: 'inet', table: fx.table, chain: fx.chain('post') };
    expect(roundTrip('oifname "eth0" ip saddr 192.168.1.0/24 masquerade', ctx)).toBe('oifname "eth0" ip saddr 192.168.1.0/24 masquerade');
    expect(roundTrip('iifname "eth0" tcp dport 8080 dnat ip to 192.168.1.10:80', ctx)).toBe('iifname "eth0" tcp dport 8080 dnat ip to 192.168.1.10:80');
    expect(roundTrip('ip saddr 10.0.0.0/8 snat to 203.0.113.1', { ...ctx, family: 'ip' })).toBe('ip saddr 10.0.0.0/8 snat to 203.0.113.1');
  });

  it.each<[string, RegExp]>([
    ['dccp option 40 exists', /kept as text/],
    ['tcp flags syn / syn,ack drop', /masked/],
    ['counter tcp dport 22 accept', /match after a statement/],
    ['tcp dport vmap { 22 : accept }', /vmap/],
    ['ip saddr . tcp dport { 10.0.0.1 . 22 } accept', /concatenation/],
    ['meta priority set 1:2', /does not offer/],
    ['queue flags bypass to jhash ip saddr mod 4', /picked by an expression/],
  ])('%s opens as text', (text, why) => {
    const from = ruleToState(ruleOf(text), ctxIn);
    expect(from.ok).toBe(false);
    if (!from.ok) expect(from.reason).toMatch(why);
  });
});

function build(edit: (s: BuilderState) => void, ctx: BuilderContext = ctxIn) {
  const s = emptyState();
  edit(s);
  return stateToRule(s, ctx, { id: 'r_new' });
}

describe('rows → rule', () => {
  it("a new synproxy statement starts with the wizard's values (never mss 0 wscale 0), and a new rule with no verdict", () => {
    const res = build((s) => {
      s.matches.push({ ...newMatchRow(), field: 'tcp dport', values: ['8888'] });
      s.stmts.push(newStmtRow('synproxy', ctxIn));
    });
    expect(res.problems).toEqual([]);
    expect(emitRule(res.rule, 'inet')).toBe(`tcp dport 8888 synproxy mss ${WIZARD_DEFAULTS.mss} wscale ${WIZARD_DEFAULTS.wscale} timestamp sack-perm`);
    expect(WIZARD_DEFAULTS).toMatchObject({ mss: 1460, wscale: 7, timestamp: true, sackPerm: true });
    expect(emptyState().verdict.kind).toBe('');
  });

  it.each<[string, string[], string, RegExp]>([
    ['65536', [], 'verdict.queueNum', /above 65535/],
    ['3-2', [], 'verdict.queueNum', /backwards/],
    ['4', ['fanout'], 'verdict.queueFlags.fanout', /fanout requires a range/],
    ['x', [], 'verdict.queueNum', /N or N-M/],
  ])('a queue %s (flags %j) nft refuses is a problem at its field', (num, flags, field, message) => {
    const res = build((s) => {
      s.verdict = { ...s.verdict, kind: 'queue', queueNum: num, queueFlags: flags };
    });
    expect(res.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}: .*${message.source}`))]);
  });

  it('builds the wiki synproxy rule', () => {
    const res = build((s) => {
      s.matches.push({ ...newMatchRow(), field: 'tcp dport', values: ['8888'] });
      s.matches.push({ ...newMatchRow(), field: 'ct state', values: ['invalid', 'untracked'] });
      s.stmts.push({ ...(newStmtRow('synproxy', ctxIn) as SynproxyRow), mss: '1460', wscale: '7', timestamp: true, sackPerm: true });
    });
    expect(res.problems).toEqual([]);
    expect(emitRule(res.rule, 'inet')).toBe('tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm');
  });

  it('builds the per-source synproxy map', () => {
    const res = build((s) => {
      s.matches.push({ ...newMatchRow(), field: 'ct state', values: ['invalid', 'untracked'] });
      s.stmts.push({
        ...(newStmtRow('synproxy', ctxIn) as SynproxyRow),
        mode: 'map',
        mapKey: 'ip saddr',
        entries: [
          { key: 'a', match: '192.168.2.0/24', object: 'other-synproxy' },
          { key: 'b', match: '192.168.1.0/24', object: 'https-synproxy' },
        ],
      });
    });
    expect(res.problems).toEqual([]);
    expect(emitRule(res.rule, 'inet')).toBe(
      'ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy", 192.168.2.0/24 : "other-synproxy" }',
    );
  });

  it('several values become an anonymous set, a flag field a comma list, and a named set stands alone', () => {
    const res = build((s) => {
      s.matches.push({ ...newMatchRow(), field: 'tcp dport', values: ['https', '80', '8000-8080'] });
      s.matches.push({ ...newMatchRow(), field: 'tcp flags', values: ['syn', 'ack'] });
      s.matches.push({ ...newMatchRow(), field: 'ip saddr', values: ['@allowed'] });
      s.matches.push({ ...newMatchRow(), field: 'meta iifname', values: ['eth0'] });
      s.verdict.kind = 'accept';
    });
    expect(res.problems).toEqual([]);
    expect(emitRule(res.rule, 'inet')).toBe('tcp dport { 80, 443, 8000-8080 } tcp flags syn,ack ip saddr @allowed iifname "eth0" accept');
  });

  it.each<[string, string[], RegExp]>([
    ['tcp dport', ['70000'], /0\.\.65535 or a service name/],
    ['tcp dport', ['nosuchservice'], /not a port/],
    ['ip saddr', ['10.0.0.300'], /not an IPv4 address/],
    ['ip saddr', ['10.0.0.0/33'], /prefix length/],
    ['ip saddr', ['10.0.0.9-10.0.0.1'], /runs backwards/],
    ['ip6 daddr', ['10.0.0.1'], /not an IPv6 address/],
    ['ct state', ['establised'], /not a ct state/],
    ['meta iifname', ['a"b'], /double quote/],
    ['meta iifname', ['averyveryverylongname0'], /at most 15/],
    ['vlan id', ['5000'], /0\.\.4095/],
    ['ip saddr', ['@allowed', '10.0.0.1'], /only value/],
  ])('%s %j: %s', (field, values, message) => {
    const res = build((s) => {
      s.matches.push({ ...newMatchRow(), field, values });
      s.verdict.kind = 'drop';
    });
    const p = res.problems.find((x) => x.path === 'match.0.values');
    expect(p?.severity).toBe('error');
    expect(p?.message).toMatch(message);
  });

  it('checks synproxy numbers: mss 1..65535, wscale 0..14', () => {
    const res = build((s) => {
      s.stmts.push({ ...(newStmtRow('synproxy', ctxIn) as SynproxyRow), mss: '70000', wscale: '15', timestamp: true });
    });
    expect(res.problems.find((p) => p.path === 'stmt.0.synproxy.mss')?.message).toMatch(/1\.\.65535/);
    expect(res.problems.find((p) => p.path === 'stmt.0.synproxy.wscale')?.message).toMatch(/0\.\.14/);
    expect(res.problems.some(blocks)).toBe(true);
  });

  it('warns (without blocking) when wscale or sack-perm come without timestamp', () => {
    const res = build((s) => {
      s.stmts.push({ ...(newStmtRow('synproxy', ctxIn) as SynproxyRow), mss: '1460', wscale: '7', timestamp: false, sackPerm: true });
    });
    expect(res.problems).toEqual([expect.objectContaining({ path: 'stmt.0.synproxy.timestamp', severity: 'warning' })]);
  });

  it('refuses a comment with a double quote', () => {
    const res = build((s) => {
      s.verdict.kind = 'accept';
      s.comment = 'say "hi"';
    });
    expect(res.problems).toEqual([expect.objectContaining({ path: 'comment', severity: 'error', message: expect.stringMatching(/double quote/) })]);
    expect(res.rule.comment).toBeUndefined();
  });

  it('marks what is not filled in yet as pending', () => {
    const res = build((s) => {
      s.matches.push(newMatchRow());
      s.verdict.kind = 'jump';
    });
    expect(res.problems.map((p) => [p.path, p.severity])).toEqual([
      ['match.0.field', 'pending'],
      ['verdict.target', 'pending'],
    ]);
  });

  it('an empty rule is pending', () => {
    expect(build(() => {}).problems).toEqual([expect.objectContaining({ path: 'rule', severity: 'pending' })]);
  });

  it('nat in an inet table needs the address family', () => {
    const ctx: BuilderContext = { family: 'inet', table: fx.table, chain: fx.chain('post') };
    const res = build((s) => {
      s.stmts.push({ ...newStmtRow('nat', ctx), type: 'snat', addr: '203.0.113.1' } as never);
    }, ctx);
    expect(res.problems).toEqual([expect.objectContaining({ path: 'stmt.0.family', severity: 'error' })]);
    const withMatch = build((s) => {
      s.matches.push({ ...newMatchRow(), field: 'ip saddr', values: ['10.0.0.0/8'] });
      s.stmts.push({ ...newStmtRow('nat', ctx), type: 'snat', addr: '203.0.113.1' } as never);
    }, ctx);
    expect(withMatch.problems).toEqual([]);
    expect(emitRule(withMatch.rule, 'inet')).toBe('ip saddr 10.0.0.0/8 snat ip to 203.0.113.1');
  });

  it('a jump to an unknown or base chain is a warning the linter repeats', () => {
    const res = build((s) => {
      s.verdict = { ...s.verdict, kind: 'jump', target: 'in' };
    });
    expect(res.problems).toEqual([expect.objectContaining({ path: 'verdict.target', severity: 'warning', message: expect.stringMatching(/base chain/) })]);
  });

  it.each<Family>(['ip', 'ip6', 'inet'])('reject codes print as nft lists them (%s)', (family) => {
    const ctx = { ...ctxIn, family };
    const res = build((s) => {
      s.verdict = { ...s.verdict, kind: 'reject', rejectWith: family === 'ip6' ? 'icmpv6 admin-prohibited' : family === 'ip' ? 'icmp host-unreachable' : 'icmpx admin-prohibited' };
    }, ctx);
    expect(res.problems).toEqual([]);
    expect(emitRule(res.rule, family)).toMatch(/^reject with icmp(v6|x)? (admin-prohibited|host-unreachable)$/);
  });
});
