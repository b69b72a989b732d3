/**
 * Statements the kernel accepts only on some hooks (and chain types). The kernel
 * checks these when the transaction is committed — after `nft -c` has already
 * said yes — and it follows jump/goto/vmap edges: a regular chain is checked
 * against every hook whose base chain can reach it. Verified on nft 1.0.6 with a
 * 6.18 kernel by loading each case in a private network namespace (failures read
 * `Could not process rule: Operation not supported`), and against the kernel's
 * `*_validate()` functions (nft_synproxy, nft_masq, nft_nat, nft_redir,
 * nft_tproxy, nft_reject).
 */
import type { ChainType, Family, Hook } from '../model/types.ts';

export type PlacedStatement = 'synproxy' | 'masquerade' | 'snat' | 'dnat' | 'redirect' | 'tproxy' | 'reject' | 'pkttype-set' | 'rt-mtu';

export interface PlacementRule {
  stmt: PlacedStatement;
  /** families in which the statement is checked; elsewhere this table says nothing */
  families: readonly Family[];
  /** the chain type the statement needs, if any */
  chainType?: ChainType;
  /** hooks that accept it, per family (families not listed here: `hooks`) */
  hooks: readonly Hook[];
  hooksByFamily?: Partial<Record<Family, readonly Hook[]>>;
  /** what the statement is for, to explain the restriction */
  purpose: string;
  /** how a message names it, where not by its id (and the word of the rule to point at) */
  title?: string;
  word?: string;
}

const IP_FAMILIES: readonly Family[] = ['ip', 'ip6', 'inet'];

export const PLACEMENT: Readonly<Record<PlacedStatement, PlacementRule>> = {
  synproxy: {
    stmt: 'synproxy',
    families: IP_FAMILIES,
    hooks: ['input', 'forward'],
    purpose: 'synproxy answers SYNs addressed to this host (input) or to a server behind it (forward)',
  },
  masquerade: {
    stmt: 'masquerade',
    families: IP_FAMILIES,
    chainType: 'nat',
    hooks: ['postrouting'],
    purpose: 'masquerade rewrites the source address to the outgoing interface address, which is known only after routing',
  },
  snat: {
    stmt: 'snat',
    families: IP_FAMILIES,
    chainType: 'nat',
    hooks: ['postrouting', 'input'],
    purpose: 'snat rewrites the source address after the routing decision',
  },
  dnat: {
    stmt: 'dnat',
    families: IP_FAMILIES,
    chainType: 'nat',
    hooks: ['prerouting', 'output'],
    purpose: 'dnat rewrites the destination before the routing decision',
  },
  redirect: {
    stmt: 'redirect',
    families: IP_FAMILIES,
    chainType: 'nat',
    hooks: ['prerouting', 'output'],
    purpose: 'redirect sends the packet to this host before the routing decision',
  },
  tproxy: {
    stmt: 'tproxy',
    families: IP_FAMILIES,
    hooks: ['prerouting'],
    purpose: 'tproxy hands the packet to a local socket before the routing decision',
  },
  reject: {
    stmt: 'reject',
    families: ['ip', 'ip6', 'inet', 'netdev', 'bridge'],
    hooks: ['prerouting', 'input', 'forward', 'output'],
    hooksByFamily: {
      inet: ['prerouting', 'input', 'forward', 'output', 'ingress'],
      netdev: ['ingress'],
    },
    purpose: 'reject sends an ICMP error or TCP reset back, which the kernel allows only where it can still route the reply',
  },
  // nft_meta_set_validate: the packet type is set only where the stack has not yet acted on it
  'pkttype-set': {
    stmt: 'pkttype-set',
    families: ['ip', 'ip6', 'inet', 'bridge', 'netdev'],
    hooks: ['prerouting'],
    hooksByFamily: { netdev: ['ingress'] },
    purpose: 'setting the packet type (meta pkttype set) changes how the stack delivers the packet, which the kernel allows only before it has decided',
    title: 'meta pkttype set',
    word: 'pkttype',
  },
  // nft_rt_validate: NFT_RT_TCPMSS
  'rt-mtu': {
    stmt: 'rt-mtu',
    families: IP_FAMILIES,
    hooks: ['forward', 'output', 'postrouting'],
    purpose: 'the route\'s MTU (rt mtu) is known only once the packet has its route',
    title: 'rt mtu',
    word: 'mtu',
  },
};

/** Hooks that accept the statement in this family (undefined: the family is not checked). */
export function allowedHooks(stmt: PlacedStatement, family: Family): readonly Hook[] | undefined {
  const r = PLACEMENT[stmt];
  if (!r.families.includes(family)) return undefined;
  return r.hooksByFamily?.[family] ?? r.hooks;
}

/**
 * Families in which synproxy can never work: the kernel's synproxy needs
 * connection tracking (`nf_ct_netns_get()`), which arp and netdev do not have and
 * bridge has only with `nf_conntrack_bridge` (not built on the verified kernel).
 * Even declaring a synproxy object there fails with `Protocol error`.
 */
export const SYNPROXY_FAMILIES: readonly Family[] = IP_FAMILIES;

/**
 * The families nft takes these statements in; elsewhere it refuses the rule
 * ("unsupported family" for dup and fwd, "tproxy is only supported for
 * IPv4/IPv6/INET"), nft 1.0.6 and 1.1.3 alike (src/stmts/forward.kernel.test.ts).
 */
export const STATEMENT_FAMILIES = {
  dup: ['ip', 'ip6', 'netdev'],
  fwd: ['netdev'],
  tproxy: IP_FAMILIES,
} as const satisfies Record<string, readonly Family[]>;
