/**
 * The elements editor's text ⇄ elements: printed element by element the way the
 * emitter prints them (one per line), read back with the real parser by
 * wrapping them in a set declaration, so anything nft accepts in
 * `elements = { … }` is accepted here, and errors point at the editor's own
 * line and column. Commas inside quoted strings (comments) are text, never
 * separators.
 */
import type { SetElement } from '../../src/model/expr.ts';
import type { Family, SetDecl } from '../../src/model/types.ts';
import { emitUnchecked } from '../../src/emit/index.ts';
import { setValueContext } from '../../src/emit/emit.ts';
import { setElementStrings } from '../../src/emit/values.ts';
import { parse } from '../../src/parse/index.ts';
import { emptyRuleset } from '../../src/model/types.ts';

function declare(set: SetDecl, family: Family, elements: SetElement[]): string {
  const rs = emptyRuleset();
  rs.tables.push({ id: 't', family, name: 't', flags: [], objects: [], sets: [{ ...set, elements }], flowtables: [], chains: [] });
  return emitUnchecked(rs).text;
}

export function setElementsText(set: SetDecl): string {
  if (set.elements.length === 0) return '';
  // as the emitter prints a named set's elements (emit.ts setLines)
  const intervals = set.flags.includes('interval') ? (set.autoMerge ? 'merge' : 'intervals') : 'none';
  return setElementStrings(set.elements, setValueContext(set), intervals).join('\n');
}

/**
 * One line of the editor made ready to join with `,`: commas that separate
 * nothing (leading, trailing, doubled) dropped — outside quoted strings only.
 */
function tidyLine(line: string): string {
  let out = '';
  let quoted = false;
  let pendingComma = false;
  for (const ch of line) {
    if (!quoted && ch === ',') {
      pendingComma = out.trim() !== '';
      continue;
    }
    if (!quoted && pendingComma && ch.trim() !== '') {
      out = `${out.trimEnd()}, `;
      pendingComma = false;
    }
    if (ch === '"') quoted = !quoted;
    out += ch;
  }
  return out.trim();
}

export function parseElementsText(text: string, set: SetDecl, family: Family): { elements: SetElement[] } | { error: string } {
  const all = text.split(/\r\n|\r|\n/).map(tidyLine);
  const lineNo: number[] = [];
  all.forEach((l, i) => {
    if (l !== '') lineNo.push(i + 1);
  });
  const body = all.filter((l) => l !== '').join(',\n');
  if (body === '') return { elements: [] };
  const head = declare({ ...set, elements: [] }, family, []).replace(/\t}\n}\n$/, '');
  const prefix = `${head}\t\telements = {\n`;
  const src = `${prefix}${body}\n}\n\t}\n}\n`;
  const r = parse(src);
  const err = r.diagnostics.find((d) => d.severity === 'error');
  if (err) {
    const prefixLines = prefix.split('\n').length - 1;
    const i = (err.range?.startLine ?? prefixLines + 1) - prefixLines - 1;
    const line = lineNo[Math.max(0, Math.min(i, lineNo.length - 1))] ?? 1;
    return { error: `line ${line}${err.range ? `, column ${err.range.startCol}` : ''}: ${err.message}` };
  }
  return { elements: r.ruleset.tables[0]?.sets[0]?.elements ?? [] };
}
