/**
 * Facts about each statement kind that the linter (and the packet trace) need, in
 * one exhaustive switch: a new statement kind that is not answered here fails tsc.
 */
import type { Statement } from '../model/stmt.ts';

/**
 * Whether nft treats the statement as terminal: nothing may follow it in the rule
 * ("Statement after terminal statement has no effect", nft 1.0.6 and 1.1.3 alike).
 * Verdicts but continue, reject, queue and the NAT statements are; a vmap, notrack
 * and synproxy are not. A raw statement is not judged.
 */
export function isTerminal(s: Statement): boolean {
  switch (s.kind) {
    case 'verdict':
      return s.verdict !== 'continue';
    case 'reject':
    case 'queue':
    case 'nat':
      return true;
    case 'match':
    case 'counter':
    case 'log':
    case 'limit':
    case 'quota':
    case 'notrack':
    case 'synproxy':
    case 'objref':
    case 'mangle':
    case 'setupdate':
    case 'vmap':
    case 'raw':
      return false;
  }
}
