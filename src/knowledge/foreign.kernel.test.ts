/**
 * The foreign fixtures are real nft: the native ones load in nft 1.0.6 in a
 * private network namespace and list back as they are written (counters and
 * expiry countdowns aside); the iptables-nft ones that carry `xt` statements are
 * refused, as on a host. A design imported from "foreign + own tables" with the
 * default replace preamble, loaded on top of the foreign tables, leaves them
 * byte for byte as they were (`nft -s list table …`); `flush ruleset` would not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { emit } from '../emit/index.ts';
import { withDefaultPreamble } from '../model/types.ts';
import { parse } from '../parse/index.ts';
import type { Ruleset } from '../model/types.ts';
import { recogniseForeign, runtimeSetReason, splitTables } from './foreign.ts';

const DIR = join(import.meta.dirname, 'fixtures/foreign');
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');

// the links the fixtures name (libvirt's iif "virbr0" needs the interface to exist)
const LINKS = ['ip link set lo up', 'ip link add eth0 type veth peer name eth1', 'ip link add virbr0 type veth peer name virbr1', 'ip link add incusbr0 type veth peer name incusbr1'].join('; ');

/** Run a shell script in a fresh network namespace, with files written next to it. */
function inNamespace(script: string, files: Record<string, string>): { ok: boolean; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nftd-foreign-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync('unshare', ['-n', 'sh', '-c', `${LINKS}; cd "$1" && ${script}`, 'sh', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What differs between two loads of the same rules: countdowns, and nft's stderr warnings pasted in. */
/**
 * What the import (web/dialogs/importText.ts, unit-tested there) makes of a
 * listing by default, from the same src pieces: foreign tables blanked out and
 * kept aside, the own tables parsed, run-time set elements left out.
 */
function importDefault(text: string): Ruleset {
  const foreign = splitTables(text).tables.filter((b) => recogniseForeign(b.shape));
  let blanked = text;
  for (const b of foreign) blanked = blanked.slice(0, b.start) + blanked.slice(b.start, b.end).replace(/[^\n]/g, ' ') + blanked.slice(b.end);
  const r = parse(blanked);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const rs = r.ruleset;
  rs.aside = foreign.map((b, i) => ({ id: `x${i}`, family: b.family, name: b.name, owner: recogniseForeign(b.shape)?.owner ?? 'unknown', text: b.text }));
  for (const t of rs.tables) for (const s of t.sets) if (runtimeSetReason(t, s.name)) s.elements = [];
  return rs;
}

const normal = (t: string): string =>
  t
    .split('\n')
    .filter((l) => !l.startsWith('# Warning:'))
    .join('\n')
    .replace(/ expires [0-9dhms]+/g, '');

const LISTS_BACK = ['docker-nftables.nft', 'fail2ban.nft', 'crowdsec.nft', 'kube-proxy-nftables.nft', 'firewalld.nft', 'incus.nft', 'libvirt-nftables.nft', 'tailscale.nft'];
/** iptables-nft listings: nft loads its translations, in native expressions that list in nft's own order */
const LOADS = ['docker-iptables-nft.nft', 'kube-proxy-iptables.nft', 'host-own-docker-fail2ban.nft'];
const REFUSED = ['docker-iptables-nft-xt.nft', 'kube-proxy-iptables-xt.nft'];

describeKernel('foreign tables in the real kernel', () => {
  for (const f of LISTS_BACK) {
    it(`${f} loads and lists back as written`, () => {
      const r = inNamespace('nft -f in.nft && nft list ruleset', { 'in.nft': fixture(f) });
      expect(r.ok, r.stderr).toBe(true);
      expect(normal(r.stdout)).toBe(normal(fixture(f)));
    });
  }

  for (const f of LOADS) {
    it(`${f} loads (iptables-nft's translations are native nft)`, () => {
      const r = inNamespace('nft -f in.nft && nft list ruleset', { 'in.nft': fixture(f) });
      expect(r.ok, r.stderr).toBe(true);
      const want = splitTables(fixture(f)).tables.map((t) => `${t.family} ${t.name}`);
      expect(splitTables(r.stdout).tables.map((t) => `${t.family} ${t.name}`)).toEqual(want);
    });
  }

  for (const f of REFUSED) {
    it(`${f} is refused: nft cannot load xt compat statements`, () => {
      const r = inNamespace('nft -f in.nft', { 'in.nft': fixture(f) });
      expect(r.ok).toBe(false);
      expect(r.stderr).toMatch(/xt/);
    });
  }

  it('a design imported from foreign + own tables, applied with the replace preamble, leaves the foreign tables unchanged', () => {
    const host = fixture('host-own-docker-fail2ban.nft');
    const rs = withDefaultPreamble(importDefault(host));
    expect(rs.preamble).toBe('replace');
    const design = emit(rs).text;
    const foreign = (rs.aside ?? []).map((a) => `${a.family} ${a.name}`);
    expect(foreign).toEqual(['ip filter', 'ip nat', 'inet f2b-table']);
    const list = `{ ${foreign.map((k) => `nft -s list table ${k}`).join(' && ')}; }`;
    const script = `nft -f host.nft && ${list} > before.txt && nft -f design.nft && nft -f design.nft && ${list} > after.txt && cat before.txt && echo ===== && cat after.txt && echo ===== && nft -s list table inet filter`;
    const r = inNamespace(script, { 'host.nft': host, 'design.nft': design });
    expect(r.ok, r.stderr).toBe(true);
    const [before, after, own] = r.stdout.split('=====\n');
    expect(before.length).toBeGreaterThan(500);
    expect(after).toBe(before);
    expect(before).toContain('chain DOCKER-USER');
    expect(before).toContain('203.0.113.7');
    // the own table is the design's: the meter's run-time elements were left out
    expect(own).toContain('set ssh_meter');
    expect(own).not.toContain('198.51.100.4');
  });

  it('the same design with "flush ruleset" removes them (what foreign/flush-removes-aside warns of)', () => {
    const host = fixture('host-own-docker-fail2ban.nft');
    const rs: Ruleset = { ...importDefault(host), preamble: 'flush' };
    const r = inNamespace('nft -f host.nft && nft -f design.nft && nft list tables', { 'host.nft': host, 'design.nft': emit(rs).text });
    expect(r.ok, r.stderr).toBe(true);
    expect(r.stdout.trim()).toBe('table inet filter');
  });
});
