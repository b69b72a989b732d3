// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { useDesign } from './design.ts';
import { useUi } from './ui.ts';
import { DESIGN_PREFIX, listDesigns } from './persist.ts';
import { decodeShare, encodeShare } from './share.ts';
import { newDesign, receiveShare, removeDesign, resolvePendingShare, saveNow, startSession, useSession } from './session.ts';

const design = (table: string): Ruleset => parse(`table inet ${table} {\n}\n`).ruleset;
const names = (): string[] => listDesigns().map((d) => d.name);

beforeEach(() => {
  localStorage.clear();
  useSession.setState({ designs: [], recoveries: [], pendingShare: null, saveError: null });
  // an empty browser: a blank, unsaved design is open
  startSession();
  useUi.setState({ notice: null });
});

describe('deleting designs', () => {
  function three(): { a: string; b: string; u: string } {
    const u = useSession.getState().id;
    newDesign('A', design('a'));
    const a = useSession.getState().id;
    newDesign('B', design('b'));
    const b = useSession.getState().id;
    expect(names()).toEqual(['B', 'A', 'Untitled design']);
    return { a, b, u };
  }

  it('deleting the open design opens the next one and does not bring the deleted one back', () => {
    const { a, b } = three();
    removeDesign(b);
    expect(names()).toEqual(['A', 'Untitled design']);
    expect(localStorage.getItem(DESIGN_PREFIX + b)).toBeNull();
    expect(useSession.getState()).toMatchObject({ id: a, name: 'A' });
    expect(useSession.getState().designs.map((d) => d.name)).toEqual(['A', 'Untitled design']);
    expect(useDesign.getState().ruleset.tables[0].name).toBe('a');
  });

  it('deleting another design leaves the open one alone', () => {
    const { a, b } = three();
    removeDesign(a);
    expect(names()).toEqual(['B', 'Untitled design']);
    expect(useSession.getState().id).toBe(b);
    expect(localStorage.getItem(DESIGN_PREFIX + a)).toBeNull();
  });

  it('deleting the last design opens a blank one', () => {
    useDesign.getState().replace(design('x'));
    saveNow();
    const id = useSession.getState().id;
    expect(names()).toEqual(['Untitled design']);
    removeDesign(id);
    expect(localStorage.getItem(DESIGN_PREFIX + id)).toBeNull();
    expect(names()).toEqual([]);
    expect(useSession.getState().id).not.toBe(id);
    expect(useDesign.getState().ruleset.tables).toEqual([]);
  });
});

describe('opening share links', () => {
  beforeEach(() => {
    useSession.getState().rename('mine');
    useDesign.getState().replace(design('mine'));
    saveNow();
  });

  it('a design of tables only opens at once as a new design', () => {
    receiveShare(decodeShare(encodeShare('plain', parse(TEMPLATES[0].text).ruleset)));
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useSession.getState().name).toBe('plain');
    expect(emit(useDesign.getState().ruleset).text).toBe(TEMPLATES[0].text);
    expect(names()).toEqual(['plain', 'mine']);
    expect(useUi.getState().notice).toMatchObject({ severity: 'success' });
  });

  it('a design with top-level commands waits for confirmation, showing them, and replaces nothing meanwhile', () => {
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
    expect(names()).toEqual(['mine']);

    resolvePendingShare(false);
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useDesign.getState().ruleset).toBe(before);
    expect(names()).toEqual(['mine']);
    expect(useUi.getState().notice).toMatchObject({ severity: 'info', text: expect.stringContaining('not opened') });
  });

  it('"Open" opens the confirmed design as a new one and keeps the current one saved', () => {
    const rs = design('shared');
    rs.includes = [{ id: 'i1', path: '/etc/nftables.d/extra.nft' }];
    receiveShare(decodeShare(encodeShare('with include', rs)));
    expect(useSession.getState().pendingShare?.notable).toEqual([{ text: 'include "/etc/nftables.d/extra.nft"', note: expect.any(String) }]);
    resolvePendingShare(true);
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useSession.getState().name).toBe('with include');
    expect(useDesign.getState().ruleset.includes).toHaveLength(1);
    expect(names()).toEqual(['with include', 'mine']);
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
    startSession();
    expect(location.hash).toBe('');
    expect(useSession.getState().name).toBe('mine');
    await expect.poll(() => useSession.getState().pendingShare?.name).toBe('from url');
    expect(useSession.getState().name).toBe('mine');
  });
});
