// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ThemeProvider } from '@mui/material/styles';
import { findTemplate } from '../../src/templates/catalog.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { makeTheme } from '../theme.ts';
import HookMap from './HookMap.tsx';
import { ALL_FAMILIES_TEXT, generatedText, parseOrThrow } from './fixtures.ts';

afterEach(cleanup);

const rs = parseOrThrow(findTemplate('synproxy-anonymous')?.text ?? '');
const pre = rs.tables[0].chains[0];
const inp = rs.tables[0].chains[1];

function show(props: Partial<Parameters<typeof HookMap>[0]> & { ruleset?: Ruleset } = {}) {
  const onSelect = vi.fn();
  const theme = props.theme ?? 'light';
  render(
    <ThemeProvider theme={makeTheme(theme)}>
      <HookMap ruleset={props.ruleset ?? rs} diagnostics={props.diagnostics ?? []} selectedId={props.selectedId ?? null} onSelect={onSelect} theme={theme} />
    </ThemeProvider>,
  );
  return onSelect;
}

describe('HookMap', () => {
  it('shows the anonymous synproxy design with PRE before conntrack and IN after it', () => {
    show();
    expect(screen.getByTestId('hookmap')).toBeTruthy();
    const p = screen.getByTestId(`hookmap.chain.${pre.id}`);
    expect(p.getAttribute('data-hook')).toBe('prerouting');
    expect(p.getAttribute('data-priority')).toBe('-300');
    expect(p.getAttribute('data-position')).toBe('before-conntrack');
    const i = screen.getByTestId(`hookmap.chain.${inp.id}`);
    expect(i.getAttribute('data-hook')).toBe('input');
    expect(i.getAttribute('data-priority')).toBe('0');
    expect(i.getAttribute('data-position')).toBe('after-conntrack');
    expect(i.getAttribute('aria-label')).toMatch(/^chain IN, table ip anon_synproxy_demo, hook input, priority filter \(0\), after conntrack, 2 rules/);
    expect(screen.getByTestId('hookmap.stage.conntrack.prerouting').getAttribute('data-priority')).toBe('-200');
    expect(screen.getByTestId('hookmap.stage.conntrack.output')).toBeTruthy();
    expect(screen.queryByTestId('hookmap.stage.conntrack.input')).toBeNull();
    // the visible text sits beside the button (aria-hidden), so the button's name is its aria-label alone
    expect(p.querySelectorAll('text')).toHaveLength(0);
    const overlay = screen.getByTestId(`hookmap.chainText.${pre.id}`);
    expect(overlay.getAttribute('aria-hidden')).toBe('true');
    expect(overlay.textContent).toContain('PRE');
    // PRE is drawn above the conntrack band
    const preY = Number(p.querySelector('rect')?.getAttribute('y'));
    const ctY = Number(screen.getByTestId('hookmap.stage.conntrack.prerouting').querySelector('rect')?.getAttribute('y'));
    expect(preY).toBeLessThan(ctY);
  });

  it('selects a chain by click, Enter and Space', () => {
    const onSelect = show();
    const p = screen.getByTestId(`hookmap.chain.${pre.id}`);
    fireEvent.click(p);
    expect(onSelect).toHaveBeenLastCalledWith(pre.id);
    const i = screen.getByTestId(`hookmap.chain.${inp.id}`);
    expect(i.getAttribute('tabindex')).toBe('0');
    expect(i.getAttribute('role')).toBe('button');
    i.focus();
    fireEvent.keyDown(i, { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith(inp.id);
    fireEvent.keyDown(p, { key: ' ' });
    expect(onSelect).toHaveBeenLastCalledWith(pre.id);
    fireEvent.keyDown(p, { key: 'a' });
    expect(onSelect).toHaveBeenCalledTimes(3);
  });

  it('highlights the chain of a selected rule', () => {
    show({ selectedId: inp.rules[1].id });
    expect(screen.getByTestId(`hookmap.chain.${inp.id}`).getAttribute('aria-current')).toBe('true');
    expect(screen.getByTestId(`hookmap.chain.${pre.id}`).getAttribute('aria-current')).toBeNull();
    // and names the rule itself (a trace's current event, or a rule picked in the forms)
    expect(screen.getByTestId('hookmap.selectedRule').textContent).toBe('Selected: rule 2 of 2 in ip anon_synproxy_demo IN (its chain is outlined below): ct state invalid drop');
  });

  it('names no rule when a chain (or nothing) is selected', () => {
    show({ selectedId: inp.id });
    expect(screen.queryByTestId('hookmap.selectedRule')).toBeNull();
  });

  it('shows the linter’s findings as badges with the message as title', () => {
    const ds: Diagnostic[] = [
      { id: 'a', severity: 'error', message: 'an error here', nodeId: inp.rules[0].id },
      { id: 'b', severity: 'warning', message: 'a warning here', nodeId: pre.id },
    ];
    show({ diagnostics: ds, theme: 'dark' });
    const i = screen.getByTestId(`hookmap.chain.${inp.id}`);
    const badge = within(i).getByTestId('hookmap.badge.error');
    expect(badge.querySelector('title')?.textContent).toBe('Error: an error here');
    expect(i.getAttribute('aria-label')).toMatch(/1 error: an error here$/);
    const p = screen.getByTestId(`hookmap.chain.${pre.id}`);
    expect(within(p).getByTestId('hookmap.badge.warning').querySelector('title')?.textContent).toBe('Warning: a warning here');
    expect(within(p).queryByTestId('hookmap.badge.error')).toBeNull();
  });

  it('offers the order as a table, always there for screen readers and shown on request', () => {
    show();
    const table = screen.getByTestId('hookmap.table');
    const rows = within(table).getAllByRole('row');
    const text = rows.map((r) => r.textContent ?? '');
    const preRow = text.findIndex((t) => t.includes('PRE (table ip anon_synproxy_demo)'));
    const ctRow = text.findIndex((t) => t.startsWith('prerouting') && t.includes('conntrack itself'));
    expect(preRow).toBeGreaterThan(0);
    expect(preRow).toBeLessThan(ctRow);
    expect(text.find((t) => t.includes('IN (table'))).toMatch(/after conntrack/);
    const toggle = screen.getByTestId('hookmap.toggleTable');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
  });

  it('draws every family, the regular chains and selects a regular chain', () => {
    const all = parseOrThrow(ALL_FAMILIES_TEXT);
    const onSelect = show({ ruleset: all });
    for (const id of ['ip', 'bridge', 'arp', 'netdev']) expect(screen.getByTestId(`hookmap.lane.${id}`)).toBeTruthy();
    expect(screen.getByTestId('hookmap.stage.bridge.brnf.prerouting')).toBeTruthy();
    const helper = all.tables[1].chains.find((c) => c.name === 'helper');
    if (!helper) throw new Error('fixture');
    const btn = screen.getByTestId(`hookmap.regular.${helper.id}`);
    expect(btn.textContent).toMatch(/reached from early \(prerouting\)/);
    fireEvent.click(btn);
    expect(onSelect).toHaveBeenLastCalledWith(helper.id);
    const later = all.tables[1].chains.find((c) => c.name === 'later');
    const el = screen.getByTestId(`hookmap.chain.${later?.id}`);
    expect(el.getAttribute('data-position')).toBe('none');
    expect(el.hasAttribute('data-priority')).toBe(false);
  });

  it('renders 50 chains, each once', () => {
    const big = parseOrThrow(generatedText(50));
    show({ ruleset: big });
    expect(screen.getAllByRole('button').filter((b) => b.getAttribute('data-testid')?.startsWith('hookmap.chain.'))).toHaveLength(50);
  });

  it('says so when there is nothing to draw', () => {
    show({ ruleset: parseOrThrow('') });
    expect(screen.getByTestId('hookmap.empty')).toBeTruthy();
  });
});
