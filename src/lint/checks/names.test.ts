import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../model/types.ts';
import { SCOPED_WORDS_ACCEPTED } from '../../knowledge/keywords.ts';
import { byId, ids, lintText, rangeText } from '../fixtures/lintText.ts';

const base = 'table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\taccept\n\t}\n}\n';

describe('names', () => {
  it('refuses names outside the grammar, keywords and long names built in the model', () => {
    const cases: [string, string][] = [
      ['', 'name/syntax'],
      ['1abc', 'name/syntax'],
      ['a b', 'name/syntax'],
      ['a"b', 'name/syntax'],
      ['tcp', 'name/keyword'],
      ['x'.repeat(256), 'name/too-long'],
    ];
    for (const [name, id] of cases) {
      const r = lintText(base, {
        model: (rs) => {
          rs.tables[0].chains[0].name = name;
        },
      });
      const hits = r.found.filter((d) => d.id.startsWith('name/'));
      expect(hits.map((d) => [d.id, d.field, d.nodeId])).toEqual([[id, 'name', r.ruleset.tables[0].chains[0].id]]);
    }
  });

  it('accepts words that are keywords only inside a sub-scope', () => {
    for (const w of SCOPED_WORDS_ACCEPTED) {
      const r = lintText(`table inet ${w} {\n\tchain ${w} {\n\t}\n}\n`);
      expect(ids(r.found).filter((id) => id.startsWith('name/')), w).toEqual([]);
    }
  });

  it('points at the name in the declaration', () => {
    const text = `table ip t {\n\tset ${'s'.repeat(256)} {\n\t\ttype ipv4_addr\n\t}\n}\n`;
    const [d] = byId(lintText(text).found, 'name/too-long');
    expect(rangeText(text, d)).toBe('s'.repeat(256));
  });
});

describe('comments', () => {
  it('counts UTF-8 bytes, not characters', () => {
    const rule = (c: string): string => `table ip t {\n\tchain c {\n\t\taccept comment "${c}"\n\t}\n}\n`;
    expect(ids(lintText(rule('ü'.repeat(64))).found)).not.toContain('comment/too-long');
    const text = rule('ü'.repeat(65));
    const [d] = byId(lintText(text).found, 'comment/too-long');
    expect(d.message).toMatch(/130 bytes/);
    expect(rangeText(text, d)).toBe(`"${'ü'.repeat(65)}"`);
  });

  it('refuses newlines in comments and quotes in other strings of the model', () => {
    const r = lintText(base, {
      model: (rs) => {
        rs.tables[0].comment = 'two\nlines';
        rs.tables[0].chains[0].rules[0].stmts.unshift({ kind: 'log', prefix: 'say "x"' });
      },
    });
    expect(r.found.filter((d) => d.id === 'comment/invalid').map((d) => d.field).sort()).toEqual(['comment', 'prefix']);
  });

  it('checks element comments', () => {
    const text = `table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 1.2.3.4 comment "${'x'.repeat(129)}" }\n\t}\n}\n`;
    expect(byId(lintText(text).found, 'comment/too-long').map((d) => d.field)).toEqual(['elements']);
  });
});

describe('duplicate names', () => {
  const twice = (mutate: (rs: Ruleset) => void): string[] => ids(lintText(base, { model: mutate }).found).filter((id) => id === 'name/duplicate');

  it('finds two chains, two tables of one family, two objects of one type', () => {
    expect(twice((rs) => rs.tables[0].chains.push({ id: 'c2', name: 'c', rules: [] }))).toEqual(['name/duplicate']);
    expect(twice((rs) => rs.tables.push({ ...rs.tables[0], id: 't2', chains: [] }))).toEqual(['name/duplicate']);
    expect(twice((rs) => rs.tables.push({ ...rs.tables[0], id: 't2', family: 'ip6', chains: [] }))).toEqual([]);
    expect(
      twice((rs) => {
        rs.tables[0].objects.push({ id: 'o1', type: 'counter', name: 'x' }, { id: 'o2', type: 'counter', name: 'x' });
      }),
    ).toEqual(['name/duplicate']);
  });

  it('lets objects of different types share a name, and a chain share it with a set', () => {
    expect(
      twice((rs) => {
        rs.tables[0].objects.push({ id: 'o1', type: 'counter', name: 'x' }, { id: 'o2', type: 'quota', name: 'x', amount: 1, unit: 'mbytes' });
        rs.tables[0].sets.push({ id: 's1', kind: 'set', name: 'c', key: { mode: 'type', types: ['ipv4_addr'] }, flags: [], elements: [] });
      }),
    ).toEqual([]);
  });
});
