import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { fromJson } from '../json/index.ts';

/**
 * The text and JSON readers share one reader core (model/readerCore.ts): the same
 * input, written either way, stands for the same preamble and the same warning.
 */
describe('one reader core for text and JSON', () => {
  const t = (family: string, name: string) => ({ table: { family, name } });
  const del = (family: string, name: string) => ({ delete: { table: { family, name } } });
  const doc = (...items: object[]) => JSON.stringify({ nftables: [{ metainfo: { json_schema_version: 1 } }, ...items] });
  const cases: [string, string, string, string | undefined][] = [
    ['every table replaced', 'table ip a\ndelete table ip a\ntable ip a {\n}\ntable ip b\ndelete table ip b\ntable ip b {\n}\n', doc({ add: t('ip', 'a') }, del('ip', 'a'), { add: t('ip', 'a') }, { add: t('ip', 'b') }, del('ip', 'b'), { add: t('ip', 'b') }), 'replace'],
    ['one of two replaced', 'table ip a\ndelete table ip a\ntable ip a {\n}\ntable ip b {\n}\n', doc({ add: t('ip', 'a') }, del('ip', 'a'), { add: t('ip', 'a') }, { add: t('ip', 'b') }), undefined],
    ['flush first', 'flush ruleset\ntable ip a {\n}\n', doc({ flush: { ruleset: null } }, { add: t('ip', 'a') }), 'flush'],
  ];
  it.each(cases)('%s', (_name, text, json, preamble) => {
    const a = parse(text);
    const b = fromJson(json);
    expect(a.ruleset.preamble === 'none' ? undefined : a.ruleset.preamble).toBe(preamble);
    expect(b.ruleset.preamble === 'none' ? undefined : b.ruleset.preamble).toBe(preamble);
    expect(b.ruleset.tables.map((x) => x.name)).toEqual(a.ruleset.tables.map((x) => x.name));
    expect(b.ruleset.commands.map((c) => c.text)).toEqual(a.ruleset.commands.map((c) => c.text));
    const partial = (ds: { id: string }[]) => ds.some((d) => d.id.endsWith('/partial-replace'));
    expect(partial(a.diagnostics)).toBe(preamble === undefined);
    expect(partial(b.diagnostics)).toBe(preamble === undefined);
  });
});
