// nft-agent's audit log (STATE/audit.log): one tab-separated line of KEY=VALUE per
// event, with the invoking user and SUDO_USER, the script's sha256 and the tables
// of the plan; hostile names cannot forge a line; bounded; best effort; shown by
// status. Under each shell, each test in its own namespace.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  EXIT,
  Netns,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  withAgentNamespace,
} from './helpers.ts';
import { journal, stateless, waitFor } from './faults.ts';

const skip = agentSuitePrerequisites('tests/agent/audit.test.ts', ['sha256sum']);

/** The fields of every line, in their order. */
const KEYS = ['time', 'user', 'sudo_user', 'cmd', 'outcome', 'by', 'exit', 'script', 'sha256', 'backup', 'confirm', 'creates', 'changes', 'removes', 'replaces'];

const SCRIPT = `table inet designed
delete table inet designed
table inet designed {
	chain input {
		type filter hook input priority filter; policy accept;
		ip saddr 198.18.0.0/24 tcp dport 22 accept
	}
}
table ip fresh {
	chain c {
		tcp dport 4242 accept
	}
}
`;

const SYNTAX_ERROR = 'table ip t {\n\tchain c {\n\t\ttcp dport 80 acept\n\t}\n}\n';

type Line = Record<string, string>;

function auditText(stateDir: string): string {
  const file = join(stateDir, 'audit.log');
  return existsSync(file) ? readFileSync(file, 'latin1') : '';
}

/** The log's lines, each checked to be exactly the KEYS, tab-separated, printable. */
function audit(stateDir: string): Line[] {
  const text = auditText(stateDir);
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => {
      expect(l, 'a byte outside printable ASCII (other than the tab separators)').toMatch(/^[\x20-\x7e\t]*$/);
      const fields = l.split('\t');
      expect(fields.map((f) => f.slice(0, f.indexOf('=')))).toEqual(KEYS);
      return Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
    });
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe.skipIf(skip).each(SHELLS)('nft-agent audit log under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let before: string;

  withAgentNamespace(shell, (f) => {
    ({ ns, scratch, agent } = f);
    ns.load('flush ruleset\ntable inet designed {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\ntable ip nat {\n\tchain POSTROUTING {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\toifname != "docker0" ip saddr 172.17.0.0/16 masquerade\n\t}\n}\n');
    before = stateless(ns);
  });

  it('apply then confirm: "applied" (the applier) and "confirmed" (the confirmer), with SUDO_USER, sha256 and the plan\'s tables', async () => {
    const file = scratch.file('design.nft', SCRIPT);
    const apply = agent.start(['apply', file, '--confirm', '30'], { env: { SUDO_USER: 'alice' } });
    await waitFor('phase loaded', () => journal(scratch.stateDir).phase === 'loaded');
    await waitFor('the applied line', () => audit(scratch.stateDir).length === 1);
    const c = agent.run(['confirm'], { env: { SUDO_USER: 'bob' } });
    expect(c.code, c.stderr).toBe(EXIT.ok);
    // written before the apply lets go of its lock, so there when confirm returns
    const lines = audit(scratch.stateDir);
    const r = await apply.done;
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    expect(lines).toHaveLength(2);
    const [applied, confirmed] = lines;
    const backup = /loaded \(backup (\S+)\)/.exec(r.stdout)?.[1];
    expect(backup).toMatch(/^\d{6}-\d{8}T\d{6}Z$/);
    expect(applied).toMatchObject({
      user: 'root',
      sudo_user: 'alice',
      cmd: 'apply',
      outcome: 'applied',
      by: '',
      exit: '',
      script: file,
      sha256: sha256(file),
      backup,
      confirm: '30',
      creates: 'ip fresh',
      changes: 'inet designed',
      removes: '',
      replaces: 'inet designed',
    });
    expect(applied.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(applied.time) - Date.now())).toBeLessThan(120_000);
    expect(confirmed).toMatchObject({
      user: 'root',
      sudo_user: 'bob',
      cmd: 'confirm',
      outcome: 'confirmed',
      by: 'confirm-command',
      exit: '0',
      sha256: sha256(file),
      backup,
      creates: 'ip fresh',
      changes: 'inet designed',
      replaces: 'inet designed',
    });
  });

  it('"replaces" names the live tables the preamble deletes, even when they come back as they were: delete table, flush ruleset', async () => {
    // the live table deleted and created again, identically: its listing does not change
    const same = 'table inet designed {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n';
    const file = scratch.file('same.nft', `table inet designed\ndelete table inet designed\n${same}`);
    const apply = agent.start(['apply', file, '--confirm', '30']);
    await waitFor('phase loaded', () => journal(scratch.stateDir).phase === 'loaded');
    expect(agent.run(['confirm']).code).toBe(EXIT.ok);
    expect((await apply.done).code).toBe(EXIT.ok);
    const recreated = stateless(ns); // the same tables (designed now listed after nat)
    // a delete of a table that is not live (created by the preamble's "table" just
    // before) replaces nothing; a family left out is ip
    const other = scratch.file('other.nft', 'table ip ghost; delete table ip ghost\ntable ip nat\ndelete table nat # replaced\ntable ip nat {\n\tchain POSTROUTING {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\toifname != "docker0" ip saddr 172.17.0.0/16 masquerade\n\t}\n}\n');
    const o = agent.run(['apply', other, '--confirm', '0']);
    expect(o.code, o.stderr).toBe(EXIT.ok);
    expect(stateless(ns)).toBe(recreated.replace(/^table ip nat \{\n[^]*?\n\}\n/m, '') + recreated.match(/^table ip nat \{\n[^]*?\n\}\n/m)?.[0]);
    // flush ruleset replaces every live table: the one it defines again and the one it drops
    const flush = scratch.file('flush.nft', `flush ruleset\n${same}`);
    expect(agent.run(['apply', flush, '--confirm', '0']).code).toBe(EXIT.ok);
    // a script without a preamble replaces nothing
    const add = scratch.file('add.nft', 'table ip fresh {\n\tchain c {\n\t}\n}\n');
    expect(agent.run(['apply', add, '--confirm', '0']).code).toBe(EXIT.ok);
    const lines = audit(scratch.stateDir);
    expect(lines.map((l) => [l.cmd, l.outcome, l.creates, l.changes, l.removes, l.replaces])).toEqual([
      ['apply', 'applied', '', '', '', 'inet designed'],
      ['confirm', 'confirmed', '', '', '', 'inet designed'],
      ['apply', 'applied', '', '', '', 'ip nat'],
      ['apply', 'applied', '', '', 'ip nat', 'inet designed,ip nat'],
      ['apply', 'applied', 'ip fresh', '', '', ''],
    ]);
  });

  it('apply then the timer: "applied", then "rolled-back" by the timer, exit 10', async () => {
    const file = scratch.file('design.nft', SCRIPT);
    const r = agent.run(['apply', file, '--confirm', '1'], { env: { SUDO_USER: 'alice' } });
    expect(r.code, r.stderr).toBe(EXIT.rolledBack);
    expect(stateless(ns)).toBe(before);
    const lines = audit(scratch.stateDir);
    expect(lines.map((l) => [l.outcome, l.by, l.exit, l.sudo_user, l.cmd])).toEqual([
      ['applied', '', '', 'alice', 'apply'],
      ['rolled-back', 'timer', '10', 'alice', 'apply'],
    ]);
    expect(lines[1].sha256).toBe(sha256(file));
    expect(lines[1].confirm).toBe('1');
  });

  it('the rollback command: during the wait (the apply writes it as the rollback\'s), and with nothing pending (the newest backup)', async () => {
    const file = scratch.file('design.nft', SCRIPT);
    const apply = agent.start(['apply', file, '--confirm', '30'], { env: { SUDO_USER: 'alice' } });
    await waitFor('phase loaded', () => journal(scratch.stateDir).phase === 'loaded');
    const rb = agent.run(['rollback'], { env: { SUDO_USER: 'carol' } });
    expect(rb.code, rb.stderr).toBe(EXIT.ok);
    expect(audit(scratch.stateDir).map((l) => l.outcome)).toEqual(['applied', 'rolled-back']);
    expect((await apply.done).code).toBe(EXIT.rolledBack);
    expect(stateless(ns)).toBe(before);

    // --confirm 0, then a rollback of the newest backup: no script behind it
    expect(agent.run(['apply', file, '--confirm', '0']).code).toBe(EXIT.ok);
    const again = agent.run(['rollback'], { env: { SUDO_USER: 'dave' } });
    expect(again.code, again.stderr).toBe(EXIT.ok);
    const lines = audit(scratch.stateDir);
    expect(lines.map((l) => [l.cmd, l.outcome, l.by, l.exit, l.sudo_user])).toEqual([
      ['apply', 'applied', '', '', 'alice'],
      ['rollback', 'rolled-back', 'rollback-command', '10', 'carol'],
      ['apply', 'applied', '', '0', ''],
      ['rollback', 'rolled-back', 'rollback-command', '0', 'dave'],
    ]);
    expect(lines[1].sha256).toBe(sha256(file));
    expect(lines[3]).toMatchObject({ script: '', sha256: 'none', backup: lines[2].backup });
    expect(stateless(ns)).toBe(before);
  });

  it('a refused check: one "refused" line with the exit code and the sha256; nothing else', () => {
    const file = scratch.file('broken.nft', SYNTAX_ERROR);
    const r = agent.run(['apply', file, '--confirm', '0'], { env: { SUDO_USER: 'eve' } });
    expect(r.code).toBe(EXIT.checkFailed);
    const missing = agent.run(['apply', join(scratch.dir, 'missing.nft')]);
    expect(missing.code).toBe(EXIT.badInput);
    const lines = audit(scratch.stateDir);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ cmd: 'apply', outcome: 'refused', exit: '7', sudo_user: 'eve', script: file, sha256: sha256(file), backup: '' });
    expect(lines[1]).toMatchObject({ outcome: 'refused', exit: '6', sudo_user: '', script: join(scratch.dir, 'missing.nft'), sha256: 'none' });
    // check, plan and diff change nothing: they write no audit line
    for (const cmd of ['check', 'plan', 'diff']) agent.run([cmd, file]);
    expect(audit(scratch.stateDir)).toHaveLength(2);
    expect(stateless(ns)).toBe(before);
  });

  it('hostile names (a newline and a tab in the file name, control bytes in SUDO_USER) forge no line and no field', () => {
    const name = 'evil\ntime=2000-01-01T00:00:00Z\tuser=root\tcmd=apply\toutcome=confirmed\x1b[2J.nft';
    const file = scratch.file(name, SCRIPT);
    const r = agent.run(['apply', file, '--confirm', '0'], { env: { SUDO_USER: 'mallory\n\ttime=x\x07' } });
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const bad = scratch.file(`bad\n${name}`, SYNTAX_ERROR);
    expect(agent.run(['apply', bad], { env: { SUDO_USER: 'x\ny' } }).code).toBe(EXIT.checkFailed);
    const text = auditText(scratch.stateDir);
    expect(text.split('\n')).toHaveLength(3); // two lines and the final newline
    const lines = audit(scratch.stateDir); // checks fields and bytes
    expect(lines.map((l) => l.outcome)).toEqual(['applied', 'refused']);
    expect(lines[0].script).toBe(file.replace(/[^\x20-\x7e]/g, '?'));
    expect(lines[0].sudo_user).toBe('mallory??time=x?');
    expect(lines[0].sha256).toBe(sha256(file));
    expect(lines[1].script).toBe(bad.replace(/[^\x20-\x7e]/g, '?'));
    expect(lines[1].sudo_user).toBe('x?y');
    // status shows them, with no control byte either
    const st = agent.status().stdout;
    expect(st).toMatch(/^[\x20-\x7e\t\n]*$/);
    expect(st.match(/^ {2}time=/gm)).toHaveLength(2);
  });

  it('status shows the last 10 lines under a heading; the log keeps its last 1000', () => {
    const file = scratch.file('broken.nft', SYNTAX_ERROR);
    expect(agent.status().stdout).toContain(`audit (last 10 lines of ${scratch.stateDir}/audit.log):\n  (none)\n`);
    // 999 old lines, then 12 refusals: 1000 lines, the oldest 11 gone
    const old = Array.from({ length: 999 }, (_, i) => `time=2000-01-01T00:00:00Z\tuser=old${i}\n`).join('');
    writeFileSync(join(scratch.stateDir, 'audit.log'), old, { mode: 0o600 });
    for (let i = 0; i < 12; i += 1) {
      expect(agent.run(['apply', file], { env: { SUDO_USER: `u${i}` } }).code).toBe(EXIT.checkFailed);
    }
    const text = auditText(scratch.stateDir).split('\n').slice(0, -1);
    expect(text).toHaveLength(1000);
    expect(text[0]).toBe('time=2000-01-01T00:00:00Z\tuser=old11');
    expect(text.slice(-12).map((l) => /sudo_user=(\w*)/.exec(l)?.[1])).toEqual(Array.from({ length: 12 }, (_, i) => `u${i}`));

    const st = agent.status();
    expect(st.code, st.stderr).toBe(EXIT.ok);
    const shown = st.stdout.slice(st.stdout.indexOf('audit (last 10 lines of '));
    const rows = shown.split('\n').slice(1, -1);
    expect(rows).toEqual(text.slice(-10).map((l) => `  ${l}`));
    expect(rows[9]).toContain('sudo_user=u11\tcmd=apply\toutcome=refused\tby=\texit=7\t');
  });

  it('best effort: an audit log that cannot be written (a directory in its place) changes no outcome; it is never written through a symlink; a stale audit.lock is taken over', () => {
    const file = scratch.file('design.nft', SCRIPT);
    mkdirSync(join(scratch.stateDir, 'backups'), { recursive: true, mode: 0o700 });
    mkdirSync(join(scratch.stateDir, 'audit.log'));
    const r = agent.run(['apply', file, '--confirm', '0']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/loaded \(backup \d{6}-\d{8}T\d{6}Z\)/);
    expect(r.stderr).toMatch(/warning: cannot write the audit log .*audit\.log .*nothing else changes\. The line: time=\S+ user=root .*outcome=applied/);
    const rb = agent.run(['rollback']);
    expect(rb.code, rb.stderr).toBe(EXIT.ok);
    expect(rb.stderr).toContain('cannot write the audit log');
    expect(stateless(ns)).toBe(before);

    // a symlink in its place is replaced, its target untouched
    rmSync(join(scratch.stateDir, 'audit.log'), { recursive: true, force: true });
    const victim = scratch.file('victim', 'precious\n', 0o644);
    symlinkSync(victim, join(scratch.stateDir, 'audit.log'));
    // and a lock left by a writer killed with -9 (its pid is gone) does not block
    writeFileSync(join(scratch.stateDir, 'audit.lock'), '4194303 1\n', { mode: 0o600 });
    const again = agent.run(['apply', file, '--confirm', '0']);
    expect(again.code, again.stderr).toBe(EXIT.ok);
    expect(again.stderr).toBe('');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(audit(scratch.stateDir).map((l) => l.outcome)).toEqual(['applied']);
    expect(existsSync(join(scratch.stateDir, 'audit.lock'))).toBe(false);
    const mode = ns.sh('stat -c "%a %F" "$1"', join(scratch.stateDir, 'audit.log')).stdout.trim();
    expect(mode).toBe('600 regular file');
  });
});

