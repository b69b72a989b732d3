// @vitest-environment jsdom
/**
 * The table form's flags: one checkbox per flag nft knows (TABLE_FLAGS), and
 * turning one off keeps the others (it used to replace them all with `dormant`).
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { parse } from '../../src/parse/index.ts';
import { TABLE_FLAGS } from '../../src/knowledge/vocabulary.ts';
import { useDesign } from '../store/design.ts';
import { TableForm } from './TableForm.tsx';

const current = () => useDesign.getState().ruleset;
const view = () => {
  cleanup();
  render(<TableForm table={current().tables[0]} diagnostics={[]} />);
};

beforeEach(() => useDesign.getState().replace(parse('table ip t {\n\tflags dormant,persist\n}\n').ruleset));
afterEach(cleanup);

describe('TableForm: flags', () => {
  it('shows every table flag, and turning one off or on keeps the others', () => {
    view();
    for (const f of TABLE_FLAGS) expect(screen.getByTestId(`table.${f}`)).toBeTruthy();
    expect((screen.getByTestId('table.persist') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId('table.dormant'));
    expect(current().tables[0].flags).toEqual(['persist']);
    view();
    fireEvent.click(screen.getByTestId('table.owner'));
    expect([...current().tables[0].flags].sort()).toEqual(['owner', 'persist']);
  });
});
