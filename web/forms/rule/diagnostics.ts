/**
 * Where each linter finding about a rule is shown in the builder. Findings name
 * a field of the rule (`mss`, `target`, `set`, `comment` …), not a statement,
 * so the builder finds the row that field belongs to — the synproxy statement
 * for `mss`, the match or set update that uses the named set for `set` — and
 * shows the rest at the rule level.
 */
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import type { BuilderState } from './model.ts';

export interface PlacedDiagnostics {
  /** problem path (`stmt.0.synproxy.mss`) → findings */
  byPath: Map<string, Diagnostic[]>;
  /** findings about the rule as a whole */
  rule: Diagnostic[];
}

function mentions(message: string, name: string): boolean {
  return name !== '' && (message.includes(`"${name}"`) || message.includes(`@${name}`) || new RegExp(`(^|[\\s(])${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}([\\s,;:)]|$)`).test(message));
}

/** Findings about one statement as a whole (placement, versions, notrack): its row. */
function rowFor(d: Diagnostic, s: BuilderState): string | undefined {
  const find = (pred: (r: BuilderState['stmts'][number]) => boolean): string | undefined => {
    const i = s.stmts.findIndex(pred);
    return i < 0 ? undefined : `stmt.${i}`;
  };
  const id = d.id;
  if (id === 'synproxy/backend-match') {
    // about mss and wscale together: under the parameter row, not under one field
    const i = s.stmts.findIndex((r) => r.kind === 'synproxy' && r.mode === 'anonymous');
    if (i >= 0) return `stmt.${i}.synproxy.params`;
  }
  if (id === 'placement/synproxy' || (id === 'version/feature' && /synproxy/.test(d.message)) || id === 'synproxy/ct-state' || id === 'synproxy/notrack-missing' || id === 'synproxy/backend-match') {
    return find((r) => r.kind === 'synproxy');
  }
  if (id.startsWith('placement/')) {
    const stmt = id.slice('placement/'.length);
    if (stmt === 'reject') return s.verdict.kind === 'reject' ? 'verdict' : undefined;
    return find((r) => r.kind === 'nat' && r.type === stmt);
  }
  if (id.startsWith('notrack/')) return find((r) => r.kind === 'notrack');
  return undefined;
}

function pathFor(d: Diagnostic, s: BuilderState): string | undefined {
  const msg = d.message;
  if (d.id === 'synproxy/backend-match') return rowFor(d, s);
  if (d.field === undefined || d.field === 'statement' || d.field === 'notrack') return rowFor(d, s);
  switch (d.field) {
    case 'comment':
      return 'comment';
    case 'target':
      return s.verdict.kind === 'jump' || s.verdict.kind === 'goto' ? 'verdict.target' : undefined;
    case 'mss':
    case 'wscale':
    case 'timestamp': {
      const i = s.stmts.findIndex((r) => r.kind === 'synproxy' && r.mode === 'anonymous');
      return i < 0 ? rowFor(d, s) : `stmt.${i}.synproxy.${d.field}`;
    }
    case 'prefix': {
      const i = s.stmts.findIndex((r) => r.kind === 'log');
      return i < 0 ? undefined : `stmt.${i}.prefix`;
    }
    case 'timeout': {
      const i = s.stmts.findIndex((r) => r.kind === 'setupdate' && r.timeout !== '');
      return i < 0 ? undefined : `stmt.${i}.timeout`;
    }
    case 'ct state': {
      const i = s.matches.findIndex((m) => m.field === 'ct state');
      return i < 0 ? rowFor(d, s) : `match.${i}.values`;
    }
    case 'name': {
      const candidates: string[] = [];
      s.stmts.forEach((r, i) => {
        if (r.kind === 'synproxy' && r.mode === 'name' && mentions(msg, r.name)) candidates.push(`stmt.${i}.synproxy.name`);
        if (r.kind === 'synproxy' && r.mode === 'map') {
          r.entries.forEach((e, j) => {
            if (mentions(msg, e.object)) candidates.push(`stmt.${i}.synproxy.entries.${j}.object`);
          });
        }
        if ((r.kind === 'counter' || r.kind === 'limit' || r.kind === 'quota') && mentions(msg, r.ref)) candidates.push(`stmt.${i}.ref`);
      });
      return candidates[0];
    }
    case 'set': {
      const candidates: string[] = [];
      s.matches.forEach((m, i) => {
        if (m.values.some((v) => v.startsWith('@') && mentions(msg, v.slice(1)))) candidates.push(`match.${i}.values`);
      });
      s.stmts.forEach((r, i) => {
        if (r.kind === 'setupdate' && mentions(msg, r.set)) candidates.push(`stmt.${i}.set`);
        if (r.kind === 'synproxy' && r.mode === 'namedMap' && mentions(msg, r.mapName)) candidates.push(`stmt.${i}.synproxy.mapName`);
      });
      return candidates[0];
    }
    default:
      return undefined;
  }
}

export function placeDiagnostics(diagnostics: readonly Diagnostic[], state: BuilderState | undefined, ruleId: string): PlacedDiagnostics {
  const byPath = new Map<string, Diagnostic[]>();
  const rule: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.nodeId !== undefined && d.nodeId !== ruleId) continue;
    const path = state ? pathFor(d, state) : undefined;
    if (path === undefined) rule.push(d);
    else byPath.set(path, [...(byPath.get(path) ?? []), d]);
  }
  return { byPath, rule };
}
