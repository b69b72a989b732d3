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
import { nftInNamespace } from '../testing/nft.ts';
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
  let loaded = 0;
  for (const c of cases) {
    it(c.name, () => {
      const run = nftInNamespace(c.text, c.file ? { file: c.file } : {});
      // not valid here: only the Debian examples known to be refused by this kernel may fail to load
      if (!run.ok) {
        expect(Object.keys(DEBIAN_REFUSED), `${c.name}: ${run.stderr.split('\n').find((l) => l.includes('Error')) ?? run.stderr}`).toContain(c.name.replace(/^.*\//, ''));
        return;
      }
      loaded++;
      const r = parse(c.text);
      const found = lint(r.ruleset, { source: { text: c.text, spans: r.spans, lines: r.lines } });
      const errs = found.filter((d) => d.severity === 'error').map((d) => `${d.range?.startLine ?? '?'}: ${d.message} [${d.id}]`);
      expect(errs).toEqual([]);
    });
  }
  it('checked a real corpus (templates, goldens and Debian examples loaded)', () => {
    expect(loaded).toBeGreaterThanOrEqual(TEMPLATES.length + 10);
  });
});
