// @vitest-environment jsdom
/**
 * Export → Ansible: the preamble's warnings above the download button, the
 * fields read with the same facts as the bundle and the CLI (src/ansible/facts.ts),
 * and a long name that still downloads.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { strFromU8, unzipSync } from 'fflate';
import { HOST_DEFAULTS, MAX_NAME_LENGTH, MAX_SERIAL, NAME_RULE } from '../../src/ansible/index.ts';

const saved: { name: string; bytes: Uint8Array }[] = [];
vi.mock('../dialogs/download.ts', () => ({
  downloadBytes: (name: string, bytes: Uint8Array) => saved.push({ name, bytes }),
}));

const { AnsiblePanel } = await import('./AnsiblePanel.tsx');

const AGENT = '#!/bin/sh\n# nft-agent, as the app serves it\n';
const TABLE = 'table inet fw {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport $port accept\n\t}\n}\n';
const REPLACE = `define port = 22\ntable inet fw\ndelete table inet fw\n${TABLE}`;

beforeEach(() => {
  saved.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.resolve(new Response(AGENT, { status: 200 }))),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function show(script: string, designName = 'edge fw'): void {
  render(<AnsiblePanel script={script} designName={designName} defines={[{ name: 'port', value: '22' }]} />);
}

describe('AnsiblePanel', () => {
  it('replace only these tables: no warning, and the bundle downloads', async () => {
    show(REPLACE);
    const button = await screen.findByTestId('export.ansible.download');
    expect(screen.queryByTestId('export.ansible.warnings')).toBeNull();
    fireEvent.click(button);
    expect(saved.map((s) => s.name)).toEqual(['edge-fw-ansible.zip']);
    expect(strFromU8(unzipSync(saved[0].bytes)['edge-fw-ansible/roles/nft_designer/files/nft-agent'])).toBe(AGENT);
  });

  it('no preamble: warns above the download button that each run adds the rules again', async () => {
    show(`define port = 22\n${TABLE}`);
    const warning = await screen.findByTestId('export.ansible.warnings');
    expect(warning.textContent).toContain('the design has no preamble: each run of the playbook adds its rules again');
    expect(warning.textContent).toContain("use 'replace only these tables'");
    const button = screen.getByTestId('export.ansible.download');
    expect(warning.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('flush ruleset: warns that other software\'s tables go on every host', async () => {
    show(`define port = 22\nflush ruleset\n${TABLE}`);
    const warning = await screen.findByTestId('export.ansible.warnings');
    expect(warning.textContent).toContain('the design starts with flush ruleset: it removes every other table on every host, also those of Docker, fail2ban, firewalld');
  });

  it('reads its fields with the bundle\'s own rules and defaults', async () => {
    show(REPLACE);
    await screen.findByTestId('export.ansible.download');
    const name = screen.getByTestId('export.ansible.name') as HTMLInputElement;
    expect(name.value).toBe('edge-fw');
    expect(name.maxLength).toBe(MAX_NAME_LENGTH);
    expect(screen.getByText(`${HOST_DEFAULTS.scriptDir}/edge-fw.nft`)).toBeTruthy();
    fireEvent.change(name, { target: { value: 'a..b' } });
    expect(screen.getByText(NAME_RULE)).toBeTruthy();
    expect(screen.queryByTestId('export.ansible.download')).toBeNull();
    fireEvent.change(name, { target: { value: 'x'.repeat(MAX_NAME_LENGTH) } });
    fireEvent.change(screen.getByTestId('export.ansible.serial'), { target: { value: String(MAX_SERIAL + 1) } });
    expect(screen.getByText(`a whole number from 1 to ${MAX_SERIAL}`)).toBeTruthy();
    expect(screen.queryByTestId('export.ansible.download')).toBeNull();
    fireEvent.change(screen.getByTestId('export.ansible.serial'), { target: { value: String(MAX_SERIAL) } });
    fireEvent.change(screen.getByTestId('export.ansible.confirm'), { target: { value: '5' } });
    expect(screen.getByText('a whole number from 10 to 86400')).toBeTruthy();
    fireEvent.change(screen.getByTestId('export.ansible.confirm'), { target: { value: '30' } });
    // the longest name still makes a zip (its directory is NAME-ansible)
    await waitFor(() => expect(screen.getByTestId('export.ansible.download')).toBeTruthy());
    fireEvent.click(screen.getByTestId('export.ansible.download'));
    expect(saved.map((s) => s.name)).toEqual([`${'x'.repeat(MAX_NAME_LENGTH)}-ansible.zip`]);
  });
});
