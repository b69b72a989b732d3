/**
 * Reading a rule's matches the way a lesson asks about them: a field by the
 * name nft writes it (`tcp dport`, `iifname`, `meta l4proto`, `ct state`) and
 * the values it matches, compared by what nft stores (`ssh` = 22, `ipv6-icmp`
 * = `icmpv6` = 58, `established` by name), through lists, anonymous and named
 * sets and ranges.
 */
import type { Expr, SetElement } from '../model/expr.ts';
import type { Rule } from '../model/types.ts';
import { CT_KEYS, META_KEYS, PAYLOAD_FIELDS, payloadField, type DataType } from '../knowledge/expressions.ts';
import { protocolNumber, servicePort, symbolTable, unquote } from '../knowledge/datatypes.ts';

/** A field as the lesson names it, in one spelling: `tcp dport`, `meta iifname`, `ct state`; undefined if nft has no such field. */
export function canonicalField(text: string): string | undefined {
  const words = text.trim().split(/\s+/);
  if (words.length === 1) return Object.hasOwn(META_KEYS, words[0]) ? `meta ${words[0]}` : undefined;
  if (words.length !== 2) return undefined;
  const [a, b] = words;
  if (a === 'meta') return Object.hasOwn(META_KEYS, b) ? `meta ${b}` : undefined;
  if (a === 'ct') return Object.hasOwn(CT_KEYS, b) ? `ct ${b}` : undefined;
  return Object.hasOwn(PAYLOAD_FIELDS, a) && payloadField(a, b) ? `${a} ${b}` : undefined;
}

/** The canonical field of a match's left side (a bit operation counts as its base: `tcp flags & (syn|ack)`). */
export function fieldOf(e: Expr): string | undefined {
  let x = e;
  while (x.kind === 'binop') x = x.left;
  switch (x.kind) {
    case 'payload':
      return `${x.protocol} ${x.field}`;
    case 'meta':
      return `meta ${x.key}`;
    case 'ct':
      return x.dir || x.family ? undefined : `ct ${x.key}`;
    default:
      return undefined;
  }
}

function fieldType(field: string): DataType | undefined {
  const [a, b] = field.split(' ');
  if (a === 'meta') return META_KEYS[b]?.type;
  if (a === 'ct') return CT_KEYS[b]?.type;
  return payloadField(a, b)?.type;
}

/** What nft stores for a value of this field: a number where the type has one, else the text. */
export function normalValue(field: string, text: string): number | string {
  const t = unquote(text.trim());
  const type = fieldType(field);
  let n: number | undefined;
  if (type === 'inet_service') n = servicePort(t);
  else if (type === 'inet_proto') n = protocolNumber(t);
  else if (type) {
    const table = symbolTable(type);
    if (table && Object.hasOwn(table, t)) n = table[t];
  }
  if (n === undefined && /^(0|[1-9][0-9]*)$/.test(t)) n = Number(t);
  return n ?? t.toLowerCase();
}

type Atom = { from: number; to: number } | { text: string };

/** The values a rule matches on `field` positively (`==` or no operator); undefined: the rule has no such match. */
export function matchedAtoms(rule: Rule, field: string, lookupSet: (name: string) => readonly SetElement[] | undefined): Atom[] | undefined {
  let out: Atom[] | undefined;
  for (const s of rule.stmts) {
    if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==')) continue;
    if (fieldOf(s.left) !== field) continue;
    out ??= [];
    collect(field, s.right, lookupSet, out, 0);
  }
  return out;
}

function collect(field: string, e: Expr, lookupSet: (name: string) => readonly SetElement[] | undefined, out: Atom[], depth: number): void {
  if (depth > 4) return;
  switch (e.kind) {
    case 'value': {
      const v = normalValue(field, e.text);
      out.push(typeof v === 'number' ? { from: v, to: v } : { text: v });
      return;
    }
    case 'range': {
      if (e.from.kind !== 'value' || e.to.kind !== 'value') return;
      const a = normalValue(field, e.from.text);
      const b = normalValue(field, e.to.text);
      if (typeof a === 'number' && typeof b === 'number') out.push({ from: a, to: b });
      return;
    }
    case 'list':
      for (const x of e.items) collect(field, x, lookupSet, out, depth + 1);
      return;
    case 'set':
      for (const el of e.elements) collect(field, el.key, lookupSet, out, depth + 1);
      return;
    case 'setref': {
      const els = lookupSet(e.name);
      if (els) for (const el of els) collect(field, el.key, lookupSet, out, depth + 1);
      return;
    }
    default:
      return;
  }
}

/** Is `value` among the atoms? */
export function covers(atoms: readonly Atom[], field: string, value: string): boolean {
  const v = normalValue(field, value);
  return atoms.some((a) => ('text' in a ? a.text === v : typeof v === 'number' && a.from <= v && v <= a.to));
}
