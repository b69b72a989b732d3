// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import { updateRule } from '../../src/model/ops.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { clearHistory, redo, undo, useDesign } from './design.ts';
import { decodeShare, encodeShare } from './share.ts';
import { DESIGN_PREFIX, INDEX_KEY, loadAll, saveDesign } from './persist.ts';

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
  it('changes from the preview text do not bump externalVersion; others do', () => {
    const v = useDesign.getState().externalVersion;
    useDesign.getState().apply((rs) => ({ ...rs, preamble: 'flush' }), { origin: 'text' });
    expect(useDesign.getState().externalVersion).toBe(v);
    useDesign.getState().apply((rs) => ({ ...rs, preamble: 'none' }));
    expect(useDesign.getState().externalVersion).toBe(v + 1);
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

describe('persistence', () => {
  beforeEach(() => localStorage.clear());
  it('saves several designs and reopens the last one', () => {
    saveDesign('a1', 'first', wiki());
    saveDesign('b2', 'second', parse(TEMPLATES[2].text).ruleset);
    const r = loadAll();
    expect(r.current?.name).toBe('second');
    expect(r.designs.map((d) => d.name)).toEqual(['second', 'first']);
    expect(r.recoveries).toEqual([]);
  });
  it('recovers a corrupt save: reported with its raw content, kept aside, the next design opens', () => {
    saveDesign('a1', 'good', wiki());
    saveDesign('b2', 'broken', wiki());
    localStorage.setItem(`${DESIGN_PREFIX}b2`, '{"format":1,"name":"broken","ruleset":{"schema":1,"tables":');
    const r = loadAll();
    expect(r.current?.name).toBe('good');
    expect(r.recoveries).toHaveLength(1);
    expect(r.recoveries[0].raw).toContain('"broken"');
    expect(Object.keys(localStorage).some((k) => k.startsWith('nftd.recovered.b2'))).toBe(true);
  });
  it('migrates an early draft that stored the bare ruleset', () => {
    const rs = JSON.parse(JSON.stringify(wiki()));
    delete rs.schema;
    localStorage.setItem(`${DESIGN_PREFIX}old`, JSON.stringify(rs));
    localStorage.setItem(INDEX_KEY, JSON.stringify({ format: 1, current: 'old', designs: [{ id: 'old', name: 'old', updatedAt: 1 }] }));
    const r = loadAll();
    expect(r.recoveries).toEqual([]);
    expect(r.current && emit(r.current.ruleset).text).toBe(TEMPLATES[0].text);
  });
  it('survives a broken index', () => {
    localStorage.setItem(INDEX_KEY, 'nope');
    const r = loadAll();
    expect(r.current).toBeNull();
    expect(r.recoveries[0].key).toBe(INDEX_KEY);
  });
});
