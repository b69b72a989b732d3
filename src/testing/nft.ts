/**
 * Run the real nft — only ever inside a private network namespace (`unshare -n`),
 * so the host's ruleset is never touched. Used by the kernel tests and the
 * benchmark. Each call gets a fresh namespace with interfaces eth0–eth3, bond0,
 * bond1, v0, v1 (veth pairs) and lo up, so rules that name interfaces load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NftRun {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
}

// veth pairs, because this kernel has no dummy link type
export const NAMESPACE_LINKS: readonly string[] = [
  'ip link set lo up',
  'ip link add eth0 type veth peer name eth1',
  'ip link add eth2 type veth peer name eth3',
  'ip link add bond0 type veth peer name bond1',
  'ip link add v0 type veth peer name v1',
  // the bridges of libvirt's and Incus's listings (src/knowledge/fixtures/foreign)
  'ip link add virbr0 type veth peer name virbr1',
  'ip link add incusbr0 type veth peer name incusbr1',
];
const SETUP = NAMESPACE_LINKS.join('; ');

/** Why the kernel tier cannot run here, or undefined when it can. */
export function kernelUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (the kernel tests need CAP_NET_ADMIN for unshare -n)';
  const nft = spawnSync('nft', ['--version'], { encoding: 'utf8' });
  if (nft.error || nft.status !== 0) return 'nft is not installed (Debian package nftables)';
  const u = spawnSync('unshare', ['-n', 'true']);
  if (u.status !== 0) return 'unshare -n does not work here';
  return undefined;
}

/**
 * Debian 13's nft 1.1.3, unpacked beside the system's by scripts/ensure-nft-1.1.3.sh
 * (never installed over it); NFT_113 names another copy.
 */
export const NFT_113 = process.env.NFT_113 ?? '/opt/nft-designer/nft-1.1.3/nft';

/** Why nft 1.1.3 cannot be run here, or undefined when it can. */
export function nft113Unavailable(): string | undefined {
  const r = spawnSync(NFT_113, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `nft 1.1.3 is not at ${NFT_113} (scripts/ensure-nft-1.1.3.sh unpacks it)`;
  if (!r.stdout.includes('v1.1.3')) return `${NFT_113} is not nft 1.1.3: ${r.stdout.trim()}`;
  return undefined;
}

export function nftVersion(): string {
  const r = spawnSync('nft', ['--version'], { encoding: 'utf8' });
  return /v(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

/**
 * Load `script` with `nft -f` (or `nft -j -f` when json) in a fresh namespace,
 * then run each of `after` (e.g. ['list ruleset']) and return their output.
 */
export function nftInNamespace(script: string, opts: { json?: boolean; check?: boolean; after?: string[]; file?: string; nft?: string; debugNetlink?: boolean } = {}): NftRun {
  const dir = mkdtempSync(join(tmpdir(), 'nftd-'));
  try {
    const file = join(dir, opts.file ?? (opts.json ? 'input.json' : 'input.nft'));
    writeFileSync(file, script);
    // the nft to run is passed as $2, never spliced into the shell text
    const load = `"$2" ${opts.debugNetlink ? '--debug=netlink ' : ''}${opts.check ? '-c ' : ''}${opts.json ? '-j ' : ''}-f "$1"`;
    const after = (opts.after ?? []).map((a) => ` && "$2" ${a}`).join('');
    const r = spawnSync('unshare', ['-n', 'sh', '-c', `${SETUP}; cd "$(dirname "$1")" && ${load}${after}`, 'sh', file, opts.nft ?? 'nft'], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    return { ok: r.status === 0, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Load and list back: `nft list ruleset` text (or `-j` JSON when listJson), with the system's nft or `nft`. */
export function loadAndList(script: string, opts: { json?: boolean; listJson?: boolean; nft?: string } = {}): NftRun {
  return nftInNamespace(script, { json: opts.json, after: [opts.listJson ? '-j list ruleset' : 'list ruleset'], ...(opts.nft ? { nft: opts.nft } : {}) });
}

/** The nft binary of each listing target: the system's (Debian 12's 1.0.6) and the unpacked 1.1.3. */
export const NFT_OF: Readonly<Record<'1.0.6' | '1.1.3', string | undefined>> = { '1.0.6': undefined, '1.1.3': NFT_113 };

/**
 * Why a test of `target` cannot run here (nft 1.1.3 missing), or undefined. Under
 * CI=true a missing 1.1.3 throws: there it is a failure, never a skip.
 */
export function targetUnavailable(target: '1.0.6' | '1.1.3'): string | undefined {
  const missing = target === '1.1.3' ? nft113Unavailable() : undefined;
  if (missing && process.env.CI === 'true') throw new Error(missing);
  if (missing) console.warn(`\n*** nft 1.1.3 TEST SKIPPED (it runs in CI, where this is a failure): ${missing} ***\n`);
  return missing;
}

/** `nft -j list ruleset` output with handles removed, for comparing two loads. */
export function normaliseJsonListing(json: string): unknown {
  const doc = JSON.parse(json) as { nftables: Record<string, unknown>[] };
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'handle') o[k] = strip(x);
      return o;
    }
    return v;
  };
  return doc.nftables.filter((o) => !('metainfo' in o)).map(strip);
}
