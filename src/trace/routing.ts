/**
 * The host the trace runs on, as far as routing goes: its interfaces with their
 * addresses (each address is the host's own, and its prefix is a connected
 * route out of that interface) and further routes. The routing decision picks,
 * by the longest prefix, the interface a forwarded or locally sent packet
 * leaves by (`meta oif`/`oifname` from the forward hook on), and masquerade and
 * redirect take that interface's (or the incoming one's) first address.
 */
import { ip4ToBig, ip6ToBig } from '../knowledge/datatypes.ts';
import type { Val } from './context.ts';

export interface HostInterface {
  /** the interface's name (`eth1`) */
  name: string;
  /** its addresses with their prefix lengths (`198.18.1.1/24`, `2001:2::1/64`) */
  addrs: readonly string[];
}

export interface HostRoute {
  /** a prefix (`0.0.0.0/0`, `198.19.0.0/16`, `::/0`) */
  to: string;
  /** the interface it leaves by */
  dev: string;
}

interface Prefix {
  v6: boolean;
  addr: bigint;
  len: number;
  dev: string;
}

export class RoutingError extends Error {}

/** An interface written as `eth1=198.18.1.1/24[,2001:2::1/64]` (the CLI's --iface, the Trace panel's field). */
export function interfaceOf(text: string): HostInterface {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new RoutingError(`"${text}": expected NAME=ADDR/LEN[,ADDR/LEN], as eth1=198.18.1.1/24`);
  return { name: text.slice(0, eq).trim(), addrs: text.slice(eq + 1).split(',').map((a) => a.trim()).filter(Boolean) };
}

function prefixOf(text: string, dev: string, what: string): Prefix {
  const [a, l, more] = text.trim().split('/');
  const v6 = a.includes(':');
  const addr = v6 ? ip6ToBig(a) : ip4ToBig(a);
  const bits = v6 ? 128 : 32;
  const len = l === undefined ? bits : /^\d+$/.test(l) ? Number(l) : NaN;
  if (addr === undefined || more !== undefined || !(len >= 0 && len <= bits)) throw new RoutingError(`${what} "${text}": expected an address with a prefix length, as 198.18.1.1/24 or 2001:2::1/64`);
  return { v6, addr, len, dev };
}

const masked = (p: { v6: boolean; addr: bigint }, len: number): bigint => {
  const bits = BigInt(p.v6 ? 128 : 32);
  const host = bits - BigInt(len);
  return (p.addr >> host) << host;
};

export class Routing {
  private readonly prefixes: Prefix[] = [];
  private readonly own: Prefix[] = [];

  constructor(interfaces: readonly HostInterface[] = [], routes: readonly HostRoute[] = []) {
    for (const i of interfaces) {
      if (!/^[^\s"/]{1,15}$/.test(i.name)) throw new RoutingError(`interface "${i.name}": not an interface name (1 to 15 characters, no spaces, quotes or /)`);
      for (const a of i.addrs) {
        const p = prefixOf(a, i.name, `interface ${i.name}: address`);
        this.own.push(p);
        this.prefixes.push(p);
      }
    }
    for (const r of routes) this.prefixes.push(prefixOf(r.to, r.dev, 'route'));
  }

  /** the host's own addresses (of its interfaces) */
  addresses(): bigint[] {
    return this.own.map((p) => p.addr);
  }

  /** the interface a packet to DADDR leaves by (the longest matching prefix), or undefined when no route is known */
  route(daddr: Val | undefined, v6: boolean): string | undefined {
    if (typeof daddr !== 'bigint') return undefined;
    let best: Prefix | undefined;
    for (const p of this.prefixes) {
      if (p.v6 !== v6 || masked({ v6, addr: daddr }, p.len) !== masked(p, p.len)) continue;
      if (!best || p.len > best.len) best = p;
    }
    return best?.dev;
  }

  /** the first address of interface DEV in the family, as masquerade (outgoing) and redirect (incoming) take it */
  addressOf(dev: string | undefined, v6: boolean): bigint | undefined {
    return this.own.find((p) => p.dev === dev && p.v6 === v6)?.addr;
  }
}
