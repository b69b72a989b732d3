/**
 * The committed baseline of the corpus (known-failures.json): case id → version
 * → failure class and a short reason. A failing case that is not in it is a
 * regression; a case in it that now passes is a stale exception (the baseline
 * must shrink). Entries of cases that this run does not have (another nftables
 * source version, a missing man page) or that this kernel does not load are
 * neither.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CaseResult, FailureClass, Version } from './check.ts';

export const BASELINE_FILE = fileURLToPath(new URL('./known-failures.json', import.meta.url));
export const DIFFERENCES_FILE = fileURLToPath(new URL('./listing-differences.json', import.meta.url));

export interface KnownFailure {
  class: FailureClass;
  reason: string;
}

export type Baseline = Record<string, Partial<Record<Version['name'], KnownFailure>>>;

export function readBaseline(file = BASELINE_FILE): Baseline {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Baseline;
  } catch {
    return {};
  }
}

/** The baseline of these results (sorted, so that its diffs are readable). */
export function baselineOf(results: Partial<Record<Version['name'], CaseResult[]>>): Baseline {
  const b: Baseline = {};
  for (const [version, rs] of Object.entries(results) as [Version['name'], CaseResult[]][]) {
    for (const r of rs) {
      if (r.status !== 'fail' || !r.class) continue;
      (b[r.id] ??= {})[version] = { class: r.class, reason: r.reason ?? '' };
    }
  }
  const sorted: Baseline = {};
  for (const id of Object.keys(b).sort()) sorted[id] = { '1.0.6': b[id]['1.0.6'], '1.1.3': b[id]['1.1.3'] };
  return sorted;
}

export function writeBaseline(b: Baseline, file = BASELINE_FILE): void {
  writeFileSync(file, JSON.stringify(b, null, 1) + '\n');
}

export interface BaselineCheck {
  /** failing, and not in the baseline */
  regressions: { id: string; class: FailureClass; reason: string }[];
  /** in the baseline, and passing now */
  stale: string[];
  /** failing in another class than the baseline says (reported, not a failure) */
  changed: { id: string; was: FailureClass; now: FailureClass }[];
}

export function checkBaseline(version: Version['name'], results: readonly CaseResult[], baseline: Baseline): BaselineCheck {
  const out: BaselineCheck = { regressions: [], stale: [], changed: [] };
  for (const r of results) {
    const known = baseline[r.id]?.[version];
    if (r.status === 'fail' && r.class) {
      if (!known) out.regressions.push({ id: r.id, class: r.class, reason: r.reason ?? '' });
      else if (known.class !== r.class) out.changed.push({ id: r.id, was: known.class, now: r.class });
    } else if (r.status === 'pass' && known) out.stale.push(r.id);
  }
  return out;
}
