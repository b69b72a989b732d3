/**
 * The emitter's promise, tested on every string (and number) the model holds:
 * whatever is put into one field of a ruleset — `}`, `;`, a newline, `#`, a
 * quote, `flush ruleset` — either emit refuses (EmitRefused, naming the node)
 * or the script it writes, read back by the project's own parser, has exactly
 * the tables, chains, rules, sets, flowtables, objects, defines and commands of
 * the model: nothing was smuggled in. The same holds for expressions of the
 * wrong kind in every expression position: validate, emit and toJson refuse
 * them or write them, and never throw anything else.
 *
 * The models are the golden corpus, the templates, the JSON fixtures and a
 * ruleset below that uses every kind of node and field; each distinct field
 * (its path with indexes and kinds, e.g.
 * `tables.chains.rules.stmts(match).left(payload).field`) is tested once.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmitRefused, emit, emitProblems } from './index.ts';
import { parse } from '../parse/index.ts';
import { fromJson } from '../json/fromJson.ts';
import { toJson } from '../json/toJson.ts';
import { FIXTURES } from '../json/testUtil.ts';
import { goldenCases } from '../testing/golden.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { validateRuleset } from '../model/validate.ts';
import type { Ruleset } from '../model/types.ts';

/** Uses every kind of node and field the model has (parsed, then a few fields only JSON or forms set), `#` comments in every place too. */
const SINK = `#!/usr/sbin/nft -f
# the sink

define IFS = { "eth0", "eth1" }
define PRIO = 10 # a priority
# more rules elsewhere
include "/etc/nftables.d/extra.nft"

table inet sink { # all of it
	# the table's own lines
	flags dormant
	comment "everything"

	secmark sm1 {
		"system_u:object_r:ssh_server_packet_t:s0"
	}

	# a named counter
	counter c1 { # c1
		packets 0 bytes 0
		# before its end
	} # after c1

	quota q1 {
		over 20 mbytes used 1 mbytes
	}

	limit l1 {
		rate over 1 mbytes/second burst 512 kbytes
	}

	ct helper h1 {
		type "ftp" protocol tcp
		l3proto ip
	}

	ct timeout to1 {
		protocol tcp
		l3proto ip
		policy = { established : 120, close : 20 }
	}

	ct expectation e1 {
		protocol udp
		dport 9876
		timeout 2m
		size 8
		l3proto ip
	}

	synproxy sp1 {
		mss 1460
		wscale 7
		timestamp sack-perm
	}

	set dyn {
		typeof ip saddr . tcp dport
		size 1024
		flags dynamic,timeout
		counter
		timeout 1h
		gc-interval 10s
		comment "dyn"
	}

	map marks {
		typeof meta mark : ct mark
		elements = { 0x00000001 : 0x00000002 }
	}

	map verdicts {
		type ipv4_addr : verdict
		elements = { 1.2.3.4 : accept, 2.2.2.2 : jump other }
	}

	set ts {
		type ipv4_addr
		flags interval,timeout
		# the elements
		elements = { 10.0.0.1 timeout 30s expires 20s comment "one", # one
			     10.1.0.0/16 }
	}

	flowtable ft {
		hook ingress priority filter + 5
		devices = { eth0, eth1 }
		counter
	}

	chain other { # jumped to
		# its head
		comment "target"
		# its end
	} # other

	chain in {
		type filter hook input priority $PRIO; policy accept;

		# the first rule
		ct original ip saddr 10.0.0.1 accept comment "ct dir"
		fib saddr . iif oif missing drop # fib
		rt ip nexthop 10.0.0.1 accept
		socket transparent 1 accept
		meta mark set numgen inc mod 2 offset 5
		ct mark set jhash ip saddr . tcp dport mod 4 seed 0xabc offset 1
		meta mark set symhash mod 2
		meta mark & 0x0000ff00 == 0x00000100 accept
		tcp flags & (fin | syn) == syn accept
		ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.2 . 80-88 } accept
		tcp dport != 1-1023 ip saddr 10.0.0.0/8 ct state established,related accept
		queue flags bypass,fanout to 1-3
		reject with icmpx admin-prohibited
		counter name ip saddr map { 10.0.0.1 : "c1" }
		counter name "c1"
		update @dyn { ip saddr . tcp dport timeout 30s limit rate over 10/second }
		tcp dport vmap { 22 : jump other, 80 : accept }
		ip saddr vmap @verdicts
		iifname "eth*" ip saddr { 10.0.0.0/8, 192.168.0.1-192.168.0.9 } accept
		iifname $IFS accept
		ip daddr != @ts log prefix "x: " level info group 2 snaplen 100 queue-threshold 3
		log flags all
		tcp option maxseg size 1400 accept
		ip dscp set cs1
		ct helper set "h1"
		limit rate over 1 mbytes/second burst 512 kbytes drop
		quota over 20 mbytes used 1 mbytes drop
		synproxy mss 1460 wscale 7 timestamp sack-perm
		flow add @ft
		meter m size 128 { ip saddr limit rate 10/second }
		last used never
		ct count over 3
		tcp dport 22 jump {
			ip saddr 10.0.0.0/8 accept comment "in a binding"
			drop
		}
		meta secmark set "sm1"
		counter packets 1 bytes 2
		notrack
		goto other
	}

	chain nat {
		type nat hook prerouting priority dstnat; policy accept;
		dnat ip to ip saddr map { 10.0.0.1 : 192.168.0.1 } random,persistent
		tcp dport 80 redirect to :8080
		meta l4proto tcp dnat ip to 10.0.0.2:80-90
	}

	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		masquerade to :1024-2048 fully-random
		snat ip6 to [2001:db8::1]:80
	}
	# the end of sink
}

table netdev edge {
	flowtable fo {
		hook ingress priority 10
		devices = { eth2 }
		flags offload
	}

	chain ingress {
		type filter hook ingress devices = { eth0, eth1 } priority filter; policy drop;
		ether saddr 00:11:22:33:44:55 drop
	}

	chain single {
		type filter hook ingress device "lo" priority -5; policy accept; flags offload;
	}
}

# a command
delete rule inet sink in handle 99 # by handle
# the end
`;

function sinkModel(): Ruleset {
  const r = parse(SINK);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const rs = r.ruleset;
  const t = rs.tables[0];
  const input = t.chains.find((c) => c.name === 'in');
  if (!input) throw new Error('no chain in');
  // what only JSON or the forms make: an expression kept as text, a rule of two verdict-less raws
  input.rules.push({ id: 'r_sink_rawexpr', stmts: [{ kind: 'match', left: { kind: 'rawexpr', text: 'tcp option maxseg size' }, op: '==', right: { kind: 'value', text: '1400' } }] });
  input.rules.push({ id: 'r_sink_raw', stmts: [{ kind: 'raw', text: 'ct count over 10' }, { kind: 'verdict', verdict: 'drop' }] });
  t.sets.push({ id: 's_sink_stmts', kind: 'set', name: 'withstmts', key: { mode: 'type', types: ['ipv4_addr'] }, flags: ['timeout'], stmts: [{ kind: 'counter' }, { kind: 'last', used: '1s' }], elements: [{ key: { kind: 'value', text: '10.0.0.1' }, stmts: [{ kind: 'counter', packets: 1, bytes: 2 }, { kind: 'last', used: '2s' }], comment: 'c' }] });
  return rs;
}

/** Every model the test starts from, with a label. */
function corpus(): { label: string; rs: Ruleset }[] {
  const out: { label: string; rs: Ruleset }[] = [{ label: 'sink', rs: sinkModel() }];
  for (const g of goldenCases()) out.push({ label: `golden ${g.name}`, rs: parse(g.listing).ruleset });
  for (const t of TEMPLATES) out.push({ label: `template ${t.id}`, rs: parse(t.text).ruleset });
  for (const f of readdirSync(FIXTURES).sort()) {
    if (f.endsWith('.listing.json')) out.push({ label: `json ${f}`, rs: fromJson(readFileSync(join(FIXTURES, f), 'utf8')).ruleset });
  }
  return out;
}

/** What must not change: the commands a script runs and the objects it makes. */
function shape(rs: Ruleset): unknown {
  return {
    preamble: rs.preamble,
    defines: rs.defines.map((d) => d.name),
    includes: rs.includes.length,
    commands: rs.commands.length,
    tables: rs.tables.map((t) => ({
      table: `${t.family} ${t.name}`,
      chains: t.chains.map((c) => `${c.name}${c.base ? ` (${c.base.type} ${c.base.hook})` : ''}: ${c.rules.length} rules`),
      sets: t.sets.map((s) => `${s.kind} ${s.name}`),
      flowtables: t.flowtables.map((f) => f.name),
      objects: t.objects.map((o) => `${o.type} ${o.name}`),
    })),
  };
}

type Path = (string | number)[];

interface Leaf {
  path: Path;
  value: string | number;
  /** the path with indexes dropped and the kind of each expression or statement, e.g. `tables.chains.rules.stmts(match).left(payload).field` */
  signature: string;
  /** the id of the nearest node above the field: the node a refusal must name */
  owner: string;
}

/** Every string and number in the model, except ids (which are never written). */
function leaves(root: unknown): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, path: Path, sig: string, owner: string): void => {
    if (typeof v === 'string' || typeof v === 'number') {
      out.push({ path, value: v, signature: sig, owner });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i], sig, owner));
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    const own = typeof o.id === 'string' ? o.id : owner;
    const tag = typeof o.kind === 'string' ? `(${o.kind})` : typeof o.type === 'string' && typeof o.id === 'string' ? `(${o.type})` : '';
    for (const [k, x] of Object.entries(o)) {
      if (k === 'id') continue;
      walk(x, [...path, k], `${sig}${tag}.${k}`, own);
    }
  };
  walk(root, [], '', '');
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) o = o[path[i]] as Record<string | number, unknown>;
  o[path[path.length - 1]] = value;
}

/** A deep copy that shares nothing (the parser shares selector objects between rules). */
function copy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

const HOSTILE = [
  '}',
  ';',
  '\n',
  '\r',
  '#',
  '"',
  'flush ruleset',
  ' ; flush ruleset',
  '\nflush ruleset\n',
  '" ; flush ruleset ; "',
  '} } ; flush ruleset ; table inet z { chain y { #',
  'lo } priority filter; policy accept; } } ; flush ruleset ; table inet z { chain y { #',
  '"\n}\n}\nflush ruleset\n#',
  '{ # } ',
  '( }',
];

/**
 * A top-level command is nft text by design: words alone there (`flush
 * ruleset`) are another command in its place, not one smuggled in — the linter
 * warns about such commands and a shared design shows them before it opens.
 * Anything with punctuation in a command is still checked.
 */
function isWholeCommand(leaf: Leaf, value: unknown): boolean {
  return leaf.signature === '.commands.text' && typeof value === 'string' && /^[A-Za-z0-9 ]*$/.test(value);
}

/** What `fn` throws, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e ?? new Error('threw nothing');
  }
  return undefined;
}

/** Refused by emit (naming `owner`), or written and read back with the model's shape; toJson and validate do not throw. */
function check(rs: Ruleset, owner: string, label: string): 'refused' | 'written' {
  // validate (the path of untrusted data) answers, whatever the data
  validateRuleset(rs);
  let text = '';
  // nft 1.1 lists a meter as the set it is and an update of it (stmts/meter.ts), which read back as those:
  // a ruleset with a meter is read back from 1.0.6's listing, where it stays a meter
  const holdsMeter = rs.tables.some((t) => t.chains.some((c) => c.rules.some((r) => r.stmts.some((s) => s.kind === 'meter'))));
  const e = thrown(() => {
    text = emit(rs, holdsMeter ? { target: '1.0.6' } : {}).text;
  });
  const j = thrown(() => toJson(rs));
  if (e !== undefined) {
    expect(e, `${label}: emit threw ${String(e)}`).toBeInstanceOf(EmitRefused);
    const problems = (e as EmitRefused).problems;
    expect(problems.length, label).toBeGreaterThan(0);
    if (owner) expect(problems.map((p) => p.nodeId), label).toContain(owner);
    for (const p of problems) expect(p.field, label).not.toBe('');
    // toJson refuses what emit refuses — but for # comments, which the JSON leaves out
    if (problems.every((p) => p.field.startsWith('hashComments.'))) {
      expect(j, `${label}: toJson threw ${String(j)}`).toBeUndefined();
      expect(emitProblems(rs), label).toEqual([]);
    } else expect(j, `${label}: toJson`).toBeInstanceOf(EmitRefused);
    return 'refused';
  }
  expect(j, `${label}: toJson threw ${String(j)}`).toBeUndefined();
  expect(emitProblems(rs), label).toEqual([]);
  const back = parse(text);
  expect(shape(back.ruleset), `${label}\n${text}`).toEqual(shape(rs));
  return 'written';
}

const models = corpus();

/** One leaf per distinct field signature, across all models. */
function distinctLeaves(): { label: string; rs: Ruleset; leaf: Leaf }[] {
  const seen = new Set<string>();
  const out: { label: string; rs: Ruleset; leaf: Leaf }[] = [];
  for (const { label, rs } of models) {
    for (const leaf of leaves(rs)) {
      if (seen.has(leaf.signature)) continue;
      seen.add(leaf.signature);
      out.push({ label, rs, leaf });
    }
  }
  return out;
}

describe('hostile strings in every field', () => {
  const cases = distinctLeaves();

  it('the corpus itself emits and reads back with the same shape', () => {
    for (const { label, rs } of models) expect(check(rs, '', label), label).toBe('written');
  });

  it('covers the fields that carry text into the script', () => {
    const sigs = new Set(cases.map((c) => c.leaf.signature));
    for (const s of [
      '.tables.chains.base.devices',
      '.tables.flowtables.devices',
      '.tables.flowtables.flags',
      '.tables.flowtables.priority(std).name',
      '.tables.flowtables.priority(num).value',
      '.tables.chains.base.priority(var).name',
      '.tables.sets(set).flags',
      '.tables.sets(set).key.exprs(payload).field',
      '.tables.sets(map).data.exprs(ct).key',
      '.tables.sets(set).elements.expires',
      '.tables.chains.rules.stmts(objref).map(map).key(payload).protocol',
      '.tables.chains.rules.stmts(raw).text',
      '.tables.chains.rules.stmts(match).left(binop).right(list).items(value).text',
      '.tables.chains.rules.stmts(match).left(fib).flags',
      '.tables.objects(ct expectation).timeout',
      '.defines.value',
      '.commands.text',
      '.preamble',
      '.hashComments.head',
      '.hashComments.end',
      '.defines.hashComments.inline',
      '.includes.hashComments.above',
      '.commands.hashComments.above',
      '.commands.hashComments.inline',
      '.tables.hashComments.inline',
      '.tables.hashComments.head',
      '.tables.hashComments.end',
      '.tables.objects(counter).hashComments.above',
      '.tables.objects(counter).hashComments.inline',
      '.tables.objects(counter).hashComments.end',
      '.tables.objects(counter).hashComments.close',
      '.tables.sets(set).hashComments.elements',
      '.tables.chains.hashComments.inline',
      '.tables.chains.hashComments.head',
      '.tables.chains.hashComments.end',
      '.tables.chains.hashComments.close',
      '.tables.chains.rules.hashComments.above',
      '.tables.chains.rules.hashComments.inline',
    ]) {
      expect(sigs.has(s), `${s} is not reached`).toBe(true);
    }
  });

  it('every string and number field: the hostile text is refused or stays inert', { timeout: 120_000 }, () => {
    let refused = 0;
    let written = 0;
    for (const { label, rs, leaf } of cases) {
      const payloads: unknown[] = typeof leaf.value === 'string' ? HOSTILE.flatMap((h) => [h, `${leaf.value}${h}`, `${h}${leaf.value}`]) : HOSTILE;
      for (const h of payloads) {
        if (isWholeCommand(leaf, h)) continue;
        const m = copy(rs);
        setAt(m, leaf.path, h);
        const r = check(m, leaf.owner, `${label}: ${leaf.signature} = ${JSON.stringify(h)}`);
        if (r === 'refused') refused++;
        else written++;
      }
    }
    // most hostile values are refused; those written are inside quotes (comments, prefixes) and inert
    expect(refused).toBeGreaterThan(written);
    expect(cases.length).toBeGreaterThan(150);
  });

  it('random strings of nft punctuation in random fields', { timeout: 120_000 }, () => {
    const alphabet = fc.constantFrom('}', '{', ';', '\n', '\r', '#', '"', ' ', 'a', '1', '$', '@', '(', ')', '[', ']', ',', ':', '.', '-', '*', '\\', "'", 'flush ruleset', 'table inet z');
    fc.assert(
      fc.property(fc.nat({ max: cases.length - 1 }), fc.array(alphabet, { minLength: 1, maxLength: 12 }), (i, parts) => {
        const { label, rs, leaf } = cases[i];
        if (isWholeCommand(leaf, parts.join(''))) return;
        const m = copy(rs);
        setAt(m, leaf.path, parts.join(''));
        check(m, leaf.owner, `${label}: ${leaf.signature} = ${JSON.stringify(parts.join(''))}`);
      }),
      { numRuns: 1500 },
    );
  });
});

// ------------------------------------------------------------ expressions of the wrong kind

const mark = { kind: 'meta', key: 'mark' };
const one = { kind: 'value', text: '1' };

/** An expression of every kind, and broken shapes of some. */
const EXPRS: unknown[] = [
  one,
  { kind: 'value', text: '"x"' },
  mark,
  { kind: 'payload', protocol: 'ip', field: 'saddr' },
  { kind: 'ct', key: 'mark' },
  { kind: 'fib', flags: ['daddr'], result: 'type' },
  { kind: 'fib', flags: [], result: 'type' },
  { kind: 'rt', key: 'mtu' },
  { kind: 'socket', key: 'mark' },
  { kind: 'numgen', mode: 'inc', mod: 2 },
  { kind: 'hash', hash: 'jhash', expr: mark, mod: 2 },
  { kind: 'hash', hash: 'symhash', mod: 2 },
  { kind: 'concat', items: [mark, mark] },
  { kind: 'concat', items: [one, one] },
  { kind: 'concat', items: [] },
  { kind: 'binop', op: '&', left: mark, right: one },
  { kind: 'binop', op: '&', left: mark, right: { kind: 'list', items: [] } },
  { kind: 'binop', op: '&', left: one, right: mark },
  { kind: 'list', items: [one, one] },
  { kind: 'list', items: [] },
  { kind: 'range', from: one, to: one },
  { kind: 'range', from: { kind: 'verdict', verdict: 'accept' }, to: one },
  { kind: 'prefix', addr: { kind: 'value', text: '10.0.0.0' }, len: 8 },
  { kind: 'prefix', addr: { kind: 'set', elements: [] }, len: 8 },
  { kind: 'set', elements: [{ key: one }] },
  { kind: 'set', elements: [{ key: { kind: 'verdict', verdict: 'drop' } }] },
  { kind: 'setref', name: 's' },
  { kind: 'var', name: 'V' },
  { kind: 'map', key: mark, data: { kind: 'set', elements: [{ key: one, value: one }] } },
  { kind: 'map', key: mark, data: one },
  { kind: 'map', key: one, data: { kind: 'setref', name: 'm' } },
  { kind: 'verdict', verdict: 'accept' },
  { kind: 'verdict', verdict: 'jump', target: 'other' },
  { kind: 'verdict', verdict: 'jump' },
  { kind: 'rawexpr', text: 'tcp option maxseg size' },
  { kind: 'nonsense' },
  { text: 'no kind' },
  'a string',
  null,
];

/** Every object in the model that is an expression (where a statement or element holds one). */
function exprPaths(root: unknown): { path: Path; signature: string; owner: string }[] {
  const out: { path: Path; signature: string; owner: string }[] = [];
  const EXPR_FIELDS = new Set(['left', 'right', 'key', 'value', 'data', 'addr', 'port', 'map', 'from', 'to', 'expr', 'items', 'exprs']);
  const walk = (v: unknown, path: Path, sig: string, owner: string, exprField: boolean): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i], sig, owner, exprField));
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (exprField && typeof o.kind === 'string') out.push({ path, signature: `${sig}(${o.kind})`, owner });
    const own = typeof o.id === 'string' ? o.id : owner;
    const tag = typeof o.kind === 'string' ? `(${o.kind})` : '';
    for (const [k, x] of Object.entries(o)) walk(x, [...path, k], `${sig}${tag}.${k}`, own, EXPR_FIELDS.has(k));
  };
  walk(root, [], '', '', false);
  return out;
}

describe('expressions of every kind in every expression position', () => {
  it('validate, emit and toJson refuse or write them, and throw nothing else', { timeout: 120_000 }, () => {
    const seen = new Set<string>();
    let cases = 0;
    for (const { label, rs } of models) {
      for (const at of exprPaths(rs)) {
        if (seen.has(at.signature)) continue;
        seen.add(at.signature);
        for (const e of EXPRS) {
          const m = copy(rs);
          setAt(m, at.path, copy(e));
          const what = `${label}: ${at.signature} = ${JSON.stringify(e)}`;
          const v = validateRuleset(m);
          // the shape check refuses broken shapes; what it lets through, emit refuses or writes
          if (!v.ok) {
            for (const err of v.errors) expect(err, what).toMatch(/^[a-z]+(\[\d+\])?[.:]/);
            continue;
          }
          cases++;
          check(m, at.owner, what);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(60);
    expect(cases).toBeGreaterThan(500);
  });
});
