/**
 * Kernel agreement: what the linter calls an error, the real kernel refuses
 * (nft -f in a private network namespace) — and for statement placement and
 * jump loops, `nft -c` wrongly accepts it. Where nft does not refuse but wraps a
 * number silently, the listing shows the wrapped value. Every fixed example
 * loads. Each example runs with the nft of its target: Debian 13's 1.1.3 for the
 * default and the 1.1 line, Debian 12's 1.0.6 for older targets.
 */
import { expect, it as itWith, type TestContext } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { NFT_OF, loadAndList as loadAndListWith, nftInNamespace as nftWith, targetUnavailable } from '../testing/nft.ts';
import { listingTargetFor } from '../knowledge/listing.ts';
import { DEFAULT_TARGET_VERSION } from '../knowledge/versions.ts';
import { parse } from '../parse/index.ts';
import { FINDINGS } from './checks/index.ts';
import { LINT_EXAMPLES } from './fixtures/examples.ts';
import { Lab } from '../testing/traceLab.ts';

const firstError = (stderr: string): string => stderr.split('\n').find((l) => l.includes('Error')) ?? stderr;

describeKernel('lint errors agree with the kernel', () => {
  itWith('every error finding has a kernel example', () => {
    const shown = new Set(LINT_EXAMPLES.filter((e) => e.kernel).map((e) => e.id));
    const missing = FINDINGS.filter((f) => f.severity === 'error' && !shown.has(f.id)).map((f) => f.id);
    expect(missing).toEqual([]);
  });

  itWith('policy on a regular chain: the parser refuses it (the model cannot hold it), and so does the kernel', () => {
    const text = 'table ip t {\n\tchain c {\n\t\tpolicy drop;\n\t}\n}\n';
    expect(parse(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.id)).toEqual(['parse/policy']);
    expect(nftWith(text).ok).toBe(false);
  });

  for (const [i, e] of LINT_EXAMPLES.entries()) {
    const version = listingTargetFor(e.targetVersion ?? DEFAULT_TARGET_VERSION);
    const nft = NFT_OF[version];
    const nftInNamespace = (script: string, opts: Parameters<typeof nftWith>[1] = {}) => nftWith(script, { ...opts, ...(nft ? { nft } : {}) });
    const loadAndList = (script: string) => loadAndListWith(script, { ...(nft ? { nft } : {}) });
    const it = (name: string, fn: () => void | Promise<void>) => itWith(`${name} (nft ${version})`, (ctx: TestContext) => (targetUnavailable(version) ? ctx.skip() : fn()), 60_000);
    if (!e.kernel) {
      it(`${e.id} #${i}: the fixed example loads`, () => {
        const r = nftInNamespace(e.good);
        expect(r.ok, firstError(r.stderr)).toBe(true);
      });
      continue;
    }
    const text = e.kernelText ?? e.bad;
    switch (e.kernel) {
      case 'rejects':
        it(`${e.id} #${i}: nft -f refuses the broken example${e.refusal ? ` (${e.refusal.source})` : ''}`, () => {
          const r = nftInNamespace(text);
          expect(r.ok, r.stderr).toBe(false);
          if (e.refusal) expect(r.stderr).toMatch(e.refusal);
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
      case 'never-traced':
        it(`${e.id} #${i}: the kernel loads both; its trace of the packet never shows the rule in the broken example, and does in the fixed one`, async () => {
          const rulesIn = async (script: string): Promise<string[]> => {
            const lab = new Lab(nft ?? 'nft', script, {});
            try {
              await lab.start();
              await lab.send({ kind: 'hping', args: [...(e.send ?? [])] });
              const [packet] = lab.clientGroups();
              expect(packet, 'the kernel traced the packet').toBeDefined();
              return packet.events.filter((ev) => ev.type === 'rule').map((ev) => `${ev.rule} (verdict ${ev.verdict})`);
            } finally {
              lab.close();
            }
          };
          const bad = await rulesIn(text);
          expect(bad.length, 'the broken example decides the packet by a rule').toBeGreaterThan(0);
          expect(bad.filter((r) => e.tracedRule?.test(r))).toEqual([]);
          const good = await rulesIn(e.good);
          expect(good.filter((r) => e.tracedRule?.test(r)).length, good.join('\n')).toBeGreaterThan(0);
        });
        break;
      case 'connect-fails':
        it(`${e.id} #${i}: the kernel loads both; a real connect to port ${e.connect} fails with the broken example and succeeds with the fixed one`, async () => {
          const connects = async (script: string): Promise<boolean> => {
            const lab = new Lab(nft ?? 'nft', script, { ...(e.sysctls ?? {}) });
            try {
              await lab.start();
              await lab.send({ kind: 'connect', port: e.connect ?? 0 });
              return true;
            } catch (err) {
              if (String(err).includes('the kernel never traced')) throw err;
              return false;
            } finally {
              lab.close();
            }
          };
          expect(await connects(text), 'the broken example lets the connection through').toBe(false);
          expect(await connects(e.good), 'the fixed example lets the connection through').toBe(true);
        });
        break;
      case 'json-rejects':
        it(`${e.id} #${i}: nft -j -f refuses the JSON`, () => {
          const r = nftInNamespace(text, { json: true });
          expect(r.ok, r.stderr).toBe(false);
        });
        break;
    }
    if (e.kernelLacks) {
      it(`${e.id} #${i}: the fixed example passes nft's own checks; this kernel, built without ${e.kernelLacks}, refuses it for that only`, () => {
        const r = nftInNamespace(e.good, { check: true });
        expect(r.ok, 'this kernel now has the expression: let the fixed example load instead').toBe(false);
        const errors = r.stderr.split('\n').filter((l) => l.includes('Error'));
        expect(errors.length).toBeGreaterThan(0);
        for (const l of errors) expect(l).toMatch(/Error: Could not process rule: No such file or directory$/);
      });
      continue;
    }
    it(`${e.id} #${i}: the fixed example loads`, () => {
      const r = nftInNamespace(e.good);
      expect(r.ok, firstError(r.stderr)).toBe(true);
    });
  }
});
