/**
 * The "flush table" idiom — `table F N` (make sure it exists), `flush table F N`
 * (empty it), then the table — read and written back by the core, loaded twice
 * in a private network namespace on top of a host whose table already holds a
 * rule: the written script must empty the table first as the original does, so
 * both leave the same ruleset and a second load adds nothing. Written after the
 * tables (as the parser once placed it), the flush emptied what the file defines.
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { emit } from '../emit/index.ts';
import { nftSteps } from '../json/kernelHarness.ts';
import { parse } from './index.ts';
import { fromJson } from '../json/index.ts';

const HOST = 'table inet a {\n\tchain c {\n\t\tip saddr 10.0.0.1 drop\n\t}\n}\n';
const TEXT = 'table inet a\nflush table inet a\ntable inet a {\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n';

function loadTwice(script: string): string {
  const steps = nftSteps({ 'host.nft': HOST, 'script.nft': script }, ['-f host.nft', '-f script.nft', '-f script.nft', 'list ruleset']);
  for (const s of steps) {
    expect(s.stderr).toBe('');
    expect(s.status).toBe(0);
  }
  return steps[3].stdout;
}

describeKernel('table + flush table + the table, through the core', () => {
  it('the written script empties the table first, as the original: the same ruleset, and loading twice adds nothing', () => {
    const r = parse(TEXT);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const written = emit(r.ruleset).text;
    expect(written.indexOf('flush table inet a')).toBeLessThan(written.indexOf('table inet a {'));
    const original = loadTwice(TEXT);
    expect(original).toBe('table inet a {\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n');
    expect(loadTwice(written)).toBe(original);
  });

  it('the same from nft -j JSON: add table, flush table, then the table', () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { json_schema_version: 1 } },
        { add: { table: { family: 'inet', name: 'a' } } },
        { flush: { table: { family: 'inet', name: 'a' } } },
        { table: { family: 'inet', name: 'a' } },
        { chain: { family: 'inet', table: 'a', name: 'c' } },
        { rule: { family: 'inet', table: 'a', chain: 'c', expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }, { accept: null }] } },
      ],
    });
    const r = fromJson(json);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loadTwice(emit(r.ruleset).text)).toBe(loadTwice(TEXT));
  });
});
