/**
 * Extension headers, options, chunks, ipsec, osf, raw payloads, tunnels, negated
 * bit tests and flags combined in sets: parsed into the model (no raw text),
 * printed per listing target, converted to JSON and back, and refused by the
 * validators when the model holds what nft cannot read. (The kernel test
 * knowledge/exthdr.kernel.test.ts checks the same forms against the real nft.)
 */
import { describe, expect, it } from 'vitest';
import { parse } from './index.ts';
import { emit } from '../emit/index.ts';
import { emitProblems } from '../emit/validate.ts';
import { toJson } from '../json/toJson.ts';
import { fromJson } from '../json/fromJson.ts';
import { validateRuleset } from '../model/validate.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { Ruleset } from '../model/types.ts';

const wrap = (rule: string, family = 'inet'): string => `table ${family} t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\t${rule}\n\t}\n}\n`;

function ruleset(rule: string, family = 'inet'): Ruleset {
  const r = parse(wrap(rule, family));
  expect(r.diagnostics).toEqual([]);
  return r.ruleset;
}

function stmts(rule: string, family = 'inet'): Statement[] {
  return ruleset(rule, family).tables[0].chains[0].rules[0].stmts;
}

function left(rule: string): Expr {
  const s = stmts(rule)[0];
  if (s.kind !== 'match' && s.kind !== 'mangle') throw new Error(`not a match: ${s.kind}`);
  return s.kind === 'match' ? s.left : s.key;
}

/** The rule as printed for `target`. */
function printed(rule: string, target: ListingTarget = '1.0.6', family = 'inet'): string {
  const text = emit(ruleset(rule, family), { target }).text;
  return text.split('\n')[3].trim();
}

/** toJson, then fromJson, then print: the rule as it comes back. */
function viaJson(rule: string, target: ListingTarget = '1.0.6'): string {
  const j = toJson(ruleset(rule), { targetVersion: target });
  expect(j.losses).toEqual([]);
  const back = fromJson(j.json);
  expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return emit(back.ruleset, { target }).text.split('\n')[3].trim();
}

describe('the model of headers found by walking the packet', () => {
  it('reads IPv6 extension headers, TCP and IP options and SCTP chunks as exthdr expressions', () => {
    expect(left('frag id 33-45')).toEqual({ kind: 'exthdr', space: 'ip6', name: 'frag', field: 'id' });
    expect(left('srh sid[1] dead::beef')).toEqual({ kind: 'exthdr', space: 'ip6', name: 'srh', field: 'sid', index: 1 });
    expect(left('exthdr hbh exists')).toEqual({ kind: 'exthdr', space: 'ip6', name: 'hbh' });
    expect(left('rt type 22')).toEqual({ kind: 'exthdr', space: 'ip6', name: 'rt', field: 'type' });
    expect(left('rt mtu 1400')).toEqual({ kind: 'rt', key: 'mtu' });
    expect(left('tcp option maxseg size 1400')).toEqual({ kind: 'exthdr', space: 'tcp', name: 'maxseg', field: 'size' });
    expect(left('tcp option sack0 left 1')).toEqual({ kind: 'exthdr', space: 'tcp', name: 'sack', field: 'left' });
    expect(left('tcp option 2 exists')).toEqual({ kind: 'exthdr', space: 'tcp', name: 'maxseg' });
    expect(left('tcp option 255 missing')).toEqual({ kind: 'exthdr', space: 'tcp', name: '255' });
    expect(left('tcp option @255,8,8 255')).toEqual({ kind: 'exthdr', space: 'tcp', name: '255', raw: { offset: 8, len: 8 } });
    expect(left('tcp option maxseg size set 1360')).toEqual({ kind: 'exthdr', space: 'tcp', name: 'maxseg', field: 'size' });
    expect(left('ip option ra value 1')).toEqual({ kind: 'exthdr', space: 'ip', name: 'ra', field: 'value' });
    expect(left('sctp chunk init-ack num-outbound-streams 3')).toEqual({ kind: 'exthdr', space: 'sctp', name: 'init-ack', field: 'num-outbound-streams' });
    expect(left('sctp chunk data exists')).toEqual({ kind: 'exthdr', space: 'sctp', name: 'data' });
  });

  it('reads ipsec, osf, raw payloads, arp addresses and inner tunnel headers', () => {
    expect(left('ipsec in spnum 2 ip saddr 1.2.3.4')).toEqual({ kind: 'ipsec', dir: 'in', spnum: 2, family: 'ip', key: 'saddr' });
    expect(left('ipsec out spnum 0 reqid 1')).toEqual({ kind: 'ipsec', dir: 'out', key: 'reqid' });
    expect(left('osf ttl skip name "Linux"')).toEqual({ kind: 'osf', key: 'name', ttl: 'skip' });
    expect(left('arp saddr ip 1.2.3.4')).toEqual({ kind: 'payload', protocol: 'arp', field: 'saddr ip' });
    expect(left('udp length . @th,160,128 { 47 . 0x1 }')).toEqual({ kind: 'concat', items: [{ kind: 'payload', protocol: 'udp', field: 'length' }, { kind: 'rawpayload', base: 'th', offset: 160, len: 128 }] });
    expect(stmts('udp dport 4789 vxlan ip saddr 10.0.0.1')[1]).toMatchObject({ left: { kind: 'payload', protocol: 'ip', field: 'saddr', tunnel: 'vxlan' } });
    expect(left('vxlan vni 10')).toEqual({ kind: 'payload', protocol: 'vxlan', field: 'vni' });
    expect(left('gre version 0')).toEqual({ kind: 'payload', protocol: 'gre', field: 'version' });
  });

  it('keeps what nft refuses out of the model: unknown headers and fields, ipsec addresses without a family', () => {
    for (const bad of ['tcp option foobar exists', 'tcp option 256 exists', 'exthdr srh exists', 'frag exists', 'ipsec in saddr 1.2.3.4', 'ipsec in ip reqid 1', 'osf ttl 3 name "x"']) {
      expect(parse(wrap(bad)).ruleset.tables[0].chains[0].rules[0].stmts.map((s) => s.kind), bad).toEqual(['raw']);
    }
  });
});

describe('printed the way nft lists them', () => {
  it('prints each form as nft 1.0.6 and 1.1.3 list it', () => {
    const same: [string, string][] = [
      ['tcp option sack0 left 1', 'tcp option sack left 1'],
      ['tcp option 2 exists', 'tcp option maxseg exists'],
      ['frag frag-off != 233', 'frag frag-off != 233'],
      ['hbh nexthdr 0', 'hbh nexthdr ip'],
      ['dst nexthdr 33-45', 'dst nexthdr 33-45'],
      ['mh type { 5, home-test-init }', 'mh type { home-test-init, binding-update }'],
      ['srh tag { 0, 4-127, 0xffff }', 'srh tag { 0, 4-127, 65535 }'],
      ['ipsec out reqid 0xffffffff', 'ipsec out reqid 4294967295'],
      ['meta secpath exists', 'meta ipsec exists'],
      ['tcp flags & syn == 0', 'tcp flags ! syn'],
      ['tcp flags ! rst,fin', 'tcp flags ! fin,rst'],
      ['ct status ! dnat', 'ct status ! dnat'],
      ['tcp flags { syn | ack, fin }', 'tcp flags { fin, syn | ack }'],
      ['ct mark set (meta mark | 0x10) << 8', 'ct mark set (meta mark | 0x00000010) << 8'],
      ['ip saddr . @ih,32,32 { 1.1.1.1 . 20 }', 'ip saddr . @ih,32,32 { 1.1.1.1 . 0x14 }'],
      ['ip protocol 33-45', 'ip protocol 33-45'],
      ['ct state 1-4', 'ct state 0x1-0x4'],
      ['ct expiration 1m-1h', 'ct expiration 60s-3600s'],
      ['ct expiration { 1m7s, 33s }', 'ct expiration { 33s, 1m7s }'],
      ['osf ttl loose version "Linux:3.0"', 'osf ttl loose version "Linux:3.0"'],
    ];
    for (const [rule, want] of same) for (const t of ['1.0.6', '1.1.3'] as const) expect(printed(rule, t), `${rule} (${t})`).toBe(want);
  });

  it('reads a shift as taking one bit count, the rest of a chain after it', () => {
    expect(printed('meta mark set meta mark << 2 | 0x1', '1.0.6')).toBe('meta mark set meta mark << 2 | 0x00000001');
  });

  it('prints mptcp subtypes as numbers for nft 1.0.6 and as names for 1.1.3, in their order', () => {
    expect(printed('tcp option mptcp subtype { dss, 0 }', '1.0.6')).toBe('tcp option mptcp subtype { 0, 2 }');
    expect(printed('tcp option mptcp subtype { dss, 0 }', '1.1.3')).toBe('tcp option mptcp subtype { mp-capable, dss }');
    expect(printed('tcp option mptcp subtype mp-join', '1.0.6')).toBe('tcp option mptcp subtype 1');
  });

  it('keeps a one-element set of concatenations in braces (nft refuses it bare)', () => {
    expect(printed('ip saddr . tcp dport { 1.2.3.4 . 22 }')).toBe('ip saddr . tcp dport { 1.2.3.4 . 22 }');
  });

  it('flags combined in a set keep their order when their lowest flag is the same (the order nft 1.1.3 lists)', () => {
    expect(printed('tcp flags { syn | ack, syn }', '1.1.3')).toBe('tcp flags { syn | ack, syn }');
    expect(printed('tcp flags { syn, syn | ack }', '1.1.3')).toBe('tcp flags { syn, syn | ack }');
    expect(printed('tcp flags & (fin | syn | ack) == { fin | ack, syn }', '1.0.6')).toBe('tcp flags & (fin | syn | ack) == { fin | ack, syn }');
  });
});

describe('JSON both ways', () => {
  it('writes what nft writes and reads it back to the same listing', () => {
    const j = JSON.parse(toJson(ruleset('tcp option 255 missing srh sid[1] dead::beef sctp chunk data exists ipsec in reqid 1 osf name "Linux" tcp flags { syn | ack, fin }'), { targetVersion: '1.0.6' }).json) as {
      nftables: { rule?: { expr: unknown[] } }[];
    };
    const expr = j.nftables.find((o) => o.rule)?.rule?.expr;
    expect(expr).toEqual([
      { match: { op: '==', left: { 'tcp option': { base: 255, offset: 0, len: 8 } }, right: false } },
      { match: { op: '==', left: { exthdr: { name: 'srh', field: 'sid[1]' } }, right: 'dead::beef' } },
      { match: { op: '==', left: { 'sctp chunk': { name: 'data' } }, right: true } },
      { match: { op: '==', left: { ipsec: { key: 'reqid', dir: 'in', spnum: 0 } }, right: 1 } },
      { match: { op: '==', left: { osf: { key: 'name' } }, right: 'Linux' } },
      { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'flags' } }, right: { set: [{ '|': ['syn', 'ack'] }, 'fin'] } } },
    ]);
    for (const rule of [
      'tcp option maxseg size 1400',
      'tcp option @255,8,8 255',
      'mh type home-agent-switch-message',
      'exthdr hbh != exists',
      'ipsec in spnum 2 ip6 daddr dead::beef',
      'osf ttl skip version { "Windows:XP" }',
      'tcp flags ! syn,ack',
      'ct mark set (meta mark | 0x10) << 8',
      'udp length . @th,160,128 vmap { 47-63 . 0xe373135363130333131303735353203 : accept }',
      'tcp option mptcp subtype 1',
    ]) {
      expect(viaJson(rule), rule).toBe(printed(rule));
    }
    expect(viaJson('udp dport 4789 vxlan ip saddr 10.0.0.1', '1.1.3')).toBe('udp dport 4789 vxlan ip saddr 10.0.0.1');
  });

  it("reads nft's own forms: op \"!\", a TCP option by its kind, raw payloads and tunnels", () => {
    const doc = (expr: unknown[]): string =>
      JSON.stringify({ nftables: [{ table: { family: 'inet', name: 't' } }, { chain: { family: 'inet', table: 't', name: 'c' } }, { rule: { family: 'inet', table: 't', chain: 'c', expr } }] });
    const one = (expr: unknown[], target: ListingTarget = '1.0.6'): string => {
      const r = fromJson(doc(expr));
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return emit(r.ruleset, { target }).text.split('\n')[2].trim();
    };
    expect(one([{ match: { op: '!', left: { payload: { protocol: 'tcp', field: 'flags' } }, right: ['syn', 'ack'] } }])).toBe('tcp flags ! syn,ack');
    expect(one([{ match: { op: '==', left: { 'tcp option': { base: 2, offset: 0, len: 8 } }, right: true } }])).toBe('tcp option maxseg exists');
    expect(one([{ match: { op: '==', left: { payload: { base: 'nh', offset: 8, len: 8 } }, right: 255 } }])).toBe('@nh,8,8 0xff');
    expect(one([{ match: { op: '==', left: { payload: { tunnel: 'geneve', protocol: 'geneve', field: 'vni' } }, right: 10 } }], '1.1.3')).toBe('geneve vni 10');
    expect(one([{ match: { op: '==', left: { 'tcp option': { name: 'mptcp', field: 'subtype' } }, right: 'mp-join' } }], '1.0.6')).toBe('tcp option mptcp subtype 1');
    expect(fromJson(doc([{ match: { op: '==', left: { exthdr: { name: 'srh', field: 'sid' } }, right: 'dead::beef' } }])).diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('untrusted models', () => {
  const withLeft = (l: unknown): Ruleset => {
    const rs = ruleset('tcp dport 22');
    (rs.tables[0].chains[0].rules[0].stmts[0] as { left: unknown }).left = l;
    return rs;
  };
  it('refuses names and fields outside the tables, and text nft would misread', () => {
    const bad: unknown[] = [
      { kind: 'exthdr', space: 'tcp', name: 'maxseg\n}', field: 'size' },
      { kind: 'exthdr', space: 'tcp', name: 'maxseg', field: 'size; flush ruleset' },
      { kind: 'exthdr', space: 'ip6', name: 'srh', field: 'sid' },
      { kind: 'exthdr', space: 'ip6', name: 'frag', field: 'id', index: 1 },
      { kind: 'exthdr', space: 'tcp', name: '300' },
      { kind: 'exthdr', space: 'nope', name: 'x' },
      { kind: 'rawpayload', base: 'xx', offset: 0, len: 8 },
      { kind: 'rawpayload', base: 'nh', offset: -1, len: 8 },
      { kind: 'ipsec', dir: 'in', key: 'saddr' },
      { kind: 'ipsec', dir: 'sideways', key: 'reqid' },
      { kind: 'osf', key: 'name', ttl: 'x"' },
      { kind: 'payload', protocol: 'ip', field: 'saddr', tunnel: 'vx\nlan' },
    ];
    for (const l of bad) expect(emitProblems(withLeft(l)).length, JSON.stringify(l)).toBeGreaterThan(0);
    expect(validateRuleset(withLeft({ kind: 'exthdr', space: 'tcp', name: 'maxseg', field: 7 })).ok).toBe(false);
    expect(validateRuleset(withLeft({ kind: 'osf', key: 'age' })).ok).toBe(false);
    expect(emitProblems(withLeft({ kind: 'exthdr', space: 'ip6', name: 'srh', field: 'sid', index: 2 }))).toEqual([]);
  });
});
