/**
 * The Ansible bundle as a .zip, in the browser: every file under one top-level
 * directory, with its POSIX mode (the agent stays executable once unpacked) and a
 * fixed time, so the same design gives the same archive.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { type BundleFile, isBundlePath } from '../../src/ansible/index.ts';

/** 2000-01-01, local time as ZIP stores it: the same bytes for the same bundle. */
const FIXED_TIME = new Date(2000, 0, 1);

/** A Unix regular file of this mode, in the ZIP's external attributes (high 16 bits). */
const unixAttrs = (mode: number): number => ((0o100000 | (mode & 0o777)) << 16) >>> 0;

export function bundleZip(dir: string, files: readonly BundleFile[]): Uint8Array {
  if (dir.includes('/') || !isBundlePath(dir)) throw new Error(`not a directory name for the bundle: ${dir}`);
  const entries: Zippable = {};
  for (const f of files) {
    if (!isBundlePath(f.path)) throw new Error(`not a path inside the bundle: ${f.path}`);
    entries[`${dir}/${f.path}`] = [strToU8(f.text), { os: 3, attrs: unixAttrs(f.mode ?? 0o644), mtime: FIXED_TIME, level: 6 }];
  }
  return zipSync(entries);
}
