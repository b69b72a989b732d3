/**
 * The kernel's own hook stages, to place a design's base chains relative to
 * conntrack, NAT and the rest (include/uapi/linux/netfilter_ipv4.h and
 * netfilter_bridge.h). A chain at priority P on a hook runs before a stage whose
 * value is greater than P.
 */
import type { Family, Hook } from '../model/types.ts';
import { PLACEMENT } from './placement.ts';
import { INT32_MAX } from './priorities.ts';

export interface KernelStage {
  name: string;
  value: number;
  /** what happens there, for learners */
  what: string;
  /** hooks where the stage actually runs */
  hooks: readonly Hook[];
  /** what happens there on particular hooks, where it differs from `what` */
  whatOn?: Partial<Record<Hook, string>>;
}

/** What a stage does on one hook (stageWhat(filter, 'prerouting') does not mention synproxy). */
export function stageWhat(stage: KernelStage, hook: Hook): string {
  return stage.whatOn?.[hook] ?? stage.what;
}

/** The filter stage on the hooks where synproxy works (src/knowledge/placement.ts). */
const FILTER_WITH_SYNPROXY = Object.fromEntries(PLACEMENT.synproxy.hooks.map((h) => [h, `filtering: the usual place for accept/drop, and for synproxy (which works only in ${PLACEMENT.synproxy.hooks.join(' and ')})`]));

const PRE_OUT: Hook[] = ['prerouting', 'output'];
const ALL_IP: Hook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

export const IP_STAGES: readonly KernelStage[] = [
  { name: 'defrag', value: -400, what: 'IP fragments are reassembled (conntrack needs whole packets)', hooks: PRE_OUT },
  { name: 'raw', value: -300, what: 'the place for notrack: before connection tracking', hooks: PRE_OUT },
  { name: 'conntrack', value: -200, what: 'connection tracking looks up or creates the flow (ct state is known after this)', hooks: ['prerouting', 'output'] },
  { name: 'mangle', value: -150, what: 'packet marking and header changes', hooks: ALL_IP },
  { name: 'dstnat', value: -100, what: 'destination NAT (dnat, redirect)', hooks: PRE_OUT },
  { name: 'filter', value: 0, what: 'filtering: the usual place for accept/drop', hooks: ALL_IP, whatOn: FILTER_WITH_SYNPROXY },
  { name: 'security', value: 50, what: 'SELinux/secmark labelling', hooks: ['input', 'forward', 'output'] },
  { name: 'srcnat', value: 100, what: 'source NAT (snat, masquerade)', hooks: ['postrouting', 'input'] },
  { name: 'conntrack helper', value: 300, what: 'conntrack helpers (ftp, sip …) inspect the flow', hooks: ['input', 'postrouting'] },
  { name: 'conntrack confirm', value: INT32_MAX, what: 'a new flow is confirmed into the conntrack table (last)', hooks: ['input', 'postrouting'] },
];

export const BRIDGE_STAGES: readonly KernelStage[] = [
  { name: 'dstnat (bridged)', value: -300, what: 'destination NAT of bridged frames', hooks: ['prerouting', 'output'] },
  { name: 'filter (bridged)', value: -200, what: 'filtering of bridged frames', hooks: ['prerouting', 'input', 'forward', 'output', 'postrouting'] },
  { name: 'brnf', value: 0, what: 'br_netfilter hands frames to the IP hooks (if loaded)', hooks: ['prerouting', 'postrouting'] },
  { name: 'dstnat (other)', value: 100, what: 'destination NAT of locally generated frames', hooks: ['output'] },
  { name: 'filter (other)', value: 200, what: 'filtering of locally generated frames', hooks: ['output'] },
  { name: 'srcnat', value: 300, what: 'source NAT of bridged frames', hooks: ['postrouting'] },
];

/** The stages relevant to a family (arp and netdev have none of their own). */
export function kernelStages(family: Family): readonly KernelStage[] {
  switch (family) {
    case 'ip':
    case 'ip6':
    case 'inet':
      return IP_STAGES;
    case 'bridge':
      return BRIDGE_STAGES;
    default:
      return [];
  }
}

/** Conntrack runs at -200 in prerouting/output; `notrack` only works before it. */
export const CONNTRACK_PRIORITY = -200;

/** The packet path, in order, for the hook map. */
export const PACKET_PATH: readonly { hook: Hook; after: Hook[] }[] = [
  { hook: 'ingress', after: [] },
  { hook: 'prerouting', after: ['ingress'] },
  { hook: 'input', after: ['prerouting'] },
  { hook: 'forward', after: ['prerouting'] },
  { hook: 'output', after: [] },
  { hook: 'postrouting', after: ['forward', 'output'] },
  { hook: 'egress', after: ['postrouting'] },
];
