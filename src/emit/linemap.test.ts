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
        expect(z.r.startLine).toBe(z.r.endLine);
        expect(z.first).toBe(`\t\t${emitRule(r, t.family)}`);
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
  it('matches the text of a 2,000-rule design, and again after one rule is edited', () => {
    let rs = parse(generateRuleset(2000, 3).text).ruleset;
    expect(checkMap(rs)).toBeGreaterThanOrEqual(2000);
    const c = rs.tables[0].chains[Math.min(2, rs.tables[0].chains.length - 1)];
    rs = updateRule(rs, c.rules[1].id, { comment: 'edited' });
    expect(checkMap(rs)).toBeGreaterThanOrEqual(2000);
    expect(emit(rs).text).toContain('comment "edited"');
  });
});
