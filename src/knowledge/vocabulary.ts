/**
 * nft's closed vocabularies, each declared once as data with its type derived
 * from it. The parser, printer, both validators, JSON in and out, the forms,
 * Monaco and the linter read these; none keeps a copy. (A vocabulary that
 * belongs to a single statement kind lives in that kind's module under
 * src/stmts/ and is exported from there.)
 */

/** Table families, in the order nft's documentation lists them. */
export const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'] as const;
export type Family = (typeof FAMILIES)[number];

export const CHAIN_TYPES = ['filter', 'nat', 'route'] as const;
export type ChainType = (typeof CHAIN_TYPES)[number];

/** Hooks in the order a packet meets them (ingress first, egress last). */
export const HOOKS = ['ingress', 'prerouting', 'input', 'forward', 'output', 'postrouting', 'egress'] as const;
export type Hook = (typeof HOOKS)[number];

/** Relational operators; `implicit` is nft's operator-less form (`tcp dport 22`). */
export const MATCH_OPS = ['implicit', '==', '!=', '<', '>', '<=', '>='] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

/** nft's word forms of the relational operators (`tcp dport ne 22`). */
export const MATCH_OP_WORDS: Readonly<Record<string, Exclude<MatchOp, 'implicit'>>> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=' };

/** Verdict statements. */
export const VERDICT_NAMES = ['accept', 'drop', 'continue', 'return', 'jump', 'goto'] as const;
export type VerdictName = (typeof VERDICT_NAMES)[number];
/** Verdicts that name a chain. */
export const CHAIN_VERDICTS: ReadonlySet<string> = new Set<VerdictName>(['jump', 'goto']);
/** What a verdict map's data may be: the verdicts and `queue`. */
export const EXPR_VERDICTS = [...VERDICT_NAMES, 'queue'] as const;

/** Units of a rate (`limit rate 10/second`, `limit rate 1 mbytes/second`). */
export const RATE_UNITS = ['packets', 'bytes', 'kbytes', 'mbytes'] as const;
export type RateUnit = (typeof RATE_UNITS)[number];

/** Units of an amount of bytes (quota). */
export const BYTE_UNITS = ['bytes', 'kbytes', 'mbytes', 'gbytes'] as const;
export type ByteUnit = (typeof BYTE_UNITS)[number];

/** The time unit a rate is per. */
export const TIME_UNITS = ['second', 'minute', 'hour', 'day', 'week'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
/** Seconds in each time unit (a limit's rate per unit, as the kernel counts it). */
export const TIME_UNIT_SECONDS: Readonly<Record<TimeUnit, number>> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

/** Bit operators of an expression. */
export const BINOPS = ['&', '|', '^', '<<', '>>'] as const;
export type Binop = (typeof BINOPS)[number];

/** `snat ip to …` in inet tables. */
export const IP_FAMILIES = ['ip', 'ip6'] as const;
export type IpFamily = (typeof IP_FAMILIES)[number];

/** `ct original …`, `ct reply …` */
export const CT_DIRS = ['original', 'reply'] as const;

/** The set flags nft knows (`set_flag` in its grammar), in the order nft lists them. */
export const SET_FLAGS = ['constant', 'dynamic', 'interval', 'timeout'] as const;
export type SetFlag = (typeof SET_FLAGS)[number];

/**
 * The table flags nft knows, in the order nft lists them (their bits): `dormant`
 * (the table's chains see no packets), `owner` (nft 0.9.9: the table belongs to the
 * process that created it and goes with it), `persist` (nft 1.1.0: an owned table
 * stays when its owner goes, unowned). nft 1.1 takes several in one `flags a,b`
 * line; 1.0.6 only one per line.
 */
export const TABLE_FLAGS = ['dormant', 'owner', 'persist'] as const;
export type TableFlag = (typeof TABLE_FLAGS)[number];

/** What each table flag does, for the form, hovers and docs. */
export const TABLE_FLAG_INFO: Readonly<Record<TableFlag, string>> = {
  dormant: 'the table is loaded but its chains are not attached to hooks',
  owner: 'removed when the process that loaded it exits: for daemons',
  persist: 'an owned table stays when its owner exits; nft 1.1.0',
};

/** Named (stateful) object types. */
export const OBJECT_TYPES = ['synproxy', 'counter', 'quota', 'limit', 'ct helper', 'ct timeout', 'ct expectation', 'secmark'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Named objects a rule can use by name (`counter name "c"`) or through a map. */
export const OBJREF_TYPES = ['counter', 'quota', 'limit', 'synproxy'] as const;
export type ObjectRefType = (typeof OBJREF_TYPES)[number];

/** The named-object types a map's data can be (`type ipv4_addr : counter`, an object map): its values are object names, never ranges. */
export const MAP_OBJECT_TYPES = ['counter', 'quota', 'limit', 'synproxy', 'secmark'] as const;
export type MapObjectType = (typeof MAP_OBJECT_TYPES)[number];

/** A membership test of a closed vocabulary, typed. */
export function isOneOf<T extends string>(values: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}

/** `a, b or c` for messages. */
export function wordList(values: readonly string[], last = 'or'): string {
  if (values.length < 2) return values.join('');
  return `${values.slice(0, -1).join(', ')} ${last} ${values[values.length - 1]}`;
}
