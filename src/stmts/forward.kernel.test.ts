/**
 * dup, fwd, tproxy, ct count, last, meters, chain bindings, nat prefix and set
 * updates with constants against both real nft versions (inside `unshare -n`).
 * For each version V and each case: V's listing L of the case is read by the
 * parser into structured statements (no raw text), emitted for V as L byte for
 * byte, and its toJson loads with `nft -j -f` in V and lists as L; nft's own
 * JSON listing, read back, emits L too. Where a version refuses a form (last in
 * 1.0.6, dup in inet, fwd outside netdev, tproxy outside ip/ip6/inet) the test
 * checks that it does, so the modules' `since` and knowledge/placement.ts stay
 * true.
 */
import { expect, it } from 'vitest';
import { emit } from '../emit/index.ts';
import { fromJson } from '../json/fromJson.ts';
import { toJson } from '../json/toJson.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import { STATEMENT_FAMILIES } from '../knowledge/placement.ts';
import { compareVersions } from '../knowledge/versions.ts';
import type { Statement } from '../model/stmt.ts';
import type { Ruleset } from '../model/types.ts';
import { describeKernel } from '../testing/kernel.ts';
import { designOf, listingIn, loadIn, needTarget, nftOf } from '../testing/targets.ts';
import { nftInNamespace } from '../testing/nft.ts';
import { stmtModule } from './registry.ts';

const NFT = { '1.0.6': nftOf('1.0.6'), '1.1.3': nftOf('1.1.3') } as const;
const need113 = needTarget;
const load = loadIn;
const listing = listingIn;
const design = designOf;

function allStmts(rs: Ruleset): Statement[] {
  return rs.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.flatMap((r) => r.stmts)));
}

const rule = (family: string, chain: string, ...rules: string[]): string => `table ${family} t {\n\tchain c {\n\t\t${chain}\n\t\t${rules.join('\n\t\t')}\n\t}\n}\n`;
const INPUT = 'type filter hook input priority 0;';
const PRE = 'type filter hook prerouting priority mangle;';

const CASES: { name: string; text: string; kinds: string[] }[] = [
  {
    name: 'dup in ip and ip6, ct count, set updates with a constant',
    kinds: ['dup', 'connlimit', 'setupdate'],
    text:
      'table ip t {\n\tset s { type ipv4_addr . inet_service; flags dynamic,timeout; timeout 1m; }\n\tchain c {\n\t\ttype filter hook input priority 0;\n' +
      '\t\tdup to 192.168.2.1\n\t\tdup to 192.168.2.1 device "lo"\n\t\tdup to ip saddr map { 192.168.2.120 : 192.168.2.1 } device "lo"\n' +
      '\t\tct count 2\n\t\tct count over 3 drop\n\t\ttcp dport 21 add @s { ip saddr . 22 timeout 60s }\n\t\tupdate @s { 10.0.0.1 . tcp dport }\n\t}\n}\n' +
      rule('ip6', INPUT, 'dup to abcd::1', 'dup to abcd::1 device "lo"', 'dup to ip6 saddr map { abcd::1 : cafe::cafe } device "lo"'),
  },
  {
    name: 'fwd and dup in netdev ingress and egress',
    kinds: ['fwd', 'dup'],
    text:
      'table netdev t {\n\tchain i {\n\t\ttype filter hook ingress device "lo" priority 0;\n\t\tdup to "lo"\n\t\tdup to meta mark map { 0x00000001 : "lo", 0x00000002 : "lo" }\n' +
      '\t\tfwd ip to 192.168.2.200 device "lo"\n\t}\n\tchain e {\n\t\ttype filter hook egress device "lo" priority 0;\n\t\tfwd ip6 to abcd::1 device "lo"\n\t}\n' +
      '\tchain f {\n\t\ttype filter hook ingress device "lo" priority 1;\n\t\tfwd to meta mark map { 0x00000001 : "lo", 0x00000002 : "lo" }\n\t}\n' +
      '\tchain g {\n\t\ttype filter hook ingress device "lo" priority 2;\n\t\tfwd to "lo"\n\t}\n}\n',
  },
  {
    name: 'tproxy in inet, ip and ip6 prerouting',
    kinds: ['tproxy'],
    text:
      rule('inet', PRE, 'meta l4proto udp tproxy ip to 192.0.2.1', 'meta l4proto tcp tproxy ip to 192.0.2.1:50080', 'meta l4proto tcp tproxy ip6 to [2001:db8::1]', 'meta l4proto udp tproxy ip6 to [2001:db8::1]:50080', 'meta l4proto udp tproxy to :50080', 'ip daddr 0.0.0.0/0 meta l4proto tcp tproxy ip to :2000', 'tcp dport 80 tproxy ip to 192.0.2.1:http accept') +
      rule('ip', PRE, 'meta l4proto udp tproxy ip to 192.0.2.1', 'meta l4proto tcp tproxy to 192.0.2.1:50080', 'ip protocol tcp tproxy to :50080', 'meta l4proto tcp tproxy to ip saddr map { 1.1.1.1 : 2.2.2.2 }').replace('table ip t', 'table ip t4') +
      rule('ip6', PRE, 'meta l4proto tcp tproxy ip6 to [2001:db8::1]', 'meta l4proto udp tproxy to [2001:db8::1]:50080', 'meta l4proto tcp tproxy ip6 to :50080'),
  },
  {
    name: 'nat prefix and the family nft lists for interval maps',
    kinds: ['nat'],
    text:
      rule('ip', 'type nat hook postrouting priority 100;', 'snat ip prefix to ip saddr map { 10.141.11.0/24 : 192.168.2.0/24 }', 'snat prefix to ip saddr map { 10.141.12.0/24 : 192.168.3.0/24 }', 'snat to ip saddr map { 10.141.11.4 : 192.168.2.2-192.168.2.4 }', 'meta l4proto udp snat to ip saddr map { 10.141.11.4 : 192.168.2.3 . 80 }') +
      rule('ip6', 'type nat hook prerouting priority -100;', 'dnat ip6 prefix to ip6 daddr map { 2001:db8::/64 : 2001:db8:1::/64 }', 'tcp dport 80-90 dnat to [2001:838:35f:1::]-[2001:838:35f:2::]:100').replace('table ip6 t', 'table ip6 t6') +
      rule('inet', 'type nat hook prerouting priority -100;', 'dnat ip prefix to ip daddr map { 10.141.11.0/24 : 192.168.2.0/24 }').replace('table inet t', 'table inet t2'),
  },
  {
    name: 'chain bindings',
    kinds: ['binding'],
    text: rule(
      'inet',
      INPUT,
      'meta l4proto { tcp, udp } th dport 53 jump {\n\t\t\tip saddr { 127.0.0.0/8, 172.23.0.0/16 } counter accept\n\t\t\tip6 saddr ::1/128 counter accept\n\t\t}',
      'goto { ip saddr 1.2.3.4 counter drop; }',
      'jump { accept; }',
      'tcp dport 4 jump { tcp dport 3 accept comment "inner"; drop; } comment "outer"',
      'tcp dport 5 jump { }',
    ),
  },
];

/** What nft 1.1.3 lists a 1.0.6 meter as is a set and a set update: the designer prints the meter for both, and 1.1.3 loads it. */
const METERS = rule('ip', INPUT, 'meter xyz size 8192 { ip saddr timeout 30s counter }', 'meter m size 128 { ip saddr limit rate 10/second }', 'tcp dport 22 meter ssh { ip saddr limit rate over 10/minute burst 3 packets } drop', 'meter q { ip saddr quota over 10 mbytes }', 'meter cc { ip saddr ct count over 20 }') +
  rule('ip6', INPUT, 'meter acct_out size 4096 { meta iif . ip6 saddr timeout 600s counter }').replace('table ip6 t', 'table ip6 t6');

function checkCase(v: ListingTarget, text: string, kinds: readonly string[], jsonCarries = true): void {
  const L = listing(v, text);
  const rs = design(L);
  const stmts = allStmts(rs);
  expect(stmts.filter((s) => s.kind === 'raw')).toEqual([]);
  for (const k of kinds) expect(stmts.some((s) => s.kind === k), `a ${k} statement`).toBe(true);
  expect(emit(rs, { target: v }).text).toBe(L);
  const j = toJson(rs, { targetVersion: v });
  if (!jsonCarries) {
    expect(j.losses.map((l) => l.what)).toContain('chain binding');
    return;
  }
  expect(j.losses).toEqual([]);
  const fromOurJson = load(v, j.json, true);
  expect(fromOurJson.stderr).toBe('');
  expect(fromOurJson.stdout).toBe(L);
  // nft's own JSON listing, read back, prints the same listing
  const theirs = nftInNamespace(text, { nft: NFT[v], after: ['-j list ruleset'] });
  expect(theirs.ok, theirs.stderr).toBe(true);
  const back = fromJson(theirs.stdout);
  // nft 1.0.6 leaves the device of netdev chains out of its JSON (fromJson says so): take them from the listing
  expect(back.diagnostics.filter((d) => d.severity === 'error' && !(v === '1.0.6' && d.id === 'json/missing-device'))).toEqual([]);
  for (const [i, t] of back.ruleset.tables.entries()) for (const [k, c] of t.chains.entries()) if (c.base && !c.base.devices?.length && rs.tables[i]?.chains[k]?.base?.devices) c.base.devices = rs.tables[i].chains[k].base?.devices;
  expect(allStmts(back.ruleset).filter((s) => s.kind === 'raw')).toEqual([]);
  expect(emit(back.ruleset, { target: v }).text).toBe(L);
}

describeKernel('statements that were kept as text, against nft 1.0.6 and 1.1.3', () => {
  for (const v of ['1.0.6', '1.1.3'] as const) {
    for (const c of CASES) {
      it(`nft ${v}: ${c.name}: the listing is read structured, emitted byte for byte, and its JSON loads and lists the same`, (ctx) => {
        need113(ctx, v);
        checkCase(v, c.text, c.kinds, !c.kinds.includes('binding'));
      });
    }
  }

  it('nft 1.0.6: meters list as meters, are read and emitted byte for byte, and their JSON loads', () => {
    checkCase('1.0.6', METERS, ['meter']);
  });

  it('nft 1.1.3: meters list as a set and a set update, and the designer prints a meter for 1.1.3 so, byte for byte', (ctx) => {
    need113(ctx, '1.1.3');
    const L = listing('1.1.3', METERS);
    expect(L).toContain('\tset xyz {\n\t\ttype ipv4_addr\n\t\tsize 8192\n\t\tflags dynamic,timeout\n\t}');
    expect(L).toContain('\t\tupdate @xyz { ip saddr timeout 30s counter }\n');
    expect(L).toContain('\t\tadd @m { ip saddr limit rate 10/second burst 5 packets }\n');
    // 1.1.3's own listing is read as sets and set updates, and is a fmt fixed point
    expect(emit(design(L), { target: '1.1.3' }).text).toBe(L);
    const ours = emit(design(listing('1.0.6', METERS)), { target: '1.1.3' }).text;
    expect(ours).toBe(L);
    expect(listing('1.1.3', ours)).toBe(L);
  });

  it('last: nft 1.0.6 refuses it (the module says 1.0.7); nft 1.1.3 lists it, and the designer reads, prints and converts it', (ctx) => {
    const text = rule('ip', INPUT, 'last', 'tcp dport 22 last counter accept');
    const old = load('1.0.6', text);
    expect(old.ok).toBe(false);
    expect(old.stderr).toContain('syntax error');
    const since = stmtModule('last').since;
    expect(since).toBeDefined();
    expect(compareVersions('1.0.6', since ?? '0')).toBeLessThan(0);
    expect(compareVersions('1.1.3', since ?? '9')).toBeGreaterThanOrEqual(0);
    need113(ctx, '1.1.3');
    const L = listing('1.1.3', text);
    expect(L).toContain('\t\tlast used never\n\t\ttcp dport 22 last used never counter packets 0 bytes 0 accept\n');
    checkCase('1.1.3', text, ['last']);
  });

  it('refuses dup, fwd and tproxy in the families knowledge/placement.ts leaves out, in both versions', (ctx) => {
    const families = ['ip', 'ip6', 'inet', 'bridge', 'netdev'] as const;
    const texts: Record<string, (f: string) => string> = {
      dup: (f) => rule(f, f === 'netdev' ? 'type filter hook ingress device "lo" priority 0;' : INPUT, f === 'netdev' ? 'dup to "lo"' : f === 'ip6' ? 'dup to abcd::1' : 'dup to 192.0.2.1'),
      fwd: (f) => rule(f, f === 'netdev' ? 'type filter hook ingress device "lo" priority 0;' : INPUT, 'fwd to "lo"'),
      tproxy: (f) => rule(f, f === 'netdev' ? 'type filter hook ingress device "lo" priority 0;' : f === 'bridge' ? 'type filter hook prerouting priority 0;' : PRE, f === 'ip6' ? 'meta l4proto tcp tproxy to :1' : 'meta l4proto tcp tproxy to :1'),
    };
    for (const v of ['1.0.6', '1.1.3'] as const) {
      if (v === '1.1.3') need113(ctx, v);
      for (const [stmt, text] of Object.entries(texts)) {
        const takes: readonly string[] = STATEMENT_FAMILIES[stmt as keyof typeof STATEMENT_FAMILIES];
        for (const f of families) {
          const r = load(v, text(f));
          expect(r.ok, `nft ${v}: ${stmt} in ${f}: ${r.stderr}`).toBe(takes.includes(f));
        }
      }
    }
  });
});
