/**
 * Values as a person types them in the rule builder (one chip, one text field)
 * ⇄ the model's value expressions. A chip is `22`, `ssh`, `1024-65535`,
 * `10.0.0.0/8`, `eth0` (quoted for the model), `$PORTS` or `@allowed`; each is
 * checked against the field's datatype so the message can stand next to the
 * field ("a port must be 0..65535 or a service name").
 */
import type { Expr } from '../../../src/model/expr.ts';
import type { DataType } from '../../../src/knowledge/expressions.ts';
import { formatIp4, ip4ToBig, ip6ToBig, parseInteger, protocolNumber, servicePort, symbolTable, unquote } from '../../../src/knowledge/datatypes.ts';
import { byteLength, nameProblem, quotedStringProblem } from '../../../src/knowledge/names.ts';
import { a } from '../../../src/lint/text.ts';

export type Parsed = { expr: Expr; problem?: undefined } | { expr?: undefined; problem: string };

const ETHER_RE = /^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/;
const WORD_RE = /^[A-Za-z0-9_./:-]+$/;
/** Linux interface names: IFNAMSIZ 16 bytes including the terminating NUL. */
const IFNAME_MAX = 15;

/** Types whose values are quoted strings in nft (`iifname "eth0"`). */
export function isStringType(type: DataType | undefined): boolean {
  return type === 'ifname' || type === 'iface_index' || type === 'string';
}

/** Types that have an order, so `a-b` ranges make sense. */
function takesRanges(type: DataType | undefined): boolean {
  return ['inet_service', 'inet_proto', 'ipv4_addr', 'ipv6_addr', 'ether_addr', 'mark', 'integer', 'uid', 'gid', 'icmp_type', 'icmpv6_type'].includes(type ?? '');
}

function typeWords(type: DataType | undefined): string {
  switch (type) {
    case 'ct_state':
      return 'a ct state';
    case 'ct_status':
      return 'a ct status';
    case 'tcp_flag':
      return 'a TCP flag';
    case 'icmp_type':
      return 'an ICMP type';
    case 'icmpv6_type':
      return 'an ICMPv6 type';
    case 'nfproto':
      return 'a layer 3 protocol';
    case 'pkt_type':
      return 'a packet type';
    case 'ct_dir':
      return 'a direction';
    case 'ether_type':
      return 'an EtherType';
    default:
      return a(type ?? 'value');
  }
}

function intProblem(text: string, max: bigint, what: string, range?: readonly [number, number]): string | undefined {
  const v = parseInteger(text);
  const lo = range ? BigInt(range[0]) : 0n;
  const hi = range ? BigInt(range[1]) : max;
  if (v === undefined) return `"${text}" is not a number: ${what} must be a number ${lo}..${hi} (or 0x… hex)`;
  if (v < lo || v > hi) return `${text} is out of range: ${what} must be ${lo}..${hi}`;
  return undefined;
}

/** Why one plain value (no range, no prefix) is not a value of `type`, or undefined. */
export function atomProblem(text: string, type: DataType | undefined, range?: readonly [number, number]): string | undefined {
  if (text === '') return 'empty value';
  if (text.startsWith('$')) {
    const p = nameProblem(text.slice(1), 'variable name');
    return p ? p.message : undefined;
  }
  switch (type) {
    case 'inet_service': {
      const port = servicePort(text);
      if (port === undefined || port > 65535) return `"${text}" is not a port: a port must be 0..65535 or a service name such as ssh or https`;
      return undefined;
    }
    case 'inet_proto': {
      const n = protocolNumber(text);
      if (n === undefined || n > 255) return `"${text}" is not a protocol: use a name such as tcp, udp, icmp or a number 0..255`;
      return undefined;
    }
    case 'ipv4_addr':
      return formatIp4(text) ? undefined : `"${text}" is not an IPv4 address (like 192.168.1.10, 10.0.0.0/8 or 10.0.0.1-10.0.0.9)`;
    case 'ipv6_addr':
      return ip6ToBig(text) !== undefined ? undefined : `"${text}" is not an IPv6 address (like 2001:db8::1 or 2001:db8::/32)`;
    case 'ether_addr':
      return ETHER_RE.test(text) ? undefined : `"${text}" is not a MAC address (like 00:11:22:33:44:55)`;
    case 'mark':
      return intProblem(text, 0xffffffffn, 'a mark', range);
    case 'integer':
      return intProblem(text, 0xffffffffn, 'the value', range);
    case 'uid':
    case 'gid':
      if (/^\d+$/.test(text)) return intProblem(text, 0xffffffffn, `a ${type}`, range);
      return /^[a-z_][a-z0-9_-]*\$?$/.test(text) ? undefined : `"${text}" is not a user or group name or number`;
    case 'ifname':
    case 'iface_index':
    case 'string': {
      const inner = unquote(text);
      const q = quotedStringProblem(inner, 'interface name');
      if (q) return q;
      if (inner === '') return 'the interface name is empty';
      if (byteLength(inner.replace(/\*$/, '')) > IFNAME_MAX) return `"${inner}" is too long: Linux interface names have at most ${IFNAME_MAX} characters`;
      if (/\s/.test(inner)) return 'an interface name cannot contain spaces';
      return undefined;
    }
    default: {
      const table = type ? symbolTable(type) : undefined;
      if (table) {
        if (Object.prototype.hasOwnProperty.call(table, text)) return undefined;
        const v = parseInteger(text);
        if (v !== undefined) return undefined;
        const names = Object.keys(table);
        const shown = names.slice(0, 8).join(', ');
        return `"${text}" is not ${typeWords(type)}: use ${names.length > 8 ? `one of ${shown}, …` : `one of ${shown}`}`;
      }
      return WORD_RE.test(text) ? undefined : `"${text}" is not a single value`;
    }
  }
}

/** Order key of an atom, to check that a range runs upwards. */
function atomOrder(text: string, type: DataType | undefined): bigint | undefined {
  switch (type) {
    case 'inet_service': {
      const p = servicePort(text);
      return p === undefined ? undefined : BigInt(p);
    }
    case 'inet_proto': {
      const n = protocolNumber(text);
      return n === undefined ? undefined : BigInt(n);
    }
    case 'ipv4_addr':
      return ip4ToBig(text);
    case 'ipv6_addr':
      return ip6ToBig(text);
    case 'ether_addr':
      return ETHER_RE.test(text) ? BigInt(`0x${text.split(':').map((b) => b.padStart(2, '0')).join('')}`) : undefined;
    default: {
      const table = type ? symbolTable(type) : undefined;
      if (table && text in table) return BigInt(table[text]);
      return parseInteger(text);
    }
  }
}

function atomExpr(text: string, type: DataType | undefined): Expr {
  if (text.startsWith('$')) return { kind: 'var', name: text.slice(1) };
  if (isStringType(type)) return { kind: 'value', text: `"${unquote(text)}"` };
  return { kind: 'value', text };
}

/**
 * One chip → a value expression: a value, `a-b` range, `addr/len` prefix,
 * `$variable` or `@set` (when `allowSetRef`).
 */
export function parseChip(raw: string, type: DataType | undefined, opts: { range?: readonly [number, number]; allowSetRef?: boolean } = {}): Parsed {
  const text = raw.trim();
  if (text === '') return { problem: 'empty value' };
  if (text.startsWith('@')) {
    if (!opts.allowSetRef) return { problem: 'a named set cannot be used here' };
    const p = nameProblem(text.slice(1), 'set name');
    return p ? { problem: p.message } : { expr: { kind: 'setref', name: text.slice(1) } };
  }
  const whole = atomProblem(text, type, opts.range);
  if (!whole) return { expr: atomExpr(text, type) };
  if (isStringType(type)) return { problem: whole };
  // prefix: 10.0.0.0/8, 2001:db8::/32
  const slash = text.lastIndexOf('/');
  if ((type === 'ipv4_addr' || type === 'ipv6_addr') && slash > 0) {
    const addr = text.slice(0, slash);
    const lenText = text.slice(slash + 1);
    const max = type === 'ipv4_addr' ? 32 : 128;
    const ap = atomProblem(addr, type);
    if (ap) return { problem: ap };
    if (!/^\d+$/.test(lenText) || Number(lenText) > max) return { problem: `"/${lenText}" is not a prefix length: use /0../${max}` };
    return { expr: { kind: 'prefix', addr: { kind: 'value', text: addr }, len: Number(lenText) } };
  }
  // range: a-b (the first "-" that splits the text into two good values)
  if (takesRanges(type) && text.includes('-')) {
    for (let i = text.indexOf('-'); i > 0; i = text.indexOf('-', i + 1)) {
      const a = text.slice(0, i);
      const b = text.slice(i + 1);
      if (atomProblem(a, type, opts.range) || atomProblem(b, type, opts.range)) continue;
      const oa = atomOrder(a, type);
      const ob = atomOrder(b, type);
      if (oa !== undefined && ob !== undefined && oa > ob) return { problem: `the range ${text} runs backwards: write the lower value first` };
      return { expr: { kind: 'range', from: atomExpr(a, type), to: atomExpr(b, type) } };
    }
  }
  return { problem: whole };
}

/** The chip text of a value expression, or undefined when it is not one chip. */
export function chipText(e: Expr): string | undefined {
  switch (e.kind) {
    case 'value':
      return e.text.length >= 2 && e.text.startsWith('"') && e.text.endsWith('"') ? e.text.slice(1, -1) : e.text;
    case 'var':
      return `$${e.name}`;
    case 'setref':
      return `@${e.name}`;
    case 'range': {
      const a = chipText(e.from);
      const b = chipText(e.to);
      return a !== undefined && b !== undefined && (e.from.kind === 'value' || e.from.kind === 'var') && (e.to.kind === 'value' || e.to.kind === 'var') ? `${a}-${b}` : undefined;
    }
    case 'prefix':
      return e.addr.kind === 'value' ? `${e.addr.text}/${e.len}` : undefined;
    default:
      return undefined;
  }
}

/** A positive (or non-negative) whole number typed in a field, with its message. */
export function parseCount(text: string, what: string, opts: { min?: number; max?: number } = {}): { value?: number; problem?: string } {
  const t = text.trim();
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(t)) return { problem: `${what} must be a whole number${opts.max !== undefined ? ` ${min}..${max}` : ''}` };
  const v = Number(t);
  if (v < min || v > max) return { problem: `${what} must be ${min}..${max}; ${t} is out of range` };
  return { value: v };
}
