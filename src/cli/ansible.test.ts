/** `nft-designer ansible FILE --out DIR`: the files it writes, their modes, the directories it refuses, its errors. */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
table inet fw
delete table inet fw
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
    expect(readFileSync(join(dir, `${ROLE}/defaults/main.yml`), 'utf8')).toContain("\nnft_design_name: 'edge'\n");
    const manifest = readFileSync(join(dir, TREE_MANIFEST), 'utf8').split('\n');
    expect(manifest[0]).toMatch(/^# written by nft-designer ansible/);
    expect(manifest).toContain(`${ROLE}/files/nft-agent`);
  });

  it('warns on stderr about a preamble that a second run or other software would regret (exit status unchanged)', () => {
    const body = DESIGN.replace('table inet fw\ndelete table inet fw\n', '');
    let r = cli(['ansible', 'none.nft', '--out', fresh()], { 'none.nft': body });
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      "none.nft: warning: the design has no preamble: each run of the playbook adds its rules again (table inet fw gets one more copy of every rule on every host); use 'replace only these tables' (table F N + delete table F N)\n",
    );
    expect(r.out).toMatch(/^wrote 12 files to /);
    r = cli(['ansible', '-', '--out', fresh()], { '-': `flush ruleset\n${body}` });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^<stdin>: warning: the design starts with flush ruleset: it removes every other table on every host, also those of Docker, fail2ban, firewalld, .*\n$/);
    // replace only these tables: nothing to say
    expect(cli(['ansible', 'fw.nft', '--out', fresh()], { 'fw.nft': DESIGN }).err).toBe('');
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
    expect(r.err).toContain(`cannot write ${join(dir, 'site.yml')}: it is a symbolic link; nothing is written through one`);
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
    rmSync(join(dir, 'site.yml'));
    rmSync(join(dir, 'roles'), { recursive: true });
    symlinkSync(scratch, join(dir, 'roles'));
    r = cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'roles')} is a symbolic link; nothing is written or removed through one`);
    expect(existsSync(join(scratch, 'nft_designer'))).toBe(false);
    r = cli(['ansible', 'fw.nft', '--out', target], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot use ${target} as the output directory: not a directory`);
    // a directory where a file goes
    rmSync(join(dir, 'roles'));
    mkdirSync(join(dir, 'site.yml'));
    r = cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot write ${join(dir, 'site.yml')}: it exists and is not a regular file`);
    expect(existsSync(join(dir, 'roles'))).toBe(false);
  });

  it('replaces a file rather than writing into it: a hard link to a file elsewhere stays as it was', () => {
    const dir = fresh();
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
    const other = join(scratch, `hard${n}.txt`);
    writeFileSync(other, 'untouched\n');
    rmSync(join(dir, 'site.yml'));
    linkSync(other, join(dir, 'site.yml'));
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
    expect(readFileSync(other, 'utf8')).toBe('untouched\n');
    expect(readFileSync(join(dir, 'site.yml'), 'utf8')).toMatch(/^# nft-designer: roll the design/);
    expect(mode(join(dir, 'site.yml'))).toBe(0o644);
    // and no temporary file is left behind
    expect(readdirSync(dir).filter((f) => f.startsWith('.') && f !== TREE_MANIFEST)).toEqual([]);
  });

  it('DIR itself may be a symbolic link (the caller chose it): the bundle is written where it points', () => {
    const real = fresh();
    mkdirSync(real);
    const dir = fresh();
    symlinkSync(real, dir);
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
    expect(existsSync(join(real, `${ROLE}/files/nft-agent`))).toBe(true);
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
  });

  it('never removes or writes through a symbolic link to a directory, whatever the earlier list says', () => {
    const dir = fresh();
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
    const elsewhere = fresh();
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'victim'), 'untouched\n');
    symlinkSync(elsewhere, join(dir, 'link'));
    const manifest = readFileSync(join(dir, TREE_MANIFEST), 'utf8');
    // a stale entry below a link: not removed, and nothing else is written either
    writeFileSync(join(dir, TREE_MANIFEST), `${manifest}link/victim\n`);
    const siteBefore = readFileSync(join(dir, 'site.yml'), 'utf8');
    let r = cli(['ansible', 'fw.nft', '--out', dir, '--serial', '7'], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot remove ${join(dir, 'link/victim')} (of the earlier bundle): ${join(dir, 'link')} is a symbolic link`);
    expect(readFileSync(join(elsewhere, 'victim'), 'utf8')).toBe('untouched\n');
    expect(readFileSync(join(dir, 'site.yml'), 'utf8')).toBe(siteBefore);
    // a deeper directory of the bundle replaced by a link: nothing is written below it
    writeFileSync(join(dir, TREE_MANIFEST), manifest);
    rmSync(join(dir, `${ROLE}/tasks`), { recursive: true });
    symlinkSync(elsewhere, join(dir, `${ROLE}/tasks`));
    r = cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, `${ROLE}/tasks`)} is a symbolic link`);
    expect(readdirSync(elsewhere)).toEqual(['victim']);
    expect(readFileSync(join(dir, 'site.yml'), 'utf8')).toBe(siteBefore);
  });

  it('refuses an earlier list with a path that is not one of a bundle (.., absolute, empty or hidden parts)', () => {
    const dir = fresh();
    expect(cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN }).code).toBe(0);
    const manifest = readFileSync(join(dir, TREE_MANIFEST), 'utf8');
    const outside = fresh();
    mkdirSync(outside);
    writeFileSync(join(outside, 'victim'), 'untouched\n');
    const rel = join('..', outside.slice(scratch.length + 1), 'victim');
    for (const entry of [rel, join(outside, 'victim'), `roles//x`, 'roles/./x', '.ssh/authorized_keys', 'roles/x/', ' x']) {
      writeFileSync(join(dir, TREE_MANIFEST), `${manifest}${entry}\n`);
      const r = cli(['ansible', 'fw.nft', '--out', dir], { 'fw.nft': DESIGN });
      expect(r.code, entry).toBe(2);
      expect(r.err, entry).toContain(`${join(dir, TREE_MANIFEST)} lists "${entry}", which is not a file of a bundle; not writing into ${dir}`);
      expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('untouched\n');
    }
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
