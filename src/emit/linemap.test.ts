/**
 * The emitter's node → line map, checked against the text it maps: every
 * table, set, object, chain and rule's lines are where its text is, before and
 * after an edit of one rule (whose chain is re-printed while the rest comes
 * from the emitter's caches).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { updateRule } from '../model/ops.ts';
import type { Ruleset } from '../model/types.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { generateRuleset } from '../testing/generate.ts';
import { emit, emitRule } from './index.ts';

function checkMap(rs: Ruleset): number {
  const { text, map } = emit(rs);
  const lines = text.split('\n');
  const at = (id: string) => {
    const r = map.get(id);
    expect(r, id).toBeDefined();
    return { first: lines[r!.startLine - 1], last: lines[r!.endLine - 1], r: r! };
  };
  let n = 0;
  for (const t of rs.tables) {
    const x = at(t.id);
    expect(x.first).toBe(`table ${t.family} ${t.name} {`);
    expect(x.last).toBe('}');
    for (const s of t.sets) expect(at(s.id).first).toBe(`\t${s.kind} ${s.name} {`);
    for (const o of t.objects) expect(at(o.id).first).toBe(`\t${o.type} ${o.name} {`);
    for (const c of t.chains) {
      const y = at(c.id);
      expect(y.first).toBe(`\tchain ${c.name} {`);
      expect(y.last).toBe('\t}');
      expect(y.r.startLine >= x.r.startLine && y.r.endLine <= x.r.endLine).toBe(true);
      for (const r of c.rules) {
        const z = at(r.id);
        // a rule with a chain binding is listed on several lines
        const own = emitRule(r, t.family).split('\n');
        expect(z.r.endLine - z.r.startLine).toBe(own.length - 1);
        expect(z.first).toBe(`\t\t${own[0]}`);
        expect(z.last).toBe(own.length > 1 ? own[own.length - 1] : `\t\t${own[0]}`);
        n++;
      }
    }
  }
  return n;
}

describe('the line map', () => {
  it('matches the text for every template', () => {
    for (const t of TEMPLATES) checkMap(parse(t.text).ruleset);
  });
  it('matches the text when a rule is listed on several lines (a chain binding)', () => {
    const text = 'table inet t {\n\tchain c {\n\t\ttcp dport 22 jump {\n\t\t\tip saddr 10.0.0.0/8 accept\n\t\t\tdrop\n\t\t}\n\t\tudp dport 53 accept\n\t}\n}\n';
    const rs = parse(text).ruleset;
    expect(rs.tables[0].chains[0].rules[0].stmts.map((x) => x.kind)).toContain('binding');
    expect(checkMap(rs)).toBe(2);
    expect(emit(rs).map.get(rs.tables[0].chains[0].rules[1].id)).toEqual({ startLine: 7, endLine: 7 });
  });
  it('matches the text of a 2,000-rule design, and again after one rule is edited', () => {
    let rs = parse(generateRuleset(2000, 3).text).ruleset;
    expect(checkMap(rs)).toBeGreaterThanOrEqual(2000);
    const c = rs.tables[0].chains[Math.min(2, rs.tables[0].chains.length - 1)];
    rs = updateRule(rs, c.rules[1].id, { comment: 'edited' });
    expect(checkMap(rs)).toBeGreaterThanOrEqual(2000);
    expect(emit(rs).text).toContain('comment "edited"');
  });
});
