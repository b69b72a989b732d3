import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emit } from '../../src/emit/index.ts';
import { parse } from '../../src/parse/index.ts';
import { generateRuleset } from '../../src/testing/generate.ts';
import { LineOwners, NodeLineIndex, lineIndexOf, nodeAtLine, type LineRange } from './lineOwners.ts';

describe('NodeLineIndex', () => {
  const map = new Map<string, LineRange>([
    ['t_1', { startLine: 1, endLine: 20 }],
    ['c_1', { startLine: 2, endLine: 6 }],
    ['r_1', { startLine: 4, endLine: 4 }],
    ['r_2', { startLine: 5, endLine: 5 }],
    ['s_1', { startLine: 8, endLine: 12 }],
    ['c_2', { startLine: 14, endLine: 19 }],
  ]);
  const index = new NodeLineIndex(map);

  it('finds the smallest node containing a line: rule, then chain, then table', () => {
    expect(index.nodeAt(4)).toBe('r_1');
    expect(index.nodeAt(5)).toBe('r_2');
    expect(index.nodeAt(3)).toBe('c_1');
    expect(index.nodeAt(6)).toBe('c_1');
    expect(index.nodeAt(10)).toBe('s_1');
    expect(index.nodeAt(7)).toBe('t_1');
    expect(index.nodeAt(1)).toBe('t_1');
    expect(index.nodeAt(20)).toBe('t_1');
  });

  it('has nothing outside every node', () => {
    expect(index.nodeAt(0)).toBeUndefined();
    expect(index.nodeAt(21)).toBeUndefined();
    expect(new NodeLineIndex(new Map()).nodeAt(1)).toBeUndefined();
  });

  it('prefers the innermost of nodes on the same lines: rule, then chain or set, then table, then ruleset', () => {
    const tie = new NodeLineIndex(
      new Map([
        ['t_a', { startLine: 3, endLine: 3 }],
        ['r_a', { startLine: 3, endLine: 3 }],
        ['c_a', { startLine: 3, endLine: 3 }],
      ]),
    );
    expect(tie.nodeAt(3)).toBe('r_a');
    const outer = new NodeLineIndex(
      new Map([
        ['rs_a', { startLine: 1, endLine: 1 }],
        ['s_a', { startLine: 1, endLine: 1 }],
        ['t_a', { startLine: 1, endLine: 1 }],
      ]),
    );
    expect(outer.nodeAt(1)).toBe('s_a');
    // map order does not matter
    expect(new NodeLineIndex(new Map([['c_b', { startLine: 2, endLine: 2 }], ['r_b', { startLine: 2, endLine: 2 }]])).nodeAt(2)).toBe('r_b');
  });

  it('is one shared index per source map (the lint mapping and the preview ask the same one)', () => {
    expect(lineIndexOf(map)).toBe(lineIndexOf(map));
    expect(lineIndexOf(new Map(map))).not.toBe(lineIndexOf(map));
    expect(nodeAtLine(map, 4)).toBe('r_1');
    const owners = new LineOwners(map);
    for (let line = 0; line <= 21; line++) expect(owners.at(line)).toBe(index.nodeAt(line));
  });

  it('builds nothing until asked', () => {
    let reads = 0;
    const counting = new Map(map);
    const iterate = counting[Symbol.iterator].bind(counting);
    counting[Symbol.iterator] = () => {
      reads++;
      return iterate();
    };
    const idx = lineIndexOf(counting);
    new LineOwners(counting);
    expect(reads).toBe(0);
    expect(idx.nodeAt(4)).toBe('r_1');
    expect(nodeAtLine(counting, 10)).toBe('s_1');
    expect(reads).toBe(1);
  });

  it('maps every rule line of an emitted design to that rule', () => {
    const rs = parse(generateRuleset(500).text).ruleset;
    const { map: m } = emit(rs);
    const idx = new NodeLineIndex(m);
    for (const t of rs.tables) {
      expect(idx.nodeAt(m.get(t.id)!.startLine)).toBe(t.id);
      for (const c of t.chains) {
        expect(idx.nodeAt(m.get(c.id)!.startLine)).toBe(c.id);
        for (const r of c.rules) expect(idx.nodeAt(m.get(r.id)!.startLine)).toBe(r.id);
      }
    }
  });

  it('agrees with a brute-force search over random nested ranges (property)', () => {
    const range = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 15 }), fc.constantFrom('r', 'c', 't'));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), (rs) => {
        const m = new Map<string, LineRange>();
        rs.forEach(([s, len, kind], i) => m.set(`${kind}_${i}`, { startLine: s, endLine: s + len }));
        const idx = new NodeLineIndex(m);
        const rank = (id: string): number => (id.startsWith('r_') ? 0 : id.startsWith('t_') ? 2 : 1);
        for (let line = 0; line <= 60; line++) {
          const containing = [...m].filter(([, r]) => r.startLine <= line && line <= r.endLine);
          const best = containing.reduce<[string, LineRange] | undefined>((b, x) => {
            if (!b) return x;
            const size = (r: LineRange): number => r.endLine - r.startLine;
            return size(x[1]) < size(b[1]) || (size(x[1]) === size(b[1]) && rank(x[0]) < rank(b[0])) ? x : b;
          }, undefined);
          const got = idx.nodeAt(line);
          if (!best) expect(got).toBeUndefined();
          else {
            // same size and kind: either is right
            const g = m.get(got!)!;
            expect(g.endLine - g.startLine).toBe(best[1].endLine - best[1].startLine);
            expect(rank(got!)).toBe(rank(best[0]));
            expect(g.startLine <= line && line <= g.endLine).toBe(true);
          }
        }
      }),
    );
  });

  it('builds once, lazily, for 10,000 rules (the times are npm run bench\'s)', () => {
    const rs = parse(generateRuleset(10_000).text).ruleset;
    const { map: m } = emit(rs);
    let walks = 0;
    const counted = new Map(m);
    const iterate = counted[Symbol.iterator].bind(counted);
    counted[Symbol.iterator] = () => {
      walks++;
      return iterate();
    };
    const idx = new NodeLineIndex(counted);
    expect(walks).toBe(0);
    let ruleLines = 0;
    for (const [id, r] of m) {
      if (!id.startsWith('r_') || r.startLine !== r.endLine) continue;
      expect(idx.nodeAt(r.startLine)).toBe(id);
      ruleLines++;
    }
    expect(ruleLines).toBeGreaterThanOrEqual(10_000);
    expect(walks).toBe(1);
    expect(lineIndexOf(counted)).toBe(lineIndexOf(counted));
  });
});
