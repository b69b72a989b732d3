/**
 * Hovers that explain the word under the mouse, in its context on the line:
 * `dport` after `tcp` is the TCP destination port, `raw` after `priority` is
 * −300 (before conntrack), `established` after `ct state` is a connection
 * state. Pure: a line of text and a column in, Markdown out.
 */
import { symbolTable } from '../../../src/knowledge/datatypes.ts';
import { PAYLOAD_FIELDS } from '../../../src/knowledge/expressions.ts';
import { isChainType, isFamily, isHook } from '../../../src/knowledge/families.ts';
import type { Family } from '../../../src/model/types.ts';
import { chainTypeDoc, ctStateDoc, familyDoc, hookDoc, KEYWORD_DOCS, priorityNameDoc, prioritySituation, SYNPROXY_OPTION_DOCS } from './docs.ts';
import { lineTokens, tokenAt, type LineToken } from './lineTokens.ts';
import { fieldAt, governingField, typeLabel } from './valueContext.ts';
import { PRIORITY_NAMES, SYMBOLIC_VALUES } from './words.ts';

export interface NftHover {
  /** 1-based, end exclusive (Monaco columns) */
  startColumn: number;
  endColumn: number;
  /** Markdown paragraphs: a title, then the explanation */
  contents: string[];
}

export interface HoverContext {
  /** the enclosing table's family, when known */
  family?: Family;
}

const SYMBOLS = new Set(SYMBOLIC_VALUES);
const isSymbol = (t: LineToken): boolean => SYMBOLS.has(t.text);

/** @param column 1-based column of the character under the mouse */
export function nftHover(line: string, column: number, ctx: HoverContext = {}): NftHover | null {
  const tokens = lineTokens(line);
  const i = tokenAt(tokens, column - 1);
  if (i < 0) return null;
  const t = tokens[i];
  const body = explain(tokens, i, ctx);
  if (!body) return null;
  return { startColumn: t.start + 1, endColumn: t.end + 1, contents: [body.title, body.text] };
}

interface Explained {
  title: string;
  text: string;
}

function code(s: string): string {
  return '`' + s + '`';
}

function explain(tokens: readonly LineToken[], i: number, ctx: HoverContext): Explained | undefined {
  const t = tokens[i];
  const prev = i > 0 ? tokens[i - 1].text : undefined;
  const w = t.text;
  switch (t.kind) {
    case 'var':
      return { title: code(w), text: `A variable, defined earlier in the file with ${code(`define ${w.slice(1)} = …`)}.` };
    case 'setref':
      return { title: code(w), text: `A reference to the named set or map ${code(w.slice(1))} of this table.` };
    case 'number': {
      if (prev === 'priority' && /^-?\d+$/.test(w)) return { title: code(`priority ${w}`), text: prioritySituation(Number(w), ctx.family) };
      if (prev === '-' && i > 1 && tokens[i - 2].text === 'priority') return { title: code(`priority -${w}`), text: prioritySituation(-Number(w), ctx.family) };
      if (prev === 'mss' || prev === 'wscale') return { title: code(`synproxy ${prev}`), text: SYNPROXY_OPTION_DOCS[prev] };
      return undefined;
    }
    case 'word':
      return explainWord(tokens, i, w, prev, ctx);
    default:
      return undefined;
  }
}

function explainWord(tokens: readonly LineToken[], i: number, w: string, prev: string | undefined, ctx: HoverContext): Explained | undefined {
  const prevWord = i > 0 && tokens[i - 1].kind === 'word' ? prev : undefined;
  if (SYNPROXY_OPTION_DOCS[w]) return { title: code(w), text: SYNPROXY_OPTION_DOCS[w] };

  if (prevWord === 'table' && isFamily(w)) return { title: code(w), text: familyDoc(w) };
  if (prevWord === 'type' && isChainType(w) && !PAYLOAD_FIELDS[tokens[i - 2]?.text ?? '']) return { title: code(`type ${w}`), text: chainTypeDoc(w) ?? '' };
  if (prevWord === 'hook' && isHook(w)) return { title: code(`hook ${w}`), text: hookDoc(w) };
  if (prevWord === 'priority' && PRIORITY_NAMES.includes(w)) {
    const doc = priorityNameDoc(w, ctx.family);
    if (doc) return { title: code(`priority ${w}`), text: doc };
  }

  const field = fieldAt(tokens, i);
  if (field) {
    let text = `${field.info.doc[0].toUpperCase()}${field.info.doc.slice(1)}. Values are of type ${code(field.info.type)}.`;
    if (field.name === 'ct state') text += ' States: `new`, `established`, `related`, `invalid`, `untracked`; `ct state established,related accept` is the usual first rule of a stateful firewall.';
    if (field.name === 'tcp dport' || field.name === 'udp dport') text += ` Match one port (${code('22')}), a range (${code('1024-65535')}) or a set (${code('{ 80, 443 }')}).`;
    return { title: code(field.name), text };
  }

  if (SYMBOLS.has(w)) {
    const f = governingField(tokens, i, isSymbol);
    if (f) {
      if (f.name === 'ct state') {
        const doc = ctStateDoc(w);
        if (doc) return { title: code(w), text: doc };
      }
      const table = symbolTable(f.info.type);
      if (table && table[w] !== undefined) return { title: code(w), text: `A value of ${code(f.name)} (${typeLabel(f.info.type)}), number ${table[w]}.` };
    }
  }

  if (w === 'set' && i > 0 && fieldAt(tokens, i - 1)) {
    return { title: code('set'), text: 'Assigns a value: `meta mark set 0x1`, `ct mark set meta mark`. (At table level, `set NAME { … }` declares a named set.)' };
  }
  if (KEYWORD_DOCS[w]) return { title: code(w), text: KEYWORD_DOCS[w] };
  if (PAYLOAD_FIELDS[w] && prevWord !== 'table') {
    const fields = Object.keys(PAYLOAD_FIELDS[w]);
    return { title: code(w), text: `Matches fields of the ${w} header: ${fields.map(code).join(', ')}.` };
  }
  if (isFamily(w) && (w === 'inet' || w === 'netdev' || w === 'bridge')) return { title: code(w), text: familyDoc(w) };
  return undefined;
}
