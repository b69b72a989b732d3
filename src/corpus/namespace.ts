/**
 * Many loads in ONE fresh network namespace (`unshare -n`): for each load,
 * `nft [-j] -f FILE` (its first command `flush ruleset`) and `nft list ruleset`,
 * so that a whole batch of corpus cases costs one namespace and two nft runs a load. Never touches
 * the host's ruleset; the namespace vanishes with the process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAMESPACE_LINKS } from '../testing/nft.ts';

export interface Load {
  text: string;
  json?: boolean;
}

export interface LoadResult {
  ok: boolean;
  /** nft's messages of the load */
  stderr: string;
  /** `nft list ruleset` after the load (empty when it was refused) */
  listing: string;
}

// the interfaces of src/testing/nft.ts, and dummy0, which nftables' own tests name (veth pairs: this kernel has no dummy link type)
const SETUP = [...NAMESPACE_LINKS, 'ip link add dummy0 type veth peer name dummy1'].join('; ');

/** A load step's text with `flush ruleset` first (in the same transaction: one nft run less). */
function flushFirst(l: Load): string {
  if (!l.json) return `flush ruleset\n${l.text}`;
  const doc = JSON.parse(l.text) as { nftables: unknown[] };
  const [meta, ...rest] = doc.nftables;
  return JSON.stringify({ nftables: [meta, { flush: { ruleset: null } }, ...rest] });
}

/** Each of `loads` after `flush ruleset` (in its transaction), each followed by `list ruleset`; per load its status and listing. */
export async function runLoads(nft: string, loads: readonly Load[]): Promise<LoadResult[]> {
  return (await runSteps(nft, loads.map((l) => [{ load: l, flush: true }, { list: true }]))).map((r) => r[0]);
}

export type Step = { load: Load; flush?: boolean } | { list: true };

/**
 * Run the groups of `steps` in order in one namespace; for a load step its
 * status, messages and the listing of the next list step of its group.
 */
export async function runSteps(nft: string, groups: readonly (readonly Step[])[]): Promise<LoadResult[][]> {
  if (!groups.length) return [];
  const dir = mkdtempSync(join(tmpdir(), 'nftd-corpus-'));
  try {
    const lines = [`${SETUP} 2>/dev/null`, 'cd "$1"'];
    let n = 0;
    const ids = groups.map((g) =>
      g.map((step) => {
        const i = n++;
        if ('list' in step) lines.push(`"$2" list ruleset >out.${i} 2>err.${i}; echo $? >rc.${i}`);
        else {
          const file = `in.${i}.${step.load.json ? 'json' : 'nft'}`;
          writeFileSync(join(dir, file), step.flush ? flushFirst(step.load) : step.load.text);
          lines.push(`"$2" ${step.load.json ? '-j ' : ''}-f ${file} >/dev/null 2>err.${i}; echo $? >rc.${i}`);
        }
        return i;
      }),
    );
    writeFileSync(join(dir, 'run.sh'), lines.join('\n') + '\n');
    const status = await new Promise<number | string | null>((resolve) => {
      const child = spawn('unshare', ['-n', 'sh', join(dir, 'run.sh'), dir, nft], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', (e) => resolve(String(e)));
      child.on('close', (code, signal) => resolve(code === 0 ? 0 : `${code ?? signal}: ${err}`));
    });
    if (status !== 0) throw new Error(`unshare -n failed (${status})`);
    return groups.map((g, gi) => {
      const res = ids[gi].map((i, k): LoadResult => {
        const ok = readFileSync(join(dir, `rc.${i}`), 'utf8').trim() === '0';
        const listing = 'list' in g[k] && ok ? readFileSync(join(dir, `out.${i}`), 'utf8') : '';
        return { ok, stderr: readFileSync(join(dir, `err.${i}`), 'utf8'), listing };
      });
      for (let k = res.length - 2; k >= 0; k--) if (!('list' in g[k])) res[k] = { ...res[k], listing: res[k].ok ? res[k + 1].listing : '' };
      return res;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
