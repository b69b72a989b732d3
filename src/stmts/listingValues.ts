/**
 * Values whose listing differs between nft versions, for a match: nft 1.0.6
 * lists `ip frag-off` in decimal (`& 8191 != 0`) and ICMP codes by name
 * (`port-unreachable`); nft 1.1 lists frag-off in hex (`& 0x1fff != 0x0`) and ICMP
 * codes as numbers (`4`). Each pair was seen in both versions' `nft list ruleset`
 * of the same loaded rule (docs/corpus.md).
 */
import type { Expr, SetElement } from '../model/expr.ts';
import { ICMP_CODES, ICMPV6_CODES, MPTCP_SUBTYPES, exprType, ip4ToNumber, ip4Value, ip6ToBig, isBitmask, parseInteger, symbolTable, type DataType } from '../knowledge/datatypes.ts';
import { formatSelector, listedType } from '../emit/selectors.ts';
import { formatValueExpr, single } from '../emit/values.ts';
import { CT_KEYS, META_KEYS, payloadField } from '../knowledge/expressions.ts';
import { lists11, type ListingTarget } from '../knowledge/listing.ts';

type Rewrite = (text: string) => string;

/** A copy of `e` with every plain value's text rewritten (walks a checked model: its depth is bounded). */
function mapValues(e: Expr, f: Rewrite): Expr {
  switch (e.kind) {
    case 'value':
      return { kind: 'value', text: f(e.text) };
    case 'range':
      return { ...e, from: mapValues(e.from, f), to: mapValues(e.to, f) };
    case 'list':
      return { ...e, items: e.items.map((i) => mapValues(i, f)) };
    case 'set':
      return { ...e, elements: e.elements.map((el): SetElement => ({ ...el, key: mapValues(el.key, f) })) };
    case 'binop':
      return { ...e, right: mapValues(e.right, f) };
    default:
      return e;
  }
}

function isIpOptionAddr(e: Expr): boolean {
  return e.kind === 'exthdr' && e.space === 'ip' && e.field === 'addr';
}

const dottedQuad: Rewrite = (text) => {
  const v = parseInteger(text);
  return v === undefined || v > 0xffffffffn ? text : [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
};

const decimalOfQuad: Rewrite = (text) => {
  const v = ip4ToNumber(text);
  return v === undefined ? (parseInteger(text)?.toString() ?? text) : String(v);
};

const decimal: Rewrite = (text) => parseInteger(text)?.toString() ?? text;

const codeNumber = (table: Readonly<Record<string, number>>): Rewrite => (text) => {
  const v = table[text];
  return v === undefined ? text : String(v);
};

const codeName = (table: Readonly<Record<string, number>>): Rewrite => {
  const names = new Map(Object.entries(table).map(([k, v]) => [v, k]));
  return (text) => {
    const v = parseInteger(text);
    return (v !== undefined && v <= 255n ? names.get(Number(v)) : undefined) ?? text;
  };
};

/** `tcp option mptcp subtype`: nft 1.1 lists names (mp-join), 1.0.6 numbers (and reads no names). */
function isMptcpSubtype(e: Expr): boolean {
  return e.kind === 'exthdr' && e.space === 'tcp' && e.name === 'mptcp' && e.field === 'subtype';
}

function rewriteFor(left: Expr, target: ListingTarget): Rewrite | undefined {
  const base = left.kind === 'binop' ? left.left : left;
  if (isMptcpSubtype(base)) return lists11(target) ? codeName(MPTCP_SUBTYPES) : codeNumber(MPTCP_SUBTYPES);
  // nft 1.1 types the route addresses of IP options as IPv4 addresses; 1.0.6 reads and lists the number
  if (isIpOptionAddr(base)) return lists11(target) ? dottedQuad : decimalOfQuad;
  // options, chunks, extension headers and ipsec keys list their integers in decimal (`ipsec out reqid 0xffffffff` as 4294967295)
  if ((base.kind === 'exthdr' || base.kind === 'ipsec') && exprType(base) === 'integer') return decimal;
  if (base.kind !== 'payload') return undefined;
  if (!lists11(target) || base.field !== 'code') return undefined;
  if (base.protocol === 'icmp') return codeNumber(ICMP_CODES);
  if (base.protocol === 'icmpv6') return codeNumber(ICMPV6_CODES);
  return undefined;
}

/**
 * The match's two sides with the values written as the target lists them, and
 * the datatype to print them with when it is not the selector's own (numeric ICMP
 * codes are printed as plain integers, not turned back into names).
 */
export function listedMatchSides(left: Expr, right: Expr, target: ListingTarget): { left: Expr; right: Expr; type?: DataType } {
  const base = left.kind === 'binop' ? left.left : left;
  const listed = listedType(base, target);
  if (listed !== exprType(base) && listed !== undefined) return { left, right, type: listed };
  const f = rewriteFor(left, target);
  if (!f) return { left, right };
  const numericCode = base.kind === 'payload' && base.field === 'code';
  // mptcp subtypes print as they are rewritten (and sort by their numbers)
  let type: DataType | undefined = numericCode ? 'integer' : undefined;
  if (isMptcpSubtype(base)) type = lists11(target) ? 'mptcp_subtype' : 'integer';
  if (isIpOptionAddr(base) && lists11(target)) type = 'ipv4_addr';
  return { left: left.kind === 'binop' ? mapValues(left, f) : left, right: mapValues(right, f), ...(type ? { type } : {}) };
}

/**
 * nft 1.1 lists a prefix on a mark (`ct mark 0x00000000/4` in 1.0.6) as the mask it
 * stands for: `ct mark & 0xf0000000 == 0x00000000`.
 * Returns the mask as a number text of the field's width, or undefined.
 */
export function prefixMask(left: Expr, right: Expr, target: ListingTarget): string | undefined {
  if (!lists11(target) || right.kind !== 'prefix') return undefined;
  if (exprType(left) !== 'mark') return undefined;
  const info = left.kind === 'payload' ? payloadField(left.protocol, left.field) : left.kind === 'meta' ? META_KEYS[left.key] : left.kind === 'ct' ? CT_KEYS[left.key] : undefined;
  const bits = info?.bits;
  if (!bits || bits > 64 || right.len > bits) return undefined;
  const mask = ((1n << BigInt(right.len)) - 1n) << BigInt(bits - right.len);
  return `0x${mask.toString(16)}`;
}

/**
 * nft 1.0.6 lists a mark compared under a mask of leading one bits (`meta mark &
 * 0xffffff00 == 0xffffff00`) as a prefix, `meta mark 0xffffff00/24`: the prefix
 * length, or undefined. (Other integer fields keep the bit operation.)
 */
export function markPrefixLength(left: Expr, target: ListingTarget): number | undefined {
  if (lists11(target) || left.kind !== 'binop' || left.op !== '&' || left.left.kind === 'binop' || left.right.kind !== 'value') return undefined;
  if (exprType(left.left) !== 'mark') return undefined;
  const m = parseInteger(left.right.text);
  if (m === undefined || m <= 0n || m > 0xffffffffn) return undefined;
  // leading ones then trailing zeros: the inverse is 2^k - 1
  const inv = 0xffffffffn ^ m;
  if ((inv & (inv + 1n)) !== 0n) return undefined;
  return 32 - (inv + 1n).toString(2).length + 1;
}

/**
 * An address compared under a mask of leading one bits (`ip saddr & 255.255.0.0 ==
 * 10.1.0.0`) is listed by both versions as a prefix (`ip saddr 10.1.0.0/16`; a full
 * mask as the address alone, `& 0.0.0.0` as `/0`): the prefix length and the
 * address width, or undefined where the bit operation stays.
 */
export function addressPrefixLength(left: Expr): { len: number; bits: number } | undefined {
  if (left.kind !== 'binop' || left.op !== '&' || left.left.kind === 'binop' || left.right.kind !== 'value') return undefined;
  const type = exprType(left.left);
  const bits = type === 'ipv4_addr' ? 32 : type === 'ipv6_addr' ? 128 : 0;
  if (!bits) return undefined;
  const m = bits === 32 ? ip4Value(left.right.text) : ip6ToBig(left.right.text);
  if (m === undefined) return undefined;
  const all = (1n << BigInt(bits)) - 1n;
  // leading ones then trailing zeros: the inverse is 2^k - 1
  const inv = all ^ m;
  if ((inv & (inv + 1n)) !== 0n) return undefined;
  return { len: inv === 0n ? bits : bits - inv.toString(2).length, bits };
}

/**
 * `tcp flags ! syn`, `ct status ! dnat,snat`: how nft 1.0.6 and 1.1.3 both list a
 * bit test for flags being clear (`tcp flags & syn == 0`), in the model as that
 * bit operation (JSON writes the operation; nft's own `"op": "!"` is read too).
 */
export function negatedFlags(left: Expr, flags: Expr): { left: Expr; op: '=='; right: Expr } {
  return { left: { kind: 'binop', op: '&', left, right: flags }, op: '==', right: { kind: 'value', text: '0' } };
}

/** The listing of a match that is a bit test for clear flags, or undefined. */
export function negatedFlagsText(left: Expr, op: string, right: Expr): string | undefined {
  if (left.kind !== 'binop' || left.op !== '&' || left.left.kind === 'binop' || (op !== '==' && op !== 'implicit')) return undefined;
  if (right.kind !== 'value' || parseInteger(right.text) !== 0n) return undefined;
  const type = exprType(left.left);
  if (!isBitmask(type)) return undefined;
  const flags = left.right;
  if (flags.kind !== 'list' && flags.kind !== 'value') return undefined;
  return `${formatSelector(left.left)} ! ${formatValueExpr(flags, single(type), ',')}`;
}

/** The flags of a value or a list of flags OR-ed, as one number (undefined for what is not a constant of TYPE's table). */
function flagsValue(e: Expr, type: DataType): bigint | undefined {
  const table = symbolTable(type);
  const one = (x: Expr): bigint | undefined => {
    if (x.kind !== 'value') return undefined;
    const named = table?.[x.text];
    return named !== undefined ? BigInt(named) : parseInteger(x.text);
  };
  if (e.kind === 'value') return one(e);
  if (e.kind !== 'list') return undefined;
  let v = 0n;
  for (const i of e.items) {
    const b = one(i);
    if (b === undefined) return undefined;
    v |= b;
  }
  return v;
}

/** The names of the flags set in V (undefined when a bit has no name). */
function flagNames(v: bigint, type: DataType): string[] | undefined {
  const table = symbolTable(type) ?? {};
  const out: string[] = [];
  let left = v;
  for (const [name, bit] of Object.entries(table)) {
    const b = BigInt(bit);
    if (b !== 0n && (b & (b - 1n)) === 0n && (v & b) !== 0n && (left & b) !== 0n) {
      out.push(name);
      left &= ~b;
    }
  }
  return left === 0n && out.length ? out : undefined;
}

/**
 * The value of `LEFT { value }` where LEFT is a flag field and the set has one
 * element and no data, if nft 1.0.6 and 1.1 compile it differently: 1.0.6 to a bit
 * test (`& value != 0`), 1.1 to an exact comparison; ct state is a bit test in both
 * (their bytecode, nft --debug=netlink). The listing, the trace and the linter ask.
 */
export function oneFlagSetValue(left: Expr, right: Expr): Expr | undefined {
  if (left.kind === 'binop' || left.kind === 'concat' || right.kind !== 'set' || right.elements.length !== 1 || right.elements[0].value) return undefined;
  if (!isBitmask(exprType(left)) || (left.kind === 'ct' && left.key === 'state')) return undefined;
  return right.elements[0].key;
}

/** Is `LEFT { value }` (a set of one element, no operator) a bit test for TARGET? */
export function oneElementBitTest(left: Expr, right: Expr, target: ListingTarget): boolean {
  if (left.kind === 'ct' && left.key === 'state' && right.kind === 'set' && right.elements.length === 1 && !right.elements[0].value) return true;
  return oneFlagSetValue(left, right) !== undefined && !lists11(target);
}

/**
 * How nft lists a flag field compared with several flags at once, where that
 * differs from the text written (each seen with nft 1.0.6 and 1.1.3, and their
 * bytecode with --debug=netlink):
 *
 * - `tcp flags & (fin | syn) != 0` (and `& 0x3 != 0`) is the bit test `tcp flags
 *   fin,syn`, both versions;
 * - a header's flags (tcp flags, in network order) compared exactly with several
 *   (`== fin | syn`, `!= fin,syn`) are listed as a number: `== 0x3`, `!= 0x3`;
 * - a set of one element is a bit test in 1.0.6 (`{ fin | syn }` is `fin,syn`); in
 *   1.1 an exact comparison (`== 0x3`, `{ syn }` as `== syn`), except for ct state,
 *   which stays a bit test; the exact comparison of ct status is written `==` (nft
 *   1.1 lists it without, which it reads back as a bit test).
 *
 * Returns the listing, or undefined where printMatch's general rules apply.
 */
export function flagCompareText(left: Expr, op: string, right: Expr, target: ListingTarget): string | undefined {
  // the bit test through an explicit mask
  if (left.kind === 'binop' && left.op === '&' && left.left.kind !== 'binop' && op === '!=' && right.kind === 'value' && parseInteger(right.text) === 0n) {
    const type = exprType(left.left);
    if (!type || !isBitmask(type)) return undefined;
    const v = flagsValue(left.right, type);
    const names = v !== undefined ? flagNames(v, type) : undefined;
    return names ? `${formatSelector(left.left)} ${names.join(',')}` : undefined;
  }
  if (left.kind === 'binop' || left.kind === 'concat') return undefined;
  const type = exprType(left);
  if (!type || !isBitmask(type)) return undefined;
  const network = left.kind === 'payload' || left.kind === 'exthdr';
  const sel = formatSelector(left);
  let value: Expr;
  if (right.kind === 'set' && right.elements.length === 1 && !right.elements[0].value && (op === 'implicit' || op === '==' || op === '!=')) {
    value = right.elements[0].key;
    if (value.kind !== 'value' && value.kind !== 'list') return undefined;
    if (op === 'implicit' && oneElementBitTest(left, right, target)) return `${sel} ${formatValueExpr(value, single(type), ',')}`;
  } else if ((op === '==' || op === '!=') && right.kind === 'list') value = right;
  else return undefined;
  const neg = op === '!=';
  const several = value.kind === 'list' && value.items.length > 1;
  if (network) {
    if (!several) return `${sel} ${neg ? '!=' : '=='} ${formatValueExpr(value, single(type), ',')}`;
    const v = flagsValue(value, type);
    return v === undefined ? undefined : `${sel} ${neg ? '!=' : '=='} 0x${v.toString(16)}`;
  }
  if (!several) return `${sel} ${neg ? '!=' : '=='} ${formatValueExpr(value, single(type), ',')}`;
  return neg ? `${sel} != ${formatValueExpr(value, single(type), ' | ')}` : `${sel} == ${formatValueExpr(value, single(type), ',')}`;
}
