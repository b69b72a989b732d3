/**
 * Words nft refuses where a value goes, and text the designer did not understand.
 *
 * Every word on the right of a match (and in a vmap's or a mangle's values) is
 * checked against the datatype of what it is compared with: `ct state
 * new,establised` is refused by nft ("Could not parse conntrack state"), and so is
 * a log level or a reject code it does not know. The symbols come from
 * knowledge/datatypes.ts, which a kernel test compares with `nft describe` of both
 * versions. A raw statement that is none of the forms the designer knowingly keeps
 * as text (knowledge/unstructured.ts) is an error: it is what the parser could not
 * read, nft will most likely refuse it, and the reason is given.
 */
import type { Expr } from '../../model/expr.ts';
import type { Statement } from '../../model/stmt.ts';
import type { Family, Rule, SetDecl, SetKeySpec } from '../../model/types.ts';
import { OBJECT_MAP_TYPES, setHasTimeout } from '../../knowledge/setRules.ts';
import { ICMPV6_CODES, ICMPX_CODES, ICMP_CODES, LOG_LEVELS, MPTCP_SUBTYPES, SET_TYPE_BITS, bitBase, closestWord, exprType, hasShift, isBitmask, parseInteger, symbolProblem, type DataType } from '../../knowledge/datatypes.ts';
import { CT_KEYS, META_KEYS, TRANSPORT_HEADERS, payloadField } from '../../knowledge/expressions.ts';
import { exthdrField } from '../../knowledge/exthdr.ts';
import { compareVersions } from '../../knowledge/versions.ts';
import { unstructuredForm } from '../../knowledge/unstructured.ts';
import { isTerminal } from '../../knowledge/statementFacts.ts';
import { logPrefixProblem } from '../../stmts/log.ts';
import { queueProblem } from '../../stmts/queue.ts';
import { quotaProblem } from '../../stmts/quota.ts';
import { limitBurstUnitProblem, limitProblem } from '../../stmts/limit.ts';
import { ctHelperProblem } from '../../objects/ctHelper.ts';
import { ctTimeoutProblem } from '../../objects/ctTimeout.ts';
import { tokenize } from '../../parse/lexer.ts';
import { forEachExpr } from '../../model/nesting.ts';
import { parseRuleTokens } from '../../parse/statements.ts';
import type { LintContext } from '../context.ts';
import type { Check } from './check.ts';

/** A value's word with what it must be: the datatype, and the width nft gives it. */
interface Leaf {
  word: string;
  type: DataType | undefined;
  bits?: number;
  /** the length of a prefix (`10.0.0.0/33`) */
  prefix?: number;
}

/** What a value written against `e` must fit: its datatype and width. */
function shape(e: Expr): { type: DataType | undefined; bits?: number } {
  const type = exprType(e);
  const info =
    e.kind === 'payload'
      ? payloadField(e.protocol, e.field)
      : e.kind === 'meta'
        ? META_KEYS[e.key]
        : e.kind === 'ct'
          ? CT_KEYS[e.key]
          : e.kind === 'exthdr' && e.field !== undefined
            ? exthdrField(e.space, e.name, e.field)
            : undefined;
  if (type === 'ipv4_addr') return { type, bits: 32 };
  if (type === 'ipv6_addr') return { type, bits: 128 };
  return { type, bits: info?.bits };
}

/** The words among the values of an expression, each with the datatype it must be. */
function leaves(e: Expr, to: { type: DataType | undefined; bits?: number }, out: Leaf[]): void {
  // an explicit stack: a long list or a deep set must not grow the call stack
  const stack: { e: Expr; t: { type: DataType | undefined; bits?: number } }[] = [{ e, t: to }];
  while (stack.length) {
    const { e: x, t } = stack.pop()!;
    switch (x.kind) {
      case 'value':
        // quoted strings are names and text, except a date, which nft parses (`meta time "2025-01-01"`)
        if (!x.text.startsWith('"') || t.type === 'date' || t.type === 'day') out.push({ word: x.text, ...t });
        break;
      case 'prefix':
        if (x.addr.kind === 'value') out.push({ word: x.addr.text, ...t, prefix: x.len });
        break;
      case 'list':
        for (const i of x.items) stack.push({ e: i, t });
        break;
      case 'set':
        for (const el of x.elements) stack.push({ e: el.key, t });
        break;
      case 'range':
        stack.push({ e: x.from, t }, { e: x.to, t });
        break;
      case 'binop':
        // `fin | syn`: both sides are of the type; a shift's amount is a number
        if (x.op === '<<' || x.op === '>>') stack.push({ e: x.left, t });
        else stack.push({ e: x.left, t }, { e: x.right, t });
        break;
      default:
        break;
    }
  }
}

function keyLeaves(left: Expr, right: Expr, out: Leaf[]): void {
  // a concatenation (`ip saddr . tcp dport`): each item of each key has its own type
  const types = left.kind === 'concat' ? left.items.map(shape) : undefined;
  if (!types) {
    leaves(right, shape(left), out);
    return;
  }
  const keys: Expr[] = right.kind === 'set' ? right.elements.map((el) => el.key) : [right];
  for (const k of keys) {
    if (k.kind === 'concat') k.items.forEach((item, i) => leaves(item, types[i], out));
  }
}

function valueWords(s: Statement): Leaf[] {
  const out: Leaf[] = [];
  switch (s.kind) {
    case 'match':
      keyLeaves(s.left, s.right, out);
      // the operand of a bit operation on the left: `tcp flags & (fin | syn) == …`
      // (as wide as the field: `vlan cfi & 0xf` is refused, "Value 15 exceeds valid range 0-1"; not after a shift)
      if (s.left.kind === 'binop' && s.left.op !== '<<' && s.left.op !== '>>') leaves(s.left.right, hasShift(s.left) ? { type: exprType(s.left) } : shape(bitBase(s.left)), out);
      break;
    case 'vmap':
      if (s.data.kind === 'set') keyLeaves(s.key, s.data, out);
      break;
    case 'mangle':
      leaves(s.value, shape(s.key), out);
      break;
    default:
      break;
  }
  return out;
}

/** Types whose values are not numbers in practice (an address written as a number is left alone). */
const NOT_NUMERIC: ReadonlySet<DataType | undefined> = new Set(['ipv4_addr', 'ipv6_addr', 'ether_addr', 'ifname']);

/** nft's own refusal of a number too wide for its field, or of a prefix longer than the address. */
function rangeProblem(l: Leaf): string | undefined {
  if (l.prefix !== undefined && l.bits !== undefined && (l.type === 'ipv4_addr' || l.type === 'ipv6_addr') && l.prefix > l.bits) {
    return `prefix length ${l.prefix} is longer than the ${l.bits} bits of the address (nft: Prefix length ${l.prefix} is invalid for type of ${l.bits} bits width)`;
  }
  const v = l.bits === undefined || l.bits > 64 || NOT_NUMERIC.has(l.type) ? undefined : parseInteger(l.word);
  if (v === undefined || l.bits === undefined) return undefined;
  const max = (1n << BigInt(l.bits)) - 1n;
  if (v <= max) return undefined;
  const nft = l.type === 'inet_service' ? 'Service out of range' : l.type === 'inet_proto' ? 'Protocol out of range' : `Value ${v} exceeds valid range 0-${max}`;
  return `${l.word} does not fit in the ${l.bits} bit${l.bits === 1 ? '' : 's'} of this field: at most ${max} (nft: ${nft})`;
}

/**
 * A list of values where one value goes: `meta mark 0x12,0x11` compares a field
 * that holds no flags with a list of flags (nft: "Basetype of type packet mark is
 * not bitmask"), and `ct mark set 1,2` writes two values ("syntax error,
 * unexpected comma"). Flags are the exception: `tcp flags syn,ack`, `tcp flags
 * set syn | ack`, `ct event set new,destroy`. (Constants joined by `|` of such a
 * field are one value, which the parser has already computed.)
 */
function listProblem(s: Statement): { word: string; message: string } | undefined {
  const first = (e: Expr): string => (e.kind === 'list' && e.items[0]?.kind === 'value' ? e.items[0].text : '');
  if (s.kind === 'match' && s.right.kind === 'list' && s.left.kind !== 'concat') {
    const type = exprType(s.left);
    if (type === undefined || isBitmask(type)) return undefined;
    return { word: first(s.right), message: `a list of values (${s.right.items.length}) where the field holds no flags: compare with one value, or with a set { … } of them (nft: Basetype of type ${type} is not bitmask)` };
  }
  if (s.kind === 'mangle' && s.value.kind === 'list') {
    const type = exprType(s.key);
    const flags = isBitmask(type) && (s.key.kind === 'payload' || s.key.kind === 'exthdr' || (s.key.kind === 'ct' && s.key.key === 'event'));
    if (flags) return undefined;
    return { word: first(s.value), message: 'a set statement writes one value, not a list of them (nft: syntax error, unexpected comma)' };
  }
  return undefined;
}

/** Does a NAT statement write a port (`:80`, `to :8080`, a map to `address . port`)? */
function natNeedsTransport(s: Extract<Statement, { kind: 'nat' }>): boolean {
  if (s.port !== undefined) return true;
  const a = s.addr;
  if (a?.kind !== 'map' || a.data.kind !== 'set') return false;
  return a.data.elements.some((el) => el.value?.kind === 'concat');
}


/** Does the NAT target itself read a transport header (`redirect to :tcp dport map { … }`)? That names the protocol. */
function readsTransportHeader(s: Extract<Statement, { kind: 'nat' }>): boolean {
  let found = false;
  for (const root of [s.addr, s.port]) {
    if (root) forEachExpr(root, (e) => {
      if (e.kind === 'payload' && !e.tunnel && TRANSPORT_HEADERS.has(e.protocol)) found = true;
    });
  }
  return found;
}

/** A match that tells nft the transport protocol: `meta l4proto …`, `ip protocol …`, `ip6 nexthdr …`, or a transport header field. */
function namesTransportProtocol(s: Statement): boolean {
  if (s.kind !== 'match') return false;
  for (const e0 of s.left.kind === 'concat' ? s.left.items : [s.left]) {
    const e = bitBase(e0);
    if (e.kind === 'meta' && e.key === 'l4proto') return true;
    if (e.kind === 'payload' && !e.tunnel && (TRANSPORT_HEADERS.has(e.protocol) || (e.protocol === 'ip' && e.field === 'protocol') || (e.protocol === 'ip6' && e.field === 'nexthdr'))) return true;
  }
  return false;
}

/** Names held in 16 bytes with their terminating zero (IFNAMSIZ, NF_CT_HELPER_NAME_LEN): 1 to 15 characters. */
const NAME_BYTES = 15;
function nameValueProblem(left: Expr, right: Expr): string | undefined {
  const named = (left.kind === 'meta' && (exprType(left) === 'ifname')) || (left.kind === 'ct' && left.key === 'helper');
  if (!named) return undefined;
  const values = right.kind === 'set' ? right.elements.map((el) => el.key) : [right];
  for (const v of values) {
    if (v.kind !== 'value' || !v.text.startsWith('"')) continue;
    const text = v.text.slice(1, -1);
    const what = left.kind === 'ct' ? 'a helper name' : 'an interface name';
    if (text.length === 0) return `${what} cannot be empty (nft refuses "")`;
    if (new TextEncoder().encode(text).length > NAME_BYTES) return `"${text.slice(0, 20)}${text.length > 20 ? '…' : ''}" is too long for ${what}: at most ${NAME_BYTES} bytes (nft: String exceeds maximum length of 16)`;
  }
  return undefined;
}

const REJECT_CODES: Record<string, Readonly<Record<string, number>>> = { icmp: ICMP_CODES, icmpv6: ICMPV6_CODES, icmpx: ICMPX_CODES };

/**
 * Whether a raw statement's text is understood: read again on its own, every part
 * is structured or a form kept as text on purpose. Otherwise the parser's reason.
 */
function notUnderstood(text: string): { reason?: string } | undefined {
  if (unstructuredForm(text)) return undefined;
  const ts = tokenize(text);
  const parsed = parseRuleTokens(ts, 0, ts.count - 1);
  const rest = parsed.stmts.at(-1);
  if (!parsed.raw || (rest?.kind === 'raw' && unstructuredForm(rest.text))) return undefined;
  return { reason: parsed.raw.reason };
}

function checkRule(ctx: LintContext, rule: Rule, family: Family): void {
  const terminal = rule.stmts.findIndex(isTerminal);
  // text kept after a terminal statement is the rest of it (`dnat to tcp dport map { … }`), not a statement of its own
  const rest = rule.stmts.slice(terminal + 1);
  if (terminal >= 0 && rest.length && !rest.every((x) => x.kind === 'raw')) {
    const t = rule.stmts[terminal];
    const word = t.kind === 'verdict' ? t.verdict : t.kind === 'nat' ? t.type : t.kind;
    ctx.report({
      id: 'rule/after-terminal',
      severity: 'error',
      message: `nothing may follow ${word} in a rule: nft refuses the statements after it (nft: Statement after terminal statement has no effect)`,
      why: 'A verdict (accept, drop, jump, goto, return), reject, queue and the NAT statements end the rule for the packet, so nft refuses a rule with statements after them. Move the counter or log before the verdict.',
      nodeId: rule.id,
      at: ctx.loc?.word(rule.id, [word], { last: false }),
    });
  }
  for (const [i, s] of rule.stmts.entries()) {
    if (s.kind === 'log' && s.level !== undefined && s.group !== undefined) {
      ctx.report({
        id: 'value/log-level-group',
        severity: 'error',
        message: 'a log statement takes a level or a group, not both (nft: level and group are mutually exclusive)',
        why: 'With a group the packet goes to nflog (ulogd reads it) and the syslog level has no meaning, so nft refuses the pair. Keep the level for the kernel log, or the group for nflog.',
        nodeId: rule.id,
        field: 'group',
        at: ctx.loc?.word(rule.id, ['group']),
      });
    }
    if (s.kind === 'log' && s.group !== undefined && s.flags?.length) {
      ctx.report({
        id: 'value/log-level-group',
        severity: 'error',
        message: 'a log statement takes flags or a group, not both (nft: flags and group are mutually exclusive)',
        why: 'The flags (tcp sequence, options, skuid, …) say what the kernel log line shows; with a group the packet goes to nflog instead, where they mean nothing, so nft refuses the pair. Keep one of them.',
        nodeId: rule.id,
        field: 'group',
        at: ctx.loc?.word(rule.id, ['group']),
      });
    }
    if (s.kind === 'log' && s.level === 'audit' && (s.prefix !== undefined || s.group !== undefined || s.flags?.length || s.snaplen !== undefined || s.queueThreshold !== undefined)) {
      ctx.report({
        id: 'value/log-level-group',
        severity: 'error',
        message: 'log level audit takes no other option (nft: log level audit doesn\'t support any further options)',
        why: 'With level audit the kernel writes an audit record of its own format, which has no prefix, flags or group; nft refuses them. Write log level audit alone, or another level with the options.',
        nodeId: rule.id,
        field: 'level',
        at: ctx.loc?.valueAfter(rule.id, ['level']),
      });
    }
    if (s.kind === 'limit' && s.burst === 0 && (s.burstUnit ?? 'packets') === 'packets' && s.unit === 'packets') {
      ctx.report({
        id: 'value/limit-burst',
        severity: 'error',
        message: 'a packet limit needs a burst of at least 1 (nft: packet limit burst must be > 0)',
        why: 'The burst is how many packets may pass at once above the rate; 0 would let none through, and nft refuses it. Leave it out for nft\'s default of 5.',
        nodeId: rule.id,
        field: 'burst',
        at: ctx.loc?.valueAfter(rule.id, ['burst']),
      });
    }
    // (a limit's rate in gbytes the parser already refuses)
    const gb = s.kind === 'quota' ? (s.unit === 'gbytes' ? 'quota' : s.usedUnit === 'gbytes' ? 'used' : undefined) : undefined;
    if (gb) {
      ctx.report({
        id: 'value/byte-unit',
        severity: 'error',
        message: 'nft reads an amount of bytes in bytes, kbytes or mbytes, not gbytes: write 1024 mbytes for 1 gbytes (nft: Wrong rate format / Wrong unit format, expecting bytes, kbytes or mbytes)',
        why: 'nft\'s scanner knows the word gbytes, but its rate and quota parser takes only bytes, kbytes and mbytes, so the file is refused. The designer itself writes the amount in mbytes.',
        nodeId: rule.id,
        field: gb === 'used' ? 'usedUnit' : 'unit',
        at: ctx.loc?.word(rule.id, ['gbytes']),
      });
    }
    const str = s.kind === 'match' ? nameValueProblem(s.left, s.right) : undefined;
    if (str) {
      ctx.report({
        id: 'value/name-length',
        severity: 'error',
        message: str,
        why: 'An interface name and a conntrack helper name are stored in 16 bytes with the terminating zero, so they hold 1 to 15 characters (a wildcard eth* included); nft refuses a longer one ("String exceeds maximum length of 16") and an empty one.',
        nodeId: rule.id,
      });
    }
    const list = listProblem(s);
    if (list) {
      ctx.report({
        id: 'value/not-flags',
        severity: 'error',
        message: list.message,
        why: 'Only a field of flags (tcp flags, ct state, ct status, ct event) takes several values joined by commas: nft ORs them into one mask. Any other field holds one value, so nft refuses the list. Constants joined by | are one value to nft (the OR of them), and it lists that value.',
        nodeId: rule.id,
        at: list.word ? ctx.loc?.word(rule.id, [list.word]) : undefined,
      });
    }
    for (const leaf of valueWords(s)) {
      const word = leaf.word;
      const range = rangeProblem(leaf);
      if (range) {
        ctx.report({
          id: 'value/out-of-range',
          severity: 'error',
          message: range,
          why: 'nft checks every number against the width of the field it is compared with or stored in, and refuses the file when it does not fit (a port has 16 bits, a TTL 8, a mark 32).',
          nodeId: rule.id,
          at: ctx.loc?.word(rule.id, [leaf.prefix !== undefined ? `${word}/${leaf.prefix}` : word]) ?? ctx.loc?.word(rule.id, [word]),
        });
        continue;
      }
      // nft 1.0.6 reads an MPTCP subtype as a number only (1.1 knows the names)
      const oldMptcp = leaf.type === 'mptcp_subtype' && compareVersions(ctx.target, '1.1.0') < 0 && !/^(\d+|0x[0-9a-f]+)$/i.test(word);
      const problem = oldMptcp ? `nft ${ctx.target} reads an MPTCP subtype as a number only: write ${Object.hasOwn(MPTCP_SUBTYPES, word) ? MPTCP_SUBTYPES[word] : 'its number'} for ${word} (nft: Could not parse integer)` : symbolProblem(word, leaf.type);
      if (!problem) continue;
      ctx.report({
        id: 'value/unknown-symbol',
        severity: 'error',
        message: problem,
        why: 'nft reads a word in a value as one of the symbols of the datatype it is compared with, and refuses the whole file when it is none of them (for example "Error: Could not parse conntrack state"). Numbers are always allowed.',
        nodeId: rule.id,
        at: ctx.loc?.word(rule.id, [word]),
      });
    }
    if (s.kind === 'log' && s.level !== undefined && !LOG_LEVELS.includes(s.level)) {
      const hint = closestWord(s.level, LOG_LEVELS);
      ctx.report({
        id: 'value/log-level',
        severity: 'error',
        message: `"${s.level}" is not a log level${hint ? `; did you mean "${hint}"?` : ''} (nft knows ${LOG_LEVELS.join(', ')})`,
        why: 'nft refuses a log level it does not know ("Error: invalid log level"); the levels are the syslog ones, plus audit.',
        nodeId: rule.id,
        field: 'level',
        at: ctx.loc?.valueAfter(rule.id, ['level']),
      });
    }
    const longPrefix = s.kind === 'log' && s.prefix !== undefined ? logPrefixProblem(s.prefix) : undefined;
    if (longPrefix) {
      ctx.report({
        id: 'value/log-prefix-length',
        severity: 'error',
        message: longPrefix,
        why: 'The kernel keeps at most 127 bytes of a log prefix: nft 1.1.3 refuses a longer one ("log prefix is too long"), and nft 1.0.6 passes its check (nft -c) but fails the load ("Numerical result out of range"). Shorten it.',
        nodeId: rule.id,
        field: 'prefix',
        at: ctx.loc?.valueAfter(rule.id, ['prefix']),
      });
    }
    if (s.kind === 'nat' && natNeedsTransport(s) && !rule.stmts.slice(0, i).some(namesTransportProtocol) && !readsTransportHeader(s)) {
      ctx.report({
        id: 'value/nat-port',
        severity: 'error',
        message: `${s.type} to a port needs a match of the transport protocol before it (meta l4proto tcp, tcp dport 80, …) (nft: transport protocol mapping is only valid after transport protocol match)`,
        why: 'A port belongs to TCP, UDP, SCTP or DCCP, so nft writes the port only when the rule has already matched the protocol. th dport does not name one. Add meta l4proto tcp (or { tcp, udp }) before the statement.',
        nodeId: rule.id,
        field: 'port',
        at: ctx.loc?.word(rule.id, [s.type]),
      });
    }
    const zero = s.kind === 'limit' ? limitProblem(s) : undefined;
    if (zero) ctx.report({ id: 'value/limit-zero', severity: 'error', message: zero, why: LIMIT_ZERO_WHY, nodeId: rule.id, at: ctx.loc?.word(rule.id, ['rate']) });
    const burstUnit = s.kind === 'limit' ? limitBurstUnitProblem(s) : undefined;
    if (burstUnit) ctx.report({ id: 'value/limit-burst-unit', severity: 'error', message: burstUnit, why: LIMIT_BURST_UNIT_WHY, nodeId: rule.id, at: ctx.loc?.valueAfter(rule.id, ['burst']) });
    const overUsed = s.kind === 'quota' ? quotaProblem(s) : undefined;
    if (overUsed) reportOverUsed(ctx, overUsed, rule.id, s.kind === 'quota' && s.usedUnit !== undefined ? ctx.loc?.word(rule.id, ['used']) : undefined);
    const queue = s.kind === 'queue' ? queueProblem(s) : undefined;
    if (queue) {
      ctx.report({
        id: 'value/queue',
        severity: 'error',
        message: queue.message,
        why: 'The kernel numbers its nfqueue queues with 16 bits (0 to 65535). A fixed queue, a range, and the highest queue a hash, numgen or map can pick must fit, and fanout (spread the packets by CPU) needs a range to spread them over. nft checks this before it loads anything.',
        nodeId: rule.id,
        at: ctx.loc?.word(rule.id, [queue.word]),
      });
    }
    if (s.kind === 'dup' && family === 'netdev' && s.device !== undefined) {
      ctx.report({
        id: 'value/dup-device',
        severity: 'error',
        message: 'in a netdev table dup sends the copy out of one device, named by to: write dup to "eth1" (nft: cannot specify device)',
        why: 'In ip and ip6 tables dup sends the copy to an address, optionally through a device. A netdev table has no routing, so there the copy goes straight out of the device given after to, and nft refuses a second device.',
        nodeId: rule.id,
        field: 'device',
        at: ctx.loc?.word(rule.id, ['device']),
      });
    }
    if (s.kind === 'reject' && s.with?.type === 'icmpx' && (family === 'ip' || family === 'ip6')) {
      ctx.report({
        id: 'value/reject-icmpx',
        severity: 'error',
        message: `reject with icmpx is for inet, bridge and netdev tables; in ${family === 'ip' ? 'an ip table write icmp' : 'an ip6 table write icmpv6'} (nft: abstracted ICMP unreachable not supported)`,
        why: 'icmpx names an unreachable reason that the kernel turns into ICMP or ICMPv6, whichever the packet needs: that choice exists only in tables that see both (inet, bridge, netdev). An ip or ip6 table rejects with its own ICMP, and nft refuses icmpx there.',
        nodeId: rule.id,
        field: 'type',
        at: ctx.loc?.word(rule.id, ['icmpx']),
      });
    }
    if (s.kind === 'reject' && s.with?.code !== undefined && s.with.type !== 'tcp reset') {
      const codes = REJECT_CODES[s.with.type];
      const code = s.with.code;
      if (!/^\d+$/.test(code) && !Object.hasOwn(codes, code)) {
        const hint = closestWord(code, Object.keys(codes));
        ctx.report({
          id: 'value/reject-code',
          severity: 'error',
          message: `"${code}" is not ${s.with.type === 'icmpx' ? 'an icmpx' : `an ${s.with.type}`} code${hint ? `; did you mean "${hint}"?` : ''} (nft knows ${Object.keys(codes).join(', ')})`,
          why: 'nft refuses a reject code it does not know ("Error: Could not parse icmp code").',
          nodeId: rule.id,
          field: 'code',
          at: ctx.loc?.word(rule.id, [code]),
        });
      }
    }
    // a NAT target the parser does not structure (`snat to ip saddr map { … }`) is kept as text after the statement
    const afterNat = i > 0 && rule.stmts[i - 1].kind === 'nat';
    const bad = s.kind === 'raw' && !afterNat ? notUnderstood(s.text) : undefined;
    if (s.kind === 'raw' && bad) {
      const reason = bad.reason;
      ctx.report({
        id: 'rule/not-understood',
        severity: 'error',
        message: `not understood: "${s.text.length > 60 ? `${s.text.slice(0, 57)}…` : s.text}"${reason ? ` (${reason})` : ''}; nft may refuse it`,
        why: 'The designer reads every statement nft knows except a few forms it keeps as text on purpose. This text is none of them, so it is most likely a typo in a statement (a unit, a keyword) that nft refuses when the script is loaded. Correct it, or check it with nft -c -f.',
        nodeId: rule.id,
      });
    }
  }
}

/** What each item of a set's key (or a map's data) must fit: from its `type` names or its `typeof` expressions. */
function specShapes(spec: SetKeySpec): { type: DataType | undefined; bits?: number }[] {
  if (spec.mode === 'typeof') return spec.exprs.map(shape);
  return spec.types.map((t) => ({ type: t as DataType, bits: SET_TYPE_BITS[t as DataType] }));
}

/** The words of a named set's elements (keys, and a map's data), each with the type it must be. */
function setElementLeaves(set: SetDecl): Leaf[] {
  const out: Leaf[] = [];
  const put = (e: Expr, shapes: { type: DataType | undefined; bits?: number }[]): void => {
    if (shapes.length > 1 && e.kind === 'concat') e.items.forEach((item, i) => shapes[i] && leaves(item, shapes[i], out));
    else if (shapes.length === 1) leaves(e, shapes[0], out);
  };
  const keys = specShapes(set.key);
  const data = set.data && !OBJECT_MAP_TYPES.includes(set.data.mode === 'type' ? set.data.types.join(' ') : '') ? specShapes(set.data) : undefined;
  for (const el of set.elements) {
    put(el.key, keys);
    if (data && el.value) put(el.value, data);
  }
  return out;
}

const CONNLIMIT_TIMEOUT_WHY =
  'An element that counts connections (ct count) lives as long as its connections do: the kernel collects it when the count drops to zero. A timeout would remove it while connections are still counted, so the kernel refuses ct count in a set with the timeout flag or a default timeout. Use a set with flags dynamic only.';

const LIMIT_BURST_UNIT_WHY = 'A limit counts packets or bytes, and its burst (how much may pass at once above the rate) counts the same thing: nft 1.0.6 and 1.1.3 refuse a burst in the other unit as a syntax error. The designer would otherwise write the burst in the rate\'s unit, which is not what the text says.';
const LIMIT_ZERO_WHY = 'A limit lets a rate of packets or bytes pass; a rate of 0 would let none, and the kernel refuses it, so the whole script fails to load.';

const QUOTA_USED_WHY = 'A quota counts the bytes that passed; "used" is where the count starts (nft lists it so that a reload keeps the count). The kernel refuses a start beyond the quota itself, so the whole script fails to load. Lower used, or raise the quota.';

function reportOverUsed(ctx: LintContext, message: string, nodeId: string, at?: ReturnType<NonNullable<LintContext['loc']>['word']>): void {
  ctx.report({ id: 'value/quota-used', severity: 'error', message, why: QUOTA_USED_WHY, nodeId, at });
}

export const values: Check = {
  name: 'values and text nft refuses',
  findings: [
    { id: 'value/unknown-symbol', severity: 'error', summary: 'a word that is not a value of the datatype it is compared with (a ct state, an ICMP type, a protocol …)' },
    { id: 'rule/after-terminal', severity: 'error', summary: 'a statement after a verdict, reject, queue or NAT statement in the same rule' },
    { id: 'value/log-level-group', severity: 'error', summary: 'a log statement with options nft refuses together: level and group, flags and group, level audit with anything else' },
    { id: 'value/limit-burst', severity: 'error', summary: 'a packet limit with burst 0' },
    { id: 'value/out-of-range', severity: 'error', summary: 'a number wider than its field (a port above 65535, a TTL above 255), or a prefix longer than its address' },
    { id: 'value/byte-unit', severity: 'error', summary: 'a quota in gbytes (nft reads bytes, kbytes and mbytes only)' },
    { id: 'value/not-flags', severity: 'error', summary: 'a list of values (a,b) compared with or written to a field that holds no flags (a mark, a port, an ICMP type)' },
    { id: 'value/log-level', severity: 'error', summary: 'a log level nft does not know' },
    { id: 'value/log-prefix-length', severity: 'error', summary: 'a log prefix longer than the 127 bytes the kernel keeps' },
    { id: 'value/nat-port', severity: 'error', summary: 'a NAT statement with a port and no match of the transport protocol before it' },
    { id: 'value/quota-used', severity: 'error', summary: 'a quota (statement, object or set element) with more used than it holds' },
    { id: 'value/limit-zero', severity: 'error', summary: 'a limit (statement or object) with a rate of 0' },
    { id: 'value/name-length', severity: 'error', summary: 'an interface or conntrack helper name that is empty or longer than 15 bytes' },
    { id: 'value/limit-burst-unit', severity: 'error', summary: 'a limit whose burst is in the other unit than its rate (packets and bytes)' },
    { id: 'value/ct-timeout-state', severity: 'error', summary: 'a ct timeout policy with a state its protocol does not have' },
    { id: 'value/ct-helper', severity: 'error', summary: 'a ct helper object naming a helper Linux does not have, or the wrong protocol for it' },
    { id: 'value/queue', severity: 'error', summary: 'a queue number above 65535, an empty queue range, or fanout without a range' },
    { id: 'value/dup-device', severity: 'error', summary: 'dup with a device in a netdev table (the device goes after to)' },
    { id: 'value/connlimit-timeout', severity: 'error', summary: 'ct count on the elements of a set with timeouts' },
    { id: 'value/reject-icmpx', severity: 'error', summary: 'reject with icmpx in an ip or ip6 table' },
    { id: 'value/reject-code', severity: 'error', summary: 'a reject code nft does not know' },
    { id: 'rule/not-understood', severity: 'error', summary: 'text the designer could not read and does not keep as text on purpose: nft may refuse it' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      for (const o of ti.table.objects) {
        const p = o.type === 'quota' ? quotaProblem(o) : undefined;
        if (p) reportOverUsed(ctx, `quota ${o.name}: ${p}`, o.id);
        const zero = o.type === 'limit' ? limitProblem(o) : undefined;
        if (zero) ctx.report({ id: 'value/limit-zero', severity: 'error', message: `limit ${o.name}: ${zero}`, why: LIMIT_ZERO_WHY, nodeId: o.id });
        const burstUnit = o.type === 'limit' ? limitBurstUnitProblem(o) : undefined;
        if (burstUnit) ctx.report({ id: 'value/limit-burst-unit', severity: 'error', message: `limit ${o.name}: ${burstUnit}`, why: LIMIT_BURST_UNIT_WHY, nodeId: o.id });
        const helper = o.type === 'ct helper' ? ctHelperProblem(o.helper, o.protocol) : undefined;
        if (helper) {
          ctx.report({
            id: 'value/ct-helper',
            severity: 'error',
            message: `ct helper ${o.name}: ${helper}`,
            why: 'A ct helper object names one of the kernel\'s conntrack helpers (the module that follows FTP\'s data connections, SIP\'s media, …) and the protocol it watches. The kernel looks the pair up when the object is created and refuses one it does not have.',
            nodeId: o.id,
          });
        }
        const states = o.type === 'ct timeout' ? ctTimeoutProblem(o.protocol, o.policy) : undefined;
        if (states) {
          ctx.report({
            id: 'value/ct-timeout-state',
            severity: 'error',
            message: `ct timeout ${o.name}: ${states}; nft refuses the policy`,
            why: 'A timeout policy sets how long conntrack keeps a connection in each state of its protocol: TCP has syn_sent, established, close and the others of its handshake and teardown, UDP only unreplied and replied. nft refuses a state the protocol does not have.',
            nodeId: o.id,
          });
        }
        // the kernel keeps an expectation's port in 16 bits and its size in 8: larger values wrap, silently
        const wrap = o.type === 'ct expectation' ? (o.dport > 65535 ? `dport ${o.dport} does not fit in 16 bits: the kernel keeps ${o.dport % 65536}` : o.size > 255 ? `size ${o.size} does not fit in 8 bits: the kernel keeps ${o.size % 256}` : undefined) : undefined;
        if (wrap) {
          ctx.report({
            id: 'value/out-of-range',
            severity: 'error',
            message: `ct expectation ${o.name}: ${wrap} (nft loads it without a word)`,
            why: 'nft writes an expectation\'s port and size into fields of 16 and 8 bits without checking them, so a larger number loads as another one: the port or size you wrote is not what the kernel uses.',
            nodeId: o.id,
          });
        }
      }
      for (const set of ti.table.sets) {
        if (set.stmts?.some((x) => x.kind === 'connlimit') && setHasTimeout(set.flags, set.timeout)) {
          ctx.report({
            id: 'value/connlimit-timeout',
            severity: 'error',
            message: `${set.kind} ${set.name} gives its elements ct count and has timeouts: the kernel refuses it (Operation not supported)`,
            why: CONNLIMIT_TIMEOUT_WHY,
            nodeId: set.id,
            at: ctx.loc?.word(set.id, ['count'], { header: true }),
          });
        }
        for (const leaf of setElementLeaves(set)) {
          const range = rangeProblem(leaf);
          if (!range) continue;
          ctx.report({
            id: 'value/out-of-range',
            severity: 'error',
            message: `${set.kind} ${set.name}: ${range}`,
            why: `nft checks every element of a ${set.kind} against the width of its type (a port has 16 bits, a mark 32), and refuses the file when one does not fit.`,
            nodeId: set.id,
            at: ctx.loc?.word(set.id, [leaf.word], { after: 'elements' }),
          });
          break;
        }
        for (const el of set.elements) {
          for (const st of el.stmts ?? []) {
            const p = st.kind === 'quota' ? quotaProblem(st) : undefined;
            if (p) reportOverUsed(ctx, `an element of ${set.kind} ${set.name}: ${p}`, set.id);
          }
        }
      }
    }
    for (const { ti, rule } of ctx.rules()) {
      checkRule(ctx, rule, ti.table.family);
      // the kernel counts connections (ct count) only in sets without timeouts: it refuses the rule at commit
      for (const s of rule.stmts) {
        if (s.kind !== 'setupdate' || !s.stmts?.some((x) => x.kind === 'connlimit')) continue;
        const set = ti.table.sets.find((x) => x.name === s.set);
        if (!set || !(set.flags.includes('timeout') || set.timeout !== undefined)) continue;
        ctx.report({
          id: 'value/connlimit-timeout',
          severity: 'error',
          message: `ct count on the elements of ${set.kind} ${set.name}, which has timeouts: the kernel refuses it (Operation not supported)`,
          why: CONNLIMIT_TIMEOUT_WHY,
          nodeId: rule.id,
          at: ctx.loc?.word(rule.id, ['count']),
        });
      }
    }
  },
};
