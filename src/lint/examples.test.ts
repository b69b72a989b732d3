/**
 * Every finding, firing and not firing: each entry of LINT_EXAMPLES has a broken
 * text that produces it and a fixed one that does not.
 */
import { describe, expect, it } from 'vitest';
import { FINDINGS } from './checks/index.ts';
import { LINT_EXAMPLES } from './fixtures/examples.ts';
import { byId, errors, lintText } from './fixtures/lintText.ts';

describe('lint examples', () => {
  it('cover every finding id of every check', () => {
    const covered = new Set(LINT_EXAMPLES.map((e) => e.id));
    const missing = FINDINGS.map((f) => f.id).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });

  it('use the severity the catalogue declares', () => {
    const declared = new Map(FINDINGS.map((f) => [f.id, f.severity]));
    for (const e of LINT_EXAMPLES) expect([e.id, declared.get(e.id)]).toEqual([e.id, e.severity]);
  });

  for (const [i, e] of LINT_EXAMPLES.entries()) {
    const opts = { targetVersion: e.targetVersion, forJson: e.forJson };
    it(`${e.id} #${i}: fires on the broken example`, () => {
      const r = lintText(e.bad, { ...opts, model: e.model });
      const hits = byId(r.found, e.id);
      expect(hits.length, JSON.stringify(r.found.map((d) => d.id))).toBeGreaterThan(0);
      for (const d of hits) {
        expect(d.severity).toBe(e.severity);
        expect(d.message).not.toMatch(/\n/);
        expect(d.why?.length ?? 0).toBeGreaterThan(40);
        expect(d.nodeId).toBeTruthy();
        if (!e.model) expect(d.range, `${e.id} has a range`).toBeDefined();
        else expect(d.range).toBeUndefined();
      }
    });
    it(`${e.id} #${i}: stays quiet on the fixed example`, () => {
      const r = lintText(e.good, opts);
      expect(byId(r.found, e.id)).toEqual([]);
      expect(errors([...r.parsed, ...r.found]).map((d) => `${d.id}: ${d.message}`)).toEqual([]);
    });
  }
});
