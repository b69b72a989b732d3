/**
 * nft-designer CLI: fmt, lint, to-json, from-json, template. Runs without root and
 * without nft, so it fits CI pipelines. Exit codes: 0 ok, 1 the input has errors
 * (or cannot be converted), 2 usage error or unreadable input.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import { EmitRefused, emit } from '../emit/index.ts';
import { fromJson, toJson } from '../json/index.ts';
import { lint } from '../lint/index.ts';
import { type ParseResult, parse } from '../parse/index.ts';
import type { Preamble } from '../model/types.ts';
import { DEFAULT_TARGET_VERSION, isVersion } from '../knowledge/versions.ts';
import { TEMPLATES, findTemplate } from '../templates/catalog.ts';
import { type CliIo, UsageError, parseArgs, processIo, readInput } from './io.ts';

const USAGE = `usage: nft-designer <command> [options] FILE|-

commands:
  fmt FILE|-          print the canonical script (nft's listing form)
      --preamble none|flush|replace   what goes before the tables
  lint FILE|-         report problems: FILE:LINE:COL: severity: message [id]
      --json                          findings as JSON
      --target-version X.Y.Z          nftables version to check against (default ${DEFAULT_TARGET_VERSION})
      --for-json                      also report what the target nft's JSON cannot carry
  to-json FILE|-      convert an nft script to libnftables JSON (nft -j -f loads it)
      --lossy                         write the JSON even if some things cannot be carried
  from-json FILE|-    convert nft -j list ruleset output to an nft script
  template [NAME]     list the templates, or print one
  help                this text

exit status: 0 ok, 1 errors in the input (or it cannot be converted), 2 usage error
`;

export function run(argv: string[], io: CliIo = processIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'fmt':
        return cmdFmt(rest, io);
      case 'lint':
        return cmdLint(rest, io);
      case 'to-json':
        return cmdToJson(rest, io);
      case 'from-json':
        return cmdFromJson(rest, io);
      case 'template':
      case 'templates':
        return cmdTemplate(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return 0;
      case undefined:
        io.stderr(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`nft-designer: ${e.message}\n`);
      if (!e.message.startsWith('cannot read')) io.stderr(`run "nft-designer help" for usage\n`);
      return 2;
    }
    // A bug (or an input no check foresaw) must not end in a stack trace: one line, exit 2.
    io.stderr(`nft-designer: internal error: ${oneLine(e)}\n`);
    return 2;
  }
}

function oneLine(e: unknown): string {
  const m = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return m.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function location(file: string, d: Diagnostic): string {
  return d.range ? `${file}:${d.range.startLine}:${d.range.startCol}` : file;
}

function printDiagnostics(io: CliIo, file: string, ds: Diagnostic[], withId = false): void {
  for (const d of ds) io.stderr(`${location(file, d)}: ${d.severity}: ${d.message}${withId ? ` [${d.id}]` : ''}\n`);
}

function cmdFmt(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['preamble']);
  const { name, text } = readInput(io, args.positional[0]);
  const pre = args.flags.get('preamble');
  if (pre !== undefined && pre !== 'none' && pre !== 'flush' && pre !== 'replace') throw new UsageError('--preamble must be none, flush or replace');
  const r = parse(text, { file: name });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    printDiagnostics(io, name, errors);
    return 1;
  }
  return emitOut(io, name, r.ruleset, pre as Preamble | undefined, (id) => nodeLocation(name, r, id));
}

function emitOut(io: CliIo, name: string, rs: Parameters<typeof emit>[0], preamble?: Preamble, at: (nodeId: string) => string = () => name): number {
  try {
    io.stdout(emit(rs, preamble ? { preamble } : {}).text);
    return 0;
  } catch (e) {
    if (!(e instanceof EmitRefused)) throw e;
    for (const p of e.problems) io.stderr(`${at(p.nodeId)}: error: ${p.message}\n`);
    return 1;
  }
}

/** FILE:LINE:COL of a parsed node, or FILE when it has no span. */
function nodeLocation(name: string, r: ParseResult, nodeId: string): string {
  const span = r.spans.get(nodeId);
  if (!span) return name;
  const p = r.lines.position(span.start);
  return `${name}:${p.line}:${p.col}`;
}

function targetVersion(flags: Map<string, string | true>): string {
  const v = flags.get('target-version');
  if (v === undefined) return DEFAULT_TARGET_VERSION;
  if (v === true || !isVersion(v)) throw new UsageError('--target-version needs a version like 1.0.6');
  return v;
}

function cmdLint(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['target-version']);
  const version = targetVersion(args.flags);
  const { name, text } = readInput(io, args.positional[0]);
  const r = parse(text, { file: name });
  const findings = [...r.diagnostics, ...lint(r.ruleset, { targetVersion: version, forJson: args.flags.has('for-json'), source: { text, spans: r.spans, lines: r.lines } })].sort(
    (a, b) => (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0) || (a.range?.startCol ?? 0) - (b.range?.startCol ?? 0),
  );
  // a check that failed is a bug, not a finding: say so and exit 2 (the other findings are still printed)
  const internal = findings.filter((d) => d.id === 'lint/internal');
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify(findings.map((d) => ({ file: name, ...d })), null, 2)}\n`);
  } else {
    for (const d of findings) io.stdout(`${location(name, d)}: ${d.severity}: ${d.message} [${d.id}]\n`);
  }
  for (const d of internal) io.stderr(`nft-designer: internal error: ${d.message}\n`);
  if (internal.length) return 2;
  return findings.some((d) => d.severity === 'error') ? 1 : 0;
}

function cmdToJson(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['target-version']);
  const version = targetVersion(args.flags);
  const { name, text } = readInput(io, args.positional[0]);
  const r = parse(text, { file: name });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    printDiagnostics(io, name, errors);
    return 1;
  }
  let out: ReturnType<typeof toJson>;
  try {
    out = toJson(r.ruleset, { targetVersion: version });
  } catch (e) {
    if (!(e instanceof EmitRefused)) throw e;
    for (const p of e.problems) io.stderr(`${nodeLocation(name, r, p.nodeId)}: error: ${p.message}\n`);
    return 1;
  }
  if (out.losses.length) {
    for (const l of out.losses) {
      io.stderr(`${nodeLocation(name, r, l.nodeId)}: ${args.flags.has('lossy') ? 'warning' : 'error'}: ${l.message}\n`);
    }
    if (!args.flags.has('lossy')) {
      io.stderr(`${name}: error: nft ${version}'s JSON cannot carry this ruleset unchanged; use the text format (or --lossy)\n`);
      return 1;
    }
  }
  io.stdout(`${out.json}\n`);
  return 0;
}

function cmdFromJson(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, []);
  const { name, text } = readInput(io, args.positional[0]);
  const r = fromJson(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  printDiagnostics(io, name, r.diagnostics.filter((d) => d.severity !== 'error'));
  if (errors.length) {
    printDiagnostics(io, name, errors);
    return 1;
  }
  return emitOut(io, name, r.ruleset);
}

function cmdTemplate(argv: string[], io: CliIo): number {
  const id = argv[0];
  if (id === undefined) {
    for (const t of TEMPLATES) io.stdout(`${t.id.padEnd(20)} ${t.title}\n`);
    return 0;
  }
  const t = findTemplate(id);
  if (!t) throw new UsageError(`no template "${id}" (run "nft-designer template" for the list)`);
  io.stdout(t.text);
  return 0;
}

// Run when executed directly (tsx src/cli/main.ts …); bin/nft-designer.js calls run() itself.
if (/(?:^|[\\/])main\.ts$/.test(process.argv[1] ?? '')) {
  process.exitCode = run(process.argv.slice(2));
}
