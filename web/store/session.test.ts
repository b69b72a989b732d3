// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clear, get, keys, set } from 'idb-keyval';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { useDesign } from './design.ts';
import { useUi } from './ui.ts';
import { DESIGN_PREFIX, INDEX_KEY, RECOVERED_PREFIX, designStore, listDesigns, saveDesign, type StoredDesign } from './persist.ts';
import { decodeShare, encodeShare } from './share.ts';
import { FLUSH_AT_ONCE_RULES, flushNow, newDesign, receiveShare, removeAllDesigns, removeDesign, resolvePendingShare, saveNow, settled, startAutosave, startSession, switchDesign, useSession } from './session.ts';

const design = (table: string): Ruleset => parse(`table inet ${table} {\n}\n`).ruleset;
const store = () => {
  const s = designStore();
  if (!s) throw new Error('no IndexedDB');
  return s;
};
/** the names in the stored list, once every save asked for so far has been written */
const names = async (): Promise<string[]> => {
  await settled();
  return (await listDesigns()).map((d) => d.name);
};
const storedDesign = (id: string) => get<StoredDesign>(DESIGN_PREFIX + id, store());

const realPut = IDBObjectStore.prototype.put;
/** the designs written (their keys), in order */
let puts: string[] = [];

beforeEach(async () => {
  await settled();
  localStorage.clear();
  await clear(store());
  puts = [];
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (typeof key === 'string' && key.startsWith(DESIGN_PREFIX)) puts.push(key);
    return realPut.call(this, value, key);
  };
  useSession.setState({ designs: [], recoveries: [], pendingShare: null, saveError: null });
  // an empty browser: a blank, unsaved design is open
  await startSession();
  useUi.setState({ notice: null });
});
afterEach(() => {
  IDBObjectStore.prototype.put = realPut;
});

describe('deleting designs', () => {
  function three(): { a: string; b: string; u: string } {
    const u = useSession.getState().id;
    newDesign('A', design('a'));
    const a = useSession.getState().id;
    newDesign('B', design('b'));
    const b = useSession.getState().id;
    return { a, b, u };
  }

  it('deleting the open design opens the next one and does not bring the deleted one back', async () => {
    const { a, b } = three();
    expect(await names()).toEqual(['B', 'A', 'Untitled design']);
    await removeDesign(b);
    expect(await names()).toEqual(['A', 'Untitled design']);
    expect(await storedDesign(b)).toBeUndefined();
    expect(useSession.getState()).toMatchObject({ id: a, name: 'A' });
    expect(useSession.getState().designs.map((d) => d.name)).toEqual(['A', 'Untitled design']);
    expect(useDesign.getState().ruleset.tables[0].name).toBe('a');
  });

  it('deleting the open design while its save is still under way does not bring it back', async () => {
    const { a, b } = three();
    useSession.getState().rename('B, edited');
    const saving = saveNow();
    await removeDesign(b);
    await saving;
    // and a flush on leaving the page right after does not write it either
    await flushNow();
    expect(await names()).toEqual(['A', 'Untitled design']);
    expect(await storedDesign(b)).toBeUndefined();
    expect(useSession.getState().id).toBe(a);
  });

  it('deleting another design leaves the open one alone', async () => {
    const { a, b } = three();
    await removeDesign(a);
    expect(await names()).toEqual(['B', 'Untitled design']);
    expect(useSession.getState().id).toBe(b);
    expect(await storedDesign(a)).toBeUndefined();
  });

  it('deleting the last design opens a blank one', async () => {
    useDesign.getState().replace(design('x'));
    await saveNow();
    const id = useSession.getState().id;
    expect(await names()).toEqual(['Untitled design']);
    await removeDesign(id);
    expect(await storedDesign(id)).toBeUndefined();
    expect(await names()).toEqual([]);
    expect(useSession.getState().id).not.toBe(id);
    expect(useDesign.getState().ruleset.tables).toEqual([]);
  });
  it('deleting every design (reset for the next class) leaves nothing stored, even a save under way, and opens a blank design', async () => {
    const { a, b } = three();
    await settled();
    // a kept-aside unreadable save, and a left-over of the localStorage days
    await set(`${RECOVERED_PREFIX}zz.1`, 'garbage', store());
    localStorage.setItem(`${DESIGN_PREFIX}old`, '{}');
    useSession.getState().rename('B, edited');
    const saving = saveNow();
    const n = await removeAllDesigns();
    await saving;
    await flushNow();
    expect(n).toBe(3);
    expect(await names()).toEqual([]);
    for (const id of [a, b]) expect(await storedDesign(id)).toBeUndefined();
    expect((await keys(store())).filter((k) => String(k) !== INDEX_KEY)).toEqual([]);
    expect(localStorage.getItem(`${DESIGN_PREFIX}old`)).toBeNull();
    expect(useSession.getState().designs).toEqual([]);
    expect(useSession.getState().id).not.toBe(b);
    expect(useDesign.getState().ruleset.tables).toEqual([]);
    // the blank design is saved once it changes, as any other
    useDesign.getState().replace(design('next'));
    await saveNow();
    expect(await names()).toEqual(['Untitled design']);
  });
});

describe('opening share links', () => {
  beforeEach(async () => {
    useSession.getState().rename('mine');
    useDesign.getState().replace(design('mine'));
    await saveNow();
  });

  it('a design of tables only opens at once as a new design', async () => {
    receiveShare(decodeShare(encodeShare('plain', parse(TEMPLATES[0].text).ruleset)));
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useSession.getState().name).toBe('plain');
    expect(emit(useDesign.getState().ruleset).text).toBe(TEMPLATES[0].text);
    expect(await names()).toEqual(['plain', 'mine']);
    expect(useUi.getState().notice).toMatchObject({ severity: 'success' });
  });

  it('a design with top-level commands waits for confirmation, showing them, and replaces nothing meanwhile', async () => {
    const rs = design('shared');
    rs.commands = [
      { id: 'c1', text: 'flush ruleset', at: 'end' },
      { id: 'c2', text: 'delete table ip filter', at: 'start' },
    ];
    const before = useDesign.getState().ruleset;
    receiveShare(decodeShare(encodeShare('evil', rs)));
    const p = useSession.getState().pendingShare;
    expect(p?.name).toBe('evil');
    expect(p?.notable.map((c) => c.text)).toEqual(['delete table ip filter', 'flush ruleset']);
    expect(useDesign.getState().ruleset).toBe(before);
    expect(useSession.getState().name).toBe('mine');
    expect(await names()).toEqual(['mine']);

    resolvePendingShare(false);
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useDesign.getState().ruleset).toBe(before);
    expect(await names()).toEqual(['mine']);
    expect(useUi.getState().notice).toMatchObject({ severity: 'info', text: expect.stringContaining('not opened') });
  });

  it('"Open" opens the confirmed design as a new one and keeps the current one saved', async () => {
    const rs = design('shared');
    rs.includes = [{ id: 'i1', path: '/etc/nftables.d/extra.nft' }];
    receiveShare(decodeShare(encodeShare('with include', rs)));
    expect(useSession.getState().pendingShare?.notable).toEqual([{ text: 'include "/etc/nftables.d/extra.nft"', note: expect.any(String) }]);
    resolvePendingShare(true);
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useSession.getState().name).toBe('with include');
    expect(useDesign.getState().ruleset.includes).toHaveLength(1);
    expect(await names()).toEqual(['with include', 'mine']);
  });

  it('a refused link only says why', () => {
    const before = useDesign.getState().ruleset;
    receiveShare(decodeShare('#share=v1.AAAA'));
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useDesign.getState().ruleset).toBe(before);
    expect(useUi.getState().notice).toMatchObject({ severity: 'error', text: expect.stringContaining('Could not open the share link') });
  });

  it('start-up with a share link in the URL asks before opening a design with commands', async () => {
    const rs = design('shared');
    rs.commands = [{ id: 'c1', text: 'flush ruleset', at: 'end' }];
    history.replaceState(null, '', `/app/${encodeShare('from url', rs)}`);
    const starting = startSession();
    expect(location.hash).toBe('');
    await starting;
    expect(useSession.getState().name).toBe('mine');
    await expect.poll(() => useSession.getState().pendingShare?.name).toBe('from url');
    expect(useSession.getState().name).toBe('mine');
  });
});

describe('saving in the background', () => {
  it('start-up waits for the saved design, and nothing is saved over it before it is open', async () => {
    await saveDesign('real1', 'the real one', design('real'));
    puts = [];
    useSession.setState({ name: 'placeholder' });
    const starting = startSession();
    expect(useSession.getState().ready).toBe(false);
    // an autosave or a flush on leaving that comes before the design is read writes nothing
    await saveNow();
    await flushNow();
    await starting;
    expect(puts).toEqual([]);
    expect(useSession.getState()).toMatchObject({ ready: true, id: 'real1', name: 'the real one' });
    expect(useDesign.getState().ruleset.tables[0].name).toBe('real');
    expect((await storedDesign('real1'))?.name).toBe('the real one');
  });

  it('autosave waits for a quiet moment and writes a burst of changes once', async () => {
    const stop = startAutosave(30);
    try {
      const id = useSession.getState().id;
      for (const n of ['a', 'ab', 'abc', 'abcd']) useSession.getState().rename(n);
      await vi.waitFor(async () => expect((await storedDesign(id))?.name).toBe('abcd'));
      await settled();
      expect(puts).toEqual([DESIGN_PREFIX + id]);
    } finally {
      stop();
    }
  });

  it('the last change before the tab closes is written on pagehide, and on the tab being hidden', async () => {
    const stop = startAutosave(60_000);
    try {
      const id = useSession.getState().id;
      useSession.getState().rename('last words');
      globalThis.dispatchEvent(new Event('pagehide'));
      // the write was handed to IndexedDB during the event: nothing else needs a turn
      expect(puts).toEqual([DESIGN_PREFIX + id]);
      await vi.waitFor(async () => expect((await storedDesign(id))?.name).toBe('last words'));
      useSession.getState().rename('hidden');
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      try {
        document.dispatchEvent(new Event('visibilitychange'));
      } finally {
        Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      }
      await vi.waitFor(async () => expect((await storedDesign(id))?.name).toBe('hidden'));
      // nothing changed since: leaving again writes nothing
      globalThis.dispatchEvent(new Event('pagehide'));
      expect(puts).toHaveLength(2);
    } finally {
      stop();
    }
  });

  it('a big design is saved in the background when the tab is hidden, and at once when it closes', async () => {
    const stop = startAutosave(60_000);
    const hide = (): void => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      try {
        document.dispatchEvent(new Event('visibilitychange'));
      } finally {
        Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      }
    };
    try {
      const rules = Array.from({ length: FLUSH_AT_ONCE_RULES + 1 }, (_, i) => `\t\ttcp dport ${1 + (i % 60000)} accept`).join('\n');
      useDesign.getState().replace(parse(`table inet big {\n\tchain c {\n${rules}\n\t}\n}\n`).ruleset);
      const id = useSession.getState().id;
      hide();
      // not written during the event: the save runs in slices
      expect(puts).toEqual([]);
      await vi.waitFor(async () => expect((await storedDesign(id))?.name).toBe('Untitled design'));
      expect(puts).toEqual([DESIGN_PREFIX + id]);
      useSession.getState().rename('closing');
      hide();
      globalThis.dispatchEvent(new Event('pagehide'));
      // the hidden tab's background save is overtaken by the write at once on pagehide
      expect(puts).toEqual([DESIGN_PREFIX + id, DESIGN_PREFIX + id]);
      await settled();
      expect(puts).toHaveLength(2);
      expect((await storedDesign(id))?.name).toBe('closing');
    } finally {
      stop();
    }
  });

  it('closing the tab while a save is still compressing writes the design at once; the slower save is then skipped', async () => {
    const stop = startAutosave(60_000);
    try {
      const id = useSession.getState().id;
      useSession.getState().rename('compressing');
      const slow = saveNow();
      globalThis.dispatchEvent(new Event('pagehide'));
      expect(puts).toEqual([DESIGN_PREFIX + id]);
      await slow;
      await settled();
      expect(puts).toEqual([DESIGN_PREFIX + id]);
      expect((await storedDesign(id))?.name).toBe('compressing');
    } finally {
      stop();
    }
  });

  it('two saves never land out of order: an older save still compressing does not overwrite a newer one', async () => {
    const id = useSession.getState().id;
    useDesign.getState().replace(design('older'));
    const older = saveNow();
    useDesign.getState().replace(design('newer'));
    await flushNow();
    await older;
    await settled();
    const back = await storedDesign(id);
    expect(back?.savedAt).toBeGreaterThan(0);
    const { loadAll } = await import('./persist.ts');
    expect((await loadAll()).current?.ruleset.tables[0].name).toBe('newer');
    expect(puts).toEqual([DESIGN_PREFIX + id]);
  });

  it('saves queued behind a newer one of the same design are skipped', async () => {
    const id = useSession.getState().id;
    for (const t of ['one', 'two', 'three']) {
      useDesign.getState().replace(design(t));
      void saveNow();
    }
    await settled();
    expect(puts).toEqual([DESIGN_PREFIX + id]);
    expect((await storedDesign(id))?.name).toBe('Untitled design');
  });

  it('switching designs does not rewrite the one opened, and puts it first in the list', async () => {
    newDesign('A', design('a'));
    const a = useSession.getState().id;
    newDesign('B', design('b'));
    await settled();
    puts = [];
    expect(await switchDesign(a)).toBe(true);
    expect(useSession.getState().name).toBe('A');
    await settled();
    expect(puts).toEqual([]);
    expect(await names()).toEqual(['A', 'B', 'Untitled design']);
    expect(useSession.getState().designs.map((d) => d.name)).toEqual(['A', 'B', 'Untitled design']);
  });

  it('a save refused for quota is reported as such; the next good save clears it', async () => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    useSession.getState().rename('too big');
    await saveNow();
    expect(useSession.getState().saveError).toMatchObject({ quota: true });
    IDBObjectStore.prototype.put = realPut;
    // nothing changed, but the failed content is still unsaved: the next save tries again
    await saveNow();
    expect(useSession.getState().saveError).toBeNull();
    expect((await storedDesign(useSession.getState().id))?.name).toBe('too big');
  });

  it('deleting a design to make room saves the open one again at once', async () => {
    newDesign('old stuff', design('old'));
    const old = useSession.getState().id;
    newDesign('work', design('work'));
    await settled();
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    useSession.getState().rename('work, edited');
    await saveNow();
    expect(useSession.getState().saveError).toMatchObject({ quota: true });
    IDBObjectStore.prototype.put = realPut;
    await removeDesign(old);
    await settled();
    expect(useSession.getState().saveError).toBeNull();
    expect(await names()).toEqual(['work, edited', 'Untitled design']);
  });
});
