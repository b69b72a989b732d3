// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { parse } from '../../src/parse/index.ts';
import { clearHistory, useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { DialogBoundary, PanelBoundary } from './ErrorBoundary.tsx';

const design = (table: string) => parse(`table inet ${table} {\n}\n`).ruleset;

/** A panel that fails on a design with a table named "boom" or when "bad" is selected. */
function Fragile() {
  const rs = useDesign((s) => s.ruleset);
  const sel = useUi((s) => s.selectedId);
  if (rs.tables.some((t) => t.name === 'boom')) throw new Error('cannot draw boom');
  if (sel === 'bad') throw new TypeError('bad selection');
  return <div data-testid="fragile">tables: {rs.tables.map((t) => t.name).join(',')}</div>;
}

let errors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  // React and the boundary log the caught error; keep the test output readable
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  useDesign.getState().replace(design('ok'), { untracked: true });
  clearHistory();
  useUi.setState({ selectedId: null, dialog: null });
});
afterEach(() => {
  cleanup();
  errors.mockRestore();
});

function show() {
  return render(
    <div>
      <PanelBoundary what="the forms">
        <Fragile />
      </PanelBoundary>
      <div data-testid="sibling">still here</div>
    </div>,
  );
}

describe('PanelBoundary', () => {
  it('shows the error in the panel only, keeps the design, and undo brings the panel back', () => {
    show();
    expect(screen.getByTestId('fragile').textContent).toBe('tables: ok');
    act(() => useDesign.getState().apply(() => design('boom')));
    expect(screen.getByTestId('panel.crashed').textContent).toContain('Something went wrong showing the forms');
    expect(screen.getByTestId('panel.crashed.message').textContent).toBe('Error: cannot draw boom');
    expect(screen.getByTestId('sibling').textContent).toBe('still here');
    // the design is untouched
    expect(useDesign.getState().ruleset.tables[0].name).toBe('boom');
    fireEvent.click(screen.getByTestId('panel.crashed.undo'));
    expect(useDesign.getState().ruleset.tables[0].name).toBe('ok');
    expect(screen.getByTestId('fragile').textContent).toBe('tables: ok');
  });

  it('offers the designs dialog, and retries by itself when the design changes', () => {
    show();
    act(() => useDesign.getState().replace(design('boom'), { untracked: true }));
    expect((screen.getByTestId('panel.crashed.undo') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('panel.crashed.designs'));
    expect(useUi.getState().dialog).toBe('designs');
    expect(screen.queryByTestId('fragile')).toBeNull();
    // another design was opened from the dialog
    act(() => useDesign.getState().replace(design('other'), { untracked: true }));
    expect(screen.getByTestId('fragile').textContent).toBe('tables: other');
  });

  it('reset view clears the selection that made the panel fail', () => {
    show();
    act(() => useUi.getState().select('bad'));
    expect(screen.getByTestId('panel.crashed.message').textContent).toBe('TypeError: bad selection');
    fireEvent.click(screen.getByTestId('panel.crashed.reset'));
    expect(useUi.getState().selectedId).toBeNull();
    expect(screen.getByTestId('fragile').textContent).toBe('tables: ok');
  });
});

describe('DialogBoundary', () => {
  function Broken(): never {
    throw new Error('dialog broke');
  }
  it('shows a failed dialog as an error that closes', () => {
    useUi.setState({ dialog: 'export' });
    render(<DialogBoundary>{useUi.getState().dialog === 'export' ? <Broken /> : null}</DialogBoundary>);
    expect(screen.getByTestId('dialog.crashed').textContent).toContain('dialog broke');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(useUi.getState().dialog).toBeNull();
  });
});
