// Shared helpers for the nft-agent tests.
//
// Every test runs the agent inside a network namespace it creates itself
// (`ip netns add agt-<pid>-<n>`), so the host's ruleset is never read or changed,
// and removes it afterwards. The agent is run with each shell of SHELLS as the
// interpreter, because it must work on dash and busybox hosts alike.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export const AGENT = fileURLToPath(new URL('../../public/agent/nft-agent', import.meta.url));

/** The agent's documented exit codes (public/agent/README.md). */
export const EXIT = {
  ok: 0,
  different: 1,
  usage: 2,
  notRoot: 3,
  noNft: 4,
  nftTooOld: 5,
  badInput: 6,
  checkFailed: 7,
  applyFailed: 8,
  pending: 9,
  rolledBack: 10,
  rollbackFailed: 11,
  nothing: 12,
  environment: 13,
} as const;

export interface Shell {
  /** Label used in test names. */
  readonly name: string;
  /** argv prefix that runs a script file with this shell. */
  readonly argv: readonly string[];
}

export const SHELLS: readonly Shell[] = [
  { name: 'dash', argv: ['dash'] },
  { name: 'busybox sh', argv: ['busybox', 'sh'] },
];

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock duration in milliseconds. */
  readonly ms: number;
}

export interface RunOptions {
  readonly input?: string | Buffer;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Background only: leave stdin open for the test to write to. */
  readonly openStdin?: boolean;
  /** Background only: a process group of its own (to kill the whole group). */
  readonly detached?: boolean;
}

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/**
 * What the agent tests need. Under CI=true anything missing is a failure (the
 * `prerequisites` test of each file fails); locally the suite is skipped loudly.
 */
export function missingPrerequisites(extra: readonly string[] = []): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root');
  for (const tool of ['nft', 'ip', 'unshare', 'dash', 'busybox', 'setpriv', ...extra]) {
    if (!commandExists(tool)) missing.push(tool);
  }
  return missing;
}

export const IN_CI = process.env.CI === 'true';

/** Decide once per file whether to run; prints a loud message when skipping. */
export function shouldSkip(file: string, extra: readonly string[] = []): boolean {
  const missing = missingPrerequisites(extra);
  if (missing.length === 0 || IN_CI) return false;
  console.warn(
    `\n*** SKIPPING ${file}: missing ${missing.join(', ')} (needs root, nftables, iproute2, dash, busybox). ` +
      'Under CI=true this is a failure. ***\n',
  );
  return true;
}

/**
 * Decide once per file whether to run (see shouldSkip) and, under CI, add a
 * `prerequisites` test that fails naming what is missing.
 */
export function agentSuitePrerequisites(file: string, extra: readonly string[] = []): boolean {
  const skip = shouldSkip(file, extra);
  const tools = ['nft', 'ip', 'unshare', 'dash', 'busybox', 'setpriv', ...extra];
  describe('prerequisites', () => {
    it.runIf(IN_CI)(`has root, ${tools.slice(0, -1).join(', ')} and ${tools[tools.length - 1]} in CI`, () => {
      expect(missingPrerequisites(extra)).toEqual([]);
    });
  });
  return skip;
}

export interface AgentFixture {
  ns: Netns;
  scratch: Scratch;
  agent: Agent;
  /** the listing of OLD_RULESET in `ns`, before the test acts */
  before: string;
}

/**
 * For every test of the calling describe: a namespace of its own holding
 * OLD_RULESET, a scratch dir (with the state dir) and the agent under `shell`;
 * removed after the test. `ready` gets them once they exist (before OLD_RULESET
 * is listed), so a suite keeps its own names for them.
 */
export function withAgentNamespace(shell: Shell, ready: (f: AgentFixture) => void): void {
  let f: AgentFixture | undefined;
  beforeEach(() => {
    const ns = new Netns();
    const scratch = new Scratch();
    f = { ns, scratch, agent: new Agent(shell, ns, scratch.stateDir), before: '' };
    ns.load(OLD_RULESET);
    f.before = ns.listing();
    ready(f);
  });
  afterEach(() => {
    f?.ns.remove();
    f?.scratch.cleanup();
    f = undefined;
  });
}

let counter = 0;

/** A named network namespace of our own; always `remove()` it (afterEach/finally). */
export class Netns {
  readonly name: string;

  constructor() {
    counter += 1;
    this.name = `agt-${process.pid}-${counter}`;
    const r = spawnSync('ip', ['netns', 'add', this.name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip netns add ${this.name} failed: ${r.stderr}`);
  }

  /** Run argv inside the namespace and wait for it. */
  run(argv: readonly string[], opts: RunOptions = {}): RunResult {
    const started = Date.now();
    const r = spawnSync('ip', ['netns', 'exec', this.name, ...argv], {
      input: opts.input ?? '',
      env: { ...process.env, ...opts.env },
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
    return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
  }

  /** Run a fixed shell snippet (test scaffolding only, never the script under test). */
  sh(snippet: string, ...args: string[]): RunResult {
    return this.run(['sh', '-c', snippet, 'sh', ...args]);
  }

  nft(...args: string[]): RunResult {
    return this.run(['nft', ...args]);
  }

  /** Load a ruleset into the namespace (throws if nft refuses it). */
  load(ruleset: string): void {
    const r = this.run(['nft', '-f', '-'], { input: ruleset });
    if (r.code !== 0) throw new Error(`nft -f failed in ${this.name}: ${r.stderr}`);
  }

  /** `nft list ruleset`, exactly as printed. */
  listing(): string {
    const r = this.nft('list', 'ruleset');
    if (r.code !== 0) throw new Error(`nft list ruleset failed in ${this.name}: ${r.stderr}`);
    return r.stdout;
  }

  readSysctl(path: string): string {
    return this.sh('cat "/proc/sys/$1"', path).stdout.trim();
  }

  writeSysctl(path: string, value: string): void {
    const r = this.sh('printf "%s\\n" "$2" > "/proc/sys/$1"', path, value);
    if (r.code !== 0) throw new Error(`cannot write ${path}: ${r.stderr}`);
  }

  remove(): void {
    spawnSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
  }
}

/**
 * Where scratch dirs go: the agent refuses a state dir below a directory that others
 * may write (every parent must be root's alone, like sshd's StrictModes), so not
 * below the sticky /tmp. /run is root's (0755) on Debian and Alpine.
 */
export const SCRATCH_BASE = existsSync('/run') ? '/run' : tmpdir();

/** A throw-away directory (state dir, script files); removed by `cleanup()`. */
export class Scratch {
  readonly dir: string;
  readonly stateDir: string;

  constructor() {
    this.dir = mkdtempSync(join(SCRATCH_BASE, 'nft-agent-test-'));
    this.stateDir = join(this.dir, 'state');
  }

  file(name: string, content: string | Buffer, mode = 0o644): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    chmodSync(path, mode);
    return path;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The agent, run by one shell, in one namespace, with one state dir. */
export class Agent {
  constructor(
    readonly shell: Shell,
    readonly ns: Netns,
    readonly stateDir: string,
  ) {}

  argv(args: readonly string[], wrapper: readonly string[] = []): string[] {
    return [...wrapper, ...this.shell.argv, AGENT, ...args, '--state-dir', this.stateDir];
  }

  run(args: readonly string[], opts: RunOptions & { wrapper?: readonly string[] } = {}): RunResult {
    return this.ns.run(this.argv(args, opts.wrapper ?? []), opts);
  }

  /** Start the agent in the background (e.g. an apply that waits for confirmation). */
  start(args: readonly string[], opts: RunOptions = {}): Background {
    return new Background(['ip', 'netns', 'exec', this.ns.name, ...this.argv(args)], opts);
  }

  status(): RunResult {
    return this.run(['status']);
  }

  /** Poll `status` until its output matches, or throw after timeoutMs. */
  async waitForStatus(pattern: RegExp, timeoutMs = 20_000): Promise<RunResult> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = this.status();
      if (pattern.test(r.stdout)) return r;
      if (Date.now() > end) throw new Error(`status never matched ${pattern}:\n${r.stdout}${r.stderr}`);
      await sleep(100);
    }
  }
}

/** A running process with its output collected. */
export class Background {
  readonly child: ChildProcess;
  readonly started = Date.now();
  readonly done: Promise<RunResult>;
  private out = '';
  private err = '';

  /** What it has printed so far (stdout), while it still runs. */
  get stdoutSoFar(): string {
    return this.out;
  }

  constructor(argv: readonly string[], opts: RunOptions = {}) {
    const [cmd, ...rest] = argv;
    this.child = spawn(cmd, rest, {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
    });
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.err += d));
    if (!opts.openStdin) this.child.stdin?.end(opts.input ?? '');
    const limit = opts.timeoutMs ?? 120_000;
    this.done = new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`${argv.join(' ')} still running after ${limit} ms:\n${this.out}${this.err}`));
      }, limit);
      this.child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      this.child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout: this.out, stderr: this.err, ms: Date.now() - this.started });
      });
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Extract the waiting apply's pid from `status` output. */
export function statusPid(statusOutput: string): number {
  const m = /^process: (\d+)/m.exec(statusOutput);
  if (!m) throw new Error(`no process line in status:\n${statusOutput}`);
  return Number(m[1]);
}

/**
 * The "old" ruleset of the apply tests: several kinds of objects with values (a
 * counter with packets/bytes, set elements, comments), so that a byte-for-byte
 * comparison of the restored listing means something.
 */
export const OLD_RULESET = `table inet filter {
	counter seen {
		comment "kept across rollback"
		packets 5 bytes 300
	}

	set admins {
		type ipv4_addr
		flags interval
		elements = { 198.18.0.0/24, 198.19.1.1 }
	}

	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
		ip saddr @admins tcp dport 22 accept comment "ssh from admins"
		iifname "lo" accept
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
`;

/** The "new" ruleset: the designer's anonymous synproxy template. */
export const SYNPROXY_RULESET = `table ip anon_synproxy_demo {
	chain PRE {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 8888 tcp flags syn notrack
	}

	chain IN {
		type filter hook input priority filter; policy accept;
		tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
		ct state invalid drop
	}
}
`;

/** A script that replaces the whole ruleset, the way the designer's scripts do. */
export const REPLACING_SCRIPT = `flush ruleset\n${SYNPROXY_RULESET}`;

/** Named synproxy object: needs nft >= 0.9.3. */
export const NAMED_SYNPROXY_RULESET = `table ip synflood {
	synproxy web {
		mss 1460
		wscale 7
		timestamp sack-perm
	}

	chain in {
		type filter hook input priority filter; policy accept;
		tcp dport 80 ct state invalid,untracked synproxy name "web"
	}
}
`;

/** Passes nft -c but the kernel rejects it at commit: synproxy on the output hook. */
export const SYNPROXY_IN_OUTPUT = `table ip t {
	chain out {
		type filter hook output priority filter; policy accept;
		tcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
	}
}
`;

/** A syntax error on line 3 ("acept"). */
export const SYNTAX_ERROR = `table ip t {
	chain c {
		tcp dport 80 acept
	}
}
`;
