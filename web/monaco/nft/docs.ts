/**
 * What the preview's hovers say about nft words, for people learning nftables.
 * Facts that live in `src/knowledge/` (families, hooks, priorities, kernel
 * stages, placement, versions, synproxy numbers) are read from there; the prose
 * around them is written here. Markdown, rendered by Monaco without HTML.
 */
import { FAMILY_DESCRIPTIONS } from '../../../src/knowledge/families.ts';
import { PLACEMENT, type PlacedStatement } from '../../../src/knowledge/placement.ts';
import { stdPriorities } from '../../../src/knowledge/priorities.ts';
import { BRIDGE_STAGES, CONNTRACK_PRIORITY, IP_STAGES } from '../../../src/knowledge/stages.ts';
import { SYNPROXY_MSS_TYPICAL, SYNPROXY_WSCALE_TCP_MAX, tcpdumpSynAckCommand } from '../../../src/knowledge/synproxyFacts.ts';
import { FEATURES } from '../../../src/knowledge/versions.ts';
import { TABLE_FLAGS, TABLE_FLAG_INFO } from '../../../src/knowledge/vocabulary.ts';
import type { Family, Hook } from '../../../src/model/types.ts';
import { stmtModule } from '../../../src/stmts/registry.ts';

const SYNPROXY_VERSIONS = `Needs nft ≥ ${FEATURES.synproxyStmt.since} for the statement, ≥ ${FEATURES.synproxyObject.since} for named synproxy objects (and ≥ ${FEATURES.synproxyMaps.since} for maps of them).`;
const TCPDUMP = `\`${tcpdumpSynAckCommand('443')}\``;

function placement(stmt: PlacedStatement): string {
  const p = PLACEMENT[stmt];
  const where = `${p.chainType ? `${p.chainType} chains on ` : ''}the ${p.hooks.join(', ')} hook${p.hooks.length > 1 ? 's' : ''}`;
  return `Allowed only in ${where} (${p.families.join('/')}): ${p.purpose}. The kernel checks this when the ruleset is loaded, so \`nft -c\` does not catch it.`;
}

/** Statements, verdicts and structural keywords. */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
  // verdicts
  accept: 'Verdict: let the packet through **this chain**. Later base chains on the same hook (other tables, later priorities) still see it; only `drop` is final.',
  drop: 'Verdict: discard the packet silently. Final: no later chain sees it. The sender gets no answer (compare `reject`).',
  continue: 'Verdict: go on with the next rule (what happens anyway when a rule has no verdict).',
  return: 'Verdict: leave this chain. In a chain reached by `jump`, continue after the jump; in a base chain, apply its policy.',
  jump: 'Verdict: process the named regular chain, then come back here (unless it ends with a verdict such as accept or drop).',
  goto: 'Verdict: process the named regular chain and **do not** come back here: at its end, processing returns to the last `jump` (or, if there was none, the base chain\'s policy applies).',
  queue: 'Verdict: hand the packet to a userspace program through nfqueue.',
  // statements
  counter: 'Statement: count the packets and bytes that reach it. `counter name "x"` uses a named counter object instead.',
  log: 'Statement: write the packet to the kernel log (`prefix "…"`, `level`, or `group N` for nflog).',
  limit: 'Statement: match only while the rate is below `rate N/second|minute|hour|day` (with `burst`); `rate over` matches above it. Often used to rate-limit SSH or logging.',
  quota: 'Statement: match until a byte quota is used up (`quota until 10 mbytes`), or after it (`quota over …`).',
  notrack: `Statement: tell connection tracking to leave this packet alone (ct state becomes \`untracked\`). It only works **before conntrack**, i.e. in a prerouting or output chain with priority below ${CONNTRACK_PRIORITY} (\`priority raw\`, -300). The synproxy setup uses it for incoming SYNs.`,
  synproxy: `Statement: answer TCP handshakes on behalf of the server with SYN cookies, and only connect to the server once the client has completed the handshake. This keeps spoofed SYN floods away from the server and out of the conntrack table.\n\nTypical rule: \`tcp dport 443 ct state invalid,untracked synproxy mss ${SYNPROXY_MSS_TYPICAL.ethernet} wscale 7 timestamp sack-perm\`, after a \`notrack\` rule for the SYNs at priority raw, followed by \`ct state invalid drop\`.\n\n${placement('synproxy')}\n\n${SYNPROXY_VERSIONS}`,
  snat: `Statement: rewrite the source address (\`snat to 192.0.2.1\`). ${placement('snat')}`,
  dnat: `Statement: rewrite the destination address/port (\`dnat to 10.0.0.2:8080\`). ${placement('dnat')}`,
  masquerade: `Statement: source NAT to the address of the outgoing interface (for dynamic addresses). ${placement('masquerade')}`,
  redirect: `Statement: send the packet to a port on this host (\`redirect to :8080\`). ${placement('redirect')}`,
  reject: `Statement and verdict: drop the packet and answer with an ICMP error or a TCP reset (\`reject with tcp reset\`). ${placement('reject')}`,
  tproxy: `Statement: transparent proxying to a local socket. ${placement('tproxy')}`,
  dup: 'Statement: send a copy of the packet to another address or device.',
  fwd: 'Statement (netdev): forward the packet to another device, bypassing the IP stack.',
  meter: 'Statement: per-key rate limiting or counting with a dynamic set (older syntax; prefer `add @set { … }` / `update @set { … }`).',
  last: `Statement: ${stmtModule('last').summary}; nft lists \`last used never\` or the time since (\`last used 5m24ms\`). Needs nft ≥ ${stmtModule('last').since ?? ''}.`,
  flow: `Statement: ${stmtModule('flow').summary} (\`flow add @ft\`).`,
  update: 'Statement: add or refresh an element in a dynamic set from the packet (`update @flood { ip saddr limit rate over 10/second }`).',
  // structure
  table: 'A table holds chains, sets, maps and named objects of **one family**. Tables are independent: every table\'s base chains see the packet.',
  chain: 'A chain is a list of rules. A **base chain** has `type … hook … priority …;` and is called by the kernel; a **regular chain** is only reached by `jump`/`goto`.',
  set: 'A named set: a typed collection (addresses, ports, …) that rules match with `@name`. Changing its elements does not reload the rules.',
  map: 'A named map: looks up a key (`ip saddr map @m`) and returns a value; a verdict map (`vmap`) returns a verdict.',
  vmap: 'Verdict map: choose a verdict by key, e.g. `tcp dport vmap { 22 : jump ssh, 80 : accept }`.',
  flowtable: 'A flowtable: established flows between the listed devices are forwarded by a fast path that bypasses the rest of the hooks (`flow add @ft`).',
  type: 'In a chain: its type (`filter`, `nat`, `route`), followed by its hook and priority. In a set: the datatype of its elements.',
  hook: 'The point in the kernel\'s packet path where a base chain is called (prerouting, input, forward, output, postrouting, ingress, egress).',
  priority: 'Order of base chains on the same hook: lower runs first. Standard names: `raw` (-300), `mangle` (-150), `dstnat` (-100), `filter` (0), `security` (50), `srcnat` (100); offsets like `filter + 10` are allowed.',
  policy: 'What happens to a packet that reaches the end of a base chain: `accept` (the default) or `drop`.',
  define: 'Defines a variable for this file: `define lan = 192.168.1.0/24`, used as `$lan`.',
  include: 'Reads another nft file here.',
  flush: '`flush ruleset` removes every table first, so the file replaces the whole ruleset atomically.',
  flags: 'Set flags: `interval` (prefixes and ranges), `timeout` (elements expire), `constant`, `dynamic` (rules add elements). Table flags: ' + TABLE_FLAGS.map((f) => `\`${f}\` (${TABLE_FLAG_INFO[f]})`).join(', ') + '.',
  elements: 'The initial members of a set or map.',
  comment: 'A comment stored in the kernel with the object (shown by `nft list`), at most 128 bytes.',
  device: 'The network device a netdev (or inet ingress) base chain is attached to.',
  devices: 'The network devices a netdev/inet ingress chain or a flowtable is attached to.',
  typeof: 'Declares a set\'s element type by example expression (`typeof ip saddr`), nft ≥ ' + FEATURES.typeofSets.since + '.',
  // selectors
  meta: 'Matches packet metadata that is not in the headers: interfaces, marks, lengths, protocols (`meta l4proto tcp`).',
  ct: 'Connection tracking: matches the state of the connection the packet belongs to (`ct state established,related accept`). Known only after conntrack has seen the packet (priority above -200 in prerouting/output).',
  fib: 'Looks up the routing table (forwarding information base), e.g. `fib saddr . iif oif missing drop` for reverse-path filtering.',
  th: 'Transport header: ports of any of tcp, udp, udplite, sctp, dccp (`th dport 53`).',
};

/** Synproxy options, with the facts a user needs to pick values. */
export const SYNPROXY_OPTION_DOCS: Readonly<Record<string, string>> = {
  mss: `Synproxy option: the **maximum segment size** announced to the client on behalf of the server. It must match what the **backend server** announces: read it from the server's SYN-ACK with ${TCPDUMP} (the \`mss\` option). Usually ${SYNPROXY_MSS_TYPICAL.ethernet} on Ethernet (1500 - 40). nft stores it in 16 bits and does not range-check: \`mss 65536\` silently becomes 0.`,
  wscale: `Synproxy option: the **window scale** shift announced to the client. It must match the **backend server**'s: read it from its SYN-ACK with ${TCPDUMP} (the \`wscale\` option). TCP allows 0–${SYNPROXY_WSCALE_TCP_MAX}; nft stores 8 bits without checking.`,
  timestamp: 'Synproxy option: announce TCP timestamps. **Needed for window scaling and SACK**: the SYN cookie carries the wscale and sack-perm settings inside the timestamp. Keep `net.ipv4.tcp_timestamps=1`.',
  'sack-perm': 'Synproxy option: announce selective acknowledgements (SACK). Works only together with `timestamp`, and only if the backend server supports SACK.',
};

const CT_STATE_DOCS: Readonly<Record<string, string>> = {
  new: 'ct state **new**: the first packet of a connection (or every packet, until a reply is seen).',
  established: 'ct state **established**: a packet of a connection that has seen traffic in both directions.',
  related: 'ct state **related**: a new connection that belongs to an existing one (an ICMP error, an FTP data connection through a helper).',
  invalid: 'ct state **invalid**: conntrack could not classify the packet (out of window, malformed). With synproxy, the client\'s final handshake ACK is invalid (with `nf_conntrack_tcp_loose=0`) and goes to the synproxy rule.',
  untracked: 'ct state **untracked**: the packet skipped connection tracking because of a `notrack` rule.',
};

const CHAIN_TYPE_DOCS: Readonly<Record<string, string>> = {
  filter: 'Chain type **filter**: accept or drop packets; works on every hook of every family.',
  nat: 'Chain type **nat**: address translation. Only the **first packet** of each connection passes it; the rest follow the same translation.',
  route: 'Chain type **route** (output only): if a rule changes the mark or addresses of a locally generated packet, the route is looked up again.',
};

const HOOK_DOCS: Readonly<Record<Hook, string>> = {
  ingress: 'Hook **ingress**: every packet as it arrives on a device, before any other hook (netdev, and inet from nft ' + FEATURES.inetIngress.since + '). Needs `device`.',
  prerouting: 'Hook **prerouting**: every incoming packet, before the routing decision (local or forward). The place for `notrack` (priority raw) and `dnat`.',
  input: 'Hook **input**: packets addressed to this host, after routing. The usual place for a host firewall and for synproxy protecting a local service.',
  forward: 'Hook **forward**: packets routed through this host. The place for a router\'s firewall and for synproxy protecting a backend.',
  output: 'Hook **output**: packets generated by this host, before routing.',
  postrouting: 'Hook **postrouting**: every outgoing packet, after routing. The place for `masquerade` and `snat`.',
  egress: 'Hook **egress** (netdev, nft ' + FEATURES.netdevEgress.since + '): every packet as it leaves a device, after everything else. Needs `device`.',
};

export function chainTypeDoc(word: string): string | undefined {
  return CHAIN_TYPE_DOCS[word];
}

export function hookDoc(hook: Hook): string {
  const stages = IP_STAGES.filter((s) => s.hooks.includes(hook));
  const list = stages.length ? `\n\nKernel stages here (ip/ip6/inet): ${stages.map((s) => `${s.name} ${stageValue(s.value)}`).join(', ')}.` : '';
  return HOOK_DOCS[hook] + list;
}

export function familyDoc(family: Family): string {
  return `Family **${family}**: ${FAMILY_DESCRIPTIONS[family]}.`;
}

function stageValue(v: number): string {
  return v >= 2147483647 ? '(last)' : `(${v})`;
}

/**
 * Where a numeric priority sits among the kernel's own stages. `name`: the
 * standard priority name being described, whose own stage (iptables' table of
 * the same name) is not worth mentioning.
 */
export function prioritySituation(value: number, family?: Family, name?: string): string {
  const stages = (family === 'bridge' ? BRIDGE_STAGES : IP_STAGES).filter((s) => s.name !== name);
  const after = stages.filter((s) => s.value < value);
  const same = stages.filter((s) => s.value === value);
  const before = stages.filter((s) => s.value > value);
  const parts: string[] = [];
  if (after.length) parts.push(`after ${after[after.length - 1].name} ${stageValue(after[after.length - 1].value)}`);
  if (same.length) parts.push(`at the same priority as the kernel's ${same[0].name} stage (the order between them is not defined)`);
  if (before.length) parts.push(`before ${before[0].name} ${stageValue(before[0].value)}`);
  return `Runs ${parts.join(', ')}.`;
}

/** A standard priority name: its value per family and what runs around it. */
export function priorityNameDoc(name: string, family?: Family): string | undefined {
  const families: Family[] = family ? [family] : ['inet', 'bridge'];
  const lines: string[] = [];
  for (const f of families) {
    const p = stdPriorities(f).find((x) => x.name === name);
    if (!p) continue;
    const hooks = p.hooks ? ` (only on ${p.hooks.join(', ')})` : '';
    const label = family ? '' : f === 'inet' ? 'ip/ip6/inet: ' : `${f}: `;
    lines.push(`${label}**${name}** = ${p.value}${hooks}. ${prioritySituation(p.value, f, name)}`);
  }
  if (!lines.length) return undefined;
  const note = name === 'raw' ? '\n\nThe place for `notrack`: it runs before connection tracking.' : '';
  return `Standard priority name.\n\n${lines.join('\n\n')}${note}`;
}

export function ctStateDoc(state: string): string | undefined {
  return CT_STATE_DOCS[state];
}
