/**
 * The nftables (userspace) version that introduced each feature the designer can
 * produce, from the nftables git history (tags), and the limits of nft 1.0.6's
 * JSON. Versions compare as dotted numbers.
 */
import { MAX_BIT_OPERATIONS } from '../model/nesting.ts';
import { DEFAULT_LISTING_TARGET } from './listing.ts';

export interface Feature {
  id: string;
  title: string;
  since: string;
}

export const FEATURES = {
  autoMerge: { id: 'auto-merge', title: 'auto-merge in sets', since: '0.8.2' },
  priorityNames: { id: 'priority-names', title: 'textual chain priorities (filter, raw, …)', since: '0.9.1' },
  synproxyStmt: { id: 'synproxy-stmt', title: 'the synproxy statement', since: '0.9.2' },
  synproxyObject: { id: 'synproxy-object', title: 'named synproxy objects', since: '0.9.3' },
  multiDevice: { id: 'multi-device', title: 'multi-device chains (devices = { … })', since: '0.9.3' },
  typeofSets: { id: 'typeof', title: 'typeof in set declarations', since: '0.9.4' },
  inetIngress: { id: 'inet-ingress', title: 'the inet ingress hook', since: '0.9.7' },
  netdevEgress: { id: 'netdev-egress', title: 'the netdev egress hook', since: '1.0.1' },
  synproxyMaps: { id: 'synproxy-maps', title: 'maps of synproxy objects', since: '1.0.2' },
  destroy: { id: 'destroy', title: 'the destroy command', since: '1.0.7' },
  /** nftables c6ae433b "parser_bison: allow to use quota in sets" (v1.0.7); 1.0.6 took a quota on a set update and a set's declaration already */
  elementQuota: { id: 'element-quota', title: 'a quota on an element of a set (elements = { … quota … })', since: '1.0.7' },
  /** nftables 4955ae1a "Add support for table's persist flag" (after 1.0.9), with several flags in one `flags` line */
  tablePersist: { id: 'table-persist', title: 'the table flag persist', since: '1.1.0' },
  jsonComments: { id: 'json-comments', title: 'table and chain comments in JSON', since: '1.0.8' },
  jsonSynproxyObjects: { id: 'json-synproxy-objects', title: 'synproxy objects in JSON', since: '1.1.0' },
  jsonMultiDevice: { id: 'json-multi-device', title: 'devices of netdev/inet ingress chains in JSON', since: '1.1.0' },
  jsonAutoMerge: { id: 'json-auto-merge', title: 'auto-merge in JSON', since: '1.1.0' },
  jsonTableFlags: { id: 'json-table-flags', title: 'table flags in JSON', since: '1.1.0' },
} as const satisfies Record<string, Feature>;

/**
 * Debian 13's nftables: the default target (what most hosts installed in 2026
 * run); a design remembers its own (`Ruleset.target`).
 */
export const DEFAULT_TARGET_VERSION: string = DEFAULT_LISTING_TARGET;

/** Versions offered in the target-version picker. */
export const KNOWN_VERSIONS = ['0.9.0', '0.9.1', '0.9.2', '0.9.3', '0.9.4', '0.9.7', '0.9.8', '1.0.1', '1.0.2', '1.0.6', '1.0.7', '1.0.9', '1.1.0', '1.1.1', '1.1.3'];

/** What a picker shows beside the versions Debian ships. */
export const VERSION_LABELS: Readonly<Record<string, string>> = { '1.0.6': 'Debian 12', '1.1.3': 'Debian 13' };

export interface BitOperationLimit {
  /** the first version measured with this limit */
  since: string;
  /** the most bit operations (&, |, ^, <<, >>) on one path of an expression that load */
  most: number;
  /** what that nft does with one more */
  beyond: string;
}

/**
 * How many bit operations nft takes on one path of an expression, newest first.
 * Measured in `unshare -n` with `nft -f` (src/model/nesting.kernel.test.ts re-checks
 * 1.0.6): nft 1.0.6 loads 52 and aborts with "stack smashing detected" from 53,
 * loading nothing; Debian 13's nft 1.1.3 loads 15 and refuses 16 with "Binary
 * operation limit 16 reached". Versions in between were not measured and get 1.0.6's.
 */
export const BIT_OPERATION_LIMITS: readonly BitOperationLimit[] = [
  { since: '1.1.3', most: 15, beyond: 'refuses it ("Binary operation limit 16 reached")' },
  { since: '0.0.0', most: MAX_BIT_OPERATIONS, beyond: 'aborts with "stack smashing detected" and loads nothing' },
];

export function bitOperationLimit(target: string): BitOperationLimit {
  return BIT_OPERATION_LIMITS.find((l) => compareVersions(target, l.since) >= 0) ?? BIT_OPERATION_LIMITS[BIT_OPERATION_LIMITS.length - 1];
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function supports(target: string, feature: Feature): boolean {
  return compareVersions(target, feature.since) >= 0;
}

export function isVersion(s: string): boolean {
  return /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/.test(s);
}

/** The nft version a design is checked and written for: what the caller chose, else the design's own, else the default. */
export function designTarget(rs: { target?: string }, chosen?: string): string {
  return chosen ?? rs.target ?? DEFAULT_TARGET_VERSION;
}
