import { beforeEach, describe, expect, it } from 'vitest';
import { emit } from '../../src/emit/index.ts';
import { updateTable } from '../../src/model/ops.ts';
import { parse } from '../../src/parse/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { applyEditedText } from '../actions/textEdit.ts';
import { discardPendingEdit, useTextErrors } from '../actions/textErrors.ts';
import { clearHistory, undo, useDesign } from '../store/design.ts';
import { TextSyncPolicy } from './textSync.ts';

describe('TextSyncPolicy', () => {
  it('applies every new version at once while the editor shows the app text, focused or not', () => {
    const s = new TextSyncPolicy();
    expect(s.update(0, false)).toBe('apply');
    expect(s.update(0, false)).toBe('none');
    expect(s.update(1, false)).toBe('apply');
    s.focus();
    expect(s.update(2, false)).toBe('apply');
    expect(s.inSync).toBe(true);
  });

  it('holds back the canonical form of taken text while the user types, and applies it on blur', () => {
    const s = new TextSyncPolicy();
    s.update(0, false);
    s.focus();
    s.userEdit();
    expect(s.inSync).toBe(false);
    expect(s.update(1, false)).toBe('none');
    s.userEdit();
    expect(s.update(2, false)).toBe('none');
    expect(s.blur(false)).toBe('apply');
    expect(s.inSync).toBe(true);
    expect(s.banner).toBe('none');
  });

  it('applies the canonical form on blur even when taking the text changed nothing (no new version needed)', () => {
    const s = new TextSyncPolicy();
    s.update(0, false);
    s.focus();
    s.userEdit();
    expect(s.blur(false)).toBe('apply');
  });

  it('waits for the answer to an edit sent on blur, and applies it when it comes', () => {
    const s = new TextSyncPolicy();
    s.update(0, false);
    s.focus();
    s.userEdit();
    expect(s.blur(true)).toBe('none');
    expect(s.update(1, false)).toBe('apply');
  });

  it('keeps refused text, focused or not, whatever versions arrive; the banner shows once the editor is left', () => {
    const s = new TextSyncPolicy();
    s.update(0, false);
    s.focus();
    s.userEdit();
    expect(s.update(0, true)).toBe('none');
    expect(s.holdsUnparsedText).toBe(true);
    expect(s.banner).toBe('none'); // typing: the markers say enough
    expect(s.blur(false)).toBe('none');
    expect(s.banner).toBe('unparsed');
    // a change from the forms
    expect(s.update(1, true)).toBe('none');
    expect(s.banner).toBe('unparsed-held');
    s.focus();
    expect(s.banner).toBe('unparsed-held'); // the design moved on: still said while editing
    expect(s.update(2, true)).toBe('none');
    expect(s.blur(false)).toBe('none');
    expect(s.discard()).toBe('apply');
    expect(s.banner).toBe('none');
    expect(s.update(2, false)).toBe('none');
    expect(s.update(3, false)).toBe('apply');
  });

  it('once refused text is fixed (taken), the canonical form waits for blur and the banner goes', () => {
    const s = new TextSyncPolicy();
    s.update(0, false);
    s.focus();
    s.userEdit();
    s.update(0, true);
    s.blur(false);
    s.update(1, true); // a form change, held
    s.focus();
    s.userEdit();
    expect(s.update(2, false)).toBe('none');
    expect(s.banner).toBe('none');
    expect(s.blur(false)).toBe('apply');
  });

  it('shows the answer to undo/redo keys routed to the app at once, unless the text just sent was refused', () => {
    const s = new TextSyncPolicy();
    s.update(0, false);
    s.focus();
    s.userEdit();
    s.expectExternal();
    expect(s.update(1, false)).toBe('apply');
    s.userEdit();
    expect(s.update(2, false)).toBe('none'); // not expected: typing goes on
    s.userEdit();
    s.expectExternal();
    expect(s.update(3, true)).toBe('none');
    expect(s.banner).toBe('unparsed-held');
  });

  it('a restored refused text is held, with the banner', () => {
    const s = new TextSyncPolicy(true);
    expect(s.update(5, true)).toBe('none');
    expect(s.holdsUnparsedText).toBe(true);
    expect(s.banner).toBe('unparsed-held');
  });

  it('undoing the typing back to the app text is in sync again', () => {
    const s = new TextSyncPolicy();
    s.update(0, false);
    s.focus();
    s.userEdit();
    s.update(0, true);
    s.backInSync();
    expect(s.holdsUnparsedText).toBe(false);
    expect(s.update(1, true)).toBe('apply');
  });
});

/**
 * The policy driven by the app's own store and text action, as the preview
 * panel wires them: versions and verdicts come from useDesign and
 * applyEditedText, not from the test.
 */
describe('TextSyncPolicy with the app store', () => {
  const WIKI = TEMPLATES[0].text;
  const version = (): number => useDesign.getState().externalVersion;
  const refused = (): boolean => useTextErrors.getState().pending !== null;
  const appText = (): string => emit(useDesign.getState().ruleset).text;

  beforeEach(() => {
    discardPendingEdit();
    useDesign.getState().replace(parse(WIKI).ruleset, { untracked: true });
    clearHistory();
  });

  /** A mounted preview: editor text and the policy, with the panel's wiring. */
  function preview() {
    const s = new TextSyncPolicy();
    let editor = appText();
    s.update(version(), refused());
    return {
      s,
      editor: () => editor,
      type(text: string) {
        editor = text;
        s.userEdit();
        applyEditedText(text); // the debounced report; the store answers synchronously
      },
      render() {
        if (s.update(version(), refused()) === 'apply') editor = appText();
      },
      blur() {
        if (s.blur(false) === 'apply') editor = appText();
      },
      discard() {
        if (s.discard() === 'apply') editor = appText();
        discardPendingEdit();
      },
    };
  }

  it('the canonical form of typed text replaces it on blur; line counts differ until then', () => {
    const p = preview();
    p.s.focus();
    // two blank lines and a rule typed on one line with odd spacing
    const typed = WIKI.replace('\t\tct state invalid drop\n', '\t\tct state invalid drop\n\n\n\t\tip   saddr 10.0.0.1    drop\n');
    const v = version();
    p.type(typed);
    expect(version()).toBe(v + 1); // the real store answers the editor's own text
    p.render();
    expect(p.editor()).toBe(typed); // held while typing
    expect(appText().split('\n').length).toBe(typed.split('\n').length - 2);
    p.blur();
    expect(p.editor()).toBe(appText());
    expect(p.editor()).toContain('\t\tip saddr 10.0.0.1 drop\n');
  });

  it('text the design takes without change (blank lines) is answered too and replaced on blur', () => {
    const p = preview();
    p.s.focus();
    const v = version();
    p.type(`${WIKI}\n\n`);
    expect(appText()).toBe(WIKI);
    expect(version()).toBe(v + 1);
    p.render();
    expect(p.editor()).toBe(`${WIKI}\n\n`);
    p.blur();
    expect(p.editor()).toBe(WIKI);
  });

  it('typed text that does not parse survives a blur and a form change; it goes only when discarded', () => {
    const p = preview();
    p.s.focus();
    const typed = WIKI.replace('notrack', 'notrack bogus');
    p.type(typed);
    expect(refused()).toBe(true);
    p.render();
    p.blur();
    expect(p.editor()).toBe(typed);
    expect(p.s.banner).toBe('unparsed');
    // the user changes a field in the forms
    const t = useDesign.getState().ruleset.tables[0];
    useDesign.getState().apply((rs) => updateTable(rs, t.id, { comment: 'demo' }));
    p.render();
    expect(p.editor()).toBe(typed);
    expect(p.s.banner).toBe('unparsed-held');
    // undo from the toolbar: still held
    undo();
    p.render();
    expect(p.editor()).toBe(typed);
    p.discard();
    expect(p.editor()).toBe(appText());
    expect(refused()).toBe(false);
    expect(p.s.banner).toBe('none');
  });

  it('fixing the refused text makes it the design; its canonical form then waits for blur', () => {
    const p = preview();
    p.s.focus();
    p.type(WIKI.replace('notrack', 'notrack bogus'));
    p.render();
    const fixed = WIKI.replace('\t\tct state invalid drop\n', '\t\tct state invalid   drop\n');
    p.type(fixed);
    expect(refused()).toBe(false);
    p.render();
    expect(p.editor()).toBe(fixed);
    p.blur();
    expect(p.editor()).toBe(WIKI);
  });
});
