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
import type { Define, Ruleset } from '../model/types.ts';
import { emitUnchecked } from '../emit/index.ts';
import { parse } from '../parse/index.ts';
import { ANSIBLE_CFG, APPLY_YML, SUMMARY_YML, WAIT_LOADED_SH, checkYml, siteYml } from './playbook.ts';
import { DEFINE_NAME_PATTERN, DEFINE_VALUE_MAX, DEFINE_VALUE_PATTERN_PY, isSingleNftValue } from './values.ts';
import { bundleReadme } from './readme.ts';

export interface AnsibleBundleOptions {
  /** the design as an nft script (what the designer emits, or a file) */
  script: string;
  /** the text of public/agent/nft-agent */
  agentText: string;
  /** names the script on the hosts (NAME.nft); letters, digits, _ . - (default "design") */
  name?: string;
  /** seconds each host waits for its confirmation before it rolls back (10–86400, default 60) */
  confirmSeconds?: number;
  /** hosts applied at a time (default 1) */
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

export const DEFAULT_CONFIRM_SECONDS = 60;
export const MIN_CONFIRM_SECONDS = 10;
export const MAX_CONFIRM_SECONDS = 86400;
export const DEFAULT_DESIGN_NAME = 'design';
export const MAX_SERIAL = 10000;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Paths on the hosts (role defaults; any inventory value overrides them). */
export const HOST_DEFAULTS = {
  agentPath: '/usr/local/sbin/nft-agent',
  stateDir: '/var/lib/nft-agent',
  scriptDir: '/etc/nft-designer',
} as const;

export function ansibleBundle(options: AnsibleBundleOptions): AnsibleBundle {
  const name = options.name ?? DEFAULT_DESIGN_NAME;
  if (!NAME_PATTERN.test(name) || name.includes('..')) {
    throw new AnsibleBundleError(`the name "${oneLine(name)}" must be 1 to 64 letters, digits, _ . or - (starting with a letter or digit)`, [], 'name');
  }
  const confirm = options.confirmSeconds ?? DEFAULT_CONFIRM_SECONDS;
  if (!Number.isInteger(confirm) || confirm < MIN_CONFIRM_SECONDS || confirm > MAX_CONFIRM_SECONDS) {
    throw new AnsibleBundleError(`the confirmation time must be a whole number of seconds from ${MIN_CONFIRM_SECONDS} to ${MAX_CONFIRM_SECONDS}`, [], 'confirmSeconds');
  }
  const serial = options.serial ?? 1;
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL) throw new AnsibleBundleError(`serial must be a whole number of hosts from 1 to ${MAX_SERIAL}`, [], 'serial');
  if (!options.agentText.startsWith('#!/bin/sh')) throw new AnsibleBundleError('the agent text does not look like nft-agent (no #!/bin/sh line)', [], 'agentText');

  const file = options.file ?? 'design.nft';
  const script = options.script;
  const r = parse(script, { file });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new AnsibleBundleError(`${file} does not parse`, errors);
  if (!r.ruleset.tables.length && !r.ruleset.commands.length) throw new AnsibleBundleError(`${file} holds no table: nothing to roll out`);

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
    `nft_design_name: ${name}`,
    '# where the agent is installed, where it keeps its state (backups, lock), and',
    '# where the assembled script goes; every directory above the state directory',
    '# must be root\'s and writable by nobody else',
    `nft_agent_path: ${HOST_DEFAULTS.agentPath}`,
    `nft_agent_state_dir: ${HOST_DEFAULTS.stateDir}`,
    `nft_script_dir: ${HOST_DEFAULTS.scriptDir}`,
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
    `nft_design_defines: [${perHost.map((d) => d.name).join(', ')}]`,
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
    { path: 'README.md', text: bundleReadme({ name, confirm, serial, perHost, fixed }) },
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
  return { files, defines: perHost.map((d) => d.name), fixed };
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
  const norm = (rs: Ruleset): string => emitUnchecked({ ...rs, defines: [...rs.defines].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }).text;
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
  lines.push(sample && /^[A-Za-z0-9_./:-]+$/.test(sample.value) ? `fw1.example.net nft_define_${sample.name}=${iniValue(sample.value)}` : 'fw1.example.net');
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
 * literals: `{ 22, 443 }` would become a Python set and `"eth0"` lose its quotes,
 * so anything but a plain atom is shown as the YAML line for group_vars/host_vars.
 */
function iniValue(v: string): string {
  return /^[A-Za-z0-9_./:-]+$/.test(v) ? v : `... (in YAML, group_vars/ or host_vars/: ${yamlQuote(v)})`;
}

function oneLine(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}
