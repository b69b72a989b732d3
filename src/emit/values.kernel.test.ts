/** One-element anonymous sets whose element has options load into the real kernel. */
import { expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';
import { describeKernel } from '../testing/kernel.ts';
import { loadAndList } from '../testing/nft.ts';

describeKernel('one-element anonymous sets with element options', () => {
  it('load, and nft lists them as the plain comparison they filter as', () => {
    const src = `table ip t {
	chain c {
		type filter hook input priority filter; policy accept;
		ip saddr { 1.2.3.4 comment "x" } accept
		ip saddr { 1.2.3.5 counter } accept
		ip saddr { 1.2.3.6 timeout 10s } accept
	}
}
`;
    const r = parse(src);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const run = loadAndList(emit(r.ruleset).text);
    expect(run.ok, run.stderr).toBe(true);
    // nft keeps neither a rule counter nor a rule comment: the options were the element's
    expect(run.stdout).toContain('\t\tip saddr 1.2.3.4 accept\n\t\tip saddr 1.2.3.5 accept\n\t\tip saddr 1.2.3.6 accept\n');
  });
});
