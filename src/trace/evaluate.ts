/**
 * The packet trace: a packet (or a flow of packets sharing one conntrack table)
 * walks the design's hooks in the kernel's order; at each hook every base chain
 * of every table of the packet's family runs in priority order (conntrack at
 * -200 in prerouting and output); rules run first to last, each statement
 * evaluated by its own module (src/stmts/<kind>.ts, `evaluate`); verdicts have
 * the kernel's meaning (accept ends the base chain, drop/reject/queue/stolen end
 * the packet, jump/goto/return use a call stack, a base chain's policy decides at
 * its end). The events are the ones `nft monitor trace` prints (events.ts).
 *
 * Kernel facts this follows (net/netfilter/nf_tables_core.c and the trace tier's
 * findings on the 6.18 kernel, src/trace/kernel/): a rule that matches emits an
 * event with its verdict (`continue` when it has none); a regular chain that ends
 * without a verdict returns to its caller with no event of its own; reject shows
 * as drop; the synproxy statement steals the client's SYN (it answers with a
 * SYN-ACK itself) and its valid ACK; NAT statements end with verdict accept; nat
 * chains see only a connection's first packet.
 */
import type { Statement } from '../model/stmt.ts';
import type { Chain, Hook, Rule, Ruleset, SetDecl, Table } from '../model/types.ts';
import type { BoundRule } from '../stmts/binding.ts';
import { stmtModule } from '../stmts/registry.ts';
import { forEachExpr } from '../model/nesting.ts';
import { limitOver } from '../stmts/limitBucket.ts';
import { formatRule } from '../emit/statements.ts';
import { formatSelector } from '../emit/selectors.ts';
import { CT_STATES, durationMs, ip4ToBig, ip6ToBig } from '../knowledge/datatypes.ts';
import { priorityValue } from '../knowledge/priorities.ts';
import { CONNTRACK_PRIORITY } from '../knowledge/stages.ts';
import { DEFAULT_LISTING_TARGET, type ListingTarget } from '../knowledge/listing.ts';
import { Variables } from '../json/variables.ts';
import type { EvalContext, LimitDecision, Outcome, TraceVerdict, Val, Valued } from './context.ts';
import { NEXT } from './context.ts';
import type { TraceEvent } from './events.ts';
import { l4Number, parsePacket, type Packet } from './packet.ts';
import { tcpFirst, tcpIndex, tcpStep, validTcpFlags, type TcpState, type TcpTrack } from './tcpState.ts';
import { Routing, RoutingError, type HostInterface, type HostRoute } from './routing.ts';
import { keyTuple, lookupMap, shownValue, testMatch, valueOf, writtenValue, type CtView, type Dynamic, type Scope } from './values.ts';
import { a } from '../lint/text.ts';

export const TCP_LOOSE = 'net.netfilter.nf_conntrack_tcp_loose';

export interface TraceOptions {
  /** the host's own addresses: a packet to one of them goes to input, any other is forwarded */
  hostAddrs?: readonly string[];
  /** sysctls by their full names (`net.netfilter.nf_conntrack_tcp_loose`) */
  sysctls?: Readonly<Record<string, string>>;
  /** answers to the assumptions, by key (`limit`, `quota`, `ct-count`, `socket`, a selector): yes/no */
  assume?: Readonly<Record<string, string>>;
  /** the host's interfaces and their addresses (its own addresses, and connected routes): the way out of a forwarded packet, masquerade's address */
  interfaces?: readonly HostInterface[];
  /** more routes (`0.0.0.0/0` by `eth0`) */
  routes?: readonly HostRoute[];
  /**
   * when each packet arrives, in seconds (non-decreasing, one per packet): limits
   * then run the kernel's token bucket instead of being an assumption
   */
  times?: readonly number[];
  target?: ListingTarget;
}

/** Why a rule was passed over. */
export interface WhyNot {
  family: string;
  table: string;
  chain: string;
  rule: string;
  why: string;
}

export interface PacketResult {
  packet: string;
  /** accept: it reached its destination (a local process, or out of the host); drop; stolen (synproxy answered); queue */
  verdict: 'accept' | 'drop' | 'stolen' | 'queue';
  /** the conntrack state the rules saw last (`new`, `established`, `invalid`, `untracked`, …) */
  ctState: string;
  /** the hooks it went through */
  path: Hook[];
  events: TraceEvent[];
  /** the id of the design's rule behind each event (undefined for policies and rules of chain bindings) */
  ruleIds: (string | undefined)[];
  whyNot: WhyNot[];
  /** what the trace took for granted, and how to change it */
  assumptions: string[];
  /** fields left out of the description, and what they were taken to be */
  defaults: string[];
  /** effects: counters, logs, marks, NAT, set updates, synproxy's answers */
  notes: string[];
  /** the limits' decisions from their token buckets (with the packets' times) */
  limits: LimitDecision[];
  /**
   * Packets the kernel itself sends because of this one, each traced through the
   * design as the kernel sends it: synproxy's handshake with the server after a
   * client's ACK with a valid cookie (its SYN, the server's SYN-ACK, its ACK to the
   * server, the window update to the client)
   */
  generated?: PacketResult[];
}

export interface TraceResult {
  packets: PacketResult[];
  /** chains whose relative order the kernel does not define (equal priorities) */
  warnings: string[];
}

export class TraceError extends Error {}

interface Entry {
  origKey: string;
  replyKey: string;
  replied: boolean;
  mark: bigint;
  status: bigint;
  original: { saddr: Val; daddr: Val; sport?: Val; dport?: Val };
  l3: 'ip' | 'ip6';
  l4: number;
  dnat?: { addr?: Val; port?: Val };
  snat?: { addr?: Val; port?: Val };
  /** TCP: conntrack's state of the connection (src/trace/tcpState.ts) */
  tcp?: TcpTrack;
  /** created by synproxy's own SYN to the server (conntrack's synproxy extension) */
  synproxy?: boolean;
}

/** What the packets of one flow share: the conntrack table, synproxy's cookies, the sets' added elements. */
export class Flow {
  readonly entries = new Map<string, Entry>();
  /**
   * The last tracked packet each address sent (by `l3|address`): an ICMP error
   * to that address quotes it, and conntrack finds its connection by the quote
   */
  readonly sentBy = new Map<string, { entry: Entry; key: string; reply: boolean; shown: string }>();
  /**
   * The packet a `reject` answered last: the kernel gives its answer (the TCP
   * reset, the ICMP error) the rejected packet's conntrack, related in the reply
   * direction (nf_ct_attach), although that entry is never confirmed
   */
  rejected: { entry: Entry; key: string; reply: boolean } | undefined;
  readonly cookies = new Set<string>();
  /** the next entry conntrack creates is synproxy's connection to the server */
  synproxyNext = false;
  readonly added = new Map<string, Dynamic[]>();
  /** the limits' token buckets */
  readonly buckets = new Map<object | string, { tokens: bigint; last: bigint }>();
}

const STATE_BITS = CT_STATES;

/**
 * ICMP messages conntrack reads as errors about another packet (icmp_is_err,
 * and ICMPv6's error types 1–127): their conntrack is the quoted packet's
 * connection, ct state related — or invalid when it has none
 */
const ICMP_ERROR_TYPES: Readonly<Record<'icmp' | 'icmpv6', (t: bigint) => boolean>> = {
  icmp: (t) => [3n, 4n, 5n, 11n, 12n].includes(t),
  icmpv6: (t) => t >= 1n && t < 128n,
};
/** ICMP requests that start a connection of their own (echo, timestamp, information, address mask; ICMPv6 echo and node information) */
const ICMP_REQUEST_TYPES: Readonly<Record<'icmp' | 'icmpv6', readonly bigint[]>> = { icmp: [8n, 13n, 15n, 17n], icmpv6: [128n, 139n] };
/**
 * ICMPv6 messages conntrack never tracks (nf_conntrack_proto_icmpv6.c, noct_valid_new):
 * MLD queries, reports and done (130–132, 143) and neighbour discovery (133–136):
 * ct state untracked, whatever came before
 */
const ICMPV6_UNTRACKED: readonly bigint[] = [130n, 131n, 132n, 133n, 134n, 135n, 136n, 143n];
const stateName = (bits: bigint): string => Object.entries(STATE_BITS).find(([, b]) => BigInt(b) === bits)?.[0] ?? bits.toString();

function addrVal(text: string): bigint | undefined {
  return text.includes(':') ? ip6ToBig(text) : ip4ToBig(text);
}

/** The packet's tuple as conntrack keys it, in its own direction and reversed. */
function tuples(p: Packet): { key: string; rev: string; saddr: Val; daddr: Val; sport?: Val; dport?: Val } {
  const ip = p.l3;
  const saddr = p.fields.get(`${ip} saddr`) ?? 0n;
  const daddr = p.fields.get(`${ip} daddr`) ?? 0n;
  let sport = p.fields.get(`${p.l4} sport`);
  let dport = p.fields.get(`${p.l4} dport`);
  if (p.l4 === 'icmp' || p.l4 === 'icmpv6') sport = dport = p.fields.get(`${p.l4} id`);
  const k = (a: Val, b: Val, c?: Val, d?: Val): string => `${ip}|${p.l4}|${a}|${b}|${c ?? ''}|${d ?? ''}`;
  return { key: k(saddr, daddr, sport, dport), rev: k(daddr, saddr, dport, sport), saddr, daddr, sport, dport };
}

function isYes(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^(1|yes|true|on|over)$/i.test(v)) return true;
  if (/^(0|no|false|off|under)$/i.test(v)) return false;
  return undefined;
}

interface Frame {
  name: string;
  rules: readonly (Rule | BoundRule)[];
  index: number;
}

/** Trace packets, in order, through the design (one flow: conntrack carries over). */
export function trace(rs: Ruleset, specs: readonly string[], options: TraceOptions = {}): TraceResult {
  const flow = new Flow();
  const warnings = new Set<string>();
  checkSysctls(options.sysctls ?? {}, warnings);
  const times = options.times;
  if (times) {
    if (times.length !== specs.length) throw new TraceError(`${times.length} times for ${specs.length} packets: give one time per packet`);
    times.forEach((t, i) => {
      if (!Number.isFinite(t) || t < 0 || (i > 0 && t < times[i - 1])) throw new TraceError(`the time of packet ${i + 1} (${t}) must be a number of seconds, not before the packet before it`);
    });
  }
  const packets = specs.map((spec, i) => tracePacket(rs, flow, spec, options, warnings, times ? BigInt(Math.round(times[i] * 1e9)) : undefined));
  return { packets, warnings: [...warnings] };
}

/**
 * The sysctls the trace reads (the outcome depends on them), and others a
 * synproxy host sets, which the trace takes note of but does not model.
 */
const MODELLED_SYSCTLS: readonly string[] = [TCP_LOOSE];
const KNOWN_SYSCTLS: readonly string[] = [TCP_LOOSE, 'net.ipv4.tcp_syncookies', 'net.ipv4.tcp_timestamps', 'net.netfilter.nf_conntrack_max', 'net.netfilter.nf_conntrack_buckets', 'net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'];

/** A short name is an error (never silently the default); a value that is no 0/1 too; a name the trace does not model is a warning. */
function checkSysctls(sysctls: Readonly<Record<string, string>>, warnings: Set<string>): void {
  for (const [name, value] of Object.entries(sysctls)) {
    if (!KNOWN_SYSCTLS.includes(name)) {
      const full = KNOWN_SYSCTLS.find((k) => k.endsWith(`.${name}`));
      if (full) throw new TraceError(`sysctl ${name}: give its full name, ${full}`);
      warnings.add(`sysctl ${name}: the trace does not know it, and ignores it (it reads ${MODELLED_SYSCTLS.join(', ')})`);
      continue;
    }
    if (MODELLED_SYSCTLS.includes(name) && isYes(value) === undefined) throw new TraceError(`sysctl ${name}=${value}: the value must be 0 or 1`);
    if (!MODELLED_SYSCTLS.includes(name)) warnings.add(`sysctl ${name}: not part of the packet's path as the trace models it (it reads ${MODELLED_SYSCTLS.join(', ')}); noted, no effect on the result`);
  }
}

interface BaseChain {
  table: Table;
  chain: Chain;
  priority: number;
}

function baseChains(rs: Ruleset, l3: 'ip' | 'ip6', hook: Hook, warnings: Set<string>): BaseChain[] {
  const out: BaseChain[] = [];
  for (const t of rs.tables) {
    if (t.family !== l3 && t.family !== 'inet') continue;
    if (t.flags.includes('dormant')) continue;
    for (const c of t.chains) {
      if (!c.base || c.base.hook !== hook) continue;
      const prio = priorityValue(t.family, c.base.priority);
      if (prio === undefined) throw new TraceError(`chain ${t.family} ${t.name} ${c.name}: its priority is a variable the trace cannot read`);
      out.push({ table: t, chain: c, priority: prio });
    }
  }
  // equal priorities: the kernel puts a hook registered later before those already there
  // (nf_hook_entries_grow), so for a design loaded in one go the later chain runs first —
  // seen on this kernel; reloading one table alone would change that order
  const order = new Map(out.map((c, i) => [c, i]));
  out.sort((a, b) => a.priority - b.priority || order.get(b)! - order.get(a)!);
  for (let i = 1; i < out.length; i++) {
    if (out[i].priority === out[i - 1].priority) {
      const a = out[i - 1];
      const b = out[i];
      warnings.add(
        `${hook}: ${a.table.family} ${a.table.name} ${a.chain.name} and ${b.table.family} ${b.table.name} ${b.chain.name} have the same priority (${a.priority}): their order is not defined by nft — the kernel runs the chain registered last first, so for this design loaded in one go ${a.table.name} ${a.chain.name} runs before ${b.table.name} ${b.chain.name} (as the trace does), but reloading one table alone reverses it; give them different priorities`,
      );
    }
  }
  if (hook === 'prerouting' || hook === 'output') {
    for (const c of out) {
      if (c.priority === CONNTRACK_PRIORITY) warnings.add(`${hook}: ${c.table.family} ${c.table.name} ${c.chain.name} has conntrack's priority (-200): whether it sees the packet before or after conntrack is not defined (the trace runs it after)`);
    }
  }
  return out;
}

function tracePacket(rs: Ruleset, flow: Flow, spec: string, options: TraceOptions, warnings: Set<string>, now: bigint | undefined): PacketResult {
  const target = options.target ?? DEFAULT_LISTING_TARGET;
  const sysctls = options.sysctls ?? {};
  const assumptions: string[] = [];
  const notes: string[] = [];
  const limits: LimitDecision[] = [];
  const events: TraceEvent[] = [];
  const ruleIds: (string | undefined)[] = [];
  const whyNot: WhyNot[] = [];
  const p = parsePacket(spec);
  const defaults = [...p.defaults];
  const vars = new Variables(rs.defines);
  const loose = isYes(sysctls[TCP_LOOSE]);
  const tcpLoose = loose ?? true;
  if (loose === undefined && p.l4 === 'tcp') defaults.push(`${TCP_LOOSE}=1 (the kernel's default)`);

  let routing: Routing;
  try {
    routing = new Routing(options.interfaces, options.routes);
  } catch (e) {
    if (e instanceof RoutingError) throw new TraceError(e.message);
    throw e;
  }
  const v6 = p.l3 === 'ip6';
  const hostAddrs = [...(options.hostAddrs ?? []).map(addrVal).filter((v): v is bigint => v !== undefined), ...routing.addresses()];
  const hasIif = p.fields.has('iif');
  const hasOif = p.fields.has('oif');
  let local: boolean; // sent by the host itself
  if (!hasIif && hasOif) local = true;
  else if (!hasIif && !hasOif) {
    local = false;
    defaults.push('arrives from the network (no iif or oif given)');
  } else local = false;
  const isHost = (v: Val | undefined): boolean => {
    if (hostAddrs.length === 0) return !hasOif;
    return typeof v === 'bigint' && hostAddrs.includes(v);
  };
  if (!local && hostAddrs.length === 0) defaults.push(hasOif ? 'forwarded (an oif is given and no host address)' : 'addressed to this host (no --host-addr given)');

  // conntrack as the rules see it: before conntrack runs, a packet has no entry (ct state invalid)
  const ct: CtView = { state: BigInt(STATE_BITS.invalid) };
  let untracked = false;
  let pending: Entry | undefined;
  let entry: Entry | undefined;
  let isNew = false;
  /** a reject refused the packet: the kernel sends its answer with the packet's conntrack */
  let rejected = false;
  let replyDir = false; // the packet goes in the reply direction of its connection
  /** the interface the packet leaves by, once routed (given in the packet, or by the routes) */
  let outDev: string | undefined;
  const givenOif = p.fields.get('oifname') ?? p.fields.get('oif');

  const assume = (key: string, what: string, byDefault: boolean): boolean => {
    const given = isYes(options.assume?.[key]);
    const v = given ?? byDefault;
    const line = `${what}: ${v ? 'yes' : 'no'}${given === undefined ? ` (assumed; set it with --assume ${key}=${v ? 'no' : 'yes'})` : ' (given)'}`;
    if (!assumptions.includes(line)) assumptions.push(line);
    return v;
  };

  /** sent to the host itself, and back in by the loopback: prerouting and input see it come in by "lo" */
  let looped = false;
  /** synproxy found a valid cookie in this ACK: it opens the connection to the server (traced after this packet) */
  let synOpen: { saddr: Val; daddr: Val; sport?: Val; dport?: Val; hook: Hook } | undefined;
  /** conntrack took this client ACK with synproxy's half-open connection: synproxy's hook sends its SYN again */
  let keepAlive = false;
  let currentTable: Table = rs.tables[0];
  let currentHook: Hook = local ? 'output' : 'prerouting';
  const scope: Scope = {
    iface(key) {
      const incoming = key.startsWith('i');
      // seen on this kernel: a forwarded packet keeps its iif in postrouting; a locally sent one has none
      const seen = incoming ? !local || looped : currentHook !== 'prerouting' && currentHook !== 'input';
      if (!seen) return { ok: true, v: '' };
      const v = incoming ? (p.fields.get('iifname') ?? p.fields.get('iif')) : outDev;
      if (v !== undefined) return { ok: true, v };
      if (incoming) return { ok: false, why: `the packet has no ${key}` };
      const line = `the interface the packet leaves by is not known (no oif in the packet and no route to its destination), so rules that test ${key} are taken not to match (give \`oif "eth1"\` in the packet, or the host's interfaces and routes)`;
      if (!assumptions.includes(line)) assumptions.push(line);
      return { ok: false, why: `the packet's ${key} is not known` };
    },
    packet: p,
    ct,
    target,
    byDefault(line) {
      if (!defaults.includes(line)) defaults.push(line);
    },
    set(name) {
      const decl: SetDecl | undefined = currentTable.sets.find((s) => s.name === name);
      if (!decl) return undefined;
      return { decl, added: live(flow.added.get(`${currentTable.family} ${currentTable.name} ${name}`) ?? []) };
    },
    variable(name) {
      try {
        return vars.expr(name);
      } catch (e) {
        throw new TraceError(`$${name}: ${(e as Error).message}`);
      }
    },
    assume(key, what): Valued {
      const v = p.assumed.get(key);
      if (v !== undefined) {
        const line = `${what}: given in the packet as ${key} ${typeof v === 'string' ? `"${v}"` : v.toString()}`;
        if (!assumptions.includes(line)) assumptions.push(line);
        return { ok: true, v };
      }
      const line = `${what}: unknown, so rules that test it are taken not to match (give it in the packet: \`${key} VALUE\`)`;
      if (!assumptions.includes(line)) assumptions.push(line);
      return { ok: false, why: `${key} is not known (an assumption: give it in the packet)` };
    },
  };

  const syncCt = (): void => {
    const e = entry ?? pending;
    if (untracked) {
      ct.state = BigInt(STATE_BITS.untracked);
      ct.entry = undefined;
      return;
    }
    if (!e) {
      ct.entry = undefined;
      return;
    }
    ct.entry = {
      mark: e.mark,
      status: e.status,
      direction: entry && replyDir ? 1n : 0n,
      original: e.original,
      l3: e.l3,
      l4: e.l4,
    };
  };

  /** The packet belongs to E's connection as a related one (an ICMP error, a reject's answer), in the reply direction or not. */
  const related = (e: Entry, reply: boolean, why: string): void => {
    entry = e;
    replyDir = reply;
    syncCt();
    ct.state = BigInt(STATE_BITS.related);
    notes.push(why);
  };

  /** An ICMP error to DADDR: conntrack reads the packet it quotes, which DADDR sent, and finds that packet's connection. */
  const relatedError = (daddr: Val): void => {
    const answered = flow.rejected;
    const q = flow.sentBy.get(`${p.l3}|${daddr}`);
    const addr = shownValue({ kind: 'payload', protocol: p.l3, field: 'daddr' }, daddr);
    if (q && assume('icmp-quote', `this ICMP error quotes the last packet ${addr} sent that conntrack tracked (${q.shown})`, true)) {
      if (answered && answered.entry === q.entry) flow.rejected = undefined;
      related(q.entry, !q.reply, `an ICMP error about ${q.shown}: conntrack finds that packet's connection, ct state related${q.reply ? '' : ' (reply direction)'}`);
      return;
    }
    ct.state = BigInt(STATE_BITS.invalid);
    ct.entry = undefined;
    notes.push(q ? 'an ICMP error that quotes no tracked packet (as given): ct state invalid' : `an ICMP error, but no packet from ${addr} is tracked in this flow, so it quotes no connection conntrack knows: ct state invalid`);
  };

  const conntrack = (): void => {
    if (untracked) {
      syncCt();
      return;
    }
    const t = tuples(p);
    if (p.l4 === 'tcp' && p.fields.get('tcp flags') === 18n && flow.cookies.has(t.rev)) {
      // synproxy's own SYN-ACK with the cookie: sent with the SYN's (untracked) conntrack
      untracked = true;
      ct.state = BigInt(STATE_BITS.untracked);
      ct.entry = undefined;
      notes.push('this SYN-ACK is the one synproxy sends with its syncookie (the server has not seen the SYN): it carries the SYN\'s untracked conntrack');
      return;
    }
    const icmpType = p.l4 === 'icmp' || p.l4 === 'icmpv6' ? p.fields.get(`${p.l4} type`) : undefined;
    if (p.l4 === 'icmpv6' && typeof icmpType === 'bigint' && ICMPV6_UNTRACKED.includes(icmpType)) {
      untracked = true;
      ct.state = BigInt(STATE_BITS.untracked);
      ct.entry = undefined;
      notes.push('conntrack never tracks neighbour discovery and MLD messages: ct state untracked');
      return;
    }
    if ((p.l4 === 'icmp' || p.l4 === 'icmpv6') && typeof icmpType === 'bigint' && ICMP_ERROR_TYPES[p.l4](icmpType)) {
      relatedError(t.daddr);
      return;
    }
    const answered = flow.rejected;
    const reset = p.l4 === 'tcp' && typeof p.fields.get('tcp flags') === 'bigint' && ((p.fields.get('tcp flags') as bigint) & 4n) !== 0n;
    if (answered && reset && !flow.entries.has(t.key) && answered.key === t.rev) {
      // reject's own TCP reset (its ICMP errors are read as errors, above)
      flow.rejected = undefined;
      related(answered.entry, !answered.reply, 'this packet answers the packet a reject just refused: the kernel gives it that packet\'s conntrack, ct state related in the reply direction (the entry itself is never confirmed)');
      return;
    }
    const tcpFlags = p.l4 === 'tcp' ? ((): bigint => {
      const f = p.fields.get('tcp flags');
      return typeof f === 'bigint' ? f : 0n;
    })() : 0n;
    if (p.l4 === 'tcp' && !validTcpFlags(tcpFlags)) {
      // tcp_error: refused before any lookup, the connection (if any) untouched
      ct.state = BigInt(STATE_BITS.invalid);
      ct.entry = undefined;
      notes.push('conntrack refuses this combination of TCP flags (only SYN, SYN-ACK, RST, RST-ACK, FIN-ACK and ACK, with or without URG, PSH, ECE, CWR, are valid): ct state invalid');
      return;
    }
    let fwd = flow.entries.get(t.key);
    if (fwd && p.l4 === 'tcp') {
      const reply = fwd.origKey !== t.key;
      const track = (fwd.tcp ??= { state: 'established', closeInit: false });
      const before = track.state;
      const stateName = (x: string): string => x.toUpperCase();
      if (!assume('tcp-window', 'the TCP sequence and acknowledgement numbers are inside the connection\'s window (conntrack\'s window check)', true)) {
        ct.state = BigInt(STATE_BITS.invalid);
        ct.entry = undefined;
        notes.push('outside the connection\'s TCP window (as given): conntrack marks it invalid and leaves the connection as it was');
        return;
      }
      const index = tcpIndex(tcpFlags);
      const step = tcpStep(track, tcpFlags, reply);
      if (step === 'reopen') {
        // a SYN to a connection in TIME_WAIT (or one this side reset): the kernel deletes the entry and looks the packet up again
        flow.entries.delete(fwd.origKey);
        flow.entries.delete(fwd.replyKey);
        notes.push(`this SYN reopens a closed connection (conntrack's ${stateName(before)} state): the old entry is deleted and the packet is looked up again`);
        fwd = undefined;
      } else if (step === 'invalid' && fwd.synproxy && before === 'syn_sent' && index === 'ack' && !reply) {
        // nf_conntrack_proto_tcp.c: "SYN proxy client keep alive"
        keepAlive = true;
        notes.push('an ACK from the client while synproxy\'s SYN to the server is unanswered: conntrack takes it with that half-open connection (its synproxy keep-alive case), ct state new');
      } else if (step === 'invalid') {
        ct.state = BigInt(STATE_BITS.invalid);
        ct.entry = undefined;
        notes.push(`conntrack's TCP state machine takes no ${index === 'none' ? 'packet without SYN, ACK, FIN or RST' : stateName(index)} in the ${reply ? 'reply' : 'original'} direction of a connection in its ${stateName(before)} state: ct state invalid`);
        return;
      } else {
        if (step === 'ignore') notes.push(`conntrack lets this ${stateName(index)} pass with its connection without changing the connection's state (${stateName(before)})`);
        else if (step !== before) notes.push(`the connection's TCP state: ${stateName(before)} → ${stateName(step)}`);
        if (index === 'rst' && !fwd.replied) {
          // no answer seen yet: a reset deletes the entry at once (the packet itself keeps it)
          flow.entries.delete(fwd.origKey);
          flow.entries.delete(fwd.replyKey);
          notes.push('a reset before any answer: conntrack deletes the entry at once');
        }
      }
    }
    if (fwd) {
      entry = fwd;
      replyDir = fwd.origKey !== t.key;
      if (fwd.origKey === t.key) {
        ct.state = BigInt(fwd.replied ? STATE_BITS.established : STATE_BITS.new);
      } else {
        fwd.replied = true;
        fwd.status |= 2n; // seen-reply
        ct.state = BigInt(STATE_BITS.established);
      }
      syncCt();
      return;
    }
    let verdict: 'new' | 'invalid' = 'new';
    let first: TcpState | undefined;
    if (p.l4 === 'tcp') {
      const f = tcpFirst(tcpFlags);
      const pickup = f === 'established';
      if (f === 'invalid' || (pickup && !tcpLoose)) verdict = 'invalid';
      else first = f;
      if (pickup) {
        notes.push(
          tcpLoose
            ? `conntrack has no entry for this ACK and ${TCP_LOOSE}=1: it picks the connection up mid-stream, ct state new`
            : `conntrack has no entry for this ACK and ${TCP_LOOSE}=0: ct state invalid`,
        );
      } else if (f === 'invalid') notes.push(`${a(tcpIndex(tcpFlags).toUpperCase())} that belongs to no connection starts none: ct state invalid`);
    } else if (p.l4 === 'icmp' || p.l4 === 'icmpv6') {
      verdict = typeof icmpType === 'bigint' && ICMP_REQUEST_TYPES[p.l4].includes(icmpType) ? 'new' : 'invalid';
      if (verdict === 'invalid') notes.push('an ICMP message that starts no connection and belongs to none: ct state invalid');
    }
    if (verdict === 'invalid') {
      ct.state = BigInt(STATE_BITS.invalid);
      ct.entry = undefined;
      return;
    }
    pending = { origKey: t.key, replyKey: t.rev, replied: false, mark: 0n, status: 0n, original: { saddr: t.saddr, daddr: t.daddr, sport: t.sport, dport: t.dport }, l3: p.l3, l4: l4Number(p.l4), ...(first ? { tcp: { state: first, closeInit: false } } : {}) };
    if (flow.synproxyNext) {
      pending.synproxy = true;
      flow.synproxyNext = false;
    }
    isNew = true;
    ct.state = BigInt(STATE_BITS.new);
    syncCt();
  };

  /**
   * Established packets get their connection's NAT without the nat chains: in
   * the original direction its dnat (prerouting, output) and snat (postrouting,
   * input); in the reply direction the reverse, the snat undone on the
   * destination and the dnat undone on the source.
   */
  const applyNat = (at: Hook): void => {
    const e = entry;
    if (!e) return;
    const dst = at === 'prerouting' || at === 'output';
    const ports = p.l4 !== 'icmp' && p.l4 !== 'icmpv6';
    const set = (field: 'saddr' | 'daddr' | 'sport' | 'dport', v: Val | undefined): void => {
      if (v === undefined) return;
      if (field.endsWith('addr')) p.fields.set(`${p.l3} ${field}`, v);
      else if (ports) p.fields.set(`${p.l4} ${field}`, v);
    };
    if (!replyDir) {
      if (dst && e.dnat) {
        set('daddr', e.dnat.addr);
        set('dport', e.dnat.port);
      } else if (!dst && e.snat) {
        set('saddr', e.snat.addr);
        set('sport', e.snat.port);
      }
    } else if (dst && e.snat) {
      set('daddr', e.original.saddr);
      set('dport', e.original.sport);
    } else if (!dst && e.dnat) {
      set('saddr', e.original.daddr);
      set('sport', e.original.dport);
    }
  };

  const ctxFor = (table: Table): EvalContext => {
    const c: EvalContext = {
      family: table.family,
      object: (type, name) => table.objects.find((o) => o.type === type && o.name === name),
      test: (left, op, right) => testMatch(left, op, right, scope),
      value: (e) => valueOf(e, scope),
      lookup: (key, map) => lookupMap(key, map, scope),
      write(key, value) {
        const v = writtenValue(key, value, scope);
        const sel = formatSelector(key);
        if (v === undefined) {
          notes.push(`${sel} set: the value cannot be worked out (not changed)`);
          return;
        }
        if (key.kind === 'ct' && key.key === 'mark') {
          const e = entry ?? pending;
          if (e && typeof v === 'bigint') {
            e.mark = v;
            syncCt();
          }
        } else p.fields.set(key.kind === 'meta' ? `meta ${key.key}` : sel, v);
        notes.push(`${sel} set to ${shownValue(key, v)}`);
      },
      rejected() {
        rejected = true;
      },
      notrack() {
        if (entry || pending) {
          notes.push('notrack has no effect: conntrack has already seen the packet');
          return;
        }
        untracked = true;
        ct.state = BigInt(STATE_BITS.untracked);
        notes.push('notrack: conntrack will not track this packet (ct state untracked)');
      },
      synproxy(): Outcome {
        if (p.l4 !== 'tcp') return NEXT;
        const f = p.fields.get('tcp flags');
        const flags = typeof f === 'bigint' ? f : 0n;
        const syn = (flags & 2n) !== 0n;
        const ack = (flags & 16n) !== 0n;
        const other = (flags & 5n) !== 0n; // fin, rst
        const t = tuples(p);
        if (syn && !ack && !other) {
          flow.cookies.add(t.key);
          notes.push('synproxy answers the SYN itself with a SYN-ACK carrying a syncookie: the SYN goes no further (verdict stolen), and conntrack keeps no entry for it');
          return { kind: 'verdict', verdict: 'stolen' };
        }
        if (ack && !syn && !other) {
          if (!flow.cookies.has(t.key)) {
            notes.push('synproxy: this ACK does not answer a SYN-ACK of this synproxy (no valid syncookie): dropped');
            return { kind: 'verdict', verdict: 'drop' };
          }
          flow.cookies.delete(t.key);
          synOpen = { saddr: t.saddr, daddr: t.daddr, sport: t.sport, dport: t.dport, hook: currentHook };
          notes.push('synproxy checks the syncookie in the ACK and opens the connection to the server itself: the client\'s ACK goes no further (verdict stolen); its own SYN to the server follows, traced through the design as the kernel sends it');
          return { kind: 'verdict', verdict: 'stolen' };
        }
        return NEXT;
      },
      nat(type, addr, port) {
        const e = pending ?? entry;
        const a = addr ? writtenValue({ kind: 'payload', protocol: p.l3, field: 'daddr' }, addr, scope) : undefined;
        const pt = port ? writtenValue({ kind: 'payload', protocol: p.l4, field: 'dport' }, port, scope) : undefined;
        let to = a;
        if (type === 'redirect') {
          // to the host itself: the address of the interface it came in by (output: the loopback)
          const iif = p.fields.get('iifname') ?? p.fields.get('iif');
          to = local ? (v6 ? 1n : 0x7f000001n) : routing.addressOf(typeof iif === 'string' ? iif : undefined, v6);
          if (to === undefined) notes.push(`redirect: the address of ${typeof iif === 'string' ? `"${iif}"` : 'the incoming interface'} is not known (give the host's interfaces), the destination address is left as it is`);
        } else if (type === 'masquerade') {
          to = routing.addressOf(outDev, v6);
          if (to === undefined) notes.push(`masquerade: the address of ${outDev ? `"${outDev}"` : 'the outgoing interface'} is not known (give the host's interfaces), the source address is left as it is`);
        }
        const dnat = type === 'dnat' || type === 'redirect';
        const at = { addr: to, port: pt };
        if (to !== undefined) p.fields.set(`${p.l3} ${dnat ? 'daddr' : 'saddr'}`, to);
        if (pt !== undefined) p.fields.set(`${p.l4} ${dnat ? 'dport' : 'sport'}`, pt);
        if (e) {
          if (dnat) e.dnat = at;
          else e.snat = at;
          e.status |= dnat ? 32n : 16n;
          syncCt();
        }
        notes.push(`${type}${to !== undefined ? ` to ${shownValue({ kind: 'payload', protocol: p.l3, field: 'daddr' }, to)}` : ''}${pt !== undefined ? ` port ${pt.toString()}` : ''}: recorded on the connection`);
      },
      updateSet(op, set, key, data, stmts, timeout) {
        const name = `${table.family} ${table.name} ${set}`;
        const decl = table.sets.find((s) => s.name === set);
        if (!decl) return { kind: 'nomatch', why: `@${set} does not exist in this table` };
        const k = keyTuple(key, scope, decl);
        if (!k.ok) return { kind: 'nomatch', why: k.why };
        // elements that timed out are gone (the kernel's set GC; a lookup never sees them)
        const list = live(flow.added.get(name) ?? []);
        const i = list.findIndex((d) => d.key.length === k.key.length && d.key.every((x, j) => x === k.key[j]));
        // the element's timeout: the statement's, else the set's; `update` restarts it, `add` leaves an element there alone
        const ttl = timeout ?? decl.timeout;
        const ms = ttl !== undefined ? durationMs(ttl) : undefined;
        let expires: bigint | undefined;
        if (ms !== undefined && ms > 0) {
          if (now !== undefined) expires = now + BigInt(ms) * 1_000_000n;
          else {
            const line = `set elements with a timeout (@${set}: ${ttl}) do not time out between these packets (no times given: --times)`;
            if (!assumptions.includes(line)) assumptions.push(line);
          }
        }
        if (op === 'delete') {
          if (i >= 0) list.splice(i, 1);
        } else if (i < 0) list.push({ key: k.key, data, expires });
        else if (op === 'update') list[i] = { key: k.key, data: data ?? list[i].data, expires };
        flow.added.set(name, list);
        const shown = shownValue(k.typed, k.key.length === 1 ? k.key[0] : k.key);
        notes.push(`${op} @${set}: ${shown}`);
        if (op === 'delete') return NEXT;
        // the element's own statements, run on it (the kernel's dynset): a limit per element, a counter …
        for (const st of stmts ?? []) {
          if (st.kind === 'limit') {
            const over = limitOver(st, c, `${name} ${k.key.join(' . ')}`, `@${set} element ${shown}: limit rate ${st.over ? 'over ' : ''}${st.rate}/${st.per}`);
            if (over !== Boolean(st.over)) return { kind: 'nomatch', why: over ? `over the rate of @${set}'s element ${shown}` : `under the rate of @${set}'s element ${shown}` };
            continue;
          }
          const o = evalStmt(st, c);
          if (o.kind === 'nomatch') return o;
        }
        return NEXT;
      },
      assume,
      note: (text) => notes.push(text),
      clock(id) {
        if (now === undefined || isYes(options.assume?.limit) !== undefined) return undefined;
        const line = "limits: the kernel's token bucket over the packets' times (given)";
        if (!assumptions.includes(line)) assumptions.push(line);
        return {
        now,
        state: flow.buckets.get(id),
        save(tokens, decision) {
          flow.buckets.set(id, { tokens, last: now });
          limits.push(decision);
        },
      };
      },
      length() {
        const v = p.fields.get('meta length') ?? p.fields.get('ip length') ?? p.fields.get('ip6 length');
        if (typeof v !== 'bigint') return undefined;
        return p.fields.has('meta length') || p.l3 === 'ip' ? v : v + 40n;
      },
    };
    return c;
  };

  /** The elements added to a set that have not timed out by this packet's time. */
  function live(list: Dynamic[]): Dynamic[] {
    return now === undefined ? list : list.filter((d) => d.expires === undefined || d.expires > now);
  }

  /** Run one base chain; its verdict (accept: go on to the next base chain). */
  const runBase = (bc: BaseChain): TraceVerdict => {
    const table = bc.table;
    currentTable = table;
    const ctx = ctxFor(table);
    const stack: Frame[] = [];
    let frame: Frame = { name: bc.chain.name, rules: bc.chain.rules, index: 0 };
    const chainNamed = (name: string): Chain => {
      const c = table.chains.find((x) => x.name === name);
      if (!c) throw new TraceError(`chain ${name} does not exist in table ${table.family} ${table.name}`);
      return c;
    };
    const policyEnd = (): 'accept' | 'drop' => {
      const policy = policyOf(bc.chain, vars);
      events.push({ family: table.family, table: table.name, chain: bc.chain.name, type: 'policy', verdict: policy });
      ruleIds.push(undefined);
      return policy;
    };
    for (let guard = 0; guard < 1_000_000; guard++) {
      if (frame.index >= frame.rules.length) {
        // the end of a chain without a verdict: back to the caller (no event), or the base chain's policy
        const caller = stack.pop();
        if (!caller) return policyEnd();
        frame = caller;
        continue;
      }
      const rule = frame.rules[frame.index++];
      const ruleText = (): string => formatRule({ id: '', stmts: rule.stmts, comment: rule.comment }, { family: table.family, target });
      let outcome: Outcome = NEXT;
      for (const s of rule.stmts) {
        outcome = evalStmt(s, ctx);
        if (outcome.kind !== 'next') break;
      }
      if (outcome.kind === 'nomatch') {
        // the rule's text is written when it is read (a packet passes over thousands of rules in a big design)
        let text: string | undefined;
        const w = { family: table.family, table: table.name, chain: frame.name, why: outcome.why } as WhyNot;
        Object.defineProperty(w, 'rule', { enumerable: true, get: () => (text ??= ruleText()) });
        whyNot.push(w);
        continue;
      }
      const verdict: TraceVerdict = outcome.kind === 'next' ? 'continue' : outcome.verdict;
      const shown = outcome.kind === 'verdict' && (outcome.target || outcome.rules) ? `${verdict} ${outcome.target ?? '(anonymous chain)'}` : verdict;
      events.push({ family: table.family, table: table.name, chain: frame.name, type: 'rule', rule: ruleText(), verdict: shown });
      ruleIds.push('id' in rule ? rule.id : undefined);
      if (outcome.kind === 'next' || verdict === 'continue') continue;
      switch (verdict) {
        case 'accept':
        case 'drop':
        case 'stolen':
        case 'queue':
          return verdict;
        case 'return': {
          const caller = stack.pop();
          if (!caller) return policyEnd();
          frame = caller;
          continue;
        }
        case 'jump':
        case 'goto': {
          const o = outcome as Extract<Outcome, { kind: 'verdict' }>;
          const next: Frame = o.rules ? { name: `${frame.name} (anonymous chain)`, rules: o.rules, index: 0 } : ((c) => ({ name: c.name, rules: c.rules, index: 0 }))(chainNamed(o.target ?? ''));
          if (verdict === 'jump') {
            if (stack.length >= 16) throw new TraceError(`more than 16 nested jumps (the kernel's limit) at chain ${frame.name}`);
            stack.push(frame);
          }
          frame = next;
          continue;
        }
      }
    }
    throw new TraceError('the trace did not end (a loop of chains)');
  };

  const path: Hook[] = [];
  let final: PacketResult['verdict'] = 'accept';
  const runHook = (h: Hook): boolean => {
    path.push(h);
    currentHook = h;
    const chains = baseChains(rs, p.l3, h, warnings);
    // (a packet back in by the loopback keeps the conntrack it left with)
    let tracked = !(h === 'prerouting' || h === 'output') || looped;
    // NAT of an established connection happens where its nat chains are (dstnat/srcnat when there are none)
    const natChains = chains.filter((c) => c.chain.base?.type === 'nat');
    const natAt = natChains.length ? Math.min(...natChains.map((c) => c.priority)) : h === 'prerouting' || h === 'output' ? -100 : 100;
    let natDone = h === 'forward' || looped;
    for (const bc of chains) {
      if (!tracked && bc.priority > CONNTRACK_PRIORITY) {
        conntrack();
        tracked = true;
      }
      if (!natDone && bc.priority >= natAt) {
        applyNat(h);
        natDone = true;
      }
      if (bc.chain.base?.type === 'nat' && !(isNew && (entry ?? pending))) continue;
      const v = runBase(bc);
      if (v !== 'accept') {
        final = v === 'continue' || v === 'return' || v === 'jump' || v === 'goto' ? 'accept' : v;
        return false;
      }
    }
    if (!tracked) conntrack();
    if (!natDone) applyNat(h);
    return true;
  };

  /** conntrack keeps the entry once the packet has passed every hook (a locally sent one: postrouting) */
  let confirmed = false;
  const confirm = (): void => {
    if (confirmed || !pending) return;
    confirmed = true;
    const t = tuples(p);
    pending.replyKey = t.rev;
    flow.entries.set(pending.origKey, pending);
    flow.entries.set(pending.replyKey, pending);
    pending.status |= 8n;
  };

  /** the routing decision (after prerouting's destination NAT): the interface out, as given in the packet or by the routes */
  const routeOut = (): void => {
    outDev = typeof givenOif === 'string' ? givenOif : routing.route(p.fields.get(`${p.l3} daddr`), v6);
  };
  if (local) routeOut();
  let ok = runHook(local ? 'output' : 'prerouting');
  if (ok && !local) {
    const daddr = p.fields.get(`${p.l3} daddr`);
    if (isHost(daddr)) ok = runHook('input');
    else {
      routeOut();
      ok = runHook('forward');
      if (ok) ok = runHook('postrouting');
    }
  } else if (ok && local) {
    ok = runHook('postrouting');
    // to the host itself: confirmed as it leaves, then back in by the loopback, with its conntrack
    // (seen on this kernel: synproxy's SYN to a local server is `oif "lo"`, then `iif "lo"`)
    if (ok && (givenOif === 'lo' || (hostAddrs.length > 0 && isHost(p.fields.get(`${p.l3} daddr`))))) {
      confirm();
      looped = true;
      isNew = false;
      p.fields.set('iif', 'lo');
      p.fields.set('iifname', 'lo');
      notes.push('sent to the host itself: it comes back in by the loopback ("lo") with the conntrack it left with');
      ok = runHook('prerouting');
      if (ok) ok = runHook('input');
    }
  }
  if (ok) confirm();
  // what an ICMP error about this packet would quote: it, as it left (after NAT)
  const tracked = ct.state !== BigInt(STATE_BITS.related) ? ((ok || rejected) && (entry ?? pending)) : undefined;
  if (tracked && !untracked) {
    const t = tuples(p);
    const show = (k: 'saddr' | 'daddr', port: Val | undefined): string => `${shownValue({ kind: 'payload', protocol: p.l3, field: k }, t[k])}${port === undefined || p.l4 === 'icmp' || p.l4 === 'icmpv6' ? '' : `:${port.toString()}`}`;
    flow.sentBy.set(`${p.l3}|${t.saddr}`, { entry: tracked, key: t.key, reply: replyDir, shown: `${p.l4} ${show('saddr', t.sport)} → ${show('daddr', t.dport)}` });
  }
  const refused = entry ?? pending;
  if (rejected && refused && !untracked) flow.rejected = { entry: refused, key: tuples(p).key, reply: replyDir };
  const result: PacketResult = { packet: spec, verdict: final, ctState: stateName(ct.state), path, events, ruleIds, whyNot, assumptions, defaults, notes, limits };
  if (keepAlive && ok && !synOpen) {
    // synproxy's hook (after the chains) checks the cookie again and sends its SYN to the server again
    const t = tuples(p);
    synOpen = { saddr: t.saddr, daddr: t.daddr, sport: t.sport, dport: t.dport, hook: path.includes('forward') ? 'forward' : 'input' };
    result.verdict = 'stolen';
    notes.push('synproxy\'s hook takes this ACK after the chains and sends its SYN to the server again');
  }
  if (synOpen) {
    const iif = p.fields.get('iifname') ?? p.fields.get('iif');
    const gen = synproxyHandshake(rs, flow, options, warnings, now, {
      ...synOpen,
      l3: p.l3,
      clientDev: routing.route(synOpen.saddr, v6) ?? (typeof iif === 'string' ? iif : undefined),
      serverDev: synOpen.hook === 'input' ? 'lo' : (typeof givenOif === 'string' ? givenOif : routing.route(synOpen.daddr, v6)),
    });
    if (gen.length) result.generated = gen;
    else notes.push('synproxy\'s handshake with the server is not traced: the interface to the client or to the server is not known (give iif, and oif for a forwarded packet, or the host\'s interfaces and routes)');
  }
  return result;
}

interface SynproxyOpen {
  l3: 'ip' | 'ip6';
  saddr: Val;
  daddr: Val;
  sport?: Val;
  dport?: Val;
  /** where synproxy ran: input (a local server, reached by the loopback) or forward (a server behind the host) */
  hook: Hook;
  clientDev: string | undefined;
  serverDev: string | undefined;
}

/**
 * synproxy's handshake with the server, as the kernel sends it (seen on this 6.18
 * kernel with `nft monitor trace`): its SYN to the server (`oif "lo"` and back in by
 * "lo" for a local server); the server's SYN-ACK, which synproxy's own hook takes
 * after the chains; then its ACK to the server and a window update to the client.
 * Each packet is traced through the design with the flow's conntrack, so a chain
 * that drops synproxy's SYN (an input chain with policy drop and no rule for it)
 * shows here, and the connection stays half-open.
 */
function synproxyHandshake(rs: Ruleset, flow: Flow, options: TraceOptions, warnings: Set<string>, now: bigint | undefined, o: SynproxyOpen): PacketResult[] {
  const out: PacketResult[] = [];
  const addr = (v: Val): string => shownValue({ kind: 'payload', protocol: o.l3, field: 'saddr' }, v);
  const c = `${o.l3} saddr ${addr(o.saddr)} ${o.l3} daddr ${addr(o.daddr)} tcp sport ${String(o.sport)} tcp dport ${String(o.dport)}`;
  const s = `${o.l3} saddr ${addr(o.daddr)} ${o.l3} daddr ${addr(o.saddr)} tcp sport ${String(o.dport)} tcp dport ${String(o.sport)}`;
  if (o.serverDev === undefined || o.clientDev === undefined) {
    return [];
  }
  const run = (spec: string, what: string): PacketResult => {
    const r = tracePacket(rs, flow, spec, options, warnings, now);
    r.notes.unshift(what);
    out.push(r);
    return r;
  };
  flow.synproxyNext = true;
  const syn = run(`oif "${o.serverDev}" ${c} tcp flags syn`, 'synproxy\'s own SYN to the server, with the client\'s addresses and ports');
  flow.synproxyNext = false;
  if (syn.verdict !== 'accept') {
    syn.notes.push('the server never gets synproxy\'s SYN, so the connection does not open: the client believes it is connected, and each packet it sends next is taken with this half-open connection (ct state new); synproxy sends its SYN again for each one the rules let through');
    return out;
  }
  const fromServer = o.hook === 'input' ? `oif "${o.clientDev}" ${s} tcp flags syn,ack` : `iif "${o.serverDev}" ${s} tcp flags syn,ack`;
  const synack = run(fromServer, 'the server\'s SYN-ACK to synproxy\'s SYN');
  if (synack.verdict !== 'accept') {
    synack.notes.push('synproxy never gets the server\'s SYN-ACK, so the connection does not open');
    return out;
  }
  synack.verdict = 'stolen';
  synack.notes.push('synproxy\'s hook takes the server\'s SYN-ACK after the chains (it never reaches the client): it answers the server with an ACK and sends the client a window update');
  run(`oif "${o.serverDev}" ${c} tcp flags ack`, 'synproxy\'s ACK to the server: the connection is open on both sides');
  run(`oif "${o.clientDev}" ${s} tcp flags ack`, 'synproxy\'s window update to the client');
  return out;
}

function evalStmt(s: Statement, ctx: EvalContext): Outcome {
  // a map lookup that finds no element ends the rule there, unmatched (the kernel's
  // lookup expression breaks: `dnat to tcp dport map { 80 : … }` does nothing to port 8080)
  if (s.kind !== 'match' && s.kind !== 'vmap') {
    let missed: string | undefined;
    for (const e of stmtModule(s.kind).exprs(s as never)) {
      forEachExpr(e, (x) => {
        if (missed === undefined && x.kind === 'map') {
          const r = ctx.lookup(x.key, x.data);
          if ('why' in r) missed = r.why;
        }
      });
    }
    if (missed !== undefined) return { kind: 'nomatch', why: missed };
  }
  return (stmtModule(s.kind) as unknown as { evaluate(s: Statement, ctx: EvalContext): Outcome }).evaluate(s, ctx);
}

function policyOf(c: Chain, vars: Variables): 'accept' | 'drop' {
  const p = c.base?.policy ?? 'accept';
  if (p.startsWith('$')) {
    try {
      return vars.policy(p.slice(1));
    } catch (e) {
      throw new TraceError(`chain ${c.name}: ${(e as Error).message}`);
    }
  }
  return p === 'drop' ? 'drop' : 'accept';
}


