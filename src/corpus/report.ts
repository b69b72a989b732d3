/**
 * The corpus report: counts per version, failure classes with examples, the
 * cases left as raw text, and the catalogue of 1.0.6 → 1.1.3 listing
 * differences (docs/corpus.md is this, written by `npm run corpus -- --write-docs`).
 */
import { FAILURE_CLASSES, type CaseResult, type Version } from './check.ts';
import type { BaselineCheck } from './baseline.ts';
import type { DifferenceClass } from './differences.ts';
import { summarise, type CorpusRun } from './run.ts';
import { corpusVersion, CORPUS_PREFIX } from './sources.ts';

const CLASS_TEXT: Record<string, string> = {
  'parse-error': 'our parser reports an error on nft’s listing',
  'raw-text': 'the parser keeps a statement or expression as raw text (not in the model)',
  'emit-refused': 'the emitter refuses the parsed model (EmitRefused)',
  'emit-differs': 'parse → emit of the listing is not the listing byte for byte',
  'load-refused': 'nft refuses the emitted text',
  'reload-differs': 'the emitted text loads but lists differently',
  'json-refused': 'nft -j -f refuses our JSON',
  'json-differs': 'our JSON loads but lists differently',
  'lint-error': 'nft loads the case as written, and the linter reports an error on it (a false error)',
};

function fence(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\n/g, '⏎') + '`';
}

function short(s: string, n = 160): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function countsTable(run: CorpusRun): string[] {
  const out = ['| version | cases | loadable | pass | ' + FAILURE_CLASSES.join(' | ') + ' | JSON cannot carry |', '|---|' + '---:|'.repeat(FAILURE_CLASSES.length + 4)];
  for (const v of run.versions) {
    const s = summarise(run.cases, run.results[v.name] ?? []);
    out.push(`| ${v.name} | ${s.cases} | ${s.loadable} | ${s.pass} | ${FAILURE_CLASSES.map((c) => s.byClass[c]).join(' | ')} | ${s.jsonCannotCarry} |`);
  }
  out.push('', '| version | source | cases | loadable | pass |', '|---|---|---:|---:|---:|');
  for (const v of run.versions) {
    const s = summarise(run.cases, run.results[v.name] ?? []);
    for (const [src, c] of Object.entries(s.bySource)) out.push(`| ${v.name} | ${src} | ${c.cases} | ${c.loadable} | ${c.pass} |`);
  }
  return out;
}

function failureSection(v: Version['name'], rs: readonly CaseResult[]): string[] {
  const out: string[] = [];
  for (const c of FAILURE_CLASSES) {
    const f = rs.filter((r) => r.status === 'fail' && r.class === c);
    if (!f.length) continue;
    out.push(`- **${c}** (${f.length}): ${CLASS_TEXT[c]}. E.g.`);
    const seen = new Set<string>();
    for (const r of f) {
      const key = (r.reason ?? '').replace(/\d+/g, 'N');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`  - ${fence(short(r.id, 100))}: ${fence(short(r.reason ?? ''))}`);
      if (seen.size === 3) break;
    }
  }
  const nl = rs.filter((r) => r.status === 'not-loadable');
  const why = new Map<string, number>();
  for (const r of nl) why.set(r.reason ?? '', (why.get(r.reason ?? '') ?? 0) + 1);
  out.push(`- not loadable by nft ${v} on this kernel (${nl.length}), by nft's message:`);
  for (const [m, n] of [...why.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) out.push(`  - ${n} × ${fence(short(m))}`);
  return out;
}

function rawSection(rs: readonly CaseResult[]): string[] {
  const by = new Map<string, { n: number; example: string; text: string }>();
  for (const r of rs) {
    if (r.status !== 'fail') continue;
    const raw = r.failures?.find((f) => f.class === 'raw-text');
    if (!raw) continue;
    const key = raw.reason.split(' ').slice(0, 3).join(' ').replace(/\d+/g, 'N');
    const e = by.get(key);
    if (e) e.n++;
    else by.set(key, { n: 1, example: r.id, text: raw.reason });
  }
  return [...by.entries()].sort((a, b) => b[1].n - a[1].n).map(([k, e]) => `| ${fence(k)} | ${e.n} | ${fence(short(e.text, 90))} | ${fence(short(e.example, 70))} |`);
}

export function differencesSection(d: readonly DifferenceClass[]): string[] {
  const out: string[] = [];
  const total = d.reduce((a, c) => a + c.count, 0);
  out.push(`${total} changed line pairs in ${d.length} classes.`, '');
  for (const c of d) {
    out.push(`### ${c.name}`, '', `${c.count} line pairs in ${c.cases} cases.`, '', '| 1.0.6 | 1.1.3 | n |', '|---|---|---:|');
    for (const p of c.pairs.slice(0, 8)) out.push(`| ${fence(p.v106.trim())} | ${fence(p.v113.trim())} | ${p.count} |`);
    out.push('');
  }
  return out;
}

export function markdownReport(run: CorpusRun, diffs: readonly DifferenceClass[], checks: Partial<Record<Version['name'], BaselineCheck>>): string {
  const out: string[] = [
    '# The nftables corpus',
    '',
    '<!-- written by `npm run corpus -- --write-docs`; the numbers are of the run that wrote it -->',
    '',
    'Issue 8: every case of nftables’ own test suites, Debian’s examples and the man pages’ rulesets',
    'is loaded with each real nft version inside `unshare -n`, and nft’s listing L of it is the',
    'oracle: our parse → emit of L must be L byte for byte, the emitted text must load and list',
    'back as L, and `toJson` of it must load with `nft -j -f` and list back as L wherever that',
    'version’s JSON can carry it (`src/json/losses.ts`; else the case counts as “JSON cannot carry”',
    'and the JSON step is not run). The code is `src/corpus/`; `npm run corpus` runs it and prints',
    'this report; `src/corpus/corpus.kernel.test.ts` runs it in the kernel tier against the',
    'committed baseline `src/corpus/known-failures.json` (a failure not in it is a regression; an',
    'entry that now passes must be removed: `npm run corpus -- --update-baseline`).',
    '',
    '## Sources',
    '',
    `- nftables’ tests/py \`.t\` files (one case per \`ok\` rule and table, with the file’s sets, elements`,
    '  and objects) and tests/shell `dumps/*.nft` (one case each), unpacked by',
    `  \`scripts/ensure-nft-corpus.sh\` into \`${CORPUS_PREFIX}\` (this run: nftables ${corpusVersion() ?? '(missing)'} sources).`,
    '  None of these GPL files is in this repository.',
    '- Debian’s examples (`/usr/share/doc/nftables/examples` of the 1.0.6 and the 1.1.3 package, and',
    '  the sources’ files/examples), identical files once.',
    '- The example blocks of both versions’ `nft(8)` that are whole rulesets.',
    '',
    '**Source package.** The script asks apt (private state, a `deb-src … trixie main` line on the',
    'machine’s own mirror) for Debian 13’s nftables source package. On this machine the mirror serves',
    'the Sources index but answers 404 for every nftables `.orig.tar.xz` (it serves only some pool files),',
    'so the script also takes `NFT_CORPUS_TARBALL=FILE` or `NFT_CORPUS_SRC=DIR`; the run below used',
    'the upstream nftables v1.0.9 tree given that way. Its test files list rules in the same format;',
    'the 1.1.3 tree has more cases.',
    '',
    '## Counts',
    '',
    `Run time: ${run.seconds.toFixed(0)} s for both versions (concurrently, 2 cores).`,
    '',
    ...countsTable(run),
    '',
    '“loadable”: the original loads into this kernel (6.18) with that version; a case that does not',
    'is not a failure of ours (no flowtables, no nft_queue on this kernel, features newer than the',
    'version, tests that need the shell test’s own setup). Listings are compared without the',
    'time-dependent `expires …` of set elements, and with the time since a `last` statement saw a',
    'packet written as `last used 1s` on both sides.',
    '',
    '## Failures',
    '',
    'Each failing case is counted once, in its first failing step, in this order: ' + FAILURE_CLASSES.join(', ') + '.',
    '',
  ];
  for (const v of run.versions) {
    out.push(`### nft ${v.name}`, '', ...failureSection(v.name, run.results[v.name] ?? []), '');
    const c = checks[v.name];
    if (c) out.push(`Against the baseline: ${c.regressions.length} regressions, ${c.stale.length} stale entries, ${c.changed.length} in another class.`, '');
  }
  out.push('## Cases left as raw text', '', 'Statements and expressions the model keeps as text (the reason: the statement layer has no shape for them yet), by their first words:', '');
  for (const v of run.versions) {
    out.push(`### nft ${v.name}`, '', '| raw text starts | cases | e.g. | case |', '|---|---:|---|---|', ...rawSection(run.results[v.name] ?? []), '');
  }
  out.push(
    '## How nft 1.1.3 lists what 1.0.6 lists (the same loaded ruleset)',
    '',
    'For every case both versions load, the two listings are diffed line by line (LCS); each changed',
    'line pair is classed. A pair whose sides have different line counts is one pair of joined lines',
    '(⏎ marks a newline). All pairs are in `src/corpus/listing-differences.json` (class → pairs).',
    'This is the specification of the emitter’s 1.1.3 listing form.',
    '',
    ...differencesSection(diffs),
  );
  return out.join('\n') + '\n';
}

/** The console report. */
export function consoleReport(run: CorpusRun, checks: Partial<Record<Version['name'], BaselineCheck>>): string {
  const out = [`corpus: ${run.cases.length} cases (nftables ${corpusVersion() ?? 'sources missing'} in ${CORPUS_PREFIX}), ${run.seconds.toFixed(0)} s`];
  for (const [v, why] of Object.entries(run.missing)) out.push(`*** nft ${v} not run: ${why}`);
  out.push(...countsTable(run));
  for (const v of run.versions) {
    const c = checks[v.name];
    if (!c) continue;
    out.push(`nft ${v.name} against the baseline: ${c.regressions.length} regressions, ${c.stale.length} stale, ${c.changed.length} changed class`);
    for (const r of c.regressions.slice(0, 20)) out.push(`  REGRESSION ${r.id}: ${r.class}: ${r.reason}`);
    for (const s of c.stale.slice(0, 20)) out.push(`  STALE (passes now) ${s}`);
  }
  return out.join('\n');
}
