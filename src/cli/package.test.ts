/**
 * The nft-designer command as people get it: the built program (scripts/build-cli.mjs,
 * run by `npm pack` through the "prepare" script), installed from the packed tarball
 * into an empty project with no network and no other package, and the repository's own
 * bin/ after the build. Spawned as real processes, so broken pipes and full disks are
 * the operating system's, not a mock's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './main.ts';
import { memoryIo } from './io.ts';
import { TEMPLATES } from '../templates/catalog.ts';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'nftd-pack-'));
const project = join(work, 'project');
let installedBin = '';

function sh(cmd: string, args: string[], cwd: string, input?: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', input, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

beforeAll(() => {
  const pack = sh('npm', ['pack', '--json', '--pack-destination', work], root);
  expect(pack.status, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  expect(info.files.map((f) => f.path)).toEqual(expect.arrayContaining(['bin/nft-designer.js', 'build/cli/nft-designer.mjs', 'public/agent/nft-agent']));
  // nothing of the web app or the sources travels in the tarball
  expect(info.files.filter((f) => /^(src|web|node_modules|dist)\//.test(f.path))).toEqual([]);
  sh('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), '{ "name": "uses-nft-designer", "private": true }\n');
  const install = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, info.filename)], project);
  expect(install.status, install.stderr).toBe(0);
  installedBin = join(project, 'node_modules', '.bin', 'nft-designer');
  expect(existsSync(installedBin)).toBe(true);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const WIKI = TEMPLATES[0].text;

describe('the packed tarball, installed', () => {
  it('runs through npx with no other package installed, and prints what the sources print', () => {
    writeFileSync(join(project, 'a.nft'), WIKI.replace(/\t/g, '  '));
    const r = sh('npx', ['--no-install', 'nft-designer', 'fmt', 'a.nft'], project);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = memoryIo({ 'a.nft': WIKI.replace(/\t/g, '  ') });
    expect(run(['fmt', 'a.nft'], m.io)).toBe(0);
    expect(r.stdout).toBe(m.out());
    expect(readdirNames(join(project, 'node_modules'))).toEqual(['.bin', '.package-lock.json', 'nft-designer']);
  });
  it('lint exits 1 with FILE:LINE:COL, SARIF included; usage errors exit 2', () => {
    writeFileSync(join(project, 'bad.nft'), 'table ip t {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n');
    const r = sh(installedBin, ['lint', 'bad.nft'], project);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^bad\.nft:3:16: error: /m);
    const s = sh(installedBin, ['lint', '--format', 'sarif', 'bad.nft'], project);
    const results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] = JSON.parse(s.stdout).runs[0].results;
    expect(results.find((x) => x.ruleId.startsWith('parse/'))?.locations[0].physicalLocation.region).toEqual(expect.objectContaining({ startLine: 3, startColumn: 16 }));
    const u = sh(installedBin, ['frobnicate'], project);
    expect(u.status).toBe(2);
    expect(u.stderr.split('\n')[0]).toBe('nft-designer: unknown command "frobnicate"');
  });
  it('finds the agent it ships with (ansible)', () => {
    writeFileSync(join(project, 'w.nft'), `table ip anon_synproxy_demo\ndelete table ip anon_synproxy_demo\n${WIKI}`);
    const r = sh(installedBin, ['ansible', 'w.nft', '--out', 'rollout'], project);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(project, 'rollout', 'roles', 'nft_designer', 'files', 'nft-agent'), 'utf8')).toBe(readFileSync(join(root, 'public', 'agent', 'nft-agent'), 'utf8'));
  });
  it('a reader that goes away (| head) and a full disk: one line on stderr and exit 2', () => {
    const big = Array.from({ length: 10000 }, (_, i) => `table ip t${i} {\n\tchain c {\n\t\ttcp dport ${i + 1} drop\n\t}\n}\n`).join('');
    writeFileSync(join(project, 'big.nft'), big);
    // bash's PIPESTATUS: the status of the command before the pipe
    const piped = sh('bash', ['-c', `"$0" fmt big.nft | head -n 2; exit "\${PIPESTATUS[0]}"`, installedBin], project);
    expect(piped.stdout.split('\n').slice(0, 2)).toEqual(['table ip t0 {', '\tchain c {']);
    expect(piped.stderr).toBe('nft-designer: cannot write the output: the reader closed the pipe (EPIPE), the output is incomplete\n');
    expect(piped.status).toBe(2);
    const full = sh('sh', ['-c', '"$0" fmt big.nft > /dev/full', installedBin], project);
    expect(full.status).toBe(2);
    expect(full.stderr).toBe('nft-designer: cannot write the output: ENOSPC: no space left on device, write\n');
  });
});

describe("the repository's bin/ after the build", () => {
  it('runs the built program', () => {
    const r = sh(process.execPath, [join(root, 'bin', 'nft-designer.js'), 'fmt', '-'], root, WIKI);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(WIKI);
  });
});

function readdirNames(dir: string): string[] {
  return spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
}
