/**
 * Findings for the current design: the linter's (from the worker, debounced),
 * the emitter's safety refusals, and parse errors of text typed in the preview.
 */
import { useEffect, useState } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { EmitProblem } from '../../src/emit/index.ts';
import { LineOwners } from '../state/lineOwners.ts';
import type { LintRequest, LintResponse } from './lint.worker.ts';
import LintWorker from './lint.worker.ts?worker';

let worker: Worker | undefined;
let seq = 0;
const listeners = new Map<number, (r: LintResponse) => void>();

function getWorker(): Worker {
  if (!worker) {
    worker = new LintWorker();
    worker.onmessage = (e: MessageEvent<LintResponse>) => {
      const fn = listeners.get(e.data.seq);
      listeners.delete(e.data.seq);
      fn?.(e.data);
    };
  }
  return worker;
}

export function lintInWorker(text: string, targetVersion: string): Promise<LintResponse> {
  const id = ++seq;
  return new Promise((resolve) => {
    listeners.set(id, resolve);
    getWorker().postMessage({ seq: id, text, targetVersion } satisfies LintRequest);
  });
}

/** Lint findings for `text` (the emitted script), with node ids mapped through `map`. */
export function useLint(text: string, map: Map<string, { startLine: number; endLine: number }>, targetVersion: string, enabled: boolean): { diagnostics: Diagnostic[]; ms: number | null } {
  const [state, setState] = useState<{ diagnostics: Diagnostic[]; ms: number | null }>({ diagnostics: [], ms: null });
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void lintInWorker(text, targetVersion).then((r) => {
        if (cancelled) return;
        const owners = new LineOwners(map);
        const diagnostics = r.diagnostics.map((d) => (d.range ? { ...d, nodeId: owners.at(d.range.startLine) ?? d.nodeId } : { ...d, nodeId: undefined }));
        setState({ diagnostics, ms: r.ms });
      });
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text, map, targetVersion, enabled]);
  return state;
}

export function emitProblemDiagnostics(problems: EmitProblem[]): Diagnostic[] {
  return problems.map((p) => ({
    id: 'emit/unsafe',
    severity: 'error' as const,
    message: p.message,
    why: /^printing .* failed \(/.test(p.message)
      ? 'The design holds a structure the script writer does not expect (from an old save, a share link or an import). Undo the last change, or delete or re-enter the part named here. The script is not written until this is fixed.'
      : 'nft text has no escapes: a name must be a plain identifier and a comment or string cannot contain a double quote or a newline, or it could end its place and start another command. The script is not written until this is fixed.',
    nodeId: p.nodeId,
    field: p.field,
  }));
}
