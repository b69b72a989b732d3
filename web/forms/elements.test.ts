import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { parseElementsText, setElementsText } from './elements.ts';

const rs = parse('table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.0.0.0/8, 192.168.1.1-192.168.1.9 }\n\t}\n}\n').ruleset;
const set = rs.tables[0].sets[0];

describe('elements editor text', () => {
  it('prints one element per line and reads them back', () => {
    const text = setElementsText(set);
    expect(text).toBe('10.0.0.0/8\n192.168.1.1-192.168.1.9');
    const r = parseElementsText(text, set, 'inet');
    expect('elements' in r && r.elements).toEqual(set.elements);
  });
  it('accepts a pasted list with commas, blank lines and element options', () => {
    const r = parseElementsText('1.2.3.4, 5.6.7.8\n\n10.1.0.0/16 comment "lab"\n', set, 'inet');
    expect('elements' in r && r.elements.length).toBe(3);
  });
  it('reports the line of a broken element', () => {
    const r = parseElementsText('1.2.3.4\n\n5.6.7.8 bogus', set, 'inet');
    expect(r).toMatchObject({ error: expect.stringMatching(/^line 3/) });
  });
});
