// Shared pieces of the fault-injection tier (tests/agent/faults-*.test.ts): the
// invariant checked after every fault, waits for a phase, and the fault counter
// whose summary line each file prints.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Agent, type Scratch, EXIT, Netns, REPLACING_SCRIPT, sleep } from './helpers.ts';

/** `nft -s list ruleset` inside the namespace: what "byte for byte" compares. */
export function stateless(ns: Netns): string {
  const r = ns.nft('-s', 'list', 'ruleset');
  if (r.code !== 0) throw new Error(`nft -s list ruleset failed in ${ns.name}: ${r.stderr}`);
  return r.stdout;
}

/** What a stateless listing of `script` loaded alone in a fresh namespace looks like. */
export function statelessOf(make: () => Netns, script: string): string {
  const probe = make();
  try {
    probe.load(script);
    return stateless(probe);
  } finally {
    probe.remove();
  }
}

/**
 * The setup both full-file-system tiers share: `old` loaded live in `ns`, the
 * stateless listings of it and of REPLACING_SCRIPT (what "old" and "new" mean
 * byte for byte), an empty mount point and output folder, and the script file.
 */
export function fullFsSetup(ns: Netns, scratch: Scratch, old: string): { oldS: string; newS: string; mnt: string; out: string; newFile: string } {
  ns.load(old);
  const oldS = stateless(ns);
  const newS = statelessOf(() => new Netns(), REPLACING_SCRIPT);
  const mnt = join(scratch.dir, 'mnt');
  const out = join(scratch.dir, 'out');
  mkdirSync(mnt);
  mkdirSync(out);
  return { oldS, newS, mnt, out, newFile: scratch.file('new.nft', REPLACING_SCRIPT) };
}

/**
 * Counts faults per label (e.g. "dash"): injected when a fault is set off,
 * survived when every check after it passed. Checks of one fault that fail are
 * collected (not thrown at once), so a sweep reports all failures and true counts.
 */
export class FaultCounter {
  private readonly counts = new Map<string, { injected: number; survived: number }>();
  readonly failures: string[] = [];

  constructor(readonly tier: string) {}

  /** Inject one fault (run `fault`), then check it (run `check`); records the outcome. */
  async run(label: string, what: string, check: () => void | Promise<void>): Promise<void> {
    const c = this.counts.get(label) ?? { injected: 0, survived: 0 };
    this.counts.set(label, c);
    c.injected += 1;
    try {
      await check();
      c.survived += 1;
    } catch (e) {
      this.failures.push(`${label}: ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Like run, but throws this fault's failure at once (one fault per test). */
  async must(label: string, what: string, check: () => void | Promise<void>): Promise<void> {
    const before = this.failures.length;
    await this.run(label, what, check);
    if (this.failures.length > before) throw new Error(this.failures[this.failures.length - 1]);
  }

  summary(): string {
    const parts = [...this.counts].map(([label, c]) => `${label}: injected ${c.injected}, survived ${c.survived}`);
    return `FAULTS ${this.tier}: ${parts.join('; ')}`;
  }

  /** Print the summary line and fail if any fault was not survived. */
  report(): void {
    console.log(this.summary());
    expect(this.failures, this.failures.join('\n\n')).toEqual([]);
  }
}

/** Poll `cond` every 20 ms until it returns a value, or throw after timeoutMs. */
export async function waitFor<T>(what: string, cond: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The journal's key=value lines (empty if there is none right now). */
export function journal(stateDir: string): Record<string, string> {
  const file = join(stateDir, 'lock', 'journal');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0 && !(line.slice(0, i) in out)) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie is not alive
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Pids whose parent is `pid` (from /proc), with their command lines. */
export function children(pid: number): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(d), cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The journal names a recorded nft child in `phase`, and that child is running: its pid. */
export function recordedChild(stateDir: string, phase: string): number | undefined {
  const j = journal(stateDir);
  if (j.phase !== phase || !j.child) return undefined;
  const pid = Number(j.child.split(' ')[0]);
  return pid > 0 && alive(pid) ? pid : undefined;
}

export async function waitGone(pid: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(`pid ${pid} to end`, () => !alive(pid), timeoutMs);
}

export type Which = 'old' | 'new';

/**
 * The invariant after a fault: the namespace's stateless listing is byte for byte
 * the old or the new one, and `status` says truly which (when an apply is pending;
 * with nothing pending there is nothing for it to say about old or new). Returns
 * which is live and whether an apply is pending.
 */
export function expectOldOrNew(
  agent: Agent,
  ns: Netns,
  oldS: string,
  newS: string,
): { live: Which; pending: boolean; status: string } {
  // status first: it waits for an nft that a killed agent left running, so what
  // is listed after it is what it reported on, and stays so.
  const st = agent.status();
  expect(st.code, st.stderr).toBe(EXIT.ok);
  const listing = stateless(ns);
  const live: Which | undefined = listing === oldS ? 'old' : listing === newS ? 'new' : undefined;
  expect(live, `live ruleset is neither old nor new:\n${listing}`).toBeDefined();
  const pending = /^pending: yes$/m.test(st.stdout);
  if (pending) {
    expect(st.stdout, `status vs live ${live}`).toMatch(new RegExp(`^live: ${live}\\b`, 'm'));
    expect(st.stdout).not.toMatch(/^live: old = new/m);
  } else {
    expect(st.stdout).toContain('pending: none');
  }
  return { live: live as Which, pending, status: st.stdout };
}

/**
 * After a fault: where a rollback is due (an apply pending, or the new ruleset live)
 * `rollback` restores the old listing byte for byte and leaves nothing pending.
 */
export function expectRollbackRestores(agent: Agent, ns: Netns, oldS: string, state: { live: Which; pending: boolean }): void {
  if (!state.pending && state.live === 'old') return;
  const rb = agent.run(['rollback']);
  expect(rb.code, `rollback: ${rb.stdout}${rb.stderr}`).toBe(EXIT.ok);
  expect(stateless(ns)).toBe(oldS);
  const st = agent.status();
  expect(st.stdout).toContain('pending: none');
}

export function stateHasLock(stateDir: string): boolean {
  return existsSync(join(stateDir, 'lock'));
}
