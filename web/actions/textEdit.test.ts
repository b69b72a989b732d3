import { beforeEach, describe, expect, it } from 'vitest';
import { emit } from '../../src/emit/index.ts';
import { withDefaultPreamble } from '../../src/model/types.ts';
import { parse } from '../../src/parse/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { useDesign } from '../store/design.ts';
import { applyEditedText } from './textEdit.ts';

describe('text typed in the preview', () => {
  beforeEach(() => {
    useDesign.getState().replace(withDefaultPreamble(parse(TEMPLATES[0].text).ruleset), { untracked: true });
  });

  it('keeps the replace preamble when a table is typed without its two preamble lines', () => {
    const before = emit(useDesign.getState().ruleset).text;
    expect(before).toMatch(/^table ip anon_synproxy_demo\ndelete table ip anon_synproxy_demo\n/);
    expect(applyEditedText(`${before}table inet extra {\n\tchain c {\n\t}\n}\n`).ok).toBe(true);
    const rs = useDesign.getState().ruleset;
    expect(rs.preamble).toBe('replace');
    expect(rs.commands).toEqual([]);
    // both tables are replaced on the host: applying twice leaves the same ruleset
    expect(emit(rs).text).toContain('table inet extra\ndelete table inet extra\n');
  });

  it('a design without a preamble stays without one', () => {
    useDesign.getState().replace(parse(TEMPLATES[0].text).ruleset, { untracked: true });
    expect(applyEditedText(`${TEMPLATES[0].text}table inet extra {\n}\n`).ok).toBe(true);
    expect(useDesign.getState().ruleset.preamble).toBe('none');
  });
});
