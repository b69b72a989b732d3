import { describe, expect, it } from 'vitest';
import { formatDate, symbolProblem } from './datatypes.ts';
import { parse } from '../parse/index.ts';
import { emit } from '../emit/index.ts';
import { lint } from '../lint/lint.ts';

describe('meta time takes a date, as nft reads and lists it (src/knowledge/fields.kernel.test.ts loads them in both versions)', () => {
  it('lists a date with its seconds, and seconds since 1970 as that moment in local time', () => {
    expect(formatDate('"2025-01-01"')).toBe('"2025-01-01 00:00:00"');
    expect(formatDate('"2025-01-01 10:00"')).toBe('"2025-01-01 10:00:00"');
    expect(formatDate('"2025-01-01 10:00:05"')).toBe('"2025-01-01 10:00:05"');
    const local = new Date(1735725600 * 1000);
    expect(formatDate('1735725600')).toBe(`"${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')} ${String(local.getHours()).padStart(2, '0')}:00:00"`);
    expect(formatDate('10s')).toBeUndefined();
    expect(formatDate('"tomorrow"')).toBeUndefined();
    expect(formatDate('"2025-13-01"')).toBeUndefined();
    expect(formatDate('"2025-01-01 24:00"')).toBeUndefined();
  });
  it('a duration or a word is an error where nft says "Cannot parse date"; a date is not', () => {
    expect(symbolProblem('10s', 'date')).toMatch(/is not a date.*Cannot parse date/);
    expect(symbolProblem('"2025-01-01 10:00"', 'date')).toBeUndefined();
    const r = parse('table inet t {\n\tchain c {\n\t\tmeta time < "2025-01-01" drop\n\t\tmeta time 10s drop\n\t}\n}\n');
    expect(emit(r.ruleset).text).toContain('\t\tmeta time < "2025-01-01 00:00:00" drop\n');
    expect(lint(r.ruleset).filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([expect.stringMatching(/^"10s" is not a date/)]);
  });
});
