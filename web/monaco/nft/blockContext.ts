/**
 * Where the cursor is in the block structure of an nft script (top level, a
 * table, a chain, a set, a named object), found by scanning back from the cursor
 * and counting braces. Completion uses it to offer what fits: chain statements
 * inside a chain, declarations inside a table, hooks for the table's family.
 * Cheap enough per completion request: it stops at the enclosing table header.
 */
import { isChainType, isFamily, isHook } from '../../../src/knowledge/families.ts';
import type { ChainType, Family, Hook } from '../../../src/model/types.ts';

export type BlockKind = 'top' | 'table' | 'chain' | 'set' | 'map' | 'flowtable' | 'object' | 'other';

export interface BlockContext {
  kind: BlockKind;
  /** family of the enclosing table (`table x` without a family is ip) */
  family?: Family;
  /** for a named object block: synproxy, counter, quota, limit, ct helper … */
  objectKind?: string;
  /** for a chain: its type and hook, if its header line says so */
  chainType?: ChainType;
  hook?: Hook;
}

/** Strip comments and strings so that braces inside them do not count. */
function code(line: string): string {
  return line.replace(/"[^"]*"?/g, '""').replace(/#.*$/, '');
}

const HEADER_RE = /(?:^|[\s;{])(table|chain|set|map|flowtable|synproxy|counter|quota|limit|secmark|ct\s+helper|ct\s+timeout|ct\s+expectation)\s+([^{]*)$/;

interface Opened {
  header: string;
  line: number;
}

/**
 * @param getLine 1-based line accessor; returns '' for a line that does not exist
 * @param lineNumber the cursor's line (1-based)
 * @param column the cursor's column (1-based); text from it on is ignored
 */
export function blockContext(getLine: (n: number) => string, lineNumber: number, column: number, maxLines = 50_000): BlockContext {
  const opened: Opened[] = [];
  let closes = 0;
  for (let n = lineNumber, seen = 0; n >= 1 && seen < maxLines; n--, seen++) {
    const raw = n === lineNumber ? getLine(n).slice(0, column - 1) : getLine(n);
    const text = code(raw);
    for (let i = text.length - 1; i >= 0; i--) {
      const ch = text[i];
      if (ch === '}') closes++;
      else if (ch === '{') {
        if (closes > 0) closes--;
        else {
          opened.push({ header: text.slice(0, i), line: n });
          if (/(?:^|[\s;{])table\s/.test(text.slice(0, i))) return describe(opened, getLine);
        }
      }
    }
  }
  return describe(opened, getLine);
}

function describe(opened: Opened[], getLine: (n: number) => string): BlockContext {
  if (!opened.length) return { kind: 'top' };
  const ctx: BlockContext = { kind: 'other' };
  const outer = opened[opened.length - 1];
  const table = HEADER_RE.exec(outer.header);
  if (table && table[1] === 'table') {
    const words = table[2].trim().split(/\s+/);
    ctx.family = words.length > 1 && isFamily(words[0]) ? words[0] : 'ip';
  }
  const inner = opened[0];
  const m = HEADER_RE.exec(inner.header);
  const word = m?.[1].replace(/\s+/, ' ');
  switch (word) {
    case 'table':
      ctx.kind = 'table';
      break;
    case 'chain': {
      ctx.kind = 'chain';
      // the chain's `type … hook …` is on the header line or one of the next few
      for (let n = inner.line; n < inner.line + 4; n++) {
        const t = /\btype\s+(\w+)\s+hook\s+(\w+)/.exec(getLine(n));
        if (t) {
          if (isChainType(t[1])) ctx.chainType = t[1];
          if (isHook(t[2])) ctx.hook = t[2];
          break;
        }
      }
      break;
    }
    case 'set':
    case 'map':
    case 'flowtable':
      ctx.kind = word;
      break;
    case undefined:
      ctx.kind = 'other';
      break;
    default:
      ctx.kind = 'object';
      ctx.objectKind = word;
  }
  return ctx;
}
