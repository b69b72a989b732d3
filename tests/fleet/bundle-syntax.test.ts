// The bundle as Ansible reads it, without hosts: `ansible-playbook --syntax-check`,
// every YAML file through Ansible's own loader (with its !unsafe tag), and the
// per-host value pattern in Python's re, as the role's `match` test applies it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as cli } from '../../src/cli/main.ts';
import { processIo } from '../../src/cli/io.ts';
import { DEFINE_VALUE_MAX, DEFINE_VALUE_PATTERN_PY, ansibleBundle } from '../../src/ansible/index.ts';
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

/** Each INI inventory through Ansible's own inventory parser: fw1.example.net's nft_define_v, with its Python type, or null. */
const INVENTORY_PY = `
import json, sys
from ansible.parsing.dataloader import DataLoader
from ansible.inventory.manager import InventoryManager
out = {}
for path in sys.argv[1:]:
    inv = InventoryManager(loader=DataLoader(), sources=[path])
    v = inv.get_host('fw1.example.net').get_vars().get('nft_define_v')
    out[path] = None if v is None else {"type": type(v).__name__, "value": v if isinstance(v, (str, int)) and not isinstance(v, bool) else repr(v)}
print(json.dumps(out))
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

  it('every value from the design or the options comes back from Ansible\'s loader as the string it was (names yes, on, 010, 1.10, null)', async () => {
    const names = ['yes', 'no', 'on', 'off', 'true', 'y', '010', '0x10', '1.10', '1e3', 'null', 'NaN'];
    const defineNames = ['on', 'yes', 'null', 'no', 'off', 'y', 'True', 'n'];
    const design = `${defineNames.map((n, i) => `define ${n} = ${20 + i}\n`).join('')}table ip t {\n\tchain c {\n\t\ttcp dport $on accept\n\t}\n}\n`;
    const files: string[] = [];
    for (const name of names) {
      const b = ansibleBundle({ script: design, agentText: '#!/bin/sh\n', name });
      for (const f of ['defaults', 'vars']) {
        const path = join(dir, `${f}-${name}.yml`);
        writeFileSync(path, b.files.find((x) => x.path === `roles/nft_designer/${f}/main.yml`)?.text ?? '');
        files.push(path);
      }
    }
    const r = await run(['/usr/bin/python3', '-c', LOAD_PY, ...files], { env: ansibleEnv(join(dir, 'run')) });
    expect(r.code, r.stderr).toBe(0);
    const y = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    for (const name of names) {
      expect(y[join(dir, `defaults-${name}.yml`)].nft_design_name, name).toBe(name);
      expect(y[join(dir, `defaults-${name}.yml`)].nft_define_on, name).toBe('20');
      expect(y[join(dir, `vars-${name}.yml`)].nft_design_defines, name).toEqual(defineNames);
    }
  });

  it('the example inventory (INI) gives back each value it shows on a host line as written (not 1.10 as 1.1)', async () => {
    const values = ['198.18.0.1', '198.18.0.0/15', '2001:db8::1', '22', '-1', '1024-65535', 'ssh', '00:11:22:33:44:55', '1.10', '1.5', '.5', '1e3', '0x10', '0o17', '0b1', '010', '1_000', '2j', 'True', 'None', '"eth0"', '{ 80, 443 }'];
    const texts = values.map((v, i) => {
      const b = ansibleBundle({ script: `define v = ${v}\ntable ip t {\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n`, agentText: '#!/bin/sh\n' });
      expect(b.defines, v).toEqual(['v']);
      const text = b.files.find((x) => x.path === 'inventory.example.ini')?.text ?? '';
      writeFileSync(join(dir, `inventory-${i}.ini`), text);
      return text;
    });
    const r = await run(['/usr/bin/python3', '-c', INVENTORY_PY, ...values.map((_, i) => join(dir, `inventory-${i}.ini`))], { env: ansibleEnv(join(dir, 'run')) });
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, { type: string; value: unknown } | null>;
    let shown = 0;
    for (const [i, v] of values.entries()) {
      const g = got[join(dir, `inventory-${i}.ini`)];
      if (g === null) {
        // not on a host line: shown as the YAML line instead
        expect(texts[i], v).toContain(`# nft_define_v=... (in YAML, group_vars/ or host_vars/: '${v}')`);
        continue;
      }
      shown++;
      // a string, or an int that the role's `{{ nft_define_v | string }}` prints as written
      expect([g.type, String(g.value)], v).toEqual([g.type === 'int' ? 'int' : 'str', v]);
    }
    expect(shown).toBeGreaterThanOrEqual(8);
  });

  it('the per-host value pattern means the same to Python\'s re as to JavaScript', async () => {
    const values = [...ACCEPTED_VALUES, ...REFUSED_VALUES];
    const r = await run(['/usr/bin/python3', '-c', MATCH_PY], { input: JSON.stringify({ pattern: DEFINE_VALUE_PATTERN_PY, max: DEFINE_VALUE_MAX, values }) });
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as boolean[];
    expect(Object.fromEntries(values.map((v, i) => [JSON.stringify(v), got[i]]))).toEqual(Object.fromEntries(values.map((v, i) => [JSON.stringify(v), i < ACCEPTED_VALUES.length])));
  });
});
