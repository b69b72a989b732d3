/**
 * nft-designer CLI: fmt, lint, to-json, from-json, trace, template, ansible. Runs without
 * root and without nft, so it fits CI pipelines. Exit codes: 0 ok, 1 the input has errors
 * (or cannot be converted), 2 usage error or unreadable input.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import { EmitRefused, emit } from '../emit/index.ts';
import { fromJson, toJson } from '../json/index.ts';
import { lint } from '../lint/index.ts';
import { type ParseResult, blockingErrors, fixedByRewrite, parse } from '../parse/index.ts';
import type { Preamble } from '../model/types.ts';
import { DEFAULT_TARGET_VERSION, designTarget, isVersion } from '../knowledge/versions.ts';
import { TEMPLATES, findTemplate } from '../templates/catalog.ts';
import { AnsibleBundleError, DEFAULT_CONFIRM_SECONDS, DEFAULT_DESIGN_NAME, DEFAULT_SERIAL, MAX_CONFIRM_SECONDS, MAX_SERIAL, MIN_CONFIRM_SECONDS, ansibleBundle, wholeNumber } from '../ansible/index.ts';
import { toSarif } from './sarif.ts';
import { TRACE_USAGE, cmdTrace } from './trace.ts';
import { LISTING_TARGETS, isListingTarget, type ListingTarget } from '../knowledge/listing.ts';
import { type CliIo, TREE_MANIFEST, UsageError, parseArgs, processIo, readInput, readPackageFile, writeFileTree } from './io.ts';

const USAGE = `usage: nft-designer <command> [options] FILE|-

commands:
  fmt FILE|-          print the canonical script (nft's listing form)
      --preamble none|flush|replace   what goes before the tables
      --no-comments                   leave out the file's # comments (kept by default)
      --target-version 1.0.6|1.1.3    whose listing form to write: Debian 12's nft 1.0.6
                                      or Debian 13's 1.1.3 (default: the version an
                                      nft-agent export header names, else ${DEFAULT_TARGET_VERSION})
  lint FILE|-         report problems: FILE:LINE:COL: severity: message [id]
      --format text|json|sarif        how findings are printed (default text; sarif is
                                      SARIF 2.1.0 for code scanning); --json = --format json
      --target-version X.Y.Z          nftables version to check against (default: the
                                      file's own, as fmt, else ${DEFAULT_TARGET_VERSION})
      --for-json                      also report what the target nft's JSON cannot carry
      --management-port N             the port the management path is traced for (default 22)
  to-json FILE|-      convert an nft script to libnftables JSON (nft -j -f loads it)
      --lossy                         write the JSON even if some things cannot be carried
      --target-version X.Y.Z          whose JSON to write (what it can carry; default as lint)
  from-json FILE|-    convert nft -j list ruleset output to an nft script
      --target-version 1.0.6|1.1.3    whose listing form to write (default: the version
                                      in the document's metainfo, else ${DEFAULT_TARGET_VERSION})
${TRACE_USAGE}  template [NAME]     list the templates, or print one
  ansible FILE|- --out DIR
                      write an Ansible playbook and role to DIR that roll FILE out
                      to many hosts with nft-agent: check on every host first,
                      then apply in batches, each host confirmed over a new SSH
                      connection or rolled back by its own timer (DIR/README.md)
      --name NAME                     the script's name on the hosts (default ${DEFAULT_DESIGN_NAME})
      --confirm SECONDS               each host's time to confirm (${MIN_CONFIRM_SECONDS}-${MAX_CONFIRM_SECONDS}, default ${DEFAULT_CONFIRM_SECONDS})
      --serial N                      hosts applied at a time (1-${MAX_SERIAL}, default ${DEFAULT_SERIAL})
      --force                         write into a non-empty DIR that no earlier
                                      "ansible" wrote (DIR/${TREE_MANIFEST} marks one
                                      that did: its files are replaced, others such
                                      as inventory.ini are kept)
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
      case 'trace':
        return cmdTrace(rest, io);
      case 'template':
      case 'templates':
        return cmdTemplate(rest, io);
      case 'ansible':
        return cmdAnsible(rest, io);
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

/** The listing form `--target-version` asks for (a version with a listing profile, knowledge/listing.ts). */
function listingTarget(flags: Map<string, string | true>): ListingTarget | undefined {
  const v = flags.get('target-version');
  if (v === undefined) return undefined;
  if (!isListingTarget(v)) throw new UsageError(`--target-version: the listing form is known for ${LISTING_TARGETS.join(' and ')} (other versions are lint-only targets)`);
  return v;
}

function cmdFmt(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['preamble', 'target-version']);
  const target = listingTarget(args.flags);
  const { name, text } = readInput(io, args.positional[0]);
  const pre = args.flags.get('preamble');
  if (pre !== undefined && pre !== 'none' && pre !== 'flush' && pre !== 'replace') throw new UsageError('--preamble must be none, flush or replace');
  const r = parse(text, { file: name });
  if (!readable(io, name, r)) return 1;
  return emitOut(io, name, r.ruleset, pre as Preamble | undefined, (id) => nodeLocation(name, r, id), !args.flags.has('no-comments'), target);
}

/**
 * Whether a rewrite (fmt, to-json) can go on: errors are printed and stop it, except
 * those the rewrite itself fixes (CRLF, a missing ";" before "}"), printed as warnings.
 */
function readable(io: CliIo, name: string, r: ParseResult): boolean {
  const errors = blockingErrors(r.diagnostics);
  printDiagnostics(io, name, errors);
  for (const d of r.diagnostics.filter(fixedByRewrite)) io.stderr(`${location(name, d)}: warning: ${d.message} (the output is fixed)\n`);
  return errors.length === 0;
}

function emitOut(
  io: CliIo,
  name: string,
  rs: Parameters<typeof emit>[0],
  preamble?: Preamble,
  at: (nodeId: string) => string = () => name,
  comments = true,
  target?: ListingTarget,
): number {
  try {
    io.stdout(emit(rs, { ...(preamble ? { preamble } : {}), comments, ...(target ? { target } : {}) }).text);
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

/** The version `--target-version` names; undefined: the file's own (an nft-agent export header, JSON metainfo), else the default. */
function targetVersion(flags: Map<string, string | true>): string | undefined {
  const v = flags.get('target-version');
  if (v === undefined) return undefined;
  if (v === true || !isVersion(v)) throw new UsageError('--target-version needs a version like 1.0.6');
  return v;
}

function cmdLint(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['target-version', 'format', 'management-port']);
  const version = targetVersion(args.flags);
  const format = args.flags.get('format') ?? (args.flags.has('json') ? 'json' : 'text');
  const mp = args.flags.get('management-port');
  const managementPort = mp === undefined ? undefined : Number(mp);
  if (managementPort !== undefined && !(Number.isInteger(managementPort) && managementPort >= 1 && managementPort <= 65535)) throw new UsageError('--management-port must be a port, 1-65535');
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError('--format must be text, json or sarif');
  const { name, text } = readInput(io, args.positional[0]);
  const r = parse(text, { file: name });
  const findings = [...r.diagnostics, ...lint(r.ruleset, { targetVersion: version, forJson: args.flags.has('for-json'), managementPort, source: { text, spans: r.spans, lines: r.lines } })].sort(
    (a, b) => (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0) || (a.range?.startCol ?? 0) - (b.range?.startCol ?? 0),
  );
  // a check that failed is a bug, not a finding: say so and exit 2 (the other findings are still printed)
  const internal = findings.filter((d) => d.id === 'lint/internal');
  if (format === 'json') {
    io.stdout(`${JSON.stringify(findings.map((d) => ({ file: name, ...d })), null, 2)}\n`);
  } else if (format === 'sarif') {
    io.stdout(toSarif(name, findings));
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
  if (!readable(io, name, r)) return 1;
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
      io.stderr(`${name}: error: nft ${designTarget(r.ruleset, version)}'s JSON cannot carry this ruleset unchanged; use the text format (or --lossy)\n`);
      return 1;
    }
  }
  io.stdout(`${out.json}\n`);
  return 0;
}

function cmdFromJson(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['target-version']);
  const target = listingTarget(args.flags);
  const { name, text } = readInput(io, args.positional[0]);
  const r = fromJson(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  printDiagnostics(io, name, r.diagnostics.filter((d) => d.severity !== 'error'));
  if (errors.length) {
    printDiagnostics(io, name, errors);
    return 1;
  }
  return emitOut(io, name, r.ruleset, undefined, undefined, true, target);
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

/** A whole number option (digits only), or undefined when not given. */
function wholeNumberOption(flags: Map<string, string | true>, name: string, min: number, max: number): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = wholeNumber(v === true ? '' : v, min, max);
  if (n.value === undefined) throw new UsageError(`--${name} needs ${n.problem}`);
  return n.value;
}

function cmdAnsible(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['out', 'name', 'confirm', 'serial']);
  const known = new Set(['out', 'name', 'confirm', 'serial', 'force']);
  for (const k of args.flags.keys()) if (!known.has(k)) throw new UsageError(`ansible: unknown option --${k}`);
  if (args.positional.length > 1) throw new UsageError('ansible takes one FILE');
  const out = args.flags.get('out');
  if (out === undefined || out === true || out === '') throw new UsageError('ansible needs --out DIR (where the playbook and role are written)');
  const name = args.flags.get('name');
  if (name === true) throw new UsageError('--name needs a value');
  const confirmSeconds = wholeNumberOption(args.flags, 'confirm', MIN_CONFIRM_SECONDS, MAX_CONFIRM_SECONDS);
  const serial = wholeNumberOption(args.flags, 'serial', 1, MAX_SERIAL);
  const input = readInput(io, args.positional[0]);
  const agentText = readPackageFile('public/agent/nft-agent');
  let bundle: ReturnType<typeof ansibleBundle>;
  try {
    bundle = ansibleBundle({ script: input.text, agentText, name, confirmSeconds, serial, file: input.name });
  } catch (e) {
    if (!(e instanceof AnsibleBundleError)) throw e;
    if (e.option) throw new UsageError(e.option === 'agentText' ? `public/agent/nft-agent: ${e.message}` : e.message);
    if (e.diagnostics.length) printDiagnostics(io, input.name, e.diagnostics);
    else io.stderr(`${input.name}: error: ${e.message}\n`);
    return 1;
  }
  for (const w of bundle.warnings) io.stderr(`${input.name}: warning: ${w}\n`);
  const { removed } = writeFileTree(
    out,
    bundle.files.map((f) => ({ path: f.path, text: f.text, mode: f.mode ?? 0o644 })),
    args.flags.has('force'),
  );
  io.stdout(`wrote ${bundle.files.length} files to ${out}${removed.length ? ` (removed ${removed.length} of the earlier bundle: ${removed.join(', ')})` : ''}\n`);
  io.stdout(bundle.defines.length ? `per-host values (inventory variables): ${bundle.defines.map((d) => `nft_define_${d}`).join(', ')}\n` : 'per-host values: none (every host gets the same script)\n');
  for (const f of bundle.fixed) io.stdout(`kept as written: define ${f.name} (${f.reason})\n`);
  io.stdout(`next: cd ${out} && cp inventory.example.ini inventory.ini (list your hosts), then: ansible-playbook site.yml\n`);
  return 0;
}

// Run when executed directly (tsx src/cli/main.ts …); bin/nft-designer.js calls run() itself.
if (/(?:^|[\\/])main\.ts$/.test(process.argv[1] ?? '')) {
  process.exitCode = run(process.argv.slice(2));
}
