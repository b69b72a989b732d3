import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { parse } from '../parse/index.ts';
import { EmitRefused } from '../emit/index.ts';
import { toJson } from './toJson.ts';
import { comparableJson } from './kernelHarness.ts';
import { fixture, jsonItems, parsed, ruleExprs } from './testUtil.ts';

/** One rule in an inet table → its statements as JSON. */
function stmts(rule: string, family = 'inet', chain = 'type filter hook input priority 0;'): unknown[] {
  const { items, result } = jsonItems(`table ${family} t {\n\tchain c {\n\t\t${chain}\n\t\t${rule}\n\t}\n}\n`);
  expect(result.losses).toEqual([]);
  return ruleExprs(items)[0] as unknown[];
}

describe('toJson: the document', () => {
  it('writes nft 1.0.6 listings of the corpus as nft itself lists them (handles aside)', () => {
    // devices, verdict maps that jump and per-element counters differ on purpose (see below)
    for (const name of ['inet-filter', 'nat', 'objects', 'families', 'statements', 'defines', 'preamble-flush', 'preamble-replace']) {
      const ours = comparableJson(toJson(parsed(fixture(`${name}.listing.nft`))).json);
      const nfts = comparableJson(fixture(`${name}.listing.json`));
      expect(isDeepStrictEqual(ours, nfts), name).toBe(true);
    }
  });

  it('is one line with nft’s separators and a schema version', () => {
    const { json } = toJson(parsed('table ip t {\n}\n'));
    expect(json).toBe('{"nftables": [{"metainfo": {"json_schema_version": 1}}, {"table": {"family": "ip", "name": "t"}}]}');
  });

  it('orders each table as nft does: table, objects, sets, chains, then all rules', () => {
    const { items } = jsonItems(`table inet t {
	chain b { accept; }
	set s { type ipv4_addr; }
	counter c { }
	chain a { type filter hook input priority 0; jump b; }
}
`);
    expect(items.map((o) => Object.keys(o as object)[0])).toEqual(['table', 'counter', 'set', 'chain', 'chain', 'rule', 'rule']);
  });

  it('writes the preambles as commands', () => {
    expect(jsonItems('flush ruleset\ntable ip t {\n}\n').items).toEqual([{ flush: { ruleset: null } }, { table: { family: 'ip', name: 't' } }]);
    expect(jsonItems('table ip t\ndelete table ip t\ntable ip t {\n}\n').items).toEqual([
      { add: { table: { family: 'ip', name: 't' } } },
      { delete: { table: { family: 'ip', name: 't' } } },
      { table: { family: 'ip', name: 't' } },
    ]);
  });

  it('gives base chains an integer prio, their policy and a single device', () => {
    const { items } = jsonItems(`table netdev n {
	chain i { type filter hook ingress device "eth0" priority filter + 5; policy drop; }
}
table ip t {
	chain r { type filter hook prerouting priority raw; }
	chain m { type filter hook input priority mangle - 5; }
}
`);
    expect(items.filter((o) => 'chain' in (o as object))).toEqual([
      { chain: { family: 'netdev', table: 'n', name: 'i', type: 'filter', hook: 'ingress', prio: 5, policy: 'drop', dev: 'eth0' } },
      { chain: { family: 'ip', table: 't', name: 'r', type: 'filter', hook: 'prerouting', prio: -300, policy: 'accept' } },
      { chain: { family: 'ip', table: 't', name: 'm', type: 'filter', hook: 'input', prio: -155, policy: 'accept' } },
    ]);
  });

  it('adds verdict-map elements that jump after the chains (nft 1.0.6 fails otherwise)', () => {
    const { items } = jsonItems('table ip t {\n\tmap m { type inet_service : verdict; elements = { 22 : jump c, 23 : drop } }\n\tchain c {\n\t}\n}\n');
    expect(items).toEqual([
      { table: { family: 'ip', name: 't' } },
      { map: { family: 'ip', name: 'm', table: 't', type: 'inet_service', map: 'verdict' } },
      { chain: { family: 'ip', table: 't', name: 'c' } },
      { element: { family: 'ip', table: 't', name: 'm', elem: [[22, { jump: { target: 'c' } }], [23, { drop: null }]] } },
    ]);
  });

  it('refuses names that nft could not list back, like emit', () => {
    const rs = parsed('table ip t {\n}\n');
    rs.tables[0].name = 'my table';
    expect(() => toJson(rs)).toThrow(EmitRefused);
  });
});

describe('toJson: sets and elements', () => {
  it('writes types, flags, timeouts, policy, size and every element form', () => {
    const { items } = jsonItems(`table ip t {
	set a { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 10.1.0.1-10.1.0.9, 192.0.2.1 } }
	set b { type ipv4_addr . inet_service; elements = { 10.0.0.1 . 22 } }
	set c { type ipv4_addr; flags timeout; timeout 1h; policy memory; size 100; elements = { 1.2.3.4 timeout 10m comment "x" } }
	set d { type ifname; elements = { "eth0", lo } }
	set e { type mark; elements = { 0x10, 3 } }
	map f { type ipv4_addr : mark; elements = { 10.0.0.1 : 0x5 } }
	map g { type inet_service : counter; elements = { 80 : "c1" } }
	counter c1 { }
}
`);
    const sets = items.filter((o) => 'set' in (o as object) || 'map' in (o as object));
    expect(sets).toEqual([
      { set: { family: 'ip', name: 'a', table: 't', type: 'ipv4_addr', flags: ['interval'], elem: [{ prefix: { addr: '10.0.0.0', len: 8 } }, { range: ['10.1.0.1', '10.1.0.9'] }, '192.0.2.1'] } },
      { set: { family: 'ip', name: 'b', table: 't', type: ['ipv4_addr', 'inet_service'], elem: [{ concat: ['10.0.0.1', 22] }] } },
      { set: { family: 'ip', name: 'c', table: 't', type: 'ipv4_addr', policy: 'memory', size: 100, flags: ['timeout'], timeout: 3600, elem: [{ elem: { val: '1.2.3.4', timeout: 600, comment: 'x' } }] } },
      { set: { family: 'ip', name: 'd', table: 't', type: 'ifname', elem: ['eth0', 'lo'] } },
      { set: { family: 'ip', name: 'e', table: 't', type: 'mark', elem: [16, 3] } },
      { map: { family: 'ip', name: 'f', table: 't', type: 'ipv4_addr', map: 'mark', elem: [['10.0.0.1', 5]] } },
      { map: { family: 'ip', name: 'g', table: 't', type: 'inet_service', map: 'counter', elem: [[80, 'c1']] } },
    ]);
  });

  it('writes the element statements of a set declaration as templates', () => {
    const { items } = jsonItems('table ip t {\n\tset s { type ipv4_addr; counter; }\n}\n');
    expect(items[1]).toEqual({ set: { family: 'ip', name: 's', table: 't', type: 'ipv4_addr', stmt: [{ counter: null }] } });
  });
});

describe('toJson: matches', () => {
  it('writes bit tests as "in" and everything else as "=="', () => {
    expect(stmts('ct state established,related accept')).toEqual([{ match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } }, { accept: null }]);
    expect(stmts('tcp flags syn')).toEqual([{ match: { op: 'in', left: { payload: { protocol: 'tcp', field: 'flags' } }, right: 'syn' } }]);
    expect(stmts('ct status dnat')).toEqual([{ match: { op: 'in', left: { ct: { key: 'status' } }, right: 'dnat' } }]);
    expect(stmts('ct state { new, invalid }')).toEqual([{ match: { op: '==', left: { ct: { key: 'state' } }, right: { set: ['new', 'invalid'] } } }]);
    expect(stmts('tcp dport 22')).toEqual([{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }]);
    expect(stmts('tcp flags & (fin | syn) == fin | syn')).toEqual([
      { match: { op: '==', left: { '&': [{ payload: { protocol: 'tcp', field: 'flags' } }, ['fin', 'syn']] }, right: ['fin', 'syn'] } },
    ]);
    expect(stmts('tcp dport != { 22, 80 }')).toEqual([{ match: { op: '!=', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { set: [22, 80] } } }]);
    expect(stmts('tcp dport >= 1024')).toEqual([{ match: { op: '>=', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 1024 } }]);
  });

  it('writes values the way nft does: numbers for ports and marks, strings for symbols, names unquoted', () => {
    expect(stmts('tcp dport ssh')).toEqual([{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }]);
    expect(stmts('meta mark 0x10')).toEqual([{ match: { op: '==', left: { meta: { key: 'mark' } }, right: 16 } }]);
    expect(stmts('iifname "eth0"')).toEqual([{ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'eth0' } }]);
    expect(stmts('meta l4proto 6')).toEqual([{ match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } }]);
    expect(stmts('icmp type 8')).toEqual([{ match: { op: '==', left: { payload: { protocol: 'icmp', field: 'type' } }, right: 'echo-request' } }]);
    expect(stmts('ip6 saddr 2001:DB8:0:0::1')).toEqual([{ match: { op: '==', left: { payload: { protocol: 'ip6', field: 'saddr' } }, right: '2001:db8::1' } }]);
    expect(stmts('fib daddr type local')).toEqual([{ match: { op: '==', left: { fib: { result: 'type', flags: ['daddr'] } }, right: 'local' } }]);
    expect(stmts('fib saddr . iif oif missing')).toEqual([{ match: { op: '==', left: { fib: { result: 'oif', flags: ['saddr', 'iif'] } }, right: false } }]);
  });

  it('writes selectors: ct with direction and family, concatenations, numgen, jhash', () => {
    expect(stmts('ct original ip saddr 10.0.0.1')).toEqual([{ match: { op: '==', left: { ct: { key: 'ip saddr', dir: 'original' } }, right: '10.0.0.1' } }]);
    expect(stmts('ip saddr . tcp dport { 10.0.0.1 . 22 }')).toEqual([
      { match: { op: '==', left: { concat: [{ payload: { protocol: 'ip', field: 'saddr' } }, { payload: { protocol: 'tcp', field: 'dport' } }] }, right: { set: [{ concat: ['10.0.0.1', 22] }] } } },
    ]);
    expect(stmts('numgen inc mod 2 0')).toEqual([{ match: { op: '==', left: { numgen: { mode: 'inc', mod: 2, offset: 0 } }, right: 0 } }]);
    expect(stmts('jhash ip saddr mod 2 seed 0xdead offset 1 1')).toEqual([
      { match: { op: '==', left: { jhash: { mod: 2, seed: 57005, offset: 1, expr: { payload: { protocol: 'ip', field: 'saddr' } } } }, right: 1 } },
    ]);
  });
});

describe('toJson: statements', () => {
  it('writes every statement kind in nft 1.0.6’s shape', () => {
    const cases: [string, unknown][] = [
      ['accept', { accept: null }],
      ['jump x', { jump: { target: 'x' } }],
      ['goto x', { goto: { target: 'x' } }],
      ['return', { return: null }],
      ['continue', { continue: null }],
      ['counter', { counter: { packets: 0, bytes: 0 } }],
      ['counter name "c"', { counter: 'c' }],
      ['log prefix "IN: " level info', { log: { prefix: 'IN: ', level: 'info' } }],
      ['log group 2 snaplen 100 queue-threshold 10', { log: { group: 2, snaplen: 100, 'queue-threshold': 10 } }],
      ['log flags all', { log: { flags: 'all' } }],
      ['log', { log: null }],
      ['limit rate 10/second', { limit: { rate: 10, burst: 5, per: 'second' } }],
      ['limit rate over 10/minute burst 20 packets', { limit: { rate: 10, burst: 20, per: 'minute', inv: true } }],
      ['limit rate 1024 kbytes/second burst 512 kbytes', { limit: { rate: 1, burst: 512, per: 'second', rate_unit: 'mbytes', burst_unit: 'kbytes' } }],
      ['limit name "l"', { limit: 'l' }],
      ['quota over 10 mbytes', { quota: { val: 10, val_unit: 'mbytes', inv: true } }],
      ['quota 10 mbytes used 1 mbytes', { quota: { val: 10, val_unit: 'mbytes', used: 1, used_unit: 'mbytes' } }],
      ['quota name "q"', { quota: 'q' }],
      ['reject', { reject: { type: 'icmpx', expr: 'port-unreachable' } }],
      ['reject with tcp reset', { reject: { type: 'tcp reset' } }],
      ['reject with icmpx admin-prohibited', { reject: { type: 'icmpx', expr: 'admin-prohibited' } }],
      ['notrack', { notrack: null }],
      ['synproxy', { synproxy: null }],
      ['synproxy mss 1460 wscale 7 timestamp sack-perm', { synproxy: { mss: 1460, wscale: 7, flags: ['timestamp', 'sack-perm'] } }],
      ['synproxy name "web"', { synproxy: 'web' }],
      ['synproxy name ip saddr map { 10.0.0.0/8 : "a" }', { synproxy: { map: { key: { payload: { protocol: 'ip', field: 'saddr' } }, data: { set: [[{ prefix: { addr: '10.0.0.0', len: 8 } }, 'a']] } } } }],
      ['meta mark set 1', { mangle: { key: { meta: { key: 'mark' } }, value: 1 } }],
      ['ct mark set meta mark', { mangle: { key: { ct: { key: 'mark' } }, value: { meta: { key: 'mark' } } } }],
      ['meta mark set meta mark & 0xff', { mangle: { key: { meta: { key: 'mark' } }, value: { '&': [{ meta: { key: 'mark' } }, 255] } } }],
      ['ip dscp set cs1', { mangle: { key: { payload: { protocol: 'ip', field: 'dscp' } }, value: 'cs1' } }],
      ['ct helper set "ftp"', { 'ct helper': 'ftp' }],
      ['ct timeout set "t"', { 'ct timeout': 't' }],
      ['ct expectation set "e"', { 'ct expectation': 'e' }],
      ['meta secmark set "s"', { secmark: 's' }],
      ['add @s { ip saddr timeout 30s }', { set: { op: 'add', elem: { elem: { val: { payload: { protocol: 'ip', field: 'saddr' } }, timeout: 30 } }, set: '@s' } }],
      ['update @s { ip saddr limit rate over 10/second }', { set: { op: 'update', elem: { payload: { protocol: 'ip', field: 'saddr' } }, set: '@s', stmt: [{ limit: { rate: 10, burst: 5, per: 'second', inv: true } }] } }],
      ['delete @s { ip saddr }', { set: { op: 'delete', elem: { payload: { protocol: 'ip', field: 'saddr' } }, set: '@s' } }],
      ['tcp dport vmap @v', { vmap: { key: { payload: { protocol: 'tcp', field: 'dport' } }, data: '@v' } }],
      ['queue num 1-3 bypass', { queue: { num: { range: [1, 3] }, flags: 'bypass' } }],
      ['queue flags bypass,fanout to 1-3', { queue: { num: { range: [1, 3] }, flags: ['bypass', 'fanout'] } }],
      ['queue flags bypass to jhash ip saddr mod 4', { queue: { num: { jhash: { mod: 4, expr: { payload: { protocol: 'ip', field: 'saddr' } } } }, flags: 'bypass' } }],
      ['ct count 10', { 'ct count': { val: 10 } }],
    ];
    for (const [rule, want] of cases) {
      const got = stmts(rule);
      expect(got[got.length - 1], rule).toEqual(want);
    }
  });

  it('writes nat with the family nft needs in inet tables, ports, ranges, flags and maps', () => {
    const nat = 'type nat hook postrouting priority srcnat;';
    expect(stmts('ip saddr 10.0.0.0/8 snat to 1.2.3.4', 'inet', nat)).toEqual([
      { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '10.0.0.0', len: 8 } } } },
      { snat: { family: 'ip', addr: '1.2.3.4' } },
    ]);
    expect(stmts('meta l4proto tcp snat to 1.2.3.4-1.2.3.9:1000-2000 persistent', 'ip', nat)).toEqual([
      { match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } },
      { snat: { addr: { range: ['1.2.3.4', '1.2.3.9'] }, port: { range: [1000, 2000] }, flags: 'persistent' } },
    ]);
    expect(stmts('masquerade random,persistent', 'ip', nat)).toEqual([{ masquerade: { flags: ['random', 'persistent'] } }]);
    expect(stmts('masquerade', 'ip', nat)).toEqual([{ masquerade: null }]);
    const pre = 'type nat hook prerouting priority dstnat;';
    expect(stmts('tcp dport 81 redirect to :8080', 'ip', pre)[1]).toEqual({ redirect: { port: 8080 } });
    expect(stmts('dnat to numgen inc mod 2 map { 0 : 10.0.0.1, 1 : 10.0.0.2 }', 'ip', pre)).toEqual([
      { dnat: { addr: { map: { key: { numgen: { mode: 'inc', mod: 2, offset: 0 } }, data: { set: [[0, '10.0.0.1'], [1, '10.0.0.2']] } } } } },
    ]);
  });

  it('expands defines: JSON has no variables', () => {
    const { items, result } = jsonItems(`define ports = { ssh, 80 }
define lan = "eth1"
define p = -150
table inet t {
	chain c {
		type filter hook input priority $p;
		iifname $lan tcp dport $ports accept
	}
}
`);
    expect(result.losses).toEqual([]);
    expect(items[1]).toMatchObject({ chain: { prio: -150 } });
    expect(ruleExprs(items)[0]).toEqual([
      { match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'eth1' } },
      { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { set: [22, 80] } } },
      { accept: null },
    ]);
  });

  it('splices a variable holding a set into the set around it', () => {
    const text = 'define a = { 1.1.1.1, 2.2.2.2 }\ndefine b = { $a, 3.3.3.3 }\ntable ip t {\n\tchain c {\n\t\tip saddr { $b, 4.4.4.4 }\n\t}\n}\n';
    expect(ruleExprs(jsonItems(text).items)[0]).toEqual([
      { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { set: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] } } },
    ]);
  });

  it('keeps rule comments', () => {
    const { items } = jsonItems('table ip t {\n\tchain c {\n\t\taccept comment "web"\n\t}\n}\n');
    expect(items[2]).toEqual({ rule: { family: 'ip', table: 't', chain: 'c', comment: 'web', expr: [{ accept: null }] } });
  });

  it('does not change the model', () => {
    const r = parse('define x = 1\ntable ip t {\n\tchain c {\n\t\tmeta mark $x\n\t}\n}\n');
    const before = JSON.stringify(r.ruleset);
    toJson(r.ruleset);
    expect(JSON.stringify(r.ruleset)).toBe(before);
  });
});

describe('toJson: variables', () => {
  const table = 'table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport $a0 accept\n\t}\n}\n';
  it('resolves a define standing on another, 20,000 deep (nft needs each defined before use)', () => {
    const n = 20_000;
    let defines = '';
    for (let i = n - 1; i >= 0; i--) defines += `define a${i} = ${i === n - 1 ? '22' : `$a${i + 1}`}\n`;
    const { items, result } = jsonItems(defines + table);
    expect(result.losses).toEqual([]);
    expect(ruleExprs(items)[0]).toEqual([{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }, { accept: null }]);
  });
  it('names a cycle', () => {
    const r = toJson(parse(`define a0 = $b\ndefine b = $a0\n${table}`).ruleset);
    expect(r.losses.map((l) => l.message)).toEqual(['$a0 is defined in terms of itself']);
  });
});
