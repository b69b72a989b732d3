/**
 * Shadowed and redundant rules: a later rule every packet of which an earlier
 * terminal rule of the same chain has already decided. Exact on what it reads —
 * rules made only of matches on one field each (values, ranges, prefixes, anonymous
 * sets, `!=`, `<`/`>`, ct state), counters and logs, ending in accept, drop or
 * reject — as intervals per field; any other rule is left alone (never a false
 * finding). The earlier rule is named, and an example packet of the later one is
 * given in nft's words (the Trace tab and `nft-designer trace` follow it).
 */
import type { Expr } from '../../model/expr.ts';
import type { Rule } from '../../model/types.ts';
import type { MatchStmt } from '../../model/stmt.ts';
import { formatSelector } from '../../emit/selectors.ts';
import { formatRule } from '../../emit/statements.ts';
import { isBitmask } from '../../knowledge/datatypes.ts';
import { CT_KEYS, META_KEYS, payloadField } from '../../knowledge/expressions.ts';
import { valueIn } from '../../trace/packet.ts';
import { shownValue } from '../../trace/values.ts';
import type { Check } from './check.ts';
import { tracedExample } from './tracedExample.ts';

type Interval = [bigint, bigint];
interface Shape {
  /** field → the values it may have (sorted, disjoint intervals) */
  fields: Map<string, { e: Expr; iv: Interval[] }>;
  verdict: 'accept' | 'drop' | 'reject';
}

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

function complement(x: Interval[], max: bigint): Interval[] {
  const out: Interval[] = [];
  let next = 0n;
  for (const [a, b] of x) {
    if (a > next) out.push([next, a - 1n]);
    next = b + 1n;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

/** Is every value of x in y? */
function within(x: Interval[], y: Interval[]): boolean {
  return x.every(([a, b]) => y.some(([c, d]) => c <= a && b <= d));
}

/** The values a right side stands for, in the left's datatype; undefined when it is not read here. */
function valuesOf(left: Expr, right: Expr, width: number): Interval[] | undefined {
  const one = (e: Expr): Interval[] | undefined => {
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
  };
  const items = right.kind === 'set' ? right.elements.map((el) => (el.value || el.stmts?.length || el.timeout ? undefined : el.key)) : right.kind === 'list' ? right.items : [right];
  const out: Interval[] = [];
  for (const i of items) {
    const r = i ? one(i) : undefined;
    if (!r) return undefined;
    out.push(...r);
  }
  return normalize(out);
}

function shapeOf(rule: Rule): Shape | undefined {
  const fields = new Map<string, { e: Expr; iv: Interval[] }>();
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
    const iv = matchValues(s);
    if (!iv) return undefined;
    const key = formatSelector(s.left);
    const had = fields.get(key);
    fields.set(key, { e: s.left, iv: had ? intersect(had.iv, iv) : iv });
  }
  return verdict ? { fields, verdict } : undefined;
}

function matchValues(s: MatchStmt): Interval[] | undefined {
  const width = widthOf(s.left);
  if (width === undefined) return undefined;
  const max = (1n << BigInt(width)) - 1n;
  const v = valuesOf(s.left, s.right, width);
  if (!v) return undefined;
  const isState = s.left.kind === 'ct' && s.left.key === 'state';
  if (isState && s.op !== 'implicit' && s.op !== '==' && s.op !== '!=') return undefined;
  switch (s.op) {
    case 'implicit':
    case '==':
      return v;
    case '!=':
      return complement(v, max);
    case '<':
      return v.length === 1 && v[0][0] === v[0][1] && v[0][0] > 0n ? [[0n, v[0][0] - 1n]] : undefined;
    case '<=':
      return v.length === 1 && v[0][0] === v[0][1] ? [[0n, v[0][0]]] : undefined;
    case '>':
      return v.length === 1 && v[0][0] === v[0][1] && v[0][0] < max ? [[v[0][0] + 1n, max]] : undefined;
    case '>=':
      return v.length === 1 && v[0][0] === v[0][1] ? [[v[0][0], max]] : undefined;
  }
}

/** Does every packet `later` matches also match `earlier`? */
function covers(earlier: Shape, later: Shape): boolean {
  if (earlier.fields.size === 0) return false; // an unconditional rule: rule/unreachable says it
  for (const [k, f] of earlier.fields) {
    const l = later.fields.get(k);
    if (!l || !within(l.iv, f.iv)) return false;
  }
  return true;
}

/** How many shadowed or redundant findings of one lint run carry a traced example packet. */
const TRACED = 50;

export const shadowed: Check = {
  name: 'shadowed rules',
  findings: [
    { id: 'rule/shadowed', severity: 'warning', summary: 'every packet of this rule is already decided, the other way, by an earlier rule of the chain' },
    { id: 'rule/redundant', severity: 'info', summary: 'every packet of this rule is already decided, the same way, by an earlier rule of the chain' },
  ],
  run(ctx) {
    // each traced example walks the whole design: the first TRACED findings get one (a big design can have thousands)
    let tracedLeft = TRACED;
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      for (const chain of ti.table.chains) {
        const shapes: (Shape | undefined)[] = [];
        for (let j = 0; j < chain.rules.length; j++) {
          const later = shapeOf(chain.rules[j]);
          shapes.push(later);
          if (!later || later.fields.size === 0) continue;
          for (let i = 0; i < j; i++) {
            const earlier = shapes[i];
            if (!earlier || !covers(earlier, later)) continue;
            const a = chain.rules[i];
            const aText = formatRule(a, { family });
            if (i === j - 1 && aText === formatRule(chain.rules[j], { family })) break; // rule/duplicate says it
            const exampleFields = new Map([...later.fields.values()].map((f) => [formatSelector(f.e), shownValue(f.e, f.iv[0][0])] as const));
            const example = [...exampleFields].map(([k, v]) => `${k} ${v}`).join(' ');
            // the example traced through the whole design: attached when the trace shows it (the earlier rule decides it, the later never sees it)
            const traced = (tracedLeft-- > 0 ? ctx.entries(ti, chain) : [])
              .map((entry) => tracedExample(ctx.rs, family, entry.base?.hook, exampleFields))
              .find((t) => t && !t.result.assumptions.length && t.result.ruleIds.includes(a.id) && !t.result.ruleIds.includes(chain.rules[j].id));
            const same = (earlier.verdict === 'reject' ? 'drop' : earlier.verdict) === (later.verdict === 'reject' ? 'drop' : later.verdict);
            const line = ctx.loc?.node(a.id)?.startLine;
            ctx.report({
              id: same ? 'rule/redundant' : 'rule/shadowed',
              severity: same ? 'info' : 'warning',
              message: `${same ? 'this rule changes nothing' : 'this rule never decides a packet'}: every packet it matches is already ${earlier.verdict === 'accept' ? 'accepted' : earlier.verdict === 'drop' ? 'dropped' : 'rejected'} by "${aText}"${line ? ` (line ${line})` : ''}`,
              why: `Rules run top to bottom and the first one that decides a packet ends its way through chain ${chain.name}. Every packet this rule matches — for example ${example} — matches the earlier rule too, so this one ${same ? 'is never needed; remove it, or make the earlier rule narrower' : `never gets to ${later.verdict} it; put it before the earlier rule if that is what you mean`}.`,
              nodeId: chain.rules[j].id,
              trace: traced?.example,
            });
            break;
          }
        }
      }
    }
  },
};
