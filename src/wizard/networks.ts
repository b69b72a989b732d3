/**
 * Source networks for the per-source synproxy map: `192.168.1.0/24`,
 * `2001:db8::/32`, or a single address. Parsed into a canonical network (host
 * bits cleared, the way nft stores and lists it) with its address range, so the
 * wizard can check the family and reject overlapping entries, which nft refuses
 * in an interval map ("conflicting intervals specified").
 */
import { bigToIp4, bigToIp6, ip4ToBig, ip6ToBig } from '../knowledge/datatypes.ts';

export type AddressFamily = 'ip' | 'ip6';

export interface Network {
  af: AddressFamily;
  /** canonical network address (host bits cleared) */
  addr: string;
  /** prefix length; 32 / 128 for a single address */
  len: number;
  /** first and last address, as numbers */
  lo: bigint;
  hi: bigint;
  /** the canonical text: `addr/len`, or just `addr` for a single address (nft lists a /32 that way) */
  text: string;
  /** true when the input had host bits set (`192.168.1.5/24`) */
  hostBits: boolean;
}

export type NetworkResult = { ok: true; network: Network } | { ok: false; message: string };

const BITS: Record<AddressFamily, number> = { ip: 32, ip6: 128 };

export function parseNetwork(input: string): NetworkResult {
  const text = input.trim();
  if (!text) return { ok: false, message: 'the network is empty; write an address or a prefix such as 192.168.1.0/24' };
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const lenText = slash < 0 ? undefined : text.slice(slash + 1);
  let af: AddressFamily;
  let value: bigint | undefined;
  if (addrText.includes(':')) {
    af = 'ip6';
    value = ip6ToBig(addrText);
  } else {
    af = 'ip';
    value = ip4ToBig(addrText);
  }
  if (value === undefined) {
    return { ok: false, message: `"${short(addrText)}" is not an IPv4 or IPv6 address` };
  }
  const bits = BITS[af];
  let len = bits;
  if (lenText !== undefined) {
    if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > bits) {
      return { ok: false, message: `the prefix length "/${short(lenText)}" must be a number from 0 to ${bits} for an ${af === 'ip' ? 'IPv4' : 'IPv6'} network` };
    }
    len = Number(lenText);
  }
  const width = BigInt(bits);
  const all = (1n << width) - 1n;
  const hostMask = len === bits ? 0n : (1n << BigInt(bits - len)) - 1n;
  const lo = value & (all ^ hostMask);
  const hi = lo | hostMask;
  const addr = af === 'ip' ? bigToIp4(lo) : bigToIp6(lo);
  return {
    ok: true,
    network: { af, addr, len, lo, hi, text: len === bits ? addr : `${addr}/${len}`, hostBits: lo !== value },
  };
}

export function overlaps(a: Network, b: Network): boolean {
  return a.af === b.af && a.lo <= b.hi && b.lo <= a.hi;
}

function short(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return t.length > 50 ? `${t.slice(0, 47)}...` : t;
}
