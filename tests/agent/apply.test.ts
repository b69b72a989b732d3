// nft-agent apply: confirm keeps, silence restores byte for byte in time, sysctls
// come back, one apply at a time. Each test in its own namespace, under each shell.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Agent,
  Background,
  EXIT,
  Netns,
  REPLACING_SCRIPT,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  withAgentNamespace,
  SYNPROXY_RULESET,
} from './helpers.ts';

const skip = agentSuitePrerequisites('tests/agent/apply.test.ts', ['script']);

const TIMEOUT_S = 2;

const SYSCTL = {
  loose: 'net/netfilter/nf_conntrack_tcp_loose',
  cookies: 'net/ipv4/tcp_syncookies',
  timestamps: 'net/ipv4/tcp_timestamps',
} as const;

describe.skipIf(skip).each(SHELLS)('nft-agent apply under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let before: string;
  let after: string;

  withAgentNamespace(shell, (f) => ({ ns, scratch, agent, before } = f));

  beforeEach(() => {
    // What the script gives when loaded on its own, for comparison.
    const probe = new Netns();
    try {
      probe.load(REPLACING_SCRIPT);
      after = probe.listing();
    } finally {
      probe.remove();
    }
    expect(after).not.toBe(before);
  });


  it('apply then confirm (from another connection) keeps the new ruleset', async () => {
    const file = scratch.file('syn.nft', REPLACING_SCRIPT);
    const apply = agent.start(['apply', file, '--confirm', '30']);
    await agent.waitForStatus(/^phase: loaded$/m);
    expect(ns.listing()).toBe(after);

    const confirm = agent.run(['confirm']);
    expect(confirm.stderr).toBe('');
    expect(confirm.code).toBe(EXIT.ok);
    const r = await apply.done;
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toContain('confirmed: keeping the new ruleset');
    expect(r.ms).toBeLessThan(15_000); // it did not wait for the 30 s timer

    expect(ns.listing()).toBe(after);
    const status = agent.status().stdout;
    expect(status).toContain('pending: none');
    expect(status).toMatch(/^ {2}000001-\d{8}T\d{6}Z$/m);
    expect(agent.run(['confirm']).code).toBe(EXIT.nothing);
  });

  it(`apply without confirmation restores the previous listing byte for byte within ${TIMEOUT_S} s + 2 s`, async () => {
    const file = scratch.file('syn.nft', REPLACING_SCRIPT);
    const apply = agent.start(['apply', file, '--confirm', String(TIMEOUT_S)]);
    await agent.waitForStatus(/^phase: loaded$/m);
    expect(ns.listing()).toBe(after);
    const r = await apply.done;
    expect(r.code, r.stderr).toBe(EXIT.rolledBack);
    expect(r.stderr).toContain(`no confirmation within ${TIMEOUT_S} s: restored the previous ruleset`);
    // Measured from the start of the command, checks included.
    expect(r.ms).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
    expect(r.ms).toBeLessThanOrEqual((TIMEOUT_S + 2) * 1000);
    expect(ns.listing()).toBe(before);
    expect(agent.status().stdout).toContain('pending: none');
  });

  it('a script from stdin (-) also waits for confirm, and rolls back without it', async () => {
    const apply = agent.start(['apply', '-', '--confirm', String(TIMEOUT_S)], { input: REPLACING_SCRIPT });
    const loaded = await agent.waitForStatus(/^phase: loaded$/m);
    expect(loaded.stdout).toContain('script: stdin');
    const r = await apply.done;
    expect(r.code, r.stderr).toBe(EXIT.rolledBack);
    expect(ns.listing()).toBe(before);
  });

  it('restores the sysctls it changed on rollback', async () => {
    // Start from values that differ from what --sysctl sets.
    ns.writeSysctl(SYSCTL.loose, '1');
    ns.writeSysctl(SYSCTL.cookies, '0');
    ns.writeSysctl(SYSCTL.timestamps, '0');
    const file = scratch.file('syn.nft', REPLACING_SCRIPT);
    const apply = agent.start(['apply', file, '--sysctl', '--confirm', String(TIMEOUT_S)]);
    const loaded = await agent.waitForStatus(/^phase: loaded$/m);
    expect(loaded.stdout).toContain('sysctl: 1');
    expect(ns.readSysctl(SYSCTL.loose)).toBe('0');
    expect(ns.readSysctl(SYSCTL.cookies)).toBe('1');
    expect(ns.readSysctl(SYSCTL.timestamps)).toBe('1');
    const r = await apply.done;
    expect(r.code, r.stderr).toBe(EXIT.rolledBack);
    expect(r.stderr).toContain('and the sysctls');
    expect(ns.readSysctl(SYSCTL.loose)).toBe('1');
    expect(ns.readSysctl(SYSCTL.cookies)).toBe('0');
    expect(ns.readSysctl(SYSCTL.timestamps)).toBe('0');
    expect(ns.listing()).toBe(before);
  });

  it('refuses a second apply while one is pending (exit 9), and accepts one after', async () => {
    const file = scratch.file('syn.nft', REPLACING_SCRIPT);
    const other = scratch.file('other.nft', 'table ip other {\n}\n');
    const apply = agent.start(['apply', file, '--confirm', '30']);
    await agent.waitForStatus(/^phase: loaded$/m);

    for (const args of [['apply', other], ['apply', '-']]) {
      const second = agent.run(args, { input: 'table ip other {\n}\n' });
      expect(second.code, second.stderr).toBe(EXIT.pending);
      expect(second.stderr).toMatch(/another apply is pending \(pid \d+, phase loaded, \d+ s left\)/);
      expect(ns.listing()).toBe(after);
    }

    expect(agent.run(['confirm']).code).toBe(EXIT.ok);
    expect((await apply.done).code).toBe(EXIT.ok);
    const third = agent.run(['apply', other, '--confirm', '0']);
    expect(third.code, third.stderr).toBe(EXIT.ok);
    expect(ns.listing()).toBe(`${after}table ip other {\n}\n`);
  });

  it('--confirm 0 applies without a timer; rollback then restores the newest backup', () => {
    const file = scratch.file('syn.nft', REPLACING_SCRIPT);
    const r = agent.run(['apply', file, '--confirm', '0']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(ns.listing()).toBe(after);
    expect(agent.status().stdout).toContain('pending: none');
    const rb = agent.run(['rollback']);
    expect(rb.code, rb.stderr).toBe(EXIT.ok);
    expect(ns.listing()).toBe(before);
  });

  it('keeps only the last NFT_AGENT_KEEP_BACKUPS backups, root-only', () => {
    const file = scratch.file('syn.nft', REPLACING_SCRIPT);
    const env = { NFT_AGENT_KEEP_BACKUPS: '2' };
    for (let i = 0; i < 3; i += 1) {
      expect(agent.run(['apply', file, '--confirm', '0'], { env }).code).toBe(EXIT.ok);
    }
    const ids = [...agent.status().stdout.matchAll(/^ {2}(\d{6})-\d{8}T\d{6}Z$/gm)].map((m) => m[1]);
    expect(ids).toEqual(['000003', '000002']);
    const modes = ns.sh(
      'stat -c "%a %n" "$1" "$1"/backups "$1"/backups/*.nft | sed "s|$1|S|"',
      scratch.stateDir,
    ).stdout;
    expect(modes).toMatch(/^700 S\n700 S\/backups\n600 S\/backups\/000002-\S+\.nft\n600 S\/backups\/000003-\S+\.nft\n$/);
  });

  it('typed "yes" on the terminal confirms; other answers do not', async () => {
    const file = scratch.file('syn.nft', SYNPROXY_RULESET);
    // script(1) gives the agent a pseudo-terminal as stdin; our stdin feeds it.
    const cmd = ['ip', 'netns', 'exec', ns.name, ...agent.argv(['apply', file, '--confirm', '20'])]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const tty = new Background(['script', '-qec', cmd, '/dev/null'], { openStdin: true });
    await agent.waitForStatus(/^phase: loaded$/m);
    tty.child.stdin?.write('no\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(agent.status().stdout).toContain('pending: yes');
    tty.child.stdin?.write('yes\n');
    const r = await tty.done;
    expect(r.stdout).toContain('type "yes" to keep the new ruleset');
    expect(r.stdout).toContain('confirmed: keeping the new ruleset');
    expect(r.code).toBe(EXIT.ok);
    expect(r.ms).toBeLessThan(15_000);
    expect(ns.listing()).toBe(`${before}${SYNPROXY_RULESET}`);
  });
});
