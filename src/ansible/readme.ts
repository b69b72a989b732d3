/** README.md of the Ansible bundle: what the playbook does, how to run it, what a lockout does. */
import type { Define } from '../model/types.ts';
import type { FixedDefine, PreambleFacts } from './bundle.ts';
import { DEFINE_VALUE_MAX } from './values.ts';
import { HOST_DEFAULTS, MAX_CONFIRM_SECONDS, MIN_CONFIRM_SECONDS } from './facts.ts';

export interface ReadmeFacts {
  name: string;
  confirm: number;
  serial: number;
  perHost: readonly Define[];
  fixed: readonly FixedDefine[];
  preamble: PreambleFacts;
}

/** The README's section on the design's preamble: what a run (and a second run) does to each host's ruleset. */
function preambleSection(p: PreambleFacts): string {
  const head = '## What a run does to the rest of the ruleset\n\n';
  if (p.preamble === 'replace') {
    return `${head}The design starts with the preamble **replace only these tables**: for each of its
tables, \`table F N\` and \`delete table F N\` before the table itself, all in one
transaction. Each run deletes and re-creates exactly the design's own tables; every
other table on a host (Docker's, fail2ban's, firewalld's, libvirt's …) is left as it
is. Running the playbook again gives the same ruleset.
`;
  }
  if (p.preamble === 'flush') {
    return `${head}**Warning: the design starts with \`flush ruleset\`.** On every host it removes
the whole ruleset first, also the tables of other software (Docker, fail2ban,
firewalld, libvirt, Kubernetes …), which then run without their rules until they
write them again (Docker only when it restarts). Running the playbook again gives
the same ruleset, without those tables each time. To leave them alone, export the
design with the preamble **replace only these tables** (\`table F N\` + \`delete
table F N\` for each of its tables) and write the bundle again.
`;
  }
  if (!p.added.length) {
    return `${head}The design has no preamble of its own, but it replaces each of its tables with
its own commands (\`delete table\` or \`flush table\` before the table): each run
re-creates them, and every other table on a host is left as it is.
`;
  }
  const which = p.added.map((k) => `\`table ${k}\``).join(', ');
  return `${head}**Warning: the design has no preamble${p.partial ? ` for ${which}` : ''}.** Its tables are
added to what each host already has, and nothing deletes them first: **each run of
the playbook adds every rule again** (${which}: a second run leaves two copies of
each rule, a third three). Export the design with the preamble **replace only these
tables** (\`table F N\` + \`delete table F N\` for each of its tables) and write the
bundle again: each run then re-creates exactly these tables and leaves the others
alone.
`;
}

/** A define's text inside a Markdown code span (values of the pattern hold no backtick; names are checked). */
function code(s: string): string {
  return /^[^`\n\r]{1,200}$/.test(s) ? `\`${s}\`` : '(a name that cannot be shown here)';
}

export function bundleReadme(f: ReadmeFacts): string {
  const defineRows = f.perHost.length
    ? ['| variable | the design\'s value |', '| --- | --- |', ...f.perHost.map((d) => `| \`nft_define_${d.name}\` | ${code(d.value)} |`)].join('\n')
    : 'This design has no `define` that can be set per host: every host gets the same script.';
  const fixedText = f.fixed.length
    ? `\nThese defines stay as written in the design (the same on every host):\n\n${f.fixed.map((d) => `- ${code(d.name)}: ${d.reason}`).join('\n')}\n`
    : '';
  return `# nft-designer: roll out "${f.name}" with Ansible

This directory was written by nft-designer. It rolls one nftables design out to
many hosts with \`nft-agent\`, the designer's companion agent, without locking
anyone out: every host is checked before any host changes, hosts are changed a
few at a time, and each must prove that a new SSH connection still gets in, or it
restores its previous ruleset by itself.

## What the playbook does

\`site.yml\` has three plays.

1. **Check, on every host at once.** For each host: the per-host values are
   checked (see below); \`nft-agent\` is installed (\`nft_agent_path\`, default
   \`${HOST_DEFAULTS.agentPath}\`); the design is copied as it is
   (\`roles/nft_designer/files/design.nft\`, never templated) and a small file of
   this host's \`define\` lines is rendered before it; the two are assembled into
   \`nft_script_dir/${f.name}.nft\` (default \`${HOST_DEFAULTS.scriptDir}\`) and
   \`nft-agent check\` runs on that file: \`nft -c\`, then a trial load in a private
   network namespace. A host where an earlier apply is still pending (\`nft-agent
   status\`) is refused too. **If any host fails, or cannot be reached, nothing
   is applied anywhere.**
2. **Apply, \`nft_serial\` hosts at a time** (default ${f.serial}). On each host:
   the script's checksum must still be the one that was checked; \`nft-agent apply
   --confirm ${f.confirm}\` starts in the background (the agent backs up the live
   ruleset, loads the script atomically and waits); once \`nft-agent status\` shows
   the new ruleset live and pending, the SSH connection is dropped
   (\`meta: reset_connection\`, so ControlPersist cannot reuse it) and \`nft-agent
   confirm\` runs over a **new** connection. A host that confirms is *applied*.
   A host that cannot be reached again cannot confirm: its own timer restores the
   backup after ${f.confirm} s. The playbook waits for it to answer again, reads the
   apply's own result and \`nft-agent status\`, and reports it *rolled back*. Any
   host that does not confirm stops the rollout: the hosts of later batches are not
   touched (the other hosts of the same batch finish their own apply).
3. **Report**, once for the whole rollout (it runs on the controller and touches
   no host, so \`--limit\` keeps it): one line per host, then a failure (exit 2)
   unless every host applied:

   \`\`\`
   fw1: applied (confirmed over a new SSH connection)
   fw2: rolled back: not confirmed within ${f.confirm} s (no new SSH connection got in); the agent restored the previous ruleset
   fw3: not applied: the rollout stopped before this host
   \`\`\`

   Other outcomes: \`refused: …\` (the check, a per-host value or the apply was
   refused on that host), \`not applied: another host was refused, so nothing was
   applied anywhere\`, and \`unknown: …\` (a host that did not answer again within
   \`nft_confirm_seconds + nft_return_timeout\` seconds: its timer should have
   rolled it back; look at it on its console). A refusal names the agent's
   error (\`refused: nft-agent check failed ... (exit 7): FILE:3:12-16: Error:
   ...\`). With \`-e nft_report_file=PATH\` the outcomes are also written as JSON
   on the controller, \`{"HOST": {"result": "...", "message": "..."}}\`, where
   \`result\` is one of \`applied\`, \`rolled back\`, \`refused\`, \`not applied\`,
   \`not confirmed\`, \`unknown\`, \`stopped\` and \`message\` is the line above.

## How to run it

Requirements: Ansible (ansible-core 2.14 or newer) on the controller; on each host
\`nft\` (nftables), \`unshare\` (util-linux), a POSIX \`sh\`, Python 3 (for Ansible's
modules) and root, by logging in as root or with \`ansible_become=true\`.

\`\`\`sh
cp inventory.example.ini inventory.ini      # list your hosts, set per-host values
ansible-playbook -i inventory.ini site.yml  # every host of the inventory
ansible-playbook -i inventory.ini site.yml -e nft_hosts=firewalls -e nft_serial=5
ansible-playbook -i inventory.ini site.yml --limit fw1.example.net   # one host
\`\`\`

Variables (inventory, group_vars, host_vars or \`-e\`): \`nft_hosts\` (which hosts,
default all; \`-e\` only), \`nft_serial\` (hosts per batch, default ${f.serial}; \`-e\`
only), \`nft_confirm_seconds\` (default ${f.confirm}; ${MIN_CONFIRM_SECONDS} to ${MAX_CONFIRM_SECONDS}),
\`nft_agent_path\`, \`nft_agent_state_dir\` (default \`${HOST_DEFAULTS.stateDir}\`; it and
every directory above it must be root's and writable by nobody else),
\`nft_script_dir\`, \`nft_load_timeout\` (seconds the apply may take to check and
load, default 300), \`nft_return_timeout\` (seconds past the timer to wait for a
host that could not confirm, default 120), \`nft_report_file\`.

Keep the confirmation time longer than a new SSH connection takes to open
(\`timeout\` in \`ansible.cfg\`, 10 s), or a good host may roll back before its
confirmation arrives.

${preambleSection(f.preamble)}
## Per-host values

Every \`define NAME = VALUE\` of the design that fits the pattern below became the
variable \`nft_define_NAME\`, defaulting to the design's value
(\`roles/nft_designer/defaults/main.yml\`, the lowest precedence: set it for a
group or a host in the inventory).

${defineRows}
${fixedText}
The design's text is never read by Jinja: the body is copied verbatim and the
design's own values are marked \`!unsafe\`. Only \`defines.nft.j2\` is a template,
and its only Jinja is \`{{ nft_define_NAME | string }}\`. Before it is rendered,
every host asserts that each value is **a single nft value**, at most
${DEFINE_VALUE_MAX} characters, of this grammar (\`nft_value_pattern\` in
\`roles/nft_designer/vars/main.yml\`, which the inventory cannot override):

- an *atom*: letters, digits and \`_ . / : -\` (an address, a prefix, a range
  \`1-2\`, a number, a name), or a double-quoted name of those characters and \`*\`
  (\`"eth*"\`);
- a concatenation \`atom . atom\` (blanks around the dot);
- an anonymous set \`{ element, element }\`.

So no newline, \`;\`, \`#\`, \`$\`, \`@\`, extra quotes or nested braces: an inventory
value cannot end its \`define\` and start another nft command. A host with a value
outside the pattern is *refused* and nothing is applied anywhere. In an INI
inventory Ansible reads values as Python literals (\`{ 22, 443 }\` would become a
Python set, \`"eth0"\` would lose its quotes): put such values in YAML
(\`group_vars/\`, \`host_vars/\`) as strings.

## What happens on a lockout

A ruleset that drops new SSH connections to a host (a wrong management address,
say) still lets the old connection through when it accepts established traffic,
which is why the confirmation goes over a new one. That new connection cannot get
in, so nobody confirms; after ${f.confirm} s the agent on the host restores its
backup (\`flush ruleset\` and the saved ruleset, in one transaction) by itself, with
no help from the controller. The playbook waits for the host to answer again,
reports it *rolled back*, and stops the rollout: the hosts after it keep their old
ruleset, the hosts before it keep the new one. If the host never answers again
(the restore failed, or the old ruleset did not let you in either), it is reported
\`unknown\`: log in on its console and run \`nft-agent status\`.

## Files

- \`site.yml\`: the playbook (three plays); \`ansible.cfg\`: its settings;
  \`inventory.example.ini\`: an example inventory
- \`roles/nft_designer/tasks/\`: \`check.yml\`, \`apply.yml\`, \`summary.yml\`
- \`roles/nft_designer/files/design.nft\`: the design, less its per-host defines;
  \`files/nft-agent\`: the agent
- \`roles/nft_designer/templates/defines.nft.j2\`: the per-host define lines
- \`roles/nft_designer/defaults/main.yml\`, \`vars/main.yml\`: variables
`;
}
