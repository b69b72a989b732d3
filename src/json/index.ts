/**
 * libnftables JSON (`nft -j`): toJson writes what `nft -j -f` loads and says what
 * the target version's JSON cannot carry; fromJson reads `nft -j list ruleset`
 * output (and command documents) into the model.
 */
export { toJson, type ToJsonOptions, type ToJsonResult } from './toJson.ts';
export { fromJson, type FromJsonResult } from './fromJson.ts';
export { LOSS, type JsonLoss, type LossKind } from './losses.ts';

/** Whether an input is a JSON document (nft -j) rather than nft text: its first non-blank character opens an object or array. */
export function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}
