/** The CLI's edges: reading FILE or stdin, where output goes (injectable for tests), and writing a directory of files. */
import { type Stats, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBundlePath } from '../ansible/index.ts';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => string;
  readStdin: () => string;
}

export const processIo: CliIo = {
  stdout: (s) => {
    guardPipes();
    process.stdout.write(s);
  },
  stderr: (s) => {
    guardPipes();
    process.stderr.write(s);
  },
  readFile: (path) => readFileSync(path, 'utf8'),
  readStdin: () => readFileSync(0, 'utf8'),
};

/**
 * A CliIo over strings, to run the CLI in-process (tests): FILE is read from
 * `files` (ENOENT when absent), `-` from files['-']; what it prints is collected.
 */
export function memoryIo(files: Readonly<Record<string, string>> = {}): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readFile: (p) => {
      if (!Object.hasOwn(files, p)) throw Object.assign(new Error(`no such file: ${p}`), { code: 'ENOENT' });
      return files[p];
    },
    readStdin: () => files['-'] ?? '',
  };
  return { io, out: () => out, err: () => err };
}

let guarded = false;

/**
 * A reader that goes away (`nft-designer fmt big.nft | head`) makes the next
 * write fail with EPIPE, and a full disk with ENOSPC, which Node reports as an
 * uncaught error with a stack trace. Either ends with one line on stderr and exit
 * 2 instead: the output is incomplete, and a pipeline (`set -o pipefail`) must
 * see that it is.
 */
function guardPipes(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EPIPE' ? 'the reader closed the pipe (EPIPE), the output is incomplete' : e.message;
      if (stream !== process.stderr) {
        try {
          process.stderr.write(`nft-designer: cannot write the output: ${why}\n`);
        } catch {
          // stderr is gone too: nothing left to tell
        }
      }
      process.exitCode = 2;
      process.exit();
    });
  }
}

export class UsageError extends Error {}

/** Read FILE, or stdin for `-`; the name used in messages is `<stdin>` for stdin. */
export function readInput(io: CliIo, file: string | undefined): { name: string; text: string } {
  if (file === undefined) throw new UsageError('missing FILE (use - for standard input)');
  if (file === '-') return { name: '<stdin>', text: io.readStdin() };
  try {
    return { name: file, text: io.readFile(file) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(e)}`);
  }
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value` and boolean `--flag`; `valued` lists the options that take a value. */
export function parseArgs(argv: string[], valued: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (valued.includes(name)) {
        const v = argv[i + 1];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        flags.set(name, v);
        i++;
      } else flags.set(name, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

/** What a failed file system call says, in words (ENOENT: no such file, …). */
function errnoWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return code ?? String(e);
  }
}

/** A file that ships with the package, by its path from the package's root (e.g. public/agent/nft-agent). */
export function readPackageFile(rel: string): string {
  const path = fileURLToPath(new URL(`../../${rel}`, import.meta.url));
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${rel} of the nft-designer package (${path}): ${errnoWords(e)}`);
  }
}

export interface OutFile {
  /** relative to the directory, `/`-separated (isBundlePath of src/ansible) */
  path: string;
  text: string;
  mode: number;
}

/** The list of files a directory written by writeFileTree holds (its first line says what it is). */
export const TREE_MANIFEST = '.nft-designer-bundle';
const MANIFEST_HEAD = '# written by nft-designer ansible: these files are replaced (and those no longer in it removed) when it writes this directory again';

/**
 * Writes `files` under `dir` (made when missing) with their modes. A directory that
 * is not empty must have been written by an earlier call (its TREE_MANIFEST), or
 * `force` must be set; files it holds besides the manifest's (an inventory,
 * group_vars/) are kept, files of the earlier manifest that `files` no longer has
 * are removed. Errors are UsageErrors naming the path.
 *
 * Nothing below `dir` is followed through a symbolic link (`dir` itself may be
 * one: the caller chose it). Every path written or removed is checked part by part
 * with lstat (each directory a real directory, the file a regular file or absent),
 * its directory must resolve to the same place under `dir`'s real path, and each
 * file is written as a new file (O_EXCL | O_NOFOLLOW) renamed over the old one.
 * All paths are checked before anything is changed, and again as each is changed.
 */
export function writeFileTree(dir: string, files: readonly OutFile[], force: boolean): { removed: string[] } {
  for (const f of files) {
    if (!isBundlePath(f.path)) throw new Error(`internal error: the bundle path "${f.path}" is not a plain relative path`);
  }
  let entries: string[] | undefined;
  try {
    entries = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UsageError(`cannot use ${dir} as the output directory: ${errnoWords(e)}`);
  }
  const manifestPath = join(dir, TREE_MANIFEST);
  let previous: string[] = [];
  if (entries?.length) {
    if (entries.includes(TREE_MANIFEST)) {
      const text = readRegularFile(manifestPath, `${manifestPath} is not a regular file; not writing into ${dir}`);
      const [head, ...rest] = text.split('\n');
      if (head !== MANIFEST_HEAD) throw new UsageError(`${manifestPath} is not a list that nft-designer wrote; not writing into ${dir}`);
      if (rest.at(-1) === '') rest.pop();
      for (const l of rest) {
        if (!isBundlePath(l)) throw new UsageError(`${manifestPath} lists "${printable(l)}", which is not a file of a bundle; not writing into ${dir}`);
      }
      previous = rest;
    } else if (!force) {
      throw new UsageError(`${dir} is not empty and no earlier "nft-designer ansible" wrote it; choose a new or empty directory, or add --force to write into it (files of the same names are replaced)`);
    }
  }
  const now = new Set(files.map((f) => f.path));
  const stale = previous.filter((p) => !now.has(p));
  const manifest: OutFile = { path: TREE_MANIFEST, text: `${[MANIFEST_HEAD, ...files.map((x) => x.path)].join('\n')}\n`, mode: 0o644 };
  const writes = [...files, manifest];

  // Check everything first, so that a refusal leaves the directory as it was.
  if (entries !== undefined) {
    const realDir = realDirOf(dir);
    for (const old of stale) placeOf(dir, realDir, old, 'remove', false);
    for (const f of writes) placeOf(dir, realDir, f.path, 'write', false);
  }

  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new UsageError(`cannot create ${dir}: ${errnoWords(e)}`);
  }
  const realDir = realDirOf(dir);
  const removed: string[] = [];
  for (const old of stale) {
    const path = placeOf(dir, realDir, old, 'remove', false);
    if (path === undefined) continue;
    try {
      unlinkSync(path);
      removed.push(old);
    } catch (e) {
      throw new UsageError(`cannot remove ${path} (of the earlier bundle): ${errnoWords(e)}`);
    }
  }
  for (const f of writes) {
    const path = placeOf(dir, realDir, f.path, 'write', true);
    if (path === undefined) throw new Error(`internal error: no place for ${f.path}`);
    writeRegularFile(path, f.text, f.mode);
  }
  return { removed };
}

/** The real path of the output directory (it may itself be a link the caller chose). */
function realDirOf(dir: string): string {
  try {
    return realpathSync(dir);
  } catch (e) {
    throw new UsageError(`cannot use ${dir} as the output directory: ${errnoWords(e)}`);
  }
}

/**
 * The path of `rel` under `dir`, after checking every directory on the way with
 * lstat: a real directory (never a link), made when absent and `create` is set.
 * The file itself must be a regular file or absent. For 'remove', undefined when
 * there is nothing to remove (the file or a directory above it is absent, or the
 * file is no longer a regular file: not the bundle's, kept); for 'write', the
 * path to write (writeRegularFile). The directory must resolve to the same place
 * under `realDir`, so a link swapped in meanwhile is caught.
 */
function placeOf(dir: string, realDir: string, rel: string, purpose: 'write' | 'remove', create: boolean): string | undefined {
  const path = join(dir, ...rel.split('/'));
  const what = purpose === 'write' ? `cannot write ${path}` : `cannot remove ${path} (of the earlier bundle)`;
  const parts = rel.split('/');
  let at = dir;
  for (const p of parts.slice(0, -1)) {
    at = join(at, p);
    let st = lstatOrNull(at, what);
    if (st === null) {
      if (purpose === 'remove') return undefined;
      if (!create) return path; // made in the second pass, below a directory just checked
      try {
        mkdirSync(at, { mode: 0o755 });
      } catch (e) {
        throw new UsageError(`cannot create ${at}: ${errnoWords(e)}`);
      }
      st = lstatOrNull(at, what);
    }
    if (st?.isSymbolicLink()) throw new UsageError(`${what}: ${at} is a symbolic link; nothing is written or removed through one`);
    if (!st?.isDirectory()) throw new UsageError(`${what}: ${at} exists and is not a directory`);
  }
  const parent = join(dir, ...parts.slice(0, -1));
  let realParent: string;
  try {
    realParent = realpathSync(parent);
  } catch (e) {
    throw new UsageError(`${what}: ${errnoWords(e)}`);
  }
  if (realParent !== join(realDir, ...parts.slice(0, -1))) throw new UsageError(`${what}: ${parent} does not lead to ${join(realDir, ...parts.slice(0, -1))}; not following it`);
  const st = lstatOrNull(path, what);
  if (purpose === 'remove') return st?.isFile() ? path : undefined;
  if (st?.isSymbolicLink()) throw new UsageError(`${what}: it is a symbolic link; nothing is written through one`);
  if (st && !st.isFile()) throw new UsageError(`${what}: it exists and is not a regular file`);
  return path;
}

function lstatOrNull(path: string, what: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`${what}: ${errnoWords(e)}`);
  }
}

/**
 * Writes a file as a new one next to `path` (O_CREAT | O_EXCL | O_NOFOLLOW, so
 * nothing that is already there is opened), with its mode, then renames it over
 * `path`: a link or a hard link at `path` is replaced, never written through, and
 * the file is never seen half written.
 */
function writeRegularFile(path: string, text: string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.nft-designer-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    writeFileSync(fd, text);
    fchmodSync(fd, mode);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never made, or already renamed
    }
    throw new UsageError(`cannot write ${path}: ${errnoWords(e)}`);
  }
}

/** Reads a regular file without following a link; `refusal` when it is anything else. */
function readRegularFile(path: string, refusal: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) throw new UsageError(refusal);
    return readFileSync(fd, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new UsageError(refusal);
    throw new UsageError(`cannot read ${path}: ${errnoWords(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A line of a file as it may be shown in a message. */
function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
