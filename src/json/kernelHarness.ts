/**
 * For the JSON kernel tests: run several nft commands against files in ONE fresh
 * network namespace (`unshare -n`, with the same dummy interfaces as
 * src/testing/nft.ts), so that loading text, listing, flushing and loading JSON
 * cost one namespace per fixture. Never touches the host ruleset.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StepResult {
  status: number;
  stdout: string;
  stderr: string;
}

// Kernels without the dummy driver (like this test machine's) still have bridges:
// the names are what rules and chains refer to, not the device type.
const SETUP = [
  'ip link set lo up',
  'for i in eth0 eth1 eth2 eth3 bond0 bond1; do ip link add "$i" type dummy 2>/dev/null || ip link add "$i" type bridge 2>/dev/null; done',
  'ip link add v0 type veth peer name v1 2>/dev/null',
].join('; ');

/** Write `files` to a fresh directory and run `nft <arg>` for each of `steps` there, in one namespace. */
export function nftSteps(files: Record<string, string>, steps: string[], nft = 'nft'): StepResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'nftd-json-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      if (!/^[a-z0-9._-]+$/.test(name)) throw new Error(`bad file name ${name}`);
      writeFileSync(join(dir, name), content);
    }
    // the nft to run is passed as $2, never spliced into the shell text
    const script = [SETUP, 'cd "$1"', ...steps.map((s, i) => `"$2" ${s} >out.${i} 2>err.${i}; echo $? >rc.${i}`)].join('\n');
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script, 'sh', dir, nft], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`unshare failed: ${r.stderr}`);
    return steps.map((_, i) => ({
      status: Number(readFileSync(join(dir, `rc.${i}`), 'utf8').trim()),
      stdout: readFileSync(join(dir, `out.${i}`), 'utf8'),
      stderr: readFileSync(join(dir, `err.${i}`), 'utf8'),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `nft -j list ruleset` without what differs between two loads of the same
 * ruleset: handles, and the time-dependent `expires` of set elements.
 */
export function comparableJson(listing: string): unknown {
  const doc = JSON.parse(listing) as { nftables: unknown[] };
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'handle' && k !== 'expires') o[k] = strip(x);
      return o;
    }
    return v;
  };
  return doc.nftables.filter((o) => !(o && typeof o === 'object' && 'metainfo' in o)).map(strip);
}

/** `nft list ruleset` without the time-dependent `expires …` of set elements. */
export function comparableText(listing: string): string {
  return listing.replace(/ expires \S+/g, '');
}
