/**
 * Text the structured model does not cover, kept verbatim (whitespace folded) so
 * that importing never drops or rewrites it. The linter says which raw text nft
 * may refuse (knowledge/unstructured.ts lists the forms kept as text on purpose).
 */
import { CannotCarry, LOSS } from '../json/losses.ts';
import type { StmtModule } from './module.ts';

export interface RawStmt {
  kind: 'raw';
  text: string;
}

export const raw: StmtModule<'raw'> = {
  kind: 'raw',
  title: 'text',
  summary: 'nft text the forms do not structure, kept as written',
  words: [],
  options: [],
  jsonTags: [],
  print: (s) => s.text,
  toJson(s) {
    throw new CannotCarry(LOSS.rawStatement, `"${s.text}" is kept as text and cannot be converted`);
  },
  shape(v, s, p) {
    v.str(s, 'text', p);
  },
  safety(v, s) {
    v.raw(v.field, s.text, 'the rule text');
  },
  // not judged: nft decides what the text means
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => false,
  evaluate: () => ({ kind: 'nomatch', why: 'kept as text: the trace cannot evaluate it (assumed not to match)' }),
};
