/**
 * Reading an imported file or pasted text: nft -j JSON when it looks like JSON,
 * otherwise nft text. Never throws; errors carry line and column.
 */
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { parse } from '../../src/parse/index.ts';
import { fromJson } from '../../src/json/index.ts';
import { emitProblems } from '../../src/emit/index.ts';
import { countRules } from '../../src/model/find.ts';

export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export interface ImportResult {
  format: 'nft' | 'json';
  ruleset?: Ruleset;
  errors: Diagnostic[];
  notes: Diagnostic[];
  summary: string;
}

export function readImport(text: string): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) {
    return { format: 'nft', errors: [{ id: 'import/size', severity: 'error', message: `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB` }], notes: [], summary: '' };
  }
  if (text.includes('\u0000')) {
    return { format: 'nft', errors: [{ id: 'import/binary', severity: 'error', message: 'this is a binary file, not an nft script or nft -j JSON' }], notes: [], summary: '' };
  }
  const json = /^\s*[[{]/.test(text);
  let r: { ruleset: Ruleset; diagnostics: Diagnostic[] };
  try {
    r = json ? fromJson(text) : parse(text);
  } catch (e) {
    return { format: json ? 'json' : 'nft', errors: [{ id: 'import/internal', severity: 'error', message: `could not read it: ${String(e)}` }], notes: [], summary: '' };
  }
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  for (const p of errors.length ? [] : emitProblems(r.ruleset)) errors.push({ id: 'emit/unsafe', severity: 'error', message: p.message });
  const notes = r.diagnostics.filter((d) => d.severity !== 'error');
  const rs = r.ruleset;
  const summary = `${rs.tables.length} tables, ${rs.tables.reduce((n, t) => n + t.chains.length, 0)} chains, ${countRules(rs)} rules, ${rs.tables.reduce((n, t) => n + t.sets.length, 0)} sets/maps, ${rs.tables.reduce((n, t) => n + t.objects.length, 0)} objects`;
  return { format: json ? 'json' : 'nft', ruleset: errors.length ? undefined : rs, errors, notes, summary };
}
