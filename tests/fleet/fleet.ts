// A fleet of hosts for the Ansible tests, each its own network namespace.
//
//   controller netns  br0 198.18.0.1/24 ── v1 ─ eth0 198.18.0.11  host h1 (sshd)
//                                        ── v2 ─ eth0 198.18.0.12  host h2 (sshd)
//                                        ── v3 ─ eth0 198.18.0.13  host h3 (sshd)
//
// Addresses from 198.18.0.0/15 only, and no route out of the subnet. Each host runs
// /usr/sbin/sshd -D with its own config, host key and pid file in the fleet's
// temporary directory; root logs in with a key made for the run. ansible-playbook
// runs inside the controller namespace (ip netns exec). All hosts share this
// machine's file system, so every path a host's agent uses is the host's own
// (hostDir). Everything is removed by cleanup(), which also kills whatever still
// runs inside the namespaces (sshd, its sessions, async jobs): only processes this
// fleet started can be there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

export const IN_CI = process.env.CI === 'true';

const TOOLS = ['ip', 'nft', 'unshare', 'ansible-playbook', 'ssh', 'ssh-keygen'];
const FILES = ['/usr/sbin/sshd', '/usr/bin/python3'];

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

export interface Needs {
  root: boolean;
  tools: readonly string[];
  files: readonly string[];
}

/** A rollout: root, namespaces, nft, sshd, Ansible. */
export const ROLLOUT_NEEDS: Needs = { root: true, tools: TOOLS, files: FILES };

/** What the fleet tier needs that this machine lacks. */
export function missingPrerequisites(needs: Needs = ROLLOUT_NEEDS): string[] {
  const missing: string[] = [];
  if (needs.root && process.getuid?.() !== 0) missing.push('root');
  for (const t of needs.tools) if (!commandExists(t)) missing.push(t);
  for (const f of needs.files) if (!existsSync(f)) missing.push(f);
  return missing;
}

/**
 * Decide once per file whether to run. Locally, without root or a tool, the file is
 * skipped with a loud message; under CI=true nothing is skipped and a
 * `prerequisites` test fails naming what is missing.
 */
export function fleetSuitePrerequisites(file: string, needs: Needs = ROLLOUT_NEEDS): boolean {
  const missing = missingPrerequisites(needs);
  const all = [...(needs.root ? ['root'] : []), ...needs.tools, ...needs.files];
  describe('prerequisites', () => {
    it.runIf(IN_CI)(`has ${all.join(', ')} in CI`, () => {
      expect(missing).toEqual([]);
    });
  });
  if (missing.length === 0 || IN_CI) return false;
  console.warn(
    `\n*** SKIPPING ${file}: missing ${missing.join(', ')} (the fleet tier needs root, iproute2, nftables, ansible, openssh-server, openssh-client, python3; scripts/ensure-system-deps.sh installs them). ` +
      'Under CI=true this is a failure. ***\n',
  );
  return true;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run argv to its end (killed after timeoutMs), without blocking the event loop. */
export function run(argv: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Run argv and throw with its output unless it exits 0. */
function must(argv: readonly string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input: input ?? '', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The environment of ansible-playbook: nothing of this machine's Ansible or SSH
 * state is read or written (control sockets, temp and async dirs, HOME are the
 * run's own, under runDir), no host-key checking (each run makes new host keys),
 * no colours.
 */
export function ansibleEnv(runDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  for (const d of ['cp', 'local-tmp', 'remote-tmp', 'async', 'home']) mkdirSync(join(runDir, d), { recursive: true, mode: 0o700 });
  return {
    ...env,
    HOME: join(runDir, 'home'),
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(runDir, 'cp'),
    ANSIBLE_LOCAL_TEMP: join(runDir, 'local-tmp'),
    ANSIBLE_REMOTE_TEMP: join(runDir, 'remote-tmp'),
    ANSIBLE_ASYNC_DIR: join(runDir, 'async'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_DEPRECATION_WARNINGS: 'False',
    ANSIBLE_SYSTEM_WARNINGS: 'False',
    ...extra,
  };
}

export interface FleetHost {
  /** inventory name: h1, h2, … */
  name: string;
  netns: string;
  address: string;
  /** this host's own directory (sshd's files; agents, scripts and state dirs below it) */
  dir: string;
  sshd?: ChildProcess;
  sshdLog: string;
}

let made = 0;

export class Fleet {
  readonly tag: string;
  /** root-owned 0700 under /run: the agent refuses a state dir below the sticky /tmp, sshd's StrictModes an authorized_keys file there */
  readonly dir: string;
  readonly controller: string;
  readonly hosts: FleetHost[] = [];
  readonly clientKey: string;
  private netnsMade: string[] = [];
  private madePrivsepDir = false;

  /** Create the directory only; start() builds the rest (so that cleanup() can follow a failed start). */
  constructor(readonly size = 3) {
    made += 1;
    this.tag = `flt${process.pid}x${made}`;
    this.dir = mkdtempSync(join(existsSync('/run') ? '/run' : '/var/lib', 'nft-fleet-'));
    this.controller = `${this.tag}-c`;
    this.clientKey = join(this.dir, 'id_ed25519');
  }

  async start(): Promise<void> {
    // sshd's privilege separation directory (the ssh service makes it at boot; no service runs here)
    if (!existsSync('/run/sshd')) {
      mkdirSync('/run/sshd', { mode: 0o755 });
      this.madePrivsepDir = true;
    }
    must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `${this.tag}-controller`, '-f', this.clientKey]);
    writeFileSync(join(this.dir, 'authorized_keys'), readFileSync(`${this.clientKey}.pub`), { mode: 0o600 });

    const c = this.controller;
    this.addNetns(c);
    must(['ip', '-n', c, 'link', 'set', 'lo', 'up']);
    must(['ip', '-n', c, 'link', 'add', 'br0', 'type', 'bridge']);
    must(['ip', '-n', c, 'addr', 'add', '198.18.0.1/24', 'dev', 'br0']);
    must(['ip', '-n', c, 'link', 'set', 'br0', 'up']);
    for (let i = 1; i <= this.size; i++) {
      const name = `h${i}`;
      const host: FleetHost = { name, netns: `${this.tag}-${name}`, address: `198.18.0.${10 + i}`, dir: join(this.dir, name), sshdLog: join(this.dir, name, 'sshd.log') };
      mkdirSync(host.dir, { mode: 0o700 });
      this.addNetns(host.netns);
      must(['ip', '-n', c, 'link', 'add', `v${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
      must(['ip', '-n', c, 'link', 'set', `v${i}`, 'master', 'br0', 'up']);
      must(['ip', '-n', host.netns, 'link', 'set', 'lo', 'up']);
      must(['ip', '-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
      must(['ip', '-n', host.netns, 'link', 'set', 'eth0', 'up']);
      this.hosts.push(host);
      this.startSshd(host);
    }
    for (const h of this.hosts) await this.waitForSsh(h);
  }

  private addNetns(name: string): void {
    must(['ip', 'netns', 'add', name]);
    this.netnsMade.push(name);
  }

  private startSshd(h: FleetHost): void {
    const key = join(h.dir, 'ssh_host_ed25519_key');
    must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `${this.tag}-${h.name}`, '-f', key]);
    const config = join(h.dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `# sshd of fleet host ${h.name}, only inside its network namespace ${h.netns}`,
        'Port 22',
        `ListenAddress ${h.address}`,
        `HostKey ${key}`,
        `PidFile ${join(h.dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes yes',
        'UseDNS no',
        'PrintMotd no',
        'MaxStartups 100',
        'MaxSessions 100',
        'Subsystem sftp internal-sftp',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const log = openSync(h.sshdLog, 'a', 0o600);
    // ip netns exec execs sshd in place: the child's pid is sshd's
    h.sshd = spawn('ip', ['netns', 'exec', h.netns, '/usr/sbin/sshd', '-D', '-e', '-f', config], { stdio: ['ignore', log, log] });
    closeSync(log);
  }

  /** Bounded poll until the host's sshd listens, then one login with the fleet's key. */
  private async waitForSsh(h: FleetHost): Promise<void> {
    const end = Date.now() + 15_000;
    for (;;) {
      if (h.sshd?.exitCode !== null) throw new Error(`sshd of ${h.name} exited (${h.sshd?.exitCode}): ${this.sshdLogOf(h)}`);
      const r = spawnSync('ip', ['netns', 'exec', h.netns, 'ss', '-Hltn', 'sport = :22'], { encoding: 'utf8' });
      if (r.status === 0 && r.stdout.includes(`${h.address}:22`)) break;
      if (Date.now() > end) throw new Error(`sshd of ${h.name} does not listen on ${h.address}:22 after 15 s: ${this.sshdLogOf(h)}`);
      await sleep(50);
    }
    const r = await this.ssh(h, ['true']);
    if (r.code !== 0) throw new Error(`cannot log in to ${h.name} (${h.address}) as root with the fleet's key: ${r.stderr}\n${this.sshdLogOf(h)}`);
  }

  sshdLogOf(h: FleetHost): string {
    try {
      return readFileSync(h.sshdLog, 'utf8').slice(-4000);
    } catch {
      return '(no sshd log)';
    }
  }

  /** An ssh from the controller namespace to the host (test scaffolding: no ControlMaster). */
  ssh(h: FleetHost, command: readonly string[]): Promise<Run> {
    return run(
      ['ip', 'netns', 'exec', this.controller, 'ssh', '-i', this.clientKey, '-F', '/dev/null', ...SSH_OPTIONS.flatMap((o) => ['-o', o]), '-o', 'ConnectTimeout=5', `root@${h.address}`, ...command],
      { timeoutMs: 20_000 },
    );
  }

  /** Run argv inside the host's namespace (on this machine, not over SSH). */
  inHost(h: FleetHost, argv: readonly string[], input?: string): Run {
    const started = Date.now();
    const r = spawnSync('ip', ['netns', 'exec', h.netns, ...argv], { encoding: 'utf8', input: input ?? '', timeout: 60_000 });
    return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
  }

  /** `nft list ruleset` of the host, exactly as printed. */
  listing(h: FleetHost): string {
    const r = this.inHost(h, ['nft', 'list', 'ruleset']);
    if (r.code !== 0) throw new Error(`nft list ruleset in ${h.netns} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Replace the host's whole ruleset (test scaffolding). */
  load(h: FleetHost, ruleset: string): void {
    const r = this.inHost(h, ['nft', '-f', '-'], `flush ruleset\n${ruleset}`);
    if (r.code !== 0) throw new Error(`nft -f in ${h.netns} failed: ${r.stderr}`);
  }

  /**
   * The inventory (YAML) of the fleet: every host with its address and its own
   * agent path, state dir and script dir under `runDir`, plus `vars[host]`.
   */
  inventory(runDir: string, vars: Record<string, Record<string, string | number>> = {}, groupVars: Record<string, string | number> = {}): string {
    const hosts: Record<string, Record<string, string | number>> = {};
    for (const h of this.hosts) {
      const own = join(runDir, h.name);
      hosts[h.name] = {
        ansible_host: h.address,
        nft_agent_path: join(own, 'bin', 'nft-agent'),
        nft_agent_state_dir: join(own, 'state'),
        nft_script_dir: join(own, 'scripts'),
        ...vars[h.name],
      };
    }
    const inv = {
      all: {
        hosts,
        vars: {
          ansible_user: 'root',
          ansible_ssh_private_key_file: this.clientKey,
          ansible_python_interpreter: '/usr/bin/python3',
          // keeps root's known_hosts out of it (sshd's host keys are new each run)
          ansible_ssh_common_args: SSH_OPTIONS.map((o) => `-o ${o}`).join(' '),
          ...groupVars,
        },
      },
    };
    const path = join(runDir, 'inventory.yml');
    mkdirSync(runDir, { recursive: true, mode: 0o700 });
    // JSON is YAML: no quoting rules to get wrong for values like "{ 22, 80 }"
    writeFileSync(path, `${JSON.stringify(inv, null, 2)}\n`, { mode: 0o600 });
    return path;
  }

  /** ansible-playbook ARGS, run in `bundleDir` inside the controller namespace. */
  playbook(bundleDir: string, runDir: string, args: readonly string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
    return run(['ip', 'netns', 'exec', this.controller, 'ansible-playbook', ...args], { cwd: bundleDir, env: ansibleEnv(runDir, opts.env), timeoutMs: opts.timeoutMs ?? 170_000 });
  }

  /** Kill everything left in the namespaces, remove them, the directory, and /run/sshd if it was made here. */
  cleanup(): void {
    for (const h of this.hosts) {
      if (h.sshd && h.sshd.exitCode === null && h.sshd.signalCode === null) h.sshd.kill('SIGKILL');
    }
    for (const ns of this.netnsMade) {
      // the processes in our own namespaces: sshd, its sessions, Ansible's async jobs, ssh control masters
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
      for (const p of pids.split('\n').filter((x) => /^[0-9]+$/.test(x))) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const ns of this.netnsMade.reverse()) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    this.netnsMade = [];
    rmSync(this.dir, { recursive: true, force: true });
    if (this.madePrivsepDir) rmSync('/run/sshd', { recursive: true, force: true });
  }
}

const SSH_OPTIONS = ['UserKnownHostsFile=/dev/null', 'GlobalKnownHostsFile=/dev/null', 'StrictHostKeyChecking=no', 'IdentitiesOnly=yes', 'BatchMode=yes', 'LogLevel=ERROR'];
