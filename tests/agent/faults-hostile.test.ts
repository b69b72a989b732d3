// Fault injection: hostile parent directories (and an unprivileged user swapping the
// state directory during the confirmation wait), wrapping and absurd numbers,
// includes of devices and FIFOs, nft calls that never finish, and two concurrent
// applies. After each fault: the live ruleset is byte for byte the old or the new
// one, `status` says which, and a due rollback restores the old one.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Agent,
  EXIT,
  Netns,
  REPLACING_SCRIPT,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  withAgentNamespace,
} from './helpers.ts';
import {
  FaultCounter,
  expectOldOrNew,
  expectRollbackRestores,
  journal,
  stateless,
  statelessOf,
  waitFor,
} from './faults.ts';

const skip = agentSuitePrerequisites('tests/agent/faults-hostile.test.ts', ['mkfifo']);

const counter = new FaultCounter('hostile');
afterAll(() => {
  if (!skip) counter.report();
});

const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/** Run a fixed shell snippet as nobody (test scaffolding: the unprivileged attacker). */
function asNobody(snippet: string, ...args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), 'sh', '-c', snippet, 'sh', ...args], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

const OTHER_SCRIPT = 'flush ruleset\ntable ip other {\n\tchain c {\n\t\ttcp dport 4242 accept\n\t}\n}\n';

describe.skipIf(skip).each(SHELLS)('fault injection: hostile paths, numbers, includes, races under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let oldS: string;
  let newS: string;

  withAgentNamespace(shell, (f) => {
    ({ ns, scratch, agent } = f);
  });

  /** Nothing changed and nothing pending: the invariant after a refused command. */
  function expectUntouched(): void {
    const state = expectOldOrNew(agent, ns, oldS, newS);
    expect(state.live).toBe('old');
    expect(state.pending).toBe(false);
  }

  function prepare(): string {
    oldS = stateless(ns);
    newS = statelessOf(() => new Netns(), REPLACING_SCRIPT);
    return scratch.file('new.nft', REPLACING_SCRIPT);
  }

  it('refuses a state dir below a directory others may write, or that others own (also via a symlink): exit 13, nothing created', async () => {
    const file = prepare();
    chmodSync(scratch.dir, 0o755);
    const cases: Array<{ name: string; make: (dir: string) => string; message: RegExp }> = [
      { name: 'world-writable', make: (d) => (chmodSync(d, 0o777), d), message: /is writable by group or others \(mode drwxrwxrwx/ },
      { name: 'sticky like /tmp', make: (d) => (chmodSync(d, 0o1777), d), message: /is writable by group or others \(mode drwxrwxrwt/ },
      { name: 'group-writable', make: (d) => (chownSync(d, 0, 65534), chmodSync(d, 0o775), d), message: /is writable by group or others/ },
      { name: 'owned by nobody', make: (d) => (chownSync(d, 65534, 65534), chmodSync(d, 0o755), d), message: /does not belong to root/ },
      {
        name: 'reached through a symlink',
        make: (d) => {
          chmodSync(d, 0o777);
          const link = `${d}-link`;
          symlinkSync(d, link);
          return link;
        },
        message: /is writable by group or others/,
      },
    ];
    for (const c of cases) {
      const dir = join(scratch.dir, c.name.replace(/\W+/g, '-'));
      mkdirSync(dir);
      const parent = c.make(dir);
      const sd = join(parent, 'a', 'sd');
      for (const args of [['check', file], ['apply', file, '--confirm', '0'], ['status'], ['rollback'], ['confirm']]) {
        await counter.run(shell.name, `state dir below a ${c.name} parent: ${args[0]}`, () => {
          const r = new Agent(shell, ns, sd).run(args);
          expect(r.code, `${c.name} ${args[0]}: ${r.stderr}`).toBe(EXIT.environment);
          expect(r.stderr).toMatch(/refusing the state directory/);
          expect(r.stderr).toMatch(c.message);
          expect(existsSync(join(dir, 'a')), 'created something below the hostile parent').toBe(false);
          expect(stateless(ns)).toBe(oldS);
        });
      }
    }
    expectUntouched();
  });

  it('an unprivileged user swaps the state dir during the wait (parent made writable): the agent loads nothing of theirs, writes through no symlink, and a rollback later restores', async () => {
    const file = prepare();
    chmodSync(scratch.dir, 0o755);
    const pub = join(scratch.dir, 'pub');
    mkdirSync(pub, { mode: 0o755 });
    const sd = join(pub, 'sd');
    const victim = scratch.file('victim', 'precious root-owned content\n', 0o644);
    const a = new Agent(shell, ns, sd);
    const apply = a.start(['apply', file, '--confirm', '3']);
    await waitFor('phase loaded', () => journal(sd).phase === 'loaded', 60_000);
    const pid = apply.child.pid!;

    await counter.must(shell.name, 'state dir swapped by nobody during the confirm wait', async () => {
      chmodSync(pub, 0o777); // the mistake that lets nobody in
      const planted = asNobody(
        `set -e
        cd "$1"
        mv sd sd.real
        mkdir -p sd/backups sd/lock "sd/work.$2"
        printf 'table ip planted {\\n}\\n' > sd/backups/000001-20250101T000000Z.nft
        printf 'phase=loaded\\npid=%s\\nbackup=000001-20250101T000000Z\\nconfirm=3\\n' "$2" > sd/lock/journal
        printf '%s 1\\n' "$2" > sd/lock/owner
        ln -s "$3" sd/lock/restore.nft
        ln -s "$3" "sd/work.$2/restore.nft"
        ln -s "$3" "sd/work.$2/restore.err"`,
        pub,
        String(pid),
        victim,
      );
      expect(planted.code, planted.stderr).toBe(0);
      const r = await apply.done;
      expect(r.code, r.stderr).toBe(EXIT.rollbackFailed);
      expect(r.stderr).toMatch(/is writable by group or others/);
      expect(r.stderr).toMatch(/not acting on it|no longer safe/);
      expect(r.stderr).not.toContain('restored the previous ruleset');
      expect(readFileSync(victim, 'utf8')).toBe('precious root-owned content\n');
      const live = stateless(ns);
      expect(live).not.toContain('planted');
      expect(live).toBe(newS);
      // Repair: the parent root's alone again, the attacker's tree gone, ours back.
      chmodSync(pub, 0o755);
      spawnSync('rm', ['-rf', join(pub, 'sd')]);
      spawnSync('mv', [join(pub, 'sd.real'), join(pub, 'sd')]);
      const state = expectOldOrNew(a, ns, oldS, newS);
      expect(state).toMatchObject({ live: 'new', pending: true });
      expect(state.status).toMatch(new RegExp(`^process: ${pid} \\(dead`, 'm'));
      expectRollbackRestores(a, ns, oldS, state);
      expect(readFileSync(victim, 'utf8')).toBe('precious root-owned content\n');
    });
  });

  it('a rollback re-validates what it loads: a tampered backup is refused, a restore script swapped for a symlink is not followed', async () => {
    const file = prepare();
    const victim = scratch.file('victim2', 'precious\n', 0o644);
    for (const tamper of ['backup', 'restore.nft'] as const) {
      await counter.run(shell.name, `rollback after the ${tamper} was tampered with`, async () => {
        const apply = agent.start(['apply', file, '--confirm', '60']);
        await waitFor('phase loaded', () => journal(scratch.stateDir).phase === 'loaded');
        process.kill(apply.child.pid!, 'SIGKILL');
        await apply.done;
        const id = journal(scratch.stateDir).backup;
        const backup = join(scratch.stateDir, 'backups', `${id}.nft`);
        const restore = join(scratch.stateDir, 'lock', 'restore.nft');
        if (tamper === 'backup') {
          const good = readFileSync(backup, 'utf8');
          writeFileSync(backup, `${good}table ip planted {\n}\n`);
          const rb = agent.run(['rollback']);
          expect(rb.code, rb.stderr).toBe(EXIT.rollbackFailed);
          expect(rb.stderr).toContain('does not match the checksum recorded when it was written');
          expect(stateless(ns)).toBe(newS);
          writeFileSync(backup, good); // repaired: now it loads
        } else {
          spawnSync('rm', ['-f', restore]);
          symlinkSync(victim, restore);
        }
        const state = expectOldOrNew(agent, ns, oldS, newS);
        expect(state).toMatchObject({ live: 'new', pending: true });
        expectRollbackRestores(agent, ns, oldS, state);
        expect(readFileSync(victim, 'utf8')).toBe('precious\n');
        expect(stateless(ns)).not.toContain('planted');
      });
    }
  });

  it('refuses wrapping and absurd numbers in options and environment (exit 2), in every shell', async () => {
    const file = prepare();
    const confirms = [
      '18446744073709551616',
      '18446744073709551617',
      '9223372036854775808',
      '9223372036854775807',
      '99999999999999999999999999',
      '4294967296',
      '86401',
      '08',
      '007',
      '00',
      '-0',
      '+5',
      '-5',
      ' 5',
      '5 ',
      '1e3',
      '0x10',
      '5.0',
      '',
    ];
    for (const c of confirms) {
      await counter.run(shell.name, `--confirm "${c}"`, () => {
        const r = agent.run(['apply', file, '--confirm', c]);
        expect(r.code, `--confirm "${c}": ${r.stdout}${r.stderr}`).toBe(EXIT.usage);
        expect(r.stdout).not.toContain('loaded');
        expect(stateless(ns)).toBe(oldS);
      });
    }
    const envs: Array<[string, string]> = [
      ['NFT_AGENT_TIMEOUT', '18446744073709551616'],
      ['NFT_AGENT_TIMEOUT', '0'],
      ['NFT_AGENT_TIMEOUT', '010'],
      ['NFT_AGENT_TIMEOUT', '86401'],
      ['NFT_AGENT_MAX_BYTES', '18446744073709551616'],
      ['NFT_AGENT_MAX_BYTES', '9223372036854775807'],
      ['NFT_AGENT_MAX_BYTES', '0'],
      ['NFT_AGENT_KEEP_BACKUPS', '18446744073709551617'],
      ['NFT_AGENT_KEEP_BACKUPS', '-1'],
      ['NFT_AGENT_KEEP_BACKUPS', '010'],
    ];
    for (const [k, v] of envs) {
      await counter.run(shell.name, `${k}="${v}"`, () => {
        const r = agent.run(['apply', file, '--confirm', '0'], { env: { [k]: v } });
        expect(r.code, `${k}=${v}: ${r.stderr}`).toBe(EXIT.usage);
        expect(r.stderr).toContain(k);
        expect(stateless(ns)).toBe(oldS);
      });
    }
    expectUntouched();
    // The bounds themselves are accepted.
    expect(agent.run(['check', file], { env: { NFT_AGENT_TIMEOUT: '86400', NFT_AGENT_KEEP_BACKUPS: '10000' } }).code).toBe(EXIT.ok);
  });

  it('numbers read back from state files are bounded too: a planted seq, deadline, owner and child pid do not wrap', async () => {
    const file = prepare();
    // An absurd backup counter: not wrapped to 0 or negative, but ignored with a warning.
    mkdirSync(join(scratch.stateDir, 'backups'), { recursive: true, mode: 0o700 });
    for (const seq of ['18446744073709551615', '0012', '-3']) {
      await counter.run(shell.name, `backups/seq = ${seq}`, () => {
        writeFileSync(join(scratch.stateDir, 'backups', 'seq'), `${seq}\n`);
        const r = agent.run(['apply', file, '--confirm', '0']);
        expect(r.code, r.stderr).toBe(EXIT.ok);
        expect(r.stderr).toContain(`ignoring ${scratch.stateDir}/backups/seq: "${seq}" is not a backup number`);
        expect(r.stdout).toMatch(/loaded \(backup \d{6}-\d{8}T\d{6}Z\)/);
        expect(readFileSync(join(scratch.stateDir, 'backups', 'seq'), 'utf8')).toMatch(/^[1-9]\d{0,2}\n$/);
        expectRollbackRestores(agent, ns, oldS, expectOldOrNew(agent, ns, oldS, newS));
      });
    }
    // A planted lock with absurd numbers: status neither wraps nor crashes; apply is refused.
    const lock = join(scratch.stateDir, 'lock');
    mkdirSync(lock, { mode: 0o700 });
    writeFileSync(join(lock, 'owner'), '99999999999999999999 18446744073709551616\n');
    writeFileSync(
      join(lock, 'journal'),
      'phase=loaded\npid=99999999999999999999\ndeadline=18446744073709551616\nconfirm=9223372036854775808\nchild=18446744073709551617 5\nbackup=000001-20250101T000000Z\n',
    );
    await counter.run(shell.name, 'planted lock with wrapping numbers', () => {
      const st = agent.status();
      expect(st.code, st.stderr).toBe(EXIT.ok);
      expect(st.stdout).toContain('pending: yes');
      expect(st.stdout).toContain('process: ? (dead');
      expect(st.stdout).not.toMatch(/seconds-left: -?\d/);
      const r = agent.run(['apply', file, '--confirm', '0']);
      expect(r.code, r.stderr).toBe(EXIT.pending);
      expect(stateless(ns)).toBe(oldS);
    });
  });

  it('refuses includes of devices and FIFOs (and a FIFO or device as the script) in check, apply and diff, at once, lock released', async () => {
    const file = prepare();
    const fifo = join(scratch.dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const dir = join(scratch.dir, 'incdir');
    mkdirSync(dir);
    scratch.file('incdir/a.nft', 'table ip a {\n}\n');
    expect(spawnSync('mkfifo', [join(dir, 'b.nft')]).status).toBe(0);
    const nested = scratch.file('nested.nft', `include "${fifo}"\n`);
    const oddFifo = join(scratch.dir, 'fi#fo;x');
    expect(spawnSync('mkfifo', [oddFifo]).status).toBe(0);
    const scripts: Array<[string, string, RegExp]> = [
      ['/dev/zero', `include "/dev/zero"\n${REPLACING_SCRIPT}`, /include "\/dev\/zero" is not a regular file/],
      ['a FIFO', `${REPLACING_SCRIPT}include "${fifo}"\n`, /include ".*fifo" is not a regular file/],
      ['a FIFO, after ";"', `table ip t { }; include "${fifo}"\n`, /include ".*fifo" is not a regular file/],
      ['a directory holding a FIFO', `include "${dir}/"\n`, /include ".*incdir\/" reads .*b\.nft, which is not a regular file/],
      ['a wildcard matching a FIFO', `include "${dir}/*.nft"\n`, /include ".*incdir\/\*\.nft" is not a regular file/],
      ['a FIFO, included by an include', `include "${nested}"\n`, /include ".*fifo" \(in .*nested\.nft\) is not a regular file/],
      ['/dev/zero, by a name nft looks up in /etc', `include "default/../../dev/zero"\n`, /include "default\/\.\.\/\.\.\/dev\/zero" is not a regular file/],
      ['a FIFO, inside a block', `table inet t { include "${fifo}"; }\n`, /include ".*fifo" is not a regular file/],
      ['a FIFO, with no blank after include', `include"${fifo}"\n`, /include ".*fifo" is not a regular file/],
      ['a FIFO whose name holds "#" and ";"', `include "${oddFifo}" # a comment\n`, /include ".*fi#fo;x" is not a regular file/],
    ];
    for (const [what, text, message] of scripts) {
      const f = scratch.file('inc.nft', text);
      for (const cmd of ['check', 'apply', 'diff']) {
        await counter.run(shell.name, `${cmd} with an include of ${what}`, () => {
          const r = agent.run(cmd === 'apply' ? [cmd, f, '--confirm', '0'] : [cmd, f], { timeoutMs: 30_000 });
          expect(r.signal, 'hung').toBeNull();
          expect(r.code, `${what}: ${r.stderr}`).toBe(EXIT.badInput);
          expect(r.stderr).toMatch(message);
          expect(r.ms).toBeLessThan(15_000);
          expectUntouched();
        });
      }
    }
    // A file that includes itself four times: nft stops at its depth limit; the
    // agent's own walk must not take 4^16 steps to get there.
    const self = join(scratch.dir, 'self.nft');
    scratch.file('self.nft', `include "${self}"\n`.repeat(4));
    await counter.run(shell.name, 'check of a script including a file that includes itself 4 times', () => {
      const r = agent.run(['check', self], { timeoutMs: 30_000 });
      expect(r.signal, 'hung').toBeNull();
      expect(r.code, r.stderr).toBe(EXIT.checkFailed);
      expect(r.ms).toBeLessThan(15_000);
      expectUntouched();
    });
    for (const [what, path] of [['a FIFO', fifo], ['/dev/zero', '/dev/zero']]) {
      for (const cmd of ['check', 'apply', 'diff']) {
        await counter.run(shell.name, `${cmd} of ${what} as the script`, () => {
          const r = agent.run([cmd, path], { timeoutMs: 30_000 });
          expect(r.code, r.stderr).toBe(EXIT.badInput);
          expect(r.stderr).toContain('not a regular file');
          expectUntouched();
        });
      }
    }
    void file;
  });

  it('an nft that never finishes: nft -c and the trial load are cut off at NFT_AGENT_TIMEOUT, with the lock released', async () => {
    const file = prepare();
    // A stand-in nft that hangs at nft -c, or at loading the script (the trial).
    const hangCheck = scratch.file('nft-hang-c', '#!/bin/sh\n[ "$1" = -c ] && exec sleep 600\nexec nft "$@"\n', 0o755);
    const hangLoad = scratch.file(
      'nft-hang-f',
      '#!/bin/sh\ncase "$1 $2" in "-f "*/script.nft) exec sleep 600 ;; esac\nexec nft "$@"\n',
      0o755,
    );
    for (const [what, nft, message] of [
      ['nft -c', hangCheck, /nft -c did not finish within 1 s \(NFT_AGENT_TIMEOUT\)/],
      ['the trial load', hangLoad, /the trial load .* did not finish within 1 s \(NFT_AGENT_TIMEOUT\)/],
    ] as const) {
      for (const cmd of ['check', 'apply']) {
        await counter.run(shell.name, `${cmd}: ${what} hangs`, () => {
          const r = agent.run([cmd, file, ...(cmd === 'apply' ? ['--confirm', '0'] : [])], {
            env: { NFT: nft, NFT_AGENT_TIMEOUT: '1' },
            timeoutMs: 60_000,
          });
          expect(r.signal, 'the agent hung').toBeNull();
          expect(r.code, r.stderr).toBe(EXIT.checkFailed);
          expect(r.stderr).toMatch(message);
          expect(r.ms).toBeLessThan(20_000);
          expectUntouched(); // the lock was released
        });
      }
    }
  });

  it('two concurrent applies: exactly one goes ahead, the other is refused (exit 9); rollback restores', async () => {
    const file = prepare();
    const other = scratch.file('other.nft', OTHER_SCRIPT);
    const otherS = statelessOf(() => new Netns(), OTHER_SCRIPT);
    for (let round = 0; round < 3; round += 1) {
      await counter.run(shell.name, `two concurrent applies, round ${round + 1}`, async () => {
        const one = agent.start(['apply', file, '--confirm', '30']);
        const two = agent.start(['apply', other, '--confirm', '30']);
        const loser = await Promise.race([one.done.then(() => 'one' as const), two.done.then(() => 'two' as const)]);
        const lost = await (loser === 'one' ? one : two).done;
        expect(lost.code, lost.stderr).toBe(EXIT.pending);
        expect(lost.stderr).toMatch(/another apply is pending|exists without an owner/);
        await waitFor('the winner to load', () => journal(scratch.stateDir).phase === 'loaded');
        const winnerS = loser === 'one' ? otherS : newS;
        const state = expectOldOrNew(agent, ns, oldS, winnerS);
        expect(state).toMatchObject({ live: 'new', pending: true });
        expectRollbackRestores(agent, ns, oldS, state);
        const won = await (loser === 'one' ? two : one).done;
        expect(won.code, won.stderr).toBe(EXIT.rolledBack);
      });
    }
  });
});
