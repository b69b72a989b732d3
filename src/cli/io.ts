/** The CLI's edges: reading FILE or stdin, where output goes (injectable for tests), and writing a directory of files. */
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * write fail with EPIPE, which Node reports as an uncaught error with a stack
 * trace: stop quietly instead, as other command-line tools do; any other write
 * error is one line and exit 2.
 */
function guardPipes(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') {
        try {
          process.stderr.write(`nft-designer: cannot write the output: ${e.message}\n`);
        } catch {
          // stderr is gone too: nothing left to tell
        }
        process.exitCode = 2;
      }
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
  /** relative to the directory, `/`-separated, no `..` */
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
 * are removed. Nothing is written through a symbolic link or over a non-file.
 * Errors are UsageErrors naming the path.
 */
export function writeFileTree(dir: string, files: readonly OutFile[], force: boolean): { removed: string[] } {
  for (const f of files) {
    if (!safeRelative(f.path)) throw new Error(`internal error: the bundle path "${f.path}" is not a plain relative path`);
  }
  let entries: string[] | undefined;
  try {
    entries = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UsageError(`cannot use ${dir} as the output directory: ${errnoWords(e)}`);
  }
  let previous: string[] = [];
  if (entries?.length) {
    if (entries.includes(TREE_MANIFEST)) {
      if (!isKind(join(dir, TREE_MANIFEST), 'file')) throw new UsageError(`${join(dir, TREE_MANIFEST)} is not a regular file; not writing into ${dir}`);
      const text = readFileSync(join(dir, TREE_MANIFEST), 'utf8');
      const [head, ...rest] = text.split('\n');
      if (head !== MANIFEST_HEAD) throw new UsageError(`${join(dir, TREE_MANIFEST)} is not a list that nft-designer wrote; not writing into ${dir}`);
      previous = rest.filter((l) => l && safeRelative(l));
    } else if (!force) {
      throw new UsageError(`${dir} is not empty and no earlier "nft-designer ansible" wrote it; choose a new or empty directory, or add --force to write into it (files of the same names are replaced)`);
    }
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new UsageError(`cannot create ${dir}: ${errnoWords(e)}`);
  }
  const removed: string[] = [];
  const now = new Set(files.map((f) => f.path));
  for (const old of previous) {
    if (now.has(old)) continue;
    const path = join(dir, old);
    if (!isKind(path, 'file')) continue;
    try {
      unlinkSync(path);
      removed.push(old);
    } catch (e) {
      throw new UsageError(`cannot remove ${path} (of the earlier bundle): ${errnoWords(e)}`);
    }
  }
  for (const f of [...files, { path: TREE_MANIFEST, text: `${[MANIFEST_HEAD, ...files.map((x) => x.path)].join('\n')}\n`, mode: 0o644 }]) {
    const parts = f.path.split('/');
    let at = dir;
    for (const p of parts.slice(0, -1)) {
      at = join(at, p);
      if (isKind(at, 'dir')) continue;
      if (isKind(at, 'any')) throw new UsageError(`cannot write ${join(dir, f.path)}: ${at} exists and is not a directory (or is a symbolic link)`);
      try {
        mkdirSync(at, { mode: 0o755 });
      } catch (e) {
        throw new UsageError(`cannot create ${at}: ${errnoWords(e)}`);
      }
    }
    const path = join(dir, f.path);
    if (isKind(path, 'any') && !isKind(path, 'file')) throw new UsageError(`cannot write ${path}: it exists and is not a regular file (or is a symbolic link)`);
    try {
      writeFileSync(path, f.text, { mode: f.mode });
      chmodSync(path, f.mode);
    } catch (e) {
      throw new UsageError(`cannot write ${path}: ${errnoWords(e)}`);
    }
  }
  return { removed };
}

function safeRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** What lstat says `path` is (never following a link): a directory, a regular file, or anything at all. */
function isKind(path: string, kind: 'dir' | 'file' | 'any'): boolean {
  try {
    const st = lstatSync(path);
    return kind === 'any' || (kind === 'dir' ? st.isDirectory() : st.isFile());
  } catch {
    return false;
  }
}
