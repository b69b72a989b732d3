// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import { updateRule } from '../../src/model/ops.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { clearHistory, redo, undo, useDesign } from './design.ts';
import { decodeShare, encodeShare } from './share.ts';
import { DESIGN_PREFIX, INDEX_KEY, RECOVERED_PREFIX, listDesigns, loadAll, saveDesign } from './persist.ts';

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
  it('rebuilds a corrupt index from the stored designs, keeps the corrupt one aside, and the next save keeps them all', () => {
    saveDesign('a1', 'first', wiki());
    saveDesign('b2', 'second', parse(TEMPLATES[2].text).ruleset);
    saveDesign('c3', 'third', wiki());
    localStorage.setItem(INDEX_KEY, '{"format":1,"current":"c3","desig');
    const r = loadAll();
    expect(r.recoveries).toHaveLength(1);
    expect(r.recoveries[0]).toMatchObject({ key: INDEX_KEY, raw: '{"format":1,"current":"c3","desig', errors: [expect.stringContaining('not valid JSON'), 'the list was rebuilt from the 3 designs found in this browser'] });
    expect(r.designs.map((d) => d.name).sort()).toEqual(['first', 'second', 'third']);
    // the newest opens
    expect(r.current?.name).toBe(r.designs[0].name);
    const kept = Object.keys(localStorage).filter((k) => k.startsWith(`${RECOVERED_PREFIX}index.`));
    expect(kept).toHaveLength(1);
    expect(localStorage.getItem(kept[0])).toBe('{"format":1,"current":"c3","desig');
    // the rebuilt index is stored: an autosave of one design does not orphan the others
    expect(saveDesign('a1', 'first, edited', wiki())).toEqual({ ok: true });
    expect(listDesigns().map((d) => d.name)).toEqual(['first, edited', ...r.designs.filter((d) => d.id !== 'a1').map((d) => d.name)]);
    expect(loadAll().recoveries).toEqual([]);
  });
  it('rebuilds an index of the wrong shape, and lists designs the index missed', () => {
    saveDesign('a1', 'first', wiki());
    localStorage.setItem(INDEX_KEY, 'null');
    expect(loadAll()).toMatchObject({ designs: [{ id: 'a1', name: 'first' }], recoveries: [{ key: INDEX_KEY }] });
    // a design stored without its index entry (e.g. the index write failed)
    localStorage.setItem(`${DESIGN_PREFIX}z9`, JSON.stringify({ format: 1, name: 'orphan', ruleset: wiki(), savedAt: 5 }));
    const r = loadAll();
    expect(r.recoveries).toEqual([]);
    expect(r.designs.map((d) => d.id)).toEqual(['a1', 'z9']);
    expect(r.current?.name).toBe('first');
  });
});
