/**
 * No false errors: every valid ruleset we know — the golden corpus, every .nft
 * fixture under src/, the templates and Debian's shipped examples — that the
 * real kernel loads must get no `error` from the linter.
 */
import { DEBIAN_REFUSED } from '../testing/golden.ts';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { describeKernel } from '../testing/kernel.ts';
import { NFT_OF, nftInNamespace, targetUnavailable } from '../testing/nft.ts';
import { LISTING_TARGETS } from '../knowledge/listing.ts';
import { lint } from './lint.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DEBIAN = '/usr/share/doc/nftables/examples';

function nftFiles(dir: string, keep: (path: string) => boolean): { name: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => String(f))
    .filter((f) => f.endsWith('.nft') && keep(join(dir, f)))
    .sort()
    .map((f) => ({ name: join(dir, f).slice(ROOT.length + 1), text: readFileSync(join(dir, f), 'utf8') }));
}

export function validCandidates(): { name: string; text: string; file?: string }[] {
  return [
    ...nftFiles(join(ROOT, 'tests', 'golden'), () => true),
    // not the iptables-nft listings with xt statements: nft refuses them, as on a host (foreign.kernel.test.ts)
    ...nftFiles(join(ROOT, 'src'), (p) => p.split(/[\\/]/).includes('fixtures') && !p.endsWith('-xt.nft')),
    ...TEMPLATES.map((t) => ({ name: `template ${t.id}`, text: t.text })),
    ...nftFiles(DEBIAN, () => true).map((d) => ({ name: d.name.split('/').pop() as string, text: d.text, file: d.name.split('/').pop() })),
  ];
}

describeKernel('no lint error on a ruleset the kernel loads', () => {
  const cases = validCandidates();
  for (const version of LISTING_TARGETS) {
    let loaded = 0;
    for (const c of cases) {
      // a golden listing of one version (NAME.1.1.3.nft) is checked with that version only
      const own = /\.(\d+\.\d+\.\d+)\.nft$/.exec(c.name)?.[1];
      if (own !== undefined && own !== version) continue;
      it(`${c.name} (nft ${version})`, (ctx) => {
        if (targetUnavailable(version)) return ctx.skip();
        const nft = NFT_OF[version];
        const run = nftInNamespace(c.text, { ...(c.file ? { file: c.file } : {}), ...(nft ? { nft } : {}) });
        // not valid here: only the Debian examples known to be refused by this kernel may fail to load
        if (!run.ok) {
          expect(Object.keys(DEBIAN_REFUSED), `${c.name}: ${run.stderr.split('\n').find((l) => l.includes('Error')) ?? run.stderr}`).toContain(c.name.replace(/^.*\//, ''));
          return;
        }
        loaded++;
        const r = parse(c.text);
        const found = lint(r.ruleset, { targetVersion: version, source: { text: c.text, spans: r.spans, lines: r.lines } });
        const errs = found.filter((d) => d.severity === 'error').map((d) => `${d.range?.startLine ?? '?'}: ${d.message} [${d.id}]`);
        expect(errs).toEqual([]);
      });
    }
    it(`checked a real corpus with nft ${version} (templates, goldens and Debian examples loaded)`, (ctx) => {
      if (targetUnavailable(version)) return ctx.skip();
      expect(loaded).toBeGreaterThanOrEqual(TEMPLATES.length + 10);
    });
  }
});
