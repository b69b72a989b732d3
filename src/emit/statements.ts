/**
 * Rule statements in nft's listing form. Where nft rewrites what was written
 * (implicit dependencies dropped or made explicit, default options omitted,
 * values normalised), the emitter writes what nft would list, so a designed rule
 * loads and lists back unchanged.
 */
import type { Expr } from '../model/expr.ts';
import type { ByteUnit, MatchStmt, RateUnit, Statement } from '../model/stmt.ts';
import type { Family, Rule } from '../model/types.ts';
import { exprType, formatLogFlags, formatValue, isBitmask, protocolNumber, type DataType } from '../knowledge/datatypes.ts';
import { UNQUALIFIED_META_KEYS } from '../knowledge/expressions.ts';
import { formatSet, formatValueExpr, registerSelectorPrinter, single, type ValueContext } from './values.ts';

export interface EmitContext {
  family: Family;
}

// ------------------------------------------------------------------ selectors

export function formatSelector(e: Expr): string {
  switch (e.kind) {
    case 'payload':
      return `${e.protocol} ${e.field}`;
    case 'meta':
      return UNQUALIFIED_META_KEYS.has(e.key) ? e.key : `meta ${e.key}`;
    case 'ct':
      return ['ct', e.dir, e.family, e.key].filter(Boolean).join(' ');
    case 'fib':
      return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'concat':
      return e.items.map(formatSelector).join(' . ');
    case 'binop': {
      // a chain `a & 1 | 2 …` is printed along its left spine in a loop, not by recursion
      const links: Extract<Expr, { kind: 'binop' }>[] = [];
      let base: Expr = e;
      for (; base.kind === 'binop'; base = base.left) links.push(base);
      const type = exprType(base);
      let s = formatSelector(base);
      for (let i = links.length - 1; i >= 0; i--) s += ` ${links[i].op} ${formatOperand(links[i].right, type)}`;
      return s;
    }
    case 'numgen':
      return `numgen ${e.mode} mod ${e.mod}${e.offset !== undefined ? ` offset ${e.offset}` : ''}`;
    case 'hash': {
      let s = e.hash === 'jhash' && e.expr ? `jhash ${formatSelector(e.expr)} mod ${e.mod}` : `${e.hash} mod ${e.mod}`;
      if (e.seed !== undefined) s += ` seed ${e.seed}`;
      if (e.offset !== undefined) s += ` offset ${e.offset}`;
      return s;
    }
    case 'rt':
      return ['rt', e.family, e.key].filter(Boolean).join(' ');
    case 'socket':
      return `socket ${e.key}`;
    case 'var':
      return `$${e.name}`;
    case 'map':
      return `${formatSelector(e.key)} map ${formatMapDataSet(e.data, selectorContext(e.key))}`;
    case 'rawexpr':
      return e.text;
    default:
      return formatValueExpr(e, single(undefined));
  }
}

registerSelectorPrinter(formatSelector);

function formatOperand(e: Expr, type: DataType | undefined): string {
  if (e.kind === 'list') {
    const inner = formatValueExpr(e, single(type), ' | ');
    return `(${inner})`;
  }
  return formatValueExpr(e, single(type));
}

/** The datatypes of a selector's components, for printing values compared with it. */
export function selectorContext(e: Expr): ValueContext {
  if (e.kind === 'concat') return { types: e.items.map((i) => exprType(i)) };
  return single(exprType(e));
}

function formatMapDataSet(data: Expr, ctx: ValueContext, dataType?: ValueContext['dataType']): string {
  if (data.kind === 'set') return formatSet(data.elements, { ...ctx, dataType }, false);
  return formatValueExpr(data, ctx);
}

// ------------------------------------------------------------------ matches

function formatMatch(s: MatchStmt): string {
  const left = s.left;
  const type = exprType(left);
  // `tcp flags & (syn | ack) == syn` is listed as `tcp flags syn / syn,ack`
  if (left.kind === 'binop' && left.op === '&' && left.left.kind !== 'binop' && isBitmask(type) && left.right.kind === 'list' && (s.op === '==' || s.op === '!=' || s.op === 'implicit')) {
    const mask = formatValueExpr(left.right, single(type), ',');
    const value = formatValueExpr(s.right, single(type), ',');
    const op = s.op === '!=' ? '!= ' : '';
    return `${formatSelector(left.left)} ${op}${value} / ${mask}`;
  }
  const ctx = selectorContext(left);
  let op = '';
  if (s.op === '!=' || s.op === '<' || s.op === '>' || s.op === '<=' || s.op === '>=') op = `${s.op} `;
  else if (s.op === '==' && (isBitmask(type) || left.kind === 'binop')) op = '== ';
  else if (s.op === 'implicit' && left.kind === 'binop') op = '== ';
  const sep = s.op === '!=' && isBitmask(type) ? ' | ' : ',';
  const right = s.right.kind === 'set' ? formatSet(s.right.elements, ctx, true) : formatValueExpr(s.right, ctx, sep);
  return `${formatSelector(left)} ${op}${right}`;
}

// ------------------------------------------------------------------ units

const BYTE_STEPS: ByteUnit[] = ['bytes', 'kbytes', 'mbytes'];
const UNIT_FACTOR: Record<string, number> = { bytes: 1, kbytes: 1024, mbytes: 1024 * 1024, gbytes: 1024 * 1024 * 1024 };

/** nft prints byte amounts in the largest of bytes/kbytes/mbytes that divides them. */
export function formatBytes(amount: number, unit: string): string {
  let v = amount * (UNIT_FACTOR[unit] ?? 1);
  let i = 0;
  while (i < BYTE_STEPS.length - 1 && v !== 0 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${v} ${BYTE_STEPS[i]}`;
}

function isByteUnit(u: RateUnit | undefined): boolean {
  return u === 'bytes' || u === 'kbytes' || u === 'mbytes';
}

export function formatLimitBody(l: { over?: boolean; rate: number; unit: RateUnit; per: string; burst?: number; burstUnit?: RateUnit }): string {
  let s = `rate ${l.over ? 'over ' : ''}`;
  if (isByteUnit(l.unit)) s += `${formatBytes(l.rate, l.unit)}/${l.per}`;
  else s += `${l.rate}/${l.per}`;
  if (isByteUnit(l.unit)) {
    if (l.burst) s += ` burst ${formatBytes(l.burst, l.burstUnit && l.burstUnit !== 'packets' ? l.burstUnit : 'bytes')}`;
  } else if (l.burst !== undefined && l.burst !== 5 && l.burst !== 0) {
    s += ` burst ${l.burst} packets`;
  }
  return s;
}

export function formatQuotaBody(q: { over?: boolean; amount: number; unit: string; used?: number; usedUnit?: string }): string {
  let s = `${q.over ? 'over ' : ''}${formatBytes(q.amount, q.unit)}`;
  if (q.used) s += ` used ${formatBytes(q.used, q.usedUnit ?? 'bytes')}`;
  return s;
}

// ------------------------------------------------------------------ statements

/** The default reject of each family, which nft lists as a bare `reject`. */
function isDefaultReject(family: Family, type: string, code: string | undefined): boolean {
  if (code !== 'port-unreachable') return false;
  if (type === 'icmpx') return family === 'inet' || family === 'bridge' || family === 'netdev';
  if (type === 'icmp') return family === 'ip';
  if (type === 'icmpv6') return family === 'ip6';
  return false;
}

/** `rule`/`index` give the statements before this one (nft infers dependencies from them). */
export function formatStatement(s: Statement, ctx: EmitContext, rule: readonly Statement[] = [], index = 0): string {
  switch (s.kind) {
    case 'match':
      return formatMatch(s);
    case 'verdict':
      return s.target !== undefined ? `${s.verdict} ${s.target}` : s.verdict;
    case 'queue': {
      let q = 'queue';
      if (s.flags?.length) q += ` flags ${s.flags.join(',')}`;
      if (s.num !== undefined) q += ` to ${s.num}`;
      return q;
    }
    case 'reject': {
      if (!s.with) return 'reject';
      if (s.with.type === 'tcp reset') {
        const needsDep = (ctx.family === 'inet' || ctx.family === 'bridge' || ctx.family === 'netdev') && !anyBefore(rule, index, isTcpMatch);
        return `${needsDep ? 'meta l4proto tcp ' : ''}reject with tcp reset`;
      }
      if (isDefaultReject(ctx.family, s.with.type, s.with.code)) return 'reject';
      return `reject with ${s.with.type} ${s.with.code ?? ''}`.trimEnd();
    }
    case 'counter':
      return `counter packets ${s.packets ?? 0} bytes ${s.bytes ?? 0}`;
    case 'log': {
      let l = 'log';
      if (s.prefix !== undefined) l += ` prefix "${s.prefix}"`;
      if (s.group !== undefined) l += ` group ${s.group}`;
      if (s.snaplen !== undefined) l += ` snaplen ${s.snaplen}`;
      if (s.queueThreshold !== undefined) l += ` queue-threshold ${s.queueThreshold}`;
      if (s.level !== undefined && s.level !== 'warn') l += ` level ${s.level}`;
      if (s.flags?.length) l += formatLogFlags(s.flags);
      return l;
    }
    case 'limit':
      return `limit ${formatLimitBody(s)}`;
    case 'quota':
      return `quota ${formatQuotaBody(s)}`;
    case 'notrack':
      return 'notrack';
    case 'synproxy': {
      // nft lists `mss N` alone as `mss N wscale 0`, which loads differently (the
      // wscale option becomes set); print what the model says and let the linter warn.
      let p = 'synproxy';
      if (s.mss !== undefined) p += ` mss ${s.mss}`;
      if (s.wscale !== undefined) p += ` wscale ${s.wscale}`;
      if (s.timestamp) p += ' timestamp';
      if (s.sackPerm) p += ' sack-perm';
      return p;
    }
    case 'objref': {
      if (s.map) {
        return `${s.type} name ${formatSelector(s.map.key)} map ${formatMapDataSet(s.map.data, selectorContext(s.map.key), 'object')}`;
      }
      return `${s.type} name "${s.name ?? ''}"`;
    }
    case 'nat': {
      let n: string = s.type;
      const fam = natFamily(s.family, ctx.family, rule, index);
      if ((s.type === 'snat' || s.type === 'dnat') && fam && (s.addr || s.port) && (ctx.family === 'inet' || ctx.family === 'bridge' || ctx.family === 'netdev')) n += ` ${fam}`;
      if (s.addr || s.port) {
        n += ' to ';
        if (s.addr) n += formatNatAddr(s.addr, fam, s.port !== undefined);
        if (s.port) n += `:${formatNatValue(s.port, 'inet_service')}`;
      }
      if (s.flags?.length) n += ` ${orderNatFlags(s.flags).join(',')}`;
      return n;
    }
    case 'mangle': {
      const type = exprType(s.key);
      const v = s.value;
      const value =
        v.kind === 'value' || v.kind === 'list' || v.kind === 'range' || v.kind === 'prefix' || v.kind === 'concat' || v.kind === 'setref' || v.kind === 'var'
          ? formatValueExpr(v, single(s.key.kind === 'ct' && (s.key.key === 'helper' || s.key.key === 'timeout' || s.key.key === 'expectation') ? 'string' : type))
          : v.kind === 'map'
            ? `${formatSelector(v.key)} map ${formatMapDataSet(v.data, selectorContext(v.key), mangleDataType(s.key, type))}`
            : formatSelector(v);
      return `${formatSelector(s.key)} set ${value}`;
    }
    case 'setupdate': {
      let u = `${s.op} @${s.set} { ${formatSelector(s.key)}`;
      if (s.timeout) u += ` timeout ${formatValue(s.timeout, 'time')}`;
      if (s.stmtsText) u += ` ${s.stmtsText}`;
      return `${u} }`;
    }
    case 'vmap':
      return `${formatSelector(s.key)} vmap ${formatMapDataSet(s.data, selectorContext(s.key), 'verdict')}`;
    case 'raw':
      return s.text;
  }
}

function mangleDataType(key: Expr, type: DataType | undefined): ValueContext['dataType'] {
  if (key.kind === 'ct' && (key.key === 'helper' || key.key === 'timeout' || key.key === 'expectation')) return 'object';
  return type;
}

function anyBefore(rule: readonly Statement[], index: number, pred: (s: Statement) => boolean): boolean {
  for (let i = 0; i < index; i++) if (pred(rule[i])) return true;
  return false;
}

function isTcpMatch(s: Statement): boolean {
  if (s.kind !== 'match') return false;
  const l = s.left;
  if (l.kind === 'payload' && l.protocol === 'tcp') return true;
  if (l.kind === 'meta' && l.key === 'l4proto' && s.right.kind === 'value' && protocolNumber(s.right.text) === 6) return true;
  if (l.kind === 'payload' && l.protocol === 'ip' && l.field === 'protocol' && s.right.kind === 'value' && protocolNumber(s.right.text) === 6) return true;
  return false;
}

/** In inet tables nft lists `dnat ip to …`: the family comes from the statement or an earlier ip/ip6 match. */
function natFamily(explicit: 'ip' | 'ip6' | undefined, family: Family, rule: readonly Statement[], index: number): 'ip' | 'ip6' | undefined {
  if (explicit) return explicit;
  if (family === 'ip') return 'ip';
  if (family === 'ip6') return 'ip6';
  for (let i = index - 1; i >= 0; i--) {
    const s = rule[i];
    if (s.kind !== 'match') continue;
    const l = s.left.kind === 'concat' ? s.left.items[0] : s.left;
    if (l.kind === 'payload' && (l.protocol === 'ip' || l.protocol === 'icmp')) return 'ip';
    if (l.kind === 'payload' && (l.protocol === 'ip6' || l.protocol === 'icmpv6')) return 'ip6';
    if (l.kind === 'meta' && l.key === 'nfproto' && s.right.kind === 'value') {
      if (s.right.text === 'ipv4') return 'ip';
      if (s.right.text === 'ipv6') return 'ip6';
    }
  }
  return undefined;
}

function formatNatAddr(e: Expr, fam: 'ip' | 'ip6' | undefined, withPort: boolean): string {
  if (e.kind === 'map') return formatSelector(e);
  const type: DataType = fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
  // an IPv6 address before a port needs brackets: [::1]:80
  if (e.kind === 'value' && withPort && fam === 'ip6') return `[${formatValue(e.text.replace(/^\[|\]$/g, ''), type)}]`;
  return formatNatValue(e, type);
}

function formatNatValue(e: Expr, type: DataType): string {
  if (e.kind === 'map' || e.kind === 'numgen' || e.kind === 'hash' || e.kind === 'payload' || e.kind === 'meta' || e.kind === 'ct') return formatSelector(e);
  return formatValueExpr(e, single(type));
}

const NAT_FLAG_ORDER = ['random', 'fully-random', 'persistent', 'netmap'];
function orderNatFlags(flags: string[]): string[] {
  return [...flags].sort((a, b) => NAT_FLAG_ORDER.indexOf(a) - NAT_FLAG_ORDER.indexOf(b));
}

// ------------------------------------------------------------------ rules

const L4_PROTOCOLS: Record<string, string> = { tcp: 'tcp', udp: 'udp', udplite: 'udplite', sctp: 'sctp', dccp: 'dccp', icmp: 'icmp', icmpv6: 'ipv6-icmp', ah: 'ah', esp: 'esp', comp: 'comp', igmp: 'igmp' };

/**
 * nft drops a protocol match that only states the dependency of the next match
 * (`meta l4proto tcp tcp dport 22` → `tcp dport 22`; `ip protocol tcp` likewise in
 * ip tables, `ip6 nexthdr tcp` in ip6 tables).
 */
function isRedundantDependency(s: Statement, next: Statement | undefined, family: Family): boolean {
  if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==') || s.right.kind !== 'value') return false;
  if (!next || next.kind !== 'match') return false;
  const nl = next.left.kind === 'concat' ? next.left.items[0] : next.left;
  if (nl.kind !== 'payload') return false;
  const l = s.left;
  // `ether type vlan vlan id 10` → `vlan id 10` (likewise ip, ip6, arp after ether type)
  if (l.kind === 'payload' && l.protocol === 'ether' && l.field === 'type') {
    const ethProto: Record<string, string> = { vlan: 'vlan', ip: 'ip', ip6: 'ip6', arp: 'arp' };
    return ethProto[s.right.text] !== undefined && ethProto[s.right.text] === nl.protocol;
  }
  const isDep =
    (l.kind === 'meta' && l.key === 'l4proto') ||
    (l.kind === 'payload' && l.protocol === 'ip' && l.field === 'protocol' && family === 'ip') ||
    (l.kind === 'payload' && l.protocol === 'ip6' && l.field === 'nexthdr' && family === 'ip6');
  if (!isDep) return false;
  const proto = L4_PROTOCOLS[nl.protocol];
  if (!proto) return false;
  const n = protocolNumber(s.right.text);
  return n !== undefined && n === protocolNumber(proto);
}

export function formatRule(rule: Rule, ctx: EmitContext): string {
  const stmts = rule.stmts;
  // Decide right to left, so that a dependency is judged against the next statement that stays.
  let out = '';
  let next: Statement | undefined;
  for (let i = stmts.length - 1; i >= 0; i--) {
    if (isRedundantDependency(stmts[i], next, ctx.family)) continue;
    next = stmts[i];
    const text = formatStatement(stmts[i], ctx, stmts, i);
    out = out ? `${text} ${out}` : text;
  }
  if (rule.comment !== undefined) out += `${out ? ' ' : ''}comment "${rule.comment}"`;
  return out;
}
