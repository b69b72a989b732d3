// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { emptyDesign } from '../../src/model/types.ts';
import { emit } from '../../src/emit/index.ts';
import { useDesign } from '../store/design.ts';
import ImportDialog from './ImportDialog.tsx';
import { AsideTables } from '../layout/AsideTables.tsx';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../../src/knowledge/fixtures/foreign', name), 'utf8');

beforeEach(() => {
  useDesign.getState().replace(emptyDesign(), { untracked: true });
});
afterEach(cleanup);

function paste(text: string): void {
  render(<ImportDialog open onClose={() => {}} />);
  fireEvent.change(screen.getByTestId('import.text'), { target: { value: text } });
}

describe('the import dialog with tables other software manages', () => {
  it('lists each recognised table with its owner and why, left out by default', () => {
    paste(fixture('host-own-docker-fail2ban.nft'));
    const list = screen.getByTestId('import.foreign');
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    const nat = screen.getByTestId('import.foreign.ip nat');
    expect(nat.textContent).toContain('table ip nat — Docker');
    expect(within(nat).getByTestId('import.foreign.because').textContent).toBe("chain DOCKER; written through iptables-nft (nft's warning)");
    const box = screen.getByLabelText('Leave out table ip nat (Docker): keep it aside as live, not ours') as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(screen.getByTestId('import.ok').textContent).toMatch(/1 table, .*3 kept aside as live, not ours/);
  });

  it('brings a table into the design when unchecked, and cannot for one that does not parse', () => {
    paste(fixture('host-own-docker-fail2ban.nft'));
    fireEvent.click(screen.getByTestId('import.leaveOut.inet f2b-table'));
    expect(screen.getByTestId('import.ok').textContent).toMatch(/2 tables, .*2 kept aside/);
    // fail2ban's bans are then run-time elements, left out unless kept
    expect(screen.getByTestId('import.runtime.inet f2b-table addr-set-sshd').textContent).toContain('3 elements left out (fail2ban fills it while it runs)');
    cleanup();
    paste(fixture('docker-iptables-nft-xt.nft'));
    const box = screen.getByTestId('import.leaveOut.ip nat') as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(within(screen.getByTestId('import.foreign.ip nat')).getByTestId('import.foreign.notDesignable').textContent).toMatch(/^It cannot be designed: it has iptables-nft compat statements/);
  });

  it('offers to keep run-time elements, and replacing the design keeps the tables aside with the default preamble', () => {
    paste(fixture('host-own-docker-fail2ban.nft'));
    const keep = screen.getByLabelText('Keep the 2 elements of set ssh_meter in table inet filter filled at run time as permanent elements');
    fireEvent.click(keep);
    expect(screen.getByTestId('import.runtime.inet filter ssh_meter').textContent).toContain('2 elements kept');
    fireEvent.click(screen.getByTestId('import.replace'));
    fireEvent.click(screen.getByTestId('import.confirm'));
    const rs = useDesign.getState().ruleset;
    expect(rs.preamble).toBe('replace');
    expect(rs.tables.map((t) => t.name)).toEqual(['filter']);
    expect(rs.tables[0].sets[0].elements).toHaveLength(2);
    expect(rs.aside?.map((a) => `${a.family} ${a.name} ${a.owner}`)).toEqual(['ip filter docker', 'ip nat docker', 'inet f2b-table fail2ban']);
    const text = emit(rs).text;
    expect(text).toMatch(/^table inet filter\ndelete table inet filter\n/);
    expect(text).not.toContain('table ip nat');
  });
});

describe('the navigator section "Live, not ours"', () => {
  it('lists the kept tables, shows their text and removes them from the design', () => {
    render(<AsideTables />);
    expect(screen.queryByTestId('nav.aside')).toBeNull();
    cleanup();
    const rs = emptyDesign();
    rs.aside = [
      { id: 'x1', family: 'ip', name: 'nat', owner: 'docker', text: 'table ip nat {\n\tchain DOCKER {\n\t}\n}' },
      { id: 'x2', family: 'inet', name: 'f2b-table', owner: 'fail2ban', text: 'table inet f2b-table {\n}' },
    ];
    useDesign.getState().replace(rs, { untracked: true });
    render(<AsideTables />);
    const section = screen.getByTestId('nav.aside');
    expect(within(section).getByRole('heading').textContent).toBe('Live, not ours (2)');
    expect(screen.getByTestId('nav.aside.ip.nat').textContent).toContain('table ip nat');
    expect(screen.getByTestId('nav.aside.ip.nat').textContent).toContain('Docker');
    fireEvent.click(screen.getByLabelText('View the kept text of table ip nat (Docker)'));
    expect(screen.getByTestId('aside.view.text').textContent).toBe('table ip nat {\n\tchain DOCKER {\n\t}\n}');
    expect(screen.getByRole('dialog').textContent).toContain('Docker manages it');
    fireEvent.click(screen.getByTestId('aside.view.close'));
    fireEvent.click(screen.getByLabelText('Remove table ip nat (Docker) from the design (it stays on the host)'));
    expect(useDesign.getState().ruleset.aside?.map((a) => a.name)).toEqual(['f2b-table']);
    fireEvent.click(screen.getByLabelText('Remove table inet f2b-table (fail2ban) from the design (it stays on the host)'));
    expect(useDesign.getState().ruleset.aside).toBeUndefined();
    expect(screen.queryByTestId('nav.aside')).toBeNull();
  });
});
