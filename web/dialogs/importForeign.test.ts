import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseImport, buildImport, readImport } from './importText.ts';
import { emit } from '../../src/emit/index.ts';
import { validateRuleset } from '../../src/model/validate.ts';
import { lint } from '../../src/lint/index.ts';

const DIR = join(import.meta.dirname, '../../src/knowledge/fixtures/foreign');
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');

describe('import: tables other software manages', () => {
  it('keeps Docker and fail2ban aside and imports the own table (nft list ruleset of a host)', () => {
    const r = readImport(fixture('host-own-docker-fail2ban.nft'));
    expect(r.errors).toEqual([]);
    expect(r.foreign.map((f) => [f.key, f.owner])).toEqual([
      ['ip filter', 'docker'],
      ['ip nat', 'docker'],
      ['inet f2b-table', 'fail2ban'],
    ]);
    expect(r.foreign[0].because[0]).toBe('chains DOCKER, DOCKER-ISOLATION-STAGE-1, DOCKER-ISOLATION-STAGE-2, DOCKER-USER');
    expect(r.ruleset?.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['inet filter']);
    expect(r.ruleset?.aside?.map((a) => [a.family, a.name, a.owner])).toEqual([
      ['ip', 'filter', 'docker'],
      ['ip', 'nat', 'docker'],
      ['inet', 'f2b-table', 'fail2ban'],
    ]);
    // the text is kept as it was imported
    const nat = r.ruleset?.aside?.find((a) => a.name === 'nat');
    expect(nat?.text.startsWith('table ip nat {\n\tchain PREROUTING {')).toBe(true);
    expect(nat?.text.endsWith('}')).toBe(true);
    expect(r.summary).toMatch(/1 table, .*; 3 kept aside as live, not ours; 2 run-time set elements left out$/);
    // a valid ruleset, and nothing kept aside is ever emitted
    expect(validateRuleset(JSON.parse(JSON.stringify(r.ruleset))).ok).toBe(true);
    const text = emit(r.ruleset!).text;
    expect(text).not.toMatch(/DOCKER|f2b|table ip nat/);
  });

  it("keeps a table only tentatively another program's (the user's own iptables-style ip filter) in the design by default", () => {
    const own = 'table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept\n\t}\n}\n';
    const a = analyseImport(own + fixture('fail2ban.nft'));
    expect(a.foreign.map((f) => [f.key, f.owner, f.tentative ?? false])).toEqual([
      ['ip filter', 'iptables-nft', true],
      ['inet f2b-table', 'fail2ban', false],
    ]);
    const r = buildImport(a);
    expect(r.ruleset?.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['ip filter']);
    expect(r.ruleset?.aside?.map((x) => x.name)).toEqual(['f2b-table']);
    // and the linter does not call the person's own table foreign
    expect(lint(r.ruleset!).filter((d) => d.id === 'foreign/designed-foreign')).toEqual([]);
    // leaving it out is still one choice away
    expect(buildImport(a, { design: new Set() }).ruleset?.tables).toEqual([]);
  });

  it('never lets an xt statement fail the whole import', () => {
    for (const file of ['docker-iptables-nft-xt.nft', 'kube-proxy-iptables-xt.nft', 'docker-iptables-nft.json', 'kube-proxy-iptables.json']) {
      const r = readImport(fixture(file));
      expect(r.errors, file).toEqual([]);
      expect(r.ruleset?.tables, file).toEqual([]);
      expect(r.ruleset?.aside?.length, file).toBe(r.foreign.length);
      expect(r.foreign.every((f) => f.notDesignable), file).toBe(true);
    }
    const xt = readImport(fixture('docker-iptables-nft-xt.nft')).foreign[1];
    expect(xt.notDesignable).toMatch(/iptables-nft compat statements nft cannot load \(xt match "addrtype"/);
    const json = readImport(fixture('docker-iptables-nft.json')).foreign[1];
    expect(json.notDesignable).toMatch(/unsupported statement "xt"/);
    expect(json.text.startsWith('{"nftables": [\n')).toBe(true);
  });

  it('brings a foreign table into the design when asked, if it parses', () => {
    const text = fixture('host-own-docker-fail2ban.nft');
    const a = analyseImport(text);
    const r = buildImport(a, { design: new Set(['inet f2b-table']) });
    expect(r.errors).toEqual([]);
    expect(r.ruleset?.tables.map((t) => t.name)).toEqual(['filter', 'f2b-table']);
    expect(r.ruleset?.aside?.map((a) => a.name)).toEqual(['filter', 'nat']);
    // the real Docker listing parses (nft printed translations), with a caution
    expect(a.foreign[0].notDesignable).toBeUndefined();
    expect(a.foreign[0].caution).toMatch(/iptables-nft wrote this table/);
    // brought in, the designed table is recognised by the linter
    const all = buildImport(a, { design: new Set(['ip filter', 'ip nat', 'inet f2b-table']) });
    expect(all.ruleset?.aside ?? []).toEqual([]);
    expect(lint(all.ruleset!).filter((d) => d.id === 'foreign/designed-foreign').length).toBe(3);
  });

  it('keeps error positions of the own tables when a foreign table before them is left out', () => {
    const text = `${fixture('fail2ban.nft')}table inet mine {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n`;
    const line = text.split('\n').findIndex((l) => l.includes('acept')) + 1;
    const r = readImport(text);
    expect(r.ruleset).toBeUndefined();
    expect(r.errors[0]).toMatchObject({ message: 'unknown statement "acept"', range: { startLine: line, startCol: 16 } });
    expect(r.foreign.map((f) => f.key)).toEqual(['inet f2b-table']);
  });

  it('says why a table cannot be designed: a parse error in it, with its line', () => {
    const text = 'table inet firewalld {\n\tchain filter_INPUT {\n\t\ttype filter hook input priority filter + 10; policy accept;\n\t\tbogus statement\n\t}\n}\n';
    const r = readImport(text);
    expect(r.errors).toEqual([]);
    expect(r.foreign[0]).toMatchObject({ owner: 'firewalld', notDesignable: expect.stringMatching(/^line 4: /) });
  });

  it('reads each JSON table once: the own ones into the design, the foreign ones aside in listing form', () => {
    const doc = JSON.parse(fixture('docker-iptables-nft.json')) as { nftables: unknown[] };
    doc.nftables.push({ table: { family: 'inet', name: 'mine', handle: 9 } }, { chain: { family: 'inet', table: 'mine', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'accept' } });
    const r = readImport(JSON.stringify(doc));
    expect(r.format).toBe('json');
    expect(r.errors).toEqual([]);
    expect(r.ruleset?.tables.map((t) => t.name)).toEqual(['mine']);
    expect(r.ruleset?.aside?.map((a) => a.name)).toEqual(['filter', 'nat']);
    const libvirt = { nftables: [{ table: { family: 'ip', name: 'libvirt_network', comment: 'Managed by libvirt for virtual networks: https://libvirt.org/firewall.html#the-virtual-network-driver' } }, { chain: { family: 'ip', table: 'libvirt_network', name: 'guest_nat', type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept' } }] };
    const lv = readImport(JSON.stringify(libvirt));
    expect(lv.foreign[0].notDesignable).toBeUndefined();
    expect(lv.ruleset?.aside?.[0].text).toMatch(/^table ip libvirt_network \{\n\tcomment "Managed by libvirt/);
  });
});

describe('import: elements sets gather at run time', () => {
  it('leaves them out by default and says how many, per set', () => {
    const r = readImport(fixture('host-own-docker-fail2ban.nft'));
    expect(r.runtime).toEqual([{ key: 'inet filter ssh_meter', table: 'inet filter', set: 'ssh_meter', count: 2, why: 'flags dynamic: rules fill it as packets pass', kept: false }]);
    expect(r.ruleset?.tables[0].sets[0].elements).toEqual([]);
  });

  it('keeps them as permanent elements when asked (without the countdown)', () => {
    const r = readImport(fixture('host-own-docker-fail2ban.nft'), { keepElements: new Set(['inet filter ssh_meter']) });
    expect(r.runtime[0].kept).toBe(true);
    const els = r.ruleset?.tables[0].sets[0].elements ?? [];
    expect(els.length).toBe(2);
    for (const el of els) expect(el.expires ?? el.timeout).toBeUndefined();
  });

  it('knows the sets foreign software fills, once such a table is designed', () => {
    const f2b = readImport(fixture('fail2ban.nft'), { design: new Set(['inet f2b-table']) });
    expect(f2b.runtime.map((x) => [x.set, x.count, x.why])).toEqual([
      ['addr-set-sshd', 3, 'fail2ban fills it while it runs'],
      ['addr-set-nginx-http-auth', 1, 'fail2ban fills it while it runs'],
      ['addr6-set-sshd', 1, 'fail2ban fills it while it runs'],
    ]);
    const cs = readImport(fixture('crowdsec.nft'), { design: new Set(['ip crowdsec', 'ip6 crowdsec6']) });
    expect(cs.runtime.map((x) => x.count)).toEqual([2, 2, 1]);
    expect(cs.ruleset?.tables.flatMap((t) => t.sets.flatMap((s) => s.elements))).toEqual([]);
    const kube = readImport(fixture('kube-proxy-nftables.nft'), { design: new Set(['ip kube-proxy']) });
    expect(kube.runtime.map((x) => x.set)).toEqual([expect.stringMatching(/^affinity-/)]);
    // service-ips is kube-proxy's state too, but a map of the design once designed: kept
    expect(kube.ruleset?.tables[0].sets.find((s) => s.name === 'service-ips')?.elements.length).toBe(1);
  });

  it('leaves permanent elements alone', () => {
    const r = readImport('table inet t {\n\tset ok {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1 }\n\t}\n}\n');
    expect(r.runtime).toEqual([]);
    expect(r.ruleset?.tables[0].sets[0].elements.length).toBe(1);
  });
});
