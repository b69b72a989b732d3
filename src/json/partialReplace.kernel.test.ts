/**
 * A file that replaces only table b (`table ip b` + `delete table ip b` before
 * its definition) and adds to table a, read by the text parser and by the JSON
 * reader, emitted, and loaded twice into a private network namespace where
 * table a already has a rule: a's rule must survive (the script must not
 * delete table a) and b's rules must not be duplicated (it must delete b).
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { emit } from '../emit/index.ts';
import { parse } from '../parse/index.ts';
import { fromJson } from './fromJson.ts';
import { nftSteps } from './kernelHarness.ts';

const HOST = 'table ip a {\n\tchain c {\n\t\tip saddr 10.0.0.1 drop\n\t}\n}\n';
const TEXT = 'table ip b\ndelete table ip b\ntable ip a {\n\tchain c {\n\t}\n}\ntable ip b {\n\tchain c {\n\t\tip daddr 10.0.0.2 drop\n\t}\n}\n';
const JSON_DOC = JSON.stringify({
  nftables: [
    { metainfo: { json_schema_version: 1 } },
    { add: { table: { family: 'ip', name: 'b' } } },
    { delete: { table: { family: 'ip', name: 'b' } } },
    { table: { family: 'ip', name: 'a' } },
    { chain: { family: 'ip', table: 'a', name: 'c' } },
    { table: { family: 'ip', name: 'b' } },
    { chain: { family: 'ip', table: 'b', name: 'c' } },
    { rule: { family: 'ip', table: 'b', chain: 'c', expr: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'daddr' } }, right: '10.0.0.2' } }, { drop: null }] } },
  ],
});

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** Load HOST, then `script` twice; the final `nft list ruleset`. */
function loadTwice(script: string): string {
  const [pre, first, second, list] = nftSteps({ 'host.nft': HOST, 'script.nft': script }, ['-f host.nft', '-f script.nft', '-f script.nft', 'list ruleset']);
  for (const step of [pre, first, second, list]) {
    expect(step.stderr).toBe('');
    expect(step.status).toBe(0);
  }
  return list.stdout;
}

describeKernel('replacing only some tables keeps the others', () => {
  for (const [reader, read] of [
    ['nft text', () => parse(TEXT)],
    ['nft -j JSON', () => fromJson(JSON_DOC)],
  ] as const) {
    it(`${reader}: the emitted script deletes table b only, loaded twice`, () => {
      const r = read();
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const listing = loadTwice(emit(r.ruleset).text);
      expect(count(listing, 'ip saddr 10.0.0.1 drop')).toBe(1);
      expect(count(listing, 'ip daddr 10.0.0.2 drop')).toBe(1);
    });
  }

  it('(the replace preamble on every table would delete the host’s rule in table a)', () => {
    const listing = loadTwice(emit(parse(TEXT).ruleset, { preamble: 'replace' }).text);
    expect(count(listing, 'ip saddr 10.0.0.1 drop')).toBe(0);
    expect(count(listing, 'ip daddr 10.0.0.2 drop')).toBe(1);
  });
});
