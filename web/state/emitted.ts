/**
 * Emitting for the app: the result or the emitter's refusals (never a throw),
 * and the line → node index used by the preview and the lint mapping.
 *
 * Any other exception (a structure the emitter does not expect, a bug) is
 * reported the same way as a refusal, with its message and, where it can be
 * found, the table, set, chain or rule it comes from — so the preview shows
 * why there is no script instead of waiting for one forever.
 */
import { EmitRefused, emit, type EmitProblem, type EmitResult } from '../../src/emit/index.ts';
import { emptyRuleset, type Ruleset, type Table } from '../../src/model/types.ts';

export interface Emitted extends EmitResult {
  problems: EmitProblem[];
  /** true when `text` is the last good text, not the current design's */
  stale: boolean;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  try {
    return String(e);
  } catch {
    return 'unknown error';
  }
}

/** Emits `rs`; true when it is written or refused the ordinary way. */
function emitsCleanly(rs: Ruleset): boolean {
  try {
    emit(rs);
    return true;
  } catch (e) {
    return e instanceof EmitRefused;
  }
}

function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/**
 * The node whose printing throws: each table alone, then each of its sets,
 * objects, flowtables and chains alone, then each rule of a failing chain.
 */
export function locateEmitFailure(rs: Ruleset): { nodeId: string; what: string } | undefined {
  try {
    const alone = (t: Table, patch: Partial<Table>): Ruleset => ({ ...emptyRuleset(), tables: [{ ...t, sets: [], objects: [], flowtables: [], chains: [], ...patch }] });
    for (const t of asArray<Table>(rs.tables)) {
      if (!t || typeof t !== 'object') return undefined;
      if (emitsCleanly({ ...emptyRuleset(), tables: [t] })) continue;
      if (!emitsCleanly(alone(t, {}))) return { nodeId: t.id, what: `table ${t.name}` };
      for (const s of asArray<Table['sets'][number]>(t.sets)) if (!emitsCleanly(alone(t, { sets: [s] }))) return { nodeId: s?.id, what: `set ${s?.name}` };
      for (const o of asArray<Table['objects'][number]>(t.objects)) if (!emitsCleanly(alone(t, { objects: [o] }))) return { nodeId: o?.id, what: `${o?.type} ${o?.name}` };
      for (const f of asArray<Table['flowtables'][number]>(t.flowtables)) if (!emitsCleanly(alone(t, { flowtables: [f] }))) return { nodeId: f?.id, what: `flowtable ${f?.name}` };
      for (const c of asArray<Table['chains'][number]>(t.chains)) {
        if (emitsCleanly(alone(t, { chains: [c] }))) continue;
        if (!emitsCleanly(alone(t, { chains: [{ ...c, rules: [] }] }))) return { nodeId: c?.id, what: `chain ${c?.name}` };
        const rules = asArray<Table['chains'][number]['rules'][number]>(c.rules);
        for (let i = 0; i < rules.length; i++) {
          if (!emitsCleanly(alone(t, { chains: [{ ...c, rules: [rules[i]] }] }))) return { nodeId: rules[i]?.id, what: `rule ${i + 1} of chain ${c?.name}` };
        }
        return { nodeId: c?.id, what: `chain ${c?.name}` };
      }
      return { nodeId: t.id, what: `table ${t.name}` };
    }
  } catch {
    // locating is best effort
  }
  return undefined;
}

export function emitSafely(rs: Ruleset): { result?: EmitResult; problems: EmitProblem[] } {
  try {
    return { result: emit(rs), problems: [] };
  } catch (e) {
    if (e instanceof EmitRefused) return { problems: e.problems };
    const at = locateEmitFailure(rs);
    const what = at ? at.what : 'the design';
    return { problems: [{ nodeId: typeof at?.nodeId === 'string' ? at.nodeId : '', field: '', message: `printing ${what} failed (${errorMessage(e)})` }] };
  }
}
