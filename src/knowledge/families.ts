/**
 * Which chain types and hooks each family accepts, verified on nft 1.0.6 with a
 * 6.18 kernel by loading every family × type × hook combination in a private
 * network namespace. (arp has no forward hook: nft 1.0.6 parses `hook forward`
 * in an arp table, but the kernel rejects it.)
 */
import type { ChainType, Family, Hook } from '../model/types.ts';

export { CHAIN_TYPES, FAMILIES, HOOKS } from './vocabulary.ts';
import { CHAIN_TYPES, FAMILIES, HOOKS } from './vocabulary.ts';

const IP_FILTER: Hook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];
const IP_NAT: Hook[] = ['prerouting', 'input', 'output', 'postrouting'];

export const CHAIN_MATRIX: Readonly<Record<Family, Partial<Record<ChainType, readonly Hook[]>>>> = {
  ip: { filter: IP_FILTER, nat: IP_NAT, route: ['output'] },
  ip6: { filter: IP_FILTER, nat: IP_NAT, route: ['output'] },
  inet: { filter: [...IP_FILTER, 'ingress'], nat: IP_NAT, route: ['output'] },
  arp: { filter: ['input', 'output'] },
  bridge: { filter: IP_FILTER },
  netdev: { filter: ['ingress', 'egress'] },
};

export const FAMILY_DESCRIPTIONS: Readonly<Record<Family, string>> = {
  ip: 'IPv4 packets only',
  ip6: 'IPv6 packets only',
  inet: 'IPv4 and IPv6 in one table (the usual choice for a host firewall)',
  arp: 'ARP packets (input and output only)',
  bridge: 'frames crossing a Linux bridge',
  netdev: 'per-device hooks (ingress/egress), before any other family sees the packet',
};

/** Chain types the family knows at all. */
export function chainTypesFor(family: Family): ChainType[] {
  return CHAIN_TYPES.filter((t) => CHAIN_MATRIX[family][t] !== undefined);
}

/** Hooks the family × type accepts, in packet-path order. */
export function hooksFor(family: Family, type: ChainType): Hook[] {
  const allowed = CHAIN_MATRIX[family][type] ?? [];
  return HOOKS.filter((h) => allowed.includes(h));
}

/** Every hook the family has, for any chain type. */
export function familyHooks(family: Family): Hook[] {
  const all = new Set<Hook>();
  for (const t of chainTypesFor(family)) for (const h of hooksFor(family, t)) all.add(h);
  return HOOKS.filter((h) => all.has(h));
}

export function isChainAllowed(family: Family, type: ChainType, hook: Hook): boolean {
  return CHAIN_MATRIX[family][type]?.includes(hook) ?? false;
}

/** `device`/`devices` is required on these hooks and refused everywhere else. */
export function hookTakesDevice(family: Family, hook: Hook): boolean {
  return (family === 'netdev' && (hook === 'ingress' || hook === 'egress')) || (family === 'inet' && hook === 'ingress');
}

export function isFamily(x: string): x is Family {
  return (FAMILIES as readonly string[]).includes(x);
}
export function isHook(x: string): x is Hook {
  return (HOOKS as readonly string[]).includes(x);
}
export function isChainType(x: string): x is ChainType {
  return (CHAIN_TYPES as readonly string[]).includes(x);
}
