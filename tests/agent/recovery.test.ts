// nft-agent when the waiting apply is killed, interrupted or overruled: status tells
// which ruleset is live, and rollback/confirm settle it. Each test in its own
// namespace, under each shell.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  EXIT,
  Netns,
  REPLACING_SCRIPT,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  withAgentNamespace,
  sleep,
  statusPid,
} from './helpers.ts';
import { journal } from './faults.ts';

const skip = agentSuitePrerequisites('tests/agent/recovery.test.ts');

const LOOSE = 'net/netfilter/nf_conntrack_tcp_loose';

/** Wait until a pid no longer exists (it was killed and reaped). */
async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  throw new Error(`pid ${pid} is still there`);
}

describe.skipIf(skip).each(SHELLS)('nft-agent recovery under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let before: string;
  let file: string;

  withAgentNamespace(shell, (f) => {
    ({ ns, scratch, agent, before } = f);
    file = scratch.file('syn.nft', REPLACING_SCRIPT);
  });

  /** Start an apply, wait until it waits, kill -9 it. */
  async function applyAndKill(extra: string[] = []): Promise<{ pid: number; after: string }> {
    const apply = agent.start(['apply', file, '--confirm', '60', ...extra]);
    const loaded = await agent.waitForStatus(/^phase: loaded$/m);
    const pid = statusPid(loaded.stdout);
    expect(loaded.stdout).toContain(`process: ${pid} (running)`);
    const after = ns.listing();
    expect(after).not.toBe(before);
    process.kill(pid, 'SIGKILL');
    const r = await apply.done;
    expect(r.signal).toBe('SIGKILL');
    await waitGone(pid);
    return { pid, after };
  }

  it('kill -9 of the waiting apply: status reports it, a new apply is refused, rollback restores', async () => {
    const { pid, after } = await applyAndKill();
    expect(ns.listing()).toBe(after); // nobody rolled back

    const status = agent.status();
    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout).toContain('pending: yes');
    expect(status.stdout).toContain('phase: loaded');
    expect(status.stdout).toContain(`process: ${pid} (dead`);
    expect(status.stdout).toContain('live: new');
    expect(status.stdout).toMatch(/seconds-left: none \(no process is waiting/);

    const again = agent.run(['apply', file]);
    expect(again.code).toBe(EXIT.pending);
    expect(again.stderr).toContain(`a previous apply (pid ${pid}) died with its change unresolved`);

    const rb = agent.run(['rollback']);
    expect(rb.code, rb.stderr).toBe(EXIT.ok);
    expect(rb.stdout).toContain('restored the previous ruleset');
    expect(ns.listing()).toBe(before);
    expect(agent.status().stdout).toContain('pending: none');
  });

  it('a journal whose backup id points outside the backups is refused: rollback loads nothing', async () => {
    const { after } = await applyAndKill();
    // someone rewrote the journal to point a rollback at another file
    const evil = scratch.file('evil.nft', 'flush ruleset\ntable ip planted {\n}\n');
    const journal = join(scratch.stateDir, 'lock', 'journal');
    const rel = `../../${evil.split('/').pop()!.replace(/\.nft$/, '')}`;
    writeFileSync(journal, readFileSync(journal, 'utf8').replace(/^backup=.*$/m, `backup=${rel}`));
    expect(readFileSync(journal, 'utf8')).toContain(`backup=${rel}\n`);
    const rb = agent.run(['rollback']);
    expect(rb.code).toBe(EXIT.rollbackFailed);
    expect(rb.stderr).toContain(`refusing backup id "${rel}"`);
    expect(ns.listing()).toBe(after);
    expect(ns.listing()).not.toContain('planted');
  });

  it('kill -9 of the waiting apply, then confirm keeps the new ruleset', async () => {
    const { after } = await applyAndKill();
    const c = agent.run(['confirm']);
    expect(c.code, c.stderr).toBe(EXIT.ok);
    expect(c.stdout).toContain('keeping the new ruleset');
    expect(ns.listing()).toBe(after);
    expect(agent.status().stdout).toContain('pending: none');
  });

  it('kill -9 in the middle of the load: status says whether the old or the new ruleset is live', async () => {
    // Simulate a crash between "journal says loading" and "journal says loaded":
    // the journal stays at loading, and the live ruleset is the old or the new one.
    const { after } = await applyAndKill(['--sysctl']);
    const journal = join(scratch.stateDir, 'lock', 'journal');
    const rewrite = (phase: string): void => {
      const r = spawnSync('sed', ['-i', `s/^phase=.*/phase=${phase}/`, journal]);
      expect(r.status).toBe(0);
    };
    rewrite('loading');
    let status = agent.status().stdout;
    expect(status).toContain('phase: loading');
    expect(status).toContain('live: new');

    ns.load(`flush ruleset\n${before}`); // as if the transaction had not committed
    status = agent.status().stdout;
    expect(status).toContain('live: old');

    ns.load(`flush ruleset\n${after}`);
    ns.writeSysctl(LOOSE, '1'); // as if it died before setting the sysctls
    const c = agent.run(['confirm']);
    expect(c.code, c.stderr).toBe(EXIT.ok);
    expect(ns.listing()).toBe(after);
    expect(ns.readSysctl(LOOSE)).toBe('0'); // confirm finishes what the apply started
  });

  it('SIGTERM to the waiting apply rolls back at once', async () => {
    const apply = agent.start(['apply', file, '--confirm', '60']);
    const loaded = await agent.waitForStatus(/^phase: loaded$/m);
    process.kill(statusPid(loaded.stdout), 'SIGTERM');
    const r = await apply.done;
    expect(r.code, r.stderr).toBe(EXIT.rolledBack);
    expect(r.stderr).toContain('interrupted by SIGTERM: restored the previous ruleset');
    expect(r.ms).toBeLessThan(15_000);
    expect(ns.listing()).toBe(before);
  });

  it('SIGHUP (the connection dropped) does not roll back: the apply keeps waiting for confirm, logging to agent.log', async () => {
    const apply = agent.start(['apply', file, '--confirm', '60']);
    const loaded = await agent.waitForStatus(/^phase: loaded$/m);
    const after = ns.listing();
    process.kill(statusPid(loaded.stdout), 'SIGHUP');
    await sleep(700);
    const status = agent.status().stdout;
    expect(status).toContain('pending: yes');
    expect(status).toMatch(/process: \d+ \(running\)/);
    expect(ns.listing()).toBe(after);
    expect(agent.run(['confirm']).code).toBe(EXIT.ok);
    const r = await apply.done;
    expect(r.code).toBe(EXIT.ok);
    const log = readFileSync(join(scratch.stateDir, 'agent.log'), 'utf8');
    expect(log).toContain('terminal hung up; still waiting');
    expect(log).toContain('confirmed: keeping the new ruleset');
    expect(ns.listing()).toBe(after);
  });

  it('SIGHUP when agent.log cannot be created (a directory is in its place): the apply keeps waiting and rolls back at its deadline', async () => {
    mkdirSync(join(scratch.stateDir, 'agent.log'), { recursive: true, mode: 0o700 });
    const apply = agent.start(['apply', file, '--confirm', '3']);
    const loaded = await agent.waitForStatus(/^phase: loaded$/m);
    process.kill(statusPid(loaded.stdout), 'SIGHUP');
    const r = await apply.done;
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(EXIT.rolledBack);
    expect(ns.listing()).toBe(before);
    expect(agent.status().stdout).toContain('pending: none');
  });

  it('output piped to a reader that has exited does not kill the apply with SIGPIPE: it rolls back at its deadline', () => {
    const rc = join(scratch.dir, 'apply.rc');
    const gone = join(scratch.dir, 'reader-gone');
    // the apply starts once the only reader of the pipe has closed it
    const r = ns.run([
      'sh',
      '-c',
      'rc=$1 gone=$2; shift 2; { until [ -e "$gone" ]; do sleep 0.01; done; "$@"; echo $? >"$rc"; } 2>&1 | { exec <&-; : >"$gone"; }',
      'sh',
      rc,
      gone,
      ...agent.argv(['apply', file, '--confirm', '2']),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(rc, 'utf8').trim()).toBe(String(EXIT.rolledBack));
    expect(ns.listing()).toBe(before);
    expect(agent.status().stdout).toContain('pending: none');
  });

  it('confirm and rollback run at once on a dead apply: exactly one settles it, and what it says is what is live', async () => {
    const apply = agent.start(['apply', file, '--confirm', '60']);
    const loaded = await agent.waitForStatus(/^phase: loaded$/m);
    const after = ns.listing();
    process.kill(statusPid(loaded.stdout), 'SIGKILL');
    await apply.done;
    // nft list ruleset takes 1 s more, so that the two overlap
    const slow = scratch.file('nft-slow-list', '#!/bin/sh\ncase " $* " in *" list ruleset "*) sleep 1 ;; esac\nexec nft "$@"\n', 0o755);
    const env = { NFT: slow };
    const c = agent.start(['confirm'], { env });
    const rb = agent.start(['rollback'], { env });
    const [cr, rr] = await Promise.all([c.done, rb.done]);
    const out = `confirm ${cr.code}: ${cr.stdout}${cr.stderr}\nrollback ${rr.code}: ${rr.stdout}${rr.stderr}`;
    const live = ns.listing();
    if (cr.code === EXIT.ok && rr.code === EXIT.ok) {
      // one after the other: confirm kept it, then rollback restored the newest backup
      expect(rr.stdout, out).toContain('restored the newest backup');
      expect(live).toBe(before);
    } else if (cr.code === EXIT.ok) {
      expect(cr.stdout, out).toContain('keeping the new ruleset');
      expect(live, out).toBe(after);
    } else {
      expect(rr.code, out).toBe(EXIT.ok);
      expect(live, out).toBe(before);
    }
    // the loser said why
    for (const r of [cr, rr]) {
      if (r.code !== EXIT.ok) expect([EXIT.pending, EXIT.nothing, EXIT.rolledBack], out).toContain(r.code);
    }
    expect(agent.status().stdout).toContain('pending: none');
  });

  it('SIGTERM to a rollback (nothing pending) while its restore runs: the restore still completes, lock and script kept for it', async () => {
    const ap = agent.run(['apply', file, '--confirm', '0']);
    expect(ap.code, ap.stderr).toBe(EXIT.ok);
    // the restore's nft starts 1 s late, so the signal lands while it runs
    const slow = scratch.file('nft-slow-restore', '#!/bin/sh\ncase "$1 $2" in "-f "*restore.nft) sleep 1 ;; esac\nexec nft "$@"\n', 0o755);
    const rb = agent.start(['rollback'], { env: { NFT: slow } });
    for (let i = 0; journal(scratch.stateDir).phase !== 'rolling-back'; i += 1) {
      if (i > 200) throw new Error('the rollback never reached phase rolling-back');
      await sleep(20);
    }
    rb.child.kill('SIGTERM');
    await rb.done;
    // status waits for the recorded nft child, then reports
    const st = agent.status();
    expect(st.code, st.stderr).toBe(EXIT.ok);
    expect(ns.listing()).toBe(before);
  });

  it('rollback from another connection while the apply waits: restores, and the apply exits 10', async () => {
    const apply = agent.start(['apply', file, '--confirm', '60']);
    await agent.waitForStatus(/^phase: loaded$/m);
    const rb = agent.run(['rollback']);
    expect(rb.code, rb.stderr).toBe(EXIT.ok);
    expect(ns.listing()).toBe(before);
    const r = await apply.done;
    expect(r.code).toBe(EXIT.rolledBack);
    expect(r.stderr).toContain('rolled back on request');
    expect(agent.run(['confirm']).code).toBe(EXIT.nothing);
  });

  it('confirm after the timer ran out is refused', async () => {
    const apply = agent.start(['apply', file, '--confirm', '1']);
    const r = await apply.done;
    expect(r.code).toBe(EXIT.rolledBack);
    const c = agent.run(['confirm']);
    expect(c.code).toBe(EXIT.nothing);
    expect(ns.listing()).toBe(before);
  });

  it('a stale lock from an apply that died before loading is taken over', () => {
    // A pid that surely is gone: a process that has exited and been reaped.
    const dead = spawnSync('sh', ['-c', 'sh -c "echo \\$\\$" ']).stdout.toString().trim();
    const lock = join(scratch.stateDir, 'lock');
    mkdirSync(lock, { recursive: true, mode: 0o700 });
    writeFileSync(join(lock, 'owner'), `${dead} 1\n`);
    writeFileSync(join(lock, 'journal'), `phase=checking\npid=${dead}\n`);
    expect(agent.status().stdout).toContain(`process: ${dead} (dead`);
    const r = agent.run(['apply', file, '--confirm', '0']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toContain(`removing a stale lock left by pid ${dead}`);
  });

  it('rollback and confirm with nothing pending and no backup say so (exit 12)', () => {
    expect(agent.run(['confirm']).code).toBe(EXIT.nothing);
    const rb = agent.run(['rollback']);
    expect(rb.code).toBe(EXIT.nothing);
    expect(rb.stderr).toContain('no saved backup');
    expect(ns.listing()).toBe(before);
  });
});
