/**
 * Shadowed and redundant rules: a later rule every packet of which earlier
 * terminal rules of the same chain have already decided — one rule, or several
 * together (`tcp dport 80 accept`, `tcp dport 443 accept`, then `tcp dport { 80,
 * 443 } drop`). Exact on what it reads — rules made only of matches on one field
 * each (values, ranges, prefixes, anonymous and named sets whose elements the
 * design fixes, `!=`, `<`/`>`, ct state) or on a concatenation in a set, counters
 * and logs, ending in accept, drop or reject — as unions of boxes (intervals per
 * field); any other rule is left alone (never a false finding), and a rule that
 * can change the packet or send it elsewhere first (a mangle, a jump, a chain
 * binding, a statement kept as text) ends what the earlier rules can say. The
 * earlier rules are named, and an example packet of the later one is given in
 * nft's words (the Trace tab and `nft-designer trace` follow it).
 */
import type { Expr, SetElement } from '../../model/expr.ts';
import type { Rule, SetDecl, Table } from '../../model/types.ts';
import type { MatchStmt, Statement } from '../../model/stmt.ts';
import { formatSelector } from '../../emit/selectors.ts';
import { formatRule } from '../../emit/statements.ts';
import { CT_STATES, isBitmask } from '../../knowledge/datatypes.ts';
import { CT_KEYS, META_KEYS, payloadField } from '../../knowledge/expressions.ts';
import { valueIn } from '../../trace/packet.ts';
import { shownValue } from '../../trace/values.ts';
import type { Check } from './check.ts';
import { tracedExample } from './tracedExample.ts';

type Interval = [bigint, bigint];
/** One field's values in a box, and every value the field can have. */
interface Dim {
  e: Expr;
  iv: Interval[];
  all: Interval[];
  /** the lowest and highest value, as numbers (rounding keeps order: a quick test that two dims cannot meet) */
  lo: number;
  hi: number;
  /** what another field implies (meta l4proto for tcp dport): not part of an example packet's description */
  implied?: boolean;
}
const dim = (e: Expr, iv: Interval[], all: Interval[], implied?: boolean): Dim => ({ e, iv, all, lo: iv.length ? Number(iv[0][0]) : 0, hi: iv.length ? Number(iv[iv.length - 1][1]) : -1, ...(implied ? { implied } : {}) });
/** The packets with each field's value in its intervals (fields not named: any value). */
type Box = Map<string, Dim>;
interface Shape {
  /** the packets the rule matches: a union of boxes */
  boxes: Box[];
  verdict: 'accept' | 'drop' | 'reject';
}
/** How many boxes one rule may take (a concatenation's elements), and what is left of it as earlier rules cut it, before the check gives up on it (says nothing). */
const MAX_BOXES = 256;
const MAX_PIECES = 64;

/** Fields whose value a packet has exactly one of (so intervals describe a match). */
function widthOf(e: Expr): number | undefined {
  if (e.kind === 'payload' && !e.tunnel) {
    const f = payloadField(e.protocol, e.field);
    if (!f?.bits || f.bits > 128 || isBitmask(f.type)) return undefined;
    return f.bits;
  }
  if (e.kind === 'meta') {
    const f = Object.hasOwn(META_KEYS, e.key) ? META_KEYS[e.key] : undefined;
    if (!f?.bits || isBitmask(f.type) || f.type === 'ifname' || f.type === 'iface_index' || f.type === 'string') return undefined;
    return f.bits;
  }
  if (e.kind === 'ct' && !e.dir) {
    if (e.key === 'state') return 8;
    const f = Object.hasOwn(CT_KEYS, e.key) ? CT_KEYS[e.key] : undefined;
    if (!f?.bits || isBitmask(f.type)) return undefined;
    return f.bits;
  }
  return undefined;
}

function normalize(iv: Interval[]): Interval[] {
  const s = [...iv].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Interval[] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1n) last[1] = b > last[1] ? b : last[1];
    else out.push([a, b]);
  }
  return out;
}

function intersect(x: Interval[], y: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of x) for (const [c, d] of y) {
    const lo = a > c ? a : c;
    const hi = b < d ? b : d;
    if (lo <= hi) out.push([lo, hi]);
  }
  return normalize(out);
}

/** Do x and y share a value? */
function overlaps(x: Interval[], y: Interval[]): boolean {
  for (const [a, b] of x) for (const [c, d] of y) if (a <= d && c <= b) return true;
  return false;
}

/** The values of x that are not in y. */
function subtract(x: Interval[], y: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a0, b] of x) {
    let a = a0;
    for (const [c, d] of y) {
      if (d < a || c > b) continue;
      if (c > a) out.push([a, c - 1n]);
      a = d + 1n;
      if (a > b) break;
    }
    if (a <= b) out.push([a, b]);
  }
  return out;
}

/** Every value a field can have: for ct state its five states (a packet has exactly one), else 0 to its maximum. */
function universe(e: Expr, width: number): Interval[] {
  if (e.kind === 'ct' && e.key === 'state') return normalize(Object.values(CT_STATES).map((b) => [BigInt(b), BigInt(b)]));
  return [[0n, (1n << BigInt(width)) - 1n]];
}

/** The values one element of a right side stands for, in the left's datatype; undefined when it is not read here. */
function valueOf(left: Expr, e: Expr, width: number): Interval[] | undefined {
  if (e.kind === 'value') {
    const v = valueIn(left, e.text);
    return typeof v === 'bigint' ? [[v, v]] : undefined;
  }
  if (e.kind === 'range' && e.from.kind === 'value' && e.to.kind === 'value') {
    const a = valueIn(left, e.from.text);
    const b = valueIn(left, e.to.text);
    return typeof a === 'bigint' && typeof b === 'bigint' && a <= b ? [[a, b]] : undefined;
  }
  if (e.kind === 'prefix' && e.addr.kind === 'value' && e.len <= width) {
    const a = valueIn(left, e.addr.text);
    if (typeof a !== 'bigint') return undefined;
    const host = (1n << BigInt(width - e.len)) - 1n;
    return [[a & ~host, (a & ~host) | host]];
  }
  return undefined;
}

/** What the rules see of the table: its named sets whose elements the design fixes (no rule adds to them, no timeouts). */
interface Sets {
  fixed(name: string): readonly SetElement[] | undefined;
}

function setsOf(table: Table): Sets {
  const updated = new Set<string>();
  const visit = (stmts: readonly Statement[]): void => {
    for (const st of stmts) {
      if (st.kind === 'setupdate') updated.add(st.set.replace(/^@/, ''));
      else if (st.kind === 'binding') for (const r of st.rules) visit(r.stmts);
      else if (st.kind === 'meter' || st.kind === 'raw') updated.add('*');
    }
  };
  for (const c of table.chains) for (const r of c.rules) visit(r.stmts);
  return {
    fixed(name) {
      const d: SetDecl | undefined = table.sets.find((x) => x.name === name);
      if (!d || d.kind !== 'set' || updated.has(name) || updated.has('*') || d.flags.includes('dynamic') || d.flags.includes('timeout') || d.timeout || d.stmts?.some((st) => st.kind !== 'counter')) return undefined;
      return d.elements.some((el) => el.timeout || el.expires) ? undefined : d.elements;
    },
  };
}

/** The elements a right side lists (an anonymous set, a list, one value, or a named set the design fixes); undefined when not read here. */
function itemsOf(right: Expr, sets: Sets): Expr[] | undefined {
  // an element's limit, quota or ct count may make it not match: only counters are left alone
  const keys = (els: readonly SetElement[]): Expr[] | undefined => (els.some((el) => el.value || el.timeout || el.stmts?.some((st) => st.kind !== 'counter')) ? undefined : els.map((el) => el.key));
  if (right.kind === 'set') return keys(right.elements);
  if (right.kind === 'setref') {
    const els = sets.fixed(right.name);
    return els ? keys(els) : undefined;
  }
  if (right.kind === 'list') return right.items;
  return [right];
}

/** The packets one match stands for, as boxes; undefined when it is not read here. */
function matchBoxes(s: MatchStmt, sets: Sets): Box[] | undefined {
  const items = itemsOf(s.right, sets);
  if (!items) return undefined;
  if (s.left.kind === 'concat') {
    // a concatenation in a set: one box per element
    if (s.op !== 'implicit' && s.op !== '==') return undefined;
    const parts = s.left.items;
    const widths = parts.map(widthOf);
    if (widths.some((w) => w === undefined) || items.length > MAX_BOXES) return undefined;
    const boxes: Box[] = [];
    for (const el of items) {
      if (el.kind !== 'concat' || el.items.length !== parts.length) return undefined;
      const box: Box = new Map();
      for (let i = 0; i < parts.length; i++) {
        const w = widths[i] as number;
        const iv = valueOf(parts[i], el.items[i], w);
        if (!iv) return undefined;
        const key = formatSelector(parts[i]);
        const had = box.get(key);
        const all = universe(parts[i], w);
        box.set(key, dim(parts[i], intersect(had ? had.iv : all, iv), all));
      }
      boxes.push(box);
    }
    return boxes;
  }
  const width = widthOf(s.left);
  if (width === undefined) return undefined;
  const all = universe(s.left, width);
  const max = (1n << BigInt(width)) - 1n;
  const vs: Interval[] = [];
  for (const i of items) {
    const r = valueOf(s.left, i, width);
    if (!r) return undefined;
    vs.push(...r);
  }
  const v = normalize(vs);
  const isState = s.left.kind === 'ct' && s.left.key === 'state';
  if (isState && s.op !== 'implicit' && s.op !== '==' && s.op !== '!=') return undefined;
  let iv: Interval[] | undefined;
  switch (s.op) {
    case 'implicit':
    case '==':
      iv = v;
      break;
    case '!=':
      iv = subtract(all, v);
      break;
    case '<':
      iv = v.length === 1 && v[0][0] === v[0][1] && v[0][0] > 0n ? [[0n, v[0][0] - 1n]] : undefined;
      break;
    case '<=':
      iv = v.length === 1 && v[0][0] === v[0][1] ? [[0n, v[0][0]]] : undefined;
      break;
    case '>':
      iv = v.length === 1 && v[0][0] === v[0][1] && v[0][0] < max ? [[v[0][0] + 1n, max]] : undefined;
      break;
    case '>=':
      iv = v.length === 1 && v[0][0] === v[0][1] ? [[v[0][0], max]] : undefined;
      break;
  }
  return iv ? [new Map([[formatSelector(s.left), dim(s.left, intersect(iv, all), all)]])] : undefined;
}

/** a ∩ b; undefined when empty */
function meet(a: Box, b: Box): Box | undefined {
  const out: Box = new Map(a);
  for (const [k, d] of b) {
    const had = out.get(k);
    const iv = had ? intersect(had.iv, d.iv) : d.iv;
    if (!iv.length) return undefined;
    out.set(k, dim(d.e, iv, d.all));
  }
  return out;
}

/** The transport protocol a header's fields imply (nft adds `meta l4proto tcp` before `tcp dport 22`), and the IP version where it has one. */
const L4_OF: Readonly<Record<string, number>> = { tcp: 6, udp: 17, udplite: 136, sctp: 132, dccp: 33, icmp: 1, icmpv6: 58 };
const NFPROTO: Readonly<Record<string, number>> = { ip: 2, icmp: 2, ip6: 10, icmpv6: 10 };
const L4PROTO: Expr = { kind: 'meta', key: 'l4proto' };
const NFPROTO_EXPR: Expr = { kind: 'meta', key: 'nfproto' };
const BYTE: Interval[] = [[0n, 255n]];

/**
 * A box with what its fields imply made explicit, so that `meta l4proto tcp drop`
 * is seen to decide a later `tcp dport 5000 accept`: a transport header's field
 * implies its protocol (meta l4proto), `ip protocol` is the same field in an IPv4
 * packet, and in an inet table an ip or ip6 field (icmp, icmpv6) implies the IP
 * version (meta nfproto). undefined: the implied values contradict the box (no packet).
 */
function withDependencies(b: Box, family: string): Box | undefined {
  const out: Box = new Map(b);
  const need = (key: string, e: Expr, v: number): boolean => {
    const had = out.get(key);
    const iv = intersect(had ? had.iv : BYTE, [[BigInt(v), BigInt(v)]]);
    if (!iv.length) return false;
    out.set(key, dim(had ? had.e : e, iv, BYTE, had ? had.implied : true));
    return true;
  };
  const ipProto = out.get('ip protocol');
  if (ipProto && ipProto.e.kind === 'payload') {
    out.delete('ip protocol');
    const had = out.get('meta l4proto');
    const iv = had ? intersect(had.iv, ipProto.iv) : ipProto.iv;
    if (!iv.length) return undefined;
    out.set('meta l4proto', dim(had ? had.e : ipProto.e, iv, BYTE));
    if (family === 'inet' && !need('meta nfproto', NFPROTO_EXPR, NFPROTO.ip)) return undefined;
  }
  for (const d of b.values()) {
    if (d.e.kind !== 'payload' || d.e.tunnel) continue;
    const l4 = L4_OF[d.e.protocol];
    if (l4 !== undefined && !need('meta l4proto', L4PROTO, l4)) return undefined;
    const v = NFPROTO[d.e.protocol];
    if (family === 'inet' && v !== undefined && !need('meta nfproto', NFPROTO_EXPR, v)) return undefined;
  }
  return out;
}

function shapeOf(rule: Rule, sets: Sets, family: string): Shape | undefined {
  let boxes: Box[] = [new Map()];
  let verdict: Shape['verdict'] | undefined;
  for (let i = 0; i < rule.stmts.length; i++) {
    const s = rule.stmts[i];
    const last = i === rule.stmts.length - 1;
    if (s.kind === 'counter' || s.kind === 'log') continue;
    if (last && s.kind === 'verdict' && (s.verdict === 'accept' || s.verdict === 'drop')) {
      verdict = s.verdict;
      continue;
    }
    if (last && s.kind === 'reject') {
      verdict = 'reject';
      continue;
    }
    if (s.kind !== 'match') return undefined;
    const mb = matchBoxes(s, sets);
    if (!mb) return undefined;
    const next: Box[] = [];
    for (const b of boxes) for (const m of mb) {
      const x = meet(b, m);
      if (x) next.push(x);
    }
    if (next.length > MAX_BOXES) return undefined;
    boxes = next;
  }
  if (!verdict) return undefined;
  return { boxes: boxes.map((b) => withDependencies(b, family)).filter((b): b is Box => b !== undefined), verdict };
}

/** Statements after which earlier rules no longer say what the packet is: it may be changed, or decided elsewhere and come back changed. */
function changesOrDiverts(rule: Rule): boolean {
  return rule.stmts.some((s) => s.kind === 'mangle' || s.kind === 'raw' || s.kind === 'binding' || s.kind === 'reset' || s.kind === 'vmap' || (s.kind === 'verdict' && (s.verdict === 'jump' || s.verdict === 'goto')));
}

/** meta and ct keys every packet has a value of (a payload field needs its header: see `has`) */
const EVERY_PACKET = new Set(['ct state', 'meta mark', 'meta l4proto', 'meta nfproto', 'meta protocol', 'meta length', 'meta pkttype']);

/** Does every packet of box L have field K (E its expression)? Its header must be one L already reads (or the table's family). */
function has(l: Box, k: string, e: Expr, family: string): boolean {
  if (l.has(k)) return true;
  if (e.kind !== 'payload') return EVERY_PACKET.has(k);
  if ((family === 'ip' && e.protocol === 'ip') || (family === 'ip6' && e.protocol === 'ip6')) return true;
  for (const d of l.values()) if (d.e.kind === 'payload' && d.e.protocol === e.protocol && !d.e.tunnel) return true;
  return false;
}

/** Does e take anything away from l (does every packet of l have e's fields, and some have e's values)? */
function cuts(l: Box, e: Box, family: string): boolean {
  for (const [k, d] of e) {
    const lv = l.get(k);
    if (lv ? lv.hi < d.lo || d.hi < lv.lo || !overlaps(lv.iv, d.iv) : !has(l, k, d.e, family)) return false;
  }
  return true;
}

/** l minus e, as disjoint boxes (e cuts l) */
function minus(l: Box, e: Box): Box[] {
  const rest: Box[] = [];
  let cur: Box = l;
  for (const [k, d] of e) {
    const lv = cur.get(k)?.iv ?? d.all;
    const outside = subtract(lv, d.iv);
    if (outside.length) rest.push(new Map(cur).set(k, dim(d.e, outside, d.all)));
    cur = new Map(cur).set(k, dim(d.e, intersect(lv, d.iv), d.all));
  }
  return rest;
}

/** The terminal rules read so far in a chain, grouped by the fields they read (a rule can only cut a later one whose packets all have those fields). */
class Earlier {
  private readonly groups = new Map<string, { keys: string[]; rules: { i: number; shape: Shape }[] }>();
  /** per fields of a later rule: the groups that may cut it */
  private readonly fits = new Map<string, { keys: string[]; rules: { i: number; shape: Shape }[] }[]>();
  constructor(private readonly family: string) {}

  add(i: number, shape: Shape): void {
    const keys = [...shape.boxes[0].keys()].sort();
    const sig = keys.join('\n');
    let g = this.groups.get(sig);
    if (!g) {
      g = { keys, rules: [] };
      this.groups.set(sig, g);
      this.fits.clear();
    }
    g.rules.push({ i, shape });
  }

  /**
   * The earlier rules (by index, in order) that together decide every packet of
   * `later`, or undefined when some packet of it gets past them all (or the
   * pieces grow past MAX_PIECES: then nothing is said). The order rules are taken
   * in changes nothing: a union is a union.
   */
  covering(later: Shape): { i: number; shape: Shape }[] | undefined {
    const first = later.boxes[0];
    const all = this.within(later, this.fitting(first));
    if (!all || all.length < 2) return all;
    // the fewest rules to name: one that covers alone, or none of the rules the others make needless
    let used = all;
    for (const r of all) {
      const without = used.filter((x) => x !== r);
      if (this.within(later, [{ rules: without }])) used = without;
    }
    return used;
  }

  private fitting(first: Box): { keys: string[]; rules: { i: number; shape: Shape }[] }[] {
    const sig = [...first.keys()].sort().join('\n');
    let groups = this.fits.get(sig);
    if (!groups) {
      groups = [...this.groups.values()].filter((g) => g.keys.every((k) => has(first, k, g.rules[0].shape.boxes[0].get(k)?.e as Expr, this.family)));
      this.fits.set(sig, groups);
    }
    return groups;
  }

  private within(later: Shape, groups: readonly { rules: readonly { i: number; shape: Shape }[] }[]): { i: number; shape: Shape }[] | undefined {
    let rest = later.boxes;
    const used: { i: number; shape: Shape }[] = [];
    for (const g of groups) {
      for (const r of g.rules) {
        let cut = false;
        for (const eb of r.shape.boxes) {
          if (!rest.some((x) => cuts(x, eb, this.family))) continue;
          cut = true;
          const next: Box[] = [];
          for (const x of rest) {
            if (cuts(x, eb, this.family)) next.push(...minus(x, eb));
            else next.push(x);
          }
          if (next.length > Math.max(MAX_PIECES, 2 * later.boxes.length)) return undefined;
          rest = next;
          if (!rest.length) break;
        }
        if (cut) used.push(r);
        if (!rest.length) return used.sort((a, b) => a.i - b.i);
      }
    }
    return undefined;
  }
}

/** How many shadowed or redundant findings of one lint run carry a traced example packet. */
const TRACED = 50;

const decided = (v: Shape['verdict']): string => (v === 'accept' ? 'accepted' : v === 'drop' ? 'dropped' : 'rejected');
const sameWay = (a: Shape['verdict'], b: Shape['verdict']): boolean => (a === 'reject' ? 'drop' : a) === (b === 'reject' ? 'drop' : b);

export const shadowed: Check = {
  name: 'shadowed rules',
  findings: [
    { id: 'rule/shadowed', severity: 'warning', summary: 'every packet of this rule is already decided, the other way, by earlier rules of the chain' },
    { id: 'rule/redundant', severity: 'info', summary: 'every packet of this rule is already decided, the same way, by earlier rules of the chain' },
  ],
  run(ctx) {
    // each traced example walks the whole design: the first TRACED findings get one (a big design can have thousands)
    let tracedLeft = TRACED;
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      const sets = setsOf(ti.table);
      for (const chain of ti.table.chains) {
        // the terminal rules read so far, since the last rule that may change the packet
        let earlier = new Earlier(family);
        for (let j = 0; j < chain.rules.length; j++) {
          const rule = chain.rules[j];
          const later = shapeOf(rule, sets, family);
          // an unconditional rule decides everything after it: rule/unreachable says so
          const unconditional = later?.boxes.some((b) => b.size === 0);
          if (later && !unconditional && later.boxes.length) {
            const by = earlier.covering(later);
            if (by?.length && !(by.length === 1 && by[0].i === j - 1 && formatRule(chain.rules[j - 1], { family }) === formatRule(rule, { family }))) report(ti, chain, j, later, by);
          }
          if (changesOrDiverts(rule)) earlier = new Earlier(family);
          else if (later && !unconditional && later.boxes.length) earlier.add(j, later);
        }
      }
    }

    function report(ti: (typeof ctx.tables)[number], chain: (typeof ti.table.chains)[number], j: number, later: Shape, by: readonly { i: number; shape: Shape }[]): void {
      const family = ti.table.family;
      const rules = by.map(({ i }) => chain.rules[i]);
      const shapes = by.map(({ shape }) => shape);
      const named = rules.map((a) => {
        const line = ctx.loc?.node(a.id)?.startLine;
        return `"${formatRule(a, { family })}"${line ? ` (line ${line})` : ''}`;
      });
      const first = later.boxes[0];
      const exampleFields = new Map([...first.values()].filter((f) => !f.implied).map((f) => [formatSelector(f.e), shownValue(f.e, f.iv[0][0])] as const));
      const example = [...exampleFields].map(([k, v]) => `${k} ${v}`).join(' ');
      // the example traced through the whole design: attached when the trace shows it (an earlier rule decides it, the later never sees it)
      const ids = new Set(rules.map((a) => a.id));
      const traced = (tracedLeft-- > 0 ? ctx.entries(ti, chain) : [])
        .map((entry) => tracedExample(ctx.rs, family, entry.base?.hook, exampleFields))
        .find((t) => t && !t.result.assumptions.length && t.result.ruleIds.some((id) => id !== undefined && ids.has(id)) && !t.result.ruleIds.includes(chain.rules[j].id));
      const same = shapes.every((sh) => sameWay(sh.verdict, later.verdict));
      const ways = [...new Set(shapes.map((sh) => sh.verdict))];
      let message: string;
      if (rules.length === 1) message = `every packet it matches is already ${decided(shapes[0].verdict)} by ${named[0]}`;
      else if (ways.length === 1) message = `every packet it matches is already ${decided(ways[0])} by the earlier rules ${named.slice(0, -1).join(', ')} and ${named[named.length - 1]} together`;
      else message = `every packet it matches is already decided by the earlier rules together: ${named.map((n, k) => `${decided(shapes[k].verdict)} by ${n}`).join(', ')}`;
      ctx.report({
        id: same ? 'rule/redundant' : 'rule/shadowed',
        severity: same ? 'info' : 'warning',
        message: `${same ? 'this rule changes nothing' : 'this rule never decides a packet'}: ${message}`,
        why: `Rules run top to bottom and the first one that decides a packet ends its way through chain ${chain.name}. Every packet this rule matches — for example ${example} — matches ${rules.length === 1 ? 'the earlier rule' : 'one of the earlier rules'} too, so this one ${same ? `is never needed; remove it, or make the earlier rule${rules.length === 1 ? '' : 's'} narrower` : `never gets to ${later.verdict} it; put it before the earlier rule${rules.length === 1 ? '' : 's'} if that is what you mean`}.`,
        nodeId: chain.rules[j].id,
        trace: traced?.example,
      });
    }
  },
};
