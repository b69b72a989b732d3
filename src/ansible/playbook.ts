/**
 * The fixed parts of the Ansible bundle: the playbook, the role's tasks, the
 * configuration. Nothing from the design is interpolated here except what
 * bundle.ts has validated (the design name, define names, numbers); the design's
 * own text never passes through Jinja.
 */

import { MAX_CONFIRM_SECONDS, MIN_CONFIRM_SECONDS } from './facts.ts';

/**
 * `argv:` of an nft-agent command on the host (the agent, ARGS, then its state
 * directory), as YAML at `indent` spaces; ARGS are fixed text or Jinja of the role.
 */
function agentArgv(indent: number, ...args: string[]): string {
  const pad = ' '.repeat(indent);
  return [`${pad}argv:`, ...['"{{ nft_agent_path }}"', ...args, '--state-dir', '"{{ nft_agent_state_dir }}"'].map((a) => `${pad}  - ${a}`)].join('\n');
}

/** site.yml: three plays (check everywhere, apply in batches, report). */
export function siteYml(name: string, serial: number): string {
  return `# nft-designer: roll the design "${name}" out to a fleet with nft-agent (README.md).
#
#   ansible-playbook -i inventory.ini site.yml [-e nft_hosts=GROUP] [-e nft_serial=N]
#
# 1. every host: install the agent, render its define values, assemble the
#    script and run "nft-agent check" on it; nothing is applied anywhere unless
#    every host passes;
# 2. nft_serial hosts at a time: "nft-agent apply --confirm N", then
#    "nft-agent confirm" over a NEW SSH connection; a host that cannot be
#    reached again rolls itself back by its timer, and the rollout stops;
# 3. one line per host: applied / rolled back / refused / not applied
#    (-e nft_report_file=PATH: also as JSON on the controller).

- name: "nft-designer ${name}: check on every host before anything is applied"
  hosts: "{{ nft_hosts | default('all') }}"
  gather_facts: false
  tasks:
    - name: Check the design on this host
      ansible.builtin.import_role:
        name: nft_designer
        tasks_from: check.yml

- name: "nft-designer ${name}: apply in batches, each host confirmed over a new SSH connection"
  hosts: "{{ nft_hosts | default('all') }}"
  gather_facts: false
  serial: "{{ nft_serial | default(${serial}) }}"
  tasks:
    - name: Apply the design on this host
      ansible.builtin.import_role:
        name: nft_designer
        tasks_from: apply.yml

# (on the rollout's own hosts, once: a --limit that leaves localhost out must not
# skip the report and its failure)
- name: "nft-designer ${name}: result per host"
  hosts: "{{ nft_hosts | default('all') }}"
  gather_facts: false
  tasks:
    - name: Report
      ansible.builtin.import_role:
        name: nft_designer
        tasks_from: summary.yml
`;
}

/** The role's check step (play 1). `defineNames` are validated identifiers. */
export function checkYml(defineNames: readonly string[]): string {
  const asserts = defineNames
    .map(
      (n) => `
    - name: "Refused: nft_define_${n} is not a single nft value (README.md, Per-host values)"
      ansible.builtin.assert:
        that:
          - nft_define_${n} is not boolean
          - nft_define_${n} is string or nft_define_${n} is number
          - nft_define_${n} | string | length <= nft_value_max
          - nft_define_${n} | string is match(nft_value_pattern)
        fail_msg: nft_define_${n} of this host is not a single nft value (README.md, Per-host values); nothing is applied anywhere
        quiet: true
`,
    )
    .join('');
  return `# Play 1, on every host at once: nothing is applied anywhere unless every host
# passes "nft-agent check" on exactly the script it would apply.

- name: This host takes part in the rollout
  ansible.builtin.group_by:
    key: nft_in_rollout

- name: Install the agent, assemble the script, check it
  block:
    - name: Reach the host
      ansible.builtin.ping:
      register: nft_ping
      ignore_unreachable: true

    - name: "Refused: the host is unreachable"
      ansible.builtin.fail:
        msg: the host could not be reached; nothing is applied anywhere
      when: nft_ping.unreachable | default(false)

    - name: "Refused: nft_confirm_seconds must be a whole number from ${MIN_CONFIRM_SECONDS} to ${MAX_CONFIRM_SECONDS}"
      ansible.builtin.assert:
        that:
          - nft_confirm_seconds | string is match('^[0-9]{1,${String(MAX_CONFIRM_SECONDS).length}}$')
          - nft_confirm_seconds | int >= ${MIN_CONFIRM_SECONDS}
          - nft_confirm_seconds | int <= ${MAX_CONFIRM_SECONDS}
        fail_msg: nft_confirm_seconds must be a whole number from ${MIN_CONFIRM_SECONDS} to ${MAX_CONFIRM_SECONDS}
        quiet: true
${asserts}
    - name: The agent's directory exists
      ansible.builtin.file:
        path: "{{ nft_agent_path | dirname }}"
        state: directory

    - name: Install nft-agent
      ansible.builtin.copy:
        src: nft-agent
        dest: "{{ nft_agent_path }}"
        owner: root
        group: root
        mode: "0755"

    - name: "Refused: nft-agent status failed (root, nft, or a state directory that is not root's alone)"
      ansible.builtin.command:
${agentArgv(8, 'status')}
      register: nft_status_before
      changed_when: false

    - name: "Refused: an earlier apply is still pending on this host (see nft-agent status)"
      ansible.builtin.fail:
        msg: an earlier apply on this host is still pending; settle it with nft-agent confirm or rollback first
      when: >-
        nft_status_before.stdout is search('^pending: yes$', multiline=True)

    - name: The script directory exists
      ansible.builtin.file:
        path: "{{ item }}"
        state: directory
        owner: root
        group: root
        mode: "0700"
      loop:
        - "{{ nft_script_dir }}"
        - "{{ nft_script_dir }}/{{ nft_design_name }}.parts"

    - name: Copy the design (verbatim, never templated)
      ansible.builtin.copy:
        src: design.nft
        dest: "{{ nft_script_dir }}/{{ nft_design_name }}.parts/50-design.nft"
        owner: root
        group: root
        mode: "0600"

    - name: Render this host's define values (the only templated part)
      ansible.builtin.template:
        src: defines.nft.j2
        dest: "{{ nft_script_dir }}/{{ nft_design_name }}.parts/10-defines.nft"
        owner: root
        group: root
        mode: "0600"

    - name: Assemble the script this host checks and applies (defines first, then the design)
      ansible.builtin.assemble:
        src: "{{ nft_script_dir }}/{{ nft_design_name }}.parts"
        dest: "{{ nft_script_dir }}/{{ nft_design_name }}.nft"
        remote_src: true
        owner: root
        group: root
        mode: "0600"

    - name: Record the checksum of the script that is checked
      ansible.builtin.stat:
        path: "{{ nft_script_dir }}/{{ nft_design_name }}.nft"
        checksum_algorithm: sha256
      register: nft_checked_stat

    - name: "Refused: nft-agent check failed (nft -c, then a trial load in a private network namespace)"
      ansible.builtin.command:
${agentArgv(8, 'check', '"{{ nft_script_dir }}/{{ nft_design_name }}.nft"')}
      register: nft_check
      changed_when: false

    - name: Remember what was checked
      ansible.builtin.set_fact:
        nft_checked_sum: "{{ nft_checked_stat.stat.checksum }}"

    - name: This host passed the check
      ansible.builtin.group_by:
        key: nft_checked

  rescue:
    - name: Record the refusal
      ansible.builtin.set_fact:
        nft_outcome: >-
          refused: {{ ansible_failed_task.name | regex_replace('^Refused: ', '') }}
          {{- (' (exit ' ~ ansible_failed_result.rc ~ ')') if ansible_failed_result.rc is defined else '' }}
          {{- (': ' ~ nft_why) if nft_why else '' }}
      vars:
        nft_err: "{{ ansible_failed_result.stderr_lines | default([]) }}"
        nft_why: "{{ (nft_err | select('search', 'Error: ') | list + nft_err | select('search', 'error: ') | list) | first | default('') | truncate(300) }}"

    - name: Nothing is applied anywhere
      ansible.builtin.group_by:
        key: nft_rollout_stopped
`;
}

/** The role's apply step (play 2, once per batch of nft_serial hosts). */
export const APPLY_YML = `# Play 2, nft_serial hosts at a time. Every task that talks to the host ignores
# unreachability, so that a host whose new ruleset locks SSH out stays in the play:
# it is waited for until its own timer has rolled it back, and the rollout stops.

- name: Stop before this batch when a host was refused or did not confirm
  ansible.builtin.meta: end_play
  when: >-
    (groups['nft_in_rollout'] | default([]) | difference(groups['nft_checked'] | default([])) | length > 0)
    or (groups['nft_rollout_stopped'] | default([]) | length > 0)

- name: Apply, then confirm over a new SSH connection
  ignore_unreachable: true
  block:
    - name: Look at the script again
      ansible.builtin.stat:
        path: "{{ nft_script_dir }}/{{ nft_design_name }}.nft"
        checksum_algorithm: sha256
      register: nft_stat

    - name: Read nft-agent status before the apply
      ansible.builtin.command:
${agentArgv(8, 'status')}
      register: nft_status_now
      changed_when: false
      failed_when: false

    - name: "Not applied: the host is unreachable"
      ansible.builtin.fail:
        msg: the host could not be reached before its apply
      when: (nft_stat.unreachable | default(false)) or (nft_status_now.unreachable | default(false))

    - name: "Refused: the script changed since it was checked"
      ansible.builtin.fail:
        msg: the script on the host is not the one nft-agent check passed
      when: (nft_stat.stat.checksum | default('')) != nft_checked_sum

    - name: "Refused: another apply is pending on this host, or nft-agent status failed"
      ansible.builtin.fail:
        msg: nothing was started on this host; see nft-agent status
      when: >-
        nft_status_now.rc | default(1) != 0
        or nft_status_now.stdout is search('^pending: yes$', multiline=True)

    - name: Start nft-agent apply --confirm (it waits for the confirmation, in the background)
      ansible.builtin.command:
${agentArgv(8, 'apply', '"{{ nft_script_dir }}/{{ nft_design_name }}.nft"', '--confirm', '"{{ nft_confirm_seconds | int }}"')}
      async: "{{ nft_confirm_seconds | int + nft_load_timeout | int + 300 }}"
      poll: 0
      register: nft_apply_job
      changed_when: true

    - name: "Unknown: the host became unreachable as the apply was started"
      ansible.builtin.fail:
        msg: the apply may or may not have started; see nft-agent status on the host
      when: (nft_apply_job.unreachable | default(false)) or nft_apply_job.ansible_job_id is not defined

    - name: Wait until the new ruleset is live and waiting for its confirmation
      ansible.builtin.command:
        argv:
          - sh
          - -c
          - "{{ nft_wait_loaded_sh }}"
          - sh
          - "{{ nft_agent_path }}"
          - "{{ nft_agent_state_dir }}"
          - "{{ nft_apply_job.results_file }}"
          - "{{ nft_load_timeout | int }}"
          - "{{ nft_script_dir }}/{{ nft_design_name }}.nft"
      register: nft_loaded
      changed_when: false
      failed_when: false

    - name: The apply ended before its ruleset could be confirmed
      when: not (nft_loaded.unreachable | default(false)) and nft_loaded.rc | default(1) == 3
      block:
        - name: Read the apply's result
          ansible.builtin.async_status:
            jid: "{{ nft_apply_job.ansible_job_id }}"
          register: nft_job
          failed_when: false

        - name: Record why
          ansible.builtin.set_fact:
            nft_outcome: >-
              refused: nft-agent apply did not load the script (exit {{ nft_job.rc | default('?') }})
              {{- (': ' ~ nft_why) if nft_why else '' }}
          vars:
            nft_err: "{{ nft_job.stderr_lines | default([]) }}"
            nft_why: "{{ (nft_err | select('search', 'Error: ') | list + nft_err | select('search', 'error: ') | list) | first | default('') | truncate(300) }}"

        - name: "Refused: nft-agent apply did not load the script"
          ansible.builtin.fail:
            msg: "{{ nft_outcome }}"

    - name: "Not confirmed: the apply did not load within nft_load_timeout; its own timer rolls it back if it ever loads"
      ansible.builtin.fail:
        msg: the apply is still checking or loading
      when: not (nft_loaded.unreachable | default(false)) and nft_loaded.rc | default(1) != 0

    - name: Drop the SSH connection, so that the confirmation needs a new one
      ansible.builtin.meta: reset_connection

    - name: Confirm over a new SSH connection (nft-agent confirm)
      ansible.builtin.command:
${agentArgv(8, 'confirm')}
      register: nft_confirm
      changed_when: nft_confirm.rc | default(1) == 0
      failed_when: false

    - name: Did the confirmation get through
      ansible.builtin.set_fact:
        nft_confirmed: "{{ not (nft_confirm.unreachable | default(false)) and nft_confirm.rc | default(1) == 0 }}"

    - name: Confirmed
      ansible.builtin.set_fact:
        nft_outcome: applied (confirmed over a new SSH connection)
      when: nft_confirmed | bool

    # (a block's "when" is tested again for each of its tasks: on nft_confirmed,
    # which nothing inside changes)
    - name: Not confirmed; the host's own timer rolls it back
      when: not (nft_confirmed | bool)
      block:
        - name: Wait for the host to answer again (after its timer)
          ansible.builtin.wait_for_connection:
            timeout: "{{ nft_confirm_seconds | int + nft_return_timeout | int }}"
            sleep: 2
          register: nft_back
          ignore_errors: true

        - name: Read the apply's own result
          ansible.builtin.async_status:
            jid: "{{ nft_apply_job.ansible_job_id }}"
          register: nft_job
          until: nft_job.finished | default(0) | bool
          retries: "{{ nft_confirm_seconds | int + 60 }}"
          delay: 1
          failed_when: false
          when: nft_back is succeeded

        - name: Read nft-agent status
          ansible.builtin.command:
${agentArgv(12, 'status')}
          register: nft_after
          changed_when: false
          failed_when: false
          when: nft_back is succeeded

        - name: Record what happened
          ansible.builtin.set_fact:
            nft_outcome: >-
              {%- if nft_back is failed -%}
              unknown: no answer within {{ nft_confirm_seconds | int + nft_return_timeout | int }} s of the apply; its own timer should have rolled it back: check it on its console
              {%- elif (nft_job.rc | default(-1)) == 10 and (nft_after.stdout | default('')) is search('^pending: none$', multiline=True) -%}
              rolled back: not confirmed within {{ nft_confirm_seconds | int }} s (no new SSH connection got in); the agent restored the previous ruleset
              {%- elif (nft_job.rc | default(-1)) == 0 -%}
              applied (confirmed, late)
              {%- else -%}
              unknown: nft-agent apply ended with exit {{ nft_job.rc | default('?') }}; see nft-agent status on the host
              {%- endif -%}

        - name: "Stop the rollout: this host did not confirm"
          ansible.builtin.fail:
            msg: "{{ nft_outcome }}"
          when: nft_outcome is not match('applied')

    - name: This host applied the design
      ansible.builtin.group_by:
        key: nft_applied

  rescue:
    - name: Record the outcome
      ansible.builtin.set_fact:
        nft_outcome: >-
          {%- if nft_outcome is defined -%}{{ nft_outcome }}
          {%- elif ansible_failed_task.name is match('(Refused|Not applied|Unknown|Not confirmed): ') -%}
          {{ ansible_failed_task.name[:1] | lower }}{{ ansible_failed_task.name[1:] }}
          {%- else -%}stopped: {{ ansible_failed_task.name }} failed
          {%- endif -%}

    - name: Stop the rollout
      ansible.builtin.group_by:
        key: nft_rollout_stopped
`;

/** The role's report (play 3, on the controller). */
export const SUMMARY_YML = `# Play 3, once (run_once, nothing runs on the hosts; the JSON is written on the
# controller): one line per host, and a failure unless every host applied.

- name: Collect the outcome of every host
  run_once: true
  ansible.builtin.set_fact:
    nft_report: >-
      {%- set r = {} -%}
      {%- for h in nft_rollout_hosts -%}
      {%- if hostvars[h].nft_outcome is defined -%}
      {%- set o = hostvars[h].nft_outcome -%}
      {%- elif h not in (groups['nft_checked'] | default([])) -%}
      {%- set o = 'refused: the check did not finish on this host (it became unreachable)' -%}
      {%- elif nft_refused_before -%}
      {%- set o = 'not applied: another host was refused, so nothing was applied anywhere' -%}
      {%- else -%}
      {%- set o = 'not applied: the rollout stopped before this host' -%}
      {%- endif -%}
      {%- set _ = r.update({h: {'result': o | regex_search('^(applied|rolled back|refused|not applied|not confirmed|unknown|stopped)') | default('unknown', true), 'message': o}}) -%}
      {%- endfor -%}
      {{ r }}
  vars:
    nft_rollout_hosts: "{{ groups['all'] | intersect(groups['nft_in_rollout'] | default([])) }}"
    nft_refused_before: "{{ nft_rollout_hosts | difference(groups['nft_checked'] | default([])) | length > 0 }}"

- name: Result per host
  run_once: true
  ansible.builtin.debug:
    msg: >-
      {%- set lines = [] -%}
      {%- for h, v in nft_report.items() -%}
      {%- set _ = lines.append(h ~ ': ' ~ v.message) -%}
      {%- endfor -%}
      {{ lines }}

- name: Write the report as JSON on the controller (when nft_report_file is set)
  run_once: true
  delegate_to: localhost
  become: false
  ansible.builtin.copy:
    dest: "{{ nft_report_file }}"
    mode: "0644"
    content: "{{ nft_report | to_nice_json }}\\n"
  when: nft_report_file is defined

- name: "The rollout did not complete: not every host applied the design"
  run_once: true
  ansible.builtin.fail:
    msg: "{{ (groups['nft_applied'] | default([]) | length) }} of {{ (groups['nft_in_rollout'] | default([]) | length) }} hosts applied the design (see above)"
  when: (groups['nft_applied'] | default([]) | length) != (groups['nft_in_rollout'] | default([]) | length)
`;

/** Waits on the host until the apply's ruleset is live and pending; fixed text, arguments as $1…$4. */
export const WAIT_LOADED_SH = `# $1 nft-agent, $2 its state dir, $3 the async job's results file, $4 seconds,
# $5 the script. 0: the apply of $5 has its new ruleset live and waits for its
# confirmation; 3: the apply ended first (its result is in $3); 4: neither within
# $4 seconds.
end=$(( $(date +%s) + $4 ))
while :; do
  s=$("$1" status --state-dir "$2" 2>&1)
  case $s in
  *'pending: yes'*"script: $5
"*'live: new'* | *'pending: yes'*"script: $5
"*'live: old = new'*)
    echo loaded
    exit 0
    ;;
  esac
  if [ -f "$3" ] && ! grep -q '"finished": 0' "$3"; then
    echo ended
    exit 3
  fi
  if [ "$(date +%s)" -ge "$end" ]; then
    echo timeout
    exit 4
  fi
  sleep 0.5 2>/dev/null || sleep 1
done
`;

/** ansible.cfg beside site.yml (read when ansible-playbook runs in that directory, or with ANSIBLE_CONFIG). */
export const ANSIBLE_CFG = `# nft-designer bundle: read when ansible-playbook runs in this directory
# (or with ANSIBLE_CONFIG pointing here).
[defaults]
inventory = inventory.ini
# seconds an SSH connection may take to open: a host whose new ruleset drops new
# connections is given up after this, then waited for until its timer rolls back
timeout = 10
forks = 20
retry_files_enabled = False
interpreter_python = auto_silent

[ssh_connection]
pipelining = True
# ServerAlive: a connection whose packets the new ruleset drops fails in ~15 s
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=5 -o ServerAliveCountMax=3
`;
