/** The lint command as issue 3 asks for it: one finding a line, exit 1 on an error, --json, --target-version. */
import { describe, expect, it } from 'vitest';
import { run } from '../cli/main.ts';
import { memoryIo } from '../cli/io.ts';

function cli(argv: string[], files: Record<string, string>): { code: number; out: string; err: string } {
  const m = memoryIo(files);
  const code = run(argv, m.io);
  return { code, out: m.out(), err: m.err() };
}

const BAD = 'table ip t {\n\tchain c {\n\t\ttype filter hook output priority filter; policy accept;\n\t\ttcp sport 80 synproxy mss 65536 wscale 7 timestamp\n\t}\n}\n';
const OK = 'table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 22 accept\n\t}\n}\n';

describe('nft-designer lint', () => {
  it('prints FILE:LINE:COL: severity: message [id] and exits 1 on an error', () => {
    const r = cli(['lint', 'fw.nft'], { 'fw.nft': BAD });
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    for (const l of lines) expect(l).toMatch(/^fw\.nft:\d+:\d+: (error|warning|info): [^\n]+ \[[a-z-]+\/[a-z-]+\]$/);
    expect(lines).toContain('fw.nft:4:29: error: mss 65536 is outside 1..65535; nft would silently store 0 [synproxy/mss-range]');
    expect(lines.some((l) => l.startsWith('fw.nft:4:16: error: synproxy is not allowed in a filter output chain'))).toBe(true);
  });

  it('exits 0 when there are only warnings and infos', () => {
    const r = cli(['lint', '-'], { '-': OK });
    expect(r.code).toBe(0);
  });

  it('prints the findings as JSON with --json', () => {
    const r = cli(['lint', '--json', 'fw.nft'], { 'fw.nft': BAD });
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out) as { id: string; severity: string; why: string; range: { startLine: number } }[];
    const mss = found.find((d) => d.id === 'synproxy/mss-range');
    expect(mss?.severity).toBe('error');
    expect(mss?.why).toMatch(/16-bit/);
    expect(mss?.range.startLine).toBe(4);
  });

  it('checks features against --target-version', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttypeof ip saddr\n\t}\n}\n';
    expect(cli(['lint', 'a.nft'], { 'a.nft': text }).code).toBe(0);
    const r = cli(['lint', '--target-version', '0.9.3', 'a.nft'], { 'a.nft': text });
    expect(r.code).toBe(1);
    expect(r.out).toContain('a.nft:3:3: error: typeof in set declarations needs nftables 0.9.4 or later; the target is 0.9.3 [version/feature]');
  });
});
