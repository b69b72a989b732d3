import { describe, expect, it } from 'vitest';
import { readImport } from './importText.ts';
import { safeFileName } from './download.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';

describe('import', () => {
  it('reads nft text and JSON', () => {
    expect(readImport(TEMPLATES[0].text)).toMatchObject({ format: 'nft', errors: [] });
    const json = '{"nftables":[{"metainfo":{"json_schema_version":1}},{"table":{"family":"ip","name":"t"}}]}';
    const r = readImport(json);
    expect(r.format).toBe('json');
    expect(r.ruleset?.tables[0].name).toBe('t');
  });
  it('reports errors with line and column and no ruleset', () => {
    const r = readImport('table ip t {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n');
    expect(r.ruleset).toBeUndefined();
    expect(r.errors[0]).toMatchObject({ message: 'unknown statement "acept"', range: { startLine: 3, startCol: 16 } });
  });
  it('refuses binary content', () => {
    expect(readImport('table\u0000').errors[0].id).toBe('import/binary');
  });
});

describe('file names', () => {
  it('are made of safe characters', () => {
    expect(safeFileName('../My design <x>', 'nft')).toBe('My-design-x.nft');
    expect(safeFileName('', 'json')).toBe('design.json');
  });
});
