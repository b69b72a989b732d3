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

describe('elements editor text: quoted strings', () => {
  const commented = parse(
    'table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1 comment "office, floor 2", 10.0.0.2 comment "a,,b , c", 10.0.0.3 }\n\t}\n}\n',
  ).ruleset.tables[0].sets[0];

  it('prints one element per line, commas in comments untouched', () => {
    expect(commented.elements.map((e) => e.comment)).toEqual(['office, floor 2', 'a,,b , c', undefined]);
    expect(setElementsText(commented)).toBe('10.0.0.1 comment "office, floor 2"\n10.0.0.2 comment "a,,b , c"\n10.0.0.3');
  });

  it('round-trips elements whose comments hold commas', () => {
    const r = parseElementsText(setElementsText(commented), commented, 'inet');
    expect('elements' in r && r.elements).toEqual(commented.elements);
  });

  it('reads separators outside quotes only: leading, trailing and doubled commas, CRLF lines', () => {
    const r = parseElementsText(',10.0.0.1 comment "x, y",, 10.0.0.2,\r\n\r\n, ,\r\n10.0.0.3 comment ",",\n', commented, 'inet');
    expect('elements' in r && r.elements.map((e) => [e.key, e.comment])).toEqual([
      [{ kind: 'value', text: '10.0.0.1' }, 'x, y'],
      [{ kind: 'value', text: '10.0.0.2' }, undefined],
      [{ kind: 'value', text: '10.0.0.3' }, ','],
    ]);
  });

  it('prints a map and an interval set as the emitter does', () => {
    const t = parse(
      'table inet t {\n\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { 22 : accept, 80 : drop }\n\t}\n\tset i {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 10.0.0.0/24, 10.0.1.0/24 }\n\t}\n}\n',
    ).ruleset.tables[0];
    expect(setElementsText(t.sets[0])).toBe('22 : accept\n80 : drop');
    // auto-merge: adjacent intervals are one, as nft lists them
    expect(setElementsText(t.sets[1])).toBe('10.0.0.0/23');
    const r = parseElementsText(setElementsText(t.sets[0]), t.sets[0], 'inet');
    expect('elements' in r && r.elements).toEqual(t.sets[0].elements);
  });
});
