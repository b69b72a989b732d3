// Everything the agent must refuse before touching the live ruleset, each with its
// documented exit code, under each shell, each test in its own namespace.
import { createHash } from 'node:crypto';
import { copyFileSync, chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  AGENT,
  EXIT,
  NAMED_SYNPROXY_RULESET,
  Netns,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  withAgentNamespace,
  SYNPROXY_RULESET,
  type RunResult,
} from './helpers.ts';

const skip = agentSuitePrerequisites('tests/agent/refusals.test.ts');

/** A stand-in nft that reports an old version and otherwise runs the real nft. */
function fakeNft(scratch: Scratch, version: string): string {
  return scratch.file(
    `nft-${version}`,
    `#!/bin/sh\nif [ "$1" = --version ]; then echo "nftables v${version} (Fake)"; exit 0; fi\nexec nft "$@"\n`,
    0o755,
  );
}

describe.skipIf(skip).each(SHELLS)('nft-agent refusals under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let before: string;

  withAgentNamespace(shell, (f) => ({ ns, scratch, agent, before } = f));

  /** Both check and apply refuse, with the code and a message; nothing changed, nothing pending. */
  function expectRefused(run: (cmd: 'check' | 'apply') => RunResult, code: number, message: RegExp): void {
    for (const cmd of ['check', 'apply'] as const) {
      const r = run(cmd);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(ns.listing()).toBe(before);
    }
    expect(agent.status().stdout).toContain('pending: none');
  }

  it('refuses a non-root user (exit 3)', () => {
    // nobody cannot read files under a private temp dir; give it its own copy.
    const dir = new Scratch();
    try {
      chmodSync(dir.dir, 0o755);
      const agentCopy = join(dir.dir, 'nft-agent');
      copyFileSync(AGENT, agentCopy);
      chmodSync(agentCopy, 0o755);
      const file = dir.file('ok.nft', SYNPROXY_RULESET);
      const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
      for (const cmd of ['check', 'apply', 'status', 'rollback', 'confirm']) {
        const args = cmd === 'check' || cmd === 'apply' ? [cmd, file] : [cmd];
        const r = ns.run([...asNobody, ...shell.argv, agentCopy, ...args, '--state-dir', join(dir.dir, 'state')]);
        expect(r.code, `${cmd}: ${r.stderr}`).toBe(EXIT.notRoot);
        expect(r.stderr).toContain('must run as root');
      }
      expect(ns.listing()).toBe(before);
    } finally {
      dir.cleanup();
    }
  });

  it('refuses a state directory that is not root\'s own (exit 13): its owner could plant the backup a rollback loads', () => {
    const file = scratch.file('ok.nft', SYNPROXY_RULESET);
    mkdirSync(join(scratch.stateDir, 'backups'), { recursive: true });
    chownSync(scratch.stateDir, 65534, 65534);
    for (const cmd of ['check', 'apply', 'rollback']) {
      const r = agent.run(cmd === 'rollback' ? [cmd] : [cmd, file]);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(EXIT.environment);
      expect(r.stderr).toMatch(/refusing the state directory: .*state does not belong to root/);
    }
    chownSync(scratch.stateDir, 0, 0);
    chownSync(join(scratch.stateDir, 'backups'), 65534, 65534);
    const r = agent.run(['apply', file]);
    expect(r.code, r.stderr).toBe(EXIT.environment);
    expect(r.stderr).toMatch(/state\/backups does not belong to root/);
    expect(ns.listing()).toBe(before);
  });

  it('refuses a state directory that is a symbolic link (exit 13)', () => {
    const file = scratch.file('ok.nft', SYNPROXY_RULESET);
    const real = join(scratch.dir, 'real-state');
    mkdirSync(join(real, 'backups'), { recursive: true });
    symlinkSync(real, scratch.stateDir);
    const r = agent.run(['apply', file]);
    expect(r.code, r.stderr).toBe(EXIT.environment);
    expect(r.stderr).toMatch(/state is a symbolic link/);
    expect(ns.listing()).toBe(before);
  });

  it('refuses without nft (exit 4)', () => {
    const file = scratch.file('ok.nft', SYNPROXY_RULESET);
    expectRefused(
      (cmd) => agent.run([cmd, file], { env: { NFT: join(scratch.dir, 'no-such-nft') } }),
      EXIT.noNft,
      /nft not found/,
    );
    const notNft = scratch.file('broken-nft', '#!/bin/sh\nexit 1\n', 0o755);
    expectRefused((cmd) => agent.run([cmd, file], { env: { NFT: notNft } }), EXIT.noNft, /not usable/);
  });

  it('refuses a synproxy statement on nft 0.9.1 and a named synproxy object on nft 0.9.2 (exit 5)', () => {
    const anon = scratch.file('anon.nft', SYNPROXY_RULESET);
    const nft091 = fakeNft(scratch, '0.9.1');
    expectRefused(
      (cmd) => agent.run([cmd, anon], { env: { NFT: nft091 } }),
      EXIT.nftTooOld,
      /anon\.nft:9: the synproxy statement needs nft >= 0\.9\.2, but this nft is 0\.9\.1/,
    );
    const named = scratch.file('named.nft', NAMED_SYNPROXY_RULESET);
    const nft092 = fakeNft(scratch, '0.9.2');
    expectRefused(
      (cmd) => agent.run([cmd, named], { env: { NFT: nft092 } }),
      EXIT.nftTooOld,
      /named\.nft:2: a named synproxy object needs nft >= 0\.9\.3/,
    );
    // typeof needs 0.9.4; destroy needs 1.0.7 (newer than Debian 12's nft 1.0.6).
    const typeofSet = scratch.file('typeof.nft', 'table ip t {\n\tset s {\n\t\ttypeof ip saddr\n\t}\n}\n');
    expectRefused(
      (cmd) => agent.run([cmd, typeofSet], { env: { NFT: fakeNft(scratch, '0.9.3') } }),
      EXIT.nftTooOld,
      /typeof\.nft:3: typeof in a set or map declaration needs nft >= 0\.9\.4/,
    );
    const destroy = scratch.file('destroy.nft', 'destroy table ip gone\n');
    expectRefused(
      (cmd) => agent.run([cmd, destroy], { env: { NFT: fakeNft(scratch, '1.0.6') } }),
      EXIT.nftTooOld,
      /destroy\.nft:1: the destroy command needs nft >= 1\.0\.7, but this nft is 1\.0\.6/,
    );
    // The same old nft is fine for a script without those features, and a word in a
    // comment or string does not count as a feature.
    const plain = scratch.file(
      'plain.nft',
      '# synproxy comes later\ntable ip t {\n\tchain c {\n\t\ttcp dport 80 accept comment "synproxy soon"\n\t}\n}\n',
    );
    const ok = agent.run(['check', plain], { env: { NFT: nft091 } });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(EXIT.ok);
  });

  it('refuses an empty file, and one with only comments and blank lines (exit 6)', () => {
    const empty = scratch.file('empty.nft', '');
    expectRefused((cmd) => agent.run([cmd, empty]), EXIT.badInput, /empty\.nft: empty file/);
    const blank = scratch.file('blank.nft', '# nothing here\n\n   \t\n');
    expectRefused((cmd) => agent.run([cmd, blank]), EXIT.badInput, /only comments and blank lines/);
    expectRefused((cmd) => agent.run([cmd, '-'], { input: '' }), EXIT.badInput, /stdin: empty file/);
  });

  it('refuses an unreadable file, a missing file and a directory (exit 6)', () => {
    const secret = scratch.file('secret.nft', SYNPROXY_RULESET, 0o000);
    // Root reads mode 000 files; drop the capabilities that allow it.
    const noDac = ['setpriv', '--bounding-set=-dac_override,-dac_read_search'];
    expectRefused(
      (cmd) => agent.run([cmd, secret], { wrapper: noDac }),
      EXIT.badInput,
      /secret\.nft: unreadable/,
    );
    expectRefused(
      (cmd) => agent.run([cmd, join(scratch.dir, 'missing.nft')]),
      EXIT.badInput,
      /missing\.nft: no such file/,
    );
    expectRefused((cmd) => agent.run([cmd, scratch.dir]), EXIT.badInput, /is a directory/);
  });

  it('refuses binary input: NUL bytes or control characters, from a file or stdin (exit 6)', () => {
    const withNul = Buffer.concat([Buffer.from('table ip t {\n'), Buffer.from([0]), Buffer.from('}\n')]);
    const bin = scratch.file('bin.nft', withNul);
    expectRefused((cmd) => agent.run([cmd, bin]), EXIT.badInput, /bin\.nft: binary data/);
    const esc = scratch.file('esc.nft', 'table ip t {\x1b[31m\n}\n');
    expectRefused((cmd) => agent.run([cmd, esc]), EXIT.badInput, /esc\.nft: binary data/);
    expectRefused((cmd) => agent.run([cmd, '-'], { input: withNul }), EXIT.badInput, /stdin: binary data/);
    // UTF-8 in a comment is text.
    const utf8 = scratch.file('utf8.nft', '# größer → ok\ntable ip t {\n}\n');
    expect(agent.run(['check', utf8]).code).toBe(EXIT.ok);
  });

  it('refuses an oversized file, from a file or stdin (exit 6); the limit is NFT_AGENT_MAX_BYTES', () => {
    const big = `table ip t {\n${'\t# padding padding padding padding\n'.repeat(100)}}\n`;
    const file = scratch.file('big.nft', big);
    const env = { NFT_AGENT_MAX_BYTES: '1024' };
    expectRefused((cmd) => agent.run([cmd, file], { env }), EXIT.badInput, /big\.nft: larger than 1024 bytes/);
    expectRefused((cmd) => agent.run([cmd, '-'], { env, input: big }), EXIT.badInput, /stdin: larger than 1024 bytes/);
    // The default limit (16 MiB) lets the same script through.
    expect(agent.run(['check', file]).code).toBe(EXIT.ok);
  });

  it('refuses a backup without its checksum (a write cut short by kill -9) unless rollback --unverified (exit 11, live unchanged)', () => {
    const file = scratch.file('syn.nft', `flush ruleset\n${SYNPROXY_RULESET}`);
    const ap = agent.run(['apply', file, '--confirm', '0']);
    expect(ap.code, ap.stderr).toBe(EXIT.ok);
    const applied = ns.listing();
    const backups = join(scratch.stateDir, 'backups');
    const sums = readdirSync(backups).filter((f) => f.endsWith('.sum'));
    expect(sums).toHaveLength(1);
    expect(readdirSync(backups).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    rmSync(join(backups, sums[0]));
    const rb = agent.run(['rollback']);
    expect(rb.code, rb.stderr).toBe(EXIT.rollbackFailed);
    expect(rb.stderr).toMatch(/has no recorded checksum .*refusing to load it/);
    expect(ns.listing()).toBe(applied);
    expect(agent.status().stdout).toContain('pending: none');
    const forced = agent.run(['rollback', '--unverified']);
    expect(forced.code, forced.stderr).toBe(EXIT.ok);
    expect(forced.stderr).toContain('loading it unverified');
    expect(ns.listing()).toBe(before);
  });

  it('verifies a backup with the tool that recorded its checksum (md5sum), whichever tool PATH finds first now', () => {
    const file = scratch.file('syn.nft', `flush ruleset\n${SYNPROXY_RULESET}`);
    const ap = agent.run(['apply', file, '--confirm', '0']);
    expect(ap.code, ap.stderr).toBe(EXIT.ok);
    const backups = join(scratch.stateDir, 'backups');
    const id = readdirSync(backups).filter((f) => f.endsWith('.sum'))[0].replace(/\.sum$/, '');
    const md5 = createHash('md5').update(readFileSync(join(backups, `${id}.nft`))).digest('hex');
    writeFileSync(join(backups, `${id}.sum`), `md5sum:${md5}\n`);
    const rb = agent.run(['rollback']);
    expect(rb.code, rb.stderr).toBe(EXIT.ok);
    expect(ns.listing()).toBe(before);
  });

  it('rejects a bad command line (exit 2) and prints help (exit 0)', () => {
    const file = scratch.file('ok.nft', SYNPROXY_RULESET);
    const bad: string[][] = [
      [],
      ['frobnicate'],
      ['check'],
      ['apply'],
      ['check', file, file],
      ['status', file],
      ['apply', file, '--confirm', 'soon'],
      ['apply', file, '--confirm', '-1'],
      ['apply', file, '--confirm'],
      ['check', file, '--sysctl'],
      ['check', file, '--confirm', '5'],
      ['status', '--json'],
      ['check', file, '--bogus'],
      ['status', '--unverified'],
    ];
    for (const args of bad) {
      const r = ns.run([...shell.argv, AGENT, ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(EXIT.usage);
      expect(r.stderr).toContain('--help');
    }
    const help = ns.run([...shell.argv, AGENT, '--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('apply FILE|- [--confirm SECONDS] [--sysctl]');
    expect(ns.listing()).toBe(before);
  });
});
