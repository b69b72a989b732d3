// nft-agent check, diff and export, under each shell, each test in its own namespace.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import {
  Agent,
  EXIT,
  Netns,
  OLD_RULESET,
  REPLACING_SCRIPT,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
  withAgentNamespace,
  SYNPROXY_IN_OUTPUT,
  SYNPROXY_RULESET,
  SYNTAX_ERROR,
} from './helpers.ts';

const skip = agentSuitePrerequisites('tests/agent/check.test.ts');

describe.skipIf(skip).each(SHELLS)('nft-agent check/diff/export under $name', (shell) => {
  let ns: Netns;
  let scratch: Scratch;
  let agent: Agent;
  let before: string;

  withAgentNamespace(shell, (f) => ({ ns, scratch, agent, before } = f));

  it('catches a syntax error at the user file:line:col, live ruleset identical', () => {
    const file = scratch.file('broken.nft', SYNTAX_ERROR);
    const r = agent.run(['check', file]);
    expect(r.code).toBe(EXIT.checkFailed);
    expect(r.stderr).toContain(`${file}:3:`);
    expect(r.stderr).toContain('syntax error');
    expect(r.stderr).not.toContain(scratch.stateDir); // no temp path leaks into the report
    expect(ns.listing()).toBe(before);
  });

  it('catches synproxy in an output chain (missed by nft -c) with the trial load, live ruleset identical', () => {
    const file = scratch.file('out.nft', SYNPROXY_IN_OUTPUT);
    // The point of the trial load: nft -c alone accepts this script.
    expect(ns.nft('-c', '-f', file).code).toBe(0);
    const r = agent.run(['check', file]);
    expect(r.code).toBe(EXIT.checkFailed);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+-\\d+: Error: Could not process rule: Operation not supported`));
    expect(r.stderr).toContain('trial load');
    expect(ns.listing()).toBe(before);
  });

  it('reports errors in a script read from stdin as "stdin"', () => {
    const r = agent.run(['check', '-'], { input: SYNTAX_ERROR });
    expect(r.code).toBe(EXIT.checkFailed);
    expect(r.stderr).toContain('stdin:3:');
    expect(r.stderr).not.toContain(scratch.stateDir);
    expect(ns.listing()).toBe(before);
  });

  it('catches other commit-time errors: masquerade outside nat postrouting, a jump loop', () => {
    const masq = scratch.file(
      'masq.nft',
      'table ip n {\n\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tmasquerade\n\t}\n}\n',
    );
    // The loop a -> b -> a is only validated when a base chain reaches it, at commit.
    const loop = scratch.file(
      'loop.nft',
      'table ip l {\n\tchain a {\n\t\tjump b\n\t}\n\tchain b {\n\t\tjump a\n\t}\n' +
        '\tchain in {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tjump a\n\t}\n}\n',
    );
    for (const file of [masq, loop]) {
      expect(ns.nft('-c', '-f', file).code).toBe(0);
      const r = agent.run(['check', file]);
      expect(r.code).toBe(EXIT.checkFailed);
      expect(r.stderr).toContain(`${file}:`);
    }
    expect(ns.listing()).toBe(before);
  });

  it('passes a good script without loading it', () => {
    const file = scratch.file('ok.nft', SYNPROXY_RULESET);
    const r = agent.run(['check', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('OK (nft -c and a trial load');
    expect(ns.listing()).toBe(before);
  });

  it('trial-loads onto a copy of the live ruleset: a script that extends an existing table passes', () => {
    // On an empty ruleset this fails (no table inet filter); on the live one it is fine.
    const file = scratch.file('extend.nft', 'add rule inet filter input tcp dport 81 accept\n');
    const r = agent.run(['check', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.ok);
    expect(ns.listing()).toBe(before);
  });

  it('diff: 0 and no output when applying the file leaves the live ruleset as it is, 1 and a unified diff otherwise', () => {
    // (with no preamble the same rules would be added a second time: a change, see plan.test.ts)
    const same = scratch.file('same.nft', `flush ruleset\n${OLD_RULESET}`);
    const eq = agent.run(['diff', same]);
    expect(eq.stderr).toBe('');
    expect(eq.code).toBe(EXIT.ok);
    expect(eq.stdout).toBe('');

    const other = scratch.file('other.nft', REPLACING_SCRIPT);
    const ne = agent.run(['diff', other]);
    expect(ne.code).toBe(EXIT.different);
    expect(ne.stdout).toMatch(/^--- live ruleset\n\+\+\+ .*other\.nft \(normalised\)\n@@ /);
    expect(ne.stdout).toContain('+table ip anon_synproxy_demo {');
    expect(ne.stdout).toContain('-table inet filter {');
    expect(ns.listing()).toBe(before);
  });

  it('without unshare -n: check falls back to nft -c and says so; apply then fails atomically (exit 8); diff exits 13', () => {
    // An unshare that always fails, first in PATH: as on a host without unshare -n.
    const bin = join(scratch.dir, 'bin');
    mkdirSync(bin);
    scratch.file('bin/unshare', '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n', 0o755);
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    const file = scratch.file('out.nft', SYNPROXY_IN_OUTPUT);

    const check = agent.run(['check', file], { env });
    expect(check.code, check.stderr).toBe(EXIT.ok);
    expect(check.stderr).toContain('unshare -n is not available: no trial load');
    expect(check.stdout).toContain('OK (nft -c only; no trial load)');

    const apply = agent.run(['apply', file, '--confirm', '0'], { env });
    expect(apply.code).toBe(EXIT.applyFailed);
    expect(apply.stderr).toContain(`${file}:4:`);
    expect(apply.stderr).toContain('the live ruleset is unchanged (nft -f is atomic)');
    expect(ns.listing()).toBe(before);
    expect(agent.status().stdout).toContain('pending: none');

    const diff = agent.run(['diff', file], { env });
    expect(diff.code).toBe(EXIT.environment);
    expect(diff.stderr).toContain('diff needs unshare -n');
  });

  it('export prints the live ruleset, as text and as JSON; the text names the host\'s nft, which an import makes the design\'s target', () => {
    const text = agent.run(['export']);
    expect(text.code).toBe(EXIT.ok);
    const version = spawnSync('nft', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    expect(version).toMatch(/^nftables v\d/);
    expect(text.stdout).toBe(`# nft --version: ${version}\n${before}`);
    // what the designer reads from it
    const imported = parse(text.stdout);
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(imported.ruleset.target).toBe(/v(\d+\.\d+\.\d+)/.exec(version)?.[1]);
    expect(emit(imported.ruleset, { comments: false }).text).toBe(before);
    const json = agent.run(['export', '--json']);
    expect(json.code).toBe(EXIT.ok);
    const parsed = JSON.parse(json.stdout) as { nftables: Array<Record<string, { name?: string } | undefined>> };
    const tables = parsed.nftables.flatMap((item) => (item.table?.name ? [item.table.name] : []));
    expect(tables).toEqual(['filter', 'nat']);
  });
});
