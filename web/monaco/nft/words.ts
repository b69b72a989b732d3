/**
 * The vocabulary of the nft language, grouped the way the highlighter, hovers and
 * completion need it. Every group that nft's knowledge tables already hold comes
 * from `src/knowledge/`; only the grouping (which word is a verdict, a statement,
 * a structural keyword) is decided here.
 */
import { LOG_LEVELS, SET_TYPES, allSymbols } from '../../../src/knowledge/datatypes.ts';
import { CT_KEYS, META_KEYS, PAYLOAD_FIELDS, RT_KEYS, SOCKET_KEYS } from '../../../src/knowledge/expressions.ts';
import { EXTHDR_SPACES, IPSEC_KEYS, OSF_KEYS, TUNNELS } from '../../../src/knowledge/exthdr.ts';
import { CHAIN_TYPES, FAMILIES, HOOKS } from '../../../src/knowledge/families.ts';
import { NFT_KEYWORDS } from '../../../src/knowledge/keywords.ts';
import { stdPriorities } from '../../../src/knowledge/priorities.ts';
import { statementOptionWords, statementWords, stmtModule } from '../../../src/stmts/registry.ts';

const uniq = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

export const VERDICTS: readonly string[] = [...stmtModule('verdict').words, ...stmtModule('queue').words];

/**
 * Statements a rule can carry besides matches and verdicts: the first words of the
 * statement kinds the core structures (src/stmts/), and of the forms it keeps as
 * text on purpose.
 */
export const STATEMENTS: readonly string[] = uniq([
  ...statementWords().filter((w) => !VERDICTS.includes(w) && w !== 'add' && w !== 'delete'),
  'numgen', 'jhash', 'symhash', 'osf', 'xt', 'secmark',
]);

/** Words that build the script's structure (commands, declarations, chain properties). */
export const STRUCTURE: readonly string[] = [
  'table', 'chain', 'set', 'map', 'flowtable', 'define', 'redefine', 'undefine', 'include', 'flush', 'add', 'create',
  'insert', 'replace', 'delete', 'destroy', 'list', 'reset', 'rename', 'ruleset', 'rule', 'element', 'elements', 'type',
  'typeof', 'hook', 'priority', 'policy', 'device', 'devices', 'flags', 'comment', 'size', 'timeout', 'gc-interval',
  'auto-merge', 'handle', 'index', 'position', 'offload', 'name', 'vmap', 'with', 'to', 'in',
];

export const FAMILY_WORDS: readonly string[] = FAMILIES;
export const CHAIN_TYPE_WORDS: readonly string[] = CHAIN_TYPES;
export const HOOK_WORDS: readonly string[] = HOOKS;
export const PRIORITY_NAMES: readonly string[] = uniq(FAMILIES.flatMap((f) => stdPriorities(f).map((p) => p.name)));

/** Protocols whose header fields can be matched (`tcp dport`), plus meta, ct and friends. */
export const PAYLOAD_PROTOCOLS: readonly string[] = Object.keys(PAYLOAD_FIELDS);
export const SELECTORS: readonly string[] = uniq([
  ...PAYLOAD_PROTOCOLS, ...Object.keys(TUNNELS), ...Object.keys(EXTHDR_SPACES.ip6.headers),
  'meta', 'ct', 'fib', 'rt', 'socket', 'exthdr', 'ipsec', 'rt0', 'rt2', 'osf',
]);

/** Field and key names after a selector, and the options of statements. */
export const FIELDS: readonly string[] = uniq([
  ...Object.values(PAYLOAD_FIELDS).flatMap((f) => Object.keys(f)),
  ...Object.keys(META_KEYS),
  ...Object.keys(CT_KEYS),
  // extension headers, options and chunks with their fields (`tcp option maxseg size`), ipsec and osf keys
  ...Object.values(EXTHDR_SPACES).flatMap((sp) => [...sp.words.split(' ').slice(1), ...Object.keys(sp.headers), ...Object.values(sp.headers).flatMap((h) => Object.keys(h.fields))]),
  ...Object.keys(IPSEC_KEYS), ...Object.keys(OSF_KEYS), 'spnum', 'loose', 'skip',
  ...Object.keys(RT_KEYS), ...Object.keys(SOCKET_KEYS),
  // the options of the statements (each kind's module lists its own)
  ...statementOptionWords().filter((w) => !LOG_LEVELS.includes(w) && !SELECTORS.includes(w) && !['eq', 'ne', 'lt', 'gt', 'le', 'ge', 'to', 'with', 'name', 'map', 'vmap', 'set', 'flags'].includes(w)),
  'original', 'reply',
]);

export const SET_TYPE_WORDS: readonly string[] = uniq([...SET_TYPES, 'ipv4_addr', 'ipv6_addr', 'ether_addr', 'time', 'day', 'hour', 'ct_label', 'ct_event', 'boolean', 'string']);

/** Symbolic values from the datatype symbol tables (ct states, tcp flags, icmp types …). */
export const SYMBOLIC_VALUES: readonly string[] = uniq(
  allSymbols(),
);

export const OPERATOR_WORDS: readonly string[] = ['and', 'or', 'xor', 'not', 'lshift', 'rshift', 'eq', 'ne', 'lt', 'gt', 'le', 'ge'];

/** The rest of nft's scanner keywords, so that nothing nft treats as a keyword reads as a name. */
export const OTHER_KEYWORDS: readonly string[] = (() => {
  const known = new Set([...VERDICTS, ...STATEMENTS, ...STRUCTURE, ...FAMILY_WORDS, ...CHAIN_TYPE_WORDS, ...HOOK_WORDS, ...SELECTORS, ...FIELDS, ...OPERATOR_WORDS]);
  return [...NFT_KEYWORDS].filter((w) => !known.has(w)).sort();
})();

/** Words a rule line can start with (selectors, bare meta keys, statements, verdicts). */
export const RULE_START_WORDS: readonly string[] = uniq([
  ...SELECTORS, 'iif', 'iifname', 'oif', 'oifname', 'iifgroup', 'oifgroup', 'mark', 'pkttype', ...STATEMENTS, ...VERDICTS,
]);
