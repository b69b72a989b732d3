/** The fmt, to-json, from-json and template commands, their errors and exit codes. */
import { describe, expect, it, vi } from 'vitest';
import { run } from './main.ts';
import { type CliIo, memoryIo } from './io.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { CHECKS } from '../lint/index.ts';
import { generateBinopChainJson, generateBinopChain } from '../testing/generate.ts';

function cli(argv: string[], files: Record<string, string> = {}): { code: number; out: string; err: string } {
  const m = memoryIo(files);
  const code = run(argv, m.io);
  return { code, out: m.out(), err: m.err() };
}

const WIKI = TEMPLATES[0].text;

describe('fmt', () => {
  it('prints the canonical script of a file or stdin', () => {
    expect(cli(['fmt', 'a.nft'], { 'a.nft': WIKI })).toEqual({ code: 0, out: WIKI, err: '' });
    const messy = 'table ip anon_synproxy_demo { chain PRE { type filter hook prerouting priority -300; tcp dport 8888 tcp flags syn notrack; }; chain IN { type filter hook input priority 0; tcp dport 8888 ct state untracked,invalid synproxy sack-perm timestamp wscale 7 mss 1460; ct state invalid drop; }; }\n';
    expect(cli(['fmt', '-'], { '-': messy }).out).toBe(WIKI);
  });
  it('reports every error as FILE:LINE:COL: error: message and exits 1', () => {
    const r = cli(['fmt', 'b.nft'], { 'b.nft': 'table ip t {\n\tchain c {\n\t\ttype filter hook nope priority 0;\n\t\ttcp dport 22 acept\n\t}\n}\n' });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual(['b.nft:3:20: error: unknown hook "nope"', 'b.nft:4:16: error: unknown statement "acept"']);
  });
  it('writes the chosen preamble', () => {
    const r = cli(['fmt', '--preamble', 'replace', 'a.nft'], { 'a.nft': WIKI });
    expect(r.out.startsWith('table ip anon_synproxy_demo\ndelete table ip anon_synproxy_demo\ntable ip anon_synproxy_demo {\n')).toBe(true);
    expect(cli(['fmt', '--preamble', 'nope', 'a.nft'], { 'a.nft': WIKI }).code).toBe(2);
  });
  it('refuses to print a name that would smuggle a command (exit 1)', () => {
    const r = cli(['from-json', 'x.json'], { 'x.json': JSON.stringify({ nftables: [{ table: { family: 'ip', name: 't { } flush ruleset; table ip x' } }] }) });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
  });
});

describe('usage errors exit 2', () => {
  it('unknown command, missing file, unreadable file', () => {
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['fmt']).code).toBe(2);
    const r = cli(['fmt', 'missing.nft']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read missing.nft: no such file');
  });
  it('help exits 0', () => {
    expect(cli(['help']).code).toBe(0);
    expect(cli(['help']).out).toContain('usage: nft-designer');
  });
});

describe('to-json and from-json', () => {
  it('converts a script that JSON can carry, and back', () => {
    const text = 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tct state established,related accept\n\t\ttcp dport { 22, 443 } accept\n\t}\n}\n';
    const j = cli(['to-json', 'a.nft'], { 'a.nft': text });
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out).nftables.length).toBeGreaterThan(2);
    expect(cli(['from-json', 'a.json'], { 'a.json': j.out }).out).toBe(text);
  });
  it("refuses what nft 1.0.6's JSON cannot carry, unless --lossy", () => {
    const named = TEMPLATES[1].text;
    const r = cli(['to-json', '--target-version', '1.0.6', 'n.nft'], { 'n.nft': named });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/synproxy/);
    expect(r.err).toMatch(/nft 1\.0\.6's JSON cannot carry/);
    expect(r.out).toBe('');
    const lossy = cli(['to-json', '--target-version', '1.0.6', '--lossy', 'n.nft'], { 'n.nft': named });
    expect(lossy.code).toBe(0);
    expect(lossy.err).toMatch(/warning/);
    // the default target, 1.1.3, carries synproxy objects
    const newer = cli(['to-json', 'n.nft'], { 'n.nft': named });
    expect(newer.code, newer.err).toBe(0);
    expect(newer.out).toContain('"synproxy": {');
  });
  it('from-json reports broken JSON as an error', () => {
    const r = cli(['from-json', 'b.json'], { 'b.json': '{"nftables": [' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^b\.json:1:\d+: error: /);
  });
});

describe('--target-version and the file\'s own version', () => {
  const body = 'table ip t {\n\tchain c {\n\t\tlimit rate 10/second\n\t}\n}\n';
  const v113 = body.replace('10/second', '10/second burst 5 packets');
  const exported = `# nft --version: nftables v1.0.6 (Lester Gooch #5)\n${body}`;
  it('fmt writes 1.1.3 by default, an nft-agent export in its own nft\'s form, and the flag wins', () => {
    expect(cli(['fmt', 'a.nft'], { 'a.nft': body }).out).toBe(v113);
    expect(cli(['fmt', '--target-version', '1.0.6', 'a.nft'], { 'a.nft': body }).out).toBe(body);
    expect(cli(['fmt', 'e.nft'], { 'e.nft': exported }).out).toBe(exported);
    expect(cli(['fmt', '--no-comments', 'e.nft'], { 'e.nft': exported }).out).toBe(body);
    expect(cli(['fmt', '--target-version', '1.1.3', '--no-comments', 'e.nft'], { 'e.nft': exported }).out).toBe(v113);
    const lintOnly = cli(['fmt', '--target-version', '1.0.9', 'a.nft'], { 'a.nft': body });
    expect(lintOnly.code).toBe(2);
    expect(lintOnly.err).toMatch(/lint-only/);
  });
  it('lint and to-json check against the file\'s own version unless the flag names one', () => {
    const newer = 'table ip t {\n}\ndestroy table ip t\n';
    expect(cli(['lint', 'n.nft'], { 'n.nft': newer }).code).toBe(0);
    expect(cli(['lint', 'n.nft'], { 'n.nft': `# nft --version: nftables v1.0.6 (Lester Gooch #5)\n${newer}` }).out).toMatch(/version\/feature/);
    expect(cli(['lint', '--target-version', '1.0.6', 'n.nft'], { 'n.nft': newer }).out).toMatch(/version\/feature/);
    const named = TEMPLATES[1].text;
    expect(cli(['to-json', 'n.nft'], { 'n.nft': `# nft --version: nftables v1.0.6 (Lester Gooch #5)\n${named}` }).code).toBe(1);
    expect(cli(['to-json', '--target-version', '1.1.3', 'n.nft'], { 'n.nft': `# nft --version: nftables v1.0.6 (Lester Gooch #5)\n${named}` }).code).toBe(0);
  });
  it('from-json writes the listing form of the version in the document\'s metainfo', () => {
    const doc = (version: string) =>
      JSON.stringify({ nftables: [{ metainfo: { version, json_schema_version: 1 } }, { table: { family: 'ip', name: 't' } }, { chain: { family: 'ip', table: 't', name: 'c' } }, { rule: { family: 'ip', table: 't', chain: 'c', expr: [{ limit: { rate: 10, burst: 5, per: 'second' } }] } }] });
    expect(cli(['from-json', 'a.json'], { 'a.json': doc('1.0.6') }).out).toBe(body);
    expect(cli(['from-json', 'a.json'], { 'a.json': doc('1.1.3') }).out).toBe(v113);
    expect(cli(['from-json', '--target-version', '1.1.3', 'a.json'], { 'a.json': doc('1.0.6') }).out).toBe(v113);
  });
});

describe('template', () => {
  it('lists and prints templates', () => {
    expect(cli(['template']).out).toContain('synproxy-anonymous');
    expect(cli(['template', 'synproxy-anonymous']).out).toBe(WIKI);
    expect(cli(['template', 'nope']).code).toBe(2);
  });
});

describe('inputs nested deeper than nft takes, and internal errors', () => {
  const deep = generateBinopChain(4000);
  const deepJson = generateBinopChainJson(4000);
  it('every command answers a 4000-operator rule with FILE:LINE:COL: error and exit 1, no stack trace', () => {
    for (const cmd of ['fmt', 'lint', 'to-json']) {
      const r = cli([cmd, 'deep.nft'], { 'deep.nft': deep });
      expect(r.code, cmd).toBe(1);
      const lines = (r.err + r.out).trim().split('\n');
      expect(lines.some((l) => /^deep\.nft:4:\d+: error: more than 52 bit operations/.test(l)), cmd).toBe(true);
      expect(r.err, cmd).not.toMatch(/\n\s+at /);
    }
  });
  it('53 operations on one path across parentheses: every command names the rule and exits 1', () => {
    const rule = `ip saddr . (meta mark${' & 1'.repeat(30)})${' & 1'.repeat(23)} { 10.0.0.1 . 1, 10.0.0.2 . 2 } accept`;
    const text = generateBinopChain(0).replace('meta mark == 0x00000001 accept', rule);
    for (const cmd of ['fmt', 'lint', 'to-json']) {
      const r = cli([cmd, '--target-version', '1.0.6', 'split.nft'], { 'split.nft': text });
      expect(r.code, cmd).toBe(1);
      // fmt and to-json give the emitter's refusal; lint counts the operations against the target's limit
      expect(r.err + r.out, cmd).toMatch(cmd === 'lint' ? /^split\.nft:4:3: error: 53 bit operations .*nft 1\.0\.6 takes at most 52/m : /^split\.nft:4:3: error: more than 52 bit operations/m);
    }
    // the default target, 1.1.3, takes 15
    expect(cli(['lint', 'split.nft'], { 'split.nft': text }).out).toMatch(/^split\.nft:4:3: error: 53 bit operations .*nft 1\.1\.3 takes at most 15/m);
  });
  it('from-json names the item of a 4000-level JSON expression and exits 1', () => {
    const r = cli(['from-json', 'deep.json'], { 'deep.json': deepJson });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('deep.json: error: nftables[2]: a rule of chain ip t c, statement 0: the expression is nested too deeply (more than 64 levels); the rule is left out');
  });
  it('lint: a check that fails is an internal error (exit 2), and the other findings are still printed', () => {
    const spy = vi.spyOn(CHECKS[0], 'run').mockImplementation(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    try {
      const r = cli(['lint', 'a.nft'], { 'a.nft': 'table ip t {\n\tchain c {\n\t\tjump x\n\t}\n}\n' });
      expect(r.code).toBe(2);
      expect(r.err).toBe(`nft-designer: internal error: the ${CHECKS[0].name} check failed: Maximum call stack size exceeded\n`);
      expect(r.out).toMatch(/^a\.nft:3:\d+: error: .*\[ref\/undefined-chain\]$/m);
    } finally {
      spy.mockRestore();
    }
  });
  it('an unexpected internal error is one line and exit 2', () => {
    let err = '';
    const io: CliIo = {
      stdout: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
      stderr: (s) => (err += s),
      readFile: () => WIKI,
      readStdin: () => '',
    };
    expect(run(['fmt', 'a.nft'], io)).toBe(2);
    expect(err).toBe('nft-designer: internal error: RangeError: Maximum call stack size exceeded\n');
  });
});
