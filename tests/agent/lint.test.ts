// Static checks of the agent: ShellCheck, parse under dash and busybox sh, no
// construct that could run the script's content as shell; plus a dynamic check that
// shell found in a script is never executed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, AGENT, EXIT, IN_CI, Netns, Scratch, SHELLS, shouldSkip } from './helpers.ts';

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0;
}

const source = readFileSync(AGENT, 'utf8');
/** The agent without comment lines, for the static greps. */
const code = source
  .split('\n')
  .filter((line) => !/^\s*#/.test(line))
  .join('\n');

describe('nft-agent source', () => {
  it('is an executable POSIX sh script', () => {
    expect(source.startsWith('#!/bin/sh\n')).toBe(true);
    expect(statSync(AGENT).mode & 0o111).toBe(0o111);
  });

  it.skipIf(!have('shellcheck') && !IN_CI)('passes shellcheck -s sh with no findings', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', '-o', 'all', '-e', 'SC2250,SC2312', AGENT], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The plain, default-severity run (what CI reviewers run) is clean too.
    const plain = spawnSync('shellcheck', ['-s', 'sh', AGENT], { encoding: 'utf8' });
    expect(plain.stdout + plain.stderr).toBe('');
    expect(plain.status).toBe(0);
  });

  it.skipIf(!have('checkbashisms') && !IN_CI)('passes checkbashisms (devscripts; required under CI)', () => {
    const r = spawnSync('checkbashisms', ['--posix', AGENT], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  for (const shell of SHELLS) {
    it.skipIf(!have(shell.argv[0]) && !IN_CI)(`parses under ${shell.name} (sh -n)`, () => {
      const r = spawnSync(shell.argv[0], [...shell.argv.slice(1), '-n', AGENT], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('never evaluates, sources or runs a file as shell', () => {
    expect(code).not.toMatch(/\beval\b/);
    expect(code).not.toMatch(/(^|[;&|])\s*(\.|source)\s/m);
    // The only inner shell is the fixed trial script, run with file names as arguments.
    const innerShells = code.match(/\bsh -c\b/g) ?? [];
    expect(innerShells).toHaveLength(1);
    expect(code).toContain('unshare -n /bin/sh -c "$TRIAL_SH" nft-agent-trial');
    expect(code).not.toMatch(/\b(sh|dash|bash|ash)\s+"\$(STAGED|FILE_ARG|si_src)"/);
  });

  it('documents every exit code in --help and README.md', () => {
    const readme = readFileSync(join(AGENT, '..', 'README.md'), 'utf8');
    const codes = [...code.matchAll(/^EX_[A-Z_]+=(\d+)/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const help = spawnSync('sh', [AGENT, '--help'], { encoding: 'utf8' }).stdout;
    for (const c of codes) {
      expect(help).toMatch(new RegExp(`(^|\\s)${c} [a-z]`, 'm'));
      expect(readme).toMatch(new RegExp(`^\\| ${c} \\|`, 'm'));
    }
  });
});

const skip = shouldSkip('tests/agent/lint.test.ts');

describe.skipIf(skip).each(SHELLS)('nft-agent never runs script content under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;

  beforeEach(() => {
    ns = new Netns();
    scratch = new Scratch();
    agent = new Agent(shell, ns, scratch.stateDir);
  });

  afterEach(() => {
    ns.remove();
    scratch.cleanup();
  });

  it('treats shell in a script as nft input only', () => {
    const mark = join(scratch.dir, 'pwned');
    const hostile = [
      `touch ${mark}`,
      `$(touch ${mark})`,
      `\`touch ${mark}\``,
      `table ip t { chain c { tcp dport 80 accept comment "$(touch ${mark})"; }; }`,
    ];
    for (const text of hostile) {
      const file = scratch.file('hostile.nft', `${text}\n`);
      for (const args of [['check', file], ['check', '-'], ['diff', file], ['apply', file, '--confirm', '0']]) {
        agent.run(args, { input: `${text}\n` });
        expect(existsSync(mark), `${args.join(' ')} with ${text}`).toBe(false);
      }
    }
    // The last one is valid nft: the string went into a comment, verbatim.
    expect(ns.listing()).toContain(`comment "$(touch ${mark})"`);
    expect(agent.run(['status']).code).toBe(EXIT.ok);
  });
});
