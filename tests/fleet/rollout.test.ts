// The Ansible bundle (`nft-designer ansible`) rolled out by ansible-playbook to three
// hosts, each a network namespace with its own sshd (fleet.ts). What is checked is
// what the hosts' kernels hold afterwards (nft list ruleset in each namespace), the
// agents' own audit logs, the report JSON and the playbook's exit status.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as cli } from '../../src/cli/main.ts';
import { processIo } from '../../src/cli/io.ts';
import { Fleet, type FleetHost, type Run, fleetSuitePrerequisites } from './fleet.ts';

const skip = fleetSuitePrerequisites('tests/fleet/rollout.test.ts');

/** What each host runs before a rollout: a table of its own that a flush would remove. */
const before = (h: FleetHost): string => `table inet before {
	chain input {
		type filter hook input priority filter; policy accept;
		comment "before on ${h.name}"
	}
}
`;

/** Writes the design to the fleet's dir and the bundle the CLI makes of it; returns the bundle's dir. */
function bundle(fleet: Fleet, name: string, design: string, options: string[]): string {
  const file = join(fleet.dir, `${name}.nft`);
  writeFileSync(file, design);
  const out = join(fleet.dir, `bundle-${name}`);
  let err = '';
  const code = cli(['ansible', file, '--out', out, ...options], { ...processIo, stdout: () => {}, stderr: (s) => (err += s) });
  if (code !== 0) throw new Error(`nft-designer ansible ${file} exited ${code}: ${err}`);
  return out;
}

interface Outcome {
  result: string;
  message: string;
}

function report(runDir: string): Record<string, Outcome> {
  return JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Record<string, Outcome>;
}

/** The playbook's output, for a failing expectation's message. */
function transcript(r: Run): string {
  return `exit ${r.code} after ${r.ms} ms\n${r.stdout.slice(-12000)}\n${r.stderr.slice(-4000)}`;
}

function audit(runDir: string, h: FleetHost): string {
  try {
    return readFileSync(join(runDir, h.name, 'state', 'audit.log'), 'utf8');
  } catch {
    return '';
  }
}

/**
 * Case b's design: SSH only from $ssh_from (the controller by default); a host whose
 * value names another address keeps its old connection (established) and lets no
 * new one in.
 */
const LOCKOUT_DESIGN = `define ssh_from = 198.18.0.1
flush ruleset
table inet fleet {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iifname "lo" accept
		ip saddr $ssh_from tcp dport 22 accept
	}
}
`;

// Each test builds its own bundle, inventory and run directory (the hosts' agent
// state, scripts and audit logs live below it) and starts from reset(): any one
// of them runs alone (-t) or in any order.
describe.skipIf(skip)('ansible rollout to a fleet of three hosts', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = new Fleet(3);
    await fleet.start();
  });
  afterAll(() => {
    fleet?.cleanup();
  });

  /** Every host back to its own `before` ruleset; returns the listings. */
  function reset(): Map<string, string> {
    const m = new Map<string, string>();
    for (const h of fleet.hosts) {
      fleet.load(h, before(h));
      m.set(h.name, fleet.listing(h));
    }
    return m;
  }

  it('a: a good design reaches every host with its own define values, in batches of 2, and each is confirmed', async () => {
    // the comment is hostile to Jinja: it must reach the kernel as written
    const design = `# fleet case a: {{ lookup('pipe','id') }} is text, never a template
define self = 198.18.0.99
define web_ports = { 80, 443 }
table inet fleet
delete table inet fleet
table inet fleet {
	chain input {
		type filter hook input priority filter; policy accept;
		ip daddr $self tcp dport $web_ports accept comment "{{ lookup('pipe','id') }} {% raw %}"
		ip daddr $self tcp dport 22 accept
	}
}
`;
    const dir = bundle(fleet, 'a', design, ['--confirm', '10', '--serial', '2']);
    const runDir = join(fleet.dir, 'run-a');
    const inv = fleet.inventory(runDir, {
      h1: { nft_define_self: fleet.hosts[0].address },
      h2: { nft_define_self: fleet.hosts[1].address },
      h3: { nft_define_self: fleet.hosts[2].address, nft_define_web_ports: '{ 8080, 8443 }' },
    });
    const listingsBefore = reset();
    const r = await fleet.playbook(dir, runDir, ['-i', inv, 'site.yml', '-e', `nft_report_file=${join(runDir, 'report.json')}`]);
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain('h1: applied (confirmed over a new SSH connection)');
    expect(r.stdout).toMatch(/PLAY \[nft-designer design: apply in batches[^\n]*\n[\s\S]*?\[h1\][\s\S]*?\[h2\][\s\S]*?PLAY \[nft-designer design: apply in batches[^\n]*\n[\s\S]*?\[h3\]/);
    const rep = report(runDir);
    for (const h of fleet.hosts) {
      expect(rep[h.name], transcript(r)).toEqual({ result: 'applied', message: 'applied (confirmed over a new SSH connection)' });
      const live = fleet.listing(h);
      const ports = h.name === 'h3' ? '{ 8080, 8443 }' : '{ 80, 443 }';
      expect(live).toContain(`\t\tip daddr ${h.address} tcp dport ${ports} accept comment "{{ lookup('pipe','id') }} {% raw %}"\n`);
      expect(live).toContain(`\t\tip daddr ${h.address} tcp dport 22 accept\n`);
      // the replace preamble left the host's other table as it was
      expect(live.startsWith(listingsBefore.get(h.name) ?? '?')).toBe(true);
      // the script on the host: this host's defines, then the design as written
      const script = readFileSync(join(runDir, h.name, 'scripts', 'design.nft'), 'utf8');
      expect(script).toContain(`define self = ${h.address}\ndefine web_ports = ${ports}\n`);
      expect(script.endsWith(design.replace('define self = 198.18.0.99\ndefine web_ports = { 80, 443 }\n', ''))).toBe(true);
      expect(audit(runDir, h)).toMatch(/outcome=confirmed\tby=confirm-command/);
    }
  });

  it('b: a host whose new ruleset drops new SSH connections rolls itself back; the hosts after it are not touched', async () => {
    const dir = bundle(fleet, 'b', LOCKOUT_DESIGN, ['--confirm', '10', '--serial', '1']);
    const runDir = join(fleet.dir, 'run-b');
    // h2 lets in SSH from an address that is not the controller's: its old SSH
    // connection lives on (established), a new one cannot get in
    const inv = fleet.inventory(runDir, { h2: { nft_define_ssh_from: '198.18.0.250' } });
    const listingsBefore = reset();
    // a new connection to h2 is given up after 5 s, well before its 10 s timer restores the old ruleset
    const r = await fleet.playbook(dir, runDir, ['-i', inv, 'site.yml', '-e', `nft_report_file=${join(runDir, 'report.json')}`], { env: { ANSIBLE_TIMEOUT: '5' } });
    expect(r.code, transcript(r)).not.toBe(0);
    const [h1, h2, h3] = fleet.hosts;
    const rep = report(runDir);
    expect(rep.h1, transcript(r)).toEqual({ result: 'applied', message: 'applied (confirmed over a new SSH connection)' });
    expect(rep.h2.result, transcript(r)).toBe('rolled back');
    expect(rep.h2.message).toMatch(/^rolled back: not confirmed within 10 s/);
    expect(rep.h3).toEqual({ result: 'not applied', message: 'not applied: the rollout stopped before this host' });
    expect(r.stdout).toContain('h2: rolled back: not confirmed within 10 s');
    expect(r.stdout).toContain('h3: not applied: the rollout stopped before this host');

    expect(fleet.listing(h1)).toContain('\t\tip saddr 198.18.0.1 tcp dport 22 accept\n');
    expect(fleet.listing(h2)).toBe(listingsBefore.get('h2'));
    expect(fleet.listing(h3)).toBe(listingsBefore.get('h3'));
    // h2 was rolled back by its own timer; h3's agent never applied anything
    expect(audit(runDir, h2)).toMatch(/outcome=rolled-back\tby=timer/);
    expect(audit(runDir, h2)).not.toMatch(/outcome=confirmed/);
    expect(audit(runDir, h3)).not.toMatch(/cmd=apply/);
  });

  it('c: a host whose check fails stops the rollout before anything is applied anywhere', async () => {
    const design = `define ssh_from = 198.18.0.1
define ssh_port = 22
flush ruleset
table inet fleet {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip saddr $ssh_from tcp dport $ssh_port accept
	}
}
`;
    const dir = bundle(fleet, 'c', design, ['--confirm', '10']);
    const runDir = join(fleet.dir, 'run-c');
    // h2: a value of the pattern that nft refuses (nft-agent check fails);
    // h3: a value the pattern refuses (it would end the define and flush the ruleset)
    const inv = fleet.inventory(runDir, { h2: { nft_define_ssh_port: 70000 }, h3: { nft_define_ssh_port: '22; flush ruleset' } });
    const listingsBefore = reset();
    const r = await fleet.playbook(dir, runDir, ['-i', inv, 'site.yml', '-e', `nft_report_file=${join(runDir, 'report.json')}`]);
    expect(r.code, transcript(r)).not.toBe(0);
    for (const h of fleet.hosts) {
      expect(fleet.listing(h), h.name).toBe(listingsBefore.get(h.name));
      expect(audit(runDir, h)).not.toMatch(/cmd=apply/);
    }
    const rep = report(runDir);
    expect(rep.h1, transcript(r)).toEqual({ result: 'not applied', message: 'not applied: another host was refused, so nothing was applied anywhere' });
    expect(rep.h2.result).toBe('refused');
    expect(rep.h2.message).toMatch(/^refused: nft-agent check failed .*\(exit 7\): .*Error: Service out of range/);
    expect(rep.h3.result).toBe('refused');
    expect(rep.h3.message).toMatch(/^refused: nft_define_ssh_port is not a single nft value/);
    // the refused value never reached a file on h3
    expect(() => readFileSync(join(runDir, 'h3', 'scripts', 'design.nft'), 'utf8')).toThrow();
    // the apply play stopped before its first task on any host
    expect(r.stdout).not.toMatch(/TASK \[nft_designer : Start nft-agent apply/);
  });

  it('b without reset_connection: the confirmation rides the old connection (what case b catches)', async () => {
    // The mutant bundle: case b's, less the task that drops the SSH connection before
    // the confirmation. ControlPersist then carries "nft-agent confirm" over the
    // connection that was open before the apply, which the new ruleset lets through
    // as established: h2 confirms a ruleset that locks out every new SSH connection.
    const dir = bundle(fleet, 'b-mutant', LOCKOUT_DESIGN, ['--confirm', '10', '--serial', '1']);
    const apply = join(dir, 'roles/nft_designer/tasks/apply.yml');
    const text = readFileSync(apply, 'utf8');
    const mutant = text.replace(/\n {4}- name: Drop the SSH connection, so that the confirmation needs a new one\n {6}ansible\.builtin\.meta: reset_connection\n/, '\n');
    expect(mutant).not.toBe(text);
    writeFileSync(apply, mutant);
    const runDir = join(fleet.dir, 'run-b-mutant');
    const inv = fleet.inventory(runDir, { h2: { nft_define_ssh_from: '198.18.0.250' } });
    reset();
    const r = await fleet.playbook(dir, runDir, ['-i', inv, 'site.yml', '--limit', 'h2', '-e', `nft_report_file=${join(runDir, 'report.json')}`], { env: { ANSIBLE_TIMEOUT: '5' } });
    expect(r.code, transcript(r)).toBe(0);
    expect(report(runDir).h2.result).toBe('applied');
    const h2 = fleet.hosts[1];
    expect(fleet.listing(h2)).toContain('\t\tip saddr 198.18.0.250 tcp dport 22 accept\n');
    // and no new connection gets in: the lockout case b is there to catch
    const probe = await fleet.ssh(h2, ['true']);
    expect(probe.code).not.toBe(0);
    fleet.load(h2, before(h2));
  });
});
