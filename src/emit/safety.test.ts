/**
 * Each way a model string could have smuggled nft text into the script, shown
 * refused with the node and field it belongs to; and the expression kinds each
 * position takes, checked by the model validator (with the path) and by the
 * emitter (with the field), so that emit and toJson never throw anything but
 * their refusal.
 */
import { describe, expect, it } from 'vitest';
import { EmitRefused, emit, emitProblems, rawTextProblem, type EmitProblem } from './index.ts';
import { commandTextProblem } from './validate.ts';
import { parse } from '../parse/index.ts';
import { fromJson } from '../json/fromJson.ts';
import { toJson } from '../json/toJson.ts';
import { validateRuleset } from '../model/validate.ts';
import { goldenCases } from '../testing/golden.ts';
import type { Expr } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { Ruleset } from '../model/types.ts';

const SMUGGLE = 'lo } priority filter; policy accept; } } ; flush ruleset ; table inet z { chain y { #';

function model(text: string): Ruleset {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  // a copy that shares no objects with the parser's memo of selectors
  return JSON.parse(JSON.stringify(r.ruleset)) as Ruleset;
}

/** The problems emit refuses with; fails if it does not refuse. */
function refusal(rs: Ruleset): EmitProblem[] {
  try {
    emit(rs);
  } catch (e) {
    if (!(e instanceof EmitRefused)) throw e;
    // toJson refuses the same model the same way
    expect(() => toJson(rs)).toThrow(EmitRefused);
    return e.problems;
  }
  throw new Error('emit did not refuse');
}

const NETDEV = `table netdev t {
	flowtable f {
		hook ingress priority filter
		devices = { eth0, eth1 }
	}

	chain multi {
		type filter hook ingress devices = { eth0, eth1 } priority filter; policy accept;
	}

	chain one {
		type filter hook ingress device "eth0" priority filter; policy accept;
	}
}
`;

describe('device names (chains with one or several devices, flowtables)', () => {
  it('loads the clean model', () => {
    expect(emit(model(NETDEV)).text).toBe(NETDEV);
  });

  it('refuses a device of a multi-device chain that would close the chain and flush the ruleset', () => {
    const rs = model(NETDEV);
    const chain = rs.tables[0].chains[0];
    chain.base!.devices = ['eth0', SMUGGLE];
    const problems = refusal(rs);
    expect(problems).toEqual([{ nodeId: chain.id, field: 'devices', message: expect.stringContaining('device name') }]);
  });

  it('refuses it on a single-device chain and on a flowtable too', () => {
    const rs = model(NETDEV);
    const [one] = rs.tables[0].chains.slice(1);
    const ft = rs.tables[0].flowtables[0];
    one.base!.devices = ['eth0"; flush ruleset; "'];
    ft.devices = ['eth0', 'eth1 } flush ruleset'];
    const problems = refusal(rs);
    expect(problems.map((p) => [p.nodeId, p.field])).toEqual([
      [ft.id, 'devices'],
      [one.id, 'devices'],
    ]);
  });

  it('refuses what the kernel refuses (too long, "/", ":", "." and "..")', () => {
    for (const bad of ['eth0123456789abc', 'a/b', 'a:1', '.', '..', '', 'eth*0', 'a b', 'a,b', 'a#b']) {
      const rs = model(NETDEV);
      rs.tables[0].chains[0].base!.devices = ['eth0', bad];
      expect(refusal(rs).map((p) => p.field), bad).toEqual(['devices']);
    }
  });

  it('checks $variables as variable names', () => {
    const rs = model(NETDEV);
    rs.tables[0].chains[0].base!.devices = ['$IFS', '$1bad } flush ruleset'];
    rs.tables[0].flowtables[0].devices = ['$FT'];
    const problems = refusal(rs);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/variable name/);
  });

  it('writes device names nft would misread bare (a number, a keyword) quoted in a list', () => {
    const rs = model(NETDEV);
    rs.tables[0].chains[0].base!.devices = ['eth0', '1x', 'accept', 'br-lan', 'wg*'];
    rs.tables[0].flowtables[0].devices = ['counter', 'eth1'];
    const text = emit(rs).text;
    expect(text).toContain('devices = { eth0, "1x", "accept", br-lan, wg* } priority filter;');
    expect(text).toContain('\t\tdevices = { "counter", eth1 }\n');
    expect(parse(text).ruleset.tables[0].chains[0].base!.devices).toEqual(['eth0', '1x', 'accept', 'br-lan', 'wg*']);
  });
});

const SETS = `table inet t {
	set s {
		typeof ip saddr
		flags interval,timeout
	}

	map m {
		typeof meta mark : ct mark
	}

	flowtable f {
		hook ingress priority filter
		devices = { eth0 }
	}
}
`;

describe('fields written verbatim that only the shape check used to see', () => {
  it('set flags are the four nft knows', () => {
    const rs = model(SETS);
    const s = rs.tables[0].sets[0];
    s.flags = ['constant', 'dynamic', 'interval', 'timeout'];
    expect(emitProblems(rs)).toEqual([]);
    s.flags = ['interval', 'timeout\n}\n}\nflush ruleset\n#'];
    expect(refusal(rs)).toEqual([{ nodeId: s.id, field: 'flags', message: expect.stringContaining('unknown set flag') }]);
    s.flags = ['eval'];
    expect(refusal(rs).map((p) => p.field)).toEqual(['flags']);
  });

  it('the only flowtable flag is offload', () => {
    const rs = model(SETS);
    const f = rs.tables[0].flowtables[0];
    f.flags = ['offload'];
    expect(emit(rs).text).toContain('\t\tflags offload\n');
    f.flags = ['offload; flush ruleset'];
    expect(refusal(rs)).toEqual([{ nodeId: f.id, field: 'flags', message: expect.stringContaining('flowtable flag') }]);
  });

  it('a flowtable priority is checked like a chain priority', () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'std', name: 'filter\n}\nflush ruleset\n#', offset: 0 }, /priority name/],
      [{ kind: 'std', name: 'filter', offset: 0.5 }, /whole number/],
      [{ kind: 'num', value: Number.NaN }, /whole number/],
      [{ kind: 'var', name: 'P }' }, /variable name/],
      [{ kind: 'other' }, /name, a number or a \$variable/],
    ];
    for (const [priority, message] of cases) {
      const rs = model(SETS);
      const f = rs.tables[0].flowtables[0];
      (f as { priority: unknown }).priority = priority;
      expect(refusal(rs), JSON.stringify(priority)).toEqual([{ nodeId: f.id, field: 'priority', message: expect.stringMatching(message) }]);
    }
  });

  it('typeof key and data expressions get the checks of a rule', () => {
    const rs = model(SETS);
    const [s, m] = rs.tables[0].sets;
    s.key = { mode: 'typeof', exprs: [{ kind: 'payload', protocol: 'ip', field: 'saddr\n}\n}\nflush ruleset\n#' }] };
    m.data = { mode: 'typeof', exprs: [{ kind: 'verdict', verdict: 'accept' }] };
    const problems = refusal(rs);
    expect(problems).toEqual([
      { nodeId: s.id, field: 'type', message: expect.stringContaining('not an expression keyword') },
      { nodeId: m.id, field: 'type', message: 'a verdict cannot be a typeof data type (expected a selector like meta mark)' },
    ]);
  });

  it('an empty typeof is refused, not a crash', () => {
    const rs = model(SETS);
    rs.tables[0].sets[1].data = { mode: 'typeof', exprs: [] };
    expect(refusal(rs).map((p) => p.message)).toEqual(['map m has no data type']);
  });

  it('every word the emitter writes from a closed set is checked against it', () => {
    const text = `table inet t {
	counter c {
		packets 0 bytes 0
	}

	chain other {
	}

	chain c {
		type filter hook input priority filter; policy accept;
		ct original ip saddr 10.0.0.1 meta mark & 0x1 == 0x1 rt ip nexthop 10.0.0.1 limit rate 1/second quota 1 mbytes reject with icmpx admin-prohibited
		meta mark set numgen inc mod 2 ct mark set jhash ip saddr mod 2 counter name "c" dnat ip to 10.0.0.1 jump other
		update @s { ip saddr }
	}

	set s {
		type ipv4_addr
		flags dynamic
	}
}
`;
    const rule = (rs: Ruleset, i: number): Statement[] => rs.tables[0].chains[1].rules[i].stmts;
    const edits: [string, (rs: Ruleset) => void, string][] = [
      ['table family', (rs) => ((rs.tables[0] as { family: string }).family = 'inet { }'), 'family'],
      ['chain type', (rs) => ((rs.tables[0].chains[1].base as { type: string }).type = 'filter;'), 'type'],
      ['hook', (rs) => ((rs.tables[0].chains[1].base as { hook: string }).hook = 'input }'), 'hook'],
      ['preamble', (rs) => ((rs as { preamble: string }).preamble = 'flush ruleset'), 'preamble'],
      ['set kind', (rs) => ((rs.tables[0].sets[0] as { kind: string }).kind = 'set s2 { }'), 'kind'],
      ['object type', (rs) => ((rs.tables[0].objects[0] as { type: string }).type = 'counter } flush ruleset'), 'type'],
      ['ct direction', (rs) => ((rule(rs, 0)[0] as { left: { dir: string } }).left.dir = 'original;'), 'stmts'],
      ['bit operator', (rs) => ((rule(rs, 0)[1] as { left: { op: string } }).left.op = '& 1 ;'), 'stmts'],
      ['rt family', (rs) => ((rule(rs, 0)[2] as { left: { family: string } }).left.family = 'ip }'), 'stmts'],
      ['limit unit of time', (rs) => ((rule(rs, 0)[3] as { per: string }).per = 'second ; flush ruleset'), 'stmts'],
      ['quota unit', (rs) => ((rule(rs, 0)[4] as { unit: string }).unit = '__proto__'), 'stmts'],
      ['reject type', (rs) => ((rule(rs, 0)[5] as { with: { type: string } }).with.type = 'icmpx;'), 'stmts'],
      ['numgen mode', (rs) => ((rule(rs, 1)[0] as { value: { mode: string } }).value.mode = 'inc }'), 'stmts'],
      ['hash kind', (rs) => ((rule(rs, 1)[1] as { value: { hash: string } }).value.hash = 'symhash;'), 'stmts'],
      ['object reference type', (rs) => ((rule(rs, 1)[2] as { type: string }).type = 'counter;'), 'stmts'],
      ['nat type', (rs) => ((rule(rs, 1)[3] as { type: string }).type = 'dnat;'), 'stmts'],
      ['nat family', (rs) => ((rule(rs, 1)[3] as { family: string }).family = 'ip;'), 'stmts'],
      ['verdict', (rs) => ((rule(rs, 1)[4] as { verdict: string }).verdict = 'jump;'), 'stmts'],
      ['set update operation', (rs) => ((rule(rs, 2)[0] as { op: string }).op = 'add;'), 'stmts'],
      ['a number holding text', (rs) => ((rule(rs, 0)[3] as { rate: unknown }).rate = '1/second ; flush ruleset ;'), 'stmts'],
      ['a target on a verdict that takes none', (rs) => ((rule(rs, 1)[4] as { verdict: string }).verdict = 'accept'), 'stmts'],
    ];
    expect(emitProblems(model(text))).toEqual([]);
    for (const [what, edit, field] of edits) {
      const rs = model(text);
      edit(rs);
      expect([...new Set(refusal(rs).map((p) => p.field))], what).toEqual([field]);
    }
  });

  it('commands are one nft command each', () => {
    expect(commandTextProblem('delete rule inet t c handle 5')).toBeUndefined();
    expect(commandTextProblem('add chain inet t c { type filter hook input priority 0; }')).toBeUndefined();
    // a command is a command by design (the linter and the share dialog point such ones out)
    expect(commandTextProblem('flush ruleset')).toBeUndefined();
    expect(commandTextProblem('table inet z { }')).toMatch(/does not start with an nft command/);
    expect(commandTextProblem('" ; flush ruleset ; "')).toMatch(/does not start with an nft command/);
    expect(commandTextProblem('delete rule inet t c handle 5 ; flush ruleset')).toMatch(/";" would end/);
  });
});

// ------------------------------------------------------------ expression kinds

const RULE = `table inet t {
	chain c {
		meta mark 0x00000001 accept
	}
}
`;

/** A model whose only rule is `stmt`. */
function withStatement(stmt: unknown): Ruleset {
  const rs = model(RULE);
  rs.tables[0].chains[0].rules[0].stmts = [stmt as Statement];
  return rs;
}

const mark: Expr = { kind: 'meta', key: 'mark' };
const one: Expr = { kind: 'value', text: '1' };

describe('expression kinds per position', () => {
  const cases: { what: string; stmt: unknown; path: string; message: RegExp }[] = [
    {
      what: 'an object reference whose map is not a map',
      stmt: { kind: 'objref', type: 'counter', map: { kind: 'value', text: 'x' } },
      path: 'stmts[0].map',
      message: /a value cannot be the map of an object reference/,
    },
    {
      what: 'a verdict on the left of a match (accept 1)',
      stmt: { kind: 'match', left: { kind: 'verdict', verdict: 'accept' }, op: 'implicit', right: one },
      path: 'stmts[0].left',
      message: /a verdict cannot be the left side of a match/,
    },
    {
      what: 'dnat to accept',
      stmt: { kind: 'nat', type: 'dnat', addr: { kind: 'verdict', verdict: 'accept' } },
      path: 'stmts[0].addr',
      message: /a verdict cannot be a nat address/,
    },
    {
      what: 'meta mark & () == 1',
      stmt: { kind: 'match', left: { kind: 'binop', op: '&', left: mark, right: { kind: 'list', items: [] } }, op: '==', right: one },
      path: 'stmts[0].left.right.items',
      message: /empty list/,
    },
    {
      what: 'fib  type local (no flags)',
      stmt: { kind: 'match', left: { kind: 'fib', flags: [], result: 'type' }, op: 'implicit', right: { kind: 'value', text: 'local' } },
      path: 'stmts[0].left.flags',
      message: /fib needs at least one flag/,
    },
    {
      what: 'an empty concatenation on the left',
      stmt: { kind: 'match', left: { kind: 'concat', items: [] }, op: 'implicit', right: one },
      path: 'stmts[0].left.items',
      message: /empty concatenation/,
    },
    {
      what: 'a vmap whose table is a value',
      stmt: { kind: 'vmap', key: mark, data: one },
      path: 'stmts[0].data',
      message: /a value cannot be the table of a vmap/,
    },
    {
      what: 'a map lookup whose table is a value',
      stmt: { kind: 'mangle', key: mark, value: { kind: 'map', key: mark, data: one } },
      path: 'stmts[0].value.data',
      message: /a value cannot be the table of a map lookup/,
    },
    {
      what: 'a set on the right of a bit operation',
      stmt: { kind: 'match', left: { kind: 'binop', op: '&', left: mark, right: { kind: 'set', elements: [] } }, op: '==', right: one },
      path: 'stmts[0].left.right',
      message: /an anonymous set cannot be the right side of a bit operation/,
    },
    {
      what: 'a verdict as a set element',
      stmt: { kind: 'match', left: mark, op: 'implicit', right: { kind: 'set', elements: [{ key: { kind: 'verdict', verdict: 'drop' } }] } },
      path: 'stmts[0].right.elements[0].key',
      message: /a verdict cannot be a set element/,
    },
    {
      what: 'a selector on the right of a match',
      stmt: { kind: 'match', left: mark, op: '==', right: { kind: 'ct', key: 'mark' } },
      path: 'stmts[0].right',
      message: /a ct selector cannot be the right side of a match/,
    },
    {
      what: 'a value as what a set statement writes to',
      stmt: { kind: 'mangle', key: one, value: one },
      path: 'stmts[0].key',
      message: /a value cannot be what a set statement writes to/,
    },
    {
      what: 'a set inside a range',
      stmt: { kind: 'match', left: mark, op: 'implicit', right: { kind: 'range', from: { kind: 'set', elements: [] }, to: one } },
      path: 'stmts[0].right.from',
      message: /an anonymous set cannot be a bound of a range/,
    },
    {
      what: 'an unknown kind',
      stmt: { kind: 'match', left: { kind: 'evil', text: '} flush ruleset' }, op: 'implicit', right: one },
      path: 'stmts[0].left.kind',
      message: /unknown expression kind/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.what}: validate with its path, emit and toJson with EmitRefused`, () => {
      const rs = withStatement(c.stmt);
      const v = validateRuleset(JSON.parse(JSON.stringify(rs)));
      expect(v.ok).toBe(false);
      if (v.ok) return;
      expect(v.errors).toEqual([expect.stringMatching(new RegExp(`^tables\\[0\\]\\.chains\\[0\\]\\.rules\\[0\\]\\.${c.path.replace(/[.[\]]/g, '\\$&')}: `))]);
      // the shape check and the emitter say the same thing
      const problems = refusal(rs);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ nodeId: rs.tables[0].chains[0].rules[0].id, field: 'stmts' });
      if (!/unknown/.test(c.what)) {
        expect(problems[0].message).toMatch(c.message);
        expect(v.errors[0]).toMatch(c.message);
      }
    });
  }

  it('accepts every golden ruleset (the places admit what nft lists)', () => {
    for (const g of goldenCases()) {
      const rs = JSON.parse(JSON.stringify(parse(g.listing).ruleset)) as unknown;
      const v = validateRuleset(rs);
      expect(v.ok ? [] : v.errors, g.name).toEqual([]);
    }
  });
});

// ------------------------------------------------------------ raw text

describe('raw text', () => {
  it('refuses "#" outside quotes, even inside brackets', () => {
    expect(rawTextProblem('dup to 1.2.3.4 device "eth0" { # } ""')).toMatch(/"#" outside quotes/);
    expect(rawTextProblem('meter m { ip saddr # }')).toMatch(/"#" outside quotes/);
    expect(rawTextProblem('log prefix "a # b"')).toBeUndefined();
  });

  it('matches every bracket with its own kind', () => {
    expect(rawTextProblem('( }')).toBe('unbalanced "}"');
    expect(rawTextProblem('{ )')).toBe('unbalanced ")"');
    expect(rawTextProblem('[ }')).toBe('unbalanced "}"');
    expect(rawTextProblem('{ ( }')).toBe('unbalanced "}"');
    expect(rawTextProblem('{ [ ( ) ] }')).toBeUndefined();
    expect(rawTextProblem('{ a')).toBe('unbalanced "{"');
    expect(rawTextProblem('a }')).toBe('unbalanced "}"');
    expect(rawTextProblem('"}" { "{" }')).toBeUndefined();
  });

  it('keeps ";" inside brackets only, and refuses what nft cannot read outside quotes', () => {
    expect(rawTextProblem('add chain inet t c { type filter hook input priority 0; }')).toBeUndefined();
    expect(rawTextProblem('ct count over 10; flush ruleset')).toMatch(/";" would end the rule/);
    expect(rawTextProblem("a 'b'")).toMatch(/outside quotes is not nft syntax/);
    expect(rawTextProblem('a \\ b')).toMatch(/outside quotes is not nft syntax/);
    expect(rawTextProblem('a é')).toMatch(/outside quotes is not nft syntax/);
    expect(rawTextProblem('log prefix "é\'\\"')).toBeUndefined();
    expect(rawTextProblem('a "b')).toBe('unterminated string');
    expect(rawTextProblem('a\nflush ruleset')).toMatch(/newline/);
  });

  it('refuses such text in raw statements, rule expressions, define values and set statements, naming the field', () => {
    const rs = model(`define X = 1
table inet t {
	set s {
		type ipv4_addr
		counter
	}

	chain c {
		ct count over 10 accept
	}
}
`);
    rs.defines[0].value = '{ 1 # }';
    rs.tables[0].sets[0].stmts = [{ kind: 'last', used: '1s ( }' }];
    rs.tables[0].chains[0].rules[0].stmts = [{ kind: 'raw', text: 'ct count over 10 { # }' }, { kind: 'match', left: { kind: 'rawexpr', text: 'tcp option maxseg size [ )' }, op: 'implicit', right: one }];
    expect(refusal(rs).map((p) => p.field)).toEqual(['value', 'stmts', 'stmts', 'stmts']);
  });
});

describe('JSON statements kept as text check their values first', () => {
  const META = { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } };
  const read = (...expr: unknown[]) =>
    fromJson(
      JSON.stringify({
        nftables: [META, { table: { family: 'inet', name: 't' } }, { chain: { family: 'inet', table: 't', name: 'c' } }, { rule: { family: 'inet', table: 't', chain: 'c', expr } }],
      }),
    );

  it('refuses a dup device that would become a comment and unbalanced braces', () => {
    const r = read({ dup: { addr: '1.2.3.4', dev: 'eth0" { # } "' } });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/dup device .* contains a double quote/);
    expect(r.ruleset.tables[0].chains[0].rules).toEqual([]);
    expect(emit(r.ruleset).text).not.toContain('#');
  });

  it('refuses hostile fwd devices, addresses and @names', () => {
    const cases: [unknown, RegExp][] = [
      [{ fwd: { dev: 'eth1 } flush ruleset' } }, /fwd device/],
      [{ fwd: { dev: 'eth1', family: 'ip', addr: '10.0.0.1\n' } }, /fwd address/],
      [{ tproxy: { family: 'ip', addr: '10.0.0.1', port: '80"' } }, /tproxy port/],
      [{ dup: { addr: { set: ['1.1.1.1'] } } }, /dup address: an anonymous set cannot be/],
      [{ flow: { op: 'add', flowtable: '@ft } flush' } }, /flowtable name/],
      [{ map: { op: 'add', map: '@m', elem: { payload: { protocol: 'ip', field: 'saddr' } }, data: 'x" } flush ruleset #' } }, /is not a single value/],
    ];
    for (const [stmt, message] of cases) {
      const r = read(stmt);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.message), JSON.stringify(stmt)).toEqual([expect.stringMatching(message)]);
      expect(r.ruleset.tables[0].chains[0].rules).toEqual([]);
    }
  });

  it('still reads the plain forms', () => {
    const r = read({ fwd: { dev: 'eth1', family: 'ip', addr: '10.0.0.1' } }, { dup: { addr: '10.0.0.2', dev: 'eth0' } }, { flow: { op: 'add', flowtable: '@ft' } });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(emit(r.ruleset).text).toContain('\t\tfwd ip to 10.0.0.1 device "eth1" dup to 10.0.0.2 device "eth0" flow add @ft\n');
  });
});
