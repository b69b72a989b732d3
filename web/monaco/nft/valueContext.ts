/**
 * Which field a value belongs to: in `ct state established,related accept`,
 * `related` is a value of `ct state`; in `icmp type { echo-request, echo-reply }`
 * both are values of `icmp type`. Hovers use it to explain a symbolic value,
 * completion to offer the symbols of the field's datatype.
 */
import type { DataType, FieldInfo } from '../../../src/knowledge/expressions.ts';
import { BARE_META_KEYS, CT_KEYS, META_KEYS, PAYLOAD_FIELDS } from '../../../src/knowledge/expressions.ts';
import type { LineToken } from './lineTokens.ts';

export interface FieldRef {
  /** `tcp dport`, `meta l4proto`, `iifname` */
  name: string;
  info: FieldInfo;
}

/** The field named by the word at `i` and the word before it, if they form one. */
export function fieldAt(tokens: readonly LineToken[], i: number): FieldRef | undefined {
  const w = tokens[i]?.text;
  if (!w || tokens[i].kind !== 'word') return undefined;
  const prev = i > 0 && tokens[i - 1].kind === 'word' ? tokens[i - 1].text : undefined;
  if (prev === 'meta' && META_KEYS[w]) return { name: `meta ${w}`, info: META_KEYS[w] };
  if (prev === 'ct' && CT_KEYS[w]) return { name: `ct ${w}`, info: CT_KEYS[w] };
  if (prev && prev !== 'table' && PAYLOAD_FIELDS[prev]?.[w] && !(i > 1 && tokens[i - 2].text === 'table')) return { name: `${prev} ${w}`, info: PAYLOAD_FIELDS[prev][w] };
  if (BARE_META_KEYS.has(w) && prev !== 'meta' && prev !== 'ct' && META_KEYS[w]) return { name: w, info: META_KEYS[w] };
  return undefined;
}

const VALUE_PUNCT = new Set([',', '{', '!=', '==', '<', '>', '<=', '>=', '/', '|', '&', '-', '!']);

/**
 * Scanning back from token `i` (exclusive) over values, commas, braces and
 * comparison operators, the field those values are compared with.
 */
export function governingField(tokens: readonly LineToken[], i: number, isValue: (t: LineToken) => boolean): FieldRef | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const t = tokens[j];
    const f = fieldAt(tokens, j);
    if (f) return f;
    if (t.kind === 'punct' && VALUE_PUNCT.has(t.text)) continue;
    if (t.kind === 'number' || t.kind === 'string' || t.kind === 'setref' || t.kind === 'var') continue;
    if (t.kind === 'word' && isValue(t)) continue;
    return undefined;
  }
  return undefined;
}

export function typeLabel(type: DataType): string {
  return type.replace(/_/g, ' ');
}
