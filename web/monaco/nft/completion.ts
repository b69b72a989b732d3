/**
 * Completion for the nft language, by context where that is cheap to know:
 * after `type` the chain types the table's family accepts, after `hook` its
 * hooks, after `priority` the standard names valid on that hook, after a
 * selector (`tcp`, `meta`, `ct`) its fields, after a field the symbols of its
 * datatype, at the start of a line what fits the block (statements in a chain,
 * declarations in a table), plus snippets for a base chain, a synproxy rule and
 * a set. Pure: the text before the cursor and the block context in, items out.
 */
import { DEFAULT_LISTING_TARGET, type ListingTarget } from '../../../src/knowledge/listing.ts';
import { LOG_LEVELS, SET_TYPES, symbolTable } from '../../../src/knowledge/datatypes.ts';
import { CT_KEYS, META_KEYS, PAYLOAD_FIELDS, RT_KEYS, SOCKET_KEYS, type FieldInfo } from '../../../src/knowledge/expressions.ts';
import { EXTHDR_SPACES, IPSEC_KEYS, OSF_KEYS, TUNNELS, headerInfo, tunnelInfo, type ExthdrSpace } from '../../../src/knowledge/exthdr.ts';
import { chainTypesFor, familyHooks, hooksFor, isChainType, isHook, HOOKS, FAMILIES, FAMILY_DESCRIPTIONS } from '../../../src/knowledge/families.ts';
import { priorityNamesFor, stdPriorities } from '../../../src/knowledge/priorities.ts';
import { SYNPROXY_MSS_TYPICAL } from '../../../src/knowledge/synproxyFacts.ts';
import type { ChainType, Family, Hook } from '../../../src/model/types.ts';
import type { BlockContext } from './blockContext.ts';
import { chainTypeDoc, familyDoc, hookDoc, KEYWORD_DOCS, priorityNameDoc, SYNPROXY_OPTION_DOCS } from './docs.ts';
import { lineTokens, type LineToken } from './lineTokens.ts';
import { governingField } from './valueContext.ts';
import { RULE_START_WORDS, STATEMENTS, SYMBOLIC_VALUES, VERDICTS } from './words.ts';

export type SuggestionKind = 'keyword' | 'verdict' | 'statement' | 'selector' | 'field' | 'value' | 'type' | 'snippet' | 'reference' | 'variable';

export interface NftSuggestion {
  label: string;
  kind: SuggestionKind;
  insertText: string;
  /** insertText is a Monaco snippet (`${1:name}`) */
  snippet?: boolean;
  detail?: string;
  documentation?: string;
  /** orders items in the list (Monaco sorts by it, then by label) */
  sortText?: string;
}

export interface CompletionResult {
  items: NftSuggestion[];
  /** 0-based offset in the line where the word being completed starts */
  from: number;
}

export interface CompletionNames {
  chains: string[];
  sets: string[];
  variables: string[];
}

export interface CompletionRequest {
  /** the line up to the cursor */
  before: string;
  block: BlockContext;
  /** names declared in the document, computed only when a context needs them */
  names?: () => CompletionNames;
  /** the request came from typing a trigger character (space): only offer context-specific items */
  triggeredByCharacter?: boolean;
  /** the listing target of the design: the priority names offered depend on it */
  target?: ListingTarget;
}

const SYMBOLS = new Set(SYMBOLIC_VALUES);
const PROTOCOL_NAMES = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'udplite', 'dccp', 'gre', 'esp', 'ah', 'igmp'];

function kw(label: string, kind: SuggestionKind = 'keyword', documentation = KEYWORD_DOCS[label], detail?: string): NftSuggestion {
  const s: NftSuggestion = { label, kind, insertText: label };
  if (documentation) s.documentation = documentation;
  if (detail) s.detail = detail;
  return s;
}

function fieldItem(owner: string, f: string, info: FieldInfo): NftSuggestion {
  return { label: f, kind: 'field', insertText: f, detail: info.type, documentation: `${owner} ${f}: ${info.doc}${info.since ? ` (nft ${info.since} and later)` : ''}` };
}

function tunnelProtocols(tunnel: string): string[] {
  return Object.keys(PAYLOAD_FIELDS).filter((p) => !tunnelInfo(p) && (TUNNELS[tunnel].inner?.includes(p) ?? true));
}

/**
 * After `tcp option`, `ip option`, `sctp chunk`: their headers; after a header:
 * its fields (knowledge/exthdr.ts); after `exthdr`, `ipsec`, `osf` and a tunnel
 * word: what follows them.
 */
function headerCompletions(prev: string | undefined, prev2: string | undefined, prev3: string | undefined): NftSuggestion[] | undefined {
  if (!prev) return undefined;
  const spaceOf = (a: string | undefined, b: string | undefined): ExthdrSpace | undefined =>
    (Object.keys(EXTHDR_SPACES) as ExthdrSpace[]).find((k) => EXTHDR_SPACES[k].words !== '' && EXTHDR_SPACES[k].words === `${a} ${b}`);
  const listed = spaceOf(prev2, prev);
  if (listed) return Object.entries(EXTHDR_SPACES[listed].headers).filter(([, h]) => !h.listedAs).map(([n, h]) => kw(n, 'field', `${EXTHDR_SPACES[listed].words} ${n}: ${h.doc}`));
  const owner = spaceOf(prev3, prev2);
  const h = owner ? headerInfo(owner, prev) : prev2 !== 'exthdr' ? headerInfo('ip6', prev) : undefined;
  if (h && (owner || prev !== 'rt')) {
    const fields = Object.entries(h.fields).map(([f, info]) => fieldItem(owner ? `${EXTHDR_SPACES[owner].words} ${prev}` : prev, f, info));
    return h.exists ? [...fields, kw('exists', 'value'), kw('missing', 'value')] : fields;
  }
  if (prev === 'exthdr') return Object.entries(EXTHDR_SPACES.ip6.headers).filter(([, x]) => x.exists).map(([n, x]) => kw(n, 'field', `exthdr ${n}: ${x.doc} (exists / missing)`));
  if (prev === 'ipsec') return [kw('in', 'field', 'ipsec in …: the policy of a packet that was decrypted'), kw('out', 'field', 'ipsec out …: the policy a packet will be encrypted with')];
  if (prev2 === 'ipsec' && (prev === 'in' || prev === 'out')) return [...Object.entries(IPSEC_KEYS).filter(([, k]) => !k.family).map(([k, info]) => fieldItem(`ipsec ${prev}`, k, info)), kw('spnum', 'field'), kw('ip', 'field'), kw('ip6', 'field')];
  // `rt` is both the route (`rt mtu`) and the IPv6 routing header (`rt nexthdr`)
  if (prev === 'rt' && prev2 !== 'exthdr') {
    const header = Object.entries(headerInfo('ip6', 'rt')?.fields ?? {}).map(([f, info]) => fieldItem('rt (IPv6 routing header)', f, info));
    return [...Object.entries(RT_KEYS).map(([k, info]) => fieldItem('rt', k, info)), kw('ip', 'field'), kw('ip6', 'field'), ...header.filter((x) => !Object.hasOwn(RT_KEYS, x.label))];
  }
  if (prev2 === 'rt' && (prev === 'ip' || prev === 'ip6')) return Object.entries(RT_KEYS).map(([k, info]) => fieldItem(`rt ${prev}`, k, info));
  if (prev === 'socket') return Object.entries(SOCKET_KEYS).map(([k, info]) => fieldItem('socket', k, info));
  if (prev === 'osf') return [...Object.entries(OSF_KEYS).map(([k, info]) => fieldItem('osf', k, info)), kw('ttl', 'field', 'osf ttl loose|skip …: how the TTL is compared')];
  if (tunnelInfo(prev) && !PAYLOAD_FIELDS[prev]) return tunnelProtocols(prev).map((p) => kw(p, 'field', `${prev} ${p} …: ${TUNNELS[prev].doc}`));
  return undefined;
}

function ordered(items: NftSuggestion[]): NftSuggestion[] {
  return items.map((s, n) => ({ ...s, sortText: s.sortText ?? String(n).padStart(4, '0') }));
}

export function nftCompletions(req: CompletionRequest): CompletionResult {
  const { before, block } = req;
  const prefix = /[$@]?[A-Za-z_][\w-]*$|[$@]$/.exec(before)?.[0] ?? '';
  const from = before.length - prefix.length;
  const tokens = lineTokens(before.slice(0, from));
  const words = tokens.filter((t) => t.kind !== 'comment');
  const prev = words[words.length - 1]?.text;
  const prev2 = words[words.length - 2]?.text;
  const items = (xs: NftSuggestion[]): CompletionResult => ({ items: ordered(xs), from });
  const none: CompletionResult = { items: [], from };
  if (tokens.some((t) => t.kind === 'comment') || /"[^"]*$/.test(before.replace(/"[^"]*"/g, ''))) return none;

  const family: Family | undefined = block.family;

  if (prefix.startsWith('@')) return items((req.names?.().sets ?? []).map((n) => ({ label: `@${n}`, kind: 'reference', insertText: `@${n}`, detail: 'named set or map' })));
  if (prefix.startsWith('$')) return items((req.names?.().variables ?? []).map((n) => ({ label: `$${n}`, kind: 'variable', insertText: `$${n}`, detail: 'variable' })));
  if (prev === 'jump' || prev === 'goto') return items((req.names?.().chains ?? []).map((n) => ({ label: n, kind: 'reference', insertText: n, detail: 'chain' })));

  if (prev === 'table') {
    return items(FAMILIES.map((f) => kw(f, 'type', familyDoc(f), FAMILY_DESCRIPTIONS[f])));
  }
  if (prev === 'hook') {
    const type = /\btype\s+(\w+)\s+hook\s*$/.exec(before.slice(0, from))?.[1];
    const hooks: readonly Hook[] = family ? (type && isChainType(type) ? hooksFor(family, type) : familyHooks(family)) : HOOKS;
    return items(hooks.map((h) => kw(h, 'type', hookDoc(h))));
  }
  if (prev === 'priority') {
    const hook = /\bhook\s+(\w+)/.exec(before)?.[1];
    const names = family && hook && isHook(hook) ? priorityNamesFor(family, hook, req.target ?? DEFAULT_LISTING_TARGET) : stdPriorities(family ?? 'inet');
    return items(names.map((p) => kw(p.name, 'type', priorityNameDoc(p.name, family), String(p.value))));
  }
  if (prev === 'policy') return items(['accept', 'drop'].map((v) => kw(v, 'verdict')));

  // a field's values (`ct state new,`, `icmp type `, `meta l4proto `)
  const field = governingField(words, words.length, (t: LineToken) => SYMBOLS.has(t.text));
  if (field && (prev === field.name.split(' ').pop() || prev === ',' || prev === '{' || prev === '!=')) {
    const table = symbolTable(field.info.type);
    if (table) return items(Object.keys(table).map((v) => ({ label: v, kind: 'value', insertText: v, detail: `${field.name} = ${table[v]}` })));
    if (field.info.type === 'inet_proto') return items(PROTOCOL_NAMES.map((v) => ({ label: v, kind: 'value', insertText: v, detail: field.name })));
    return none;
  }

  if (prev === 'type' && !PAYLOAD_FIELDS[prev2 ?? '']) {
    if (block.kind === 'set' || block.kind === 'map') return items(SET_TYPES.map((t) => kw(t, 'type', undefined, 'datatype')));
    const types: readonly ChainType[] = family ? chainTypesFor(family) : ['filter', 'nat', 'route'];
    return items(types.map((t) => kw(t, 'type', chainTypeDoc(t))));
  }
  const ext = headerCompletions(prev, prev2, words[words.length - 3]?.text);
  if (ext) return items(ext);
  if (prev && PAYLOAD_FIELDS[prev] && prev2 !== 'table' && prev2 !== 'type') {
    const fields = Object.entries(PAYLOAD_FIELDS[prev]).map(([f, info]) => fieldItem(`${prev}`, f, info));
    // `tcp option …`, `ip option …`, `sctp chunk …`; the headers inside a tunnel (`vxlan ip saddr`)
    const more = Object.values(EXTHDR_SPACES).filter((sp) => sp.words.startsWith(`${prev} `)).map((sp) => kw(sp.words.split(' ')[1], 'field', `${sp.words} NAME [FIELD]: a ${sp.doc}`));
    const inner = tunnelInfo(prev) ? tunnelProtocols(prev).map((p) => kw(p, 'field', `${prev} ${p} …: ${TUNNELS[prev].doc}`)) : [];
    return items([...fields, ...more, ...inner]);
  }
  if (prev === 'meta') return items(Object.entries(META_KEYS).map(([f, info]) => ({ label: f, kind: 'field', insertText: f, detail: info.type, documentation: `meta ${f}: ${info.doc}` })));
  if (prev === 'ct') return items(Object.entries(CT_KEYS).map(([f, info]) => ({ label: f, kind: 'field', insertText: f, detail: info.type, documentation: `ct ${f}: ${info.doc}` })));

  if (prev === 'synproxy' || (block.kind === 'object' && block.objectKind === 'synproxy' && !prev)) {
    const opts = Object.keys(SYNPROXY_OPTION_DOCS).map((o) => kw(o, 'field', SYNPROXY_OPTION_DOCS[o]));
    if (prev === 'synproxy') opts.push(kw('name', 'keyword', 'Use a named synproxy object: `synproxy name "https-synproxy"`, or choose one per packet with a map.'));
    return items(opts);
  }
  if (prev === 'mss') return items([{ label: String(SYNPROXY_MSS_TYPICAL.ethernet), kind: 'value', insertText: String(SYNPROXY_MSS_TYPICAL.ethernet), detail: 'Ethernet (1500 − 40)', documentation: SYNPROXY_OPTION_DOCS.mss }]);
  if (prev === 'wscale') return items([{ label: '7', kind: 'value', insertText: '7', detail: 'a common Linux server value', documentation: SYNPROXY_OPTION_DOCS.wscale }]);
  if (prev === 'log') return items(['prefix', 'level', 'group'].map((o) => kw(o, 'field')));
  if (prev === 'level') return items(LOG_LEVELS.map((l) => kw(l, 'value')));
  if (prev === 'limit') return items([kw('rate', 'field')]);
  if (prev === 'rate') return items([kw('over', 'field', 'Match packets **above** the rate instead of below it.')]);
  if (prev === 'reject') return items([kw('with', 'keyword')]);
  if (prev === 'with' && prev2 === 'reject') {
    return items([
      { label: 'tcp reset', kind: 'value', insertText: 'tcp reset' },
      { label: 'icmpx type admin-prohibited', kind: 'value', insertText: 'icmpx type admin-prohibited' },
      { label: 'icmp type host-unreachable', kind: 'value', insertText: 'icmp type host-unreachable' },
      { label: 'icmpv6 type admin-prohibited', kind: 'value', insertText: 'icmpv6 type admin-prohibited' },
    ]);
  }
  if (prev === 'flags' && (block.kind === 'set' || block.kind === 'map')) return items(['interval', 'timeout', 'constant', 'dynamic'].map((f) => kw(f, 'value')));

  if (req.triggeredByCharacter) return none;

  const atLineStart = words.length === 0;
  if (atLineStart) return items(lineStartItems(block));
  if (block.kind === 'chain') return items(ruleWords());
  return none;
}

function ruleWords(): NftSuggestion[] {
  return RULE_START_WORDS.map((w) => kw(w, VERDICTS.includes(w) ? 'verdict' : STATEMENTS.includes(w) ? 'statement' : 'selector'));
}

function lineStartItems(block: BlockContext): NftSuggestion[] {
  switch (block.kind) {
    case 'top':
      return [snippetTable(), ...['table', 'define', 'include', 'flush', 'add', 'delete'].map((w) => kw(w))];
    case 'table':
      return [
        snippetBaseChain(block.family),
        snippetSynproxySetup(),
        snippetSet(),
        snippetSynproxyObject(),
        ...['chain', 'set', 'map', 'flowtable', 'synproxy', 'counter', 'quota', 'limit', 'ct', 'flags', 'comment'].map((w) => kw(w)),
      ];
    case 'chain':
      return [snippetChainHeader(block.family), snippetSynproxyRule(), snippetNotrack(), snippetEstablished(), ...ruleWords(), kw('type'), kw('policy'), kw('comment')];
    case 'set':
    case 'map':
      return ['type', 'typeof', 'flags', 'elements', 'size', 'timeout', 'comment', 'auto-merge'].map((w) => kw(w));
    case 'object':
      return block.objectKind === 'synproxy' ? Object.keys(SYNPROXY_OPTION_DOCS).map((o) => kw(o, 'field', SYNPROXY_OPTION_DOCS[o])) : [kw('comment')];
    default:
      return [];
  }
}

function choice(xs: readonly string[]): string {
  return xs.join(',');
}

/** Hooks in the order a snippet offers them: the common host-firewall hooks first. */
const SNIPPET_HOOK_ORDER: readonly Hook[] = ['input', 'forward', 'output', 'prerouting', 'postrouting', 'ingress', 'egress'];
function snippetHooks(allowed: readonly Hook[]): Hook[] {
  return SNIPPET_HOOK_ORDER.filter((h) => allowed.includes(h));
}

function snippet(label: string, insertText: string, documentation: string, detail = 'snippet'): NftSuggestion {
  return { label, kind: 'snippet', insertText, snippet: true, documentation, detail, sortText: `!${label}` };
}

function snippetTable(): NftSuggestion {
  return snippet('table …', `table \${1|${choice(['inet', ...FAMILIES.filter((f) => f !== 'inet')])}|} \${2:filter} {\n\t$0\n}`, 'A table of one family.');
}

function snippetChainHeader(family: Family | undefined): NftSuggestion {
  const hooks = snippetHooks(family ? familyHooks(family) : HOOKS);
  return snippet(
    'type … hook … priority …',
    `type \${1|${choice(family ? chainTypesFor(family) : ['filter', 'nat', 'route'])}|} hook \${2|${choice(hooks)}|} priority \${3:filter}; policy \${4|accept,drop|};`,
    'Makes this chain a base chain: the kernel calls it on the hook.',
  );
}

function snippetBaseChain(family: Family | undefined): NftSuggestion {
  const hooks = snippetHooks(family ? hooksFor(family, 'filter') : HOOKS);
  return snippet(
    'base chain',
    `chain \${1:input} {\n\ttype \${2|${choice(family ? chainTypesFor(family) : ['filter', 'nat', 'route'])}|} hook \${3|${choice(hooks)}|} priority \${4:filter}; policy \${5|accept,drop|};\n\t$0\n}`,
    'A base chain: called by the kernel on a hook, in priority order.',
  );
}

function snippetSet(): NftSuggestion {
  return snippet(
    'set …',
    `set \${1:allowed} {\n\ttype \${2|${choice(SET_TYPES.filter((t) => t !== 'verdict'))}|}\n\tflags \${3|interval,timeout,constant,dynamic|}\n\telements = { $0 }\n}`,
    'A named set; rules match it with `@name`.',
  );
}

function snippetSynproxyRule(): NftSuggestion {
  return snippet(
    'synproxy rule',
    `tcp dport \${1:443} ct state invalid,untracked synproxy mss \${2:${SYNPROXY_MSS_TYPICAL.ethernet}} wscale \${3:7} timestamp sack-perm`,
    `${KEYWORD_DOCS.synproxy}\n\nmss and wscale must match the backend server.`,
  );
}

function snippetNotrack(): NftSuggestion {
  return snippet('notrack SYNs', 'tcp dport ${1:443} tcp flags syn notrack', 'Keep the SYNs out of connection tracking (in a prerouting chain at priority raw), so synproxy can answer them.');
}

function snippetEstablished(): NftSuggestion {
  return snippet('accept established', 'ct state established,related accept', 'The usual first rule of a stateful firewall.');
}

function snippetSynproxyObject(): NftSuggestion {
  return snippet('synproxy object', `synproxy \${1:https-synproxy} {\n\tmss \${2:${SYNPROXY_MSS_TYPICAL.ethernet}}\n\twscale \${3:7}\n\ttimestamp sack-perm\n}`, `A named synproxy object, used with \`synproxy name "…"\`. ${KEYWORD_DOCS.synproxy}`);
}

function snippetSynproxySetup(): NftSuggestion {
  return snippet(
    'synproxy setup (two chains)',
    [
      'chain ${1:PRE} {',
      '\ttype filter hook prerouting priority raw; policy accept;',
      '\ttcp dport ${2:8888} tcp flags syn notrack',
      '}',
      '',
      'chain ${3:IN} {',
      '\ttype filter hook input priority filter; policy accept;',
      `\ttcp dport \${2:8888} ct state invalid,untracked synproxy mss \${4:${SYNPROXY_MSS_TYPICAL.ethernet}} wscale \${5:7} timestamp sack-perm`,
      '\tct state invalid drop',
      '}',
    ].join('\n'),
    'The nftables wiki\'s synproxy setup: SYNs skip conntrack (notrack at priority raw), the input chain answers them with synproxy and drops what stays invalid.',
  );
}
