/**
 * Where a base chain sits on the packet path relative to connection tracking, and
 * what each hook sees, for the hook map and for learners.
 *
 * Connection tracking (ip, ip6, inet) looks packets up at -200 in prerouting (for
 * packets arriving) and in output (for packets this host sends); every later hook
 * (input, forward, postrouting) sees packets that conntrack has already tracked,
 * and inet/netdev ingress sees them before. ARP is not tracked. Bridge frames are
 * tracked only with the nf_conntrack_bridge module, which not every kernel has
 * (the reference 6.18 build lacks it), so the bridge path is not classified.
 *
 * Equal priorities (kernel `nf_hook_entries_grow()`, net/netfilter/core.c): a new
 * hook is inserted before the first registered hook whose priority is not lower,
 * so among equal priorities the one registered last runs first. Conntrack
 * registers its hooks when a ruleset first needs it, so a chain at exactly -200
 * may run before or after it: the order is not defined.
 */
import type { ChainType, Family, Hook } from '../model/types.ts';
import { CONNTRACK_PRIORITY } from './stages.ts';

/**
 * `before`: the chain sees packets before conntrack (ct state not known yet;
 * `notrack` works); `after`: conntrack has seen them; `same`: same priority as
 * conntrack (order not defined); `unknown`: the chain's priority has no known
 * value; `none`: this path has no conntrack (arp) or it is not classified (bridge).
 */
export type ConntrackPosition = 'before' | 'after' | 'same' | 'unknown' | 'none';

/** Hooks on which conntrack itself runs (at CONNTRACK_PRIORITY), for ip, ip6 and inet. */
export const CONNTRACK_HOOKS: readonly Hook[] = ['prerouting', 'output'];

export function conntrackPosition(family: Family, hook: Hook, value: number | undefined): ConntrackPosition {
  switch (family) {
    case 'ip':
    case 'ip6':
    case 'inet':
      if (hook === 'ingress') return 'before';
      if (CONNTRACK_HOOKS.includes(hook)) {
        if (value === undefined) return 'unknown';
        if (value < CONNTRACK_PRIORITY) return 'before';
        return value === CONNTRACK_PRIORITY ? 'same' : 'after';
      }
      return 'after';
    case 'netdev':
      // ingress runs before the IP stack; egress after postrouting, where the
      // packet's conntrack entry is already attached.
      return hook === 'ingress' ? 'before' : 'after';
    case 'arp':
    case 'bridge':
      return 'none';
  }
}

/** How conntrack relates to a whole hook (shown at the top of its column). */
export function conntrackAtHook(family: Family, hook: Hook): 'runs here' | 'not yet' | 'already' | 'none' {
  if ((family === 'ip' || family === 'ip6' || family === 'inet') && CONNTRACK_HOOKS.includes(hook)) return 'runs here';
  switch (conntrackPosition(family, hook, undefined)) {
    case 'before':
      return 'not yet';
    case 'after':
      return 'already';
    default:
      return 'none';
  }
}

export const EQUAL_PRIORITY_NOTE =
  'Same priority: the kernel orders these by when each was registered (the one registered last runs first), so do not rely on their order; give them different priorities if it matters.';

const IP_HOOKS: Readonly<Record<Hook, string>> = {
  ingress: 'every packet arriving on the device, before the IP stack (inet ingress, like netdev ingress)',
  prerouting: 'every incoming packet, before the routing decision',
  input: 'packets addressed to this host, after the routing decision',
  forward: 'packets routed through this host to another one',
  output: 'packets sent by local processes on this host',
  postrouting: 'every outgoing packet (forwarded or local), after routing',
  egress: 'every packet leaving the device',
};

const BRIDGE_HOOKS: Readonly<Partial<Record<Hook, string>>> = {
  prerouting: 'frames entering a bridge port, before the bridging decision',
  input: 'frames addressed to the bridge (this host) itself',
  forward: 'frames bridged from one port to another',
  output: 'frames this host sends through the bridge',
  postrouting: 'frames leaving a bridge port',
};

const ARP_HOOKS: Readonly<Partial<Record<Hook, string>>> = {
  input: 'ARP packets arriving for this host',
  output: 'ARP packets this host sends',
};

const NETDEV_HOOKS: Readonly<Partial<Record<Hook, string>>> = {
  ingress: 'every frame arriving on the device(s), before any protocol handling (the earliest hook)',
  egress: 'every frame leaving the device(s), after all protocol handling (the last hook)',
};

/** What passes through a hook, for learners. */
export function hookDescription(family: Family, hook: Hook): string {
  const byFamily = family === 'bridge' ? BRIDGE_HOOKS : family === 'arp' ? ARP_HOOKS : family === 'netdev' ? NETDEV_HOOKS : IP_HOOKS;
  return byFamily[hook] ?? IP_HOOKS[hook];
}

/** What each chain type does, for learners. */
export const CHAIN_TYPE_DESCRIPTIONS: Readonly<Record<ChainType, string>> = {
  filter: 'filter: sees every packet and decides (accept, drop, reject, synproxy …)',
  nat: 'nat: sees only the first packet of each connection; the rest follow the NAT binding that conntrack keeps',
  route: 'route: like filter on output, but re-routes the packet if a rule changed its mark or addresses',
};
