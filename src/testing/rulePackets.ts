/**
 * Packets that should meet each rule, for the kernel lab (src/testing/traceLab.ts):
 * for every rule of a chain that an IPv4 packet arriving on the host's eth0 meets
 * (the filter base chains of prerouting and input of `ip` and `inet` tables and,
 * with a way out to forward by, of forward; and the chains they jump or go to),
 * the fields its matches ask for — together with
 * those of the rules that jump there — turned into hping3 arguments. A rule that
 * asks for what a packet from the wire cannot carry (a mark, an established
 * connection, another interface, IPv6, a negation) gets no packet, with the reason.
 */
import type { Expr } from '../model/expr.ts';
import type { Chain, Ruleset, Table } from '../model/types.ts';
import { formatSelector } from '../emit/selectors.ts';
import { formatRule } from '../emit/statements.ts';
import { exprType, valueOrder } from '../knowledge/datatypes.ts';
import { oneValue } from '../trace/values.ts';
import { trace, type TraceOptions } from '../trace/evaluate.ts';

export interface RulePacket {
  table: string;
  chain: string;
  /** the rule as the emitter prints it */
  rule: string;
  ruleId: string;
  /** hping3 arguments, without the destination */
  hping: string[];
  /** the destination address (the host's own: an address the lab adds to the host when it is not HOST; forwarded: any other) */
  daddr: string;
  /** made for a rule of a forward chain: the host forwards it out of eth1 */
  forward?: boolean;
  /** with `evaluate`: whether the evaluator shows the packet reaching its rule (false: no variant tried gets past the rules above it) */
  reaches?: boolean;
}

export interface NoPacket {
  table: string;
  chain: string;
  rule: string;
  why: string;
}

const FLAG_ARG: Readonly<Record<string, string>> = { syn: '-S', ack: '-A', fin: '-F', rst: '-R', psh: '-P', urg: '-U', ecn: '-X', cwr: '-Y' };
const ICMP_TYPES: Readonly<Record<string, number>> = { 'echo-reply': 0, 'destination-unreachable': 3, 'echo-request': 8, 'time-exceeded': 11, 'parameter-problem': 12, timestamp: 13, 'timestamp-request': 13 };

/** A unicast IPv4 address a packet can come from (not loopback, multicast, this network or the lab's own). */
function usableSource(a: string, own: readonly string[]): boolean {
  const o = a.split('.').map(Number);
  if (o.length !== 4 || o.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return false;
  return o[0] !== 0 && o[0] !== 127 && o[0] < 224 && !own.includes(a) && a !== '255.255.255.255';
}

/** The first usable address of a value: a prefix's network address + 1 (a host, not the network). */
function addressOf(e: Expr): string | undefined {
  if (e.kind === 'prefix' && e.addr.kind === 'value' && e.len <= 30) {
    const o = e.addr.text.split('.').map(Number);
    if (o.length !== 4) return undefined;
    o[3] += 1;
    return o.join('.');
  }
  if (e.kind === 'set' && e.elements.length) return addressOf(e.elements[0].key);
  return oneValue(e);
}

type Fields = Map<string, string>;

/** Add the fields RULE's matches ask for; a string is why no packet can. */
function addFields(rule: Chain['rules'][number], table: Table, into: Fields, forward: boolean): string | undefined {
  for (const s of rule.stmts) {
    if (s.kind !== 'match') continue;
    if (s.op !== 'implicit' && s.op !== '==') return `a "${s.op}" match`;
    const key = formatSelector(s.left);
    let right: Expr | undefined = s.right;
    if (right.kind === 'setref') {
      const set = table.sets.find((x) => x.name === (right as { name: string }).name);
      right = set?.elements[0]?.key;
      if (!right) return `an empty or unknown set in "${key}"`;
    }
    let v: string | undefined;
    switch (key) {
      case 'ip saddr':
      case 'ip daddr':
        v = addressOf(right);
        break;
      case 'tcp sport':
      case 'tcp dport':
      case 'udp sport':
      case 'udp dport':
      case 'th dport':
      case 'th sport': {
        const t = oneValue(right);
        const n = t === undefined ? undefined : valueOrder(t, exprType(s.left));
        v = typeof n === 'number' || typeof n === 'bigint' ? String(n) : undefined;
        break;
      }
      case 'tcp flags':
        v = right.kind === 'list' ? right.items.map((i) => oneValue(i)).join(',') : oneValue(right);
        break;
      case 'icmp type': {
        const t = oneValue(right);
        v = t !== undefined && t in ICMP_TYPES ? String(ICMP_TYPES[t]) : undefined;
        break;
      }
      case 'ip protocol':
      case 'meta l4proto': {
        const t = oneValue(right);
        v = t === 'tcp' || t === 'udp' || t === 'icmp' ? t : undefined;
        break;
      }
      case 'ct state': {
        const states = right.kind === 'list' ? right.items.map((i) => oneValue(i)) : [oneValue(right)];
        // new: a SYN; invalid: a lone FIN, which conntrack takes for no connection's
        v = states.includes('new') ? 'new' : states.includes('invalid') ? 'invalid' : undefined;
        break;
      }
      case 'iif':
      case 'iifname':
        v = oneValue(right) === '"eth0"' ? 'eth0' : undefined;
        break;
      case 'oif':
      case 'oifname':
        // a forwarded packet leaves by eth1; before routing (prerouting, input) there is no oif to match
        if (!forward) return `"${key}" before the routing decision`;
        v = oneValue(right) === '"eth1"' ? 'eth1' : undefined;
        break;
      case 'meta nfproto':
        v = oneValue(right) === 'ipv4' ? 'ipv4' : undefined;
        break;
      default:
        return `"${key}" is not something a packet sent from the client carries`;
    }
    if (v === undefined) return `"${formatSelector(s.left)}" asks for a value the lab cannot send`;
    if (key === 'ct state' && v === 'invalid') into.set('l4', into.get('l4') ?? 'tcp');
    const proto = key.split(' ')[0];
    const l4 = key === 'ip protocol' || key === 'meta l4proto' ? v : proto === 'th' ? into.get('l4') : ['tcp', 'udp', 'icmp'].includes(proto) ? proto : undefined;
    if (l4 !== undefined) {
      if (into.has('l4') && into.get('l4') !== l4) return 'two protocols in one path';
      if (l4) into.set('l4', l4);
      if (proto === 'th' && !l4) into.set('l4', 'tcp');
    }
    const prev = into.get(key);
    if (prev !== undefined && prev !== v && key !== 'ip protocol' && key !== 'meta l4proto') return `two values of "${key}" in one path`;
    into.set(key, v);
  }
  return undefined;
}

function hpingOf(f: Fields, client: string, host: string, sport: number, forwardTo: string | undefined): { hping: string[]; daddr: string } | string {
  const l4 = f.get('l4') ?? 'tcp';
  const args: string[] = [];
  const saddr = f.get('ip saddr');
  if (saddr !== undefined) {
    if (!usableSource(saddr, [host])) return `the source ${saddr} cannot come from the wire`;
    if (saddr !== client) args.push('-a', saddr);
  }
  const daddr = f.get('ip daddr') ?? forwardTo ?? host;
  if (!usableSource(daddr, [client])) return `the destination ${daddr} cannot be the host's`;
  if (forwardTo && daddr === host) return 'a forwarded packet to the host\'s own address';
  const port = (k: string): string | undefined => f.get(`${l4} ${k}`) ?? f.get(`th ${k}`);
  if (l4 === 'icmp') args.push('-1', '--icmptype', f.get('icmp type') ?? '8');
  else {
    if (l4 === 'udp') args.push('-2');
    args.push('-s', port('sport') ?? String(sport), '-k', '-p', port('dport') ?? '9999');
    if (l4 === 'tcp') {
      const invalid = f.get('ct state') === 'invalid';
      const flags = (f.get('tcp flags') ?? (invalid ? 'fin' : 'syn')).split(',');
      if (invalid && flags.includes('syn')) return 'an invalid packet with SYN';
      for (const fl of flags) {
        const a = FLAG_ARG[fl];
        if (!a) return `tcp flag ${fl}`;
        args.push(a);
      }
      if (!flags.includes('syn') && f.get('ct state') === 'new') return 'a new connection without SYN';
    }
  }
  return { hping: args, daddr };
}

/** The packet hping3 sends for FIELDS, in nft's words (the evaluator's input). */
function specOfFields(f: Fields, client: string, daddr: string): string {
  const l4 = f.get('l4') ?? 'tcp';
  const parts = ['iif "eth0"', `ip saddr ${f.get('ip saddr') ?? client}`, `ip daddr ${daddr}`];
  const port = (k: string): string | undefined => f.get(`${l4} ${k}`) ?? f.get(`th ${k}`);
  if (l4 === 'icmp') parts.push(`icmp type ${f.get('icmp type') ?? 'echo-request'}`);
  else {
    parts.push(`${l4} sport ${port('sport') ?? '20000'}`, `${l4} dport ${port('dport') ?? '9999'}`);
    if (l4 === 'tcp') parts.push(`tcp flags ${f.get('tcp flags') ?? (f.get('ct state') === 'invalid' ? 'fin' : 'syn')}`);
  }
  return parts.join(' ');
}

/**
 * Packets that ask for the same as FIELDS and differ in what the rule leaves
 * open — the protocol, the flags, the ports, the source — the one the rule asks
 * for first: the evaluator picks among them one that reaches the rule (a packet
 * made for a rule is often decided by a rule above it).
 */
function variants(f: Fields, client: string): Fields[] {
  const out: Fields[] = [f];
  const l4s = f.has('l4') ? [f.get('l4') as string] : ['tcp', 'udp', 'icmp'];
  for (const l4 of l4s) {
    const flags = l4 === 'tcp' && !f.has('tcp flags') && !f.has('ct state') ? ['syn', 'ack', 'fin'] : [undefined];
    const ports = l4 !== 'icmp' && !f.has(`${l4} dport`) && !f.has('th dport') ? ['9999', '22', '80', '443', '53', '8080', '1'] : [undefined];
    const sources = f.has('ip saddr') ? [undefined] : [client, '203.0.113.7', '10.0.0.1', '192.168.1.10'];
    for (const fl of flags) for (const port of ports) for (const src of sources) {
      const v = new Map(f);
      if (!f.has('l4')) v.set('l4', l4);
      if (fl) v.set('tcp flags', fl);
      if (port) v.set(`${l4} dport`, port);
      if (src && src !== client) v.set('ip saddr', src);
      out.push(v);
    }
  }
  return out;
}

/**
 * A packet for each rule the lab can reach, and why not for the others. With
 * `evaluate` (the lab's interfaces and sysctls), each rule gets the first of its
 * variants that the evaluator shows reaching it, when one does.
 */
export function packetsForRules(rs: Ruleset, client: string, host: string, opts: { forwardTo?: string; evaluate?: TraceOptions } = {}): { packets: RulePacket[]; none: NoPacket[] } {
  const packets: RulePacket[] = [];
  const none: NoPacket[] = [];
  let sport = 20000;
  const seen = new Set<string>();
  for (const table of rs.tables) {
    if (table.family !== 'ip' && table.family !== 'inet') continue;
    const byName = new Map(table.chains.map((c) => [c.name, c]));
    // explicit stack: (chain, the fields the path there asks for, depth)
    const hooks = opts.forwardTo ? ['prerouting', 'input', 'forward'] : ['prerouting', 'input'];
    const todo: { chain: Chain; path: Fields; depth: number; forward: boolean }[] = table.chains
      .filter((c) => c.base && c.base.type === 'filter' && hooks.includes(c.base.hook))
      .map((chain) => ({ chain, path: new Map<string, string>(), depth: 0, forward: chain.base?.hook === 'forward' }));
    while (todo.length) {
      const { chain, path, depth, forward } = todo.pop()!;
      for (const rule of chain.rules) {
        const text = formatRule(rule, { family: table.family });
        const where = { table: table.name, chain: chain.name, rule: text };
        const f = new Map(path);
        const why = addFields(rule, table, f, forward);
        if (why) {
          if (!seen.has(rule.id)) none.push({ ...where, why });
          seen.add(rule.id);
          continue;
        }
        const verdict = rule.stmts.find((s) => s.kind === 'verdict');
        if (verdict?.kind === 'verdict' && (verdict.verdict === 'jump' || verdict.verdict === 'goto') && verdict.target && depth < 16) {
          const next = byName.get(verdict.target);
          if (next) todo.push({ chain: next, path: f, depth: depth + 1, forward });
        }
        if (seen.has(rule.id)) continue;
        seen.add(rule.id);
        let h = hpingOf(f, client, host, sport, forward ? opts.forwardTo : undefined);
        let reaches: boolean | undefined;
        if (opts.evaluate && typeof h !== 'string') {
          reaches = false;
          for (const v of variants(f, client)) {
            const hv = hpingOf(v, client, host, sport, forward ? opts.forwardTo : undefined);
            if (typeof hv === 'string') continue;
            // an address of the host's other than HOST: the lab adds it to the host
            const o = !forward && hv.daddr !== host ? { ...opts.evaluate, hostAddrs: [...(opts.evaluate.hostAddrs ?? []), hv.daddr] } : opts.evaluate;
            const r = trace(rs, [specOfFields(v, client, hv.daddr)], o).packets[0];
            if (r.ruleIds.includes(rule.id)) {
              h = hv;
              reaches = true;
              break;
            }
          }
        }
        sport++;
        if (typeof h === 'string') none.push({ ...where, why: h });
        else packets.push({ ...where, ruleId: rule.id, ...h, ...(forward ? { forward } : {}), ...(reaches === undefined ? {} : { reaches }) });
      }
    }
  }
  return { packets, none };
}
