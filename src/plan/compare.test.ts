import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from '../emit/index.ts';
import { compareWithLive, expandDefines, readLive, ruleCounts, statelessText, summaryLine } from './index.ts';

const design = (text: string) => {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset;
};

describe('statelessText (nft -s)', () => {
  it('drops what traffic changed, keeps what was configured', () => {
    const s = statelessText(
      [
        '\tcounter cnt {',
        '\t\tpackets 5 bytes 100',
        '\t}',
        '\t\t25 mbytes used 1 mbytes',
        '\t\telements = { 1.2.3.4 counter packets 0 bytes 0 timeout 1h expires 29m59s992ms, 5.6.7.8 expires 3m }',
        '\t\ttcp dport 22 counter packets 7 bytes 9 accept comment "counter packets 1 bytes 2"',
      ].join('\n'),
    );
    expect(s).toBe(
      ['\tcounter cnt {', '\t}', '\t\t25 mbytes', '\t\telements = { 1.2.3.4 counter timeout 1h, 5.6.7.8 }', '\t\ttcp dport 22 counter accept comment "counter packets 1 bytes 2"'].join('\n'),
    );
  });
});

describe('readLive', () => {
  it('keeps a table it cannot model as the host listed it, and reads the others', () => {
    const live = readLive('table ip weird {\n\tchain c {\n\t\tfrobnicate 7\n\t}\n}\ntable inet mine {\n\tchain c {\n\t\tcounter packets 3 bytes 4\n\t}\n}\n');
    expect(live.errors).toEqual([]);
    expect(live.tables.map((t) => [t.name, t.table ? 'model' : 'text'])).toEqual([
      ['weird', 'text'],
      ['mine', 'model'],
    ]);
    expect(live.tables[0].unreadable).toMatch(/cannot read table ip weird \(line 3: /);
    expect(live.tables[1].text).toBe('table inet mine {\n\tchain c {\n\t\tcounter\n\t}\n}');
  });

  it("finds the tables with nft's tokenizer: braces in comments and strings do not count", () => {
    const text = 'flush ruleset\n# a } comment\ntable ip nat { # x {\n\tchain c {\n\t\tcomment "a } b {"\n\t\tfrobnicate\n\t}\n}\ntable f2b { chain c { } }\n';
    const live = readLive(text);
    expect(live.errors).toEqual([]);
    expect(live.tables.map((t) => [t.family, t.name, t.table ? 'model' : 'text'])).toEqual([
      ['ip', 'nat', 'text'],
      ['ip', 'f2b', 'model'],
    ]);
    expect(live.tables[0].unreadable).toMatch(/line 6: /);
  });

  it('refuses a command between the tables that is not part of a live ruleset', () => {
    const live = readLive('table ip a {\n\tchain c {\n\t\tfrobnicate\n\t}\n}\nhello world\n');
    expect(live.tables).toEqual([]);
    expect(live.errors).toHaveLength(1);
  });

  it('reads nft -j JSON of a Docker or kube-proxy host table by table: the xt tables kept as listed, the others read', () => {
    for (const f of ['docker-iptables-nft.json', 'kube-proxy-iptables.json']) {
      const json = readFileSync(join(import.meta.dirname, '../knowledge/fixtures/foreign', f), 'utf8');
      const live = readLive(json);
      expect(live.errors, f).toEqual([]);
      expect(live.tables.length, f).toBeGreaterThan(0);
      const unreadable = live.tables.filter((t) => t.unreadable);
      expect(unreadable.length, f).toBeGreaterThan(0);
      for (const t of unreadable) expect(t.text).not.toContain('"handle"');
      // the owner is still named, from what the JSON shows
      const p = compareWithLive(live, { ...design('table inet mine {\n}\n'), preamble: 'flush' });
      expect(p.errors, f).toEqual([]);
      for (const w of p.warnings) expect(w, f).toMatch(/\((Docker|kube-proxy \(Kubernetes\)|iptables-nft)\)$/);
      // replace: every live table untouched
      const r = compareWithLive(live, { ...design('table inet mine {\n}\n'), preamble: 'replace' });
      expect(r.tables.filter((t) => t.name !== 'mine').every((t) => t.change === 'unchanged'), f).toBe(true);
    }
  });

  it('reads nft -j JSON', () => {
    const live = readLive('{"nftables":[{"metainfo":{"json_schema_version":1}},{"table":{"family":"inet","name":"t","handle":1}}]}');
    expect(live.format).toBe('json');
    expect(live.tables.map((t) => t.text)).toEqual(['table inet t {\n}']);
  });

  it('refuses a table cut short (a truncated copy), naming its line', () => {
    const live = readLive('table ip a {\n}\ntable inet x {\n\tchain c {\n\t\tfrobnicate\n');
    expect(live.errors.map((e) => [e.id, e.range?.startLine])).toEqual([['live/unclosed', 3]]);
  });

  it('reports unreadable input with its line', () => {
    const live = readLive('hello world\n');
    expect(live.errors[0].range?.startLine).toBe(1);
  });
});

describe('ruleCounts', () => {
  it('pairs a removed and an added rule in the same place as one change', () => {
    expect(ruleCounts(['a', 'b', 'c'], ['a', 'B', 'c', 'd'])).toEqual({ added: 1, removed: 0, changed: 1, reordered: false });
  });
  it('sees a reorder (order decides verdicts)', () => {
    expect(ruleCounts(['a', 'b', 'c'], ['b', 'a', 'c'])).toMatchObject({ added: 0, removed: 0, changed: 0, reordered: true });
  });
  it('counts duplicates', () => {
    expect(ruleCounts(['a'], ['a', 'a'])).toMatchObject({ added: 1, removed: 0 });
  });
});

describe('expandDefines', () => {
  it('expands nested defines outside quotes', () => {
    const d = new Map([
      ['a', '$b'],
      ['b', '22'],
    ]);
    expect(expandDefines('tcp dport $a comment "$a"', d)).toBe('tcp dport 22 comment "$a"');
  });
  it('refuses defines that refer to each other', () => {
    expect(() => expandDefines('$a', new Map([['a', '$a']]))).toThrow(/nest too deeply/);
  });
});

describe('compareWithLive', () => {
  const LIVE = 'table ip nat {\n\tchain POSTROUTING {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tmasquerade\n\t}\n}\ntable inet mine {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept\n\t}\n}\n';
  const DESIGN = 'table inet mine {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 2222 accept\n\t}\n}\n';
  const owner = (t: { name: string }) => (t.name === 'nat' ? 'Docker' : undefined);

  it('replace: other tables stay, the designed one changes', () => {
    const p = compareWithLive(readLive(LIVE), { ...design(DESIGN), preamble: 'replace' }, { owner });
    expect(p.tables.map((t) => [t.name, t.change, t.owner])).toEqual([
      ['nat', 'unchanged', 'Docker'],
      ['mine', 'changed', undefined],
    ]);
    expect(p.totals.rules).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(summaryLine(p)).toBe('tables: 1 changed; chains: 1 changed; rules: 1 changed');
    expect(p.warnings).toEqual([]);
  });

  it('flush: warns naming the tables it removes and their owner', () => {
    const p = compareWithLive(readLive(LIVE), { ...design(DESIGN), preamble: 'flush' }, { owner });
    expect(p.warnings).toEqual(['flush ruleset removes table ip nat (Docker)']);
    expect(p.tables.find((t) => t.name === 'nat')).toMatchObject({ change: 'removed', chains: { removed: ['POSTROUTING'] }, rules: { removed: 1 } });
    expect(p.afterText).not.toContain('table ip nat');
  });

  it('warns when the design replaces a table other software manages', () => {
    const p = compareWithLive(readLive(LIVE), { ...design('table ip nat {\n}\n'), preamble: 'replace' }, { owner });
    expect(p.warnings[0]).toMatch(/replaces table ip nat \(Docker\)/);
  });

  it('names the software that manages a live table from its contents, also one it cannot model (xt)', () => {
    const host = ['docker-iptables-nft-xt.nft', 'fail2ban.nft'].map((f) => readFileSync(join(import.meta.dirname, '../knowledge/fixtures/foreign', f), 'utf8')).join('');
    const live = readLive(host);
    expect(live.errors).toEqual([]);
    const p = compareWithLive(live, { ...design(DESIGN), preamble: 'flush' });
    expect(p.warnings.length).toBeGreaterThan(1);
    for (const w of p.warnings) expect(w).toMatch(/^flush ruleset removes table \S+ \S+ \((Docker|fail2ban)\)$/);
    expect(p.tables.find((t) => t.name === 'mine')?.owner).toBeUndefined();
  });

  it('says what it cannot write instead of predicting', () => {
    const rs = design(DESIGN);
    rs.tables[0].name = 'bad name; flush ruleset';
    const p = compareWithLive(readLive(LIVE), rs);
    expect(p.errors.length).toBeGreaterThan(0);
    expect(p.afterText).toBe(p.liveText);
  });

  it('writes both sides in the design target\'s listing form: a host on another nft version is no change', () => {
    const text = 'table inet t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ticmp type echo-request limit rate 5/second burst 5 packets accept\n\t\ttcp flags & (fin | syn) == fin | syn drop\n\t}\n}\n';
    for (const [designed, host] of [['1.0.6', '1.1.3'], ['1.1.3', '1.0.6']] as const) {
      const rs = { ...design(text), target: designed, preamble: 'replace' as const };
      const hostListing = `# nft --version: nftables v${host} (x)\n${emit(rs, { target: host, preamble: 'none' }).text}`;
      expect(hostListing).not.toContain(emit(rs, { preamble: 'none' }).text);
      const p = compareWithLive(readLive(hostListing), rs);
      expect(p.errors).toEqual([]);
      expect(p.afterText, designed).toBe(p.liveText);
      expect(p.afterText).toBe(emit(rs, { preamble: 'none' }).text);
      expect(summaryLine(p)).toMatch(/^no change/);
    }
  });
});
