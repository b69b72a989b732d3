// The agent on a busybox-only userland (Alpine, OpenWrt): PATH holds nothing but
// busybox applets and nft, so head, tr, sed, awk, diff, cmp, date and unshare are all
// busybox's. Under `busybox sh` alone, Debian's coreutils would still be used.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  EXIT,
  Netns,
  OLD_RULESET,
  REPLACING_SCRIPT,
  Scratch,
  agentSuitePrerequisites,
  withAgentNamespace,
  SYNPROXY_IN_OUTPUT,
  SYNTAX_ERROR,
  type Shell,
} from './helpers.ts';

const skip = agentSuitePrerequisites('tests/agent/busybox-userland.test.ts');

function which(tool: string): string {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tool} not found`);
  return r.stdout.trim();
}

/** A directory of busybox applet links plus nft: the whole PATH of a small host. */
function busyboxPath(dir: string): string {
  const busybox = which('busybox');
  const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  mkdirSync(dir);
  for (const applet of [...applets, 'busybox']) symlinkSync(busybox, join(dir, applet));
  symlinkSync(which('nft'), join(dir, 'nft'));
  return dir;
}

const BUSYBOX_ONLY: Shell = { name: 'busybox sh (busybox-only PATH)', argv: ['busybox', 'sh'] };

describe.skipIf(skip)('nft-agent with only busybox applets in PATH', () => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let before: string;
  let wrapper: string[];

  withAgentNamespace(BUSYBOX_ONLY, (f) => {
    ({ ns, scratch, agent, before } = f);
    wrapper = ['env', `PATH=${busyboxPath(join(scratch.dir, 'bin'))}`];
  });

  it('checks: syntax error and synproxy in output (busybox unshare for the trial)', () => {
    const syntax = agent.run(['check', scratch.file('broken.nft', SYNTAX_ERROR)], { wrapper });
    expect(syntax.code).toBe(EXIT.checkFailed);
    expect(syntax.stderr).toMatch(/broken\.nft:3:\d+-\d+: Error: syntax error/);
    const output = agent.run(['check', scratch.file('out.nft', SYNPROXY_IN_OUTPUT)], { wrapper });
    expect(output.code).toBe(EXIT.checkFailed);
    expect(output.stderr).toMatch(/out\.nft:4:\d+-\d+: Error: Could not process rule: Operation not supported/);
    expect(ns.listing()).toBe(before);
  });

  it('refuses binary, oversized and empty input (busybox tr, head -c, wc)', () => {
    const bin = scratch.file('bin.nft', Buffer.from('table ip t {\n\0}\n'));
    const binary = agent.run(['apply', bin], { wrapper });
    expect(binary.code).toBe(EXIT.badInput);
    expect(binary.stderr).toContain('binary data');
    const bigText = `table ip t {\n${'#'.repeat(5000)}\n}\n`;
    const limited = [...wrapper, 'NFT_AGENT_MAX_BYTES=1000'];
    const bigFile = agent.run(['check', scratch.file('big.nft', bigText)], { wrapper: limited });
    expect(bigFile.code).toBe(EXIT.badInput);
    expect(bigFile.stderr).toContain('larger than 1000 bytes');
    const bigStdin = agent.run(['apply', '-'], { wrapper: limited, input: bigText });
    expect(bigStdin.code).toBe(EXIT.badInput);
    expect(bigStdin.stderr).toContain('stdin: larger than 1000 bytes');
    expect(agent.run(['check', scratch.file('empty.nft', '')], { wrapper }).code).toBe(EXIT.badInput);
    expect(ns.listing()).toBe(before);
  });

  it('apply without confirmation restores byte for byte; diff works with busybox diff', () => {
    const file = scratch.file('syn.nft', REPLACING_SCRIPT);
    const started = Date.now();
    const r = agent.run(['apply', file, '--confirm', '2', '--sysctl'], { wrapper });
    const ms = Date.now() - started;
    expect(r.code, r.stderr).toBe(EXIT.rolledBack);
    expect(ms).toBeGreaterThanOrEqual(2000);
    expect(ms).toBeLessThanOrEqual(4000);
    expect(ns.listing()).toBe(before);

    const same = agent.run(['diff', scratch.file('same.nft', `flush ruleset\n${OLD_RULESET}`)], { wrapper });
    expect(same.code, same.stderr).toBe(EXIT.ok);
    const other = agent.run(['diff', file], { wrapper });
    expect(other.code).toBe(EXIT.different);
    expect(other.stdout).toContain('+table ip anon_synproxy_demo {');
  });
});
