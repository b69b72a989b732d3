/**
 * What libnftables JSON cannot carry, per nft version. toJson reports each such
 * thing as a JsonLoss on the node it belongs to, and leaves it out of the JSON
 * (or the whole node, when a part could not be left out without changing what
 * the node does). Facts verified with nft 1.0.6 (export → flush → import →
 * diff, and by loading hand-written JSON); the versions that fixed them come from
 * the nftables git history:
 * - table and chain comments: neither written nor read by 1.0.6; read since 1.0.8;
 * - table flags: ignored on input (and garbage on output) until 1.1.0;
 * - set comments: written by `nft -j list` but never read back (still in 1.1.x);
 * - typeof: written as `type` and read only as a type by 1.0.6; 1.1.3 writes and
 *   reads `{"typeof": …}` (both verified here; versions between not measured,
 *   taken as 1.1.0 with the other JSON additions), except a map's typeof key
 *   whose data is declared as a type (`typeof ip saddr : verdict`), which 1.1.3
 *   reads back as `type`;
 * - the dynamic set flag: "Invalid set flag" on input until 1.0.9;
 * - auto-merge, several devices on a chain, synproxy objects, maps of synproxy
 *   objects and maps with concatenated data: read since 1.1.0;
 * - statements on set elements (`1.1.1.1 counter packets 1 bytes 11`, `{ 10 counter }`
 *   in a rule): no version's JSON reader takes them (an element of a named set gets its
 *   set's statements with fresh state; an anonymous set's element loses them; verified
 *   with 1.0.6 and 1.1.3);
 * - map updates (`update @m { ip saddr : tcp sport }`, JSON `{"map": …}`): 1.0.6
 *   refuses them ("Unknown statement object 'map'"), 1.1.3 reads them (versions
 *   between not measured, taken as 1.1.0);
 * - ct expectation objects: 1.0.6 misparses dport/size ("missing options"), and
 *   ct timeout objects load with l3proto inet and an empty policy (a copy-paste
 *   slip in parser_json.c); both fixed in 1.0.9.
 *
 * - interval map data (`type ipv4_addr : interval ipv4_addr`): written by `nft -j
 *   list` as a plain type, and its range elements then refused on input ("Value
 *   must be a singleton"; 1.0.6 and 1.1.3 alike, verified);
 *
 * Apart from those, what the JSON leaves out without changing what nft loads
 * (OMITTED): the `#` comments of a hand-written file, for which nft's JSON has no
 * place in any version. They are reported, but never make a conversion lossy.
 */
import { FEATURES, compareVersions } from '../knowledge/versions.ts';

export interface JsonLoss {
  nodeId: string;
  /** what cannot be carried, e.g. `synproxy object`, `table comment` */
  what: string;
  message: string;
  /** the nft version whose JSON can carry it */
  since?: string;
}

export interface LossKind {
  what: string;
  since?: string;
}

export const LOSS = {
  tableComment: { what: 'table comment', since: FEATURES.jsonComments.since },
  tableFlags: { what: 'table flags', since: FEATURES.jsonTableFlags.since },
  chainComment: { what: 'chain comment', since: FEATURES.jsonComments.since },
  chainDevices: { what: 'multi-device chain', since: FEATURES.jsonMultiDevice.since },
  chainFlags: { what: 'chain flags' },
  setComment: { what: 'set comment' },
  typeofKey: { what: 'typeof', since: '1.1.0' },
  dynamicFlag: { what: 'dynamic set flag', since: '1.0.9' },
  autoMerge: { what: 'auto-merge', since: FEATURES.jsonAutoMerge.since },
  concatMapData: { what: 'concatenated map data', since: '1.1.0' },
  synproxyObject: { what: 'synproxy object', since: FEATURES.jsonSynproxyObjects.since },
  synproxyMap: { what: 'map of synproxy objects', since: '1.1.0' },
  ctExpectation: { what: 'ct expectation object', since: '1.0.9' },
  ctTimeout: { what: 'ct timeout object', since: '1.0.9' },
  rawStatement: { what: 'raw statement' },
  rawExpression: { what: 'unstructured expression' },
  variable: { what: 'variable' },
  priority: { what: 'chain priority' },
  policy: { what: 'chain policy' },
  device: { what: 'chain device' },
  include: { what: 'include' },
  command: { what: 'command' },
  flowtableOptions: { what: 'flowtable flags' },
  subsecondTimeout: { what: 'sub-second timeout' },
  unknownType: { what: 'set type' },
  elementStatements: { what: 'statements on set elements' },
  mapUpdate: { what: 'map update statement', since: '1.1.0' },
  intervalMapData: { what: 'interval map data' },
} as const satisfies Record<string, LossKind>;

/** What the JSON leaves out although the ruleset nft loads from it is the same. */
export const OMITTED = {
  hashComments: { what: '# comments' },
} as const satisfies Record<string, LossKind>;

/**
 * Thrown while converting a node whose content cannot be written; the caller of
 * the node (rule, set, chain, object) catches it, reports the loss on its own id
 * and leaves the node out.
 */
export class CannotCarry extends Error {
  constructor(
    readonly kind: LossKind,
    message: string,
  ) {
    super(message);
    this.name = 'CannotCarry';
  }
}

export class LossLog {
  readonly losses: JsonLoss[] = [];
  /** what is left out without changing the ruleset (OMITTED) */
  readonly omitted: JsonLoss[] = [];

  constructor(readonly target: string) {}

  /** Can the target version's JSON carry this kind of thing? */
  carries(kind: LossKind): boolean {
    return kind.since !== undefined && compareVersions(this.target, kind.since) >= 0;
  }

  /** Record a loss; `message` says what is left out and why. */
  lose(kind: LossKind, nodeId: string, message: string): void {
    const since = kind.since ? `; nft ${kind.since} and later can carry it (--target-version ${kind.since})` : '';
    const loss: JsonLoss = { nodeId, what: kind.what, message: `${message}${since}` };
    if (kind.since) loss.since = kind.since;
    this.losses.push(loss);
  }

  /** Record something left out that does not change the ruleset (OMITTED). */
  omit(kind: LossKind, nodeId: string, message: string): void {
    this.omitted.push({ nodeId, what: kind.what, message });
  }
}
