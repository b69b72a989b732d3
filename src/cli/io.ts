/** The CLI's edges: reading FILE or stdin, and where output goes (injectable for tests). */
import { readFileSync } from 'node:fs';

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
