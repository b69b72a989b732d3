import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCommand, unsafeForTerminal } from './applyCommand.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';

function command(script: string, random?: (a: Uint8Array) => Uint8Array): string {
  const r = applyCommand(script, 60, random);
  if (!r.ok) throw new Error(r.error);
  return r.command;
}

const delimOf = (cmd: string): string | undefined => /<<'([^']+)'/.exec(cmd)?.[1];

describe('apply command', () => {
  it('wraps the script in a quoted here-document under a random delimiter', () => {
    const cmd = command(TEMPLATES[0].text);
    const delim = delimOf(cmd);
    expect(delim).toMatch(/^NFT_DESIGNER_EOF_[0-9a-f]{16}$/);
    expect(cmd.startsWith(`nft-agent apply --confirm 60 - <<'${delim}'\n${TEMPLATES[0].text}`)).toBe(true);
    expect(cmd.endsWith(`\n${delim}\n`)).toBe(true);
    // a new delimiter each time: it cannot be guessed in advance by whoever wrote the design
    expect(delimOf(command(TEMPLATES[0].text))).not.toBe(delim);
  });

  it('picks another delimiter when the random one occurs in the script', () => {
    let call = 0;
    // first draw: all zeros (which the script contains), then all ones
    const random = (a: Uint8Array): Uint8Array => a.fill(call++ === 0 ? 0 : 0x11);
    const script = 'table ip t {\n\tcomment "NFT_DESIGNER_EOF_0000000000000000"\n}\n';
    const cmd = command(script, random);
    expect(delimOf(cmd)).toBe('NFT_DESIGNER_EOF_1111111111111111');
    expect(call).toBe(2);
  });

  it('gives up (instead of using an unsafe delimiter) when every draw occurs in the script', () => {
    const r = applyCommand('NFT_DESIGNER_EOF_0000000000000000\n', 60, (a) => a.fill(0));
    expect(r).toEqual({ ok: false, error: expect.stringContaining('delimiter') });
  });

  it('refuses a carriage return: a terminal would paste it as Enter and end the here-document', () => {
    const evil = 'flags interval\rNFT_DESIGNER_EOF\rtouch /tmp/PWNED\r: <<\'X\'\n';
    const r = applyCommand(evil);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/carriage return \(line 1\)/);
    expect(applyCommand('a\nb\r\nc\n')).toMatchObject({ ok: false, error: expect.stringContaining('line 2') });
  });

  it('refuses every control character except tab and newline, and the Unicode line separators', () => {
    const bad = [...Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 9 && i !== 10), 0x7f, 0x85, 0x9b, 0x2028, 0x2029];
    for (const c of bad) expect(unsafeForTerminal(`table ip t {${String.fromCharCode(c)}}\n`), `U+${c.toString(16)}`).not.toBeNull();
    expect(unsafeForTerminal('table ip t {\n\tchain c {\n\t}\n}\n# é ü → ✓\n')).toBeNull();
    expect(unsafeForTerminal('\u001b[201~')).toContain('U+001B');
  });
});

/**
 * The command run the way a person runs it: pasted into a POSIX shell (dash),
 * with carriage returns turned into newlines like a terminal does, and a
 * harmless `nft-agent` that only prints what it receives.
 */
describe('apply command in a real shell', () => {
  let dir = '';
  let work = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nftd-apply-'));
    work = join(dir, 'work');
    mkdirSync(join(dir, 'bin'));
    mkdirSync(work);
    const agent = join(dir, 'bin', 'nft-agent');
    writeFileSync(agent, '#!/bin/sh\n[ "$*" = "apply --confirm 60 -" ] || { echo "bad arguments: $*" >&2; exit 3; }\nexec cat\n');
    chmodSync(agent, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function paste(cmd: string): { stdout: string; stderr: string; status: number | null } {
    const typed = cmd.replace(/\r\n?/g, '\n');
    const r = spawnSync('/usr/bin/dash', [], { input: typed, cwd: work, encoding: 'utf8', env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, HOME: work } });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  }

  const hostile = [
    'NFT_DESIGNER_EOF',
    'NFT_DESIGNER_EOF_1',
    'touch PWNED_LINE',
    '$(touch PWNED_SUBST)',
    '`touch PWNED_BACKTICK`',
    "'; touch PWNED_QUOTE; '",
    '\tNFT_DESIGNER_EOF',
    "EOF\n: <<'X'",
  ].join('\n');

  for (const [name, script] of [
    ['a template', TEMPLATES[0].text],
    ['hostile lines', `table ip t {\n${hostile}\n}\n`],
    ['no final newline', `table ip t {\n}\n${hostile}`],
  ] as const) {
    it(`delivers ${name} to the agent byte for byte and runs nothing else`, () => {
      const r = paste(command(script));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(script.endsWith('\n') ? script : `${script}\n`);
      expect(readdirSync(work)).toEqual([]);
    });
  }

  it('the refused carriage-return script would indeed have run a command (so the refusal matters)', () => {
    // what the old code produced: a fixed delimiter, checked on \n-split lines only
    const evil = 'flags interval\rNFT_DESIGNER_EOF\rtouch PWNED_CR\r: <<\'X\'\n';
    const old = `nft-agent apply --confirm 60 - <<'NFT_DESIGNER_EOF'\n${evil}NFT_DESIGNER_EOF\n`;
    paste(old);
    expect(readdirSync(work)).toEqual(['PWNED_CR']);
    rmSync(join(work, 'PWNED_CR'));
    expect(applyCommand(evil).ok).toBe(false);
  });
});
