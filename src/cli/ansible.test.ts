/** `nft-designer ansible FILE --out DIR`: the files it writes, their modes, the directories it refuses, its errors. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './main.ts';
import { TREE_MANIFEST, memoryIo } from './io.ts';

const AGENT = readFileSync(new URL('../../public/agent/nft-agent', import.meta.url), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'nft-designer-cli-ansible-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
/** A path under the scratch directory that does not exist yet. */
const fresh = (): string => join(scratch, `out${++n}`);

function cli(argv: string[], files: Record<string, string> = {}): { code: number; out: string; err: string } {
  const m = memoryIo(files);
  const code = run(argv, m.io);
  return { code, out: m.out(), err: m.err() };
}

const DESIGN = `define admin = 198.18.0.1
define web = { 80, 443 }
define both = { $admin, 198.18.0.2 }
table inet fw {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip saddr $both tcp dport 22 accept
		tcp dport $web accept
	}
}
`;
const ROLE = 'roles/nft_designer';

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('nft-designer ansible', () => {
  it('writes the bundle to a new DIR with its modes, and says what became per-host', () => {
    const dir = fresh();
    const r = cli(['ansible', 'fw.nft', '--out', dir, '--name', 'edge', '--confirm', '30', '--serial', '3'], { 'fw.nft': DESIGN });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        `wrote 12 files to ${dir}`,
        'per-host values (inventory variables): nft_define_admin, nft_define_web',
        'kept as written: define both (its value refers to another define (it follows the per-host values it uses))',
        `next: cd ${dir} && cp inventory.example.ini inventory.ini (list your hosts), then: ansible-playbook site.yml`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, `${ROLE}/files/nft-agent`), 'utf8')).toBe(AGENT);
    expect(mode(join(dir, `${ROLE}/files/nft-agent`))).toBe(0o755);
    expect(mode(join(dir, 'site.yml'))).toBe(0o644);
    expect(mode(join(dir, `${ROLE}/files/design.nft`))).toBe(0o644);
    expect(readFileSync(join(dir, `${ROLE}/files/design.nft`), 'utf8')).toBe(DESIGN.replace('define admin = 198.18.0.1\ndefine web = { 80, 443 }\n', ''));
    expect(readFileSync(join(dir, 'site.yml'), 'utf8')).toContain('default(3)');
    expect(readFileSync(join(dir, `${ROLE}/defaults/main.yml`), 'utf8')).toContain('\nnft_confirm_seconds: 30\n');
    expect(readFileSync(join(dir, `${ROLE}/defaults/main.yml`), 'utf8')).toContain('\nnft_design_name: edge\n');
    const manifest = readFileSync(join(dir, TREE_MANIFEST), 'utf8').split('\n');
    expect(manifest[0]).toMatch(/^# written by nft-designer ansible/);
    expect(manifest).toContain(`${ROLE}/files/nft-agent`);
  });

  it('reads the design from standard input', () => {
    const dir = fresh();
    expect(cli(['ansible', '-', '--out', dir], { '-': DESIGN }).code).toBe(0);
    expect(existsSync(join(dir, 'site.yml'))).toBe(true);
  });

  it('writes again into a directory it wrote: keeps the inventory, removes what the new bundle no longer has', () => {
    const dir = fresh();
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
    writeFileSync(join(dir, 'inventory.ini'), '[firewalls]\nfw1\n');
    // as if an earlier version had written one more file
    writeFileSync(join(dir, `${ROLE}/tasks/old.yml`), '- debug:\n');
    writeFileSync(join(dir, TREE_MANIFEST), `${readFileSync(join(dir, TREE_MANIFEST), 'utf8')}${ROLE}/tasks/old.yml\n`);
    const r = cli(['ansible', 'fw.nft', '--out', dir, '--confirm', '15'], { 'fw.nft': DESIGN });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`(removed 1 of the earlier bundle: ${ROLE}/tasks/old.yml)`);
    expect(readFileSync(join(dir, 'inventory.ini'), 'utf8')).toBe('[firewalls]\nfw1\n');
    expect(existsSync(join(dir, `${ROLE}/tasks/old.yml`))).toBe(false);
    expect(readFileSync(join(dir, `${ROLE}/defaults/main.yml`), 'utf8')).toContain('\nnft_confirm_seconds: 15\n');
  });

  it('refuses a non-empty directory it did not write, unless --force (which keeps the other files)', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const r = cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`nft-designer: ${dir} is not empty and no earlier "nft-designer ansible" wrote it`);
    expect(existsSync(join(dir, 'site.yml'))).toBe(false);
    expect(cli(['ansible', 'fw.nft', '--out', dir, '--force'], { 'fw.nft': DESIGN }).code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'site.yml'))).toBe(true);
    // an empty directory needs no --force
    const empty = fresh();
    mkdirSync(empty);
    expect(cli(['ansible', 'fw.nft', '--out', empty], { 'fw.nft': DESIGN }).code).toBe(0);
  });

  it('never writes through a symbolic link, nor over a directory, nor into a file given as DIR', () => {
    const dir = fresh();
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
    const target = join(scratch, 'victim.txt');
    writeFileSync(target, 'untouched\n');
    rmSync(join(dir, 'site.yml'));
    symlinkSync(target, join(dir, 'site.yml'));
    let r = cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot write ${join(dir, 'site.yml')}: it exists and is not a regular file (or is a symbolic link)`);
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
    rmSync(join(dir, 'site.yml'));
    rmSync(join(dir, 'roles'), { recursive: true });
    symlinkSync(scratch, join(dir, 'roles'));
    r = cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'roles')} exists and is not a directory (or is a symbolic link)`);
    expect(existsSync(join(scratch, 'nft_designer'))).toBe(false);
    r = cli(['ansible', 'fw.nft', '--out', target], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot use ${target} as the output directory: not a directory`);
  });

  it('reports the errors of a design as FILE:LINE:COL (exit 1) and writes nothing', () => {
    const dir = fresh();
    const r = cli(['ansible', 'bad.nft', '--out', dir], { 'bad.nft': 'table ip t {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n' });
    expect(r).toEqual({ code: 1, out: '', err: 'bad.nft:3:16: error: unknown statement "acept"\n' });
    expect(existsSync(dir)).toBe(false);
    const empty = cli(['ansible', 'e.nft', '--out', dir], { 'e.nft': 'define a = 1\n' });
    expect(empty).toEqual({ code: 1, out: '', err: 'e.nft: error: e.nft holds no table: nothing to roll out\n' });
    expect(existsSync(dir)).toBe(false);
  });

  it('usage errors exit 2 and write nothing', () => {
    const dir = fresh();
    const files = { 'fw.nft': DESIGN };
    const cases: [string[], string][] = [
      [['ansible', 'fw.nft'], 'ansible needs --out DIR'],
      [['ansible', 'fw.nft', '--out'], '--out needs a value'],
      [['ansible', '--out', dir], 'missing FILE'],
      [['ansible', 'fw.nft', 'other.nft', '--out', dir], 'ansible takes one FILE'],
      [['ansible', 'fw.nft', '--out', dir, '--confirm', '5'], '--confirm needs a whole number from 10 to 86400'],
      [['ansible', 'fw.nft', '--out', dir, '--confirm', '1e3'], '--confirm needs a whole number from 10 to 86400'],
      [['ansible', 'fw.nft', '--out', dir, '--serial', '0'], '--serial needs a whole number from 1 to 10000'],
      [['ansible', 'fw.nft', '--out', dir, '--name', '../etc'], 'the name "../etc" must be 1 to 64 letters'],
      [['ansible', 'fw.nft', '--out', dir, '--confirm=60', '--yes'], 'ansible: unknown option --yes'],
      [['ansible', 'missing.nft', '--out', dir], 'cannot read missing.nft: no such file'],
    ];
    for (const [argv, message] of cases) {
      const r = cli(argv, files);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toContain(message);
      expect(r.out).toBe('');
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('is in the help', () => {
    const r = cli(['help']);
    expect(r.out).toContain('ansible FILE|- --out DIR');
    expect(r.out).toContain('--force');
  });
});
