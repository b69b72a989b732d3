/**
 * Single values between the model's nft spelling (`ssh`, `0x10`, `"eth0"`) and
 * libnftables JSON. nft writes numbers as JSON numbers where the datatype is a
 * plain integer (ports, marks, lengths) and strings where it has a symbol or a
 * textual form (`"tcp"`, `"established"`, addresses, interface names without
 * their quotes); on input it accepts either, since both become a symbol that the
 * datatype parses. We write what nft writes, so our JSON reads like its own.
 */
import {
  formatIp4,
  formatIp6,
  formatValue,
  parseInteger,
  protocolNumber,
  servicePort,
  symbolTable,
  type DataType,
} from '../knowledge/datatypes.ts';

/** What the emitter accepts as one unquoted token (emit/validate.ts TOKEN_RE). */
const BARE_RE = /^(?:[A-Za-z0-9_./:-]+\*?|\[[0-9A-Fa-f:.]+\])$/;
const INT_RE = /^-?\d+$/;

export type JsonImmediate = string | number | boolean;

export function isQuoted(text: string): boolean {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"');
}

export function unquoted(text: string): string {
  return isQuoted(text) ? text.slice(1, -1) : text;
}

function safeNumber(v: bigint | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Integer datatypes that nft prints as JSON numbers. */
const NUMERIC_TYPES: ReadonlySet<DataType> = new Set<DataType>(['mark', 'integer', 'uid', 'gid', 'devgroup', 'realm', 'ct_label']);

/** One model value (nft text) as the JSON immediate nft would write for `type`. */
export function jsonImmediate(text: string, type: DataType | undefined): JsonImmediate {
  if (isQuoted(text)) return text.slice(1, -1);
  if (text === 'exists') return true;
  if (text === 'missing') return false;
  if (type === 'inet_service') return servicePort(text) ?? text;
  if (type === 'inet_proto') {
    const name = formatValue(text, type);
    return INT_RE.test(name) ? (safeNumber(protocolNumber(name)) ?? name) : name;
  }
  if (type && NUMERIC_TYPES.has(type)) return safeNumber(parseInteger(text)) ?? text;
  // a number for every version: nft 1.0.6 reads no subtype names
  if (type === 'mptcp_subtype') return safeNumber(parseInteger(text) ?? symbolTable(type)?.[text]) ?? text;
  if (type && symbolTable(type)) {
    // a number with a symbol is written as the symbol (`8` → "echo-request")
    const name = formatValue(text, type);
    return INT_RE.test(name) ? (safeNumber(Number(name)) ?? name) : name;
  }
  if (type === 'ipv4_addr') return formatIp4(text) ?? text;
  if (type === 'ipv6_addr') return formatIp6(unbracketed(text)) ?? text;
  return plainNumber(text) ?? text;
}

/** `22`, `-1`, `0x10` as a number, when it is one that JSON can hold exactly. */
function plainNumber(text: string): number | undefined {
  let n: number | undefined;
  if (INT_RE.test(text)) n = Number(text);
  else if (/^0x[0-9a-fA-F]+$/.test(text)) n = Number.parseInt(text, 16);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function unbracketed(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}

/** Datatypes whose values nft lists in double quotes. */
const QUOTED_TYPES: ReadonlySet<DataType> = new Set<DataType>(['ifname', 'string', 'iface_index', 'date', 'day', 'hour']);

/**
 * A JSON immediate as model text, the way the parser stores what nft lists:
 * quoted where nft quotes it (`iifname "lo"`, `meta day "Monday"`, anything that
 * is not one bare token), booleans as `exists`/`missing`.
 */
export function modelText(v: JsonImmediate, type: DataType | undefined): string {
  if (typeof v === 'boolean') return v ? 'exists' : 'missing';
  if (typeof v === 'number') return String(v);
  if (needsQuotes(v, type)) return `"${v}"`;
  return v;
}

function needsQuotes(s: string, type: DataType | undefined): boolean {
  if (type && QUOTED_TYPES.has(type)) return true;
  return !BARE_RE.test(s);
}
