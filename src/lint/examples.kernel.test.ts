/**
 * Kernel agreement: what the linter calls an error, the real kernel refuses
 * (nft -f in a private network namespace) — and for statement placement and
 * jump loops, `nft -c` wrongly accepts it. Where nft does not refuse but wraps a
 * number silently, the listing shows the wrapped value. Every fixed example
 * loads.
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { loadAndList, nftInNamespace } from '../testing/nft.ts';
import { parse } from '../parse/index.ts';
import { FINDINGS } from './checks/index.ts';
import { LINT_EXAMPLES } from './fixtures/examples.ts';

const firstError = (stderr: string): string => stderr.split('\n').find((l) => l.includes('Error')) ?? stderr;

describeKernel('lint errors agree with the kernel', () => {
  it('every error finding has a kernel example', () => {
    const shown = new Set(LINT_EXAMPLES.filter((e) => e.kernel).map((e) => e.id));
    const missing = FINDINGS.filter((f) => f.severity === 'error' && !shown.has(f.id)).map((f) => f.id);
    expect(missing).toEqual([]);
  });

  it('policy on a regular chain: the parser refuses it (the model cannot hold it), and so does the kernel', () => {
    const text = 'table ip t {\n\tchain c {\n\t\tpolicy drop;\n\t}\n}\n';
    expect(parse(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.id)).toEqual(['parse/policy']);
    expect(nftInNamespace(text).ok).toBe(false);
  });

  for (const [i, e] of LINT_EXAMPLES.entries()) {
    if (!e.kernel) continue;
    const text = e.kernelText ?? e.bad;
    switch (e.kernel) {
      case 'rejects':
        it(`${e.id} #${i}: nft -f refuses the broken example`, () => {
          const r = nftInNamespace(text);
          expect(r.ok, r.stderr).toBe(false);
        });
        break;
      case 'rejects-at-commit':
        it(`${e.id} #${i}: nft -c accepts the broken example, nft -f refuses it at commit`, () => {
          const check = nftInNamespace(text, { check: true });
          expect(check.ok, check.stderr).toBe(true);
          const r = nftInNamespace(text);
          expect(r.ok).toBe(false);
          expect(firstError(r.stderr)).toMatch(/Could not process rule: (Operation not supported|Too many links)/);
        });
        break;
      case 'wraps':
        it(`${e.id} #${i}: the kernel loads the broken example but stores another value`, () => {
          const r = loadAndList(text);
          expect(r.ok, r.stderr).toBe(true);
          expect(r.stdout).toMatch(e.listed as RegExp);
        });
        break;
      case 'json-rejects':
        it(`${e.id} #${i}: nft -j -f refuses the JSON`, () => {
          const r = nftInNamespace(text, { json: true });
          expect(r.ok, r.stderr).toBe(false);
        });
        break;
    }
    it(`${e.id} #${i}: the fixed example loads`, () => {
      const r = nftInNamespace(e.good);
      expect(r.ok, firstError(r.stderr)).toBe(true);
    });
  }
});
