/**
 * dup, fwd, tproxy, ct count, last, flow offload, meters, chain bindings, nat
 * prefix and constants in set update keys: read from nft's listing form,
 * printed as each version lists them, written to libnftables JSON and read
 * back, checked as untrusted data, and edited through their rule builder forms.
 * The listings are nft's own (src/stmts/forward.kernel.test.ts loads them in
 * 1.0.6 and 1.1.3); flow offload cannot be loaded on a kernel without
 * flowtables, so its cases come from nftables' documentation (statements.txt
 * "FLOW STATEMENT") and test suite (tests/shell/testcases/flowtable/dumps).
 */
import { describe, expect, it } from 'vitest';
import type { Statement } from '../model/stmt.ts';
import type { Family, Ruleset } from '../model/types.ts';
import { validateRuleset } from '../model/validate.ts';
import { emit, emitProblems } from '../emit/index.ts';
import { fromJson } from '../json/fromJson.ts';
import { toJson } from '../json/toJson.ts';
import { Variables } from '../json/variables.ts';
import type { JsonValue } from '../json/jsonValue.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import { parse } from '../parse/index.ts';
import { lint } from '../lint/lint.ts';
import { trace } from '../trace/evaluate.ts';
import { alwaysPasses, endVerdict, formKinds, isTerminal, placedStatement, printStatement, statementForm, statementFromJson, statementJson, statementWords, stmtModule } from './registry.ts';

const rule = (family: Family, ...lines: string[]): string => `table ${family} t {\n\tchain c {\n\t\t${lines.join('\n\t\t')}\n\t}\n}\n`;

function stmtsOf(text: string): Statement[] {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset.tables[0].chains[0].rules.flatMap((x) => x.stmts);
}

/** The last statement of a one-rule chain in `family`. */
function one(family: Family, line: string): Statement {
  const s = stmtsOf(rule(family, line));
  return s[s.length - 1];
}

function print(s: Statement, family: Family, target: ListingTarget = '1.0.6', rule: Statement[] = [s]): string {
  return printStatement(s, { family, target, rule, index: rule.indexOf(s) });
}

function json(s: Statement, family: Family, rule: Statement[] = [s]): JsonValue {
  return statementJson(s, { family, rule, index: rule.indexOf(s), vars: new Variables([]) });
}

/** Read, printed as it was for both versions, to JSON and back printing the same. */
function roundTrip(family: Family, line: string, kind: Statement['kind']): Statement {
  const all = stmtsOf(rule(family, line));
  const s = all[all.length - 1];
  expect(s.kind).toBe(kind);
  for (const target of ['1.0.6', '1.1.3'] as const) expect(line.endsWith(print(s, family, target, all))).toBe(true);
  const back = statementFromJson(json(s, family, all), family);
  expect(back.kind).toBe(kind);
  for (const target of ['1.0.6', '1.1.3'] as const) expect(print(back, family, target, [...all.slice(0, -1), back])).toBe(print(s, family, target, all));
  return s;
}

describe('dup', () => {
  it.each([
    ['ip', 'dup to 192.168.2.1'],
    ['ip', 'dup to 192.168.2.1 device "lo"'],
    ['ip', 'dup to ip saddr map { 192.168.2.120 : 192.168.2.1 } device "lo"'],
    ['ip6', 'dup to abcd::1 device "lo"'],
    ['ip6', 'dup to ip6 saddr map { abcd::1 : cafe::cafe } device "lo"'],
    ['netdev', 'dup to "lo"'],
    ['netdev', 'dup to meta mark map { 0x00000001 : "lo", 0x00000002 : "lo" }'],
  ] as const)('%s: %s', (family, line) => {
    roundTrip(family, line, 'dup');
  });

  it('prints devices quoted and addresses as nft does, and writes nft’s JSON', () => {
    expect(print(one('netdev', 'dup to lo'), 'netdev')).toBe('dup to "lo"');
    expect(print(one('ip6', 'dup to ABCD:0::1 device eth0'), 'ip6')).toBe('dup to abcd::1 device "eth0"');
    expect(json(one('netdev', 'dup to "lo"'), 'netdev')).toEqual({ dup: { addr: 'lo' } });
    expect(json(one('ip', 'dup to 192.168.2.1 device "lo"'), 'ip')).toEqual({ dup: { addr: '192.168.2.1', dev: 'lo' } });
    // nft's own JSON of a netdev map (tests/py/netdev/dup.t.json)
    const m = statementFromJson({ dup: { addr: { map: { key: { meta: { key: 'mark' } }, data: { set: [[1, 'lo'], [2, 'lo']] } } } } }, 'netdev');
    expect(print(m, 'netdev')).toBe('dup to meta mark map { 0x00000001 : "lo", 0x00000002 : "lo" }');
  });

  it('passes the packet on (a copy is sent)', () => {
    const s = one('ip', 'dup to 192.168.2.1');
    expect([isTerminal(s), endVerdict(s), alwaysPasses(s)]).toEqual([false, undefined, true]);
  });
});

describe('fwd', () => {
  it.each(['fwd to "lo"', 'fwd to meta mark map { 0x00000001 : "lo", 0x00000002 : "lo" }', 'fwd ip to 192.168.2.200 device "lo"', 'fwd ip6 to abcd::1 device "lo"'])('%s', (line) => {
    roundTrip('netdev', line, 'fwd');
  });

  it('is terminal and ends the path unless a map chooses the device', () => {
    const s = one('netdev', 'fwd to "lo"');
    expect([isTerminal(s), endVerdict(s), alwaysPasses(s)]).toEqual([true, 'fwd', false]);
    expect(endVerdict(one('netdev', 'fwd to meta mark map { 0x00000001 : "lo" }'))).toBeUndefined();
    expect(json(one('netdev', 'fwd ip to 192.168.2.200 device "lo"'), 'netdev')).toEqual({ fwd: { dev: 'lo', family: 'ip', addr: '192.168.2.200' } });
  });

  it('refuses an address without its family in untrusted data', () => {
    const v = validateRuleset(withStmts('netdev', { kind: 'fwd', device: { kind: 'value', text: '"lo"' }, addr: { kind: 'value', text: '10.0.0.1' } }));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.join('\n')).toMatch(/stmts\[0\]\.family.*address and its family together/);
  });
});

describe('tproxy', () => {
  it.each([
    ['inet', 'meta l4proto udp tproxy ip to 192.0.2.1'],
    ['inet', 'meta l4proto tcp tproxy ip to 192.0.2.1:50080'],
    ['inet', 'meta l4proto tcp tproxy ip6 to [2001:db8::1]'],
    ['inet', 'meta l4proto udp tproxy ip6 to [2001:db8::1]:50080'],
    ['inet', 'meta l4proto udp tproxy to :50080'],
    ['ip', 'meta l4proto tcp tproxy to 192.0.2.1:50080'],
    ['ip', 'meta l4proto tcp tproxy to ip saddr map { 1.1.1.1 : 2.2.2.2 }'],
    ['ip6', 'meta l4proto tcp tproxy to [2001:db8::1]'],
    ['ip6', 'meta l4proto tcp tproxy to :50080'],
  ] as const)('%s: %s', (family, line) => {
    roundTrip(family, line, 'tproxy');
  });

  it('lists the family only in inet tables, an IPv6 address in brackets, a service as its port', () => {
    expect(print(one('ip', 'meta l4proto udp tproxy ip to 192.0.2.1'), 'ip')).toBe('tproxy to 192.0.2.1');
    expect(print(one('ip6', 'meta l4proto tcp tproxy ip6 to 2001:db8::1'), 'ip6')).toBe('tproxy to [2001:db8::1]');
    expect(print(one('inet', 'meta l4proto tcp tproxy ip to 127.0.0.1:http'), 'inet')).toBe('tproxy ip to 127.0.0.1:80');
    expect(json(one('ip', 'meta l4proto tcp tproxy ip to 192.0.2.1:80'), 'ip')).toEqual({ tproxy: { addr: '192.0.2.1', port: 80 } });
    expect(json(one('inet', 'meta l4proto tcp tproxy ip6 to [2001:db8::1]:80'), 'inet')).toEqual({ tproxy: { family: 'ip6', addr: '2001:db8::1', port: 80 } });
  });

  it('a family that contradicts the table is kept as written, a fixed point of emit ∘ parse (nft refuses it: the linter says so)', () => {
    expect(print(one('ip', 'meta l4proto udp tproxy ip6 to [::1]:5353'), 'ip')).toBe('tproxy ip6 to [::1]:5353');
    const text = 'table ip t {\n\tchain c {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n\t\tmeta l4proto udp tproxy ip6 to [::1]:5353\n\t}\n}\n';
    const once = emit(parse(text).ruleset).text;
    expect(emit(parse(once).ruleset).text).toBe(once);
  });

  it('is under the prerouting restriction of knowledge/placement.ts', () => {
    expect(placedStatement(one('inet', 'meta l4proto tcp tproxy to :1'))).toBe('tproxy');
    expect(placedStatement(one('ip', 'dup to 192.0.2.1'))).toBeUndefined();
  });
});

describe('ct count (connlimit)', () => {
  it('is read as a statement of its own, before the ct selector, and its JSON before the match module', () => {
    for (const line of ['ct count 2', 'ct count over 3']) roundTrip('ip', line, 'connlimit');
    expect(one('ip', 'ct count over 3')).toEqual({ kind: 'connlimit', count: 3, over: true });
    expect(statementFromJson({ 'ct count': { val: 10, inv: true } }, 'ip')).toEqual({ kind: 'connlimit', count: 10, over: true });
    expect(json(one('ip', 'ct count 10'), 'ip')).toEqual({ 'ct count': { val: 10 } });
    // the ct selector still starts matches
    expect(one('ip', 'ct state established').kind).toBe('match');
    expect(statementWords()).not.toContain('ct');
  });
});

describe('last', () => {
  it('lists as last used never until a packet came, then the time since; JSON counts milliseconds', () => {
    expect(one('ip', 'last')).toEqual({ kind: 'last' });
    expect(print(one('ip', 'last'), 'ip', '1.1.3')).toBe('last used never');
    const used = roundTrip('ip', 'last used 5m24ms', 'last');
    expect(json(used, 'ip')).toEqual({ last: { used: 5 * 60_000 + 24 } });
    expect(json(one('ip', 'last used never'), 'ip')).toEqual({ last: null });
    expect(statementFromJson({ last: { used: -1 } }, 'ip')).toEqual({ kind: 'last' });
    expect(stmtModule('last').since).toBe('1.0.7');
  });

  it('refuses a used time that is not a time', () => {
    const s = stmtsOf(rule('ip', 'last used soon'));
    expect(s[0].kind).toBe('raw');
  });
});

describe('flow offload (no flowtables on this kernel: the cases are nftables’ own docs and dumps)', () => {
  // tests/shell/testcases/flowtable/dumps/0014addafterdelete_0.nft, verbatim
  const DUMP = 'table inet filter {\n\tflowtable f {\n\t\thook ingress priority filter - 1\n\t\tdevices = { lo }\n\t\tcounter\n\t}\n\n\tchain y {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\tflow add @f counter packets 0 bytes 0\n\t}\n}\n';

  it('reads flow add and flow offload, and prints flow add as nft lists it', () => {
    const r = parse(DUMP);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ruleset.tables[0].chains[0].rules[0].stmts[0]).toEqual({ kind: 'flow', flowtable: 'f' });
    expect(emit(r.ruleset, { target: '1.0.6' }).text).toBe(DUMP);
    expect(print(one('inet', 'flow offload @ft'), 'inet')).toBe('flow add @ft');
  });

  it('writes and reads libnftables’ flow statement (json.c flow_offload_stmt_json, parser_json.c)', () => {
    expect(json(one('inet', 'flow add @ft'), 'inet')).toEqual({ flow: { op: 'add', flowtable: '@ft' } });
    const j = toJson(parse(DUMP).ruleset, { targetVersion: '1.1.3' });
    expect(JSON.stringify(JSON.parse(j.json))).toContain('{"flow":{"op":"add","flowtable":"@f"}}');
    expect(emit(fromJson(j.json).ruleset, { target: '1.0.6' }).text).toContain('\t\tflow add @f counter packets 0 bytes 0\n');
  });
});

describe('meters', () => {
  it.each(['meter m size 128 { ip saddr limit rate 10/second }', 'meter acct_out size 4096 { iif . ip6 saddr timeout 10m counter }', 'meter cc size 65535 { ip saddr ct count over 20 }', 'meter q size 65535 { ip saddr quota over 10 mbytes }'])('%s', (line) => {
    const s = stmtsOf(rule('ip6', line))[0];
    expect(s.kind).toBe('meter');
    expect(print(s, 'ip6', '1.0.6')).toBe(line);
    expect(print(statementFromJson(json(s, 'ip6'), 'ip6'), 'ip6')).toBe(line);
  });

  it('prints nft’s default size and the timeout as nft does, the statement without its state', () => {
    expect(print(one('ip', 'meter m { ip saddr timeout 600s counter packets 3 bytes 9 }'), 'ip')).toBe('meter m size 65535 { ip saddr timeout 10m counter }');
    // nft 1.0.6 leaves a limit's default burst out, 1.1.3 writes it (as it lists limits); 1.1.3 lists
    // a meter as an update of the set it is (add, or update with a timeout), the set beside the table's own
    const lim = one('ip', 'meter m { ip saddr limit rate 10/second }');
    expect(print(lim, 'ip')).toBe('meter m size 65535 { ip saddr limit rate 10/second }');
    expect(print(lim, 'ip', '1.1.3')).toBe('add @m { ip saddr limit rate 10/second burst 5 packets }');
    expect(print(one('ip', 'meter m { ip saddr timeout 600s counter }'), 'ip', '1.1.3')).toBe('update @m { ip saddr timeout 10m counter }');
    // a key nft 1.1 would list as `type 0` (which it cannot read back) stays a meter
    expect(print(one('ip', 'meter m { ip ttl counter }'), 'ip', '1.1.3')).toBe('meter m size 65535 { ip ttl counter }');
    const text = emit(parse('table ip t {\n\tset s { type ipv4_addr; }\n\tchain c {\n\t\tmeter m size 1024 { ip saddr . tcp dport timeout 1m counter }\n\t}\n}\n').ruleset, { target: '1.1.3' }).text;
    expect(text).toContain('\tset s {\n\t\ttype ipv4_addr\n\t}\n\n\tset m {\n\t\ttype ipv4_addr . inet_service\n\t\tsize 1024\n\t\tflags dynamic,timeout\n\t}\n');
    expect(text).toContain('\t\tupdate @m { ip saddr . tcp dport timeout 1m counter }');
    // nft's JSON (tests/py/ip/flowtable.t.json): the key's timeout in an elem, the counter as a template
    const j = { meter: { key: { elem: { timeout: 30, val: { payload: { field: 'saddr', protocol: 'ip' } } } }, name: 'xyz', size: 8192, stmt: { counter: null } } };
    const m = statementFromJson(j, 'ip');
    expect(print(m, 'ip')).toBe('meter xyz size 8192 { ip saddr timeout 30s counter }');
    expect(json(m, 'ip')).toEqual({ meter: { name: 'xyz', key: { elem: { val: { payload: { protocol: 'ip', field: 'saddr' } }, timeout: 30 } }, stmt: { counter: null }, size: 8192 } });
  });

  it('takes only a stateful statement, in text, JSON and untrusted data', () => {
    expect(stmtsOf(rule('ip', 'meter m { ip saddr accept }'))[0].kind).toBe('raw');
    expect(() => statementFromJson({ meter: { name: 'm', key: { payload: { protocol: 'ip', field: 'saddr' } }, stmt: { accept: null } } }, 'ip')).toThrow(/meter's statement is one of/);
    const v = validateRuleset(withStmts('ip', { kind: 'meter', name: 'm', key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, stmt: { kind: 'meter', name: 'n', key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, stmt: { kind: 'counter' } } }));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.join('\n')).toMatch(/stmts\[0\]\.stmt\.kind/);
  });
});

describe('chain bindings', () => {
  const LISTING = rule(
    'inet',
    'meta l4proto { tcp, udp } th dport 53 jump {\n\t\t\tip saddr 127.0.0.0/8 counter packets 0 bytes 0 accept\n\t\t\tip6 saddr ::1 counter packets 0 bytes 0 accept comment "local"\n\t\t}',
    'goto {\n\t\t\tdrop\n\t\t} comment "outer"',
    'jump {\n\t\t}',
  );

  it('reads the anonymous chain’s rules and prints them on lines of their own, as nft lists them', () => {
    const r = parse(LISTING);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const rules = r.ruleset.tables[0].chains[0].rules;
    const b = rules[0].stmts[2];
    expect(b.kind).toBe('binding');
    if (b.kind !== 'binding') return;
    expect(b.verdict).toBe('jump');
    expect(b.rules.map((x) => x.stmts.length)).toEqual([3, 3]);
    expect(b.rules[1].comment).toBe('local');
    expect(rules[1].comment).toBe('outer');
    for (const target of ['1.0.6', '1.1.3'] as const) expect(emit(r.ruleset, { target }).text).toBe(LISTING);
  });

  it('reads rules separated by ";" and drops the dependencies nft drops inside', () => {
    const r = parse(rule('inet', 'jump { meta l4proto tcp tcp dport 22 accept; drop; }'));
    expect(emit(r.ruleset).text).toContain('\t\tjump {\n\t\t\ttcp dport 22 accept\n\t\t\tdrop\n\t\t}\n');
  });

  it('refuses a binding inside a binding, as nft does (the rule stays text)', () => {
    const s = stmtsOf(rule('inet', 'jump { jump { accept; }; }'));
    expect(s.map((x) => x.kind)).toEqual(['raw']);
    const deep = `jump { ${'jump { '.repeat(3000)}accept${' }'.repeat(3001)}`;
    expect(stmtsOf(rule('inet', deep)).map((x) => x.kind)).toEqual(['raw']);
  });

  it('has no JSON: toJson reports the rule as a loss', () => {
    const j = toJson(parse(LISTING).ruleset);
    expect(j.losses.map((l) => l.what)).toEqual(['chain binding', 'chain binding', 'chain binding']);
  });

  it('is terminal; goto ends the path here, jump comes back; its expressions are walked', () => {
    const [jump, go] = [one('inet', 'jump { tcp dport 22 accept; }'), one('inet', 'goto { drop; }')];
    expect([isTerminal(jump), endVerdict(jump), alwaysPasses(jump)]).toEqual([true, undefined, false]);
    expect(endVerdict(go)).toBe('goto');
    expect(stmtModule('binding').exprs(jump as Extract<Statement, { kind: 'binding' }>).map((e) => e.kind)).toEqual(['payload', 'value']);
  });

  it('checks what it holds in untrusted data without recursing into another binding, and refuses hostile comments', () => {
    const nested = { kind: 'binding', verdict: 'jump', rules: [{ stmts: [{ kind: 'binding', verdict: 'goto', rules: [] }] }] };
    const v = validateRuleset(withStmts('inet', nested));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.join('\n')).toMatch(/rules\[0\]\.stmts\[0\]\.kind.*another chain binding/);
    const bad = validateRuleset(withStmts('inet', { kind: 'binding', verdict: 'jump', rules: [{ stmts: [{ kind: 'queue', flags: 'bypass' }] }] }));
    expect(bad.ok).toBe(false);
    const hostile = validateRuleset(withStmts('inet', { kind: 'binding', verdict: 'jump', rules: [{ stmts: [{ kind: 'verdict', verdict: 'accept' }], comment: 'x"\n} flush ruleset' }] }));
    expect(hostile.ok).toBe(true);
    if (hostile.ok) expect(emitProblems(hostile.ruleset).length).toBeGreaterThan(0);
  });
});

describe('nat prefix', () => {
  it.each([
    ['ip', 'snat ip prefix to ip saddr map { 10.141.11.0/24 : 192.168.2.0/24 }'],
    ['inet', 'dnat ip prefix to ip daddr map { 10.141.11.0/24 : 192.168.2.0/24 }'],
    ['ip6', 'dnat ip6 prefix to ip6 daddr map { 2001:db8::/64 : 2001:db8:1::/64 }'],
    ['ip', 'snat ip to ip saddr map { 10.141.11.4 : 192.168.2.2-192.168.2.4 }'],
    ['ip', 'meta l4proto udp snat ip to ip saddr map { 10.141.11.4 : 192.168.2.3 . 80 }'],
    ['ip6', 'tcp dport 80-90 snat to [2001:838:35f:1::]-[2001:838:35f:2::]:100'],
  ] as const)('%s: %s', (family, line) => {
    roundTrip(family, line, 'nat');
  });

  it('prints the family nft lists with prefix even when it was not written, and writes netmap and the prefix type flag', () => {
    const s = one('ip', 'snat prefix to ip saddr map { 10.141.12.0/24 : 192.168.3.0/24 }');
    expect(print(s, 'ip')).toBe('snat ip prefix to ip saddr map { 10.141.12.0/24 : 192.168.3.0/24 }');
    const j = json(s, 'ip') as { snat: Record<string, JsonValue> };
    expect([j.snat.flags, j.snat.type_flags]).toEqual(['netmap', 'prefix']);
    // nft's own JSON listing (flags netmap, type_flags prefix) reads back as prefix
    expect(statementFromJson(j, 'ip')).toMatchObject({ kind: 'nat', prefix: true });
    expect(print(one('ip', 'snat to ip saddr map { 10.0.0.1 : 192.168.2.1 }'), 'ip')).toBe('snat to ip saddr map { 10.0.0.1 : 192.168.2.1 }');
  });
});

describe('set updates with constants in the key', () => {
  it.each(['add @s { ip saddr . 22 timeout 1m }', 'update @s { 10.0.0.1 . tcp dport }', 'add @s { ip saddr . 10.0.0.1 . 80 }'])('%s', (line) => {
    roundTrip('ip', line, 'setupdate');
  });

  it('writes the constant as nft’s JSON does; a key of constants alone is read too (nft 1.0.6 and 1.1.3 load add @s { 1.2.3.4 . 22 })', () => {
    expect(json(one('ip', 'add @s { ip saddr . 22 }'), 'ip')).toEqual({ set: { op: 'add', elem: { concat: [{ payload: { protocol: 'ip', field: 'saddr' } }, 22] }, set: '@s' } });
    expect(stmtsOf(rule('ip', 'add @s { 1.2.3.4 . 22 }'))[0]).toEqual({ kind: 'setupdate', op: 'add', set: 's', key: { kind: 'concat', items: [{ kind: 'value', text: '1.2.3.4' }, { kind: 'value', text: '22' }] } });
    expect(json(one('ip', 'add @m { 10.2.3.4 timeout 1s : 0x2 }'), 'ip')).toEqual({ map: { op: 'add', elem: { elem: { val: '10.2.3.4', timeout: 1 } }, data: 2, map: '@m' } });
    expect(validateRuleset(withStmts('ip', { kind: 'setupdate', op: 'add', set: 's', key: { kind: 'concat', items: [{ kind: 'payload', protocol: 'ip', field: 'saddr' }, { kind: 'value', text: '22' }] } })).ok).toBe(true);
    const hostile = validateRuleset(withStmts('ip', { kind: 'setupdate', op: 'add', set: 's', key: { kind: 'concat', items: [{ kind: 'payload', protocol: 'ip', field: 'saddr' }, { kind: 'value', text: '22 } ; flush ruleset' }] } }));
    expect(hostile.ok).toBe(true);
    if (hostile.ok) expect(emitProblems(hostile.ruleset).map((p) => p.message)).toEqual([expect.stringMatching(/not a single value/)]);
  });
});

describe('constants in the key of a lookup (nft 1.1 reads them against a named set)', () => {
  const text = `table ip t {
	set s1 {
		type ipv4_addr . ipv4_addr . inet_service
		elements = { 198.18.0.2 . 1.2.3.4 . 80 }
	}
	map m {
		typeof ip daddr : meta mark
	}
	chain c {
		type filter hook input priority filter; policy accept;
		ip saddr . 1.2.3.4 . http @s1 accept
		add @m { 10.2.3.4 : 0x2 }
		add @s1 { ip daddr . 1.2.3.4 . ssh }
	}
}
`;
  it('is structured, listed with each constant in the type of its place in the set, and written to JSON', () => {
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    const [lookup, update] = r.ruleset.tables[0].chains[0].rules.map((x) => x.stmts[0]);
    expect(lookup).toMatchObject({ kind: 'match', left: { kind: 'concat', items: [{ kind: 'payload' }, { kind: 'value', text: '1.2.3.4' }, { kind: 'value', text: 'http' }] }, right: { kind: 'setref', name: 's1' } });
    expect(update).toMatchObject({ kind: 'setupdate', key: { kind: 'value', text: '10.2.3.4' } });
    const out = emit(r.ruleset, { target: '1.1.3' }).text;
    expect(out).toContain('\t\tip saddr . 1.2.3.4 . 80 @s1 accept\n\t\tadd @m { 10.2.3.4 : 0x00000002 }\n\t\tadd @s1 { ip daddr . 1.2.3.4 . 22 }\n');
    expect(json(lookup, 'ip')).toEqual({ match: { op: '==', left: { concat: [{ payload: { protocol: 'ip', field: 'saddr' } }, '1.2.3.4', 'http'] }, right: '@s1' } });
  });
  it('is an error for nft 1.0.6, and against an anonymous set for any version', () => {
    const ids = (t: string, v: string) => lint(parse(t).ruleset, { targetVersion: v }).filter((d) => d.severity === 'error').map((d) => d.id);
    expect(ids(text, '1.1.3')).toEqual([]);
    expect(ids(text, '1.0.6')).toEqual(['rule/lookup-constant']);
    expect(ids(rule('ip', 'ip saddr . 1.2.3.4 . tcp dport { 10.0.0.1 . 1.2.3.4 . 22 } accept'), '1.1.3')).toEqual(['rule/lookup-constant']);
    // not as a vmap's key or what a set statement writes: kept as text, for nft to judge
    expect(stmtsOf(rule('ip', 'ip saddr . 1.2.3.4 vmap @m'))[0].kind).toBe('raw');
    expect(stmtsOf(rule('ip', 'ip saddr . 1.2.3.4 set 1'))[0].kind).toBe('raw');
  });
  it('the trace reads the constants in the set\'s types', () => {
    const rs = parse(text).ruleset;
    const pkt = (src: string) => `iif "eth0" ip saddr ${src} ip daddr 198.18.0.1 tcp sport 1 tcp dport 80 tcp flags syn`;
    const [hit, miss] = trace(rs, [pkt('198.18.0.2'), pkt('198.18.0.3')], { hostAddrs: ['198.18.0.1'] }).packets;
    expect(hit.events.map((e) => e.verdict)).toEqual(['accept']);
    expect(miss.notes).toContain('add @s1: 198.18.0.1 . 1.2.3.4 . 22');
  });
});

// ------------------------------------------------------------------ untrusted data and forms

function withStmts(family: Family, ...stmts: unknown[]): unknown {
  return {
    schemaVersion: 1,
    tables: [{ id: 't1', family, name: 't', flags: [], chains: [{ id: 'c1', name: 'c', rules: [{ id: 'r1', stmts }] }], sets: [], objects: [], flowtables: [] }],
    defines: [],
  };
}

/** Every string field of the new kinds that the printer writes, with text that would end the rule or the table. */
const HOSTILE = 'x } ; flush ruleset ; table inet z { chain y { #\n';
const STRING_FIELDS: [Family, Record<string, unknown>][] = [
  ['ip', { kind: 'dup', to: { kind: 'value', text: HOSTILE } }],
  ['ip', { kind: 'dup', to: { kind: 'value', text: '1.2.3.4' }, device: { kind: 'value', text: `"${HOSTILE}"` } }],
  ['netdev', { kind: 'fwd', device: { kind: 'value', text: HOSTILE } }],
  ['netdev', { kind: 'fwd', device: { kind: 'value', text: '"lo"' }, family: 'ip', addr: { kind: 'value', text: HOSTILE } }],
  ['netdev', { kind: 'fwd', device: { kind: 'value', text: '"lo"' }, family: HOSTILE, addr: { kind: 'value', text: '1.2.3.4' } }],
  ['inet', { kind: 'tproxy', family: 'ip', addr: { kind: 'value', text: HOSTILE } }],
  ['inet', { kind: 'tproxy', port: { kind: 'value', text: HOSTILE } }],
  ['ip', { kind: 'last', used: HOSTILE }],
  ['inet', { kind: 'flow', flowtable: HOSTILE }],
  ['ip', { kind: 'meter', name: HOSTILE, key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, stmt: { kind: 'counter' } }],
  ['ip', { kind: 'meter', name: 'm', key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, timeout: HOSTILE, stmt: { kind: 'counter' } }],
  ['ip', { kind: 'meter', name: 'm', key: { kind: 'payload', protocol: 'ip', field: HOSTILE }, stmt: { kind: 'counter' } }],
  ['ip', { kind: 'meter', name: 'm', key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, stmt: { kind: 'limit', rate: 1, unit: HOSTILE, per: 'second' } }],
  ['inet', { kind: 'binding', verdict: 'jump', rules: [{ stmts: [{ kind: 'raw', text: HOSTILE }] }] }],
  ['inet', { kind: 'binding', verdict: HOSTILE, rules: [] }],
  ['ip', { kind: 'nat', type: 'snat', prefix: true, family: 'ip', addr: { kind: 'value', text: HOSTILE } }],
];

describe('hostile text in every string the new kinds print', () => {
  it.each(STRING_FIELDS.map(([f, s]) => [JSON.stringify(s).slice(0, 90), f, s] as const))('%s: refused by the model check or by the emitter', (_label, family, stmt) => {
    const v = validateRuleset(withStmts(family, stmt));
    if (!v.ok) return;
    const rs: Ruleset = v.ruleset;
    expect(emitProblems(rs).length).toBeGreaterThan(0);
  });

  it('the clean models of the same kinds are accepted and print', () => {
    const clean: [Family, Record<string, unknown>][] = [
      ['ip', { kind: 'dup', to: { kind: 'value', text: '1.2.3.4' }, device: { kind: 'value', text: '"lo"' } }],
      ['ip', { kind: 'last', used: '5m' }],
      ['inet', { kind: 'flow', flowtable: 'ft' }],
      ['ip', { kind: 'meter', name: 'm', key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, timeout: '30s', stmt: { kind: 'counter' } }],
    ];
    for (const [family, stmt] of clean) {
      const v = validateRuleset(withStmts(family, stmt));
      expect(v.ok).toBe(true);
      if (v.ok) expect(emitProblems(v.ruleset)).toEqual([]);
    }
  });
});

describe('rule builder forms', () => {
  const LINES: [Family, string][] = [
    ['ip', 'dup to 192.168.2.1 device "lo"'],
    ['netdev', 'dup to "lo"'],
    ['netdev', 'fwd ip to 192.168.2.200 device "lo"'],
    ['netdev', 'fwd to meta mark map { 0x00000001 : "lo" }'],
    ['inet', 'meta l4proto tcp tproxy ip6 to [2001:db8::1]:50080'],
    ['ip', 'meta l4proto tcp tproxy to :3128'],
    ['ip', 'ct count over 3'],
    ['ip', 'last used 5m24ms'],
    ['inet', 'flow add @ft'],
    ['ip', 'meter m size 128 { ip saddr timeout 1m limit rate 10/second }'],
    ['inet', 'goto {\n\t\t\ttcp dport 22 accept\n\t\t\tdrop\n\t\t}'],
  ];

  it('every kind without a hand-written editor has a form', () => {
    expect(formKinds().sort()).toEqual(['binding', 'connlimit', 'dup', 'flow', 'fwd', 'last', 'meter', 'tproxy']);
    for (const k of formKinds()) {
      for (const f of statementForm(k)?.fields ?? []) {
        expect(f.label).not.toBe('');
        if (f.kind === 'select') expect(f.options?.length).toBeGreaterThan(0);
      }
    }
  });

  it.each(LINES)('%s: %s reads into the form and writes back the same statement', (family, line) => {
    const all = stmtsOf(rule(family, line));
    const s = all[all.length - 1];
    const form = statementForm(s.kind);
    expect(form).toBeDefined();
    if (!form) return;
    const values = form.read(s);
    expect(typeof values).toBe('object');
    if (typeof values === 'string') return;
    const back = form.write(values, { family });
    expect(Array.isArray(back)).toBe(false);
    expect(print(back as Statement, family, '1.0.6', [...all.slice(0, -1), back as Statement])).toBe(print(s, family, '1.0.6', all));
  });

  it('says which field is wrong, and does not let text escape its field', () => {
    const w = (kind: Statement['kind'], values: Record<string, string>, family: Family = 'ip') => statementForm(kind)?.write(values, { family });
    expect(w('dup', { to: '1.2.3.4 accept', device: '' })).toEqual([expect.objectContaining({ field: 'to' })]);
    expect(w('dup', { to: '1.2.3.4', device: 'eth0"; flush ruleset' })).toEqual([expect.objectContaining({ field: 'device' })]);
    expect(w('fwd', { device: 'lo', family: 'ip', addr: '' }, 'netdev')).toEqual([expect.objectContaining({ field: 'addr' })]);
    expect(w('tproxy', { family: '', addr: '192.0.2.1', port: '' }, 'inet')).toEqual([expect.objectContaining({ field: 'family' })]);
    expect(w('tproxy', { family: '', addr: '', port: '' })).toEqual([expect.objectContaining({ field: 'port', pending: true })]);
    expect(w('connlimit', { over: '', count: '-1' })).toEqual([expect.objectContaining({ field: 'count' })]);
    expect(w('last', { used: 'soon' })).toEqual([expect.objectContaining({ field: 'used' })]);
    expect(w('flow', { flowtable: 'ft } flush ruleset' })).toEqual([expect.objectContaining({ field: 'flowtable' })]);
    expect(w('meter', { name: 'm', key: 'ip saddr } accept', stmt: 'counter', timeout: '', size: '' })).toEqual([expect.objectContaining({ field: 'key' })]);
    expect(w('meter', { name: 'm', key: 'ip saddr', stmt: 'accept', timeout: '', size: '' })).toEqual([expect.objectContaining({ field: 'stmt' })]);
    expect(w('binding', { verdict: 'jump', rules: 'accept; } } flush ruleset' }, 'inet')).toEqual([expect.objectContaining({ field: 'rules' })]);
  });
});
