/**
 * `npm run corpus [-- FLAGS]`: the corpus against both nft versions, outside
 * vitest. Prints the counts and the baseline check; exits 1 on a regression or
 * a stale baseline entry.
 *   --update-baseline     rewrite src/corpus/known-failures.json from this run
 *   --write-differences   rewrite src/corpus/listing-differences.json
 *   --write-docs          rewrite docs/corpus.md
 *   --version 1.0.6|1.1.3 run one version only
 *   --only TEXT           run only the cases whose id contains TEXT, and print
 *                         each failing one (the baseline check then covers those)
 * Needs root (unshare -n); run it with `nice` on a shared machine.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kernelUnavailable } from '../testing/nft.ts';
import { BASELINE_FILE, DIFFERENCES_FILE, baselineOf, checkBaseline, readBaseline, writeBaseline, type BaselineCheck } from './baseline.ts';
import type { Version } from './check.ts';
import { consoleReport, markdownReport } from './report.ts';
import { differencesOf, runCorpus } from './run.ts';
import { allCases } from './sources.ts';

const DOCS = fileURLToPath(new URL('../../docs/corpus.md', import.meta.url));

async function main(argv: string[]): Promise<number> {
  const why = kernelUnavailable();
  if (why) {
    console.error(`corpus: cannot run: ${why}`);
    return 2;
  }
  const vi = argv.indexOf('--version');
  const only = vi >= 0 ? (argv[vi + 1] as Version['name']) : undefined;
  const oi = argv.indexOf('--only');
  const filter = oi >= 0 ? argv[oi + 1] : undefined;
  if (filter !== undefined && (argv.includes('--update-baseline') || argv.includes('--write-docs') || argv.includes('--write-differences'))) {
    console.error('corpus: --only runs a subset; it cannot rewrite the baseline, the differences or the docs');
    return 2;
  }
  const run = await runCorpus(only, filter === undefined ? undefined : allCases().filter((c) => c.id.includes(filter)));
  if (filter !== undefined) {
    for (const v of run.versions) {
      for (const r of run.results[v.name] ?? []) if (r.status === 'fail') console.log(`${v.name} ${r.class} ${r.id}\n    ${r.reason ?? ''}`);
    }
  }
  const baseline = readBaseline();
  const checks: Partial<Record<Version['name'], BaselineCheck>> = {};
  for (const v of run.versions) checks[v.name] = checkBaseline(v.name, run.results[v.name] ?? [], baseline);
  console.log(consoleReport(run, checks));
  if (argv.includes('--update-baseline')) {
    const fresh = baselineOf(run.results);
    // keep the entries of versions this run did not run
    for (const [id, e] of Object.entries(baseline)) {
      for (const [v, f] of Object.entries(e) as [Version['name'], (typeof e)[Version['name']]][]) {
        if (f && !run.versions.some((x) => x.name === v) && run.cases.some((c) => c.id === id)) (fresh[id] ??= {})[v] = f;
      }
    }
    writeBaseline(fresh);
    console.log(`wrote ${BASELINE_FILE} (${Object.keys(fresh).length} cases)`);
  }
  const diffs = differencesOf(run);
  if (argv.includes('--write-differences') && diffs.length) {
    const json: Record<string, { v106: string; v113: string }[]> = {};
    for (const d of diffs) json[d.name] = d.pairs.map((p) => ({ v106: p.v106, v113: p.v113 }));
    writeFileSync(DIFFERENCES_FILE, JSON.stringify(json, null, 1) + '\n');
    console.log(`wrote ${DIFFERENCES_FILE} (${diffs.length} classes)`);
  }
  if (argv.includes('--write-docs')) {
    writeFileSync(DOCS, markdownReport(run, diffs, checks));
    console.log(`wrote ${DOCS}`);
  }
  if (argv.includes('--update-baseline')) return 0;
  return Object.values(checks).some((c) => c.regressions.length || c.stale.length) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
