// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clear, get, keys, set } from 'idb-keyval';
import { strToU8, zlibSync } from 'fflate';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { inflateText } from './codec.ts';
import { DESIGN_PREFIX, INDEX_KEY, RECOVERED_PREFIX, deleteDesign, designStore, listDesigns, loadAll, saveDesign, saveDesignNow, type StoredDesign } from './persist.ts';

const wiki = () => parse(TEMPLATES[0].text).ruleset;
const store = () => {
  const s = designStore();
  if (!s) throw new Error('no IndexedDB');
  return s;
};
const stored = (key: string) => get<unknown>(key, store());
const storedKeys = async () => (await keys(store())).map(String).sort();
const record = (name: string, json: string, savedAt = 1): StoredDesign => ({ format: 2, name, savedAt, deflated: zlibSync(strToU8(json)) });

const realPut = IDBObjectStore.prototype.put;
/** The browser's quota is used up for writes of designs: put throws as Chrome's does when it knows at once. */
function quotaFullOnPut(): void {
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (typeof key === 'string' && key.startsWith(DESIGN_PREFIX)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return realPut.call(this, value, key);
  };
}
/** …or the write is accepted and the transaction aborted at commit with QuotaExceededError (fake-indexeddb's own abort). */
function quotaFullOnCommit(): void {
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const r = realPut.call(this, value, key);
    const tx = this.transaction as IDBTransaction & { _abort: (name: string) => void };
    if (typeof key === 'string' && key.startsWith(DESIGN_PREFIX)) r.addEventListener('success', () => tx._abort('QuotaExceededError'));
    return r;
  };
}

beforeEach(async () => {
  localStorage.clear();
  await clear(store());
});
afterEach(() => {
  IDBObjectStore.prototype.put = realPut;
});

describe('saving in IndexedDB', () => {
  it('saves several designs and reopens the last one', async () => {
    expect(await saveDesign('a1', 'first', wiki())).toMatchObject({ ok: true });
    expect(await saveDesign('b2', 'second', parse(TEMPLATES[2].text).ruleset)).toMatchObject({ ok: true, designs: [{ id: 'b2' }, { id: 'a1' }] });
    const r = await loadAll();
    expect(r.current?.name).toBe('second');
    expect(emit(r.current?.ruleset ?? wiki()).text).toBe(TEMPLATES[2].text);
    expect(r.designs.map((d) => d.name)).toEqual(['second', 'first']);
    expect(r.recoveries).toEqual([]);
  });

  it('stores each design deflated, with its name and time beside the bytes', async () => {
    await saveDesign('a1', 'first', wiki());
    const v = (await stored(`${DESIGN_PREFIX}a1`)) as StoredDesign;
    expect(v).toMatchObject({ format: 2, name: 'first', savedAt: expect.any(Number) });
    const json = JSON.parse(inflateText(v.deflated)) as { name: string; savedAt: number };
    expect(json).toMatchObject({ format: 1, name: 'first', savedAt: v.savedAt });
    expect(v.deflated.length).toBeLessThan(JSON.stringify(json).length / 2);
    expect(await storedKeys()).toEqual([`${DESIGN_PREFIX}a1`, INDEX_KEY]);
  });

  it('the save made when the tab closes is read like any other', async () => {
    await saveDesign('a1', 'first', wiki());
    const r = await saveDesignNow('b2', 'closing', parse(TEMPLATES[2].text).ruleset, await listDesigns());
    expect(r).toMatchObject({ ok: true, designs: [{ id: 'b2', name: 'closing' }, { id: 'a1' }] });
    const back = await loadAll();
    expect(back.current?.name).toBe('closing');
    expect(back.designs.map((d) => d.id)).toEqual(['b2', 'a1']);
  });

  it('deleting a design removes it and its list entry', async () => {
    await saveDesign('a1', 'first', wiki());
    await saveDesign('b2', 'second', wiki());
    expect((await deleteDesign('b2')).map((d) => d.id)).toEqual(['a1']);
    expect(await storedKeys()).toEqual([`${DESIGN_PREFIX}a1`, INDEX_KEY]);
    expect((await loadAll()).current?.name).toBe('first');
  });

  it('a save refused for quota says so, and the previous save and list stay as they were', async () => {
    await saveDesign('a1', 'before', wiki());
    const before = await stored(`${DESIGN_PREFIX}a1`);
    quotaFullOnPut();
    const r = await saveDesign('a1', 'after', parse(TEMPLATES[2].text).ruleset);
    expect(r).toMatchObject({ ok: false, quota: true });
    expect(await stored(`${DESIGN_PREFIX}a1`)).toEqual(before);
    expect(await saveDesign('n3', 'new one', wiki())).toMatchObject({ ok: false, quota: true });
    IDBObjectStore.prototype.put = realPut;
    const back = await loadAll();
    expect(back.designs.map((d) => d.name)).toEqual(['before']);
    expect(emit(back.current?.ruleset ?? parse('').ruleset).text).toBe(TEMPLATES[0].text);
  });

  it('a transaction aborted for quota when it commits leaves the previous save (and its list entry) as it was', async () => {
    await saveDesign('a1', 'before', wiki());
    quotaFullOnCommit();
    expect(await saveDesign('a1', 'after', wiki())).toMatchObject({ ok: false, quota: true });
    expect(await saveDesignNow('a1', 'after', wiki(), [])).toMatchObject({ ok: false, quota: true });
    IDBObjectStore.prototype.put = realPut;
    expect((await stored(`${DESIGN_PREFIX}a1`)) as StoredDesign).toMatchObject({ name: 'before' });
    expect((await loadAll()).designs.map((d) => d.name)).toEqual(['before']);
  });

  it('a design of 5,000 rules round-trips', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `\t\ttcp dport ${1 + i} accept comment "rule ${i}"`);
    const rs = parse(`table inet big {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n${lines.join('\n')}\n\t}\n}\n`).ruleset;
    expect(await saveDesign('big', 'big', rs)).toMatchObject({ ok: true });
    const back = await loadAll();
    expect(back.current?.ruleset.tables[0].chains[0].rules).toHaveLength(5000);
    expect(emit(back.current?.ruleset ?? wiki()).text).toBe(emit(rs).text);
  });
});

describe('unreadable saves are reported and kept', () => {
  it('a corrupt design is reported with its raw content, kept aside once, and the next design opens', async () => {
    await saveDesign('a1', 'good', wiki());
    await saveDesign('b2', 'broken', wiki());
    const bad = '{"format":1,"name":"broken","ruleset":{"schema":1,"tables":';
    await set(`${DESIGN_PREFIX}b2`, record('broken', bad), store());
    const r = await loadAll();
    expect(r.current?.name).toBe('good');
    expect(r.recoveries).toMatchObject([{ key: `${DESIGN_PREFIX}b2`, raw: bad, errors: [expect.stringContaining('not valid JSON')] }]);
    const aside = (await storedKeys()).filter((k) => k.startsWith(`${RECOVERED_PREFIX}b2.`));
    expect(aside).toHaveLength(1);
    expect(await stored(aside[0])).toBe(bad);
    // still there, reported again at the next start, and not copied twice
    expect((await loadAll()).recoveries).toHaveLength(1);
    expect((await storedKeys()).filter((k) => k.startsWith(`${RECOVERED_PREFIX}b2.`))).toHaveLength(1);
    expect(await stored(`${DESIGN_PREFIX}b2`)).toBeDefined();
  });

  it('a record whose bytes do not inflate is reported with its bytes in base64', async () => {
    await set(`${DESIGN_PREFIX}c3`, { format: 2, name: 'x', savedAt: 1, deflated: new Uint8Array([1, 2, 3, 4]) }, store());
    const r = await loadAll();
    expect(r.current).toBeNull();
    expect(r.recoveries).toMatchObject([{ key: `${DESIGN_PREFIX}c3`, raw: 'AQIDBA==', errors: [expect.stringContaining('cannot be decompressed')] }]);
  });

  it('survives a broken index', async () => {
    await set(INDEX_KEY, 'nope', store());
    const r = await loadAll();
    expect(r.current).toBeNull();
    expect(r.recoveries[0].key).toBe(INDEX_KEY);
  });

  it('rebuilds a corrupt index from the stored designs, keeps the corrupt one aside, and the next save keeps them all', async () => {
    await saveDesign('a1', 'first', wiki());
    await saveDesign('b2', 'second', parse(TEMPLATES[2].text).ruleset);
    await saveDesign('c3', 'third', wiki());
    await set(INDEX_KEY, '{"format":1,"current":"c3","desig', store());
    const r = await loadAll();
    expect(r.recoveries).toHaveLength(1);
    expect(r.recoveries[0]).toMatchObject({ key: INDEX_KEY, raw: '{"format":1,"current":"c3","desig', errors: [expect.stringContaining('not valid JSON'), 'the list was rebuilt from the 3 designs found in this browser'] });
    expect(r.designs.map((d) => d.name).sort()).toEqual(['first', 'second', 'third']);
    expect(r.current?.name).toBe(r.designs[0].name);
    const kept = (await storedKeys()).filter((k) => k.startsWith(`${RECOVERED_PREFIX}index.`));
    expect(kept).toHaveLength(1);
    expect(await stored(kept[0])).toBe('{"format":1,"current":"c3","desig');
    // the rebuilt index is stored: an autosave of one design does not orphan the others
    expect(await saveDesign('a1', 'first, edited', wiki())).toMatchObject({ ok: true });
    expect((await listDesigns()).map((d) => d.name)).toEqual(['first, edited', ...r.designs.filter((d) => d.id !== 'a1').map((d) => d.name)]);
    expect((await loadAll()).recoveries).toEqual([]);
  });

  it('rebuilds an index of the wrong shape, and lists designs the index missed', async () => {
    await saveDesign('a1', 'first', wiki());
    await set(INDEX_KEY, null, store());
    expect(await loadAll()).toMatchObject({ designs: [{ id: 'a1', name: 'first' }], recoveries: [{ key: INDEX_KEY }] });
    // a design stored without its index entry (e.g. the tab closed between the two writes)
    await set(`${DESIGN_PREFIX}z9`, record('orphan', JSON.stringify({ format: 1, name: 'orphan', ruleset: wiki(), savedAt: 5 }), 5), store());
    const r = await loadAll();
    expect(r.recoveries).toEqual([]);
    expect(r.designs.map((d) => d.id)).toEqual(['a1', 'z9']);
    expect(r.current?.name).toBe('first');
  });
});

describe('designs saved in localStorage by earlier versions', () => {
  const wikiRs = wiki();
  const legacy = (name: string, savedAt: number, rs = wikiRs) => JSON.stringify({ format: 1, name, ruleset: rs, savedAt });

  it('move into IndexedDB with their list and kept-aside copies; localStorage keeps none of them', async () => {
    localStorage.setItem(`${DESIGN_PREFIX}a1`, legacy('first', 10));
    const second = legacy('second', 20, parse(TEMPLATES[2].text).ruleset);
    localStorage.setItem(`${DESIGN_PREFIX}b2`, second);
    localStorage.setItem(INDEX_KEY, JSON.stringify({ format: 1, current: 'a1', designs: [{ id: 'a1', name: 'first', updatedAt: 10 }, { id: 'b2', name: 'second', updatedAt: 20 }] }));
    localStorage.setItem(`${RECOVERED_PREFIX}x.5`, 'old broken text');
    localStorage.setItem('nftd.prefs', '{"theme":"dark"}');
    const r = await loadAll();
    expect(r.recoveries).toEqual([]);
    expect(r.current?.name).toBe('first');
    expect(r.designs.map((d) => d.name)).toEqual(['first', 'second']);
    expect(Object.keys(localStorage)).toEqual(['nftd.prefs']);
    expect(await storedKeys()).toEqual([`${DESIGN_PREFIX}a1`, `${DESIGN_PREFIX}b2`, INDEX_KEY, `${RECOVERED_PREFIX}x.5`]);
    expect(inflateText(((await stored(`${DESIGN_PREFIX}b2`)) as StoredDesign).deflated)).toBe(second);
    expect(await stored(`${RECOVERED_PREFIX}x.5`)).toBe('old broken text');
    // and they stay: the next start reads them from IndexedDB
    expect((await loadAll()).designs.map((d) => d.name)).toEqual(['first', 'second']);
  });

  it('an early draft that stored the bare ruleset moves and opens', async () => {
    const rs = JSON.parse(JSON.stringify(wiki())) as Record<string, unknown>;
    delete rs.schema;
    localStorage.setItem(`${DESIGN_PREFIX}old`, JSON.stringify(rs));
    localStorage.setItem(INDEX_KEY, JSON.stringify({ format: 1, current: 'old', designs: [{ id: 'old', name: 'old', updatedAt: 1 }] }));
    const r = await loadAll();
    expect(r.recoveries).toEqual([]);
    expect(r.current && emit(r.current.ruleset).text).toBe(TEMPLATES[0].text);
    expect(localStorage.length).toBe(0);
  });

  it('a design that does not read moves byte for byte, and is reported (with that content) when opened', async () => {
    const bad = '{"format":1,"name":"broken","ruleset":{"schema":1,"tables":[{"family":"ipx"';
    localStorage.setItem(`${DESIGN_PREFIX}b2`, bad);
    const r = await loadAll();
    expect(r.recoveries).toMatchObject([{ key: `${DESIGN_PREFIX}b2`, raw: bad }]);
    expect(localStorage.getItem(`${DESIGN_PREFIX}b2`)).toBeNull();
    expect(inflateText(((await stored(`${DESIGN_PREFIX}b2`)) as StoredDesign).deflated)).toBe(bad);
  });

  it('a corrupt localStorage list is kept aside and reported; the list is rebuilt from the designs', async () => {
    localStorage.setItem(`${DESIGN_PREFIX}a1`, legacy('first', 10));
    localStorage.setItem(INDEX_KEY, '{"format":1,"cur');
    const r = await loadAll();
    expect(r.recoveries).toMatchObject([{ key: INDEX_KEY, raw: '{"format":1,"cur' }]);
    expect(r.current?.name).toBe('first');
    expect(localStorage.length).toBe(0);
    const aside = (await storedKeys()).filter((k) => k.startsWith(`${RECOVERED_PREFIX}index.`));
    expect(await stored(aside[0])).toBe('{"format":1,"cur');
  });

  it('when IndexedDB refuses the move, nothing leaves localStorage and every design is offered for download', async () => {
    localStorage.setItem(`${DESIGN_PREFIX}a1`, legacy('first', 10));
    localStorage.setItem(INDEX_KEY, JSON.stringify({ format: 1, current: 'a1', designs: [{ id: 'a1', name: 'first', updatedAt: 10 }] }));
    quotaFullOnPut();
    const r = await loadAll();
    expect(r.recoveries).toMatchObject([{ key: `${DESIGN_PREFIX}a1`, raw: legacy('first', 10), errors: [expect.stringContaining('could not be moved')] }]);
    expect(localStorage.getItem(`${DESIGN_PREFIX}a1`)).toBe(legacy('first', 10));
    expect(localStorage.getItem(INDEX_KEY)).not.toBeNull();
    expect(await stored(`${DESIGN_PREFIX}a1`)).toBeUndefined();
    // the next start (room again) moves it
    IDBObjectStore.prototype.put = realPut;
    expect((await loadAll()).current?.name).toBe('first');
    expect(localStorage.length).toBe(0);
  });

  it('a newer IndexedDB save wins over an older, different localStorage copy, which is kept aside and reported', async () => {
    await saveDesign('a1', 'newer', wiki());
    localStorage.setItem(`${DESIGN_PREFIX}a1`, legacy('older', 1));
    const r = await loadAll();
    expect(r.current?.name).toBe('newer');
    expect(r.recoveries).toMatchObject([{ key: `${DESIGN_PREFIX}a1`, raw: legacy('older', 1), errors: [expect.stringContaining('older copy')] }]);
    const aside = (await storedKeys()).filter((k) => k.startsWith(`${RECOVERED_PREFIX}a1.`));
    expect(await stored(aside[0])).toBe(legacy('older', 1));
    expect(localStorage.length).toBe(0);
  });
});
