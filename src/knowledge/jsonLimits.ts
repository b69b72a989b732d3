/**
 * What libnftables JSON cannot carry, per nft version. Each limit was seen on nft
 * 1.0.6 by exporting a ruleset with `nft -j list ruleset`, flushing, importing it
 * with `nft -j -f` and comparing (nft-reference §9.5). `fixedIn` comes from the
 * nftables git history where the fix is known; where it is not, the limit is
 * assumed to hold up to (not including) `assumedFixedIn`, the release that
 * reworked JSON objects (1.1.0), and the note says so.
 */
export type JsonLimitEffect = 'lost' | 'fails';

export interface JsonLimit {
  id: string;
  /** what it concerns, as a noun phrase */
  what: string;
  /** lost: imported without it; fails: the import is refused */
  effect: JsonLimitEffect;
  /** first nft version whose JSON handles it */
  fixedIn: string;
  /** true when fixedIn is an assumption, not a known commit */
  assumed?: boolean;
}

export const JSON_LIMITS = {
  tableComment: { id: 'table-comment', what: 'table comments', effect: 'lost', fixedIn: '1.0.8' },
  chainComment: { id: 'chain-comment', what: 'chain comments', effect: 'lost', fixedIn: '1.0.8' },
  setComment: { id: 'set-comment', what: 'set comments (written, but not read back)', effect: 'lost', fixedIn: '1.0.8', assumed: true },
  typeofKeys: { id: 'typeof', what: 'typeof in set declarations (exported as a plain type)', effect: 'lost', fixedIn: '1.1.0', assumed: true },
  dynamicFlag: { id: 'dynamic', what: 'the dynamic set flag', effect: 'lost', fixedIn: '1.0.9' },
  autoMerge: { id: 'auto-merge', what: 'auto-merge', effect: 'lost', fixedIn: '1.1.0' },
  chainDevice: { id: 'chain-device', what: 'the device of netdev and inet ingress chains (not exported, so the import fails)', effect: 'fails', fixedIn: '1.1.0' },
  multiDevice: { id: 'multi-device', what: 'chains with several devices', effect: 'fails', fixedIn: '1.1.0' },
  tableFlags: { id: 'table-flags', what: 'table flags (exported as garbage)', effect: 'fails', fixedIn: '1.1.0' },
  synproxyObjects: { id: 'synproxy-objects', what: 'named synproxy objects (import: "Unknown object passed to add command")', effect: 'fails', fixedIn: '1.1.0' },
  synproxyMaps: { id: 'synproxy-maps', what: 'maps of synproxy objects (import: "Invalid map type \'synproxy\'")', effect: 'fails', fixedIn: '1.1.0', assumed: true },
} as const satisfies Record<string, JsonLimit>;
