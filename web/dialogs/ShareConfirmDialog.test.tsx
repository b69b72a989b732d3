// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { parse } from '../../src/parse/index.ts';
import { useDesign } from '../store/design.ts';
import { decodeShare, encodeShare } from '../store/share.ts';
import { receiveShare, startSession, useSession } from '../store/session.ts';
import ShareConfirmDialog from './ShareConfirmDialog.tsx';

beforeEach(async () => {
  localStorage.clear();
  useSession.setState({ pendingShare: null });
  await startSession();
  const rs = parse('table inet shared {\n}\n').ruleset;
  rs.commands = [{ id: 'c', text: 'flush ruleset', at: 'end' }];
  rs.includes = [{ id: 'i', path: '/etc/x.nft' }];
  receiveShare(decodeShare(encodeShare('sent to me', rs)));
});
afterEach(cleanup);

function show() {
  const p = useSession.getState().pendingShare;
  if (!p) throw new Error('no pending share');
  render(<ShareConfirmDialog pending={p} />);
}

describe('ShareConfirmDialog', () => {
  it('lists the commands verbatim and Cancel has the focus', () => {
    show();
    const items = within(screen.getByTestId('share.confirm.commands')).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('code')?.textContent)).toEqual(['include "/etc/x.nft"', 'flush ruleset']);
    expect(screen.getByText(/sent to me/).textContent).toContain('these 2 commands');
    expect(document.activeElement).toBe(screen.getByTestId('share.confirm.cancel'));
  });
  it('Open opens the shared design; Cancel keeps the current one', () => {
    const before = useDesign.getState().ruleset;
    show();
    fireEvent.click(screen.getByTestId('share.confirm.cancel'));
    expect(useSession.getState().pendingShare).toBeNull();
    expect(useDesign.getState().ruleset).toBe(before);
    cleanup();
    receiveShare(decodeShare(encodeShare('again', { ...parse('table inet again {\n}\n').ruleset, commands: [{ id: 'c', text: 'delete table ip nat', at: 'end' }] })));
    show();
    fireEvent.click(screen.getByTestId('share.confirm.open'));
    expect(useSession.getState().name).toBe('again');
    expect(useDesign.getState().ruleset.tables[0].name).toBe('again');
  });
});
