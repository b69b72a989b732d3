/**
 * Printing values and anonymous sets the way nft lists them: each value in its
 * datatype's canonical spelling, set elements sorted by value, intervals merged
 * (and shown as prefixes where the datatype allows), a one-element anonymous set
 * printed as the bare element.
 */
import { appendAll } from '../model/arrays.ts';
import type { Expr, SetElement } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { SetKeySpec } from '../model/types.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import { freshStatements, printElementStatements } from '../stmts/elementStmts.ts';
import {
  bigToIp4,
  bigToIp6,
  exprType,
  formatRangeEnd,
  formatValue,
  ip4ToNumber,
  ip6ToBig,
  isBitmask,
  isPrefixType,
  symbolTable,
  unquote,
  valueOrder,
  type DataType,
} from '../knowledge/datatypes.ts';
import { payloadField } from '../knowledge/expressions.ts';

export interface ValueContext {
  /** datatype of each concatenated component (one entry when not a concatenation) */
  types: (DataType | undefined)[];
  /** datatype of map data */
  dataType?: DataType | 'verdict' | 'object';
  /** the statements every element of the set gets (its declaration's `counter`, `limit rate …` line) */
  elementStmts?: readonly Statement[];
  /** the listing form to write element statements in (a limit's default burst); 1.1.3 when not given */
  target?: ListingTarget;
  /** a named set with the interval flag: a concatenation in it is listed in the order its elements were added */
  intervalSet?: boolean;
  /** per concatenated component whose datatype says no width (an integer header field, a raw payload): its bytes, in network order */
  layouts?: readonly (ConcatLayout | undefined)[];
}

export interface ConcatLayout {
  bytes: number;
  network: boolean;
}

/** The data types of a set's key (or data), one per concatenated part: declared by `type`, or those of the `typeof` expressions. */
export function specTypes(spec: SetKeySpec): (DataType | undefined)[] {
  return spec.mode === 'type' ? spec.types.map((t) => t as DataType) : spec.exprs.map((e) => exprType(e));
}

/** The layouts of concatenated selectors that only their expression gives: header integers and raw payloads, in network byte order. */
export function exprLayouts(items: readonly Expr[]): (ConcatLayout | undefined)[] | undefined {
  let any = false;
  const out = items.map((e): ConcatLayout | undefined => {
    let bits: number | undefined;
    if (e.kind === 'rawpayload') bits = e.len;
    else if (e.kind === 'payload' && !e.tunnel && exprType(e) === 'integer') bits = payloadField(e.protocol, e.field)?.bits;
    if (bits === undefined || bits % 8 !== 0 || bits > 128) return undefined;
    any = true;
    return { bytes: bits / 8, network: true };
  });
  return any ? out : undefined;
}

const singles = new Map<DataType | undefined, ValueContext>();

/** The context of a single value of `type` (shared: contexts are never changed). */
export function single(type: DataType | undefined): ValueContext {
  let ctx = singles.get(type);
  if (!ctx) {
    ctx = { types: [type] };
    singles.set(type, ctx);
  }
  return ctx;
}

/** Print a value expression (value, range, prefix, list, concat, set, ref, var, verdict). */
export function formatValueExpr(e: Expr, ctx: ValueContext, sep = ','): string {
  const type = ctx.types[0];
  switch (e.kind) {
    case 'value':
      return formatValue(e.text, type);
    case 'var':
      return `$${e.name}`;
    case 'setref':
      return `@${e.name}`;
    case 'range': {
      const end = (x: Expr): string => (x.kind === 'value' ? formatRangeEnd(x.text, type) : formatValueExpr(x, ctx));
      const from = end(e.from);
      // `a-b` after a word would read as one word (`tcp-udp`): keep spaces then; nft lists
      // addresses and class ids without them (`fe00::1-fe00::200`, `bcad:dada-bcad:dadc`)
      return /^[A-Za-z_.]/.test(from) && !from.includes(':') ? `${from} - ${end(e.to)}` : `${from}-${end(e.to)}`;
    }
    case 'prefix':
      return formatPrefix(e, type);
    case 'list':
      return formatList(e.items, type, sep);
    case 'concat':
      return e.items.map((it, i) => formatValueExpr(it, single(ctx.types.length > 1 ? ctx.types[i] : undefined))).join(' . ');
    case 'verdict':
      return e.target ? `${e.verdict} ${e.target}` : e.verdict;
    case 'set':
      return formatSet(e.elements, ctx, false);
    case 'rawexpr':
      return e.text;
    case 'catchall':
      return '*';
    default:
      // selectors inside values (`dnat to ip saddr map …`) are printed by the caller
      return selectorPrinter ? selectorPrinter(e) : '';
  }
}

/** statements.ts registers its selector printer here (it imports this module, not the reverse). */
let selectorPrinter: ((e: Expr) => string) | undefined;
export function registerSelectorPrinter(fn: (e: Expr) => string): void {
  selectorPrinter = fn;
}

function formatPrefix(e: Extract<Expr, { kind: 'prefix' }>, type: DataType | undefined): string {
  if (e.addr.kind === 'value') {
    const t = e.addr.text;
    // nft drops host bits: 10.0.0.1/8 → 10.0.0.0/8 (IPv4 in plain 32-bit arithmetic: this runs per rule)
    if (type !== 'ipv6_addr' && e.len <= 32) {
      const v4 = ip4ToNumber(t);
      if (v4 !== undefined) {
        const masked = e.len === 0 ? 0 : (v4 & (-1 << (32 - e.len))) >>> 0;
        return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${e.len}`;
      }
    }
    const v6 = ip6ToBig(t);
    if (v6 !== undefined && e.len <= 128) {
      const mask = e.len === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - e.len)) - 1n);
      return `${bigToIp6(v6 & mask)}/${e.len}`;
    }
    const width = widthOf(type);
    const v = width !== undefined ? valueOrder(t, type) : undefined;
    if (width !== undefined && v !== undefined && e.len <= width && type !== 'inet_service') {
      const mask = e.len === 0 ? 0n : ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - e.len)) - 1n);
      return `${formatValue(type === 'mark' ? `0x${(v & mask).toString(16)}` : (v & mask).toString(), type)}/${e.len}`;
    }
    return `${formatValue(t, type)}/${e.len}`;
  }
  return `${formatValueExpr(e.addr, single(type))}/${e.len}`;
}

/** Flag lists print in bit order; other lists in the given order. */
function formatList(items: Expr[], type: DataType | undefined, sep: string): string {
  const table = type && isBitmask(type) ? symbolTable(type) : undefined;
  let list = items;
  if (table) {
    // usually already in bit order (nft's listing): sort only when not
    let sorted = true;
    for (let i = 1; i < items.length && sorted; i++) sorted = flagValue(items[i - 1], table) <= flagValue(items[i], table);
    if (!sorted) list = [...items].sort((a, b) => flagValue(a, table) - flagValue(b, table));
  }
  const ctx = single(type);
  let out = '';
  for (let i = 0; i < list.length; i++) out += (i ? sep : '') + formatValueExpr(list[i], ctx);
  return out;
}

function flagValue(e: Expr, table: Readonly<Record<string, number>>): number {
  if (e.kind !== 'value') return Number.MAX_SAFE_INTEGER;
  const v = table[e.text];
  if (v !== undefined) return v;
  const n = Number(e.text);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

interface Interval {
  lo: bigint;
  hi: bigint;
  el: SetElement;
}

/** Options of an element besides its key and value (`timeout 10s`, `counter`, `comment "…"`). */
export function hasElementOptions(e: SetElement): boolean {
  return e.timeout !== undefined || e.expires !== undefined || e.comment !== undefined || (e.stmts?.length ?? 0) > 0;
}

/** The statements an element lists: its own, or else the fresh template of its set. */
export function listedElementStatements(el: SetElement, ctx: ValueContext): readonly Statement[] | undefined {
  if (el.stmts?.length) return el.stmts;
  return ctx.elementStmts?.length ? freshStatements(ctx.elementStmts) : undefined;
}

/**
 * `{ … }` of an anonymous set or map, or of a named set's elements (when
 * `named`, the caller wraps lines itself and wants the element strings).
 */
export function formatSet(elements: SetElement[], ctx: ValueContext, collapseSingle: boolean): string {
  // nft turns a one-element anonymous set into a plain comparison (a range
  // stays a range). Not when the element carries options: written bare, a
  // timeout would not parse, a counter would become the rule's counter and a
  // comment the rule's comment. In braces nft loads it (and drops the options).
  // A concatenation stays in braces (nft refuses `ip saddr . tcp dport 1.2.3.4 . 22`).
  const collapse = collapseSingle && !elements.some((e) => e.value || hasElementOptions(e) || e.key.kind === 'concat' || e.key.kind === 'catchall');
  if (collapse && elements.length === 1) return formatElement(elements[0], ctx);
  const items = setElementStrings(elements, ctx, 'merge');
  // Intervals merged into one: nft lists `{ 10.0.0.0/23 }` the first time and
  // `10.0.0.0/23` once that is loaded again; print the fixed point.
  if (collapse && items.length === 1) return items[0];
  return items.length ? `{ ${items.join(', ')} }` : '{ }';
}

/**
 * The printed elements, sorted. Intervals: `merge` joins overlapping and
 * adjacent ones (anonymous sets, auto-merge sets); `intervals` only prints each
 * as the kernel returns it (a prefix where it is one); `none` leaves them.
 */
export function setElementStrings(all: SetElement[], ctx: ValueContext, intervals: 'merge' | 'intervals' | 'none'): string[] {
  // the catch-all element (`*`) is listed last, after the sorted others (one: nft keeps one)
  const catchAll = all.find((e) => e.key.kind === 'catchall');
  if (!catchAll) return sortedElementStrings(all, ctx, intervals);
  const out = sortedElementStrings(
    all.filter((e) => e.key.kind !== 'catchall'),
    ctx,
    intervals,
  );
  out.push(formatElement(catchAll, ctx));
  return out;
}

function sortedElementStrings(elements: SetElement[], ctx: ValueContext, intervals: 'merge' | 'intervals' | 'none'): string[] {
  const concat = ctx.types.length > 1;
  const type = ctx.types[0];
  const templated = (ctx.elementStmts?.length ?? 0) > 0;
  const plain = !concat && !templated && !elements.some((e) => e.value || hasElementOptions(e));
  if (intervals !== 'none' && plain && elements.some((e) => e.key.kind === 'range' || e.key.kind === 'prefix')) {
    const merged = mergeElementIntervals(elements, type, intervals === 'merge');
    if (merged) return merged;
  }
  // Fast path: small integers (ports, protocols, symbols) compare as numbers.
  if (!concat && !templated && elements.every((e) => e.key.kind === 'value' && !e.value && !hasElementOptions(e))) {
    const fast = smallNumberOrder(elements, type);
    if (fast) return fast;
  }
  // A concatenation with intervals (the kernel's pipapo set: a named set with the
  // interval flag, an anonymous one with a range, a prefix or an interface
  // wildcard in it) is listed in the order its elements were added, by 1.0.6 and
  // 1.1.3 alike (seen on both)
  const ranged = concat && elements.some((e) => e.key.kind === 'concat' && e.key.items.some((i) => i.kind === 'range' || i.kind === 'prefix' || isWildcard(i)));
  if (concat && (ranged || ctx.intervalSet)) {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const el of elements) {
      const text = formatElement(el, ctx);
      if (!seen.has(text)) out.push(text);
      seen.add(text);
    }
    return out;
  }
  // Names in an interval set (the flag, or a wildcard `"eth*"`: a range of names) are in the
  // kernel's tree order, byte by byte from the first (a wildcard before the names it covers)
  if (!concat && !templated && (type === 'ifname' || type === 'string') && (ctx.intervalSet || elements.some((e) => isWildcard(e.key)))) {
    const keyed = elements.map((el) => ({ name: el.key.kind === 'value' ? unquote(el.key.text).replace(/\*$/, '') : undefined, text: formatElement(el, ctx) }));
    if (keyed.every((k) => k.name !== undefined)) {
      keyed.sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : (a.name as string) > (b.name as string) ? 1 : 0));
      return withoutRepeats(keyed);
    }
  }
  // Sort by value (nft's order); values we cannot order (variables, unknown
  // symbols) go last, by their text, so that printing is deterministic.
  const keyed = elements.map((el) => ({ el, order: elementOrder(el.key, ctx), text: formatElement(el, ctx) }));
  keyed.sort((a, b) => {
    // flags combined (`syn | ack`) sort by their lowest flag, as nft sorts a bit operation by its
    // left operand; those with the same lowest flag stay in the order they were loaded in
    if (a.order && b.order) return compareOrders(a.order, b.order) || (a.el.key.kind === 'list' || b.el.key.kind === 'list' ? 0 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
    if (a.order) return -1;
    if (b.order) return 1;
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  });
  // duplicates are merged silently by nft
  return withoutRepeats(keyed);
}

/** The sorted elements' texts, each once (nft merges duplicates silently). */
function withoutRepeats(sorted: readonly { text: string }[]): string[] {
  const out: string[] = [];
  for (const k of sorted) if (out[out.length - 1] !== k.text) out.push(k.text);
  return out;
}

const SMALL_TYPES = new Set<DataType | undefined>(['inet_service', 'inet_proto', 'icmp_type', 'igmp_type', 'icmpv6_type', 'ct_state', 'ct_status', 'tcp_flag', 'pkt_type', 'nfproto', 'ct_dir', 'dscp']);

/** An interface name wildcard (`"eth*"`): a range of names to nft. */
function isWildcard(e: Expr): boolean {
  return e.kind === 'value' && /^"[^"]*\*"$/.test(e.text);
}

function smallNumberOrder(elements: SetElement[], type: DataType | undefined): string[] | undefined {
  if (!SMALL_TYPES.has(type)) return undefined;
  const keyed: { n: number; text: string }[] = [];
  for (const el of elements) {
    const v = valueOrder((el.key as { text: string }).text, type);
    if (v === undefined) return undefined;
    keyed.push({ n: Number(v), text: formatValue((el.key as { text: string }).text, type) });
  }
  keyed.sort((a, b) => a.n - b.n);
  const out: string[] = [];
  let last = -1;
  for (const k of keyed) {
    if (k.n !== last) out.push(k.text);
    last = k.n;
  }
  return out;
}

function compareOrders(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * The bytes of a concatenation's part as nft stores it: its length and whether
 * its value is in network order (addresses, ports) or the host's (marks, ct
 * state, a device's name as a string). Single bytes have no order.
 */
const CONCAT_LAYOUT: Partial<Record<DataType, ConcatLayout>> = {
  ipv4_addr: { bytes: 4, network: true },
  ipv6_addr: { bytes: 16, network: true },
  inet_service: { bytes: 2, network: true },
  ether_addr: { bytes: 6, network: true },
  ether_type: { bytes: 2, network: true },
  inet_proto: { bytes: 1, network: false },
  icmp_type: { bytes: 1, network: false },
  icmpv6_type: { bytes: 1, network: false },
  pkt_type: { bytes: 1, network: false },
  nfproto: { bytes: 1, network: false },
  tcp_flag: { bytes: 1, network: false },
  dscp: { bytes: 1, network: false },
  mark: { bytes: 4, network: false },
  ct_state: { bytes: 4, network: false },
  ct_status: { bytes: 4, network: false },
  iface_index: { bytes: 4, network: false },
  // valueOrder reads a name's bytes as a host-order number already
  ifname: { bytes: 16, network: false },
};

function byteSwap(v: bigint, bytes: number): bigint {
  let out = 0n;
  for (let i = 0; i < bytes; i++) out = (out << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * nft's order of concatenated elements (its mergesort.c): the parts' bytes one
 * after the other, read as one host-order (little-endian) number, so the last
 * part weighs most and a part in network order weighs by its last byte
 * (`ct state . ct mark { new . 0x12345678, established . 0x12785634 }`, `udp dport
 * . iifname { 51820 . "foo", 514 . "bar", 67 . "bar" }`). Undefined when a part's
 * layout is unknown.
 */
function concatOrder(key: Extract<Expr, { kind: 'concat' }>, ctx: ValueContext): bigint | undefined {
  let out = 0n;
  let shift = 0n;
  for (let i = 0; i < key.items.length; i++) {
    const type = ctx.types[i];
    const layout = (type ? CONCAT_LAYOUT[type] : undefined) ?? ctx.layouts?.[i];
    if (!layout) return undefined;
    const o = elementOrder(key.items[i], single(type));
    if (!o || o.length !== 1) return undefined;
    const mask = (1n << BigInt(8 * layout.bytes)) - 1n;
    const v = o[0] & mask;
    out |= (layout.network ? byteSwap(v, layout.bytes) : v) << shift;
    shift += BigInt(8 * layout.bytes);
  }
  return out;
}

function elementOrder(key: Expr, ctx: ValueContext): bigint[] | undefined {
  if (key.kind === 'concat') {
    const whole = ctx.types.length === key.items.length ? concatOrder(key, ctx) : undefined;
    if (whole !== undefined) return [whole];
    const out: bigint[] = [];
    for (let i = 0; i < key.items.length; i++) {
      const o = elementOrder(key.items[i], single(ctx.types[i]));
      if (!o) return undefined;
      appendAll(out, o);
    }
    return out;
  }
  const type = ctx.types[0];
  if (key.kind === 'value') {
    const v = valueOrder(key.text, type);
    return v === undefined ? undefined : [v];
  }
  if (key.kind === 'list' && isBitmask(type)) {
    let low: bigint | undefined;
    for (const it of key.items) {
      const v = it.kind === 'value' ? valueOrder(it.text, type) : undefined;
      if (v === undefined) return undefined;
      if (low === undefined || v < low) low = v;
    }
    return low === undefined ? undefined : [low];
  }
  if (key.kind === 'range' && key.from.kind === 'value') {
    const v = valueOrder(key.from.text, type);
    return v === undefined ? undefined : [v];
  }
  if (key.kind === 'prefix' && key.addr.kind === 'value') {
    // order by the network address nft keeps (host bits dropped)
    const width = widthOf(type);
    const b = width !== undefined ? bounds(key, type, width) : undefined;
    if (b) return [b[0]];
    const v = valueOrder(key.addr.text, type);
    return v === undefined ? undefined : [v];
  }
  return undefined;
}

export function formatElement(el: SetElement, ctx: ValueContext): string {
  // a list in a set is one value of flags combined: `syn | ack`
  let s = formatValueExpr(el.key, ctx, ' | ');
  // nft lists the statements right after the key (both versions)
  const stmts = listedElementStatements(el, ctx);
  if (stmts) s += ` ${printElementStatements(stmts, { target: ctx.target }, false)}`;
  if (el.timeout) s += ` timeout ${formatValue(el.timeout, 'time')}`;
  if (el.expires) s += ` expires ${formatValue(el.expires, 'time')}`;
  if (el.comment !== undefined) s += ` comment "${el.comment}"`;
  if (el.value) s += ` : ${formatMapData(el.value, ctx.dataType)}`;
  return s;
}

function formatMapData(v: Expr, dataType: ValueContext['dataType']): string {
  if (v.kind === 'verdict') return v.target ? `${v.verdict} ${v.target}` : v.verdict;
  if (dataType === 'object') return v.kind === 'value' ? formatValue(v.text, 'string') : formatValueExpr(v, single(undefined));
  if (dataType === 'verdict') return formatValueExpr(v, single(undefined));
  return formatValueExpr(v, single(dataType));
}

function bounds(key: Expr, type: DataType | undefined, width: number): [bigint, bigint] | undefined {
  const val = (e: Expr): bigint | undefined => (e.kind === 'value' ? valueOrder(e.text, type) : undefined);
  if (key.kind === 'value') {
    const v = val(key);
    return v === undefined ? undefined : [v, v];
  }
  if (key.kind === 'range') {
    const a = val(key.from);
    const b = val(key.to);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  if (key.kind === 'prefix') {
    const a = val(key.addr);
    if (a === undefined || key.len > width) return undefined;
    const host = (1n << BigInt(width - key.len)) - 1n;
    const lo = a & ~host;
    return [lo, lo | host];
  }
  return undefined;
}

function widthOf(type: DataType | undefined): number | undefined {
  switch (type) {
    case 'ipv4_addr':
      return 32;
    case 'ipv6_addr':
      return 128;
    case 'inet_service':
      return 16;
    case 'mark':
      return 32;
    case 'inet_proto':
      return 8;
    case 'ether_addr':
      return 48;
    case 'integer':
      return 32;
    default:
      return undefined;
  }
}

/** Merge overlapping and adjacent intervals the way the kernel stores them. */
function mergeElementIntervals(elements: SetElement[], type: DataType | undefined, join: boolean): string[] | undefined {
  const width = widthOf(type);
  if (width === undefined) return undefined;
  const ivs: Interval[] = [];
  for (const el of elements) {
    const b = bounds(el.key, type, width);
    if (!b) return undefined;
    ivs.push({ lo: b[0], hi: b[1], el });
  }
  ivs.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const merged: { lo: bigint; hi: bigint }[] = [];
  for (const iv of ivs) {
    const last = merged[merged.length - 1];
    if (last && join && iv.lo <= last.hi + 1n) {
      if (iv.hi > last.hi) last.hi = iv.hi;
    } else merged.push({ lo: iv.lo, hi: iv.hi });
  }
  return merged.map(({ lo, hi }) => formatInterval(lo, hi, type, width));
}

function formatInterval(lo: bigint, hi: bigint, type: DataType | undefined, width: number): string {
  const show = (v: bigint): string => {
    switch (type) {
      case 'ipv4_addr':
        return bigToIp4(v);
      case 'ipv6_addr':
        return bigToIp6(v);
      case 'mark':
        return `0x${v.toString(16).padStart(8, '0')}`;
      case 'ether_addr':
        return v.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
      default:
        return formatValue(v.toString(), type);
    }
  };
  if (lo === hi) return show(lo);
  if (isPrefixType(type)) {
    const size = hi - lo + 1n;
    if ((size & (size - 1n)) === 0n && (lo & (size - 1n)) === 0n) {
      const hostBits = size.toString(2).length - 1;
      return `${show(lo)}/${width - hostBits}`;
    }
  }
  // the ends of a range of a named integer type are numbers (`meta l4proto { 33-55 }`, not `dccp-55`)
  const end = (v: bigint): string => (type === 'ipv4_addr' || type === 'ipv6_addr' || type === 'mark' || type === 'ether_addr' ? show(v) : formatRangeEnd(v.toString(), type));
  return `${end(lo)}-${end(hi)}`;
}
