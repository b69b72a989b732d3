/**
 * Tables that belong to someone else: the software that manages nftables tables
 * on real hosts (Docker, libvirt, fail2ban, firewalld, CrowdSec, Tailscale,
 * kube-proxy, Incus/LXD, ufw, and iptables-nft itself), how each is recognised —
 * by table, chain and set names and by what the listing contains — and where each
 * pattern comes from. One table of facts: the importer, the linter and the app's
 * "Compare with live" read it.
 *
 * `recogniseForeign` works on a parsed table (the model), on one table's nft
 * text, or on a `TableShape` (names and markers only, what `splitTables` and
 * `splitJsonTables` give for text the parser may refuse: iptables-nft's `xt`
 * statements). It says who owns the table and why ("chains DOCKER, DOCKER-USER;
 * xt target MASQUERADE"); tables iptables-nft shares (`ip filter`, `ip nat`) may
 * hold the chains of several programs, listed in `also`.
 */
import type { Family, Table } from '../model/types.ts';
import { Tok, type TokenStream, tokenText, tokenize } from '../parse/lexer.ts';

export interface ForeignSource {
  /** the upstream file or page the pattern comes from */
  url: string;
  /** what it shows */
  what: string;
}

export interface TablePattern {
  name: RegExp;
  /** the families it is created in (any when absent) */
  families?: readonly Family[];
}

export interface ForeignSoftware {
  id: string;
  /** display name */
  name: string;
  /** what it does with its tables, one line */
  manages: string;
  /** tables it creates and owns whole */
  tables: readonly TablePattern[];
  /** chains it adds (also inside tables it shares with others) */
  chains: readonly RegExp[];
  /** sets and maps it adds */
  sets: readonly RegExp[];
  /** what else in the listing shows it: the table comment, nft's own warning, xt statements */
  markers: readonly { re: RegExp; label: string }[];
  /** sets whose elements it fills at run time (bans, decisions, affinities) */
  runtimeSets: readonly RegExp[];
  /** a name alone is not enough: the standard iptables tables every iptables user shares */
  weakTableName?: boolean;
  /** its chain names are ones people also choose (`in.lan`, `fwd.wan`): chains alone only suggest it */
  commonChains?: boolean;
  sources: readonly ForeignSource[];
  /** patterns that could not be checked against the upstream source here */
  unverified?: string;
}

const IPT_FAMILIES: readonly Family[] = ['ip', 'ip6'];
const IPTABLES_TABLE = /^(filter|nat|mangle|raw|security)$/;
const IPTABLES_CHAIN = /^(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING)$/;
/** Incus's chain layout, which LXD (its origin) shares: fwd.<network>, in.<network>, … */
const INCUS_CHAIN = /^(fwd|pstrt|in|out|prert|aclin|aclout|aclfwd|acl|fwdprert|fwdout|fwdpstrt|egress)\..+/;

/**
 * The knowledge table. Order matters only for ties: a more specific program comes
 * before iptables-nft, whose tables it shares.
 */
export const FOREIGN: readonly ForeignSoftware[] = [
  {
    id: 'docker',
    name: 'Docker',
    manages: 'container networking: NAT for published ports and masquerading, forwarding between bridges, isolation of networks',
    tables: [{ name: /^docker-bridges$/, families: ['ip', 'ip6'] }],
    chains: [/^DOCKER(-.+)?$/],
    sets: [],
    markers: [],
    runtimeSets: [],
    sources: [
      {
        url: 'https://github.com/moby/moby/blob/master/integration/network/bridge/iptablesdoc/generated/new-daemon.md',
        what: 'the iptables rules of a new daemon: chains DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2 in filter, DOCKER in nat (jumps from PREROUTING/OUTPUT, MASQUERADE in POSTROUTING)',
      },
      {
        url: 'https://github.com/moby/moby/tree/master/daemon/libnetwork/drivers/bridge/internal/iptabler',
        what: 'chain constants since Engine 28: DOCKER, DOCKER-FORWARD, DOCKER-BRIDGE, DOCKER-CT, DOCKER-INTERNAL; DOCKER-INGRESS is swarm\'s',
      },
      {
        url: 'https://github.com/docker/docs/blob/main/content/manuals/engine/network/firewall-nftables.md',
        what: 'the nftables firewall backend (Engine 29, experimental): tables ip docker-bridges and ip6 docker-bridges',
      },
      {
        url: 'https://github.com/moby/moby/blob/master/integration/network/bridge/nftablesdoc/generated/new-daemon.md',
        what: 'the docker-bridges listing of a new daemon: filter-FORWARD, nat-PREROUTING, nat-POSTROUTING, per-bridge chains and verdict maps',
      },
    ],
  },
  {
    id: 'libvirt',
    name: 'libvirt',
    manages: 'virtual networks of virtual machines: NAT (masquerade) of guest traffic and forwarding to and from virbr bridges',
    tables: [{ name: /^libvirt_network$/, families: ['ip', 'ip6'] }],
    chains: [/^LIBVIRT_(INP|OUT|FWO|FWI|FWX|PRT)$/],
    sets: [],
    markers: [{ re: /Managed by libvirt for virtual networks/, label: 'table comment "Managed by libvirt for virtual networks…"' }],
    runtimeSets: [],
    sources: [
      {
        url: 'https://github.com/libvirt/libvirt/blob/master/src/network/network_nftables.c',
        what: 'VIR_NFTABLES_PRIVATE_TABLE "libvirt_network" in ip and ip6, its comment, chains forward, guest_output, guest_input, guest_cross, guest_nat',
      },
      {
        url: 'https://github.com/libvirt/libvirt/blob/master/src/network/network_iptables.c',
        what: 'the iptables backend: chains LIBVIRT_INP, LIBVIRT_OUT, LIBVIRT_FWO, LIBVIRT_FWI, LIBVIRT_FWX in filter, LIBVIRT_PRT in nat and mangle',
      },
    ],
  },
  {
    id: 'fail2ban',
    name: 'fail2ban',
    manages: 'bans addresses that fail to log in: a set of banned addresses per jail, filled and emptied while it runs',
    tables: [{ name: /^f2b-table$/ }],
    chains: [/^f2b-/],
    sets: [/^addr6?-set-/],
    markers: [],
    runtimeSets: [/^addr6?-set-/],
    sources: [
      {
        url: 'https://github.com/fail2ban/fail2ban/blob/master/config/action.d/nftables.conf',
        what: 'table f2b-table (family inet), chain f2b-chain (hook input, priority -1), sets addr-set-<jail> / addr6-set-<jail> (flags interval), bans as add element',
      },
      {
        url: 'https://github.com/fail2ban/fail2ban/blob/master/config/action.d/iptables.conf',
        what: 'the iptables actions: a chain f2b-<jail> per jail, jumped to from INPUT',
      },
    ],
    unverified: 'the table and chain names are settings (table, chain, addr_set in the action); these are the defaults',
  },
  {
    id: 'firewalld',
    name: 'firewalld',
    manages: 'the whole host firewall from zones and policies; rewrites its tables on every reload',
    tables: [
      { name: /^firewalld$/, families: ['inet', 'ip', 'ip6'] },
      { name: /^firewalld_policy_drop$/, families: ['inet'] },
    ],
    chains: [/^(filter|nat|mangle|raw)_(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)(_ZONES|_POLICIES.*)?$/, /^(filter|nat|mangle|raw)_(IN|FWD|OUT|PRE|POST)_.+/],
    sets: [],
    markers: [],
    runtimeSets: [],
    sources: [
      {
        url: 'https://github.com/firewalld/firewalld/blob/main/src/firewall/core/nftables.py',
        what: 'TABLE_NAME "firewalld" (family inet), TABLE_NAME_POLICY "firewalld_policy_drop", hooks at standard priority + 10, chains filter_INPUT, filter_INPUT_ZONES, filter_IN_<zone>_allow …',
      },
    ],
    unverified: 'ip firewalld and ip6 firewalld (the per-family tables of firewalld before 0.8) were not checked against that release\'s source',
  },
  {
    id: 'crowdsec',
    name: 'CrowdSec firewall bouncer',
    manages: 'drops traffic from addresses CrowdSec decided to ban; decisions are set elements with timeouts, added and expired while it runs',
    tables: [
      { name: /^crowdsec$/, families: ['ip'] },
      { name: /^crowdsec6$/, families: ['ip6'] },
    ],
    chains: [/^crowdsec6?-chain(-.+)?$/, /^CROWDSEC_(CHAIN|LOG)$/],
    sets: [/^crowdsec6?-blacklists(-.+)?$/],
    markers: [],
    runtimeSets: [/^crowdsec6?-blacklists(-.+)?$/],
    sources: [
      {
        url: 'https://github.com/crowdsecurity/cs-firewall-bouncer/blob/main/pkg/cfg/config.go',
        what: 'defaults: tables crowdsec and crowdsec6, chains crowdsec-chain and crowdsec6-chain, sets crowdsec-blacklists and crowdsec6-blacklists',
      },
      {
        url: 'https://github.com/crowdsecurity/cs-firewall-bouncer/blob/main/pkg/nftables/nftables.go',
        what: 'one base chain per hook named <chain>-<hook>, the set with the timeout flag, elements added with the decision\'s duration',
      },
      {
        url: 'https://github.com/crowdsecurity/cs-firewall-bouncer/blob/main/pkg/nftables/metrics.go',
        what: 'newer versions keep one set per origin, named <blacklists>-<origin>',
      },
      {
        url: 'https://github.com/crowdsecurity/cs-firewall-bouncer/blob/main/config/crowdsec-firewall-bouncer.yaml',
        what: 'the packaged configuration: priority -10, hooks input and forward; iptables mode chain CROWDSEC_CHAIN',
      },
    ],
    unverified: 'names are settings (nftables.ipv4.table, chain, blacklists_ipv4); these are the defaults',
  },
  {
    id: 'tailscale',
    name: 'Tailscale',
    manages: 'lets tailnet traffic in and forwards subnet-router traffic: ts-* chains jumped to from the conventional iptables chains',
    tables: [],
    chains: [/^ts-(input|forward|postrouting|clamp|prerouting)$/],
    sets: [],
    markers: [],
    runtimeSets: [],
    sources: [
      {
        url: 'https://github.com/tailscale/tailscale/blob/main/util/linuxfw/nftables_runner.go',
        what: 'chains ts-input and ts-forward in the filter table and ts-postrouting in nat (ip and ip6), created next to iptables-nft\'s INPUT, FORWARD, POSTROUTING; ts-clamp for MSS clamping; isTSChain: the ts- prefix',
      },
      {
        url: 'https://github.com/tailscale/tailscale/blob/main/util/linuxfw/iptables_runner.go',
        what: 'the same chain names through iptables',
      },
    ],
  },
  {
    id: 'kube-proxy',
    name: 'kube-proxy (Kubernetes)',
    manages: 'Kubernetes services: DNAT to pods, masquerading, reject for services without endpoints; resynchronised continuously',
    tables: [{ name: /^kube-proxy$/, families: ['ip', 'ip6'] }],
    chains: [/^KUBE-/],
    sets: [/^(service-ips|service-nodeports|no-endpoint-(services|nodeports)|firewall-ips|cluster-ips|nodeport-ips)$/],
    markers: [{ re: /rules for kube-proxy/, label: 'table comment "rules for kube-proxy"' }],
    runtimeSets: [/^affinity-/],
    sources: [
      {
        url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/nftables/proxier.go',
        what: 'kubeProxyTable "kube-proxy" in ip and ip6 with the comment "rules for kube-proxy", base chains filter-*/nat-*, maps service-ips, service-nodeports, no-endpoint-*, firewall-ips, set cluster-ips, affinity-* sets (flags dynamic,timeout)',
      },
      {
        url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/iptables/proxier.go',
        what: 'the iptables mode: KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING, KUBE-MARK-MASQ, KUBE-FORWARD, KUBE-PROXY-FIREWALL, KUBE-SVC-*, KUBE-SEP-* …',
      },
    ],
    unverified: 'KUBE-FIREWALL and KUBE-KUBELET-CANARY come from the kubelet, not kube-proxy; they are covered by the KUBE- prefix, not checked in the kubelet\'s source',
  },
  {
    id: 'incus',
    name: 'Incus',
    manages: 'networks and instances of Incus: NAT, forwarding, DHCP/DNS access and per-instance filtering',
    tables: [{ name: /^incus$/, families: ['inet', 'bridge', 'netdev'] }],
    chains: [INCUS_CHAIN],
    commonChains: true,
    sets: [],
    markers: [],
    runtimeSets: [],
    sources: [
      {
        url: 'https://github.com/lxc/incus/blob/main/internal/server/firewall/drivers/drivers_nftables.go',
        what: 'nftablesNamespace "incus", chain separator ".", network chains fwd, pstrt, in, out, acl*, fwd* per network in inet; bridge family for instances',
      },
      {
        url: 'https://github.com/lxc/incus/blob/main/internal/server/firewall/drivers/drivers_nftables_templates.go',
        what: 'the chains as written: fwd.<network>, pstrt.<network>, in.<network>, out.<network>, prert.<device>, egress.netprio.<device>',
      },
    ],
  },
  {
    id: 'lxd',
    name: 'LXD',
    manages: 'networks and instances of LXD: NAT, forwarding, DHCP/DNS access and per-instance filtering',
    tables: [{ name: /^lxd$/, families: ['inet', 'bridge', 'netdev'] }],
    chains: [INCUS_CHAIN],
    commonChains: true,
    sets: [],
    markers: [],
    runtimeSets: [],
    sources: [
      {
        url: 'https://github.com/canonical/lxd/blob/main/lxd/firewall/drivers/drivers_nftables.go',
        what: 'nftablesNamespace "lxd", the same chain layout as Incus (Incus is its fork)',
      },
    ],
  },
  {
    id: 'ufw',
    name: 'ufw',
    manages: 'Ubuntu\'s host firewall through iptables: ufw-* chains jumped to from INPUT, FORWARD, OUTPUT',
    tables: [],
    chains: [/^ufw6?-/],
    sets: [],
    markers: [],
    runtimeSets: [],
    sources: [{ url: 'https://git.launchpad.net/ufw/tree/conf/before.rules', what: 'chains ufw-before-input, ufw-before-output, ufw-before-forward, ufw-not-local (ufw6-… for IPv6)' }],
    unverified: 'ufw\'s repository (Launchpad) is not among the sources searched here; the chain names were checked in copies of before.rules in public repositories',
  },
  {
    id: 'iptables-nft',
    name: 'iptables-nft',
    manages: 'the tables of programs that still use iptables (through iptables-nft); nft itself warns "do not touch"',
    tables: [{ name: IPTABLES_TABLE, families: IPT_FAMILIES }],
    chains: [IPTABLES_CHAIN],
    sets: [],
    markers: [
      { re: /# Warning: table \S+ \S+ is managed by iptables-nft, do not touch!/, label: 'nft\'s warning "managed by iptables-nft, do not touch!"' },
      { re: /# xt_\w+/, label: 'xt compat statements (# xt_…)' },
    ],
    runtimeSets: [],
    weakTableName: true,
    sources: [
      { url: 'https://git.netfilter.org/iptables/tree/iptables/nft.c', what: 'the builtin tables filter, nat, mangle, raw, security with chains INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING' },
      { url: 'https://git.netfilter.org/nftables/tree/src/rule.c', what: 'table_print: "# Warning: table %s %s is managed by iptables-nft, do not touch!" (on stderr)' },
      { url: 'https://git.netfilter.org/nftables/tree/src/xt.c', what: 'compat expressions print as their translation, as xt match "NAME" / xt target "NAME" (older: # xt_NAME) when there is none; nft refuses to load them' },
    ],
    unverified: 'checked against patches on the netfilter-devel list and nft 1.0.6 and 1.1.3 listings of iptables-nft 1.8.9 tables, not against the repositories themselves',
  },
];

const BY_ID = new Map(FOREIGN.map((f) => [f.id, f]));

/** The knowledge entry for an owner id, or undefined ('unknown', or an id from another version). */
export function foreignEntry(id: string): ForeignSoftware | undefined {
  return BY_ID.get(id);
}

/** A display name for an owner id. */
export function foreignName(id: string): string {
  return BY_ID.get(id)?.name ?? (id === 'unknown' ? 'unknown software' : id);
}

/** What recognition reads of a table: its names and what else its listing shows. */
export interface TableShape {
  family: Family;
  name: string;
  chains: string[];
  /** sets and maps */
  sets: string[];
  comment?: string;
  /** `match comment`, `target MASQUERADE`: the xt compat statements in its rules */
  xt: string[];
  /** comments in or about the table (nft's iptables-nft warning, `# xt_…`) */
  notes: string[];
  /** names of base chains (hooked), for iptables-nft's convention */
  baseChains: string[];
}

export interface ForeignMatch {
  owner: string;
  name: string;
  because: string[];
  score: number;
  /** only names people also choose matched (iptables' INPUT/FORWARD…, Incus's in.X): a guess, not a finding */
  tentative?: boolean;
}

export interface ForeignRecognition {
  /** id of the knowledge entry */
  owner: string;
  /** its display name */
  name: string;
  /** what matched, for people: "table inet firewalld", "chains DOCKER, DOCKER-USER", "xt target MASQUERADE" */
  because: string[];
  /** other software whose chains or sets are in the same (shared) table */
  also: ForeignMatch[];
  /**
   * only names people also choose for their own tables matched (an `ip filter`
   * with base chains INPUT, FORWARD…, as iptables-restore-translate writes; chains
   * named in.lan): it may be the user's own. An import keeps such a table in the
   * design unless the user leaves it out; the linter does not call it foreign.
   */
  tentative: boolean;
}

const FAMILIES: readonly Family[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

function listNames(kind: string, names: string[]): string {
  const shown = names.slice(0, 4).join(', ');
  return `${kind} ${shown}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`;
}

function matchEntry(f: ForeignSoftware, s: TableShape): ForeignMatch | undefined {
  const because: string[] = [];
  let score = 0;
  const tableHit = f.tables.some((p) => p.name.test(s.name) && (!p.families || p.families.includes(s.family)));
  const chains = s.chains.filter((c) => f.chains.some((re) => re.test(c)));
  const sets = s.sets.filter((n) => f.sets.some((re) => re.test(n)));
  const text = [s.comment ?? '', ...s.notes].join('\n');
  const markers = f.markers.filter((m) => m.re.test(text));
  if (f.id === 'iptables-nft') {
    // the standard tables are everyone's; the convention (uppercase base chains), nft's
    // warning or xt statements say iptables-nft wrote them
    const warned = s.notes.some((n) => n.includes(`table ${s.family} ${s.name} is managed by iptables-nft`));
    const conventional = tableHit && s.baseChains.length > 0 && s.baseChains.every((c) => IPTABLES_CHAIN.test(c));
    if (!warned && !conventional && s.xt.length === 0 && !s.notes.some((n) => /# xt_\w+/.test(n))) return undefined;
    if (warned) {
      because.push(`nft's warning "table ${s.family} ${s.name} is managed by iptables-nft"`);
      score += 6;
    }
    if (conventional) {
      because.push(`${listNames(s.baseChains.length === 1 ? 'base chain' : 'base chains', s.baseChains)} in table ${s.family} ${s.name} (iptables' names)`);
      score += 2;
    }
    if (s.xt.length) {
      because.push(...[...new Set(s.xt)].slice(0, 4).map((x) => `xt ${x}`));
      score += 3;
    }
    const old = [...new Set(s.notes.flatMap((n) => n.match(/# xt_\w+/g) ?? []))];
    if (old.length) {
      because.push(`compat statements ${old.slice(0, 3).join(', ')}`);
      score += 3;
    }
    return { owner: f.id, name: f.name, because, score, tentative: !warned && s.xt.length === 0 && old.length === 0 };
  }
  if (tableHit) {
    because.push(`table ${s.family} ${s.name}`);
    score += 10;
  }
  if (chains.length) {
    because.push(listNames(chains.length === 1 ? 'chain' : 'chains', chains));
    score += 4 + Math.min(chains.length, 6);
  }
  if (sets.length) {
    because.push(listNames(sets.length === 1 ? 'set' : 'sets', sets));
    score += 3 + Math.min(sets.length, 3);
  }
  for (const m of markers) {
    because.push(m.label);
    score += 6;
  }
  if (score === 0) return undefined;
  return { owner: f.id, name: f.name, because, score, tentative: f.commonChains === true && !tableHit && sets.length === 0 && markers.length === 0 };
}

/** Who manages this table, and why we think so; undefined when nothing matches. */
export function recogniseForeign(table: Table | TableShape | string): ForeignRecognition | undefined {
  const shape = typeof table === 'string' ? shapeOfText(table) : 'baseChains' in table ? table : shapeOfTable(table);
  if (!shape) return undefined;
  const matches = FOREIGN.map((f) => matchEntry(f, shape)).filter((m): m is ForeignMatch => m !== undefined);
  if (!matches.length) return undefined;
  // a program whose names are in the table owns it, before iptables-nft (whose
  // tables those programs write through); then the highest score, the knowledge
  // table's order breaking ties (the sort is stable)
  const generic = (m: ForeignMatch): number => (m.owner === 'iptables-nft' ? 1 : 0);
  matches.sort((a, b) => generic(a) - generic(b) || b.score - a.score);
  const [best, ...rest] = matches;
  const ipt = rest.find((m) => m.owner === 'iptables-nft');
  const because = [...best.because];
  // what shows iptables-nft wrote the table is evidence for the program too
  if (ipt) {
    for (const b of ipt.because) {
      if (b.startsWith('xt ') || b.startsWith('compat ')) because.push(b);
      else if (b.startsWith("nft's warning")) because.push('written through iptables-nft (nft\'s warning)');
    }
  }
  const strongIpt = ipt !== undefined && ipt.tentative !== true;
  return { owner: best.owner, name: best.name, because, also: rest, tentative: best.tentative === true && !strongIpt };
}

// ------------------------------------------------------------------ shapes

function rawTexts(t: Table): string[] {
  const out: string[] = [];
  for (const c of t.chains) for (const r of c.rules) for (const s of r.stmts) if (s.kind === 'raw') out.push(s.text);
  return out;
}

/** The shape of a parsed table. */
export function shapeOfTable(t: Table): TableShape {
  const xt: string[] = [];
  for (const text of rawTexts(t)) for (const m of text.matchAll(/\bxt\s+(match|target|watcher)\s+"?([\w.-]+)"?/g)) xt.push(`${m[1]} ${m[2]}`);
  return {
    family: t.family,
    name: t.name,
    chains: t.chains.map((c) => c.name),
    sets: t.sets.map((s) => s.name),
    comment: t.comment,
    xt,
    notes: [],
    baseChains: t.chains.filter((c) => c.base).map((c) => c.name),
  };
}

/** The shape of the first table block in an nft text (a listing of one table, or more). */
export function shapeOfText(text: string): TableShape | undefined {
  return splitTables(text).tables[0]?.shape;
}

// ------------------------------------------------------------------ splitting nft text

/** One top-level `table F N { … }` block of an nft text. */
export interface TableBlock {
  family: Family;
  name: string;
  /** offsets in the input: from `table` (or `add table`) to just after the closing brace */
  start: number;
  end: number;
  /** 1-based lines of the block */
  startLine: number;
  endLine: number;
  text: string;
  shape: TableShape;
  /** the block has no closing brace (it runs to the end of the text) */
  unclosed?: boolean;
}

export interface SplitResult {
  tables: TableBlock[];
}

const unquote = (s: string): string => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/** `# …` comments of the text between tokens (the lexer skips them). */
function commentsBetween(src: string, from: number, to: number): string[] {
  const out: string[] = [];
  let i = src.indexOf('#', from);
  while (i >= 0 && i < to) {
    let j = i;
    while (j < src.length && src[j] !== '\n' && src[j] !== '\r') j++;
    out.push(src.slice(i, j));
    i = src.indexOf('#', j);
  }
  return out;
}

/** `# xt_…` and nft's warnings in a gap between two tokens (usually a few blanks). */
function gapComments(src: string, from: number, to: number, out: string[]): void {
  for (let i = from; i < to; i++) {
    if (src.charCodeAt(i) !== 35) continue;
    let j = i;
    while (j < to && src[j] !== '\n' && src[j] !== '\r') j++;
    const c = src.slice(i, j);
    if (/^# xt_\w+|^# Warning: table/.test(c)) out.push(c);
    i = j;
  }
}

function lineAt(src: string, offset: number, cache: { at: number; line: number }): number {
  let { at, line } = cache;
  if (offset < at) {
    at = 0;
    line = 1;
  }
  for (let i = at; i < offset; i++) if (src.charCodeAt(i) === 10) line++;
  cache.at = offset;
  cache.line = line;
  return line;
}

/**
 * The top-level table blocks of an nft text, found with nft's own tokenizer (so
 * braces in strings and comments do not count), before and whatever the strict
 * parser makes of their statements. nft's iptables-nft warnings, which name their
 * table and may stand anywhere (they go to stderr), are attached to that table.
 */
export function splitTables(src: string): SplitResult {
  const ts = tokenize(src);
  const tables: TableBlock[] = [];
  const warned: string[] = [];
  for (const c of commentsBetween(src, 0, src.length)) {
    const m = /# Warning: table (\S+) (\S+) is managed by iptables-nft/.exec(c);
    if (m) warned.push(c);
  }
  const lines = { at: 0, line: 1 };
  let i = 0;
  let atStart = true;
  const n = ts.count;
  while (i < n) {
    const k = ts.kind[i];
    if (k === Tok.Newline || k === Tok.Semi) {
      atStart = true;
      i++;
      continue;
    }
    if (atStart && k === Tok.Word) {
      const block = tableAt(ts, i);
      if (block) {
        const { first, open, family, name } = block;
        const close = matchBrace(ts, open);
        const endTok = close < 0 ? n - 1 : close;
        const start = ts.start[first];
        const end = close < 0 ? src.length : ts.end[close];
        const text = src.slice(start, end);
        const shape = shapeOfTokens(ts, src, open, endTok, family, name);
        for (const w of warned) if (w.includes(`table ${family} ${name} is managed`)) shape.notes.push(w);
        tables.push({ family, name, start, end, startLine: lineAt(src, start, lines), endLine: lineAt(src, end, lines), text, shape, unclosed: close < 0 || undefined });
        i = endTok + 1;
        atStart = false;
        continue;
      }
    }
    // skip a whole nested block of any other top-level statement
    if (k === Tok.LBrace) {
      const close = matchBrace(ts, i);
      i = close < 0 ? n : close + 1;
      atStart = false;
      continue;
    }
    atStart = false;
    i++;
  }
  return { tables };
}

/** `table F N {` or `add table F N {` / `create table …` at token i. */
function tableAt(ts: TokenStream, i: number): { first: number; open: number; family: Family; name: string } | undefined {
  let j = i;
  const w = tokenText(ts, j);
  if (w === 'add' || w === 'create') j++;
  if (ts.kind[j] !== Tok.Word || tokenText(ts, j) !== 'table') return undefined;
  j++;
  if (ts.kind[j] !== Tok.Word && ts.kind[j] !== Tok.String) return undefined;
  let family: Family = 'ip';
  let nameTok = j;
  const maybeFamily = tokenText(ts, j);
  if ((FAMILIES as readonly string[]).includes(maybeFamily) && (ts.kind[j + 1] === Tok.Word || ts.kind[j + 1] === Tok.String)) {
    family = maybeFamily as Family;
    nameTok = j + 1;
  }
  if (ts.kind[nameTok + 1] !== Tok.LBrace) return undefined;
  return { first: i, open: nameTok + 1, family, name: unquote(tokenText(ts, nameTok)) };
}

/** The index of the brace closing the one at `open`, or -1. */
function matchBrace(ts: TokenStream, open: number): number {
  let depth = 0;
  for (let i = open; i < ts.count; i++) {
    const k = ts.kind[i];
    if (k === Tok.LBrace) depth++;
    else if (k === Tok.RBrace) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const MEMBER_SETS = new Set(['set', 'map']);

function shapeOfTokens(ts: TokenStream, src: string, open: number, close: number, family: Family, name: string): TableShape {
  const shape: TableShape = { family, name, chains: [], sets: [], xt: [], notes: [], baseChains: [] };
  let depth = 0;
  let atStart = true;
  let chain: string | undefined;
  for (let i = open; i <= close; i++) {
    const k = ts.kind[i];
    if (i > open) gapComments(src, ts.end[i - 1], ts.start[i], shape.notes);
    if (k === Tok.LBrace) {
      depth++;
      atStart = true;
      continue;
    }
    if (k === Tok.RBrace) {
      depth--;
      if (depth === 1) chain = undefined;
      atStart = true;
      continue;
    }
    if (k === Tok.Newline || k === Tok.Semi) {
      atStart = true;
      continue;
    }
    if (k === Tok.Word) {
      const w = tokenText(ts, i);
      if (atStart && depth === 1) {
        const next = i + 1 < close ? i + 1 : -1;
        if (w === 'chain' && next > 0 && ts.kind[next + 1] === Tok.LBrace) {
          chain = unquote(tokenText(ts, next));
          shape.chains.push(chain);
        } else if (MEMBER_SETS.has(w) && next > 0 && ts.kind[next + 1] === Tok.LBrace) {
          shape.sets.push(unquote(tokenText(ts, next)));
        } else if (w === 'comment' && next > 0 && ts.kind[next] === Tok.String) {
          shape.comment = unquote(tokenText(ts, next));
        }
      } else if (atStart && depth === 2 && chain !== undefined && w === 'type' && tokenText(ts, i + 2) === 'hook') {
        shape.baseChains.push(chain);
      }
      if (w === 'xt' && i + 2 <= close && ts.kind[i + 1] === Tok.Word && /^(match|target|watcher)$/.test(tokenText(ts, i + 1))) {
        shape.xt.push(`${tokenText(ts, i + 1)} ${unquote(tokenText(ts, i + 2))}`);
      }
    }
    atStart = false;
  }
  // comments inside the last gap before the closing brace were read above; the
  // comment of the table may also come from `comment "…"` only (nft lists it so)
  return shape;
}

// ------------------------------------------------------------------ splitting nft -j JSON

/** The items of one table in an nft -j document. */
export interface JsonTableGroup {
  family: Family;
  name: string;
  /** indexes into the document's nftables array */
  indexes: number[];
  items: unknown[];
  shape: TableShape;
}

const JSON_OBJECTS = ['table', 'chain', 'rule', 'set', 'map', 'element', 'flowtable', 'counter', 'quota', 'ct helper', 'ct timeout', 'ct expectation', 'limit', 'secmark', 'synproxy'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object an item describes (a listing item, or inside add/create/insert), with its kind. */
function jsonObject(item: unknown): { kind: string; o: Obj } | undefined {
  if (!isObj(item)) return undefined;
  const keys = Object.keys(item);
  if (keys.length !== 1) return undefined;
  let [key] = keys;
  let inner = item[key];
  if ((key === 'add' || key === 'create' || key === 'insert') && isObj(inner)) {
    const ik = Object.keys(inner);
    if (ik.length !== 1) return undefined;
    key = ik[0];
    inner = inner[key];
  }
  if (!JSON_OBJECTS.includes(key) || !isObj(inner)) return undefined;
  return { kind: key, o: inner };
}

function findXt(v: unknown, out: string[]): void {
  if (Array.isArray(v)) for (const x of v) findXt(x, out);
  else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'xt' && isObj(x)) out.push(`${String(x.type ?? 'match')} ${String(x.name ?? '?')}`);
      else findXt(x, out);
    }
  }
}

/** Group the items of an nft -j document (`{"nftables": [...]}`) by table, for recognition before the strict read. */
export function splitJsonTables(doc: unknown): JsonTableGroup[] {
  const list = isObj(doc) && Array.isArray(doc.nftables) ? (doc.nftables as unknown[]) : [];
  const groups = new Map<string, JsonTableGroup>();
  list.forEach((item, index) => {
    const got = jsonObject(item);
    if (!got) return;
    const { kind, o } = got;
    const family = String(o.family ?? '') as Family;
    const name = String(kind === 'table' ? (o.name ?? '') : (o.table ?? ''));
    if (!FAMILIES.includes(family) || !name) return;
    const key = `${family} ${name}`;
    let g = groups.get(key);
    if (!g) {
      g = { family, name, indexes: [], items: [], shape: { family, name, chains: [], sets: [], xt: [], notes: [], baseChains: [] } };
      groups.set(key, g);
    }
    g.indexes.push(index);
    g.items.push(item);
    if (kind === 'table' && typeof o.comment === 'string') g.shape.comment = o.comment;
    if (kind === 'chain' && typeof o.name === 'string') {
      g.shape.chains.push(o.name);
      if (o.hook !== undefined) g.shape.baseChains.push(o.name);
    }
    if ((kind === 'set' || kind === 'map') && typeof o.name === 'string') g.shape.sets.push(o.name);
    if (kind === 'rule') findXt(o.expr, g.shape.xt);
  });
  return [...groups.values()];
}

// ------------------------------------------------------------------ run-time set contents

/** Why a set's elements are run-time state rather than design, or undefined. */
export function runtimeSetReason(t: Table, setName: string, owner?: string): string | undefined {
  const s = t.sets.find((x) => x.name === setName);
  if (!s) return undefined;
  if (s.flags.includes('dynamic')) return 'flags dynamic: rules fill it as packets pass';
  const writer = t.chains.find((c) => c.rules.some((r) => r.stmts.some((st) => st.kind === 'setupdate' && st.set === setName && st.op !== 'delete')));
  if (writer) return `rules in chain ${writer.name} add to it (add/update @${setName})`;
  if (s.timeout !== undefined) return `its elements expire (timeout ${s.timeout})`;
  const entry = owner ? foreignEntry(owner) : undefined;
  if (entry?.runtimeSets.some((re) => re.test(setName))) return `${entry.name} fills it while it runs`;
  return undefined;
}

/** Is this element state the kernel keeps (a countdown), not a design choice? */
export function elementExpires(el: { timeout?: string; expires?: string }): boolean {
  return el.expires !== undefined || el.timeout !== undefined;
}
