// @vitest-environment jsdom
/**
 * The set form keeps what it does not show as a field: a map's interval data
 * (`type ipv4_addr : interval ipv4_addr`) survives a change of the value type,
 * and its checkbox turns it on and off.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { parse } from '../../src/parse/index.ts';
import { emit } from '../../src/emit/index.ts';
import { useDesign } from '../store/design.ts';
import { SetForm } from './SetForm.tsx';

const TEXT = `table ip x {
	map y {
		type ipv4_addr : interval ipv4_addr
		flags interval
		elements = { 10.141.10.0/24 : 192.168.2.2-192.168.2.4 }
	}
}
`;

const current = () => useDesign.getState().ruleset;
const view = () => {
  const t = current().tables[0];
  cleanup();
  render(<SetForm set={t.sets[0]} table={t} diagnostics={[]} />);
};

beforeEach(() => useDesign.getState().replace(parse(TEXT).ruleset));
afterEach(cleanup);

describe('SetForm: interval map data', () => {
  it('shows the data as ranges, keeps them when the value type changes, and turns them off', () => {
    view();
    expect((screen.getByTestId('set.dataInterval') as HTMLInputElement).checked).toBe(true);
    // another value type: still ranges
    fireEvent.mouseDown(screen.getByTestId('set.dataType'));
    fireEvent.click(screen.getByRole('option', { name: 'mark' }));
    expect(current().tables[0].sets[0].data).toEqual({ mode: 'type', types: ['mark'], interval: true });
    view();
    fireEvent.click(screen.getByTestId('set.dataInterval'));
    expect(current().tables[0].sets[0].data?.interval).toBeUndefined();
    expect(emit(current()).text).toContain('\t\ttype ipv4_addr : mark\n');
  });
});
