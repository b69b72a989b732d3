/**
 * libnftables JSON (`nft -j`). Placeholder API until the JSON module lands.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Ruleset } from '../model/types.ts';

export interface JsonLoss {
  nodeId: string;
  /** what cannot be carried, e.g. `synproxy object`, `table comment` */
  what: string;
  message: string;
  /** the nft version whose JSON can carry it */
  since?: string;
}

export interface ToJsonResult {
  /** `{"nftables": [...]}` as one line, like `nft -j list ruleset` */
  json: string;
  /** what nft 1.0.6's JSON cannot carry; the json leaves these out */
  losses: JsonLoss[];
}

export function toJson(_rs: Ruleset, _opts: { targetVersion?: string } = {}): ToJsonResult {
  throw new Error('toJson is not implemented yet');
}

export function fromJson(_text: string): { ruleset: Ruleset; diagnostics: Diagnostic[] } {
  throw new Error('fromJson is not implemented yet');
}
