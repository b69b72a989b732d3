// Fault injection: kill -9 of the agent's shell alone, and of its whole process
// group, in each phase of an apply: checking, loading, waiting for confirmation,
// rolling back. Each phase is detected by a condition (the journal's phase, a
// recorded nft child running, a child process appearing), never by a fixed sleep.
// To make the slow steps slow on any machine, NFT is a stand-in that starts the
// real nft only after 2 s at the step under test (nft -c, the real load, the
// restore), and only in the test's namespace (the trial load, in a namespace of its
// own, runs at full speed): the kill lands while that nft has yet to commit, which
// is what an orphaned 100k-rule load looks like. After each kill: the live ruleset
// is byte for byte the old or the new one, `status` says which (waiting for an nft
// the killed shell left running), and a rollback restores the old one.
import { afterAll, describe, expect, it } from 'vitest';
import {
  Agent,
  EXIT,
  Netns,
  OLD_RULESET,
  REPLACING_SCRIPT,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  type Background,
} from './helpers.ts';
import {
  FaultCounter,
  alive,
  children,
  expectOldOrNew,
  expectRollbackRestores,
  journal,
  recordedChild,
  stateless,
  statelessOf,
  waitFor,
  waitGone,
} from './faults.ts';

const skip = agentSuitePrerequisites('tests/agent/faults-kill.test.ts', ['readlink']);

/** Test stand-in for nft: 2 s of delay at the step named by $SLOW_AT, in the namespace $REAL_NS only. */
const SLOW_NFT = `#!/bin/sh
case "$SLOW_AT:$1:$2" in
checking:-c:* | loading:-f:*/script.nft | rolling-back:-f:*restore.nft)
  [ "$(readlink /proc/self/ns/net)" = "$REAL_NS" ] && sleep 2 ;;
esac
exec nft "$@"
`;

const counter = new FaultCounter('kill -9');
afterAll(() => {
  if (!skip) counter.report();
});

type Target = 'shell' | 'group';
type Phase = 'checking' | 'loading' | 'waiting' | 'rolling back';

describe.skipIf(skip).each(SHELLS)('fault injection: kill -9 during an apply under $name', (shell) => {
  /** One fault: set up, start the apply, wait for the phase, kill, check the invariant. */
  async function killAt(phase: Phase, target: Target, settle: 'rollback' | 'confirm' = 'rollback'): Promise<void> {
    const ns = new Netns();
    const scratch = new Scratch();
    let apply: Background | undefined;
    try {
      const agent = new Agent(shell, ns, scratch.stateDir);
      ns.load(OLD_RULESET);
      const oldS = stateless(ns);
      const newS = statelessOf(() => new Netns(), REPLACING_SCRIPT);
      const file = scratch.file('new.nft', REPLACING_SCRIPT);
      const nft = scratch.file('slow-nft', SLOW_NFT, 0o755);
      const env = {
        NFT: nft,
        SLOW_AT: phase === 'rolling back' ? 'rolling-back' : phase,
        REAL_NS: ns.run(['readlink', '/proc/self/ns/net']).stdout.trim(),
      };
      const confirm = phase === 'rolling back' ? '1' : '60';
      apply = agent.start(['apply', file, '--confirm', confirm], { detached: true, timeoutMs: 170_000, env });
      const pid = apply.child.pid!;

      await counter.must(shell.name, `kill -9 of the ${target} while ${phase}, then ${settle}`, async () => {
        // Wait for the phase: a condition, not a sleep.
        if (phase === 'checking') {
          await waitFor('phase checking with a child running', () =>
            journal(scratch.stateDir).phase === 'checking' && children(pid).some((c) => /nft|timeout|unshare/.test(c.cmd)),
          );
        } else if (phase === 'loading') {
          await waitFor('the recorded nft of the load running', () => recordedChild(scratch.stateDir, 'loading'));
        } else if (phase === 'waiting') {
          await waitFor('phase loaded', () => journal(scratch.stateDir).phase === 'loaded');
        } else {
          await waitFor('the recorded nft of the rollback running', () => recordedChild(scratch.stateDir, 'rolling-back'));
        }
        if (target === 'shell') process.kill(pid, 'SIGKILL');
        else process.kill(-pid, 'SIGKILL');
        await waitGone(pid);

        // status waits for any recorded nft the kill left running, then tells the truth
        const state = expectOldOrNew(agent, ns, oldS, newS);
        expect(state.pending, state.status).toBe(true);
        expect(state.status).toMatch(new RegExp(`^process: ${pid} \\(dead`, 'm'));
        // nothing it recorded is still running after status returned
        const child = journal(scratch.stateDir).child;
        if (child) expect(alive(Number(child.split(' ')[0]))).toBe(false);
        if (phase === 'checking') {
          expect(state.live).toBe('old');
          expect(state.status).toContain('live: old (nothing loaded yet)');
          // not due: nothing was loaded; a new apply takes over the stale lock
          const next = agent.run(['apply', scratch.file('small.nft', REPLACING_SCRIPT), '--confirm', '0']);
          expect(next.code, next.stderr).toBe(EXIT.ok);
          expect(next.stderr).toContain(`removing a stale lock left by pid ${pid}`);
          expectRollbackRestores(agent, ns, oldS, { live: 'new', pending: false });
        } else {
          if (phase === 'waiting') expect(state.live).toBe('new');
          // With only the shell killed, its nft goes on and commits: status must
          // have waited for it (the load's new ruleset, the rollback's old one).
          if (target === 'shell' && phase === 'loading') expect(state.live).toBe('new');
          if (target === 'shell' && phase === 'rolling back') expect(state.live).toBe('old');
          if (settle === 'confirm') {
            // confirm keeps what the orphaned load committed, instead of claiming
            // that the load never took effect
            const c = agent.run(['confirm']);
            expect(c.code, c.stderr).toBe(EXIT.ok);
            expect(c.stdout).toContain('keeping the new ruleset');
            expect(stateless(ns)).toBe(newS);
            expect(agent.status().stdout).toContain('pending: none');
            const r = await apply!.done;
            expect(r.signal).toBe('SIGKILL');
            expect(stateless(ns)).toBe(newS);
            return;
          }
          expectRollbackRestores(agent, ns, oldS, state);
          // and it stays restored: no orphan commits anything later
          const r = await apply!.done;
          expect(r.signal).toBe('SIGKILL');
          expect(stateless(ns)).toBe(oldS);
        }
      });
      await apply.done;
    } finally {
      if (apply && apply.child.exitCode === null) {
        try {
          process.kill(-apply.child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await apply?.done.catch(() => undefined);
      ns.remove();
      scratch.cleanup();
    }
  }

  for (const phase of ['checking', 'loading', 'waiting', 'rolling back'] as const) {
    for (const target of ['shell', 'group'] as const) {
      it(`kill -9 of the ${target === 'shell' ? "agent's shell alone" : 'whole process group'} while ${phase}`, async () => {
        await killAt(phase, target);
      });
    }
  }
  it("kill -9 of the agent's shell alone while loading, then confirm (not rollback): the orphan's load is kept", async () => {
    await killAt('loading', 'shell', 'confirm');
  });
});
