import { describe, expect, it } from 'vitest';
import { emit } from '../emit/index.ts';
import { lint } from '../lint/index.ts';
import { parse } from '../parse/index.ts';
import { findNode } from '../model/find.ts';
import { emptyRuleset, type Ruleset } from '../model/types.ts';
import { TEMPLATES, findTemplate } from '../templates/catalog.ts';
import {
  WIZARD_DEFAULTS,
  buildSynproxySetup,
  parseNetwork,
  previewText,
  synproxyHostCommands,
  type SynproxyWizardOptions,
  type WizardFamily,
  type WizardMode,
  type WizardPlacement,
} from './index.ts';

const WIKI: SynproxyWizardOptions = {
  family: 'ip',
  ports: [8888],
  placement: 'input',
  tableName: 'anon_synproxy_demo',
  mss: 1460,
  wscale: 7,
  timestamp: true,
  sackPerm: true,
  mode: 'anonymous',
};

function opts(patch: Partial<SynproxyWizardOptions> = {}): SynproxyWizardOptions {
  return { ...WIZARD_DEFAULTS, ...patch };
}

function load(text: string): Ruleset {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset;
}

function text(rs: Ruleset): string {
  return emit(rs).text;
}

/** The lines of chain `name` in an emitted script, without its header line. */
function chainBody(script: string, name: string): string[] {
  const lines = script.split('\n');
  const start = lines.indexOf(`\tchain ${name} {`);
  expect(start, `chain ${name} in\n${script}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('\t}', start);
  return lines.slice(start + 1, end);
}

const PER_SOURCE_V4 = [
  { network: '192.168.1.0/24', objectName: 'https-synproxy', mss: 1460, wscale: 7, timestamp: true, sackPerm: true },
  { network: '192.168.2.0/24', objectName: 'other-synproxy', mss: 1460, wscale: 5, timestamp: false, sackPerm: false },
];
const PER_SOURCE_V6 = [
  { network: '2001:db8:1::/48', objectName: 'v6-a', mss: 1440, wscale: 7, timestamp: true, sackPerm: true },
  { network: '2001:db8:2::/48', objectName: 'v6-b', mss: 1440, wscale: 6, timestamp: true, sackPerm: true },
];

describe('buildSynproxySetup: the wiki example', () => {
  it('the wiki parameters emit the wiki anonymous template apart from table and chain names', () => {
    const r = buildSynproxySetup(emptyRuleset(), WIKI, '1.0.6');
    expect(r.problems).toEqual([]);
    const ours = text(r.ruleset).replace('chain synproxy_pre {', 'chain PRE {').replace('chain synproxy_in {', 'chain IN {');
    expect(TEMPLATES[0].id).toBe('synproxy-anonymous');
    expect(ours).toBe(text(load(TEMPLATES[0].text)));
    // and the template text is nft's own listing, so ours is too
    expect(ours).toBe(TEMPLATES[0].text);
  });

  it('adds a new table with the prerouting chain at raw and the input chain at filter; the synproxy chain is selected first', () => {
    const r = buildSynproxySetup(emptyRuleset(), WIKI);
    expect(r.tableIsNew).toBe(true);
    const t = r.ruleset.tables[0];
    expect(t.family).toBe('ip');
    expect(t.chains.map((c) => [c.name, c.base?.hook, c.base?.priority])).toEqual([
      ['synproxy_pre', 'prerouting', { kind: 'std', name: 'raw', offset: 0 }],
      ['synproxy_in', 'input', { kind: 'std', name: 'filter', offset: 0 }],
    ]);
    const first = findNode(r.ruleset, r.addedIds[0]);
    expect(first?.kind).toBe('chain');
    expect(first?.node).toBe(t.chains[1]);
    // every added id exists, and every node of the new table is listed
    for (const id of r.addedIds) expect(findNode(r.ruleset, id), id).toBeDefined();
    expect(r.addedIds).toContain(t.id);
    expect(r.addedIds).toHaveLength(1 + 2 + 2 + 1);
  });

  it('does not touch its input', () => {
    const base = load(TEMPLATES[2].text);
    const before = structuredClone(base);
    buildSynproxySetup(base, opts({ family: 'inet', tableName: 'workstation' }));
    expect(base).toEqual(before);
  });
});

describe('buildSynproxySetup: modes and families', () => {
  const families: WizardFamily[] = ['ip', 'ip6', 'inet'];
  const placements: WizardPlacement[] = ['input', 'forward'];

  for (const family of families) {
    for (const placement of placements) {
      const hookChain = placement === 'input' ? 'synproxy_in' : 'synproxy_fwd';

      it(`${family} ${placement} anonymous, several ports`, () => {
        const r = buildSynproxySetup(emptyRuleset(), opts({ family, placement, ports: [443, 80, 443], tableName: 't', mode: 'anonymous' }));
        expect(r.problems).toEqual([]);
        const s = text(r.ruleset);
        expect(s.startsWith(`table ${family} t {\n`)).toBe(true);
        expect(chainBody(s, 'synproxy_pre')).toEqual(['\t\ttype filter hook prerouting priority raw; policy accept;', '\t\ttcp dport { 80, 443 } tcp flags syn notrack']);
        expect(chainBody(s, hookChain)).toEqual([
          `\t\ttype filter hook ${placement} priority filter; policy accept;`,
          '\t\ttcp dport { 80, 443 } ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm',
          '\t\tct state invalid drop',
        ]);
      });

      it(`${family} ${placement} named object`, () => {
        const r = buildSynproxySetup(emptyRuleset(), opts({ family, placement, ports: [8443], tableName: 't', mode: 'named', objectName: 'web', mss: 1400, wscale: 9, sackPerm: false }));
        expect(r.problems).toEqual([]);
        const s = text(r.ruleset);
        expect(s).toContain('\tsynproxy web {\n\t\tmss 1400\n\t\twscale 9\n\t\ttimestamp \n\t}\n');
        expect(chainBody(s, hookChain).slice(1)).toEqual(['\t\ttcp dport 8443 ct state invalid,untracked synproxy name "web"', '\t\tct state invalid drop']);
      });

      it(`${family} ${placement} per-source map`, () => {
        const perSource = family === 'ip' ? PER_SOURCE_V4 : family === 'ip6' ? PER_SOURCE_V6 : [...PER_SOURCE_V6, ...PER_SOURCE_V4];
        const r = buildSynproxySetup(emptyRuleset(), opts({ family, placement, ports: [8888], tableName: 't', mode: 'per-source', objectName: 'default-synproxy', perSource }));
        expect(r.problems).toEqual([]);
        const s = text(r.ruleset);
        const t = r.ruleset.tables[0];
        expect(t.objects.map((o) => o.name)).toEqual(['default-synproxy', ...perSource.map((p) => p.objectName)]);
        const v4 = '\t\ttcp dport 8888 ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy", 192.168.2.0/24 : "other-synproxy" }';
        const v6 = '\t\ttcp dport 8888 ct state invalid,untracked synproxy name ip6 saddr map { 2001:db8:1::/48 : "v6-a", 2001:db8:2::/48 : "v6-b" }';
        const expected = [...(family !== 'ip6' ? [v4] : []), ...(family !== 'ip' ? [v6] : [])];
        expect(chainBody(s, hookChain).slice(1)).toEqual([...expected, '\t\ttcp dport 8888 ct state invalid,untracked synproxy name "default-synproxy"', '\t\tct state invalid drop']);
      });
    }
  }

  it('per-source without a default object: no fallback rule, and a note says who is left out', () => {
    const r = buildSynproxySetup(emptyRuleset(), opts({ family: 'ip', mode: 'per-source', perSource: PER_SOURCE_V4 }));
    expect(r.problems).toEqual([]);
    const body = chainBody(text(r.ruleset), 'synproxy_in');
    expect(body).toHaveLength(3);
    expect(body[1]).toContain('synproxy name ip saddr map');
    expect(r.notes.some((n) => n.startsWith('Sources outside the map get no synproxy'))).toBe(true);
  });

  it('per-source objects used by several rows are declared once; host bits and single addresses are written as nft lists them', () => {
    const row = { objectName: 'shared', mss: 1460, wscale: 7, timestamp: true, sackPerm: true };
    const r = buildSynproxySetup(
      emptyRuleset(),
      opts({ family: 'inet', mode: 'per-source', ports: [443], perSource: [{ network: ' 10.1.2.3/8 ', ...row }, { network: '192.0.2.7', ...row }, { network: '2001:DB8:0:0::1/128', ...row }] }),
    );
    expect(r.problems).toEqual([]);
    expect(r.ruleset.tables[0].objects.map((o) => o.name)).toEqual(['shared']);
    const body = chainBody(text(r.ruleset), 'synproxy_in');
    expect(body[1]).toContain('ip saddr map { 10.0.0.0/8 : "shared", 192.0.2.7 : "shared" }');
    expect(body[2]).toContain('ip6 saddr map { 2001:db8::1 : "shared" }');
    expect(r.notes.some((n) => n.includes('10.1.2.3/8 has host bits set'))).toBe(true);
  });

  it('each mode and family is lint-clean: no errors or warnings on the generated setup', () => {
    for (const family of ['ip', 'ip6', 'inet'] as WizardFamily[]) {
      for (const mode of ['anonymous', 'named', 'per-source'] as WizardMode[]) {
        for (const placement of ['input', 'forward'] as WizardPlacement[]) {
          const perSource = family === 'ip' ? PER_SOURCE_V4.map((p) => ({ ...p, timestamp: true })) : PER_SOURCE_V6;
          const r = buildSynproxySetup(emptyRuleset(), opts({ family, mode, placement, objectName: 'obj', perSource }));
          expect(r.problems).toEqual([]);
          const bad = lint(r.ruleset).filter((d) => d.severity !== 'info');
          expect(bad.map((d) => `${family} ${mode} ${placement}: ${d.id} ${d.message}`)).toEqual([]);
        }
      }
    }
  });
});

describe('buildSynproxySetup: merging into an existing design', () => {
  it('into the workstation template (inet, input policy drop): new chains, the synproxy chain before the existing input chain', () => {
    const base = load(findTemplate('workstation')?.text ?? '');
    const original = text(base);
    const r = buildSynproxySetup(base, opts({ family: 'inet', tableName: 'workstation', ports: [22] }));
    expect(r.problems).toEqual([]);
    expect(r.tableIsNew).toBe(false);
    expect(r.ruleset.tables).toHaveLength(1);
    const t = r.ruleset.tables[0];
    // the existing chains are the very same objects, in the same order, first
    expect(t.chains.slice(0, 3)).toEqual(base.tables[0].chains);
    for (let i = 0; i < 3; i++) expect(t.chains[i]).toBe(base.tables[0].chains[i]);
    const s = text(r.ruleset);
    // the original table text is still there, with the new chains appended before its closing brace
    expect(s.startsWith(original.slice(0, original.lastIndexOf('}')))).toBe(true);
    expect(chainBody(s, 'synproxy_in')[0]).toBe('\t\ttype filter hook input priority filter - 1; policy accept;');
    expect(r.addedIds).not.toContain(t.id);
    expect(r.notes.some((n) => n.includes('input (table inet workstation, priority 0)'))).toBe(true);
    expect(r.notes.some((n) => n.startsWith('Added to the existing table inet workstation'))).toBe(true);
  });

  it('chains in other tables of an overlapping family count; other families do not', () => {
    const base = load(findTemplate('workstation')?.text ?? ''); // inet, input at filter
    expect(chainBody(text(buildSynproxySetup(base, opts({ family: 'ip', tableName: 'new4' })).ruleset), 'synproxy_in')[0]).toContain('priority filter - 1;');
    const only6 = load('table ip6 f {\n\tchain input {\n\t\ttype filter hook input priority mangle; policy drop;\n\t}\n}\n');
    expect(chainBody(text(buildSynproxySetup(only6, opts({ family: 'ip', tableName: 'new4' })).ruleset), 'synproxy_in')[0]).toContain('priority filter;');
    const r6 = buildSynproxySetup(only6, opts({ family: 'ip6', tableName: 'f' }));
    expect(chainBody(text(r6.ruleset), 'synproxy_in')[0]).toContain('priority mangle - 1;');
    // forward chains do not move an input chain; chains before conntrack or after filter do not count
    const other = load(
      'table ip x {\n\tchain f {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}\n\n\tchain early {\n\t\ttype filter hook input priority -250; policy accept;\n\t}\n\n\tchain late {\n\t\ttype filter hook input priority security; policy drop;\n\t}\n}\n',
    );
    expect(chainBody(text(buildSynproxySetup(other, opts({ family: 'ip', tableName: 'x' })).ruleset), 'synproxy_in')[0]).toContain('priority filter;');
    expect(chainBody(text(buildSynproxySetup(other, opts({ family: 'ip', tableName: 'x', placement: 'forward' })).ruleset), 'synproxy_fwd')[0]).toContain('priority filter - 1;');
  });

  it('never goes down to conntrack: a chain just after it gives -199', () => {
    const base = load('table ip x {\n\tchain i {\n\t\ttype filter hook input priority -199; policy accept;\n\t}\n}\n');
    const r = buildSynproxySetup(base, opts({ family: 'ip', tableName: 'x' }));
    expect(chainBody(text(r.ruleset), 'synproxy_in')[0]).toContain('priority -199;');
  });

  it('running the wizard twice on the same table: unique chain names, identical objects reused', () => {
    const o = opts({ family: 'ip', tableName: 'syn', mode: 'named', objectName: 'web' });
    const first = buildSynproxySetup(emptyRuleset(), o);
    const second = buildSynproxySetup(first.ruleset, { ...o, ports: [8443] });
    expect(second.problems).toEqual([]);
    const t = second.ruleset.tables[0];
    expect(t.chains.map((c) => c.name)).toEqual(['synproxy_pre', 'synproxy_in', 'synproxy_pre_2', 'synproxy_in_2']);
    expect(t.objects.map((x) => x.name)).toEqual(['web']);
    expect(second.notes.some((n) => n.includes('Reusing the existing synproxy object "web"'))).toBe(true);
    expect(chainBody(text(second.ruleset), 'synproxy_in_2')[1]).toBe('\t\ttcp dport 8443 ct state invalid,untracked synproxy name "web"');
    // the same name with other settings is a problem
    const third = buildSynproxySetup(second.ruleset, { ...o, wscale: 5 });
    expect(third.problems).toEqual([{ field: 'objectName', message: expect.stringContaining('already has a synproxy object "web" with other settings') }]);
    expect(third.ruleset).toBe(second.ruleset);
  });

  it('into the wiki named template (table ip foo): reuses https-synproxy, refuses a different other-synproxy', () => {
    const base = load(TEMPLATES[1].text);
    const r = buildSynproxySetup(base, opts({ family: 'ip', tableName: 'foo', placement: 'forward', mode: 'per-source', perSource: PER_SOURCE_V4 }));
    expect(r.problems).toEqual([]);
    expect(r.ruleset.tables[0].objects).toEqual(base.tables[0].objects);
    // the existing forward chain `bar` at filter makes ours run first
    expect(chainBody(text(r.ruleset), 'synproxy_fwd')[0]).toContain('priority filter - 1;');
    const clash = buildSynproxySetup(base, opts({ family: 'ip', tableName: 'foo', mode: 'per-source', perSource: [{ ...PER_SOURCE_V4[1], wscale: 9 }] }));
    expect(clash.problems.map((p) => p.field)).toEqual(['perSource.0.objectName']);
  });

  it('a table of the same name in another family is a different table: a new one is created', () => {
    const base = load(TEMPLATES[0].text); // table ip anon_synproxy_demo
    const r = buildSynproxySetup(base, { ...WIKI, family: 'inet' });
    expect(r.tableIsNew).toBe(true);
    expect(r.ruleset.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['ip anon_synproxy_demo', 'inet anon_synproxy_demo']);
  });

  it('the preview shows only what is added', () => {
    const base = load(findTemplate('workstation')?.text ?? '');
    const r = buildSynproxySetup(base, opts({ family: 'inet', tableName: 'workstation', mode: 'named', objectName: 'ws' }));
    const p = previewText(r) ?? '';
    expect(p.startsWith('table inet workstation {\n\tsynproxy ws {')).toBe(true);
    expect(p).toContain('chain synproxy_pre {');
    expect(p).toContain('chain synproxy_in {');
    expect(p).not.toContain('chain input {');
    expect(previewText(buildSynproxySetup(base, opts({ ports: [] })))).toBeUndefined();
  });
});

describe('buildSynproxySetup: validation', () => {
  const fields = (o: Partial<SynproxyWizardOptions>, v?: string) => buildSynproxySetup(emptyRuleset(), opts(o), v).problems.map((p) => p.field);

  it('ports', () => {
    expect(fields({ ports: [] })).toEqual(['ports']);
    expect(fields({ ports: [0] })).toEqual(['ports']);
    expect(fields({ ports: [65536, 80] })).toEqual(['ports']);
    expect(fields({ ports: [80.5] })).toEqual(['ports']);
    expect(fields({ ports: [1, 65535] })).toEqual([]);
  });

  it('mss and wscale ranges', () => {
    expect(fields({ mss: 0 })).toEqual(['mss']);
    expect(fields({ mss: 65536 })).toEqual(['mss']);
    expect(fields({ mss: Number.NaN })).toEqual(['mss']);
    expect(fields({ mss: 1 })).toEqual([]);
    expect(fields({ mss: 65535 })).toEqual([]);
    expect(fields({ wscale: -1 })).toEqual(['wscale']);
    expect(fields({ wscale: 15 })).toEqual(['wscale']);
    expect(fields({ wscale: 0 })).toEqual([]);
    expect(fields({ wscale: 14 })).toEqual([]);
    const r = buildSynproxySetup(emptyRuleset(), opts({ mss: 70000 }));
    expect(r.problems[0].message).toMatch(/from 1 to 65535/);
    expect(r.ruleset.tables).toEqual([]);
    expect(r.addedIds).toEqual([]);
  });

  it('names use the nft identifier grammar', () => {
    expect(fields({ tableName: '' })).toEqual(['tableName']);
    expect(fields({ tableName: 'my table' })).toEqual(['tableName']);
    expect(fields({ tableName: 'synproxy' })).toEqual(['tableName']); // a keyword
    expect(fields({ tableName: '1abc' })).toEqual(['tableName']);
    expect(fields({ mode: 'named' })).toEqual(['objectName']);
    expect(fields({ mode: 'named', objectName: 'a"b' })).toEqual(['objectName']);
    expect(fields({ mode: 'per-source', perSource: [{ ...PER_SOURCE_V4[0], objectName: '' }] })).toEqual(['perSource.0.objectName']);
  });

  it('networks: syntax, family, overlaps; per-source needs rows', () => {
    const row = (network: string, objectName = 'a') => ({ ...PER_SOURCE_V4[0], network, objectName });
    expect(fields({ mode: 'per-source', perSource: [] })).toEqual(['perSource']);
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [row('300.1.1.0/24')] })).toEqual(['perSource.0.network']);
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [row('10.0.0.0/33')] })).toEqual(['perSource.0.network']);
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [row('2001:db8::/32')] })).toEqual(['perSource.0.network']);
    expect(fields({ family: 'ip6', mode: 'per-source', perSource: [row('10.0.0.0/8')] })).toEqual(['perSource.0.network']);
    expect(fields({ family: 'inet', mode: 'per-source', perSource: [row('10.0.0.0/8'), row('2001:db8::/32')] })).toEqual([]);
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [row('10.0.0.0/8'), row('10.1.0.0/16', 'b')] })).toEqual(['perSource.1.network']);
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [row('10.0.0.0/8'), row('10.0.0.0/8')] })).toEqual(['perSource.1.network']);
  });

  it('one object name with two different settings is a problem; with the same settings it is shared', () => {
    const a = { ...PER_SOURCE_V4[0], network: '10.0.0.0/8', objectName: 'x' };
    const b = { ...a, network: '172.16.0.0/12' };
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [a, b] })).toEqual([]);
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [a, { ...b, wscale: 3 }] })).toEqual(['perSource.1.objectName']);
    expect(fields({ family: 'ip', mode: 'per-source', objectName: 'x', wscale: 2, perSource: [a] })).toEqual(['perSource.0.objectName']);
  });

  it('per-source rows check their own mss and wscale', () => {
    expect(fields({ family: 'ip', mode: 'per-source', perSource: [{ ...PER_SOURCE_V4[0], mss: 0, wscale: 20 }] })).toEqual(['perSource.0.mss', 'perSource.0.wscale']);
  });

  it('target versions: the statement needs 0.9.2, named objects 0.9.3', () => {
    expect(fields({}, '0.9.1')).toEqual(['mode']);
    expect(fields({}, '0.9.2')).toEqual([]);
    expect(fields({ mode: 'named', objectName: 'o' }, '0.9.2')).toEqual(['mode']);
    expect(fields({ mode: 'named', objectName: 'o' }, '0.9.3')).toEqual([]);
    expect(fields({ mode: 'per-source', perSource: PER_SOURCE_V4, family: 'ip' }, '0.9.2')).toEqual(['mode']);
    expect(buildSynproxySetup(emptyRuleset(), opts(), '0.9.0').problems[0].message).toBe('the synproxy statement needs nftables 0.9.2 or later; the target is 0.9.0');
    expect(fields({}, 'not-a-version')).toEqual([]);
  });
});

describe('notes and host commands', () => {
  it('explain notrack, ct state, mss/wscale with tcpdump, timestamp and versions', () => {
    const r = buildSynproxySetup(emptyRuleset(), WIKI);
    const all = r.notes.join('\n');
    expect(all).toContain('priority raw');
    expect(all).toContain('ct state invalid drop');
    expect(all).toContain("tcpdump -nni eth0 'tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack) and src port 8888'");
    expect(all).toContain('timestamp');
    expect(all).toContain('0.9.2');
    expect(buildSynproxySetup(emptyRuleset(), opts({ mode: 'named', objectName: 'o' })).notes.join('\n')).toContain('0.9.3');
    expect(buildSynproxySetup(emptyRuleset(), opts({ timestamp: false })).notes.some((n) => n.startsWith('Without timestamp'))).toBe(true);
    expect(buildSynproxySetup(emptyRuleset(), opts({ mss: 200 })).notes.some((n) => n.includes('mss 200 is unusual'))).toBe(true);
  });

  it('host commands: the three sysctls, conntrack sizing in the initial namespace, a sysctl.d snippet', () => {
    const h = synproxyHostCommands();
    expect(buildSynproxySetup(emptyRuleset(), WIKI).hostCommands).toBe(h);
    for (const l of ['sysctl -w net.netfilter.nf_conntrack_tcp_loose=0', 'sysctl -w net.ipv4.tcp_syncookies=1', 'sysctl -w net.ipv4.tcp_timestamps=1']) expect(h).toContain(`\n${l}\n`);
    expect(h).toMatch(/sysctl -w net\.netfilter\.nf_conntrack_max=\d+/);
    expect(h).toContain('/sys/module/nf_conntrack/parameters/hashsize');
    expect(h).toMatch(/initial network namespace/);
    expect(h).toContain("cat > /etc/sysctl.d/90-nft-synproxy.conf <<'EOF'\nnet.netfilter.nf_conntrack_tcp_loose = 0\n");
    // the heredoc is closed
    expect(h.split('\n').filter((l) => l === 'EOF')).toHaveLength(1);
  });
});

describe('parseNetwork', () => {
  it('canonical networks', () => {
    const n = (s: string) => {
      const r = parseNetwork(s);
      return r.ok ? r.network.text : `error: ${r.message}`;
    };
    expect(n('192.168.1.0/24')).toBe('192.168.1.0/24');
    expect(n('192.168.1.77/24')).toBe('192.168.1.0/24');
    expect(n('10.0.0.1')).toBe('10.0.0.1');
    expect(n('10.0.0.1/32')).toBe('10.0.0.1');
    expect(n('0.0.0.0/0')).toBe('0.0.0.0/0');
    expect(n('2001:0DB8:0000::/32')).toBe('2001:db8::/32');
    expect(n('2001:db8::1/64')).toBe('2001:db8::/64');
    expect(n('fe80::1')).toBe('fe80::1');
    expect(n('')).toMatch(/^error: the network is empty/);
    expect(n('10.0.0/8')).toMatch(/^error: "10.0.0" is not an IPv4 or IPv6 address/);
    expect(n('10.0.0.0/x')).toMatch(/^error: the prefix length/);
    expect(n('::/129')).toMatch(/from 0 to 128/);
  });
});
