/**
 * Expressions against a packet: the value of a selector, a match's test, and
 * lookups in sets and maps (intervals, prefixes, concatenations, the catch-all
 * `*`). Values of the right-hand side are read in the datatype of the left
 * (knowledge/datatypes.ts), the same tables the parser and printer use.
 */
import type { Expr, SetElement } from '../model/expr.ts';
import type { MatchOp } from '../model/stmt.ts';
import type { SetDecl } from '../model/types.ts';
import { formatSelector } from '../emit/selectors.ts';
import { bigToIp4, bigToIp6, exprType, isBitmask, symbolTable } from '../knowledge/datatypes.ts';
import type { DataType } from '../knowledge/expressions.ts';
import { CT_KEYS, META_KEYS, payloadField, selectorOfType } from '../knowledge/expressions.ts';
import type { Val, Valued } from './context.ts';
import type { Packet } from './packet.ts';
import { valueIn } from './packet.ts';
import { oneElementBitTest } from '../stmts/listingValues.ts';
import { DEFAULT_LISTING_TARGET, type ListingTarget } from '../knowledge/listing.ts';

/** A packet's conntrack as expressions see it (absent: no conntrack entry, `ct state invalid` or `untracked`). */
export interface CtView {
  state: bigint;
  entry?: { mark: bigint; status: bigint; direction: bigint; original: { saddr: Val; daddr: Val; sport?: Val; dport?: Val }; l3: 'ip' | 'ip6'; l4: number };
}

/** What evaluating an expression needs besides the expression. */
export interface Scope {
  packet: Packet;
  ct: CtView;
  /** a named set or map of the table, and the elements added to it by earlier packets */
  set(name: string): { decl: SetDecl; added: readonly Dynamic[] } | undefined;
  /** the nft version whose meaning of the design is traced (a set of one flag is a bit test in 1.0.6) */
  target?: ListingTarget;
  /** `$name`, resolved */
  variable(name: string): Expr;
  /** an assumption for something the packet cannot say */
  assume(key: string, what: string): Valued;
  /** something left out of the packet's description taken to be its usual value (stated among the defaults) */
  byDefault(line: string): void;
  /**
   * The interface the packet came in by (iif, iifname) or leaves by (oif,
   * oifname) as the current hook sees it: a packet the host sends has no
   * incoming interface, and no packet has an outgoing one before the routing
   * decision (prerouting, input); then the value is empty and matches no name.
   */
  iface(key: 'iif' | 'iifname' | 'oif' | 'oifname'): Valued;
}

/** An element added by a set update: its key's values (one per concatenated field) and its data. */
export interface Dynamic {
  key: Val[];
  data?: Expr;
  /** when it times out (ns on the packets' clock, --times); undefined: never, or no clock given */
  expires?: bigint;
}

export type Tuple = Val | Val[];

const WIDTH: Partial<Record<DataType, number>> = { ipv4_addr: 32, ipv6_addr: 128, mark: 32, inet_service: 16, ether_addr: 48 };

function widthOf(e: Expr): number {
  const t = exprType(e);
  const w = t ? WIDTH[t] : undefined;
  if (w) return w;
  if (e.kind === 'payload') return payloadField(e.protocol, e.field)?.bits ?? 32;
  if (e.kind === 'meta') return META_KEYS[e.key]?.bits ?? 32;
  if (e.kind === 'ct') return CT_KEYS[e.key]?.bits ?? 32;
  return 32;
}

/** A value as a message shows it, in the datatype of `e`. */
export function shownValue(e: Expr, v: Tuple): string {
  if (Array.isArray(v)) {
    const items = e.kind === 'concat' ? e.items : [];
    return v.map((x, i) => shownValue(items[i] ?? e, x)).join(' . ');
  }
  if (typeof v === 'string') return `"${v}"`;
  const t = exprType(e);
  if (t === 'ipv4_addr') return bigToIp4(v);
  if (t === 'ipv6_addr') return bigToIp6(v);
  const table = t ? symbolTable(t) : undefined;
  if (table) {
    if (isBitmask(t)) {
      const names = Object.entries(table).filter(([, b]) => b !== 0 && (v & BigInt(b)) === BigInt(b)).map(([n]) => n);
      return names.length ? names.join(',') : v.toString();
    }
    const name = Object.entries(table).find(([, n]) => BigInt(n) === v)?.[0];
    if (name) return name;
  }
  if (t === 'mark') return `0x${v.toString(16).padStart(8, '0')}`;
  return v.toString();
}

/** The value of an expression for the packet. */
export function valueOf(e: Expr, scope: Scope): Valued {
  const p = scope.packet;
  switch (e.kind) {
    case 'payload': {
      let proto = e.protocol;
      if (e.tunnel) return scope.assume(formatSelector(e), `the packet's inner ${e.tunnel} header`);
      if (proto === 'th') proto = p.l4;
      if (proto === 'ip' || proto === 'ip6') {
        if (p.l3 !== proto) return { ok: false, why: `the packet is not ${proto === 'ip' ? 'IPv4' : 'IPv6'}` };
      } else if (proto === 'tcp' || proto === 'udp' || proto === 'icmp' || proto === 'icmpv6' || proto === 'sctp' || proto === 'dccp' || proto === 'udplite') {
        if (p.l4 !== proto) return { ok: false, why: `the packet is ${p.l4}, not ${proto}` };
      }
      // nft matches an ICMP id or sequence in echo messages only: it adds `icmp type { echo-reply,
      // echo-request }` to the rule (and lists it), so another type never matches
      if ((proto === 'icmp' || proto === 'icmpv6') && (e.field === 'id' || e.field === 'sequence')) {
        const type = p.fields.get(`${proto} type`);
        const echo = proto === 'icmp' ? [0n, 8n] : [128n, 129n];
        if (typeof type === 'bigint' && !echo.includes(type)) return { ok: false, why: `${proto} ${e.field} is read in echo requests and replies only (nft adds that ${proto} type test to the rule)` };
      }
      const key = `${proto} ${e.field}`;
      const v = p.fields.get(key);
      if (v === undefined) return { ok: false, why: `the packet's ${key} is not given (describe it in the packet)` };
      return { ok: true, v };
    }
    case 'meta': {
      if (e.key === 'iif' || e.key === 'iifname' || e.key === 'oif' || e.key === 'oifname') return scope.iface(e.key);
      const key = formatSelector(e);
      const v = p.fields.get(key) ?? p.fields.get(`meta ${e.key}`) ?? p.assumed.get(key);
      if (v !== undefined) return { ok: true, v };
      if (e.key === 'ipsec' || e.key === 'secpath') {
        scope.byDefault(`${key} missing (the packet did not come through IPsec)`);
        return { ok: true, v: 0n };
      }
      return scope.assume(key, `the packet's ${key}`);
    }
    case 'ct': {
      if (e.key === 'state') return { ok: true, v: scope.ct.state };
      const entry = scope.ct.entry;
      if (!entry) return { ok: false, why: 'the packet has no conntrack entry' };
      switch (e.key) {
        case 'mark':
          return { ok: true, v: entry.mark };
        case 'status':
          return { ok: true, v: entry.status };
        case 'direction':
          return { ok: true, v: entry.direction };
        case 'l3proto':
          return { ok: true, v: entry.l3 === 'ip' ? 2n : 10n };
        case 'protocol':
          return { ok: true, v: BigInt(entry.l4) };
        case 'saddr':
        case 'daddr':
        case 'proto-src':
        case 'proto-dst': {
          const o = entry.original;
          const v = e.key === 'saddr' ? o.saddr : e.key === 'daddr' ? o.daddr : e.key === 'proto-src' ? o.sport : o.dport;
          if (e.dir !== 'reply') return v === undefined ? { ok: false, why: 'the connection has no ports' } : { ok: true, v };
          const r = e.key === 'saddr' ? o.daddr : e.key === 'daddr' ? o.saddr : e.key === 'proto-src' ? o.dport : o.sport;
          return r === undefined ? { ok: false, why: 'the connection has no ports' } : { ok: true, v: r };
        }
        default:
          return scope.assume(formatSelector(e), `the connection's ${formatSelector(e)}`);
      }
    }
    case 'binop': {
      const l = valueOf(e.left, scope);
      if (!l.ok) return l;
      if (typeof l.v !== 'bigint') return { ok: false, why: 'a bit operation on a string' };
      const r = constantIn(e.left, e.right, scope);
      if (r === undefined) return { ok: false, why: `cannot read the operand of ${e.op}` };
      switch (e.op) {
        case '&':
          return { ok: true, v: l.v & r };
        case '|':
          return { ok: true, v: l.v | r };
        case '^':
          return { ok: true, v: l.v ^ r };
        case '<<':
          return { ok: true, v: (l.v << r) & ((1n << BigInt(widthOf(e.left))) - 1n) };
        case '>>':
          return { ok: true, v: l.v >> r };
      }
      return { ok: false, why: 'unknown operator' };
    }
    case 'var':
      return valueOf(scope.variable(e.name), scope);
    case 'value':
    case 'list':
    case 'range':
    case 'prefix':
    case 'set':
    case 'setref':
    case 'map':
    case 'verdict':
    case 'catchall':
    case 'concat':
      return { ok: false, why: `a ${e.kind} is not a selector` };
    case 'exthdr':
      // an IPv6 extension header of an IPv4 packet, a TCP option of a UDP packet: the kernel's expression finds nothing, and the match fails
      if ((e.space === 'ip6' && p.l3 !== 'ip6') || (e.space === 'ip' && p.l3 !== 'ip') || ((e.space === 'tcp' || e.space === 'sctp') && p.l4 !== e.space)) return { ok: false, why: `the packet has no ${e.space} header` };
      // a presence test (`tcp option sack-perm exists`): a header or option the description does not give is absent
      if (e.field === undefined && !e.raw && !p.assumed.has(formatSelector(e))) {
        scope.byDefault(`${formatSelector(e)} missing (not given in the packet)`);
        return { ok: true, v: 0n };
      }
      return scope.assume(formatSelector(e), `${formatSelector(e)} (the trace cannot know it from the packet)`);
    case 'fib':
    case 'rt':
    case 'socket':
    case 'osf':
    case 'ipsec':
    case 'rawpayload':
    case 'numgen':
    case 'hash':
    case 'rawexpr':
      return scope.assume(formatSelector(e), `${formatSelector(e)} (the trace cannot know it from the packet)`);
  }
}

/** A constant (a value, or a list of flags OR-ed) in the datatype of `left`. */
function constantIn(left: Expr, e: Expr, scope: Scope): bigint | undefined {
  if (e.kind === 'var') return constantIn(left, scope.variable(e.name), scope);
  if (e.kind === 'value') {
    const v = valueIn(left, e.text);
    return typeof v === 'bigint' ? v : undefined;
  }
  if (e.kind === 'list') {
    let bits = 0n;
    for (const i of e.items) {
      const b = constantIn(left, i, scope);
      if (b === undefined) return undefined;
      bits |= b;
    }
    return bits;
  }
  return undefined;
}

/** The selector of a left side (a bit operation's base decides the datatype of the values). */
function typed(left: Expr): Expr {
  let b = left;
  while (b.kind === 'binop') b = b.left;
  return b;
}

/** Does one value (or interval) of a set element or a right side hold `v`? */
function holds(left: Expr, item: Expr, v: Val, scope: Scope): boolean {
  const base = typed(left);
  switch (item.kind) {
    case 'var':
      return holds(left, scope.variable(item.name), v, scope);
    case 'catchall':
      return true;
    case 'value': {
      if (typeof v === 'string') {
        const t = item.text.startsWith('"') ? item.text.slice(1, -1) : item.text;
        return t.endsWith('*') ? v.startsWith(t.slice(0, -1)) : v === t;
      }
      return valueIn(base, item.text) === v;
    }
    case 'range': {
      if (typeof v !== 'bigint') return false;
      const from = item.from.kind === 'value' ? valueIn(base, item.from.text) : undefined;
      const to = item.to.kind === 'value' ? valueIn(base, item.to.text) : undefined;
      return typeof from === 'bigint' && typeof to === 'bigint' && from <= v && v <= to;
    }
    case 'prefix': {
      if (typeof v !== 'bigint' || item.addr.kind !== 'value') return false;
      const a = valueIn(base, item.addr.text);
      if (typeof a !== 'bigint') return false;
      const shift = BigInt(Math.max(0, widthOf(base) - item.len));
      return a >> shift === v >> shift;
    }
    case 'list':
      // flags OR-ed (`syn | ack` in a set, `== syn,ack`): the value is exactly them, as the kernel compares
      if (isBitmask(exprType(base))) return constantIn(base, item, scope) === v;
      return item.items.some((i) => holds(left, i, v, scope));
    case 'set':
      return item.elements.some((el) => holds(left, el.key, v, scope));
    default:
      return false;
  }
}

/** Does a set element's key (maybe a concatenation) hold the tuple? */
function elementHolds(left: Expr, key: Expr, t: Tuple, scope: Scope): boolean {
  if (key.kind === 'catchall') return true;
  if (left.kind === 'concat' && Array.isArray(t)) {
    const k = key.kind === 'var' ? scope.variable(key.name) : key;
    if (k.kind !== 'concat' || k.items.length !== t.length) return false;
    return k.items.every((item, i) => holds(left.items[i], item, t[i], scope));
  }
  return !Array.isArray(t) && holds(left, key, t, scope);
}

function tupleOf(left: Expr, scope: Scope, consts?: ReadonlyMap<number, Val>): { ok: true; t: Tuple } | { ok: false; why: string } {
  if (left.kind !== 'concat') {
    const c = consts?.get(0);
    if (c !== undefined) return { ok: true, t: c };
    return ((r) => (r.ok ? { ok: true as const, t: r.v } : r))(valueOf(left, scope));
  }
  const t: Val[] = [];
  for (const [i, item] of left.items.entries()) {
    const c = consts?.get(i);
    if (c !== undefined) {
      t.push(c);
      continue;
    }
    const r = valueOf(item, scope);
    if (!r.ok) return r;
    t.push(r.v);
  }
  return { ok: true, t };
}

/**
 * A key that holds constants (`ip saddr . 1.2.3.4 . 80 @s1`, `add @m { 10.2.3.4 :
 * 2 }`): each constant read in the type of its place in the set, and a selector of
 * that type standing in its place for reading the set's elements. Undefined for a
 * key without constants.
 */
export function keyConstants(key: Expr, decl: SetDecl | undefined): { key: Expr; consts: Map<number, Val> } | { why: string } | undefined {
  const items = key.kind === 'concat' ? key.items : [key];
  if (!items.some((i) => i.kind === 'value')) return undefined;
  const spec = decl?.key;
  const consts = new Map<number, Val>();
  const typedItems = items.map((item, i) => {
    if (item.kind !== 'value') return item;
    const stand = spec?.mode === 'typeof' ? spec.exprs[i] : spec?.mode === 'type' && spec.types[i] ? selectorOfType(spec.types[i]) : undefined;
    const v = stand && valueIn(stand, item.text);
    if (stand && v !== undefined) consts.set(i, v);
    return stand ?? item;
  });
  if (consts.size !== items.filter((i) => i.kind === 'value').length) return { why: `cannot read the constants of ${formatSelector(key)} in the set's types` };
  return { key: key.kind === 'concat' ? { kind: 'concat', items: typedItems } : typedItems[0], consts };
}

const same = (a: Tuple, b: Tuple): boolean => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b);

/** The element of a set, map or named set that holds the tuple (the catch-all last), or why none. */
function findElement(left: Expr, data: Expr, t: Tuple, scope: Scope): { el?: SetElement; dyn?: Dynamic } | { why: string } {
  const d = data.kind === 'var' ? scope.variable(data.name) : data;
  let elements: readonly SetElement[];
  let added: readonly Dynamic[] = [];
  let name = 'the set';
  if (d.kind === 'set') elements = d.elements;
  else if (d.kind === 'setref') {
    const s = scope.set(d.name);
    if (!s) return { why: `@${d.name} does not exist in this table` };
    elements = s.decl.elements;
    added = s.added;
    name = `@${d.name}`;
  } else return { why: 'not a set' };
  let catchAll: SetElement | undefined;
  for (const el of elements) {
    if (el.key.kind === 'catchall') catchAll = el;
    else if (elementHolds(left, el.key, t, scope)) return { el };
  }
  for (const a of added) if (same(a.key.length === 1 && !Array.isArray(t) ? a.key[0] : a.key, t)) return { dyn: a };
  if (catchAll) return { el: catchAll };
  return { why: `${shownValue(left, t)} is not in ${name}` };
}

/** Does `left op right` hold? undefined when it does, else why not. */
export function testMatch(left: Expr, op: MatchOp, right: Expr, scope: Scope): string | undefined {
  const r = right.kind === 'var' ? scope.variable(right.name) : right;
  if (op === 'implicit' && oneElementBitTest(left, r, scope.target ?? DEFAULT_LISTING_TARGET)) return testMatch(left, op, r.kind === 'set' ? r.elements[0].key : r, scope);
  const sel = formatSelector(left);
  const k = keyConstants(left, r.kind === 'setref' ? scope.set(r.name)?.decl : undefined);
  if (k && 'why' in k) return k.why;
  if (k) left = k.key;
  const got = tupleOf(left, scope, k?.consts);
  if (!got.ok) return got.why;
  const t = got.t;
  const shown = shownValue(left, t);
  const negate = op === '!=';
  if (r.kind === 'set' || r.kind === 'setref') {
    const found = 'why' in findElement(left, r, t, scope) ? false : true;
    if (found !== negate) return undefined;
    return negate ? `${sel} is ${shown}, which is in ${r.kind === 'setref' ? `@${r.name}` : 'the set'}` : `${sel} is ${shown}, not in ${r.kind === 'setref' ? `@${r.name}` : 'the set'}`;
  }
  if (Array.isArray(t)) return `${sel}: a concatenation is compared with a set`;
  const v = t;
  const type = exprType(typed(left));
  if ((r.kind === 'value' || r.kind === 'list') && typeof v === 'bigint' && isBitmask(type) && left.kind !== 'binop' && (op === 'implicit' || op === '!=')) {
    // without an operator, a bit test: `ct state established,related`, `tcp flags syn` (any of them);
    // `!=` compares the whole value (nft --debug=netlink: `cmp neq reg 1 0x00000006` for
    // `ct state != established,related`, in both versions): a SYN-ACK is `tcp flags != syn`
    const mask = constantIn(left, r, scope);
    if (mask === undefined) return `cannot read ${sel}'s value`;
    const ok = negate ? v !== mask : (v & mask) !== 0n;
    if (ok) return undefined;
    return `${sel} is ${shown}`;
  }
  if (op === '<' || op === '>' || op === '<=' || op === '>=') {
    const c = constantIn(typed(left), r, scope);
    if (typeof v !== 'bigint' || c === undefined) return `cannot compare ${sel}`;
    const ok = op === '<' ? v < c : op === '>' ? v > c : op === '<=' ? v <= c : v >= c;
    return ok ? undefined : `${sel} is ${shown}`;
  }
  const ok = holds(left, r, v, scope);
  if (ok !== negate) return undefined;
  return `${sel} is ${shown}`;
}

/** The data of the map element the key finds, or why none. */
export function lookupMap(key: Expr, data: Expr, scope: Scope): { found: Expr } | { why: string } {
  const d = data.kind === 'var' ? scope.variable(data.name) : data;
  const k = keyConstants(key, d.kind === 'setref' ? scope.set(d.name)?.decl : undefined);
  if (k && 'why' in k) return k;
  if (k) key = k.key;
  const got = tupleOf(key, scope, k?.consts);
  if (!got.ok) return { why: got.why };
  const r = findElement(key, data, got.t, scope);
  if ('why' in r) return r;
  const v = r.el?.value ?? r.dyn?.data;
  return v ? { found: v } : { why: 'the element found has no data' };
}

/** The tuple of a set update's key, for storing it. */
export function keyTuple(key: Expr, scope: Scope, decl?: SetDecl): { ok: true; key: Val[]; typed: Expr } | { ok: false; why: string } {
  const k = keyConstants(key, decl);
  if (k && 'why' in k) return { ok: false, why: k.why };
  const typed = k ? k.key : key;
  const got = tupleOf(typed, scope, k?.consts);
  if (!got.ok) return got;
  return { ok: true, key: Array.isArray(got.t) ? got.t : [got.t], typed };
}

/** The value an expression (a constant, or a selector) gives for writing into `key`. */
export function writtenValue(key: Expr, value: Expr, scope: Scope): Val | undefined {
  const v = value.kind === 'var' ? scope.variable(value.name) : value;
  if (v.kind === 'value') return valueIn(typed(key), v.text);
  if (v.kind === 'map') {
    const r = lookupMap(v.key, v.data, scope);
    return 'found' in r ? writtenValue(key, r.found, scope) : undefined;
  }
  const r = valueOf(v, scope);
  return r.ok ? r.v : undefined;
}

/** One value of a match's right side, as packet text (the first element of a set, the start of a range). */
export function oneValue(e: Expr): string | undefined {
  switch (e.kind) {
    case 'value':
      return e.text;
    case 'range':
      return oneValue(e.from);
    case 'prefix':
      return oneValue(e.addr);
    case 'set':
      return e.elements.length ? oneValue(e.elements[0].key) : undefined;
    default:
      return undefined;
  }
}
