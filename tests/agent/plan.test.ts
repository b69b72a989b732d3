// nft-agent plan, diff with the script's preamble, and apply printing the plan, under
// each shell, each test in its own namespace. The live ruleset holds a designed
// table and Docker-style tables of another owner (never the host's: all of it is in
// the test's namespace).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { compareWithLive, readLive, type MemberChanges, type Plan, type TableDiff } from '../../src/plan/index.ts';
import {
  Agent,
  EXIT,
  Netns,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  withAgentNamespace,
  type RunResult,
} from './helpers.ts';
import { journal, recordedChild, stateless, waitFor } from './faults.ts';

const skip = agentSuitePrerequisites('tests/agent/plan.test.ts', ['readlink']);

/** Docker's tables, as another owner leaves them on the host. */
const DOCKER = `table ip nat {
	chain DOCKER {
	}

	chain POSTROUTING {
		type nat hook postrouting priority srcnat; policy accept;
		oifname != "docker0" ip saddr 172.17.0.0/16 masquerade
	}
}
table ip filter {
	chain DOCKER-USER {
		return
	}

	chain FORWARD {
		type filter hook forward priority filter; policy drop;
		jump DOCKER-USER
	}
}
`;

/** The designed table as an earlier apply left it. */
const OLD_DESIGN = `table inet designed {
	set admins {
		type ipv4_addr
		elements = { 198.18.0.1 }
	}

	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
		ip saddr @admins tcp dport 22 accept
		tcp dport 80 accept
	}

	chain obsolete {
		tcp dport 8080 accept
	}
}
`;

/**
 * The new design's table: input changes (policy; tcp dport 80 goes, 443 and a drop
 * come), obsolete goes, forward comes; admins changes, blocked comes. So: chains
 * +1 -1 ~1, sets +1 -0 ~1, rules +2 -1 ~1 (counted as src/plan/compare.ts does: of
 * input's two new rules, one takes the place of the one that goes, a changed rule;
 * forward's rule is added, obsolete's removed).
 */
const NEW_TABLE = `table inet designed {
	set admins {
		type ipv4_addr
		elements = { 198.18.0.1, 198.18.0.2 }
	}

	set blocked {
		type ipv4_addr
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip saddr @admins tcp dport 22 accept
		tcp dport 443 accept
		ip saddr @blocked drop
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
	}
}
`;

const REPLACE_PREAMBLE = 'table inet designed\ndelete table inet designed\n';
const REPLACE = `${REPLACE_PREAMBLE}${NEW_TABLE}`;
const FLUSH = `flush ruleset\n${NEW_TABLE}`;
const NEW_COUNTS = 'chains +1 -1 ~1, sets +1 -0 ~1, rules +2 -1 ~1';

/** The summary line of one table: "  table FAMILY NAME  STATUS  [counts]". */
function tableLine(out: string, table: string): string {
  const line = out.split('\n').find((l) => new RegExp(`^ {2}table ${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +\\S`).test(l));
  if (line === undefined) throw new Error(`no summary line for table ${table} in:\n${out}`);
  return line.replace(/ +/g, ' ').trim();
}

/** The +/- lines of a unified diff (without its --- and +++ header). */
function changedLines(diffText: string): string[] {
  return diffText.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A chain of the consistency cases, in nft's listing form. */
function chain(name: string, head: string | undefined, rules: readonly string[]): string {
  return `\tchain ${name} {\n${head ? `\t\t${head}\n` : ''}${rules.map((r) => `\t\t${r}\n`).join('')}\t}\n`;
}

function table(name: string, ...members: string[]): string {
  return `table inet ${name} {\n${members.join('\n')}}\n`;
}

const INPUT = 'type filter hook input priority filter; policy accept;';
const A = 'ct state established,related accept';
const B = 'tcp dport 22 accept';
const C = 'tcp dport 80 accept';
const D = 'iifname "lo" accept';

/**
 * Live rulesets and scripts for which the agent's plan must count what the app's
 * core (src/plan/compare.ts) counts: [what, live, script].
 */
const CONSISTENCY: readonly (readonly [string, string, string])[] = [
  ['an edited rule', table('designed', chain('input', INPUT, [A, B, C, D])), `table inet designed\ndelete table inet designed\n${table('designed', chain('input', INPUT, [A, 'tcp dport 2222 accept', C, D]))}`],
  [
    'added and removed rules (and chains)',
    table('designed', chain('input', INPUT, [A, B, C, D]), chain('relay', undefined, [A]), chain('obsolete', undefined, ['tcp dport 8080 accept'])),
    `table inet designed\ndelete table inet designed\n${table('designed', chain('input', INPUT, [A, D]), chain('relay', undefined, [A, 'udp dport 53 accept', 'tcp dport 53 accept']), chain('fresh', undefined, ['tcp dport 443 accept']))}`,
  ],
  ['edits among additions', table('designed', chain('input', INPUT, [A, B, C, D])), `table inet designed\ndelete table inet designed\n${table('designed', chain('input', INPUT, [A, 'tcp dport 2222 accept', 'udp dport 53 accept', 'tcp dport 8443 accept', D]))}`],
  ['a reordered chain', table('designed', chain('input', INPUT, [A, B, C, D])), `table inet designed\ndelete table inet designed\n${table('designed', chain('input', INPUT, [D, A, B, C]))}`],
  ['a table removed by flush ruleset', `${OLD_DESIGN}${DOCKER}`, FLUSH],
  ['foreign tables untouched under replace', `${OLD_DESIGN}${DOCKER}`, REPLACE],
  ['no preamble: rules appended', `${OLD_DESIGN}${DOCKER}`, OLD_DESIGN],
];

/** A table's counts as the agent's plan prints them, from the app's TableDiff. */
function appLine(d: TableDiff): string {
  if (d.change === 'unchanged') return 'unchanged';
  const c = (m: MemberChanges): string => `+${m.added.length} -${m.removed.length} ~${m.changed.length}`;
  const other = d.objects.added.length + d.objects.removed.length + d.objects.changed.length ? `, other objects ${c(d.objects)}` : '';
  return `${d.change} chains ${c(d.chains)}, sets ${c(d.sets)}, rules +${d.rules.added} -${d.rules.removed} ~${d.rules.changed}${other}`;
}

function appTotal(p: Plan): string {
  const t = p.totals;
  const c = (x: { added: number; removed: number; changed: number }): string => `+${x.added} -${x.removed} ~${x.changed}`;
  const other = t.objects.added + t.objects.removed + t.objects.changed ? `, other objects ${c(t.objects)}` : '';
  const same = p.tables.filter((d) => d.change === 'unchanged').length;
  return `total: tables ${c(t.tables)} =${same}, chains ${c(t.chains)}, sets ${c(t.sets)}, rules ${c(t.rules)}${other}`;
}

/** The agent's summary lines: "FAMILY NAME" -> "STATUS [counts]". */
function agentTables(out: string): Record<string, string> {
  const r: Record<string, string> = {};
  for (const l of out.split('\n')) {
    const m = /^ {2}table (\S+ \S+) +(added|removed|changed|unchanged)(?: +(.*))?$/.exec(l);
    if (m) r[m[1]] = m[3] ? `${m[2]} ${m[3]}` : m[2];
  }
  return r;
}

describe.skipIf(skip).each(SHELLS)('nft-agent plan and diff under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let live: string;

  withAgentNamespace(shell, (f) => {
    ({ ns, scratch, agent } = f);
    ns.load(`flush ruleset\n${OLD_DESIGN}${DOCKER}`);
    live = stateless(ns);
  });

  function expectUntouched(): void {
    expect(stateless(ns)).toBe(live);
    expect(agent.status().stdout).toContain('pending: none');
  }

  it('replace-these-tables preamble: the foreign tables untouched, the designed one changed with the right counts', () => {
    const file = scratch.file('replace.nft', REPLACE);
    const r = agent.run(['plan', file]);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^plan for ${escape(file)}: `));
    expect(tableLine(r.stdout, 'inet designed')).toBe(`table inet designed changed ${NEW_COUNTS}`);
    expect(tableLine(r.stdout, 'ip nat')).toBe('table ip nat unchanged');
    expect(tableLine(r.stdout, 'ip filter')).toBe('table ip filter unchanged');
    expect(r.stdout).toContain('  total: tables +0 -0 ~1 =2, chains +1 -1 ~1, sets +1 -0 ~1, rules +2 -1 ~1\n');
    expect(r.stdout).not.toContain('warning');
    expect(r.stdout).not.toContain('no change');
    // the diff: the designed table's changes, nothing of Docker's tables
    const diffText = r.stdout.slice(r.stdout.indexOf('\n--- live ruleset\n') + 1);
    expect(diffText).toMatch(new RegExp(`^--- live ruleset\\n\\+\\+\\+ after applying ${escape(file)} \\(tables in the live order\\)\\n@@ `));
    const changed = changedLines(diffText);
    expect(changed).toContain('-\t\ttcp dport 80 accept');
    expect(changed).toContain('+\t\ttcp dport 443 accept');
    expect(changed).toContain('-\tchain obsolete {');
    expect(changed).toContain('+\tchain forward {');
    expect(changed.filter((l) => /nat|DOCKER|FORWARD|masquerade|docker0|table ip/.test(l))).toEqual([]);
    // the designed table is created anew after Docker's: said, not shown as a move
    expect(r.stdout).toContain('note: afterwards the tables are listed in another order');
    expectUntouched();

    const d = agent.run(['diff', file]);
    expect(d.code, d.stderr).toBe(EXIT.different);
    expect(d.stdout).toMatch(new RegExp(`^--- live ruleset\\n\\+\\+\\+ after applying ${escape(file)} \\(normalised\\)\\n@@ `));
    expect(changedLines(d.stdout)).toEqual(changed);
    expect(changedLines(d.stdout).filter((l) => /nat|DOCKER|FORWARD|masquerade/.test(l))).toEqual([]);
    expectUntouched();
  });

  it('flush ruleset preamble: the plan warns, naming the foreign tables it removes', () => {
    const file = scratch.file('flush.nft', FLUSH);
    const r = agent.run(['plan', file]);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(tableLine(r.stdout, 'ip nat')).toBe('table ip nat removed chains +0 -2 ~0, sets +0 -0 ~0, rules +0 -1 ~0');
    expect(tableLine(r.stdout, 'ip filter')).toBe('table ip filter removed chains +0 -2 ~0, sets +0 -0 ~0, rules +0 -2 ~0');
    expect(tableLine(r.stdout, 'inet designed')).toBe(`table inet designed changed ${NEW_COUNTS}`);
    expect(r.stdout).toContain('  total: tables +0 -2 ~1 =0, chains +1 -5 ~1, sets +1 -0 ~1, rules +2 -4 ~1\n');
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      `warning: applying ${file} removes the live 2 tables ip nat, ip filter (its "flush ruleset" deletes every table the script does not define again)`,
    ]);
    // the warning comes with the summary, before the diff
    expect(r.stdout.indexOf('warning: ')).toBeLessThan(r.stdout.indexOf('\n--- live ruleset\n'));
    expect(changedLines(r.stdout)).toContain('-table ip nat {');
    expectUntouched();

    const d = agent.run(['diff', file]);
    expect(d.code).toBe(EXIT.different);
    expect(changedLines(d.stdout)).toContain('-table ip nat {');
    expect(changedLines(d.stdout)).toContain('-table ip filter {');
  });

  it('idempotence: after applying a replace script, diff of the same script is 0 with no output, and plan says "no change"', () => {
    const file = scratch.file('replace.nft', REPLACE);
    expect(agent.run(['diff', file]).code).toBe(EXIT.different);
    const a = agent.run(['apply', file, '--confirm', '0']);
    expect(a.code, a.stderr).toBe(EXIT.ok);
    const after = stateless(ns);
    expect(after).toContain('table ip nat {');
    expect(after).toContain('\t\ttcp dport 443 accept\n');

    const d = agent.run(['diff', file]);
    expect(d.stderr).toBe('');
    expect(d.stdout).toBe('');
    expect(d.code).toBe(EXIT.ok);
    const p = agent.run(['plan', '-'], { input: REPLACE });
    expect(p.code, p.stderr).toBe(EXIT.ok);
    expect(p.stdout).toContain('no change: applying stdin leaves the live ruleset as it is\n');
    expect(tableLine(p.stdout, 'inet designed')).toBe('table inet designed unchanged');
    expect(p.stdout).not.toContain('--- live ruleset');
    expect(p.stdout).not.toContain('note:');
    expect(stateless(ns)).toBe(after);
  });

  it('tables that only change order: the plan says so, diff still exits 1 (and 0 once applied)', () => {
    // The live designed table is the one the script defines, but it stands before
    // Docker's: replacing it moves it after them.
    ns.load(`flush ruleset\n${NEW_TABLE}${DOCKER}`);
    live = stateless(ns);
    const file = scratch.file('same.nft', `${REPLACE_PREAMBLE}${NEW_TABLE}`);
    const p = agent.run(['plan', file]);
    expect(p.code, p.stderr).toBe(EXIT.ok);
    for (const t of ['inet designed', 'ip nat', 'ip filter']) expect(tableLine(p.stdout, t)).toBe(`table ${t} unchanged`);
    expect(p.stdout).toContain('note: afterwards the tables are listed in another order');
    expect(p.stdout).not.toContain('no change');
    const d = agent.run(['diff', file]);
    expect(d.code).toBe(EXIT.different);
    expect(d.stdout).toBe('');
    expect(d.stderr).toContain('another order');
    expectUntouched();
    expect(agent.run(['apply', file, '--confirm', '0']).code).toBe(EXIT.ok);
    expect(agent.run(['diff', file]).code).toBe(EXIT.ok);
  });

  it('no preamble: the script adds to the live tables (a no-op is "no change"; repeated rules are counted)', () => {
    const noop = scratch.file('noop.nft', 'add table ip nat\n');
    const p = agent.run(['plan', noop]);
    expect(p.code, p.stderr).toBe(EXIT.ok);
    expect(p.stdout).toContain(`no change: applying ${noop} leaves the live ruleset as it is`);
    expect(agent.run(['diff', noop]).code).toBe(EXIT.ok);

    // the old design again, without a preamble: its rules would be there twice
    const again = scratch.file('again.nft', OLD_DESIGN);
    const q = agent.run(['plan', again]);
    expect(q.code, q.stderr).toBe(EXIT.ok);
    expect(tableLine(q.stdout, 'inet designed')).toBe('table inet designed changed chains +0 -0 ~2, sets +0 -0 ~0, rules +4 -0 ~0');
    const d = agent.run(['diff', again]);
    expect(d.code).toBe(EXIT.different);
    expect(changedLines(d.stdout)).toEqual(['+\t\tct state established,related accept', '+\t\tip saddr @admins tcp dport 22 accept', '+\t\ttcp dport 80 accept', '+\t\ttcp dport 8080 accept']);
    expectUntouched();
  });

  it("counts what the app's comparison (src/plan/compare.ts) counts, table by table: edited, added, removed and reordered rules, a flush, foreign tables under replace", () => {
    for (const [what, liveText, script] of CONSISTENCY) {
      ns.load(`flush ruleset\n${liveText}`);
      const listed = stateless(ns);
      const design = parse(script);
      expect(design.diagnostics.filter((d) => d.severity === 'error'), what).toEqual([]);
      const app = compareWithLive(readLive(listed), design.ruleset);
      expect(app.errors, what).toEqual([]);
      const file = scratch.file('case.nft', script);
      const r = agent.run(['plan', file]);
      expect(r.code, `${what}: ${r.stderr}`).toBe(EXIT.ok);
      const want = Object.fromEntries(app.tables.map((d) => [`${d.family} ${d.name}`, appLine(d)]));
      expect(agentTables(r.stdout), what).toEqual(want);
      const total = r.stdout.split('\n').find((l) => l.startsWith('  total: '));
      expect(total?.trim(), what).toBe(appTotal(app));
      expect(stateless(ns), what).toBe(listed);
    }
    // the edited rule is one changed rule, as the app says (summaryLine: "rules: 1 changed")
    ns.load(`flush ruleset\n${CONSISTENCY[0][1]}`);
    const edited = agent.run(['plan', scratch.file('edited.nft', CONSISTENCY[0][2])]);
    expect(tableLine(edited.stdout, 'inet designed')).toBe('table inet designed changed chains +0 -0 ~1, sets +0 -0 ~0, rules +0 -0 ~1');
  });

  it('bytes outside printable ASCII in the live ruleset (a comment with terminal escapes) reach the terminal as "?", in plan, diff and the partial plan; what is loaded keeps them', () => {
    // Other software's comment: an ESC sequence that clears the screen, one that sets
    // the window title (ended by BEL), a C0 control, DEL and UTF-8. nft takes them.
    const evil = '\x1b[2J\x1b]0;pwned\x07 \x01\x7f \u00e9';
    const shown = '?[2J?]0;pwned? ?? ??';
    const printable = /^[\x20-\x7e\t\n]*$/;
    ns.load(`flush ruleset\n${OLD_DESIGN.replace('\t\ttcp dport 80 accept\n', `\t\ttcp dport 80 accept comment "${evil}"\n`)}${DOCKER}`);
    live = stateless(ns);
    expect(live).toContain(evil);
    const file = scratch.file('replace.nft', REPLACE);
    const p = agent.run(['plan', file]);
    expect(p.code, p.stderr).toBe(EXIT.ok);
    expect(p.stdout + p.stderr).toMatch(printable);
    expect(changedLines(p.stdout)).toContain(`-\t\ttcp dport 80 accept comment "${shown}"`);
    const d = agent.run(['diff', file]);
    expect(d.code, d.stderr).toBe(EXIT.different);
    expect(d.stdout + d.stderr).toMatch(printable);
    expect(changedLines(d.stdout)).toContain(`-\t\ttcp dport 80 accept comment "${shown}"`);
    expectUntouched();
    // apply prints the plan cleaned; the backup it restores is the live ruleset as it was
    const a = agent.run(['apply', file, '--confirm', '0']);
    expect(a.code, a.stderr).toBe(EXIT.ok);
    expect(a.stdout + a.stderr).toMatch(printable);
    expect(a.stdout).toContain(`comment "${shown}"`);
    expect(agent.run(['rollback']).code).toBe(EXIT.ok);
    expect(stateless(ns)).toBe(live);

    // the partial plan (the live ruleset does not reload: the rule with the comment
    // names an interface of this namespace only), and nft's message quoting that rule
    const veth = ns.sh('ip link add agt-va type veth peer name agt-vb');
    expect(veth.code, veth.stderr).toBe(0);
    ns.load(`flush ruleset\n${OLD_DESIGN.replace('\t\ttcp dport 80 accept\n', `\t\tiif "agt-va" accept comment "${evil}"\n`)}${DOCKER}`);
    live = stateless(ns);
    const q = agent.run(['plan', file]);
    expect(q.code, q.stderr).toBe(EXIT.ok);
    expect(q.stdout).toContain('partial plan: only the tables the script defines');
    expect(q.stdout + q.stderr).toMatch(printable);
    expect(changedLines(q.stdout)).toContain(`-\t\tiif "agt-va" accept comment "${shown}"`);
    expect(q.stderr).toContain(`\t\tiif "agt-va" accept comment "${shown}"`); // nft's message quoting the line
    const e = agent.run(['diff', file]);
    expect(e.code).toBe(EXIT.environment);
    expect(e.stdout + e.stderr).toMatch(printable);
    expectUntouched();
  });

  it('a script the check refuses: plan and diff exit 7, nothing printed as a plan', () => {
    const file = scratch.file('broken.nft', 'table ip t {\n\tchain c {\n\t\ttcp dport 80 acept\n\t}\n}\n');
    for (const cmd of ['plan', 'diff']) {
      const r = agent.run([cmd, file]);
      expect(r.code, r.stderr).toBe(EXIT.checkFailed);
      expect(r.stderr).toContain(`${file}:3:`);
      expect(r.stdout).toBe('');
    }
    expectUntouched();
  });

  it('a live ruleset that does not reload in a private namespace: plan says it cannot predict and compares only the tables the script defines; diff exits 13', () => {
    // iif resolves an interface index when loaded: this veth exists in the test's
    // namespace only, so the live ruleset does not reload in a fresh one.
    const veth = ns.sh('ip link add agt-va type veth peer name agt-vb');
    expect(veth.code, veth.stderr).toBe(0);
    ns.load('flush ruleset\n' + OLD_DESIGN.replace('\t\ttcp dport 80 accept\n', '\t\tiif "agt-va" accept\n') + DOCKER);
    live = stateless(ns);
    const file = scratch.file('replace.nft', REPLACE);
    const p = agent.run(['plan', file]);
    expect(p.code, p.stderr).toBe(EXIT.ok);
    expect(p.stderr).toContain('the live ruleset does not reload in a private namespace');
    expect(p.stdout).toContain(`plan for ${file}: cannot predict the full result`);
    expect(p.stdout).toContain('partial plan: only the tables the script defines');
    expect(tableLine(p.stdout, 'inet designed')).toMatch(/^table inet designed changed /);
    expect(p.stdout).not.toMatch(/^ {2}table ip (nat|filter)/m); // not compared, so not claimed unchanged
    expect(p.stdout).not.toContain('no change');
    expect(p.stdout).toContain(`--- live ruleset (only the tables ${file} defines)\n+++ ${file} loaded on an empty ruleset\n`);
    expect(changedLines(p.stdout)).toContain('-\t\tiif "agt-va" accept');

    const flush = scratch.file('flush.nft', FLUSH);
    const f = agent.run(['plan', flush]);
    expect(f.code, f.stderr).toBe(EXIT.ok);
    expect(f.stdout).toContain(`warning: applying ${flush} removes the live 2 tables ip nat, ip filter`);

    const d = agent.run(['diff', file]);
    expect(d.code).toBe(EXIT.environment);
    expect(d.stderr).toContain('cannot tell what applying it changes');
    expect(d.stdout).toBe('');
    expectUntouched();
  });

  it('apply prints the plan before it loads (the live ruleset still the old one), then loads as before', async () => {
    // A stand-in nft that holds the real load in the test's namespace until the test
    // has looked (the gate file exists; at most 60 s), so the window is a condition.
    const gate = join(scratch.dir, 'gate');
    const held = scratch.file(
      'held-nft',
      '#!/bin/sh\ncase "$1:$2" in -f:*/script.nft)\n  if [ "$(readlink /proc/self/ns/net)" = "$REAL_NS" ]; then\n    i=0\n    while [ ! -e "$GATE" ] && [ "$i" -lt 600 ]; do sleep 0.1; i=$((i + 1)); done\n  fi ;;\nesac\nexec nft "$@"\n',
      0o755,
    );
    const env = { NFT: held, GATE: gate, REAL_NS: ns.run(['readlink', '/proc/self/ns/net']).stdout.trim() };
    const file = scratch.file('replace.nft', REPLACE);
    const apply = agent.start(['apply', file, '--confirm', '30'], { env });
    try {
      await waitFor('the recorded nft of the load running', () => recordedChild(scratch.stateDir, 'loading'));
      await waitFor('the plan on the apply\'s output', () => apply.stdoutSoFar.includes('+\t\ttcp dport 443 accept\n'));
      const early = apply.stdoutSoFar;
      expect(stateless(ns)).toBe(live); // not loaded yet
      expect(early).toContain(`plan for ${file}: `);
      expect(early).toContain(`  table inet designed  changed    ${NEW_COUNTS}\n`);
      expect(early).not.toContain('loaded (backup');
    } finally {
      writeFileSync(gate, '');
    }

    await waitFor('phase loaded', () => journal(scratch.stateDir).phase === 'loaded');
    const c = agent.run(['confirm']);
    expect(c.code, c.stderr).toBe(EXIT.ok);
    const r: RunResult = await apply.done;
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout.indexOf('plan for ')).toBeLessThan(r.stdout.indexOf('loaded (backup'));
    expect(r.stdout).toContain('confirmed: keeping the new ruleset');
    expect(stateless(ns)).toContain('tcp dport 443 accept');
    expect(stateless(ns)).toContain('table ip nat {');
  });
});
