/**
 * Extension headers, TCP/IP options, SCTP chunks, negated bit tests, flags
 * combined in sets, arp addresses, ipsec, osf, raw payloads and inner tunnel
 * headers against both real nft versions (inside `unshare -n`). For each version
 * V: V's listing L of the examples is read with no raw text, emitted for V as L
 * byte for byte, its toJson loads with `nft -j -f` in V and lists as L, and V's
 * own JSON listing read back emits L. The tables in knowledge/exthdr.ts are
 * compared with `nft describe` (datatype and width), and the `since` of the
 * 1.1-only rows with what 1.0.6 refuses.
 */
import { expect, it } from 'vitest';
import { emit } from '../emit/index.ts';
import { fromJson } from '../json/fromJson.ts';
import { toJson } from '../json/toJson.ts';
import type { ListingTarget } from './listing.ts';
import { compareVersions } from './versions.ts';
import type { Expr } from '../model/expr.ts';
import type { Ruleset } from '../model/types.ts';
import { describeKernel } from '../testing/kernel.ts';
import { designOf, listingIn, loadIn, needTarget, nftOf } from '../testing/targets.ts';
import { nftInNamespace } from '../testing/nft.ts';
import { EXTHDR_SPACES, IPSEC_KEYS, TUNNELS } from './exthdr.ts';
import { PAYLOAD_FIELDS, TUNNEL_SINCE, type FieldInfo } from './expressions.ts';

const NFT = { '1.0.6': nftOf('1.0.6'), '1.1.3': nftOf('1.1.3') } as const;
const need113 = needTarget;
const load = loadIn;
const listing = listingIn;
const design = designOf;

/** Every expression of every rule (to see which kinds the listing was read into). */
function exprKinds(rs: Ruleset): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Partial<Expr> & Record<string, unknown>;
      if (typeof o.kind === 'string') out.add(o.kind);
      Object.values(o).forEach(walk);
    }
  };
  walk(rs.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((r) => r.stmts))));
  return out;
}

const chain = (family: string, name: string, hook: string, ...rules: string[]): string =>
  `table ${family} ${name} {\n\tchain c {\n\t\ttype filter hook ${hook} priority 0;\n\t\t${rules.join('\n\t\t')}\n\t}\n}\n`;

/** Both versions take these (the golden file tests/golden/expressions-more.nft holds more). */
const BOTH =
  chain(
    'inet', 'x', 'input',
    'tcp option maxseg size 1400',
    'tcp option maxseg size set 1360',
    'tcp option sack0 left 1 tcp option sack2 right 2',
    'tcp option window length != { 1, 3-5 }',
    'tcp option timestamp tsecr 1',
    'tcp option mptcp subtype 1',
    'tcp option mptcp subtype { 0, 2 }',
    'tcp option 5 exists',
    'tcp option 30 missing',
    'tcp option 254 exists',
    'tcp option @254,16,16 1',
    'frag reserved2 1 frag id != { 33, 55 }',
    'hbh nexthdr 0',
    'rt hdrlength 33-45',
    'dst hdrlength != 233',
    'mh checksum 0x10 mh type 1',
    'srh last-entry { 0, 4-127, 255 } srh sid[2] dead::beef',
    'exthdr dst exists exthdr mh != missing',
    'sctp chunk data ppid 6 sctp chunk sack num-dup-tsns 2 sctp chunk asconf seqno 0x10',
    'sctp chunk cwr exists',
    'tcp flags & (syn | ack) == 0',
    'ct status ! snat,dnat',
    'tcp flags { fin | psh, ack }',
    'ipsec in spnum 1 ip6 saddr dead::1',
    'osf ttl loose name { "Linux", "MacOs" }',
    'ct mark set osf name map { "Linux" : 0x00000001 }',
    'meta secpath missing',
    'ip saddr . @nh,64,32 { 1.1.1.1 . 0x10 }',
    'meta mark set (meta mark & 0xff) << 2',
    'icmpv6 code 3-66',
    'ct expiration { 33, 1m7s }',
  ) +
  chain('inet', 'y', 'output', 'ipsec out reqid 0x10 ipsec out ip daddr 10.0.0.1', 'ip option lsrr exists ip option ssrr ptr 4', 'ip option rr length 3', 'ip option lsrr addr 16909060') +
  chain('arp', 'a', 'input', 'arp daddr ip 4.3.2.1', 'arp saddr ether set 11:22:33:44:55:66', 'arp operation { 10, 2, 8 }');

/** What nft 1.0.6 refuses and nft 1.1.3 reads (since 1.0.7, knowledge/expressions.ts TUNNEL_SINCE). */
const NEWER =
  chain(
    'netdev', 'n', 'ingress device "lo"',
    'udp dport 4789 vxlan ip saddr 10.141.11.2',
    'udp dport 4789 vxlan vni 10 vxlan flags 8',
    'udp dport 4789 vxlan ip saddr . vxlan ip daddr { 1.2.3.4 . 4.3.2.1 }',
    'udp dport 6081 geneve ether saddr 62:87:4d:d6:19:05 geneve vni 11',
    'udp dport 6081 geneve tcp flags syn',
    'gre version 0 gre ip6 nexthdr tcp',
    'gre protocol ip gre ip protocol icmp',
    'gretap vlan id 10',
  ) + chain('ip6', 'i', 'input', 'icmpv6 type nd-neighbor-solicit icmpv6 taddr 2001:db8::133', 'icmpv6 type nd-redirect icmpv6 daddr 2001:db8::1');

function checkCase(v: ListingTarget, text: string, kinds: readonly string[], written = true): void {
  const L = listing(v, text);
  const rs = design(L);
  const found = exprKinds(rs);
  expect(found.has('raw') || found.has('rawexpr'), L).toBe(false);
  for (const k of kinds) expect(found.has(k), `an expression of kind ${k}`).toBe(true);
  // the designer's reading of what was written prints the listing too (where nft drops no implied match)
  if (written) expect(emit(design(text), { target: v }).text).toBe(L);
  expect(emit(rs, { target: v }).text).toBe(L);
  const j = toJson(rs, { targetVersion: v });
  expect(j.losses).toEqual([]);
  const fromOurJson = load(v, j.json, true);
  expect(fromOurJson.stderr).toBe('');
  expect(fromOurJson.stdout).toBe(L);
  const theirs = nftInNamespace(text, { nft: NFT[v], after: ['-j list ruleset'] });
  expect(theirs.ok, theirs.stderr).toBe(true);
  const back = fromJson(theirs.stdout);
  // nft 1.0.6 leaves the device of netdev chains out of its JSON
  expect(back.diagnostics.filter((d) => d.severity === 'error' && d.id !== 'json/missing-device')).toEqual([]);
  for (const [i, t] of back.ruleset.tables.entries()) for (const [k, c] of t.chains.entries()) if (c.base && !c.base.devices?.length && rs.tables[i]?.chains[k]?.base?.devices) c.base.devices = rs.tables[i].chains[k].base?.devices;
  expect(exprKinds(back.ruleset).has('rawexpr')).toBe(false);
  expect(emit(back.ruleset, { target: v }).text).toBe(L);
}

/** `nft describe EXPR`: the datatype's name and the width in bits, or the error. */
function describeExpr(v: ListingTarget, expr: string): { ok: boolean; type?: string; bits?: number; out: string } {
  const r = nftInNamespace('', { nft: NFT[v], after: [`describe '${expr}'`] });
  const m = /datatype (\S+) \(([^)]*)\).*?, (\d+) (?:bits|characters)/.exec(r.stdout);
  return { ok: r.ok && m !== null, type: m?.[1], bits: m && !r.stdout.includes('characters') ? Number(m[3]) : undefined, out: r.stdout + r.stderr };
}

/** nft's name of the datatypes the designer names otherwise. */
const NFT_TYPE: Partial<Record<FieldInfo['type'], string>> = { mptcp_subtype: 'integer', boolean: 'boolean' };

function describedRows(): { expr: string; info: FieldInfo }[] {
  const rows: { expr: string; info: FieldInfo }[] = [];
  for (const sp of Object.values(EXTHDR_SPACES)) {
    for (const [name, h] of Object.entries(sp.headers)) {
      for (const [field, info] of Object.entries(h.fields)) {
        const f = h.indexed?.includes(field) ? `${field}[1]` : field;
        rows.push({ expr: `${sp.words ? `${sp.words} ` : ''}${name} ${f}`, info });
      }
    }
  }
  for (const [key, info] of Object.entries(IPSEC_KEYS)) rows.push({ expr: `ipsec in ${info.family ? 'ip ' : ''}${key}`, info });
  return rows;
}

describeKernel('extension headers, options, chunks, ipsec, osf, raw payloads and tunnels against nft 1.0.6 and 1.1.3', () => {
  for (const v of ['1.0.6', '1.1.3'] as const) {
    it(`nft ${v}: the listing is read structured, emitted byte for byte, and its JSON loads and lists the same`, (ctx) => {
      need113(ctx, v);
      checkCase(v, BOTH, ['exthdr', 'ipsec', 'osf', 'rawpayload', 'payload']);
    });

    it(`nft ${v}: the header tables have nft describe's datatypes and widths`, (ctx) => {
      need113(ctx, v);
      for (const { expr, info } of describedRows()) {
        const d = describeExpr(v, expr);
        expect(d.ok, `${expr}: ${d.out}`).toBe(true);
        // nft 1.1 types the route addresses of IP options as IPv4 addresses (1.0.6 as integers: the table says 1.0.6's)
        if (v === '1.1.3' && expr.startsWith('ip option') && expr.endsWith(' addr')) expect(d.type).toBe('ipv4_addr');
        else expect(d.type, expr).toBe(NFT_TYPE[info.type] ?? info.type);
        if (info.bits !== undefined) expect(d.bits, expr).toBe(info.bits);
      }
    });
  }

  it('nft 1.1.3 reads inner tunnel headers and icmpv6 taddr/daddr, which nft 1.0.6 refuses (their rows say since 1.0.7)', (ctx) => {
    expect(compareVersions('1.0.6', TUNNEL_SINCE)).toBeLessThan(0);
    for (const t of Object.values(TUNNELS)) expect(t.since).toBe(TUNNEL_SINCE);
    for (const p of ['gre', 'vxlan', 'geneve']) for (const f of Object.values(PAYLOAD_FIELDS[p])) expect(f.since).toBe(TUNNEL_SINCE);
    expect(PAYLOAD_FIELDS.icmpv6.taddr.since).toBe(TUNNEL_SINCE);
    for (const text of NEWER.split(/(?=^table )/m)) {
      const r = load('1.0.6', text);
      expect(r.ok, text).toBe(false);
    }
    need113(ctx, '1.1.3');
    // (nft 1.1.3 lists `icmpv6 type nd-redirect icmpv6 daddr …` without the type the address implies)
    checkCase('1.1.3', NEWER, ['payload'], false);
    expect(design(listing('1.1.3', NEWER)).tables[0].chains[0].rules.some((r) => r.stmts.some((s) => s.kind === 'match' && s.left.kind === 'payload' && s.left.tunnel === 'vxlan'))).toBe(true);
  });
});
