import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { FOREIGN, elementExpires, foreignEntry, foreignName, recogniseForeign, runtimeSetReason, splitJsonTables, splitTables } from './foreign.ts';

const DIR = join(import.meta.dirname, 'fixtures/foreign');
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');

/** fixture → table → owner (undefined: the user's own) */
const EXPECTED: Record<string, Record<string, string | undefined>> = {
  'docker-iptables-nft.nft': { 'ip filter': 'docker', 'ip nat': 'docker' },
  'docker-iptables-nft-xt.nft': { 'ip filter': 'docker', 'ip nat': 'docker' },
  'docker-iptables-nft.json': { 'ip filter': 'docker', 'ip nat': 'docker' },
  'docker-nftables.nft': { 'ip docker-bridges': 'docker' },
  'libvirt-nftables.nft': { 'ip libvirt_network': 'libvirt', 'ip6 libvirt_network': 'libvirt' },
  'fail2ban.nft': { 'inet f2b-table': 'fail2ban' },
  'firewalld.nft': { 'inet firewalld': 'firewalld' },
  'crowdsec.nft': { 'ip crowdsec': 'crowdsec', 'ip6 crowdsec6': 'crowdsec' },
  'tailscale.nft': { 'ip filter': 'tailscale', 'ip nat': 'tailscale' },
  'kube-proxy-nftables.nft': { 'ip kube-proxy': 'kube-proxy' },
  'kube-proxy-iptables.nft': { 'ip filter': 'kube-proxy', 'ip nat': 'kube-proxy' },
  'kube-proxy-iptables-xt.nft': { 'ip nat': 'kube-proxy' },
  'kube-proxy-iptables.json': { 'ip filter': 'kube-proxy', 'ip nat': 'kube-proxy' },
  'incus.nft': { 'inet incus': 'incus' },
  'host-own-docker-fail2ban.nft': { 'inet filter': undefined, 'ip filter': 'docker', 'ip nat': 'docker', 'inet f2b-table': 'fail2ban' },
};

function tablesOf(name: string): { key: string; owner: string | undefined; because: string[] }[] {
  const text = fixture(name);
  const shapes = name.endsWith('.json') ? splitJsonTables(JSON.parse(text)).map((g) => g.shape) : splitTables(text).tables.map((b) => b.shape);
  return shapes.map((s) => {
    const r = recogniseForeign(s);
    return { key: `${s.family} ${s.name}`, owner: r?.owner, because: r?.because ?? [] };
  });
}

describe('the knowledge table of foreign software', () => {
  it('has unique ids, a name, what it manages and at least one upstream source each', () => {
    const ids = FOREIGN.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of FOREIGN) {
      expect(f.name.length, f.id).toBeGreaterThan(1);
      expect(f.manages.length, f.id).toBeGreaterThan(20);
      expect(f.sources.length, f.id).toBeGreaterThan(0);
      for (const s of f.sources) {
        expect(s.url, f.id).toMatch(/^https:\/\//);
        expect(s.what.length, f.id).toBeGreaterThan(10);
      }
      expect(f.tables.length + f.chains.length + f.sets.length, f.id).toBeGreaterThan(0);
    }
    expect(ids).toEqual(expect.arrayContaining(['docker', 'libvirt', 'fail2ban', 'firewalld', 'crowdsec', 'tailscale', 'kube-proxy', 'incus', 'lxd', 'iptables-nft']));
    expect(foreignEntry('docker')?.name).toBe('Docker');
    expect(foreignName('unknown')).toBe('unknown software');
  });

  it('covers every fixture', () => {
    const files = readdirSync(DIR).filter((f) => /\.(nft|json)$/.test(f));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    it(`recognises the tables of ${file}`, () => {
      const got = tablesOf(file);
      expect(Object.fromEntries(got.map((t) => [t.key, t.owner]))).toEqual(want);
      for (const t of got) if (t.owner) expect(t.because.length, t.key).toBeGreaterThan(0);
    });
  }

  it('says what matched, on names and on contents', () => {
    const byKey = (file: string, key: string): string[] => tablesOf(file).find((t) => t.key === key)?.because ?? [];
    expect(byKey('docker-iptables-nft-xt.nft', 'ip nat')).toEqual(['chain DOCKER', "written through iptables-nft (nft's warning)", 'xt match addrtype', 'xt target MASQUERADE', 'xt target DNAT']);
    expect(byKey('docker-iptables-nft.nft', 'ip filter')[0]).toBe('chains DOCKER, DOCKER-ISOLATION-STAGE-1, DOCKER-ISOLATION-STAGE-2, DOCKER-USER');
    expect(byKey('kube-proxy-iptables.json', 'ip nat')).toEqual(expect.arrayContaining(['xt match comment', 'xt target MASQUERADE']));
    expect(byKey('libvirt-nftables.nft', 'ip libvirt_network')).toEqual(['table ip libvirt_network', 'table comment "Managed by libvirt for virtual networks…"']);
    expect(byKey('kube-proxy-nftables.nft', 'ip kube-proxy')).toContain('table comment "rules for kube-proxy"');
    expect(byKey('fail2ban.nft', 'inet f2b-table')).toEqual(['table inet f2b-table', 'chain f2b-chain', 'sets addr-set-sshd, addr-set-nginx-http-auth, addr6-set-sshd']);
    expect(byKey('firewalld.nft', 'inet firewalld')[1]).toMatch(/^chains mangle_PREROUTING, .* and \d+ more$/);
  });

  it('lists the other programs that share an iptables-nft table', () => {
    const text = [
      'table ip filter {',
      '\tchain INPUT {',
      '\t\ttype filter hook input priority filter; policy accept;',
      '\t\tcounter packets 0 bytes 0 jump ts-input',
      '\t}',
      '\tchain FORWARD {',
      '\t\ttype filter hook forward priority filter; policy accept;',
      '\t\tcounter packets 0 bytes 0 jump DOCKER-USER',
      '\t}',
      '\tchain DOCKER-USER {',
      '\t}',
      '\tchain ts-input {',
      '\t}',
      '\tchain f2b-sshd {',
      '\t}',
      '}',
    ].join('\n');
    const r = recogniseForeign(text);
    expect(r?.owner).toBe('docker');
    expect(r?.also.map((a) => a.owner)).toEqual(expect.arrayContaining(['tailscale', 'fail2ban', 'iptables-nft']));
  });

  it('recognises parsed tables too (the model)', () => {
    const rs = parse(fixture('firewalld.nft')).ruleset;
    expect(recogniseForeign(rs.tables[0])?.owner).toBe('firewalld');
    const kube = parse(fixture('kube-proxy-iptables-xt.nft')).ruleset;
    const r = recogniseForeign(kube.tables[0]);
    expect(r?.owner).toBe('kube-proxy');
    expect(r?.because).toEqual(expect.arrayContaining(['xt match comment', 'xt target MASQUERADE']));
  });

  it('leaves the user\'s own tables alone: templates, inet filter, a hand-written ip nat', () => {
    for (const t of TEMPLATES) for (const table of parse(t.text).ruleset.tables) expect(recogniseForeign(table), `${t.id}: ${table.name}`).toBeUndefined();
    expect(recogniseForeign('table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n')).toBeUndefined();
    expect(recogniseForeign('table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tmasquerade\n\t}\n}\n')).toBeUndefined();
  });

  it('takes the old "# xt_NAME" form and the iptables convention as iptables-nft', () => {
    const old = recogniseForeign('table ip mangle {\n\tchain PREROUTING {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n\t\t# xt_physdev counter packets 0 bytes 0\n\t}\n}\n');
    expect(old?.owner).toBe('iptables-nft');
    expect(old?.because).toEqual(expect.arrayContaining(['compat statements # xt_physdev']));
    const plain = recogniseForeign('table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n');
    expect(plain?.owner).toBe('iptables-nft');
    expect(old?.tentative).toBe(false);
  });

  it("only suggests an owner when nothing but names people also choose matched (iptables-restore-translate's INPUT, Incus's in.lan)", () => {
    const own = 'table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept\n\t}\n}\n';
    expect(recogniseForeign(own)).toMatchObject({ owner: 'iptables-nft', tentative: true });
    // nft's own warning, or xt statements, make it certain
    expect(recogniseForeign(`# Warning: table ip filter is managed by iptables-nft, do not touch!\n${own}`)?.tentative).toBe(false);
    expect(recogniseForeign(fixture('docker-iptables-nft-xt.nft'))?.tentative).toBe(false);
    // Docker's chains in the same ip filter are Docker's, for sure
    expect(recogniseForeign(fixture('docker-iptables-nft.nft'))).toMatchObject({ owner: 'docker', tentative: false });
    const lan = 'table inet mine {\n\tchain in.lan {\n\t\ttcp dport 22 accept\n\t}\n}\n';
    expect(recogniseForeign(lan)).toMatchObject({ owner: 'incus', tentative: true });
    expect(recogniseForeign(lan.replace('inet mine', 'inet incus'))).toMatchObject({ owner: 'incus', tentative: false });
  });
});

describe('splitting an nft text into its tables', () => {
  it('finds each top-level table with its lines, whatever the statements inside', () => {
    const text = fixture('host-own-docker-fail2ban.nft');
    const { tables } = splitTables(text);
    expect(tables.map((t) => `${t.family} ${t.name}`)).toEqual(['inet filter', 'ip filter', 'ip nat', 'inet f2b-table']);
    for (const t of tables) {
      expect(t.text.startsWith(`table ${t.family} ${t.name} {`)).toBe(true);
      expect(t.text.endsWith('}')).toBe(true);
      expect(text.split('\n')[t.startLine - 1]).toBe(`table ${t.family} ${t.name} {`);
      expect(text.split('\n')[t.endLine - 1]).toBe('}');
    }
  });

  it('is not fooled by braces in strings and comments, or a table in a comment', () => {
    const text = [
      '# table ip nat {',
      'table inet t {',
      '\tchain c {',
      '\t\ttcp dport 22 accept comment "} {"',
      '\t\t# } a comment with a brace',
      '\t}',
      '}',
      'add table ip6 x { comment "a }"; }',
      'table filter {',
      '}',
    ].join('\n');
    const { tables } = splitTables(text);
    expect(tables.map((t) => [t.family, t.name, t.startLine, t.endLine])).toEqual([
      ['inet', 't', 2, 7],
      ['ip6', 'x', 8, 8],
      ['ip', 'filter', 9, 10],
    ]);
    expect(tables[0].shape.chains).toEqual(['c']);
    expect(tables[1].shape.comment).toBe('a }');
  });

  it('keeps going past statements the parser refuses (xt), and takes an unclosed table to the end', () => {
    const { tables } = splitTables('table ip nat {\n\tchain P {\n\t\txt match "comment" counter jump X\n\t}\n}\ntable ip t {\n\tchain c {\n');
    expect(tables).toHaveLength(2);
    expect(tables[0].shape.xt).toEqual(['match comment']);
    expect(tables[1].unclosed).toBe(true);
  });

  it("attaches nft's iptables-nft warning to the table it names, wherever the terminal put it", () => {
    const text = 'table ip filter {\n\tchain DOCKER {\n# Warning: table ip nat is managed by iptables-nft, do not touch!\n\t}\n}\ntable ip nat {\n\tchain POSTROUTING {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t}\n}\n';
    const { tables } = splitTables(text);
    expect(tables[1].shape.notes.some((n) => n.includes('table ip nat is managed'))).toBe(true);
    expect(recogniseForeign(tables[1].shape)?.owner).toBe('iptables-nft');
  });

  it('splits a 20k-rule listing, every rule in its table (the time is for npm run bench, not asserted here)', () => {
    const lines = ['table inet big {', '\tchain c {'];
    for (let i = 0; i < 20_000; i++) lines.push(`\t\ttcp dport ${i} accept comment "r${i} {"`);
    lines.push('\t}', '}', fixture('fail2ban.nft'));
    const { tables } = splitTables(lines.join('\n'));
    expect(tables.map((t) => t.name)).toEqual(['big', 'f2b-table']);
    expect(tables[0].endLine).toBe(20_004);
    expect(tables[1].text).toBe(fixture('fail2ban.nft').trimEnd());
  });
});

describe('nft -j documents', () => {
  it('group their items by table, with names and xt statements', () => {
    const groups = splitJsonTables(JSON.parse(fixture('docker-iptables-nft.json')));
    expect(groups.map((g) => `${g.family} ${g.name}`)).toEqual(['ip filter', 'ip nat']);
    const nat = groups[1];
    expect(nat.shape.chains).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'DOCKER']);
    expect(nat.shape.xt).toEqual(['match addrtype', 'match addrtype', 'target MASQUERADE', 'target DNAT']);
    expect(nat.indexes.length).toBe(nat.items.length);
    expect(splitJsonTables({ nftables: [{ add: { table: { family: 'inet', name: 'f2b-table' } } }] })[0].name).toBe('f2b-table');
    expect(splitJsonTables('nonsense')).toEqual([]);
  });
});

describe('run-time set contents', () => {
  it('says why a set is filled at run time', () => {
    const own = parse(fixture('host-own-docker-fail2ban.nft')).ruleset;
    const filter = own.tables.find((t) => t.name === 'filter' && t.family === 'inet');
    expect(runtimeSetReason(filter!, 'ssh_meter')).toBe('flags dynamic: rules fill it as packets pass');
    const f2b = parse(fixture('fail2ban.nft')).ruleset.tables[0];
    expect(runtimeSetReason(f2b, 'addr-set-sshd')).toBeUndefined();
    expect(runtimeSetReason(f2b, 'addr-set-sshd', 'fail2ban')).toBe('fail2ban fills it while it runs');
    const kube = parse(fixture('kube-proxy-nftables.nft')).ruleset.tables[0];
    expect(runtimeSetReason(kube, kube.sets.find((s) => s.name.startsWith('affinity-'))!.name)).toMatch(/dynamic/);
    expect(runtimeSetReason(kube, 'cluster-ips')).toBeUndefined();
    const written = parse('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags timeout\n\t}\n\tchain c {\n\t\tadd @s { ip saddr timeout 1m }\n\t}\n}\n').ruleset.tables[0];
    expect(runtimeSetReason(written, 's')).toBe('rules in chain c add to it (add/update @s)');
    const cs = parse(fixture('crowdsec.nft')).ruleset.tables[0];
    expect(cs.sets[0].elements.every(elementExpires)).toBe(true);
  });
});
