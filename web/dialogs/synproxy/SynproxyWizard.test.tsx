// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { emit } from '../../../src/emit/index.ts';
import { parse } from '../../../src/parse/index.ts';
import { findNode } from '../../../src/model/find.ts';
import { emptyRuleset, type Ruleset } from '../../../src/model/types.ts';
import { TEMPLATES, findTemplate } from '../../../src/templates/catalog.ts';
import SynproxyWizard from './SynproxyWizard.tsx';
import { copyText } from './CopyBlock.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function setup(ruleset: Ruleset = emptyRuleset(), targetVersion = '1.0.6') {
  const onApply = vi.fn<(next: Ruleset, selectId?: string) => void>();
  const onClose = vi.fn();
  render(<SynproxyWizard open onClose={onClose} ruleset={ruleset} targetVersion={targetVersion} onApply={onApply} />);
  return { onApply, onClose };
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(input(id), { target: { value } });

function setPorts(ports: string[]) {
  const el = input('wizard.ports');
  // remove the default chips (Backspace in the empty input), then add ours
  for (let i = 0; i < 4; i++) fireEvent.keyDown(el, { key: 'Backspace' });
  for (const p of ports) {
    fireEvent.change(el, { target: { value: p } });
    fireEvent.keyDown(el, { key: 'Enter' });
  }
}

function pickFamily(f: string) {
  fireEvent.click(within(screen.getByTestId('wizard.family')).getByRole('button', { name: f }));
}

function fillWiki() {
  setPorts(['8888']);
  pickFamily('ip');
  type('wizard.table', 'anon_synproxy_demo');
  type('wizard.mss', '1460');
  type('wizard.wscale', '7');
  expect(input('wizard.timestamp').checked).toBe(true);
  expect(input('wizard.sackPerm').checked).toBe(true);
  fireEvent.click(within(screen.getByTestId('wizard.placement')).getByLabelText('Input: a service on this host'));
  fireEvent.click(within(screen.getByTestId('wizard.mode')).getByLabelText('In the rule (anonymous)'));
}

describe('SynproxyWizard', () => {
  it('the wiki parameters: Apply adds the wiki anonymous rules, selects the synproxy chain, then shows the host commands', async () => {
    const { onApply } = setup();
    fillWiki();
    const preview = screen.getByTestId('wizard.preview').textContent ?? '';
    expect(preview).toContain('tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm');
    const apply = screen.getByTestId('wizard.apply') as HTMLButtonElement;
    expect(apply.disabled).toBe(false);
    fireEvent.click(apply);

    expect(onApply).toHaveBeenCalledTimes(1);
    const [next, selectId] = onApply.mock.calls[0];
    const text = emit(next).text.replace('chain synproxy_pre {', 'chain PRE {').replace('chain synproxy_in {', 'chain IN {');
    expect(text).toBe(TEMPLATES[0].text);
    const selected = findNode(next, selectId ?? '');
    expect(selected?.kind).toBe('chain');
    expect(selected?.kind === 'chain' && selected.node.name).toBe('synproxy_in');

    const host = screen.getByTestId('wizard.hostCommands').textContent ?? '';
    expect(host).toContain('sysctl -w net.netfilter.nf_conntrack_tcp_loose=0');
    expect(host).toContain('sysctl -w net.ipv4.tcp_syncookies=1');
    expect(host).toContain('sysctl -w net.ipv4.tcp_timestamps=1');
    expect(host).toContain('nf_conntrack_max');

    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('wizard.copyHostCommands'));
    });
    expect(writeText).toHaveBeenCalledWith(host);
    expect(screen.getByText('Copied to the clipboard.')).toBeTruthy();
  });

  it('an invalid mss shows a message next to the field and disables Apply', () => {
    const { onApply } = setup();
    type('wizard.mss', '70000');
    expect(screen.getAllByText(/mss must be a whole number from 1 to 65535/).length).toBeGreaterThan(0);
    expect(input('wizard.mss').getAttribute('aria-invalid')).toBe('true');
    const apply = screen.getByTestId('wizard.apply') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    fireEvent.click(apply);
    expect(onApply).not.toHaveBeenCalled();
    expect(screen.queryByTestId('wizard.preview')).toBeNull();
    type('wizard.mss', '1460');
    expect((screen.getByTestId('wizard.apply') as HTMLButtonElement).disabled).toBe(false);
    type('wizard.wscale', '15');
    expect(screen.getAllByText(/wscale must be a whole number from 0 to 14/).length).toBeGreaterThan(0);
    expect((screen.getByTestId('wizard.apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a port that is not a port is refused at entry; no port at all is a problem', () => {
    setup();
    const el = input('wizard.ports');
    fireEvent.change(el, { target: { value: '70000' } });
    fireEvent.keyDown(el, { key: 'Enter' });
    expect(screen.getByText('70000 is not a TCP port (1..65535)')).toBeTruthy();
    fireEvent.change(el, { target: { value: '' } });
    expect(screen.queryByText('70000 is not a TCP port (1..65535)')).toBeNull();
    // typing "22, 8080 " makes two chips
    fireEvent.change(el, { target: { value: '22, 8080 ' } });
    expect(screen.getByTestId('wizard.preview').textContent).toContain('tcp dport { 22, 80, 443, 8080 } tcp flags syn notrack');
    setPorts([]);
    expect(screen.getAllByText(/add at least one TCP port/).length).toBeGreaterThan(0);
    expect((screen.getByTestId('wizard.apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('per-source objects: rows become a map keyed by source address', () => {
    const { onApply } = setup();
    setPorts(['8888']);
    pickFamily('ip');
    fireEvent.click(within(screen.getByTestId('wizard.placement')).getByLabelText('Forward: protect a backend behind it'));
    fireEvent.click(within(screen.getByTestId('wizard.mode')).getByLabelText('Named objects chosen by source network (a map)'));
    type('wizard.objectName', 'https-synproxy');
    type('wizard.perSource.0.network', '192.168.1.0/24');
    type('wizard.perSource.0.objectName', 'https-synproxy');
    fireEvent.click(screen.getByTestId('wizard.perSource.add'));
    type('wizard.perSource.1.network', '192.168.2.0/24');
    type('wizard.perSource.1.objectName', 'other-synproxy');
    type('wizard.perSource.1.wscale', '5');
    fireEvent.click(input('wizard.perSource.1.timestamp'));
    fireEvent.click(input('wizard.perSource.1.sackPerm'));
    fireEvent.click(screen.getByTestId('wizard.apply'));
    const text = emit(onApply.mock.calls[0][0]).text;
    expect(text).toContain('\tsynproxy other-synproxy {\n\t\tmss 1460\n\t\twscale 5\n\t}\n');
    expect(text).toContain(
      '\t\ttcp dport 8888 ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy", 192.168.2.0/24 : "other-synproxy" }\n\t\ttcp dport 8888 ct state invalid,untracked synproxy name "https-synproxy"\n\t\tct state invalid drop\n',
    );
  });

  it('an IPv6 network in an ip table is shown on its row', () => {
    setup();
    pickFamily('ip');
    fireEvent.click(within(screen.getByTestId('wizard.mode')).getByLabelText('Named objects chosen by source network (a map)'));
    type('wizard.perSource.0.network', '2001:db8::/32');
    expect(input('wizard.perSource.0.network').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText(/is an IPv6 network; an ip table sees only IPv4/).length).toBeGreaterThan(0);
  });

  it('adds to an existing table: its chains stay, the new ones are appended', () => {
    const base = parse(findTemplate('workstation')?.text ?? '').ruleset;
    const { onApply } = setup(base);
    type('wizard.table', 'workstation');
    expect(screen.getByText('Adds new chains to the existing table inet workstation.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('wizard.apply'));
    const next = onApply.mock.calls[0][0];
    expect(next.tables).toHaveLength(1);
    expect(next.tables[0].chains.map((c) => c.name)).toEqual(['input', 'forward', 'output', 'synproxy_pre', 'synproxy_in']);
    expect(screen.getByText(/Added to table inet workstation/)).toBeTruthy();
  });

  it('an old target version is a problem on the mode', () => {
    setup(emptyRuleset(), '0.9.2');
    expect((screen.getByTestId('wizard.apply') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(within(screen.getByTestId('wizard.mode')).getByLabelText('A named synproxy object'));
    expect(screen.getAllByText('named synproxy objects needs nftables 0.9.3 or later; the target is 0.9.2').length).toBeGreaterThan(0);
    expect((screen.getByTestId('wizard.apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('every form control has an accessible name', () => {
    setup();
    fireEvent.click(within(screen.getByTestId('wizard.mode')).getByLabelText('Named objects chosen by source network (a map)'));
    const dialog = screen.getByRole('dialog');
    const controls = dialog.querySelectorAll('input, button, [role="radiogroup"], [role="group"]');
    const unnamed: string[] = [];
    for (const el of controls) {
      if ((el as HTMLInputElement).type === 'hidden' || el.getAttribute('aria-hidden') === 'true') continue;
      const id = el.getAttribute('id');
      const labelled =
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (id && dialog.querySelector(`label[for="${id}"]`)) ||
        el.closest('label') ||
        (el.textContent ?? '').trim();
      if (!labelled) unnamed.push(el.outerHTML.slice(0, 120));
    }
    expect(unnamed).toEqual([]);
  });
});

describe('copyText', () => {
  it('falls back to selecting the text when the clipboard API is missing or refuses', async () => {
    const pre = document.createElement('pre');
    pre.textContent = 'sysctl -w x=1';
    document.body.appendChild(pre);
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    expect(await copyText('sysctl -w x=1', pre)).toBe('selected');
    expect(window.getSelection()?.toString()).toBe('sysctl -w x=1');
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } });
    expect(await copyText('sysctl -w x=1', pre)).toBe('selected');
    pre.remove();
  });
});
