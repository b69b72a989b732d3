/**
 * The Ansible hand-off: a ready-to-run directory (playbook, role, the design, the
 * agent, an example inventory, a README) that rolls one design out to many hosts
 * with nft-agent: check on every host first, then apply in batches, each host
 * confirmed over a new SSH connection or rolled back by its own timer.
 *
 * Pure and browser-safe (no node imports): the CLI writes the files, the web app
 * zips them.
 *
 * Safety of the design's text: it is untrusted (comments, names) and never passes
 * through Jinja. The body is copied verbatim by the `copy` module; only a small
 * defines file is rendered from a template whose only Jinja is `{{ nft_define_NAME
 * | string }}`, and each such value is checked on every host against a strict
 * pattern (values.ts) before anything is rendered.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Define, Preamble, Ruleset } from '../model/types.ts';
import { emitUnchecked } from '../emit/index.ts';
import { parse } from '../parse/index.ts';
import { ANSIBLE_CFG, APPLY_YML, SUMMARY_YML, WAIT_LOADED_SH, checkYml, siteYml } from './playbook.ts';
import { DEFINE_NAME_PATTERN, DEFINE_VALUE_MAX, DEFINE_VALUE_PATTERN_PY, isSingleNftValue } from './values.ts';
import { bundleReadme } from './readme.ts';
import { DEFAULT_CONFIRM_SECONDS, DEFAULT_DESIGN_NAME, DEFAULT_SERIAL, HOST_DEFAULTS, MAX_CONFIRM_SECONDS, MAX_SERIAL, MIN_CONFIRM_SECONDS, NAME_RULE, isBundleName, isBundlePath } from './facts.ts';

export interface AnsibleBundleOptions {
  /** the design as an nft script (what the designer emits, or a file) */
  script: string;
  /** the text of public/agent/nft-agent */
  agentText: string;
  /** names the script on the hosts (NAME.nft); letters, digits, _ . - (default "design") */
  name?: string;
  /** seconds each host waits for its confirmation before it rolls back (MIN_CONFIRM_SECONDS to MAX_CONFIRM_SECONDS, default DEFAULT_CONFIRM_SECONDS) */
  confirmSeconds?: number;
  /** hosts applied at a time (1 to MAX_SERIAL, default DEFAULT_SERIAL) */
  serial?: number;
  /** the file name used in diagnostics (default "design.nft") */
  file?: string;
}

export interface BundleFile {
  /** relative to the bundle's root, `/`-separated */
  path: string;
  text: string;
  /** POSIX mode; 0o644 when absent */
  mode?: number;
}

/** A define of the design that stays as written (not a per-host variable), and why. */
export interface FixedDefine {
  name: string;
  reason: string;
}

export interface AnsibleBundle {
  files: BundleFile[];
  /** the design's defines that became inventory variables nft_define_NAME, in order */
  defines: string[];
  /** the design's defines kept in the design as written, and why */
  fixed: FixedDefine[];
  /**
   * what rolling this design out again and again will do that its author may not
   * expect (its preamble: none adds every rule again on each run, `flush ruleset`
   * removes other software's tables on every host); one sentence each, without
   * the file's name (the CLI prints `FILE: warning: …`)
   */
  warnings: string[];
}

/** What the design does to a host's ruleset before its tables, for the README and the warnings. */
export interface PreambleFacts {
  preamble: Preamble;
  /** with preamble none: the design's tables ("F N") that no `delete table` (or `flush table`) before them replaces */
  added: string[];
  /** with preamble none: some of the design's tables are replaced by its own commands, but not all */
  partial: boolean;
}

/** An option of AnsibleBundleOptions that was refused (a caller's usage error, not the design's). */
export type AnsibleBundleOption = 'name' | 'confirmSeconds' | 'serial' | 'agentText';

/**
 * The script does not parse or holds nothing to roll out (`diagnostics` have ranges
 * for the parse errors), or an option is out of range (`option` names it).
 */
export class AnsibleBundleError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly option?: AnsibleBundleOption,
  ) {
    super(message);
    this.name = 'AnsibleBundleError';
  }
}

export function ansibleBundle(options: AnsibleBundleOptions): AnsibleBundle {
  const name = options.name ?? DEFAULT_DESIGN_NAME;
  if (!isBundleName(name)) throw new AnsibleBundleError(`the name "${oneLine(name)}" must be ${NAME_RULE}`, [], 'name');
  const confirm = options.confirmSeconds ?? DEFAULT_CONFIRM_SECONDS;
  if (!Number.isInteger(confirm) || confirm < MIN_CONFIRM_SECONDS || confirm > MAX_CONFIRM_SECONDS) {
    throw new AnsibleBundleError(`the confirmation time must be a whole number of seconds from ${MIN_CONFIRM_SECONDS} to ${MAX_CONFIRM_SECONDS}`, [], 'confirmSeconds');
  }
  const serial = options.serial ?? DEFAULT_SERIAL;
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL) throw new AnsibleBundleError(`serial must be a whole number of hosts from 1 to ${MAX_SERIAL}`, [], 'serial');
  if (!options.agentText.startsWith('#!/bin/sh')) throw new AnsibleBundleError('the agent text does not look like nft-agent (no #!/bin/sh line)', [], 'agentText');

  const file = options.file ?? 'design.nft';
  const script = options.script;
  const r = parse(script, { file });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new AnsibleBundleError(`${file} does not parse`, errors);
  if (!r.ruleset.tables.length && !r.ruleset.commands.length) throw new AnsibleBundleError(`${file} holds no table: nothing to roll out`);

  const preamble = preambleFacts(r.ruleset);
  const warnings = preambleWarnings(preamble);

  const perHost: Define[] = [];
  const fixed: FixedDefine[] = [];
  for (const d of r.ruleset.defines) {
    const reason = fixedReason(d);
    if (reason) fixed.push({ name: d.name, reason });
    else perHost.push(d);
  }

  // The body: the script as written, less the per-host defines (the defines file,
  // placed before it, declares them before any use, even before a preamble).
  const spans = perHost.map((d) => r.spans.get(d.id)).filter((s): s is { start: number; end: number } => s !== undefined);
  if (spans.length !== perHost.length) throw new AnsibleBundleError('internal error: a define has no position in the script');
  const cuts = spans.map((s) => wholeLine(script, s)).sort((a, b) => a.start - b.start);
  let body = '';
  let at = 0;
  for (const c of cuts) {
    body += script.slice(at, c.start);
    at = c.end;
  }
  body += script.slice(at);
  if (!body.endsWith('\n')) body += '\n';

  const definesText = (values: (d: Define) => string): string => perHost.map((d) => `define ${d.name} = ${values(d)}\n`).join('');
  selfCheck(r.ruleset, `${definesText((d) => d.value)}${body}`);

  const defaults = [
    '# Defaults of the nft_designer role: the lowest precedence, so that any',
    '# inventory, group_vars, host_vars or -e value overrides them.',
    `nft_design_name: ${yamlQuote(name)}`,
    '# where the agent is installed, where it keeps its state (backups, lock), and',
    '# where the assembled script goes; every directory above the state directory',
    '# must be root\'s and writable by nobody else',
    `nft_agent_path: ${yamlQuote(HOST_DEFAULTS.agentPath)}`,
    `nft_agent_state_dir: ${yamlQuote(HOST_DEFAULTS.stateDir)}`,
    `nft_script_dir: ${yamlQuote(HOST_DEFAULTS.scriptDir)}`,
    '# seconds each host waits for "nft-agent confirm" before it restores its backup',
    `nft_confirm_seconds: ${confirm}`,
    '# seconds the apply may take to check and load before it waits for the confirmation',
    'nft_load_timeout: 300',
    '# seconds past the confirmation time that a host which could not confirm is given',
    '# to answer again (once its timer has rolled it back)',
    'nft_return_timeout: 120',
    '',
    '# The design\'s defines: one variable each, defaulting to the design\'s value.',
    '# Set them per host or per group in the inventory (README.md, Per-host values).',
    ...(perHost.length ? perHost.map((d) => `nft_define_${d.name}: !unsafe ${yamlQuote(d.value)}`) : ['# (the design has no define that can be set per host)']),
    '',
  ].join('\n');

  const vars = [
    '# Fixed by the bundle (role vars outrank the inventory: no host can loosen them).',
    '# The design\'s per-host defines, in the order the defines file declares them.',
    `nft_design_defines: [${perHost.map((d) => yamlQuote(d.name)).join(', ')}]`,
    '# What a per-host value may be (Python re, anchored): README.md, Per-host values.',
    `nft_value_pattern: !unsafe ${yamlQuote(DEFINE_VALUE_PATTERN_PY)}`,
    `nft_value_max: ${DEFINE_VALUE_MAX}`,
    '# Waits on the host until the apply\'s new ruleset is live and pending (fixed text;',
    '# its arguments are passed as $1..$4, never pasted into it).',
    'nft_wait_loaded_sh: !unsafe |',
    ...WAIT_LOADED_SH.trimEnd()
      .split('\n')
      .map((l) => (l ? `  ${l}` : '')),
    '',
  ].join('\n');

  const template = [
    `# Per-host values of the design ${name}, rendered by Ansible from the variables`,
    '# nft_define_NAME after each was checked against nft_value_pattern. The design',
    '# itself follows, copied verbatim.',
    ...perHost.map((d) => `define ${d.name} = {{ nft_define_${d.name} | string }}`),
    '',
  ].join('\n');

  const files: BundleFile[] = [
    { path: 'README.md', text: bundleReadme({ name, confirm, serial, perHost, fixed, preamble }) },
    { path: 'ansible.cfg', text: ANSIBLE_CFG },
    { path: 'site.yml', text: siteYml(name, serial) },
    { path: 'inventory.example.ini', text: exampleInventory(perHost) },
    { path: 'roles/nft_designer/defaults/main.yml', text: defaults },
    { path: 'roles/nft_designer/vars/main.yml', text: vars },
    { path: 'roles/nft_designer/tasks/check.yml', text: checkYml(perHost.map((d) => d.name)) },
    { path: 'roles/nft_designer/tasks/apply.yml', text: APPLY_YML },
    { path: 'roles/nft_designer/tasks/summary.yml', text: SUMMARY_YML },
    { path: 'roles/nft_designer/templates/defines.nft.j2', text: template },
    { path: 'roles/nft_designer/files/design.nft', text: body, mode: 0o644 },
    { path: 'roles/nft_designer/files/nft-agent', text: options.agentText, mode: 0o755 },
  ];
  for (const f of files) if (!isBundlePath(f.path)) throw new AnsibleBundleError(`internal error: the bundle path "${f.path}" is not a plain relative path`);
  return { files, defines: perHost.map((d) => d.name), fixed, warnings };
}

/**
 * The design's preamble as parsed (src/model/types.ts Preamble). A design without
 * one may still replace some of its tables with commands of its own (`table F N` +
 * `delete table F N`, or `flush table F N`, before the table): `added` lists the
 * tables nothing replaces, whose rules each run adds again.
 */
function preambleFacts(rs: Ruleset): PreambleFacts {
  if (rs.preamble !== 'none') return { preamble: rs.preamble, added: [], partial: false };
  const replaced = new Set<string>();
  for (const c of rs.commands) {
    if (c.at !== 'start') continue;
    const m = /^\s*(?:delete|destroy|flush)\s+table\s+(?:(ip|ip6|inet|arp|bridge|netdev)\s+)?(\S+?)\s*;?\s*$/.exec(c.text);
    if (m) replaced.add(`${m[1] ?? 'ip'} ${m[2]}`);
  }
  const added = rs.tables.map((t) => `${t.family} ${t.name}`).filter((k) => !replaced.has(k));
  return { preamble: 'none', added, partial: added.length > 0 && added.length < rs.tables.length };
}

const USE_REPLACE = "use 'replace only these tables' (table F N + delete table F N)";

function preambleWarnings(p: PreambleFacts): string[] {
  if (p.preamble === 'flush') {
    return [
      'the design starts with flush ruleset: it removes every other table on every host, also those of Docker, fail2ban, firewalld, libvirt or Kubernetes, which then run without their rules until they write them again; ' +
        `${USE_REPLACE} to leave them alone`,
    ];
  }
  if (p.preamble === 'none' && p.added.length) {
    const which = p.added.map((k) => `table ${k}`).join(', ');
    const subject = p.partial ? `the design has no preamble for ${which}` : 'the design has no preamble';
    return [`${subject}: each run of the playbook adds its rules again (${which} ${p.added.length === 1 ? 'gets' : 'get'} one more copy of every rule on every host); ${USE_REPLACE}`];
  }
  return [];
}

/**
 * What to cut for a define at `span`: its whole line (with the line break) when it
 * stands alone on it, else the statement and a `;` right after it, so that the body
 * keeps no blank line or stray separator where a per-host define was.
 */
function wholeLine(text: string, span: { start: number; end: number }): { start: number; end: number } {
  let start = span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = span.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const alone = (start === 0 || text[start - 1] === '\n') && (end === text.length || text[end] === '\n' || text.startsWith('\r\n', end));
  if (alone) return { start, end: end === text.length ? end : end + (text[end] === '\r' ? 2 : 1) };
  return { start: span.start, end: text[span.end] === ';' ? span.end + 1 : span.end };
}

/** Why a define cannot be a per-host variable, or '' when it can. */
function fixedReason(d: Define): string {
  if (!DEFINE_NAME_PATTERN.test(d.name)) return 'its name is not usable in an Ansible variable name (letters, digits and _ only)';
  if (d.value.includes('$')) return 'its value refers to another define (it follows the per-host values it uses)';
  if (d.value.length > DEFINE_VALUE_MAX) return `its value is longer than ${DEFINE_VALUE_MAX} characters`;
  if (!isSingleNftValue(d.value)) return 'its value is not a single nft value of the per-host pattern (an address, prefix, range, number or "quoted" name, a concatenation, or a { set } of them)';
  return '';
}

/**
 * The script as assembled on a host (defines, then the body) must mean what the
 * design means: same ruleset, defines aside from their order. A mismatch is a bug
 * here, never something to roll out.
 */
function selfCheck(original: Ruleset, assembled: string): void {
  const r = parse(assembled);
  if (r.diagnostics.some((d) => d.severity === 'error')) throw new AnsibleBundleError('internal error: the assembled script does not parse');
  // (the # comments mean nothing to nft, and one above a per-host define moves with the cut)
  const norm = (rs: Ruleset): string => emitUnchecked({ ...rs, defines: [...rs.defines].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }, { comments: false }).text;
  if (norm(r.ruleset) !== norm(original)) throw new AnsibleBundleError('internal error: the assembled script differs from the design');
}

/** A YAML single-quoted scalar (the only escape is '' for '); one line only. */
export function yamlQuote(s: string): string {
  if (/[\n\r]/.test(s)) throw new AnsibleBundleError('internal error: a multi-line value for YAML');
  return `'${s.replace(/'/g, "''")}'`;
}

function exampleInventory(perHost: readonly Define[]): string {
  const lines = [
    '# Copy to inventory.ini and list your hosts. The playbook targets every host',
    '# (or -e nft_hosts=GROUP). It needs root on the hosts: connect as root, or',
    '# add ansible_become=true (and run with --ask-become-pass if sudo needs one).',
    '',
    '[firewalls]',
  ];
  const sample = perHost[0];
  lines.push(sample && iniKeepsText(sample.value) ? `fw1.example.net nft_define_${sample.name}=${sample.value}` : 'fw1.example.net');
  lines.push('fw2.example.net', 'fw3.example.net', '', '[firewalls:vars]', 'ansible_user=root');
  if (perHost.length) {
    lines.push('# per-group values of the design\'s defines (a host line overrides them):');
    for (const d of perHost) lines.push(`# nft_define_${d.name}=${iniValue(d.value)}`);
  }
  lines.push('# where the agent keeps its state, and the confirmation time in seconds:', `# nft_agent_state_dir=${HOST_DEFAULTS.stateDir}`, '# nft_confirm_seconds=60', '');
  return lines.join('\n');
}

/**
 * A value as an INI inventory line carries it. Ansible reads INI values as Python
 * literals (ast.literal_eval): `{ 22, 443 }` would become a Python set, `"eth0"`
 * lose its quotes, `1.10` become the float 1.1 and `0x10` the number 16, so only a
 * value that comes back as written is shown as is; anything else is shown as the
 * YAML line for group_vars/host_vars.
 */
function iniValue(v: string): string {
  return iniKeepsText(v) ? v : `... (in YAML, group_vars/ or host_vars/: ${yamlQuote(v)})`;
}

/** Whether Ansible reads `v` in an INI inventory back as the same text (a string, or a decimal integer that prints as written). */
function iniKeepsText(v: string): boolean {
  if (!/^[A-Za-z0-9_./:-]+$/.test(v)) return false;
  if (/^-?(?:0|[1-9][0-9]*)$/.test(v)) return true;
  if (/^(?:True|False|None)$/.test(v)) return false;
  if (/^-?0[xXoObB][0-9A-Fa-f_]+$/.test(v)) return false;
  // anything Python reads as a number: 1.10, .5, 1e3, 1_0, 007 (refused, but not shown), 2j
  return !/^-?(?=[0-9._]*[0-9])[0-9_]*\.?[0-9_]*(?:[eE]-?[0-9_]+)?[jJ]?$/.test(v);
}

function oneLine(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}
