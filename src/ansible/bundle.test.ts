/**
 * The Ansible bundle: which files, the design copied verbatim (its text never
 * reaches Jinja), which defines become per-host variables and why the others do
 * not, option errors, and the per-host value pattern. That the YAML loads and the
 * playbook runs is the fleet tier's (tests/fleet/).
 */
import { describe, expect, it } from 'vitest';
import { emit } from '../emit/index.ts';
import { parse } from '../parse/index.ts';
import {
  AnsibleBundleError,
  DEFINE_VALUE_MAX,
  HOST_DEFAULTS,
  ansibleBundle,
  isSingleNftValue,
  type AnsibleBundle,
  type AnsibleBundleOptions,
} from './index.ts';
import { ACCEPTED_VALUES, REFUSED_VALUES } from './values.cases.ts';

const AGENT = '#!/bin/sh\n# a stand-in for nft-agent\necho "$@"\n';
const HOSTILE = "{{ lookup('pipe','id') }}";

function make(script: string, more: Partial<AnsibleBundleOptions> = {}): AnsibleBundle {
  return ansibleBundle({ script, agentText: AGENT, ...more });
}

function file(b: AnsibleBundle, path: string): string {
  const f = b.files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} in the bundle`);
  return f.text;
}

const ROLE = 'roles/nft_designer';

const DESIGN = `# ${HOSTILE} {% raw %} {# x #}: a comment is text
define ssh_from = 198.18.0.1
define web = { 80, 443 }
define both = { $ssh_from, 198.18.0.9 }
define banner = "{{ x }}"
define my-port = 22
table inet fleet {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip saddr $both tcp dport $web accept comment "${HOSTILE} {% if true %}"
		ip saddr $ssh_from tcp dport $my-port accept
		iifname $banner accept
	}
}
`;

/** DESIGN less its two per-host defines (their lines, line breaks included). */
const DESIGN_BODY = DESIGN.replace('define ssh_from = 198.18.0.1\n', '').replace('define web = { 80, 443 }\n', '');

describe('ansibleBundle: the files', () => {
  const b = make(DESIGN, { name: 'edge-fw', confirmSeconds: 30, serial: 2 });

  it('writes the playbook, the role, the design, the agent, an inventory and a README, with modes', () => {
    expect(b.files.map((f) => [f.path, f.mode ?? 0o644])).toEqual([
      ['README.md', 0o644],
      ['ansible.cfg', 0o644],
      ['site.yml', 0o644],
      ['inventory.example.ini', 0o644],
      [`${ROLE}/defaults/main.yml`, 0o644],
      [`${ROLE}/vars/main.yml`, 0o644],
      [`${ROLE}/tasks/check.yml`, 0o644],
      [`${ROLE}/tasks/apply.yml`, 0o644],
      [`${ROLE}/tasks/summary.yml`, 0o644],
      [`${ROLE}/templates/defines.nft.j2`, 0o644],
      [`${ROLE}/files/design.nft`, 0o644],
      [`${ROLE}/files/nft-agent`, 0o755],
    ]);
    expect(file(b, `${ROLE}/files/nft-agent`)).toBe(AGENT);
  });

  it('carries the options: the name, the confirmation time, the batch size', () => {
    expect(file(b, `${ROLE}/defaults/main.yml`)).toContain("\nnft_design_name: 'edge-fw'\n");
    expect(file(b, `${ROLE}/defaults/main.yml`)).toContain('\nnft_confirm_seconds: 30\n');
    expect(file(b, 'site.yml')).toContain(`serial: "{{ nft_serial | default(2) }}"`);
    expect(file(b, 'site.yml')).toContain('nft-designer edge-fw: check on every host before anything is applied');
    expect(file(b, 'README.md')).toContain('`nft-agent apply\n   --confirm 30`');
    const defaults = file(b, `${ROLE}/defaults/main.yml`);
    expect(defaults).toContain(`\nnft_agent_path: '${HOST_DEFAULTS.agentPath}'\n`);
    expect(defaults).toContain(`\nnft_agent_state_dir: '${HOST_DEFAULTS.stateDir}'\n`);
    expect(defaults).toContain(`\nnft_script_dir: '${HOST_DEFAULTS.scriptDir}'\n`);
  });

  it('has defaults: design "design", 60 s, one host at a time', () => {
    const d = make(DESIGN);
    expect(file(d, `${ROLE}/defaults/main.yml`)).toContain("\nnft_design_name: 'design'\n");
    expect(file(d, `${ROLE}/defaults/main.yml`)).toContain('\nnft_confirm_seconds: 60\n');
    expect(file(d, 'site.yml')).toContain(`serial: "{{ nft_serial | default(1) }}"`);
  });

  it('runs check on every host before the apply play, confirms over a new connection, reports per host', () => {
    const site = file(b, 'site.yml');
    expect(site.indexOf('tasks_from: check.yml')).toBeLessThan(site.indexOf('tasks_from: apply.yml'));
    expect(site.indexOf('tasks_from: apply.yml')).toBeLessThan(site.indexOf('tasks_from: summary.yml'));
    const apply = file(b, `${ROLE}/tasks/apply.yml`);
    const reset = apply.indexOf('ansible.builtin.meta: reset_connection');
    expect(reset).toBeGreaterThan(apply.indexOf('- --confirm'));
    expect(reset).toBeLessThan(apply.indexOf('- confirm\n'));
    expect(apply).toMatch(/meta: end_play\n {2}when: >-\n.*nft_checked/);
    const check = file(b, `${ROLE}/tasks/check.yml`);
    expect(check).toContain('- check\n');
    expect(check).not.toMatch(/- apply\n/);
  });
});

describe('ansibleBundle: the design is copied, never templated', () => {
  const b = make(DESIGN);

  it('files/design.nft is the design byte for byte, less the per-host defines', () => {
    expect(file(b, `${ROLE}/files/design.nft`)).toBe(DESIGN_BODY);
  });

  it('its hostile text is in files/design.nft and in no other file (no .j2, no .yml, not the README)', () => {
    for (const needle of [HOSTILE, '{% raw %}', '{% if true %}', '{# x #}', '"{{ x }}"']) {
      expect(b.files.filter((f) => f.text.includes(needle)).map((f) => f.path), needle).toEqual([`${ROLE}/files/design.nft`]);
    }
  });

  it('the only Jinja of the bundle besides the playbook is `{{ nft_define_NAME | string }}` in the defines template', () => {
    const j2 = file(b, `${ROLE}/templates/defines.nft.j2`);
    expect(j2.match(/\{[{%#]/g)?.length).toBe(2);
    expect(j2.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['define ssh_from = {{ nft_define_ssh_from | string }}', 'define web = {{ nft_define_web | string }}', '']);
    // the role's defaults hold the design's values as !unsafe (Ansible never templates them)
    const defaults = file(b, `${ROLE}/defaults/main.yml`);
    expect(defaults).toContain("\nnft_define_ssh_from: !unsafe '198.18.0.1'\n");
    expect(defaults).toContain("\nnft_define_web: !unsafe '{ 80, 443 }'\n");
    expect(defaults).not.toMatch(/\{[{%#]/);
  });

  it('rendered with the design\'s own values and assembled like the role does, it is the design', () => {
    const defaults = file(b, `${ROLE}/defaults/main.yml`);
    const value = (name: string): string => {
      const m = new RegExp(`^nft_define_${name}: !unsafe '(.*)'$`, 'm').exec(defaults);
      if (!m) throw new Error(`no default for ${name}`);
      return m[1].replace(/''/g, "'");
    };
    const rendered = file(b, `${ROLE}/templates/defines.nft.j2`).replace(/\{\{ nft_define_(\w+) \| string \}\}/g, (_, n: string) => value(n));
    const assembled = `${rendered}${rendered.endsWith('\n') ? '' : '\n'}${file(b, `${ROLE}/files/design.nft`)}`;
    const r = parse(assembled);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const original = parse(DESIGN).ruleset;
    const sorted = (rs: typeof original): typeof original => ({ ...rs, defines: [...rs.defines].sort((x, y) => x.name.localeCompare(y.name)).map((d) => ({ ...d, id: '' })) });
    // the same ruleset (the # comments of the design and the template mean nothing to nft)
    expect(emit(sorted(r.ruleset), { comments: false }).text).toBe(emit(sorted(original), { comments: false }).text);
  });

  it('cuts a per-host define cleanly wherever it stands (its own line, with others, with a comment); CRLF is refused', () => {
    const tail = 'table ip t {\n\tchain c {\n\t\ttcp dport $a accept\n\t\ttcp dport $b accept\n\t}\n}\n';
    expect(file(make(`define a = 1;define b = 2\n${tail}`), `${ROLE}/files/design.nft`)).toBe(`\n${tail}`);
    expect(file(make(`  define a = 1  # first\n\tdefine b = 2\t\n${tail}`), `${ROLE}/files/design.nft`)).toBe(`    # first\n${tail}`);
    // CRLF: nft refuses every line of it, so the bundle refuses to roll it out
    const crlf = `define a = 1\r\ndefine b = 2\r\n${tail.replace(/\n/g, '\r\n')}`;
    expect(() => make(crlf)).toThrow(AnsibleBundleError);
    // a last line without its line break gets one
    expect(file(make('table ip t {\n}'), `${ROLE}/files/design.nft`)).toBe('table ip t {\n}\n');
  });
});

describe('ansibleBundle: per-host and fixed defines', () => {
  it('makes every define whose name and value fit a variable nft_define_NAME, in order; says why the others stay', () => {
    const b = make(DESIGN);
    expect(b.defines).toEqual(['ssh_from', 'web']);
    expect(b.fixed).toEqual([
      { name: 'both', reason: expect.stringMatching(/refers to another define/) },
      { name: 'banner', reason: expect.stringMatching(/not a single nft value/) },
      { name: 'my-port', reason: expect.stringMatching(/name is not usable in an Ansible variable name/) },
    ]);
    const readme = file(b, 'README.md');
    expect(readme).toContain('| `nft_define_ssh_from` | `198.18.0.1` |');
    expect(readme).toContain('- `my-port`: its name is not usable');
    expect(file(b, `${ROLE}/tasks/check.yml`)).toContain('nft_define_web | string is match(nft_value_pattern)');
    expect(file(b, `${ROLE}/vars/main.yml`)).toContain("nft_design_defines: ['ssh_from', 'web']");
  });

  it('keeps a value longer than the limit as written', () => {
    const long = `{ ${Array.from({ length: 120 }, (_, i) => `198.18.${i >> 8}.${i & 255}`).join(', ')} }`;
    expect(long.length).toBeGreaterThan(DEFINE_VALUE_MAX);
    const b = make(`define many = ${long}\ntable ip t {\n\tchain c {\n\t\tip saddr $many accept\n\t}\n}\n`);
    expect(b.defines).toEqual([]);
    expect(b.fixed).toEqual([{ name: 'many', reason: `its value is longer than ${DEFINE_VALUE_MAX} characters` }]);
  });

  it('a design without defines: the same script on every host', () => {
    const b = make('table ip t {\n}\n');
    expect(b.defines).toEqual([]);
    expect(b.fixed).toEqual([]);
    expect(file(b, `${ROLE}/templates/defines.nft.j2`)).not.toContain('define ');
    expect(file(b, `${ROLE}/defaults/main.yml`)).toContain('# (the design has no define that can be set per host)');
    expect(file(b, `${ROLE}/tasks/check.yml`)).not.toContain('nft_define_');
  });

  it('the example inventory shows a per-host value on a host line and a set as YAML', () => {
    const inv = file(make(DESIGN), 'inventory.example.ini');
    expect(inv).toContain('fw1.example.net nft_define_ssh_from=198.18.0.1\n');
    expect(inv).toContain("# nft_define_web=... (in YAML, group_vars/ or host_vars/: '{ 80, 443 }')\n");
  });
});

describe('ansibleBundle: the preamble, in warnings and in the README', () => {
  const TABLES = 'table inet a {\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\ntable ip b {\n}\n';
  const readme = (b: AnsibleBundle): string => file(b, 'README.md');

  it('replace only these tables: no warning; the README says each run re-creates exactly these tables', () => {
    const b = make(`table inet a\ndelete table inet a\ntable ip b\ndelete table ip b\n${TABLES}`);
    expect(b.warnings).toEqual([]);
    expect(readme(b)).toContain('The design starts with the preamble **replace only these tables**');
    expect(readme(b)).toContain('Running the playbook again gives the same ruleset.');
    expect(readme(b)).not.toContain('Warning');
  });

  it('no preamble: each run adds every rule again', () => {
    const b = make(TABLES);
    expect(b.warnings).toEqual([
      "the design has no preamble: each run of the playbook adds its rules again (table inet a, table ip b get one more copy of every rule on every host); use 'replace only these tables' (table F N + delete table F N)",
    ]);
    expect(readme(b)).toContain('**Warning: the design has no preamble.**');
    expect(readme(b)).toMatch(/\*\*each run of\nthe playbook adds every rule again\*\* \(`table inet a`, `table ip b`: a second run leaves two copies/);
  });

  it('no preamble, some tables replaced by the design\'s own commands: names the others', () => {
    const b = make(`table inet a\ndelete table inet a\n${TABLES}`);
    expect(b.warnings).toEqual([expect.stringMatching(/^the design has no preamble for table ip b: each run of the playbook adds its rules again \(table ip b gets one more copy/)]);
    expect(readme(b)).toContain('**Warning: the design has no preamble for `table ip b`.**');
    // every table replaced by its own flush/delete commands: nothing to warn about
    const own = make(`flush table inet a\n${TABLES.replace('table ip b {\n}\n', '')}`);
    expect(own.warnings).toEqual([]);
    expect(readme(own)).toContain('it replaces each of its tables with\nits own commands');
  });

  it('flush ruleset: every other table on every host goes, also Docker\'s and fail2ban\'s', () => {
    const b = make(`flush ruleset\n${TABLES}`);
    expect(b.warnings).toEqual([
      "the design starts with flush ruleset: it removes every other table on every host, also those of Docker, fail2ban, firewalld, libvirt or Kubernetes, which then run without their rules until they write them again; use 'replace only these tables' (table F N + delete table F N) to leave them alone",
    ]);
    expect(readme(b)).toContain('**Warning: the design starts with `flush ruleset`.**');
    expect(readme(b)).toContain('Docker, fail2ban,\nfirewalld, libvirt, Kubernetes');
  });

  it('the per-host defines placed before it do not hide the preamble', () => {
    expect(make(`define p = 22\nflush ruleset\n${TABLES}`).warnings).toEqual([expect.stringMatching(/^the design starts with flush ruleset/)]);
    expect(make(`define p = 22\ntable inet a\ndelete table inet a\ntable ip b\ndelete table ip b\n${TABLES}`).warnings).toEqual([]);
  });
});

describe('ansibleBundle: refusals', () => {
  const option = (more: Partial<AnsibleBundleOptions>): string | undefined => {
    try {
      make('table ip t {\n}\n', more);
    } catch (e) {
      if (e instanceof AnsibleBundleError) return `${e.option}: ${e.message}`;
      throw e;
    }
    return undefined;
  };

  it('names the option that is out of range', () => {
    for (const name of ['', '../x', '.hidden', '-x', 'a b', 'a/b', 'a..b', 'x'.repeat(65), 'é', 'a{{b}}']) expect(option({ name }), name).toMatch(/^name: the name /);
    for (const name of ['a', 'edge-fw', 'web_01.v2', 'x'.repeat(64)]) expect(option({ name }), name).toBeUndefined();
    for (const confirmSeconds of [0, 9, 86401, 1.5, Number.NaN, -10]) expect(option({ confirmSeconds })).toMatch(/^confirmSeconds: the confirmation time must be a whole number of seconds from 10 to 86400/);
    for (const confirmSeconds of [10, 86400]) expect(option({ confirmSeconds })).toBeUndefined();
    for (const serial of [0, -1, 1.5, 10001]) expect(option({ serial })).toMatch(/^serial: serial must be a whole number/);
    expect(option({ agentText: 'echo hi\n' })).toMatch(/^agentText: /);
  });

  it('refuses a design that does not parse, with the places of its errors', () => {
    try {
      make('table ip t {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n', { file: 'x.nft' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AnsibleBundleError);
      const err = e as AnsibleBundleError;
      expect(err.message).toBe('x.nft does not parse');
      expect(err.option).toBeUndefined();
      expect(err.diagnostics.map((d) => [d.range?.startLine, d.range?.startCol, d.message])).toEqual([[3, 16, 'unknown statement "acept"']]);
    }
  });

  it('refuses a design with nothing to roll out', () => {
    expect(() => make('define a = 1\n')).toThrow(/holds no table: nothing to roll out/);
    expect(() => make('# just a comment\n')).toThrow(AnsibleBundleError);
  });
});

describe('the per-host value pattern', () => {
  it('accepts addresses, prefixes, ranges, numbers, quoted names, concatenations and sets of them', () => {
    for (const v of ACCEPTED_VALUES) expect(isSingleNftValue(v), JSON.stringify(v)).toBe(true);
  });

  it('refuses ; newlines, $references, } followed by a command, Jinja delimiters, quotes games, overlong values', () => {
    for (const v of REFUSED_VALUES) expect(isSingleNftValue(v), JSON.stringify(v)).toBe(false);
  });

  it('every accepted value is one nft value: it parses as the whole value of one define', () => {
    for (const v of ACCEPTED_VALUES) {
      const r = parse(`define x = ${v}\ntable ip t {\n}\n`);
      expect(r.diagnostics.filter((d) => d.severity === 'error'), v).toEqual([]);
      expect(r.ruleset.defines.map((d) => d.value)).toEqual([v]);
    }
  });

  // That Python's re (the playbook's `match` test) accepts and refuses the same
  // values is the fleet tier's (tests/fleet/bundle-syntax.test.ts, with python3).
});

describe('the YAML files', () => {
  it('quotes every value from the design or the options, so that YAML reads it as a string (yes, on, 010, 1.10, null)', () => {
    // PyYAML (Ansible's loader) reads the plain scalars yes/on/no as booleans, 010 as 8, 1.10 as 1.1, null as None
    for (const name of ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'True', '010', '0x10', '1.10', '1e3', 'null', 'Null', 'NaN', '0o7', '1_000', '0b1']) {
      expect(file(make('table ip t {\n}\n', { name }), `${ROLE}/defaults/main.yml`), name).toContain(`\nnft_design_name: '${name}'\n`);
    }
    expect(() => make('table ip t {\n}\n', { name: '~' })).toThrow(/the name "~" must be/);
    const names = ['on', 'yes', 'null', 'no', 'off', 'y', 'True', 'n'];
    const b = make(`${names.map((n, i) => `define ${n} = ${20 + i}\n`).join('')}table ip t {\n\tchain c {\n\t\ttcp dport $on accept\n\t}\n}\n`);
    expect(b.defines).toEqual(names);
    expect(file(b, `${ROLE}/vars/main.yml`)).toContain(`\nnft_design_defines: [${names.map((n) => `'${n}'`).join(', ')}]\n`);
    expect(file(b, `${ROLE}/defaults/main.yml`)).toContain("\nnft_define_on: !unsafe '20'\n");
  });

  // A lint for the mistakes a YAML parser would refuse or read differently in the
  // plain (unquoted) scalars the files use; the fleet tier loads them with
  // Ansible's own loader and runs --syntax-check.
  const b = make(DESIGN);
  const yml = b.files.filter((f) => f.path.endsWith('.yml'));

  it('a plain scalar holds no ": " or " #", and no line has a tab', () => {
    for (const f of yml) {
      let block = -1;
      for (const [i, line] of f.text.split('\n').entries()) {
        const indent = line.length - line.trimStart().length;
        if (block >= 0 && (line.trim() === '' || indent > block)) continue;
        block = -1;
        expect(line, `${f.path}:${i + 1}`).not.toContain('\t');
        const m = /^(\s*(?:- )?)([A-Za-z_][\w.]*): (.*)$/.exec(line);
        if (!m) continue;
        const v = m[3];
        if (/^[>|]/.test(v) || /^!unsafe [>|]/.test(v)) {
          block = m[1].length;
          continue;
        }
        if (/^["'[{]/.test(v) || v.startsWith('!unsafe ')) continue;
        expect(v, `${f.path}:${i + 1}`).not.toMatch(/: | #/);
      }
    }
  });
});
