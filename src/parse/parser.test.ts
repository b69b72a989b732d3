import { describe, expect, it } from 'vitest';
import { toJson } from '../json/toJson.ts';
import { parse } from './parser.ts';
import { emit } from '../emit/index.ts';
import type { Chain, Rule } from '../model/types.ts';
import type { Statement } from '../model/stmt.ts';

function only<T>(xs: T[]): T {
  expect(xs).toHaveLength(1);
  return xs[0];
}
function errors(text: string): string[] {
  return parse(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range?.startLine}:${d.range?.startCol} ${d.message}`);
}
function rules(text: string): Rule[] {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules));
}
function stmts(rule: string): Statement[] {
  return only(rules(`table inet t {\n\tchain c {\n\t\t${rule}\n\t}\n}\n`)).stmts;
}

describe('tables, chains, sets and objects', () => {
  it('reads a base chain with a standard priority and offset, a policy and a comment', () => {
    const r = parse('table inet fw {\n\tchain input {\n\t\tcomment "in"\n\t\ttype filter hook input priority filter + 10; policy drop;\n\t}\n}\n');
    const t = only(r.ruleset.tables);
    expect([t.family, t.name]).toEqual(['inet', 'fw']);
    const c: Chain = only(t.chains);
    expect(c.comment).toBe('in');
    expect(c.base).toEqual({ type: 'filter', hook: 'input', priority: { kind: 'std', name: 'filter', offset: 10 }, policy: 'drop' });
  });
  it('reads numeric, negative and variable priorities, devices and multi-device chains', () => {
    const r = parse(
      'table netdev n {\n\tchain a { type filter hook ingress device "eth0" priority -150; }\n\tchain b { type filter hook ingress devices = { eth1, eth2 } priority $P; }\n}\n',
    );
    const [a, b] = only(r.ruleset.tables).chains;
    expect(a.base?.priority).toEqual({ kind: 'num', value: -150 });
    expect(a.base?.devices).toEqual(['eth0']);
    expect(b.base?.priority).toEqual({ kind: 'var', name: 'P' });
    expect(b.base?.devices).toEqual(['eth1', 'eth2']);
  });
  it('defaults the family to ip', () => {
    expect(only(parse('table filter {\n}\n').ruleset.tables).family).toBe('ip');
  });
  it('reads sets and maps with type, typeof, flags, timeout, size, policy, auto-merge, comment and elements', () => {
    const r = parse(`table ip t {
	set s {
		typeof ip saddr . tcp dport
		size 100
		flags dynamic,timeout
		timeout 1h
		comment "c"
	}
	map m {
		type ipv4_addr : verdict
		flags interval
		auto-merge
		elements = { 10.0.0.0/8 : accept, 1.2.3.4-1.2.3.9 : jump x,
			     192.168.0.1 timeout 10m comment "tmp" : drop }
	}
}
`);
    const [s, m] = only(r.ruleset.tables).sets;
    expect(s.key).toEqual({ mode: 'typeof', exprs: [{ kind: 'payload', protocol: 'ip', field: 'saddr' }, { kind: 'payload', protocol: 'tcp', field: 'dport' }] });
    expect([s.size, s.flags, s.timeout, s.comment]).toEqual([100, ['dynamic', 'timeout'], '1h', 'c']);
    expect(m.kind).toBe('map');
    expect(m.data).toEqual({ mode: 'type', types: ['verdict'] });
    expect(m.autoMerge).toBe(true);
    expect(m.elements).toHaveLength(3);
    expect(m.elements[1]).toEqual({
      key: { kind: 'range', from: { kind: 'value', text: '1.2.3.4' }, to: { kind: 'value', text: '1.2.3.9' } },
      value: { kind: 'verdict', verdict: 'jump', target: 'x' },
    });
    expect(m.elements[2]).toMatchObject({ timeout: '10m', comment: 'tmp', value: { kind: 'verdict', verdict: 'drop' } });
  });
  it('reads interval map data (type … : interval …, typeof … : interval …), prints it back, and the JSON says it cannot carry it', () => {
    const text = `table ip nat {
	map y {
		type ipv4_addr : interval ipv4_addr
		flags interval
		elements = { 10.141.10.0/24 : 192.168.2.2-192.168.2.4 }
	}

	map z {
		typeof iifname . ip saddr : interval ip daddr . tcp dport
		flags interval
		elements = { "enp2s0" . 10.1.1.136 : 1.1.2.69 . 22 }
	}
}
`;
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    const [y, z] = only(r.ruleset.tables).sets;
    expect(y.data).toEqual({ mode: 'type', types: ['ipv4_addr'], interval: true });
    expect(z.data?.interval).toBe(true);
    expect(emit(r.ruleset, { target: '1.1.3' }).text).toBe(text);
    const j = toJson(r.ruleset, { targetVersion: '1.1.3' });
    expect(j.losses.map((l) => l.what)).toEqual(['interval map data', 'interval map data']);
  });
  it('reads every named object type', () => {
    const r = parse(`table ip t {
	synproxy sp { mss 1460; wscale 7; timestamp sack-perm; comment "x"; }
	counter c { packets 1 bytes 2; }
	quota q { over 20 mbytes used 1 mbytes; }
	limit l { rate over 1 mbytes/second burst 512 kbytes; }
	ct helper h { type "ftp" protocol tcp; l3proto ip; }
	ct timeout to { protocol tcp; l3proto ip; policy = { established: 120, close: 2m }; }
	ct expectation e { protocol udp; dport 9876; timeout 2m; size 8; l3proto ip; }
	secmark sm { "system_u:object_r:ssh_server_packet_t:s0" }
}
`);
    const objs = only(r.ruleset.tables).objects;
    expect(r.diagnostics).toEqual([]);
    expect(objs.map((o) => o.type)).toEqual(['synproxy', 'counter', 'quota', 'limit', 'ct helper', 'ct timeout', 'ct expectation', 'secmark']);
    expect(objs[0]).toMatchObject({ name: 'sp', mss: 1460, wscale: 7, timestamp: true, sackPerm: true, comment: 'x' });
    expect(objs[3]).toMatchObject({ over: true, rate: 1, unit: 'mbytes', per: 'second', burst: 512, burstUnit: 'kbytes' });
    expect(objs[5]).toMatchObject({ policy: [{ state: 'established', seconds: 120 }, { state: 'close', seconds: 120 }] });
  });
  it('merges a table declared twice and appends rules to the same chain', () => {
    const r = parse('table ip t {\n\tchain c {\n\t\taccept\n\t}\n}\ntable ip t {\n\tchain c {\n\t\tdrop\n\t}\n}\n');
    const t = only(r.ruleset.tables);
    expect(only(t.chains).rules.map((x) => x.stmts[0])).toEqual([{ kind: 'verdict', verdict: 'accept' }, { kind: 'verdict', verdict: 'drop' }]);
  });
});

describe('scripts: commands, defines, includes, preambles', () => {
  it('reads command lines into the same model as declarative blocks', () => {
    const r = parse(`add table inet fw
add chain inet fw input { type filter hook input priority 0 ; policy drop ; }
add rule inet fw input tcp dport 22 accept
insert rule inet fw input iif lo accept
add set inet fw s { type ipv4_addr ; }
add element inet fw s { 10.0.0.1, 10.0.0.2 }
add counter inet fw hits
add synproxy inet fw sp mss 1200 wscale 3 timestamp
add ct helper inet fw ftp { type "ftp" protocol tcp; }
add ct timeout inet fw tmo { protocol tcp; policy = { established: 100 }; }
`);
    expect(r.diagnostics).toEqual([]);
    const t = only(r.ruleset.tables);
    expect(only(t.chains).rules).toHaveLength(2);
    expect(only(t.chains).rules[0].stmts[0]).toMatchObject({ kind: 'match', left: { kind: 'meta', key: 'iif' } });
    expect(only(t.sets).elements).toHaveLength(2);
    expect(t.objects.map((o) => `${o.type} ${o.name}`)).toEqual(['counter hits', 'synproxy sp', 'ct helper ftp', 'ct timeout tmo']);
    expect(t.objects[1]).toMatchObject({ mss: 1200, wscale: 3, timestamp: true });
  });
  it('keeps defines as written and variables as references', () => {
    const r = parse('define WEB = { 80, 443 }\ndefine IF = "eth0"\ntable ip t {\n\tchain c {\n\t\tiifname $IF tcp dport $WEB accept\n\t}\n}\n');
    expect(r.ruleset.defines.map((d) => [d.name, d.value])).toEqual([['WEB', '{ 80, 443 }'], ['IF', '"eth0"']]);
    const s = only(only(r.ruleset.tables[0].chains).rules).stmts;
    expect(s[0]).toMatchObject({ right: { kind: 'var', name: 'IF' } });
  });
  it('reports a redefinition like nft does', () => {
    expect(errors('define A = 1\ndefine A = 2\n')).toEqual(["2:1 redefinition of symbol 'A'"]);
  });
  it('reads 100,000 defines in one pass (each name looked up, not searched for)', () => {
    const n = 100_000;
    let text = '';
    for (let i = 0; i < n; i++) text += `define a${i} = ${i}\n`;
    const r = parse(`${text}define a7 = 8\n`);
    expect(r.ruleset.defines).toHaveLength(n + 1);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["redefinition of symbol 'a7'"]);
  });
  it('keeps includes and reports that they cannot be followed', () => {
    const r = parse('include "/etc/nftables.d/*.nft"\n');
    expect(r.ruleset.includes).toMatchObject([{ path: '/etc/nftables.d/*.nft' }]);
    expect(r.diagnostics).toMatchObject([{ id: 'parse/include', severity: 'info' }]);
  });
  it('recognises flush ruleset and the replace-this-table preamble', () => {
    expect(parse('flush ruleset\ntable ip t {\n}\n').ruleset.preamble).toBe('flush');
    const r = parse('table inet fw\ndelete table inet fw\ntable inet fw {\n\tchain c {\n\t}\n}\n');
    expect(r.ruleset.preamble).toBe('replace');
    expect(only(r.ruleset.tables).chains).toHaveLength(1);
  });
  it('keeps other commands verbatim, before or after the tables', () => {
    const r = parse('delete table ip old\ntable ip t {\n}\nrename chain ip t a b\n');
    expect(r.ruleset.commands.map((c) => [c.at, c.text])).toEqual([
      ['start', 'delete table ip old'],
      ['end', 'rename chain ip t a b'],
    ]);
  });
  it('accepts ";" separators, one-line blocks and line continuations', () => {
    const r = parse('table ip t { chain c { type filter hook input priority 0; policy accept; tcp dport 22 \\\n accept; udp dport 53 accept; }; }\n');
    expect(r.diagnostics).toEqual([]);
    expect(only(only(r.ruleset.tables).chains).rules).toHaveLength(2);
  });
  it("warns about nft's missing separator after a nested block", () => {
    const r = parse('table ip t { chain c { accept } }\n');
    expect(r.diagnostics.map((d) => d.id)).toContain('parse/block-separator');
  });
});

describe('rules', () => {
  it('structures matches with operators, sets, ranges, prefixes, lists and concatenations', () => {
    expect(stmts('tcp dport != { 22, 80 } ip saddr 10.0.0.0/8 tcp sport 1024-65535 ct state established,related ip saddr . tcp dport @s')).toEqual([
      { kind: 'match', left: { kind: 'payload', protocol: 'tcp', field: 'dport' }, op: '!=', right: { kind: 'set', elements: [{ key: { kind: 'value', text: '22' } }, { key: { kind: 'value', text: '80' } }] } },
      { kind: 'match', left: { kind: 'payload', protocol: 'ip', field: 'saddr' }, op: 'implicit', right: { kind: 'prefix', addr: { kind: 'value', text: '10.0.0.0' }, len: 8 } },
      { kind: 'match', left: { kind: 'payload', protocol: 'tcp', field: 'sport' }, op: 'implicit', right: { kind: 'range', from: { kind: 'value', text: '1024' }, to: { kind: 'value', text: '65535' } } },
      { kind: 'match', left: { kind: 'ct', key: 'state' }, op: 'implicit', right: { kind: 'list', items: [{ kind: 'value', text: 'established' }, { kind: 'value', text: 'related' }] } },
      { kind: 'match', left: { kind: 'concat', items: [{ kind: 'payload', protocol: 'ip', field: 'saddr' }, { kind: 'payload', protocol: 'tcp', field: 'dport' }] }, op: 'implicit', right: { kind: 'setref', name: 's' } },
    ]);
  });
  it('structures bit tests', () => {
    expect(stmts('tcp flags & (fin | syn) == fin | syn')[0]).toEqual({
      kind: 'match',
      left: { kind: 'binop', op: '&', left: { kind: 'payload', protocol: 'tcp', field: 'flags' }, right: { kind: 'list', items: [{ kind: 'value', text: 'fin' }, { kind: 'value', text: 'syn' }] } },
      op: '==',
      right: { kind: 'list', items: [{ kind: 'value', text: 'fin' }, { kind: 'value', text: 'syn' }] },
    });
  });
  it('structures the synproxy statement in all three forms', () => {
    expect(stmts('synproxy mss 1460 wscale 7 timestamp sack-perm')).toEqual([{ kind: 'synproxy', mss: 1460, wscale: 7, timestamp: true, sackPerm: true }]);
    expect(stmts('synproxy name "web"')).toEqual([{ kind: 'objref', type: 'synproxy', name: 'web' }]);
    expect(stmts('synproxy name ip saddr map { 192.168.1.0/24 : "a" }')[0]).toMatchObject({
      kind: 'objref',
      type: 'synproxy',
      map: { kind: 'map', key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, data: { kind: 'set' } },
    });
  });
  it('structures verdicts, counters, logs, limits, quotas, nat, marks, set updates and vmaps', () => {
    const kinds = stmts(
      'counter log prefix "x: " level info limit rate over 10/second burst 20 packets quota 10 mbytes meta mark set 0x1 ct mark set meta mark add @s { ip saddr timeout 30s } tcp dport vmap { 22 : accept, 80 : jump web } snat ip to 1.2.3.4:80 random,persistent',
    ).map((s) => s.kind);
    expect(kinds).toEqual(['counter', 'log', 'limit', 'quota', 'mangle', 'mangle', 'setupdate', 'vmap', 'nat']);
    expect(stmts('reject with icmpx type admin-prohibited')).toEqual([{ kind: 'reject', with: { type: 'icmpx', code: 'admin-prohibited' } }]);
    expect(stmts('jump other')).toEqual([{ kind: 'verdict', verdict: 'jump', target: 'other' }]);
  });
  it('keeps a trailing comment on the rule', () => {
    const r = only(rules('table ip t {\n\tchain c {\n\t\ttcp dport 22 accept comment "ssh; #1"\n\t}\n}\n'));
    expect(r.comment).toBe('ssh; #1');
    expect(r.stmts).toHaveLength(2);
  });
  it('keeps what it does not structure as raw text, from the first unknown statement on', () => {
    const r = parse('table ip t {\n\tchain c {\n\t\ttcp dport 22 dccp option   40 exists comment "mss"\n\t}\n}\n');
    const rule = only(only(r.ruleset.tables[0].chains).rules);
    expect(rule.stmts).toEqual([
      { kind: 'match', left: { kind: 'payload', protocol: 'tcp', field: 'dport' }, op: 'implicit', right: { kind: 'value', text: '22' } },
      { kind: 'raw', text: 'dccp option 40 exists' },
    ]);
    expect(rule.comment).toBe('mss');
    expect(r.diagnostics.map((d) => [d.id, d.severity])).toEqual([['parse/raw', 'info']]);
  });
  it('joins a multi-line anonymous set and drops comments inside it', () => {
    const s = stmts('tcp dport {\n\t\t\t22, # ssh\n\t\t\t80 } accept');
    expect(s[0]).toMatchObject({ right: { kind: 'set', elements: [{ key: { text: '22' } }, { key: { text: '80' } }] } });
  });
});

describe('errors: every one, with its position, and the rest still read', () => {
  it('reports several errors in one file and keeps going', () => {
    const text = 'table ip t {\n\tchain c {\n\t\ttype filter hook nohook priority 0;\n\t\ttcp dport 22 acept\n\t}\n\tset s {\n\t\tsize big\n\t}\n}\ntable ip u {\n}\n';
    expect(errors(text)).toEqual([
      '3:20 unknown hook "nohook"',
      '4:16 unknown statement "acept"',
      '7:8 expected a number after size',
      '6:8 set s needs a "type" or "typeof" line',
    ]);
    expect(parse(text).ruleset.tables.map((t) => t.name)).toEqual(['t', 'u']);
  });
  it('reports a missing closing brace', () => {
    expect(errors('table ip t {\n\tchain c {\n\t\taccept\n')).toEqual(['4:1 missing "}" to close chain c', '4:1 missing "}" to close table t']);
  });
  it('reports an unterminated string', () => {
    expect(errors('table ip t {\n\tcomment "oops\n}\n')).toEqual(['2:10 unterminated string', '4:1 missing "}" to close table t']);
  });
  it('reports keywords and quoted names as names', () => {
    expect(errors('table ip "t" {\n}\n')).toEqual(['1:10 table names cannot be quoted in nft']);
    expect(errors('table ip t {\n\tchain accept {\n\t}\n}\n')).toEqual(['2:8 "accept" is a keyword and cannot be a chain name']);
  });
  it('explains a priority written without spaces', () => {
    expect(errors('table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter-5;\n\t}\n}\n')).toEqual([
      '3:35 "filter-5" is read as one word: write the priority with spaces, "filter - 5"',
    ]);
  });
  it('refuses policies other than accept and drop', () => {
    expect(errors('table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy continue;\n\t}\n}\n')).toEqual([
      '3:45 policy must be accept or drop, found "continue"',
    ]);
  });
  it('never throws, and stays linear, on pathological input', () => {
    const deep = '{'.repeat(20000);
    expect(() => parse(deep)).not.toThrow();
    expect(() => parse('table ip t {\n\tchain c {\n' + '\t\ttcp dport { '.repeat(5000))).not.toThrow();
    expect(() => parse('\u0000\uffff"\\\n\r\r\n;;;}}}')).not.toThrow();
  });
});

describe('device names', () => {
  const INJECTION = 'lo } priority filter; policy accept; } } ; flush ruleset ; table inet z { chain y { #';
  const errorsOf = (text: string) =>
    parse(text)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => [d.id, d.range?.startLine, d.range?.startCol, d.range?.endCol]);

  it('refuses a quoted device that would become nft syntax, at its place, and keeps it out of the model', () => {
    const text = `table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device "${INJECTION}" priority 0; policy accept;\n\t\tdrop\n\t}\n\tchain d {\n\t}\n}\n`;
    const r = parse(text);
    const e = only(r.diagnostics.filter((d) => d.severity === 'error'));
    expect(e.id).toBe('parse/device-name');
    expect(e.message).toMatch(/^the device name "lo } priority.*" contains a space/);
    // the quoted string starts on line 3, column 35 (after "\t\ttype filter hook ingress device ")
    expect(e.range).toMatchObject({ startLine: 3, startCol: 35, endLine: 3, endCol: 35 + INJECTION.length + 2 });
    expect(JSON.stringify(r.ruleset)).not.toContain('flush ruleset');
    const t = only(r.ruleset.tables);
    // the rest of the file is still read: the chain's rule and the next chain
    expect(t.chains.map((c) => c.name)).toEqual(['c', 'd']);
    expect(t.chains[0].base).toBeUndefined();
    expect(t.chains[0].rules).toHaveLength(1);
  });

  it('refuses each bad name of a devices list and a bare word with "/"', () => {
    const text = 'table netdev t {\n\tchain c {\n\t\ttype filter hook ingress devices = { eth0, "a{b", "x y" } priority 0;\n\t}\n\tchain d {\n\t\ttype filter hook ingress device eth0/1 priority 0;\n\t}\n}\n';
    expect(errorsOf(text)).toEqual([
      ['parse/device-name', 3, 46, 51],
      ['parse/device-name', 3, 53, 58],
      ['parse/device-name', 6, 35, 41],
    ]);
    const r = parse(text);
    expect(r.ruleset.tables[0].chains.map((c) => c.base)).toEqual([undefined, undefined]);
  });

  it('refuses a bad flowtable device and leaves the flowtable out', () => {
    const r = parse('table inet t {\n\tflowtable f {\n\t\thook ingress priority 0\n\t\tdevices = { eth0, "eth1 } }" }\n\t}\n\tchain c {\n\t}\n}\n');
    const e = only(r.diagnostics.filter((d) => d.severity === 'error'));
    expect(e).toMatchObject({ id: 'parse/device-name', range: { startLine: 4, startCol: 21 } });
    expect(e.message).toContain('"eth1 } }" contains a space');
    const t = only(r.ruleset.tables);
    expect(t.flowtables).toEqual([]);
    expect(t.chains.map((c) => c.name)).toEqual(['c']);
  });

  it('refuses the names the kernel refuses: empty, ".", too long, "*" inside', () => {
    for (const [dev, msg] of [
      ['""', /is empty/],
      ['"."', /not a valid device name/],
      ['"abcdefghijklmnop"', /16 bytes long; Linux allows at most 15/],
      ['"e*th"', /may only have a "\*" at its end/],
    ] as const) {
      const r = parse(`table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device ${dev} priority 0;\n\t}\n}\n`);
      const e = only(r.diagnostics.filter((d) => d.severity === 'error'));
      expect(e.message, dev).toMatch(msg);
      expect(r.ruleset.tables[0].chains[0].base, dev).toBeUndefined();
    }
  });

  it('keeps good names, wildcards and variables', () => {
    const r = parse(
      'define IF = "eth0"\ndefine DEVS = { eth1, eth2 }\ntable netdev t {\n\tflowtable f {\n\t\thook ingress priority 0\n\t\tdevices = { "br-lan.10", eth0 }\n\t}\n\tchain a { type filter hook ingress device $IF priority 0; }\n\tchain b { type filter hook ingress devices = $DEVS priority 0; }\n\tchain c { type filter hook ingress devices = { $IF, "wg*", veth_1 } priority 0; }\n}\n',
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const t = only(r.ruleset.tables);
    expect(only(t.flowtables).devices).toEqual(['br-lan.10', 'eth0']);
    expect(t.chains.map((c) => c.base?.devices)).toEqual([['$IF'], ['$DEVS'], ['$IF', 'wg*', 'veth_1']]);
  });
});

describe('table F N + flush table F N + the table (the flush-table idiom)', () => {
  it('keeps the flush before every table, with the declaration that makes sure the table exists', () => {
    const r = parse('table inet a\nflush table inet a\ntable inet a {\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n');
    expect(r.ruleset.commands.map((c) => [c.at, c.text])).toEqual([
      ['start', 'add table inet a'],
      ['start', 'flush table inet a'],
    ]);
    expect(r.ruleset.tables.map((t) => [t.name, t.chains[0]?.rules.length])).toEqual([['a', 1]]);
    // a flush after the table's own definition stays after it, as written
    expect(parse('table inet a {\n}\nflush table inet a\n').ruleset.commands.map((c) => c.at)).toEqual(['end']);
  });
});

describe('the replace-this-table preamble on only some tables', () => {
  const PARTIAL = 'table ip b\ndelete table ip b\ntable ip a {\n  chain c { }\n}\ntable ip b {\n  chain c { }\n}\n';

  it("in a design that replaces its tables (the app's preview), a table typed without its preamble lines joins the preamble", () => {
    const r = parse(PARTIAL, { replaceTables: true });
    expect(r.ruleset.preamble).toBe('replace');
    expect(r.ruleset.commands).toEqual([]);
    expect(r.diagnostics).toEqual([]);
    // a delete of a table the text does not define is still kept as it is
    const other = parse('delete table ip gone\n' + PARTIAL, { replaceTables: true });
    expect(other.ruleset.commands.map((c) => c.text)).toContain('delete table ip gone');
  });

  it('keeps the delete of table b as commands instead of replacing every table, and warns', () => {
    const r = parse(PARTIAL);
    expect(r.ruleset.preamble).toBe('none');
    expect(r.ruleset.tables.map((t) => t.name)).toEqual(['a', 'b']);
    expect(r.ruleset.commands.map((c) => [c.at, c.text])).toEqual([
      ['start', 'add table ip b'],
      ['start', 'delete table ip b'],
    ]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ id: 'parse/partial-replace', severity: 'warning', message: expect.stringContaining('(table ip b)') })]);
    // each command points at its own source
    const [add, del] = r.ruleset.commands;
    expect(r.spans.get(add.id)).toEqual({ start: 0, end: 'table ip b'.length });
    expect(PARTIAL.slice(r.spans.get(del.id)?.start, r.spans.get(del.id)?.end)).toBe('delete table ip b');
  });

  it('emits a script that deletes table b and never table a, and reads back the same', () => {
    const script = emit(parse(PARTIAL).ruleset).text;
    expect(script.match(/^delete table .*$/gm)).toEqual(['delete table ip b']);
    expect(script.indexOf('delete table ip b')).toBeLessThan(script.indexOf('table ip a {'));
    expect(script.indexOf('add table ip b')).toBeLessThan(script.indexOf('delete table ip b'));
    const again = parse(script);
    expect(again.ruleset.preamble).toBe('none');
    expect(again.ruleset.commands.map((c) => c.text)).toEqual(['add table ip b', 'delete table ip b']);
    expect(emit(again.ruleset).text).toBe(script);
  });

  it('puts the delete before every table even when it came after another table', () => {
    const r = parse('table ip a {\n\tchain c {\n\t}\n}\ntable ip b\ndelete table ip b\ntable ip b {\n\tchain c {\n\t\tdrop\n\t}\n}\n');
    expect(r.ruleset.commands.map((c) => [c.at, c.text])).toEqual([
      ['start', 'add table ip b'],
      ['start', 'delete table ip b'],
    ]);
    const script = emit(r.ruleset).text;
    expect(script.indexOf('delete table ip b')).toBeLessThan(script.indexOf('table ip b {'));
  });

  it('keeps a delete whose table is not declared again, and counts tables only added to by commands', () => {
    const gone = parse('table ip b\ndelete table ip b\n');
    expect(gone.ruleset.tables).toEqual([]);
    expect(gone.ruleset.preamble).toBe('none');
    expect(gone.ruleset.commands.map((c) => c.text)).toEqual(['add table ip b', 'delete table ip b']);
    const implicit = parse('table ip b\ndelete table ip b\ntable ip b {\n}\nadd chain ip a c\n');
    expect(implicit.ruleset.preamble).toBe('none');
    expect(implicit.ruleset.commands.map((c) => c.text)).toEqual(['add table ip b', 'delete table ip b']);
  });

  it('uses the replace preamble when every table has it, and the flush preamble after flush ruleset', () => {
    const all = parse(`table ip a\ndelete table ip a\n${PARTIAL}`);
    expect(all.ruleset.preamble).toBe('replace');
    expect(all.ruleset.commands).toEqual([]);
    expect(all.diagnostics).toEqual([]);
    const flushed = parse(`flush ruleset\n${PARTIAL}`);
    expect(flushed.ruleset.preamble).toBe('flush');
    expect(flushed.ruleset.commands).toEqual([]);
    expect(flushed.diagnostics).toEqual([]);
  });

  it('refuses a ct helper, timeout or expectation whose last statement has no ; or new line before the } (nft 1.0.6 and 1.1.3: unexpected "}")', () => {
    const one = (body: string): string[] => errors(`table ip t {\n\t${body}\n}\n`);
    expect(one('ct helper h { type "ftp" protocol tcp }')).toEqual(['2:40 nft needs a ";" or a new line before the "}" of ct helper h (nft: syntax error, unexpected \'}\', expecting newline or semicolon)']);
    expect(one('ct timeout t { protocol tcp; policy = { established: 100 } }')[0]).toMatch(/before the "}" of ct timeout t/);
    expect(one('ct expectation e { protocol tcp; dport 21; timeout 1s; size 2; l3proto ip }')[0]).toMatch(/before the "}" of ct expectation e/);
    // what nft loads: a separator last, a new line, or a comment last; other objects need none
    for (const ok of ['ct helper h { type "ftp" protocol tcp; }', 'ct helper h {\n\t\ttype "ftp" protocol tcp\n\t}', 'ct helper h { type "ftp" protocol tcp; comment "x" }', 'counter c { packets 1 bytes 2 }', 'synproxy s { mss 1460 wscale 7 }']) expect(one(ok), ok).toEqual([]);
  });
});
