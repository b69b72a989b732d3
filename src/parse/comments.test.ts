/**
 * `#` comments of a hand-written file: the parser attaches each to the node it
 * belongs to (above it, trailing its line, at the end of a block, the file's
 * header and end, a set's elements), the emitter writes them back where they
 * were, `{ comments: false }` gives nft's listing without them, and edits of
 * other nodes — in the forms or in the text — keep them.
 */
import { describe, expect, it } from 'vitest';
import { parse } from './index.ts';
import { EmitRefused, emit, emitUnchecked } from '../emit/index.ts';
import { moveRule, removeNode, updateChain, updateRule } from '../model/ops.ts';
import { reconcile } from '../model/reconcile.ts';
import { MAX_HASH_COMMENT_LENGTH, validateRuleset } from '../model/validate.ts';
import type { Ruleset } from '../model/types.ts';
import { toJson } from '../json/index.ts';
import { run } from '../cli/main.ts';
import { memoryIo } from '../cli/io.ts';

/** A script in the emitter's own form with a comment in every place: it comes back byte for byte. */
const COMMENTED = `#!/usr/sbin/nft -f
# my firewall

flush ruleset
define SSH = 22 # the ssh port

# the filter table
table inet filter { # main
	# the table's own lines
	flags dormant

	# blocked sources
	set blocked {
		type ipv4_addr
		flags interval
		# private ranges
		elements = { 10.0.0.0/8, 192.168.0.0/16 }
	}

	chain input {
		# drop by default
		type filter hook input priority filter; policy drop;

		# loopback
		iif "lo" accept
		tcp dport $SSH accept # ssh
		ip saddr @blocked drop comment "a # in quotes is no comment"

		# to do: more
	} # input
	# the end of the table
}
# the end of the file
`;

/** The same without its comments: nft's listing form. */
const BARE = `flush ruleset
define SSH = 22

table inet filter {
	flags dormant

	set blocked {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8, 192.168.0.0/16 }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		iif "lo" accept
		tcp dport $SSH accept
		ip saddr @blocked drop comment "a # in quotes is no comment"
	}
}
`;

function read(text: string): Ruleset {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset;
}

function fmt(text: string, comments = true): string {
  return emit(read(text), { comments }).text;
}

describe('# comments are kept', () => {
  it('come back byte for byte where they were', () => {
    expect(fmt(COMMENTED)).toBe(COMMENTED);
  });

  it('are attached to the node they belong to', () => {
    const rs = read(COMMENTED);
    expect(rs.hashComments).toEqual({ head: ['#!/usr/sbin/nft -f', '# my firewall', ''], end: ['# the end of the file'] });
    expect(rs.defines[0].hashComments).toEqual({ inline: '# the ssh port' });
    const t = rs.tables[0];
    expect(t.hashComments).toEqual({ above: ['', '# the filter table'], inline: '# main', head: ["# the table's own lines"], end: ['# the end of the table'] });
    expect(t.sets[0].hashComments).toEqual({ above: ['', '# blocked sources'], elements: ['# private ranges'] });
    const c = t.chains[0];
    expect(c.hashComments).toEqual({ head: ['# drop by default'], end: ['', '# to do: more'], close: '# input' });
    expect(c.rules.map((r) => r.hashComments)).toEqual([{ above: ['', '# loopback'] }, { inline: '# ssh' }, undefined]);
    expect(c.rules[2].comment).toBe('a # in quotes is no comment');
  });

  it('are left out with comments: false, which is exactly the listing without them', () => {
    expect(fmt(COMMENTED, false)).toBe(BARE);
    expect(fmt(BARE)).toBe(BARE);
  });

  it('keep a shebang first, also when it stands right above the first table', () => {
    const text = '#!/usr/sbin/nft -f\ntable ip t {\n\tchain c {\n\t}\n}\n';
    const rs = read(text);
    expect(rs.hashComments).toEqual({ head: ['#!/usr/sbin/nft -f'] });
    expect(emit(rs).text).toBe(text);
    expect(emit(rs, { preamble: 'replace' }).text.startsWith('#!/usr/sbin/nft -f\ntable ip t\ndelete table ip t\n')).toBe(true);
  });

  it('a file of comments only is its header', () => {
    expect(read('# nothing yet\n\n# really\n').hashComments).toEqual({ head: ['# nothing yet', '', '# really'] });
    expect(fmt('# nothing yet\n\n# really\n')).toBe('# nothing yet\n\n# really\n');
  });

  it('move with their node when the emitter orders the members (objects, sets, flowtables, then chains)', () => {
    const text = 'table ip t {\n\t# the chain\n\tchain c {\n\t\taccept\n\t}\n\t# the counter\n\tcounter k {\n\t\tpackets 0 bytes 0\n\t}\n}\n';
    expect(fmt(text)).toBe('table ip t {\n\t# the counter\n\tcounter k {\n\t\tpackets 0 bytes 0\n\t}\n\n\t# the chain\n\tchain c {\n\t\taccept\n\t}\n}\n');
  });

  it('inside an elements list stand above its elements line (the elements are listed sorted), with a note', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = {\n\t\t\t10.0.0.9, # nine\n\t\t\t# and one\n\t\t\t10.0.0.1\n\t\t}\n\t}\n}\n';
    const r = parse(text);
    const s = r.ruleset.tables[0].sets[0];
    expect(s.hashComments).toEqual({ elements: ['# nine', '# and one'] });
    const notes = r.diagnostics.filter((d) => d.id === 'parse/comment-moved');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ severity: 'info', nodeId: s.id, range: { startLine: 4, startCol: 3 } });
    const once = emit(r.ruleset).text;
    expect(once).toBe('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\t# nine\n\t\t# and one\n\t\telements = { 10.0.0.1, 10.0.0.9 }\n\t}\n}\n');
    expect(fmt(once)).toBe(once);
    expect(parse(once).diagnostics.filter((d) => d.id === 'parse/comment-moved')).toEqual([]);
  });

  it('of add element commands join the set’s elements comments', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n}\n# the bad ones\nadd element ip t s { 10.0.0.1 } # first\n';
    expect(read(text).tables[0].sets[0].hashComments).toEqual({ elements: ['# the bad ones', '# first'] });
  });

  it('inside a rule written on several lines stand above it, with a note', () => {
    const text = 'table ip t {\n\tchain c {\n\t\t# web\n\t\ttcp dport {\n\t\t\t80, # http\n\t\t\t443 # https\n\t\t} accept # both\n\t}\n}\n';
    const r = parse(text);
    const rule = r.ruleset.tables[0].chains[0].rules[0];
    expect(rule.hashComments).toEqual({ above: ['# web', '# http', '# https'], inline: '# both' });
    expect(r.diagnostics.filter((d) => d.id === 'parse/comment-moved').map((d) => d.range?.startLine)).toEqual([4]);
    expect(emit(r.ruleset).text).toBe('table ip t {\n\tchain c {\n\t\t# web\n\t\t# http\n\t\t# https\n\t\ttcp dport { 80, 443 } accept # both\n\t}\n}\n');
  });

  it('of command lines go to what the command makes', () => {
    const text = '# the table\nadd table inet f\nadd chain inet f input { type filter hook input priority 0; policy drop; } # input\n# ssh\nadd rule inet f input tcp dport 22 accept # from anywhere\n';
    const rs = read(text);
    const t = rs.tables[0];
    expect(t.hashComments).toEqual({ above: ['# the table'] });
    expect(t.chains[0].hashComments).toEqual({ close: '# input' });
    expect(t.chains[0].rules[0].hashComments).toEqual({ above: ['# ssh'], inline: '# from anywhere' });
  });

  it('above a replace preamble go to its table, and are written above the preamble', () => {
    const text = '# replace f\ntable inet f\ndelete table inet f # atomically\ntable inet f {\n\tchain c {\n\t}\n}\n';
    const rs = read(text);
    expect(rs.preamble).toBe('replace');
    expect(rs.tables[0].hashComments).toEqual({ above: ['# replace f', '# atomically'] });
    const once = emit(rs).text;
    expect(once).toBe('# replace f\n# atomically\ntable inet f\ndelete table inet f\ntable inet f {\n\tchain c {\n\t}\n}\n');
    expect(fmt(once)).toBe(once);
  });

  it('of objects and flowtables: on the "{" line, among the lines, before the "}"', () => {
    const text = 'table ip t {\n\tcounter k { # k\n\t\t# the numbers\n\t\tpackets 0 bytes 0\n\t\t# last\n\t} # after k\n\n\tflowtable f { # offload\n\t\thook ingress priority filter\n\t\tdevices = { lo }\n\t}\n}\n';
    const rs = read(text);
    expect(rs.tables[0].objects[0].hashComments).toEqual({ inline: '# k', head: ['# the numbers'], end: ['# last'], close: '# after k' });
    expect(rs.tables[0].flowtables[0].hashComments).toEqual({ inline: '# offload' });
    const once = emit(rs).text;
    expect(once).toBe('table ip t {\n\tcounter k { # k\n\t\t# the numbers\n\t\tpackets 0 bytes 0\n\t\t# last\n\t} # after k\n\n\tflowtable f { # offload\n\t\thook ingress priority filter\n\t\tdevices = { lo }\n\t}\n}\n');
  });

  it('a # in a quoted string is no comment', () => {
    const rs = read('define S = "a # b"\ntable ip t {\n\tchain c {\n\t\tlog prefix "#x " accept comment "# not one"\n\t}\n}\n');
    expect(rs.defines[0].value).toBe('"a # b"');
    expect(rs.defines[0].hashComments).toBeUndefined();
    expect(rs.tables[0].chains[0].rules[0].hashComments).toBeUndefined();
    expect(rs.tables[0].chains[0].rules[0].comment).toBe('# not one');
  });

  it('keep the line map: a rule maps to its own line, not to the comments above it', () => {
    const { text, map } = emit(read(COMMENTED));
    const lines = text.split('\n');
    const rs = read(COMMENTED);
    const { map: map2 } = emit(rs);
    const rules = rs.tables[0].chains[0].rules;
    expect(lines[map2.get(rules[0].id)!.startLine - 1]).toBe('\t\tiif "lo" accept');
    expect(lines[map2.get(rules[1].id)!.startLine - 1]).toBe('\t\ttcp dport $SSH accept # ssh');
    expect(lines[map2.get(rs.tables[0].id)!.startLine - 1]).toBe('table inet filter { # main');
    expect(map.size).toBe(map2.size);
  });

  it('a file of 100,000 comment lines and 10,000 commented rules is read and written (no recursion)', () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => `\t\t# rule ${i}\n\t\ttcp dport ${(i % 60000) + 1} accept # port ${i}`).join('\n');
    const header = Array.from({ length: 80_000 }, (_, i) => `# header line ${i}`).join('\n');
    const text = `${header}\n\ntable ip t {\n\tchain c {\n${rules}\n\t}\n}\n`;
    const rs = read(text);
    expect(rs.hashComments?.head).toHaveLength(80_001);
    expect(rs.tables[0].chains[0].rules.filter((r) => r.hashComments?.inline !== undefined)).toHaveLength(10_000);
    expect(emit(rs).text).toBe(text);
  });
});

describe('# comments survive edits of other nodes', () => {
  it('in the forms: editing, moving and removing siblings, and editing the node itself', () => {
    let rs = read(COMMENTED);
    const chain = rs.tables[0].chains[0];
    const [lo, ssh, blocked] = chain.rules;
    rs = updateRule(rs, blocked.id, { comment: 'edited' });
    rs = moveRule(rs, ssh.id, 0);
    rs = updateChain(rs, chain.id, { base: { ...chain.base!, policy: 'accept' } });
    rs = updateRule(rs, lo.id, { stmts: [{ kind: 'verdict', verdict: 'drop' }] });
    const text = emit(rs).text;
    expect(text).toContain('\t\ttcp dport $SSH accept # ssh\n\n\t\t# loopback\n\t\tdrop\n\t\tip saddr @blocked drop comment "edited"\n\n\t\t# to do: more\n\t} # input\n');
    expect(text).toContain('\t\t# drop by default\n\t\ttype filter hook input priority filter; policy accept;\n');
    rs = removeNode(rs, lo.id);
    expect(emit(rs).text).not.toContain('# loopback');
    expect(emit(rs).text).toContain('# the filter table\ntable inet filter { # main\n');
  });

  it('in the text: reconcile keeps the unchanged nodes and takes a changed comment', () => {
    const prev = read(COMMENTED);
    const edited = COMMENTED.replace('# ssh', '# ssh, from anywhere');
    const next = reconcile(prev, read(edited));
    const [a, b] = [prev.tables[0].chains[0].rules, next.tables[0].chains[0].rules];
    expect(b[0]).toBe(a[0]);
    expect(b[1].id).toBe(a[1].id);
    expect(b[1].hashComments).toEqual({ inline: '# ssh, from anywhere' });
    expect(next.tables[0].sets[0]).toBe(prev.tables[0].sets[0]);
    expect(emit(next).text).toBe(edited);
    // a comment of the table alone changes the table too
    const t = reconcile(prev, read(COMMENTED.replace('# main', '# primary')));
    expect(t.tables[0]).not.toBe(prev.tables[0]);
    expect(t.tables[0].hashComments?.inline).toBe('# primary');
    expect(t.tables[0].chains[0]).toBe(prev.tables[0].chains[0]);
  });
});

describe('# comments are untrusted input', () => {
  const withComments = (hc: unknown, where: 'rule' | 'ruleset' = 'rule'): unknown => {
    const rs = JSON.parse(JSON.stringify(read(COMMENTED))) as Record<string, unknown> & Ruleset;
    if (where === 'ruleset') (rs as Record<string, unknown>).hashComments = hc;
    else (rs.tables[0].chains[0].rules[0] as unknown as Record<string, unknown>).hashComments = hc;
    return rs;
  };

  it('a saved design with comments is accepted', () => {
    const r = validateRuleset(JSON.parse(JSON.stringify(read(COMMENTED))));
    expect(r.ok).toBe(true);
  });

  it('the validator refuses what is not one line starting with "#"', () => {
    const errors = (hc: unknown, where?: 'rule' | 'ruleset'): string[] => {
      const r = validateRuleset(withComments(hc, where));
      return r.ok ? [] : r.errors;
    };
    const rule = 'tables[0].chains[0].rules[0].hashComments';
    expect(errors({ inline: '# ok\nflush ruleset' })).toEqual([`${rule}.inline: a # comment is one line: no line break or control character in it`]);
    expect(errors({ above: ['# ok', '#\r'] })).toEqual([`${rule}.above[1]: a # comment is one line: no line break or control character in it`]);
    expect(errors({ above: ['# a\u2028b'] })).toHaveLength(1);
    expect(errors({ above: ['flush ruleset'] })).toEqual([`${rule}.above[0]: a # comment line starts with "#" (found "flush ruleset")`]);
    expect(errors({ inline: '' })).toEqual([`${rule}.inline: expected a # comment, found an empty line`]);
    expect(errors({ above: [`#${'x'.repeat(MAX_HASH_COMMENT_LENGTH)}`] })).toEqual([`${rule}.above[0]: a # comment line is at most ${MAX_HASH_COMMENT_LENGTH} characters`]);
    expect(errors({ above: '# one' })).toEqual([`${rule}.above: expected a list of # comment lines`]);
    expect(errors({ above: [7] })).toEqual([`${rule}.above[0]: expected text`]);
    expect(errors({ below: ['# x'] })).toEqual([`${rule}.below: unknown field (expected above, head, end, elements, inline, close)`]);
    expect(errors('# x')).toEqual([`${rule}: expected an object`]);
    expect(errors({ above: ['# x'] }, 'ruleset')).toEqual(['ruleset.hashComments.above: unknown field (expected head, end)']);
    expect(errors({ head: ['#!/usr/sbin/nft -f', '', '# x'] }, 'ruleset')).toEqual([]);
  });

  it('emit refuses a comment line that is not one line, naming the node; unchecked, it is still written as one', () => {
    const rs = withComments({ inline: '# x\n}\n}\nflush ruleset\n#', above: ['} flush ruleset'] }) as Ruleset;
    const id = rs.tables[0].chains[0].rules[0].id;
    let refused: unknown;
    try {
      emit(rs);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(EmitRefused);
    expect((refused as EmitRefused).problems.map((p) => [p.nodeId, p.field])).toEqual([
      [id, 'hashComments.inline'],
      [id, 'hashComments.above[0]'],
    ]);
    // without comments there is nothing to refuse
    expect(emit(rs, { comments: false }).text).toBe(BARE);
    const text = emitUnchecked(rs).text;
    expect(text).toContain('\t\t# } flush ruleset\n\t\tiif "lo" accept # x } } flush ruleset #\n');
    const back = parse(text);
    expect(back.ruleset.preamble).toBe('flush');
    expect(back.ruleset.tables.map((t) => t.chains.map((c) => c.rules.length))).toEqual([[3]]);
  });

  it('whatever text a comment holds, emit refuses it or the script reads back with the same comments', () => {
    const hostile = ['}', ';', '\n', '\r', '"', '#', '# }', '#\n}', '# " ; flush ruleset', '#}}\nflush ruleset', '#\u0000', '#\t tab', '# é ü 中'];
    for (const h of hostile) {
      for (const hc of [{ inline: h }, { above: [h] }, { above: ['', h, ''] }]) {
        const rs = withComments(hc) as Ruleset;
        let text: string | undefined;
        try {
          text = emit(rs).text;
        } catch (e) {
          expect(e, JSON.stringify(hc)).toBeInstanceOf(EmitRefused);
        }
        if (text === undefined) continue;
        const back = read(text);
        expect(back.tables[0].chains[0].rules[0].hashComments, JSON.stringify(hc)).toEqual(rs.tables[0].chains[0].rules[0].hashComments);
        expect(back.tables[0].chains[0].rules).toHaveLength(3);
      }
    }
  });
});

describe('# comments elsewhere', () => {
  it('the JSON leaves them out and says so, without making the conversion lossy', () => {
    const rs = read(COMMENTED);
    const j = toJson(rs, { targetVersion: '1.1.3' });
    expect(j.losses).toEqual([]);
    expect(j.json).not.toContain('# ssh');
    expect(j.omitted).toEqual([{ nodeId: '', what: '# comments', message: "the 15 # comments of the script: nft's JSON has no place for them (the ruleset it loads is the same)" }]);
    expect(toJson(read(BARE)).omitted).toEqual([]);
  });

  it('fmt keeps them; fmt --no-comments leaves them out', () => {
    const cli = (argv: string[]): { code: number; out: string } => {
      const m = memoryIo({ 'a.nft': COMMENTED });
      const code = run(argv, m.io);
      return { code, out: m.out() };
    };
    expect(cli(['fmt', 'a.nft'])).toEqual({ code: 0, out: COMMENTED });
    expect(cli(['fmt', '--no-comments', 'a.nft'])).toEqual({ code: 0, out: BARE });
    expect(cli(['fmt', '--no-comments', '--preamble', 'none', 'a.nft']).out).toBe(BARE.replace('flush ruleset\n', ''));
  });

  it('fmt refuses a comment line longer than the model takes, with its place', () => {
    const m = memoryIo({ 'long.nft': `table ip t {\n\tchain c {\n\t\t#${'x'.repeat(MAX_HASH_COMMENT_LENGTH)}\n\t\taccept\n\t}\n}\n` });
    expect(run(['fmt', 'long.nft'], m.io)).toBe(1);
    expect(m.err()).toBe(`long.nft:4:3: error: a # comment line is at most ${MAX_HASH_COMMENT_LENGTH} characters (hashComments.above[0])\n`);
    // without the comments there is nothing to refuse
    const bare = memoryIo({ 'long.nft': `table ip t {\n\t#${'x'.repeat(MAX_HASH_COMMENT_LENGTH)}\n}\n` });
    expect(run(['fmt', '--no-comments', 'long.nft'], bare.io)).toBe(0);
    expect(bare.out()).toBe('table ip t {\n}\n');
  });
});
