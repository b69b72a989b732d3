// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import { updateRule } from '../../src/model/ops.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { clearHistory, redo, undo, useDesign } from './design.ts';
import { decodeShare, encodeShare } from './share.ts';

const wiki = () => parse(TEMPLATES[0].text).ruleset;

describe('design store: undo/redo', () => {
  beforeEach(() => {
    useDesign.getState().replace(wiki(), { untracked: true });
    clearHistory();
  });
  it('a burst of edits to one field is one undo step; another field is another', () => {
    const rule = useDesign.getState().ruleset.tables[0].chains[1].rules[0];
    for (const c of ['a', 'ab', 'abc']) useDesign.getState().apply((rs) => updateRule(rs, rule.id, { comment: c }), { coalesce: `${rule.id}:comment` });
    useDesign.getState().apply((rs) => updateRule(rs, rule.id, { stmts: rule.stmts.slice(0, 2) }), { coalesce: `${rule.id}:stmts` });
    expect(useDesign.temporal.getState().pastStates).toHaveLength(2);
    undo();
    expect(useDesign.getState().ruleset.tables[0].chains[1].rules[0].comment).toBe('abc');
    undo();
    expect(useDesign.getState().ruleset.tables[0].chains[1].rules[0].comment).toBeUndefined();
    redo();
    expect(useDesign.getState().ruleset.tables[0].chains[1].rules[0].comment).toBe('abc');
  });
  it("every change bumps externalVersion, the preview text's too; text that changes nothing is answered without an undo step", () => {
    const v = useDesign.getState().externalVersion;
    useDesign.getState().apply((rs) => ({ ...rs, preamble: 'flush' }), { origin: 'text' });
    expect(useDesign.getState().externalVersion).toBe(v + 1);
    useDesign.getState().apply((rs) => ({ ...rs, preamble: 'none' }));
    expect(useDesign.getState().externalVersion).toBe(v + 2);
    const steps = useDesign.temporal.getState().pastStates.length;
    useDesign.getState().apply((rs) => rs, { origin: 'text' });
    expect(useDesign.getState().externalVersion).toBe(v + 3);
    useDesign.getState().apply((rs) => rs);
    expect(useDesign.getState().externalVersion).toBe(v + 3);
    expect(useDesign.temporal.getState().pastStates).toHaveLength(steps);
  });
});

describe('share links', () => {
  it('round-trip a design through the URL fragment', () => {
    const rs = wiki();
    const link = encodeShare('wiki', rs);
    expect(link.startsWith('#share=v1.')).toBe(true);
    const back = decodeShare(link);
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.name).toBe('wiki');
      expect(emit(back.ruleset).text).toBe(TEMPLATES[0].text);
    }
  });
  it('refuse damaged, foreign and malicious content with a reason', () => {
    expect(decodeShare('#share=v1.AAAA').ok).toBe(false);
    expect(decodeShare('#share=v2.x').ok).toBe(false);
    const rs = wiki();
    rs.tables[0].comment = 'x"\nflush ruleset';
    const evil = decodeShare(encodeShare('evil', rs));
    expect(evil).toMatchObject({ ok: false });
    if (!evil.ok) expect(evil.error).toContain('cannot be written safely');
    const shape = JSON.parse(JSON.stringify(wiki()));
    shape.tables[0].chains = 'nope';
    expect(decodeShare(encodeShare('bad', shape)).ok).toBe(false);
  });
});
