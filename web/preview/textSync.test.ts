import { describe, expect, it } from 'vitest';
import { TextSyncPolicy } from './textSync.ts';

describe('TextSyncPolicy', () => {
  it('applies external versions at once while the editor is not focused', () => {
    const s = new TextSyncPolicy();
    expect(s.external()).toBe('apply');
    s.userEdit();
    expect(s.external()).toBe('apply');
  });

  it('applies at once when focused but the user has not typed', () => {
    const s = new TextSyncPolicy();
    s.focus();
    expect(s.external()).toBe('apply');
  });

  it('holds back the app text while the user is typing, and applies it on blur', () => {
    const s = new TextSyncPolicy();
    s.focus();
    s.userEdit();
    expect(s.external()).toBe('none');
    expect(s.isDeferred).toBe(true);
    expect(s.blur(false)).toBe('apply');
    expect(s.isDeferred).toBe(false);
  });

  it('keeps the user text on blur if they typed after the held-back version arrived', () => {
    const s = new TextSyncPolicy();
    s.focus();
    s.userEdit();
    expect(s.external()).toBe('none');
    s.userEdit(); // e.g. text that does not parse: the app will not answer
    expect(s.blur(false)).toBe('none');
  });

  it('does not apply on blur when a pending edit was just sent (the app will answer it)', () => {
    const s = new TextSyncPolicy();
    s.focus();
    s.userEdit();
    expect(s.external()).toBe('none');
    expect(s.blur(true)).toBe('none');
    // the app's answer comes while unfocused: applied
    expect(s.external()).toBe('apply');
  });

  it('does nothing on blur when nothing was held back', () => {
    const s = new TextSyncPolicy();
    s.focus();
    s.userEdit();
    expect(s.blur(false)).toBe('none');
  });

  it('applies the answer to undo/redo keys routed to the app even while focused and typing', () => {
    const s = new TextSyncPolicy();
    s.focus();
    s.userEdit();
    s.expectExternal();
    expect(s.external()).toBe('apply');
    s.userEdit();
    expect(s.external()).toBe('none');
  });
});
