import { describe, expect, it } from 'vitest';
import { emit } from '../emit/index.ts';
import { fromJson } from './fromJson.ts';
import { parse } from '../parse/index.ts';
import { fixture } from './testUtil.ts';

const META = { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } };

/** fromJson of `{"nftables": [metainfo, ...items]}`. */
function read(...items: unknown[]) {
  return fromJson(JSON.stringify({ nftables: [META, ...items] }));
}

/** The script fromJson's model emits; fails if there are errors. */
function script(...items: unknown[]): string {
  const r = read(...items);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return emit(r.ruleset).text;
}

const T = { table: { family: 'inet', name: 't' } };
const C = { chain: { family: 'inet', table: 't', name: 'c' } };
const rule = (...expr: unknown[]) => ({ rule: { family: 'inet', table: 't', chain: 'c', expr } });
const oneRule = (...expr: unknown[]) => script(T, C, rule(...expr)).split('\n')[2].trim();

describe('fromJson: nft 1.1\'s flag combinations', () => {
  it('reads {"|": [...]} (nested for more flags) as the flags it combines, as 1.0.6\'s list', () => {
    const flags = { payload: { protocol: 'tcp', field: 'flags' } };
    const masked = (right: unknown) => oneRule({ match: { op: '==', left: { '&': [flags, { '|': [{ '|': ['fin', 'syn'] }, 'rst'] }] }, right } });
    expect(masked('syn')).toBe('tcp flags syn / fin,syn,rst');
    expect(masked({ '|': ['syn', 'rst'] })).toBe('tcp flags syn,rst / fin,syn,rst');
    expect(oneRule({ match: { op: '==', left: { '&': [flags, ['fin', 'syn', 'rst']] }, right: 'syn' } })).toBe('tcp flags syn / fin,syn,rst');
    // on values it stays a bit operation
    expect(oneRule({ mangle: { key: { ct: { key: 'mark' } }, value: { '|': [{ ct: { key: 'mark' } }, 1] } } })).toBe('ct mark set ct mark | 0x00000001');
    expect(oneRule({ match: { op: '==', left: { '|': [{ meta: { key: 'mark' } }, 16] }, right: 17 } })).toBe('meta mark | 0x00000010 == 0x00000011');
  });
});

describe('fromJson: nft -j list ruleset', () => {
  it('reads nft 1.0.6 listings of the corpus back to the same script', () => {
    for (const name of ['inet-filter', 'nat', 'objects', 'families', 'statements', 'defines', 'preamble-flush', 'preamble-replace']) {
      const r = fromJson(fixture(`${name}.listing.json`));
      expect(r.diagnostics.filter((d) => d.severity !== 'info'), name).toEqual([]);
      expect(emit(r.ruleset).text, name).toBe(fixture(`${name}.listing.nft`));
    }
  });

  it('reads sets and maps back, but for what the JSON does not hold', () => {
    const r = fromJson(fixture('sets-maps.listing.json'));
    expect(r.diagnostics).toEqual([]);
    // JSON counts `expires` in whole seconds; the model has no place for per-element counter values
    const norm = (s: string) => s.replace(/ expires \S+/g, '').replace(/(elements = \{[^}]*) counter packets \d+ bytes \d+/g, '$1');
    expect(norm(emit(r.ruleset).text)).toBe(norm(fixture('sets-maps.listing.nft')));
  });

  it('puts back the dynamic flag that nft 1.0.6 leaves out, on sets that rules update', () => {
    const set = { set: { family: 'inet', name: 's', table: 't', type: 'ipv4_addr', size: 65535 } };
    const out = script(T, set, C, rule({ set: { op: 'add', elem: { payload: { protocol: 'ip', field: 'saddr' } }, set: '@s' } }));
    expect(out).toContain('\t\tflags dynamic\n');
  });

  it('keeps what the anonymous synproxy JSON says, not the text listing’s quirk', () => {
    const r = fromJson(fixture('synproxy-anonymous.listing.json'));
    const listing = fixture('synproxy-anonymous.listing.nft');
    const ours = emit(r.ruleset).text;
    // nft lists `mss 1400` as `mss 1400 wscale 0`, which would load with wscale set
    expect(ours).toBe(listing.replace('synproxy mss 1400 wscale 0', 'synproxy mss 1400').replace('synproxy mss 0 wscale 5', 'synproxy wscale 5'));
  });

  it('reports netdev and inet ingress chains whose device the listing left out', () => {
    const r = fromJson(fixture('devices.listing.json'));
    const missing = r.diagnostics.filter((d) => d.id === 'json/missing-device');
    expect(missing.length).toBe(4);
    expect(missing.every((d) => d.severity === 'error' && d.nodeId?.startsWith('c_'))).toBe(true);
  });

  it('turns prio numbers into the names nft prints', () => {
    const chain = (hook: string, prio: number, family = 'ip') => ({ chain: { family, table: 't', name: `c${prio}${hook}`, type: 'filter', hook, prio, policy: 'accept' } });
    const out = script({ table: { family: 'ip', name: 't' } }, chain('prerouting', -300), chain('input', -155), chain('input', 11), chain('input', 100), chain('postrouting', 100));
    expect(out).toContain('priority raw;');
    expect(out).toContain('priority mangle - 5;');
    expect(out).toContain('priority 11;');
    expect(out).toContain('hook input priority 100;');
    expect(out).toContain('priority srcnat;');
    const r = read({ table: { family: 'ip', name: 't' } }, chain('input', -155));
    expect(r.ruleset.tables[0].chains[0].base?.priority).toEqual({ kind: 'std', name: 'mangle', offset: -5 });
  });

  it('quotes what nft quotes: interface names, strings, dates', () => {
    expect(oneRule({ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'eth0' } })).toBe('iifname "eth0"');
    expect(oneRule({ match: { op: '==', left: { meta: { key: 'iif' } }, right: 'lo' } })).toBe('iif "lo"');
    expect(oneRule({ match: { op: '==', left: { meta: { key: 'day' } }, right: 'Monday' } })).toBe('meta day "Monday"');
    expect(oneRule({ match: { op: '>', left: { meta: { key: 'time' } }, right: '2023-01-01 00:00:00' } })).toBe('meta time > "2023-01-01 00:00:00"');
    expect(oneRule({ match: { op: '==', left: { ct: { key: 'helper' } }, right: 'ftp' } })).toBe('ct helper "ftp"');
    expect(oneRule({ match: { op: '==', left: { fib: { result: 'oif', flags: ['saddr', 'iif'] } }, right: false } })).toBe('fib saddr . iif oif missing');
  });

  it('maps "in" to the operator-less form and "==" to it except for exact flag matches and bit operations', () => {
    expect(oneRule({ match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } })).toBe('ct state established,related');
    expect(oneRule({ match: { op: '==', left: { ct: { key: 'state' } }, right: 'established' } })).toBe('ct state == established');
    expect(oneRule({ match: { op: '==', left: { ct: { key: 'state' } }, right: { set: ['new', 'invalid'] } } })).toBe('ct state { invalid, new }');
    expect(oneRule({ match: { op: '==', left: { '&': [{ payload: { protocol: 'tcp', field: 'flags' } }, ['fin', 'syn']] }, right: ['fin', 'syn'] } })).toBe('tcp flags fin,syn / fin,syn');
    expect(oneRule({ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } })).toBe('tcp dport 22');
  });

  it('reads nft 1.0.6’s concatenated map data ("a . b") and ct keys with a family', () => {
    const map = { map: { family: 'inet', name: 'nm', table: 't', type: 'ipv4_addr', map: 'ipv4_addr . inet_service', elem: [['1.1.1.1', { concat: ['2.2.2.2', 80] }]] } };
    expect(script(T, map)).toContain('\tmap nm {\n\t\ttype ipv4_addr : ipv4_addr . inet_service\n\t\telements = { 1.1.1.1 : 2.2.2.2 . 80 }\n\t}');
    expect(oneRule({ match: { op: '==', left: { ct: { key: 'saddr', family: 'ip6', dir: 'reply' } }, right: '::1' } })).toBe('ct reply ip6 saddr ::1');
  });

  it('keeps what the model does not structure as nft text', () => {
    const r = read(T, C, rule({ map: { op: 'add', map: '@m', elem: { payload: { protocol: 'ip', field: 'saddr' } }, data: 1 } }), rule({ match: { op: '==', left: { 'tcp option': { name: 'maxseg', field: 'size' } }, right: 1400 } }));
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const out = emit(r.ruleset).text;
    // structured now: map updates (stmts/setupdate.ts)
    expect(out).toContain('\t\tadd @m { ip saddr : 1 }\n');
    // structured now: the ct count statement
    expect(oneRule({ 'ct count': { val: 10, inv: true } })).toBe('ct count over 10');
    expect(out).toContain('\t\ttcp option maxseg size 1400\n');
    expect(oneRule({ tproxy: { family: 'ip', addr: '10.0.0.1', port: 3128 } })).toBe('tproxy ip to 10.0.0.1:3128');
    expect(oneRule({ dup: { addr: '10.0.0.2', dev: 'eth0' } })).toBe('dup to 10.0.0.2 device "eth0"');
    expect(oneRule({ fwd: { dev: 'eth1' } })).toBe('fwd to "eth1"');
    expect(oneRule({ flow: { op: 'add', flowtable: '@ft' } })).toBe('flow add @ft');
    expect(oneRule({ log: { flags: ['skuid', 'ether'] } })).toBe('log flags skuid flags ether');
    expect(oneRule({ match: { op: '==', left: { payload: { base: 'nh', offset: 8, len: 8 } }, right: 1 } })).toBe('@nh,8,8 0x1');
  });
});

describe('fromJson: command documents', () => {
  it('reads add, create, insert, replace, and bare objects', () => {
    const add = (o: unknown) => ({ add: o });
    const r = read(
      add(T),
      { create: C },
      add(rule({ accept: null })),
      { rule: { family: 'inet', table: 't', chain: 'c', handle: 7, expr: [{ drop: null }] } },
      { insert: rule({ counter: null }) },
      { insert: { rule: { family: 'inet', table: 't', chain: 'c', handle: 7, expr: [{ return: null }] } } },
      { replace: { rule: { family: 'inet', table: 't', chain: 'c', handle: 7, expr: [{ continue: null }] } } },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.ruleset.tables[0].chains[0].rules.map((x) => x.stmts[0].kind === 'verdict' ? x.stmts[0].verdict : x.stmts[0].kind)).toEqual(['counter', 'accept', 'return', 'continue']);
  });

  it('recognises the flush and replace-this-table preambles', () => {
    expect(read({ flush: { ruleset: null } }, T).ruleset.preamble).toBe('flush');
    const r = read({ add: T }, { delete: T }, T, C);
    expect(r.ruleset.preamble).toBe('replace');
    expect(r.ruleset.tables.length).toBe(1);
    expect(r.ruleset.commands).toEqual([]);
  });

  it('keeps other commands as command text, and leaves list out', () => {
    const r = read(T, C, { delete: { rule: { family: 'inet', table: 't', chain: 'c', handle: 4 } } }, { rename: { chain: { family: 'inet', table: 't', name: 'c', newname: 'd' } } }, { list: { ruleset: null } });
    expect(r.ruleset.commands.map((c) => c.text)).toEqual(['delete rule inet t c handle 4', 'rename chain inet t c d']);
    expect(r.diagnostics.filter((d) => d.id === 'json/ignored').length).toBe(1);
  });

  it('reads objects, flowtables, elements added later and secmark references', () => {
    const out = script(
      T,
      { counter: { family: 'inet', name: 'c1', table: 't', comment: 'hits', packets: 1, bytes: 2 } },
      { quota: { family: 'inet', name: 'q', table: 't', bytes: 20971520, used: 1048576, inv: true } },
      { limit: { family: 'inet', name: 'l', table: 't', rate: 1, per: 'second', inv: true, rate_unit: 'mbytes', burst: 512, burst_unit: 'kbytes' } },
      { 'ct helper': { family: 'inet', name: 'h', table: 't', type: 'ftp', protocol: 'tcp', l3proto: 'ip' } },
      { 'ct timeout': { family: 'inet', name: 'to', table: 't', protocol: 'tcp', l3proto: 'ip', policy: { established: 120 } } },
      { 'ct expectation': { family: 'inet', name: 'e', table: 't', protocol: 'udp', dport: 9876, timeout: 120000, size: 8, l3proto: 'ip' } },
      { secmark: { family: 'inet', name: 'sm', table: 't', context: 'system_u:object_r:ssh_server_packet_t:s0' } },
      { synproxy: { family: 'inet', name: 'sp', table: 't', mss: 1460, wscale: 7, flags: ['timestamp', 'sack-perm'] } },
      { flowtable: { family: 'inet', name: 'ft', table: 't', hook: 'ingress', prio: 0, dev: ['eth0', 'eth1'] } },
      { set: { family: 'inet', name: 's', table: 't', type: 'ipv4_addr' } },
      { element: { family: 'inet', table: 't', name: 's', elem: ['10.0.0.1', { elem: { val: '10.0.0.2', comment: 'x' } }] } },
      C,
      rule({ secmark: 'sm' }),
    );
    for (const line of [
      '\tcounter c1 {\n\t\tcomment "hits"\n\t\tpackets 1 bytes 2\n\t}',
      '\tquota q {\n\t\tover 20 mbytes used 1 mbytes\n\t}',
      '\tlimit l {\n\t\trate over 1 mbytes/second burst 512 kbytes\n\t}',
      '\tct helper h {\n\t\ttype "ftp" protocol tcp\n\t\tl3proto ip\n\t}',
      '\tct expectation e {\n\t\tprotocol udp\n\t\tdport 9876\n\t\ttimeout 2m\n\t\tsize 8\n\t\tl3proto ip\n\t}',
      '\tsecmark sm {\n\t\t"system_u:object_r:ssh_server_packet_t:s0"\n\t}',
      '\tsynproxy sp {\n\t\tmss 1460\n\t\twscale 7\n\t\ttimestamp sack-perm\n\t}',
      'elements = { 10.0.0.1, 10.0.0.2 comment "x" }',
      'meta secmark set "sm"',
    ]) {
      expect(out).toContain(line);
    }
  });
});

describe('fromJson: untrusted input', () => {
  it('reports invalid JSON with line and column', () => {
    const r = fromJson('{"nftables": [\n  {"table": {"family": "ip",, "name": "t"}}\n]}');
    expect(r.diagnostics).toEqual([
      { id: 'json/syntax', severity: 'error', message: expect.stringContaining('invalid JSON'), range: { startLine: 2, startCol: 29, endLine: 2, endCol: 30 } },
    ]);
    expect(fromJson('').diagnostics[0].range).toMatchObject({ startLine: 1, startCol: 1 });
    expect(fromJson('{"a": "x\ny"}').diagnostics[0].range).toMatchObject({ startLine: 1, startCol: 7 });
  });

  it('reports wrong shapes instead of reading them', () => {
    expect(fromJson('[]').diagnostics[0]).toMatchObject({ id: 'json/shape', severity: 'error' });
    expect(read(42).diagnostics[0]).toMatchObject({ id: 'json/shape', message: 'nftables[1]: expected an object, found 42' });
    expect(read({ table: { family: 'ipx', name: 't' } }).diagnostics[0]).toMatchObject({ id: 'json/shape' });
    expect(read({ bogus: {} }).diagnostics[0]).toMatchObject({ id: 'json/unknown' });
    expect(read(C).diagnostics[0]).toMatchObject({ id: 'json/unknown', message: expect.stringContaining('table inet t is not declared') });
    expect(read(T, { chain: { family: 'inet', table: 't', name: 'c', type: 'filter', hook: 'input', prio: 'filter' } }).diagnostics[0]).toMatchObject({ id: 'json/chain' });
  });

  it('names the rule whose statement it cannot read, and leaves that rule out', () => {
    const r = read(T, C, rule({ accept: null }), rule({ xt: { type: 'match', name: 'conntrack' } }));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBe(1);
    expect(errors[0].message).toBe('nftables[4]: a rule of chain inet t c, statement 0: unsupported statement "xt"; the rule is left out');
    expect(r.ruleset.tables[0].chains[0].rules.length).toBe(1);
  });

  it('refuses names and strings nft’s text could not hold (JSON can carry them)', () => {
    const r = read({ table: { family: 'ip', name: 'my table' } }, { table: { family: 'ip', name: 'ok' } }, { chain: { family: 'ip', table: 'ok', name: 'c' } }, { rule: { family: 'ip', table: 'ok', chain: 'c', comment: 'say "hi"', expr: [{ accept: null }] } });
    expect(r.diagnostics.filter((d) => d.id === 'json/unsafe').length).toBe(2);
    const q = read(T, C, rule({ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'a" accept; flush ruleset; "' } }));
    expect(q.diagnostics.some((d) => d.id === 'json/unsafe')).toBe(true);
  });

  it('warns that a typeof map\'s data type is only its basetype in nft\'s JSON', () => {
    const r = read({ table: { family: 'inet', name: 't' } }, { map: { family: 'inet', name: 'cz', table: 't', type: { typeof: { meta: { key: 'iifname' } } }, map: 'integer', elem: [['eth0', 1]] } });
    expect(r.diagnostics.map((d) => d.id)).toContain('json/typeof-data-lost');
  });
  it('warns about a newer schema and about the table flags nft 1.0.6 garbles', () => {
    expect(fromJson('{"nftables": [{"metainfo": {"json_schema_version": 2}}]}').diagnostics[0]).toMatchObject({ id: 'json/schema', severity: 'warning' });
    const r = read({ table: { family: 'ip', name: 't', flags: 't' } });
    expect(r.diagnostics[0]).toMatchObject({ id: 'json/table-flags', severity: 'warning' });
    expect(r.ruleset.tables[0].flags).toEqual([]);
  });

  it('bounds the nesting it follows', () => {
    const n = 100000;
    const deep = `${'{"concat": ['.repeat(n)}"10.0.0.1"${']}'.repeat(n)}`;
    const text = `{"nftables": [{"table": {"family": "ip", "name": "t"}}, {"chain": {"family": "ip", "table": "t", "name": "c"}}, {"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": ${deep}}}]}}]}`;
    const r = fromJson(text);
    expect(r.diagnostics.some((d) => d.message.includes('nested too deeply'))).toBe(true);
    // deep garbage where an item should be is described briefly, not walked
    const garbage = fromJson(`{"nftables": [${'['.repeat(n)}${']'.repeat(n)}]}`);
    expect(garbage.diagnostics).toEqual([{ id: 'json/shape', severity: 'error', message: expect.stringMatching(/^nftables\[0\]: expected an object, found \[\[\[/) }]);
    // and a syntax error deep inside is still located
    expect(fromJson(text.replace('"10.0.0.1"', '"10.0.0.1",]')).diagnostics[0]).toMatchObject({ id: 'json/syntax', range: { startLine: 1 } });
  });

  it('refuses a set statement inside a set statement (nft attaches only stateful ones), at any depth', () => {
    const n = 20000;
    const open = '{"set": {"op": "add", "elem": {"payload": {"protocol": "ip", "field": "saddr"}}, "set": "@s", "stmt": ['.repeat(n);
    const stmt = `${open}{"counter": null}${']}}'.repeat(n)}`;
    const text = `{"nftables": [{"table": {"family": "ip", "name": "t"}}, {"set": {"family": "ip", "table": "t", "name": "s", "type": "ipv4_addr", "flags": ["dynamic"]}}, {"chain": {"family": "ip", "table": "t", "name": "c"}}, {"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [${stmt}]}}]}`;
    const r = fromJson(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      'nftables[3]: a rule of chain ip t c, statement 0: a set statement cannot hold another set statement (nft attaches only stateful statements to elements); the rule is left out',
    ]);
    // one level, with a counter, is read
    const one = fromJson(text.replace(open, open.slice(0, open.length / n)).replace(']}}'.repeat(n), ']}}'));
    expect(one.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(one.ruleset.tables[0].chains[0].rules[0].stmts[0]).toMatchObject({ kind: 'setupdate', set: 's', stmts: [{ kind: 'counter' }] });
  });
});

describe('fromJson: device names', () => {
  const INJECTION = 'lo } priority filter; policy accept; } } ; flush ruleset ; table inet z { chain y { #';
  const NT = { table: { family: 'netdev', name: 't' } };
  const base = (dev: unknown) => ({ chain: { family: 'netdev', table: 't', name: 'c', type: 'filter', hook: 'ingress', prio: 0, policy: 'accept', dev } });

  it('refuses a chain dev, string or list, that would become nft syntax, naming the item and chain', () => {
    for (const dev of [INJECTION, ['eth0', INJECTION], 'eth0/1', '', 'abcdefghijklmnop', '$IF']) {
      const r = read(NT, base(dev), { rule: { family: 'netdev', table: 't', chain: 'c', expr: [{ drop: null }] } });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.id), JSON.stringify(dev)).toEqual(['json/device-name']);
      expect(errors[0].message).toMatch(/^nftables\[2\]: chain c: the device name /);
      const c = r.ruleset.tables[0].chains[0];
      expect(errors[0].nodeId).toBe(c.id);
      // no base spec with the bad name (nor one half applied without it); the rest is read
      expect(c.base).toBeUndefined();
      expect(c.rules).toHaveLength(1);
      expect(JSON.stringify(r.ruleset)).not.toContain('flush ruleset');
    }
  });

  it('refuses a bad flowtable dev and leaves the flowtable out', () => {
    const r = read(T, { flowtable: { family: 'inet', table: 't', name: 'f', hook: 'ingress', prio: 0, dev: ['eth0', 'eth1 } }'] } });
    expect(r.diagnostics).toEqual([
      { id: 'json/unsupported', severity: 'error', message: expect.stringMatching(/^nftables\[2\]: flowtable f: the device name "eth1 } }" contains a space/) },
    ]);
    expect(r.ruleset.tables[0].flowtables).toEqual([]);
  });

  it('keeps good device names', () => {
    const r = read(NT, base(['eth0', 'br-lan.10', 'wg*']), T, { flowtable: { family: 'inet', table: 't', name: 'f', hook: 'ingress', prio: 0, dev: 'veth_1' } });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ruleset.tables[0].chains[0].base?.devices).toEqual(['eth0', 'br-lan.10', 'wg*']);
    expect(r.ruleset.tables[1].flowtables[0].devices).toEqual(['veth_1']);
  });
});

describe('fromJson: the replace-this-table preamble on only some tables', () => {
  const A = { table: { family: 'ip', name: 'a' } };
  const B = { table: { family: 'ip', name: 'b' } };
  const chain = (table: string) => ({ chain: { family: 'ip', table, name: 'c' } });
  const PARTIAL = [{ add: B }, { delete: B }, A, chain('a'), B, chain('b')];

  it('keeps the delete of table b as commands instead of dropping it, and warns', () => {
    const r = read(...PARTIAL);
    expect(r.ruleset.preamble).toBe('none');
    expect(r.ruleset.tables.map((t) => t.name)).toEqual(['a', 'b']);
    expect(r.ruleset.commands.map((c) => [c.at, c.text])).toEqual([
      ['start', 'add table ip b'],
      ['start', 'delete table ip b'],
    ]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ id: 'json/partial-replace', severity: 'warning', message: expect.stringContaining('(table ip b)') })]);
  });

  it('emits a script that deletes table b and never table a, as the text reader does', () => {
    const r = read(...PARTIAL);
    const script = emit(r.ruleset).text;
    expect(script.match(/^delete table .*$/gm)).toEqual(['delete table ip b']);
    expect(script.indexOf('delete table ip b')).toBeLessThan(script.indexOf('table ip a {'));
    const text = parse('table ip b\ndelete table ip b\ntable ip a {\n\tchain c {\n\t}\n}\ntable ip b {\n\tchain c {\n\t}\n}\n');
    expect(emit(text.ruleset).text).toBe(script);
  });

  it('keeps a delete whose table is not added again', () => {
    const r = read({ add: B }, { delete: B }, A);
    expect(r.ruleset.tables.map((t) => t.name)).toEqual(['a']);
    expect(r.ruleset.commands.map((c) => c.text)).toEqual(['add table ip b', 'delete table ip b']);
  });

  it('uses the replace preamble when every table has it, and the flush preamble with flush ruleset', () => {
    const all = read({ add: A }, { delete: A }, ...PARTIAL);
    expect(all.ruleset.preamble).toBe('replace');
    expect(all.ruleset.commands).toEqual([]);
    expect(all.diagnostics).toEqual([]);
    for (const flushed of [read({ flush: { ruleset: null } }, ...PARTIAL), read({ add: B }, { delete: B }, { flush: { ruleset: null } }, A, B)]) {
      expect(flushed.ruleset.preamble).toBe('flush');
      expect(flushed.ruleset.commands).toEqual([]);
      expect(flushed.diagnostics).toEqual([]);
    }
  });
});
