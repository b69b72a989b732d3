// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { emitRule } from '../../../src/emit/index.ts';
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import type { Chain, Rule } from '../../../src/model/types.ts';
import { RuleBuilder } from './RuleBuilder.tsx';
import { ruleOf, wikiFixture } from './testUtil.ts';

const fx = wikiFixture();
const WIKI = 'tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm';

afterEach(cleanup);

/** The builder as the app uses it: the rule lives outside and comes back through props. */
function Host(props: { initial: Rule; chain?: Chain; diagnostics?: Diagnostic[]; targetVersion?: string; spy: (r: Rule) => void; external?: Rule }) {
  const [rule, setRule] = useState(props.initial);
  // a change from outside the builder (undo, an edit in the preview)
  const [seen, setSeen] = useState(props.external);
  if (props.external !== seen) {
    setSeen(props.external);
    if (props.external) setRule(props.external);
  }
  return (
    <RuleBuilder
      rule={rule}
      table={fx.table}
      chain={props.chain ?? fx.chain('in')}
      diagnostics={props.diagnostics ?? []}
      targetVersion={props.targetVersion ?? '1.0.6'}
      onChange={(r) => {
        props.spy(r);
        setRule(r);
      }}
    />
  );
}

const tid = (id: string) => screen.getByTestId(id);
const input = (id: string) => tid(id) as HTMLInputElement;
const lastRule = (spy: ReturnType<typeof vi.fn>) => spy.mock.calls[spy.mock.calls.length - 1][0] as Rule;

/** Type into an Autocomplete and press Enter (picks the highlighted option, or adds the text as a chip). */
function typeEnter(id: string, text: string) {
  const el = input(id);
  fireEvent.focus(el);
  fireEvent.change(el, { target: { value: text } });
  fireEvent.keyDown(el, { key: 'Enter' });
}

// MUI in jsdom on a small machine: a long interaction takes seconds, not milliseconds.
describe('RuleBuilder', { timeout: 30_000 }, () => {
  it('builds the wiki synproxy rule from an empty rule', async () => {
    const spy = vi.fn();
    render(<Host initial={{ id: 'r_new', stmts: [] }} spy={spy} />);
    fireEvent.click(tid('rule.match.add'));
    typeEnter('rule.match.0.field', 'tcp dport');
    expect(input('rule.match.0.field').value).toBe('tcp dport');
    typeEnter('rule.match.0.values', '8888');
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 8888');

    fireEvent.click(tid('rule.match.add'));
    typeEnter('rule.match.1.field', 'ct state');
    typeEnter('rule.match.1.values', 'invalid');
    typeEnter('rule.match.1.values', 'untracked');
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 8888 ct state invalid,untracked');

    fireEvent.click(tid('rule.stmt.add'));
    fireEvent.click(await screen.findByTestId('rule.stmt.add.synproxy'));
    expect(input('rule.stmt.0.kind').value).toBe('synproxy');
    // a new synproxy statement starts with the wizard's values: the wiki's rule as it is
    expect(input('rule.stmt.0.synproxy.mss').value).toBe('1460');
    expect(input('rule.stmt.0.synproxy.wscale').value).toBe('7');
    expect(input('rule.stmt.0.synproxy.timestamp').checked).toBe(true);
    expect(input('rule.stmt.0.synproxy.sackPerm').checked).toBe(true);

    const rule = lastRule(spy);
    expect(rule.id).toBe('r_new');
    expect(emitRule(rule, 'inet')).toBe(WIKI);
  });

  it('shows an mss of 70000 as an error next to the field and keeps the rule', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf(WIKI)} spy={spy} />);
    fireEvent.change(input('rule.stmt.0.synproxy.mss'), { target: { value: '70000' } });
    expect(tid('rule.stmt.0.synproxy.mss.notes').textContent).toMatch(/mss must be 1\.\.65535/);
    expect(input('rule.stmt.0.synproxy.mss').getAttribute('aria-invalid')).toBe('true');
    expect(input('rule.stmt.0.synproxy.mss').getAttribute('aria-describedby')).toBe(tid('rule.stmt.0.synproxy.mss.notes').id);
    expect(tid('rule.status').textContent).toMatch(/stays as it was/);
    expect(spy).not.toHaveBeenCalled();
    fireEvent.change(input('rule.stmt.0.synproxy.wscale'), { target: { value: '15' } });
    expect(tid('rule.stmt.0.synproxy.wscale.notes').textContent).toMatch(/0\.\.14/);
  });

  it('refuses a comment with a double quote, with a message', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('ct state invalid drop')} spy={spy} />);
    fireEvent.change(input('rule.comment'), { target: { value: 'say "hi"' } });
    expect(tid('rule.comment.notes').textContent).toMatch(/cannot contain a double quote/);
    expect(spy).not.toHaveBeenCalled();
    fireEvent.change(input('rule.comment'), { target: { value: 'say hi' } });
    expect(emitRule(lastRule(spy), 'inet')).toBe('ct state invalid drop comment "say hi"');
  });

  it('adds a match with the keyboard: the new field takes focus, typing and Enter do the rest', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('ct state invalid drop')} spy={spy} />);
    const add = tid('rule.match.add');
    expect(add.tagName).toBe('BUTTON'); // a native button: Enter and Space activate it
    add.focus();
    fireEvent.click(add);
    const field = input('rule.match.1.field');
    expect(document.activeElement).toBe(field);
    fireEvent.change(field, { target: { value: 'iifn' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(field.value).toBe('meta iifname');
    const values = input('rule.match.1.values');
    fireEvent.change(values, { target: { value: 'eth0' } });
    fireEvent.keyDown(values, { key: 'Enter' });
    expect(emitRule(lastRule(spy), 'inet')).toBe('ct state invalid iifname "eth0" drop');
    // the operator is a native select: arrow keys change it
    expect(tid('rule.match.1.op').tagName).toBe('SELECT');
  });

  it('validates values as they are typed and as chips are added', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('tcp dport 22 accept')} spy={spy} />);
    fireEvent.change(input('rule.match.0.values'), { target: { value: 'http' } });
    expect(screen.queryByTestId('rule.match.0.values.draft')).toBeNull();
    fireEvent.change(input('rule.match.0.values'), { target: { value: 'htp' } });
    expect(tid('rule.match.0.values.draft').textContent).toMatch(/"htp" is not a port/);
    typeEnter('rule.match.0.values', '99999');
    expect(tid('rule.match.0.values.notes').textContent).toMatch(/a port must be 0\.\.65535 or a service name/);
    expect(spy).not.toHaveBeenCalled();
  });

  it('chooses the verdict, a jump target and a reject reply', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('tcp dport 22 accept')} spy={spy} />);
    fireEvent.change(tid('rule.verdict'), { target: { value: 'jump' } });
    expect(tid('rule.verdict.target.notes').textContent).toMatch(/choose the chain/);
    fireEvent.change(tid('rule.verdict.target'), { target: { value: 'web' } });
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 22 jump web');
    fireEvent.change(tid('rule.verdict'), { target: { value: 'reject' } });
    fireEvent.change(tid('rule.verdict.reject'), { target: { value: 'tcp reset' } });
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 22 reject with tcp reset');
  });

  it('reorders and removes statements', async () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('tcp dport 22 counter log prefix "ssh: " accept')} spy={spy} />);
    fireEvent.click(tid('rule.stmt.1.up'));
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 22 log prefix "ssh: " counter packets 0 bytes 0 accept');
    await waitFor(() => expect(document.activeElement).toBe(tid('rule.stmt.0.down')));
    fireEvent.click(tid('rule.stmt.0.remove'));
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 22 counter packets 0 bytes 0 accept');
  });

  it('opens a raw rule as text, checks it as it is typed and goes back to the builder when it can', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('dccp option 40 exists', 'inet', 'r_raw')} spy={spy} />);
    expect(input('rule.text').value).toBe('dccp option 40 exists');
    expect(tid('rule.text.reason').textContent).toMatch(/cannot show this rule/);
    expect(tid('rule.mode.builder')).toHaveProperty('disabled', true);

    fireEvent.change(input('rule.text'), { target: { value: 'tcp dport 22 acept' } });
    expect(tid('rule.text.notes').textContent).toMatch(/column 14: unknown statement "acept"/);
    expect(spy).not.toHaveBeenCalled();

    fireEvent.change(input('rule.text'), { target: { value: 'tcp dport 22 accept' } });
    expect(lastRule(spy)).toMatchObject({ id: 'r_raw' });
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 22 accept');
    expect(tid('rule.mode.builder')).toHaveProperty('disabled', false);
    fireEvent.blur(input('rule.text'));
    expect(input('rule.match.0.field').value).toBe('tcp dport');
  });

  it('edits any rule as text on request', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('ct state invalid drop')} spy={spy} />);
    fireEvent.click(tid('rule.mode.text'));
    expect(input('rule.text').value).toBe('ct state invalid drop');
    fireEvent.change(input('rule.text'), { target: { value: 'ct state invalid counter drop' } });
    expect(emitRule(lastRule(spy), 'inet')).toBe('ct state invalid counter packets 0 bytes 0 drop');
    fireEvent.click(tid('rule.mode.builder'));
    expect(input('rule.stmt.0.kind').value).toBe('counter');
  });

  it('follows the rule when it changes from outside (undo)', () => {
    const spy = vi.fn();
    const { rerender } = render(<Host initial={ruleOf('ct state invalid drop', 'inet', 'r_1')} spy={spy} />);
    rerender(<Host initial={ruleOf('ct state invalid drop', 'inet', 'r_1')} spy={spy} external={ruleOf('tcp dport 443 accept', 'inet', 'r_1')} />);
    expect(input('rule.match.0.field').value).toBe('tcp dport');
    expect(input('rule.verdict').value).toBe('accept');
  });

  it('shows the linter’s findings next to their field, with why', () => {
    const diagnostics: Diagnostic[] = [
      { id: 'synproxy/mss-range', severity: 'error', message: 'mss too big', why: 'because', nodeId: 'r_test', field: 'mss' },
      { id: 'placement/synproxy', severity: 'error', message: 'synproxy is not allowed here', nodeId: 'r_test', field: 'statement' },
      { id: 'x/other', severity: 'warning', message: 'about the whole rule', nodeId: 'r_test' },
      { id: 'x/elsewhere', severity: 'error', message: 'another rule', nodeId: 'r_other' },
    ];
    render(<Host initial={ruleOf(WIKI)} diagnostics={diagnostics} spy={vi.fn()} />);
    const mssNotes = tid('rule.stmt.0.synproxy.mss.notes');
    expect(mssNotes.textContent).toMatch(/mss too big/);
    expect(mssNotes.textContent).not.toMatch(/because/);
    fireEvent.click(screen.getByRole('button', { name: 'why? (mss too big)' }));
    expect(mssNotes.textContent).toMatch(/because/);
    expect(tid('rule.stmt.0.notes').textContent).toMatch(/synproxy is not allowed here/);
    expect(tid('rule.findings').textContent).toMatch(/about the whole rule/);
    expect(screen.queryByText(/another rule/)).toBeNull();
  });

  it('marks synproxy forms newer than the target version', () => {
    render(<Host initial={ruleOf('tcp dport 443 ct state invalid,untracked synproxy name "https-synproxy"')} targetVersion="0.9.2" spy={vi.fn()} />);
    expect(input('rule.stmt.0.synproxy.mode').value).toBe('name');
    expect(tid('rule.stmt.0.synproxy.version').textContent).toMatch(/needs nftables 0\.9\.3 or later; the target version is 0\.9\.2/);
    expect(input('rule.stmt.0.synproxy.name').value).toBe('https-synproxy');
  });

  it('says when synproxy is in a chain where the kernel refuses it', () => {
    render(<Host initial={ruleOf(WIKI)} chain={fx.chain('pre')} spy={vi.fn()} />);
    expect(tid('rule.stmt.0.synproxy.placement').textContent).toMatch(/only in chains on input or forward; this chain is on prerouting/);
  });

  it('edits the per-source synproxy map', () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy" }')} chain={fx.chain('forward')} spy={spy} />);
    fireEvent.click(tid('rule.stmt.0.synproxy.entries.add'));
    fireEvent.change(input('rule.stmt.0.synproxy.entries.1.match'), { target: { value: '192.168.2.0/24' } });
    expect(spy).not.toHaveBeenCalled();
    fireEvent.change(tid('rule.stmt.0.synproxy.entries.1.object'), { target: { value: 'other-synproxy' } });
    expect(emitRule(lastRule(spy), 'inet')).toBe(
      'ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy", 192.168.2.0/24 : "other-synproxy" }',
    );
  });

  it('edits a statement through its module’s form: labelled fields, pending until filled in, the version it needs', async () => {
    const spy = vi.fn();
    render(<Host initial={ruleOf('tcp dport 22 accept')} spy={spy} />);
    fireEvent.click(tid('rule.stmt.add'));
    fireEvent.click(await screen.findByTestId('rule.stmt.add.form:connlimit'));
    expect(input('rule.stmt.0.kind').value).toBe('form:connlimit');
    // every control has a visible label, and its accessible name says which statement it belongs to
    expect(screen.getByLabelText('Statement 1: Connections')).toBe(input('rule.stmt.0.count'));
    expect(screen.getByLabelText('Statement 1: Matches')).toBe(tid('rule.stmt.0.over'));
    expect(spy).not.toHaveBeenCalled();
    fireEvent.change(tid('rule.stmt.0.over'), { target: { value: 'over' } });
    fireEvent.change(input('rule.stmt.0.count'), { target: { value: 'lots' } });
    expect(tid('rule.stmt.0.count.notes').textContent).toMatch(/not a number/);
    expect(spy).not.toHaveBeenCalled();
    fireEvent.change(input('rule.stmt.0.count'), { target: { value: '3' } });
    expect(emitRule(lastRule(spy), 'inet')).toBe('tcp dport 22 ct count over 3 accept');
  });

  it('says that last needs a newer nft than the target', () => {
    render(<Host initial={ruleOf('tcp dport 22 last used never accept')} targetVersion="1.0.6" spy={vi.fn()} />);
    expect(input('rule.stmt.0.kind').value).toBe('form:last');
    expect(tid('rule.stmt.0.version').textContent).toMatch(/needs nftables 1\.0\.7 or later; the target version is 1\.0\.6/);
  });
});
