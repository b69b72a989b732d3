/**
 * The whole corpus against both nft versions (concurrently: each version's
 * batches are their own `unshare -n` processes), and its summary.
 */
import { NFT_113, nft113Unavailable, nftVersion } from '../testing/nft.ts';
import { FAILURE_CLASSES, checkVersion, type CaseResult, type FailureClass, type Version } from './check.ts';
import { listingDifferences, type DifferenceClass } from './differences.ts';
import { allCases, type Case, type CaseSource } from './sources.ts';

export interface CorpusRun {
  cases: Case[];
  versions: Version[];
  /** versions that cannot run here, and why */
  missing: Partial<Record<Version['name'], string>>;
  results: Partial<Record<Version['name'], CaseResult[]>>;
  seconds: number;
}

/** The versions this machine has: the system's nft (1.0.6) and NFT_113. */
export function versionsHere(): { versions: Version[]; missing: CorpusRun['missing'] } {
  const versions: Version[] = [];
  const missing: CorpusRun['missing'] = {};
  const sys = nftVersion();
  if (sys === '1.0.6') versions.push({ name: '1.0.6', nft: 'nft' });
  else missing['1.0.6'] = `the system's nft is ${sys}, not 1.0.6`;
  const why = nft113Unavailable();
  if (why) missing['1.1.3'] = why;
  else versions.push({ name: '1.1.3', nft: NFT_113 });
  return { versions, missing };
}

export async function runCorpus(only?: Version['name'], cases: Case[] = allCases()): Promise<CorpusRun> {
  const start = Date.now();
  const here = versionsHere();
  const versions = here.versions.filter((v) => !only || v.name === only);
  const results: CorpusRun['results'] = {};
  await Promise.all(
    versions.map(async (v) => {
      results[v.name] = await checkVersion(v, cases);
    }),
  );
  return { cases, versions, missing: here.missing, results, seconds: (Date.now() - start) / 1000 };
}

export interface Summary {
  cases: number;
  loadable: number;
  pass: number;
  /** first failure class of each failing case */
  byClass: Record<FailureClass, number>;
  /** loadable cases whose JSON step was not run: what toJson says the JSON cannot carry */
  jsonCannotCarry: number;
  bySource: Record<string, { cases: number; loadable: number; pass: number }>;
}

export function summarise(cases: readonly Case[], results: readonly CaseResult[]): Summary {
  const source = new Map<string, CaseSource>(cases.map((c) => [c.id, c.source]));
  const byClass = Object.fromEntries(FAILURE_CLASSES.map((c) => [c, 0])) as Record<FailureClass, number>;
  const bySource: Summary['bySource'] = {};
  let loadable = 0;
  let pass = 0;
  let jsonCannotCarry = 0;
  for (const r of results) {
    const s = (bySource[source.get(r.id) ?? '?'] ??= { cases: 0, loadable: 0, pass: 0 });
    s.cases++;
    if (r.status === 'not-loadable') continue;
    loadable++;
    s.loadable++;
    if (r.jsonLosses) jsonCannotCarry++;
    if (r.status === 'pass') {
      pass++;
      s.pass++;
    } else if (r.class) byClass[r.class]++;
  }
  return { cases: results.length, loadable, pass, byClass, jsonCannotCarry, bySource };
}

/** The listing differences of the cases both versions load. */
export function differencesOf(run: CorpusRun): DifferenceClass[] {
  const a = run.results['1.0.6'];
  const b = run.results['1.1.3'];
  if (!a || !b) return [];
  const other = new Map(b.map((r) => [r.id, r.listing]));
  const both: { id: string; v106: string; v113: string }[] = [];
  for (const r of a) {
    const l113 = other.get(r.id);
    if (r.listing !== undefined && l113 !== undefined) both.push({ id: r.id, v106: r.listing, v113: l113 });
  }
  return listingDifferences(both);
}
