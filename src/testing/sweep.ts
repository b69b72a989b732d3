/**
 * Sweeps of many one-rule cases through a real nft (in `unshare -n`): each case is
 * a chain of its own, loaded in batches; the cases nft refuses are found by
 * taking out each one it names in its error (halving where it names none: an
 * abort). Used by the field sweep (knowledge/fields.kernel.test.ts) and the
 * statement sweep (stmts/statements.kernel.test.ts).
 */
import { NFT_OF, nftInNamespace } from './nft.ts';
import { parse } from '../parse/index.ts';
import { emit } from '../emit/index.ts';
import { lint } from '../lint/lint.ts';
import type { ListingTarget } from '../knowledge/listing.ts';

export interface SweepCase {
  id: number;
  family: string;
  rule: string;
  /** the chain's base-chain line; by default a filter chain at input (netdev: ingress on lo) */
  head?: string;
}

/** A base chain of the family (netdev's ingress on lo). */
export function defaultHead(family: string): string {
  return family === 'netdev' ? 'type filter hook ingress device "lo" priority 0; policy accept;' : 'type filter hook input priority 0; policy accept;';
}

/** The cases as tables (one per family, PRELUDE's declarations first) of one chain per case, named c<id>. */
export function chainsText(list: readonly SweepCase[], prelude: (family: string) => string = () => ''): string {
  const families = [...new Set(list.map((c) => c.family))];
  return families
    .map((f) => {
      const chains = list.filter((c) => c.family === f).map((c) => `\tchain c${c.id} {\n\t\t${c.head ?? defaultHead(f)}\n\t\t${c.rule}\n\t}\n`);
      return `table ${f} t {\n${prelude(f)}${chains.join('')}}\n`;
    })
    .join('');
}

/**
 * The cases nft loads, of those `textOf` writes as one script; the ones it refuses
 * are pushed to `refused`. Each error names a line: the case is the one whose
 * `header` (capturing its id) stands last above it; where nft names no line (an
 * abort, a refusal at commit) the list is halved until the case is alone. An error
 * above every header is the prelude's, and throws.
 */
export function loadableOf<T extends { id: number }>(all: readonly T[], nft: string | undefined, refused: T[], textOf: (list: readonly T[]) => string, header: RegExp): T[] {
  const run = (list: readonly T[]): T[] => {
    let cur = [...list];
    while (cur.length) {
      const text = textOf(cur);
      const r = nftInNamespace(text, nft ? { nft } : {});
      if (r.ok) return cur;
      const at = /:(\d+):\d+-\d+: Error/.exec(r.stderr);
      const lines = text.split('\n');
      let j = at ? Number(at[1]) - 1 : -1;
      while (j >= 0 && !header.test(lines[j])) j--;
      const id = j >= 0 ? Number(header.exec(lines[j])?.[1] ?? -1) : -1;
      const c = cur.find((x) => x.id === id);
      if (!c) {
        if (at && j < 0) throw new Error(`nft refused the prelude: ${r.stderr.slice(0, 300)}`);
        if (cur.length === 1) {
          refused.push(cur[0]);
          return [];
        }
        const h = cur.length >> 1;
        return [...run(cur.slice(0, h)), ...run(cur.slice(h))];
      }
      refused.push(c);
      cur = cur.filter((x) => x.id !== c.id);
    }
    return cur;
  };
  return run(all);
}

/** The one-rule cases nft loads (one chain each); the ones it refuses are pushed to `refused`. */
export function loadable(all: readonly SweepCase[], nft: string | undefined, refused: SweepCase[], prelude?: (family: string) => string): SweepCase[] {
  return loadableOf(all, nft, refused, (list) => chainsText(list, prelude), /^\tchain c(\d+) \{/);
}

/** Cases in loads of at most 150 chains: one transaction of a few thousand is refused ("Argument list too long"). */
export function batches<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += 150) out.push(list.slice(i, i + 150));
  return out;
}

/** chain name → its rule line (the lines of a multi-line rule joined), from a listing. */
export function ruleLines(listing: string): Map<string, string> {
  const out = new Map<string, string>();
  let chain = '';
  for (const line of listing.split('\n')) {
    const m = /^\tchain (c\d+) \{/.exec(line);
    if (m) chain = m[1];
    else if (line === '\t}') chain = '';
    else if (chain && line.startsWith('\t\t') && !/^\t\ttype \S+ hook /.test(line)) out.set(chain, out.has(chain) ? `${out.get(chain)}\n${line.trim()}` : line.trim());
  }
  return out;
}

/** What one version makes of the cases: those it loads and refuses, and per loaded chain nft's listing and the emitter's. */
export interface SweepResult {
  ok: SweepCase[];
  refused: SweepCase[];
  /** chain name (c<id>) → nft's listing of its rule */
  listed: Map<string, string>;
  /** … the emitter's, from what was written */
  written: Map<string, string>;
  /** … the emitter's, from nft's own listing */
  fromListing: Map<string, string>;
}

/** Load every case with the target's nft, list what it loads, and print both with the emitter for that target. */
export function sweep(all: readonly SweepCase[], target: ListingTarget, prelude?: (family: string) => string): SweepResult {
  const nft = NFT_OF[target];
  const refused: SweepCase[] = [];
  const ok = batches(all).flatMap((part) => loadable(part, nft, refused, prelude));
  let listing = '';
  for (const part of batches(ok)) {
    const r = nftInNamespace(chainsText(part, prelude), { after: ['list ruleset'], ...(nft ? { nft } : {}) });
    if (!r.ok) throw new Error(`nft ${target} refused cases it had loaded: ${r.stderr.slice(0, 300)}`);
    listing += r.stdout;
  }
  return {
    ok,
    refused,
    listed: ruleLines(listing),
    fromListing: ruleLines(emit(parse(listing).ruleset, { target }).text),
    written: ruleLines(emit(parse(chainsText(ok, prelude)).ruleset, { target }).text),
  };
}

/** The errors the parser and the linter (for the target) find in one case. */
export function lintErrors(c: SweepCase, target: ListingTarget, prelude?: (family: string) => string): string[] {
  const p = parse(chainsText([c], prelude), { file: 'case.nft' });
  return [...p.diagnostics, ...lint(p.ruleset, { targetVersion: target })].filter((d) => d.severity === 'error').map((d) => d.message);
}
