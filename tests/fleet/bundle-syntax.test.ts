// The bundle as Ansible reads it, without hosts: `ansible-playbook --syntax-check`,
// every YAML file through Ansible's own loader (with its !unsafe tag), and the
// per-host value pattern in Python's re, as the role's `match` test applies it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as cli } from '../../src/cli/main.ts';
import { processIo } from '../../src/cli/io.ts';
import { DEFINE_VALUE_MAX, DEFINE_VALUE_PATTERN_PY } from '../../src/ansible/index.ts';
import { WAIT_LOADED_SH } from '../../src/ansible/playbook.ts';
import { ACCEPTED_VALUES, REFUSED_VALUES } from '../../src/ansible/values.cases.ts';
import { ansibleEnv, fleetSuitePrerequisites, run } from './fleet.ts';

const skip = fleetSuitePrerequisites('tests/fleet/bundle-syntax.test.ts', { root: false, tools: ['ansible-playbook'], files: ['/usr/bin/python3'] });

const DESIGN = `# {{ lookup('pipe','id') }}: text, not a template
define admin = 198.18.0.1
define web = { 80, 443 }
define iface = "eth*"
table inet fw {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iifname $iface ip saddr $admin tcp dport 22 accept
		tcp dport $web accept comment "{% raw %}"
	}
}
`;

/** Loads each file with Ansible's loader and prints it as JSON (unsafe strings as plain strings). */
const LOAD_PY = `
import json, sys
from ansible.parsing.yaml.loader import AnsibleLoader
out = {}
for path in sys.argv[1:]:
    with open(path) as f:
        out[path] = AnsibleLoader(f.read(), file_name=path).get_single_data()
print(json.dumps(out, default=str))
`;

/** Python's re.match with the pattern, as Ansible's `match` test runs it, plus the length check of the assert. */
const MATCH_PY = `
import json, re, sys
d = json.load(sys.stdin)
print(json.dumps([bool(len(v) <= d["max"] and re.match(d["pattern"], v)) for v in d["values"]]))
`;

describe.skipIf(skip)('the bundle as Ansible reads it', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nft-fleet-syntax-'));
    writeFileSync(join(dir, 'fw.nft'), DESIGN);
    out = join(dir, 'bundle');
    let err = '';
    const code = cli(['ansible', join(dir, 'fw.nft'), '--out', out, '--confirm', '45', '--serial', '2'], { ...processIo, stdout: () => {}, stderr: (s) => (err += s) });
    if (code !== 0) throw new Error(`nft-designer ansible exited ${code}: ${err}`);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('d: ansible-playbook --syntax-check site.yml passes', async () => {
    const r = await run(['ansible-playbook', '--syntax-check', '-i', 'inventory.example.ini', 'site.yml'], { cwd: out, env: ansibleEnv(join(dir, 'run')) });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('playbook: site.yml');
    expect(r.stderr).not.toMatch(/\[WARNING\]: (?!No inventory was parsed|provided hosts list is empty)/);
  });

  it('every YAML file loads with Ansible\'s loader and holds what the bundle meant', async () => {
    const files = ['site.yml', ...['defaults', 'vars'].map((d) => `roles/nft_designer/${d}/main.yml`), ...['check', 'apply', 'summary'].map((t) => `roles/nft_designer/tasks/${t}.yml`)];
    const r = await run(['/usr/bin/python3', '-c', LOAD_PY, ...files], { cwd: out, env: ansibleEnv(join(dir, 'run')) });
    expect(r.code, r.stderr).toBe(0);
    const y = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(y['roles/nft_designer/defaults/main.yml']).toMatchObject({
      nft_design_name: 'design',
      nft_confirm_seconds: 45,
      nft_define_admin: '198.18.0.1',
      nft_define_web: '{ 80, 443 }',
      nft_define_iface: '"eth*"',
    });
    expect(y['roles/nft_designer/vars/main.yml']).toEqual({
      nft_design_defines: ['admin', 'web', 'iface'],
      nft_value_pattern: DEFINE_VALUE_PATTERN_PY,
      nft_value_max: DEFINE_VALUE_MAX,
      nft_wait_loaded_sh: WAIT_LOADED_SH,
    });
    const site = y['site.yml'] as { hosts: string; serial?: string }[];
    expect(site.map((p) => p.hosts)).toEqual(Array(3).fill("{{ nft_hosts | default('all') }}"));
    expect(site[1].serial).toBe('{{ nft_serial | default(2) }}');
    for (const t of ['check', 'apply', 'summary']) expect(Array.isArray(y[`roles/nft_designer/tasks/${t}.yml`]), t).toBe(true);
    // ansible.cfg is INI that Python reads
    const cfg = await run(['/usr/bin/python3', '-c', 'import configparser,sys; c=configparser.ConfigParser(); c.read_string(open(sys.argv[1]).read()); print(c["defaults"]["timeout"], c["ssh_connection"]["pipelining"])', 'ansible.cfg'], { cwd: out });
    expect(cfg.stdout.trim()).toBe('10 True');
    expect(readFileSync(join(out, 'roles/nft_designer/files/design.nft'), 'utf8')).toBe(DESIGN.replace(/^define (admin|web|iface) = .*\n/gm, ''));
  });

  it('the per-host value pattern means the same to Python\'s re as to JavaScript', async () => {
    const values = [...ACCEPTED_VALUES, ...REFUSED_VALUES];
    const r = await run(['/usr/bin/python3', '-c', MATCH_PY], { input: JSON.stringify({ pattern: DEFINE_VALUE_PATTERN_PY, max: DEFINE_VALUE_MAX, values }) });
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as boolean[];
    expect(Object.fromEntries(values.map((v, i) => [JSON.stringify(v), got[i]]))).toEqual(Object.fromEntries(values.map((v, i) => [JSON.stringify(v), i < ACCEPTED_VALUES.length])));
  });
});
