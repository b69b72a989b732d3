/**
 * A packet described in nft's own words: `iif "eth0" ip saddr 203.0.113.9
 * ip daddr 198.18.0.1 tcp sport 40000 tcp dport 8888 tcp flags syn`. Each part is
 * read by the core's rule parser (a selector and a value, as in a match), so the
 * words, values and symbols are the ones the rest of the core knows. What is left
 * out gets a default, and every default is stated in the result.
 *
 * A part naming something the packet itself cannot say (`fib daddr type local`,
 * `socket transparent 1`, `meta skuid 1000`, `meta hour "10:00"`) is an
 * assumption the user sets: the trace reads that expression's value from it.
 */
import type { Expr } from '../model/expr.ts';
import { tokenize, Tok } from '../parse/lexer.ts';
import { parseRuleTokens } from '../parse/statements.ts';
import { formatSelector } from '../emit/selectors.ts';
import { exprType, unquote, valueOrder } from '../knowledge/datatypes.ts';
import { payloadField } from '../knowledge/expressions.ts';
import type { Val } from './context.ts';

export type L3 = 'ip' | 'ip6';
export const L4_PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'dccp', 'udplite'] as const;
export type L4 = (typeof L4_PROTOCOLS)[number];

export interface Packet {
  l3: L3;
  l4: L4;
  /** every field by its selector as nft lists it (`ip saddr`, `tcp dport`, `iif`, `meta mark`) */
  fields: Map<string, Val>;
  /** values given for expressions the packet cannot say (fib, socket, rt, meta time …) */
  assumed: Map<string, Val>;
  /** what was left out and what it was taken to be */
  defaults: string[];
}

export class PacketSpecError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

const L4_NUMBERS: Readonly<Record<L4, number>> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58, sctp: 132, dccp: 33, udplite: 136 };
const isL4 = (p: string): p is L4 => (L4_PROTOCOLS as readonly string[]).includes(p);

/** Expressions the packet's own bytes and its arrival say; anything else in a spec is an assumption. */
function isPacketField(e: Expr): boolean {
  return e.kind === 'payload' || (e.kind === 'meta' && ['iif', 'iifname', 'oif', 'oifname', 'mark', 'l4proto', 'nfproto', 'protocol', 'length', 'pkttype', 'priority'].includes(e.key));
}

/** The value a spec or a rule gives, in the selector's datatype: a number, or a string for names. */
export function valueIn(e: Expr, text: string): Val | undefined {
  const type = exprType(e);
  if (type === 'ifname' || type === 'iface_index' || type === 'string') return unquote(text);
  return valueOrder(text, type);
}

/** Read a packet spec. Throws PacketSpecError naming the column of what is wrong. */
export function parsePacket(spec: string): Packet {
  if (spec.length > 4096) throw new PacketSpecError(1, 'a packet description is at most 4096 characters');
  const ts = tokenize(spec);
  let end = ts.kind.length;
  while (end > 0 && (ts.kind[end - 1] === Tok.EOF || ts.kind[end - 1] === Tok.Newline)) end--;
  const parsed = parseRuleTokens(ts, 0, end);
  const col = (token: number): number => (ts.start[token] ?? 0) + 1;
  if (parsed.raw) throw new PacketSpecError(col(parsed.raw.token), `cannot read the packet: ${parsed.raw.reason}`);
  if (parsed.tooDeep) throw new PacketSpecError(col(parsed.tooDeep.token), parsed.tooDeep.reason);
  const fields = new Map<string, Val>();
  const assumed = new Map<string, Val>();
  let l3: L3 | undefined;
  let l4: L4 | undefined;
  // where a selector's value starts in the spec (statements carry no positions): after the selector's words
  let searchFrom = 0;
  const colOf = (key: string, value: string): number => {
    const k = spec.indexOf(key, searchFrom);
    const at = spec.indexOf(value, k >= 0 ? k + key.length : searchFrom);
    if (at >= 0) searchFrom = at + value.length;
    return at >= 0 ? at + 1 : k >= 0 ? k + 1 : 1;
  };
  for (const s of parsed.stmts) {
    if (s.kind !== 'match' || (s.op !== 'implicit' && s.op !== '==')) throw new PacketSpecError(1, 'a packet is described by selectors and values only (`ip saddr 192.0.2.1 tcp dport 22`)');
    const key = formatSelector(s.left);
    const shownText = s.right.kind === 'value' ? s.right.text : '';
    const column = colOf(key, shownText);
    let v: Val | undefined;
    if (s.right.kind === 'value') v = valueIn(s.left, s.right.text);
    else if (s.right.kind === 'list') {
      // flags: `tcp flags syn,ack`
      let bits = 0n;
      for (const i of s.right.items) {
        const b = i.kind === 'value' ? valueIn(s.left, i.text) : undefined;
        if (typeof b !== 'bigint') throw new PacketSpecError(column, `${key}: a list of flags must hold flag names or numbers`);
        bits |= b;
      }
      v = bits;
    }
    if (v === undefined) throw new PacketSpecError(column, `${key}: "${s.right.kind === 'value' ? s.right.text : s.right.kind}" is not a value of ${key}`);
    // a number wider than its header field (`tcp dport 99999`, `ip ttl 300`) is no packet
    const bits = s.left.kind === 'payload' ? payloadField(s.left.protocol, s.left.field)?.bits : undefined;
    if (typeof v === 'bigint' && bits !== undefined && bits < 64 && v >= 1n << BigInt(bits)) {
      throw new PacketSpecError(column, `${key}: ${shownText || v.toString()} does not fit in its ${bits} bits (at most ${((1n << BigInt(bits)) - 1n).toString()})`);
    }
    if (!isPacketField(s.left)) {
      assumed.set(key, v);
      continue;
    }
    if (s.left.kind === 'payload') {
      const p = s.left.protocol;
      if (p === 'ip' || p === 'ip6') {
        if (l3 && l3 !== p) throw new PacketSpecError(1, 'a packet is IPv4 (ip …) or IPv6 (ip6 …), not both');
        l3 = p;
      } else if (isL4(p)) {
        if (l4 && l4 !== p) throw new PacketSpecError(1, `a packet has one transport header: ${l4} or ${p}, not both`);
        l4 = p;
      }
    }
    if (key === 'meta l4proto' || key === 'ip protocol' || key === 'ip6 nexthdr') {
      const name = Object.entries(L4_NUMBERS).find(([, n]) => BigInt(n) === v)?.[0];
      if (name && isL4(name)) l4 = name;
    }
    fields.set(key, v);
  }
  const defaults: string[] = [];
  const dflt = (key: string, v: Val, shown: string): void => {
    if (fields.has(key)) return;
    fields.set(key, v);
    defaults.push(`${key} ${shown}`);
  };
  if (!l3) {
    l3 = 'ip';
    defaults.push('IPv4 (no ip or ip6 field given)');
  }
  if (!l4) {
    l4 = 'tcp';
    defaults.push('TCP (no transport protocol given)');
  }
  const ip = l3;
  if (ip === 'ip') {
    dflt('ip saddr', valueOrder('203.0.113.10', 'ipv4_addr') ?? 0n, '203.0.113.10');
    dflt('ip daddr', valueOrder('198.51.100.1', 'ipv4_addr') ?? 0n, '198.51.100.1');
    dflt('ip ttl', 64n, '64');
    dflt('ip protocol', BigInt(L4_NUMBERS[l4]), l4);
    dflt('ip version', 4n, '4');
    dflt('ip hdrlength', 5n, '5');
    dflt('ip dscp', 0n, 'cs0');
    dflt('ip ecn', 0n, 'not-ect');
    dflt('ip frag-off', l4 === 'tcp' ? 0x4000n : 0n, l4 === 'tcp' ? '0x4000 (DF)' : '0x0');
  } else {
    dflt('ip6 saddr', valueOrder('2001:db8::10', 'ipv6_addr') ?? 0n, '2001:db8::10');
    dflt('ip6 daddr', valueOrder('2001:db8::1', 'ipv6_addr') ?? 0n, '2001:db8::1');
    dflt('ip6 hoplimit', 64n, '64');
    dflt('ip6 nexthdr', BigInt(L4_NUMBERS[l4]), l4);
    dflt('ip6 version', 6n, '6');
    dflt('ip6 dscp', 0n, 'cs0');
    dflt('ip6 ecn', 0n, 'not-ect');
    dflt('ip6 flowlabel', 0n, '0');
  }
  if (l4 === 'tcp' || l4 === 'udp' || l4 === 'sctp' || l4 === 'dccp' || l4 === 'udplite') {
    dflt(`${l4} sport`, 40000n, '40000');
    dflt(`${l4} dport`, 80n, '80');
  }
  if (l4 === 'tcp') {
    dflt('tcp flags', 2n, 'syn');
    dflt('tcp sequence', 1000n, '1000');
    dflt('tcp ackseq', 0n, '0');
    dflt('tcp window', 64240n, '64240');
    dflt('tcp doff', 10n, '10');
    dflt('tcp urgptr', 0n, '0');
  }
  if (l4 === 'icmp') {
    dflt('icmp type', 8n, 'echo-request');
    dflt('icmp code', 0n, '0');
    dflt('icmp id', 1n, '1');
    dflt('icmp sequence', 1n, '1');
  }
  if (l4 === 'icmpv6') {
    dflt('icmpv6 type', 128n, 'echo-request');
    dflt('icmpv6 code', 0n, '0');
    dflt('icmpv6 id', 1n, '1');
    dflt('icmpv6 sequence', 1n, '1');
  }
  dflt('meta mark', 0n, '0');
  dflt('meta length', l4 === 'tcp' ? 60n : l4 === 'udp' ? 40n : 84n, l4 === 'tcp' ? '60' : l4 === 'udp' ? '40' : '84');
  dflt('meta pkttype', 0n, 'host');
  dflt('meta priority', 0n, 'none');
  fields.set('meta l4proto', BigInt(L4_NUMBERS[l4]));
  fields.set('meta nfproto', ip === 'ip' ? 2n : 10n);
  fields.set('meta protocol', ip === 'ip' ? 0x0800n : 0x86ddn);
  if (fields.has('iif') && !fields.has('iifname')) fields.set('iifname', fields.get('iif') ?? '');
  if (fields.has('iifname') && !fields.has('iif')) fields.set('iif', fields.get('iifname') ?? '');
  if (fields.has('oif') && !fields.has('oifname')) fields.set('oifname', fields.get('oif') ?? '');
  if (fields.has('oifname') && !fields.has('oif')) fields.set('oif', fields.get('oifname') ?? '');
  return { l3: ip, l4, fields, assumed, defaults };
}

/** The protocol number of a transport protocol name. */
export function l4Number(l4: L4): number {
  return L4_NUMBERS[l4];
}
