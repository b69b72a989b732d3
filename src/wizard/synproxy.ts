/**
 * The synproxy wizard's generator: from a few answers (ports, family, placement,
 * the backend's TCP options, anonymous or named objects, an optional map by
 * source network) to the classic synproxy setup (nft.8; nftables wiki
 * "Synproxy"), added to a design:
 *
 *   prerouting, priority raw:  tcp dport P tcp flags syn notrack
 *   input | forward:           tcp dport P ct state invalid,untracked synproxy …
 *                              ct state invalid drop
 *
 * Decisions (so that adding never breaks what is there):
 * - Chains are always new (`synproxy_pre`, `synproxy_in` / `synproxy_fwd`, with a
 *   `_2`, `_3` … suffix when a name is taken); existing chains are never edited.
 *   Several base chains on one hook are fine for nft; the only thing that matters
 *   is their order, which the priority decides.
 * - The synproxy chain runs at `priority filter` (0), as in the wiki, unless the
 *   design already has a base chain on the same hook, after conntrack (-200) and
 *   at or before filter, in a table that sees the same packets (ip and inet, ip6
 *   and inet). Then it gets one less than the lowest of them (e.g. `filter - 1`):
 *   the handshake must reach synproxy before a chain with `policy drop` or
 *   `ct state invalid drop` discards the untracked SYN or the invalid ACK. (For
 *   equal priorities the kernel runs the chain registered last first, which
 *   depends on load order; a lower number does not.)
 * - Named objects that already exist in the target table with the same settings
 *   are reused; with other settings, that is a problem to resolve by renaming.
 * - In per-source mode, `objectName` (with the top-level mss/wscale/flags) is the
 *   object for sources the map does not list: a last synproxy rule uses it.
 *   Without it, sources outside the map get no synproxy (a note says so).
 * - With problems, nothing is added: `ruleset` is `base` and `addedIds` is empty.
 */
import type { Expr, SetElement } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { Chain, Family, Hook, Priority, Rule, Ruleset, SynproxyObject, Table } from '../model/types.ts';
import { newId } from '../model/ids.ts';
import { addChain, addObject, addTable } from '../model/ops.ts';
import { nameProblem } from '../knowledge/names.ts';
import { formatPriorityValue, priorityValue } from '../knowledge/priorities.ts';
import { CONNTRACK_PRIORITY } from '../knowledge/stages.ts';
import {
  CONNTRACK_SIZING_NOTE,
  SYNPROXY_CT_STATES,
  SYNPROXY_MSS_MAX,
  SYNPROXY_MSS_MIN,
  SYNPROXY_DEFAULTS,
  SYNPROXY_MSS_TYPICAL,
  SYNPROXY_SYSCTLS,
  SYNPROXY_WSCALE_TCP_MAX,
  tcpdumpSynAckCommand,
} from '../knowledge/synproxyFacts.ts';
import { FEATURES, compareVersions, isVersion } from '../knowledge/versions.ts';
import { synproxyHostCommands } from './hostCommands.ts';
import { overlaps, parseNetwork, type AddressFamily, type Network } from './networks.ts';

export type WizardFamily = 'ip' | 'ip6' | 'inet';
export type WizardPlacement = 'input' | 'forward';
export type WizardMode = 'anonymous' | 'named' | 'per-source';

export interface SynproxyParams {
  mss: number;
  wscale: number;
  timestamp: boolean;
  sackPerm: boolean;
}

export interface PerSourceEntry extends SynproxyParams {
  network: string;
  objectName: string;
}

export interface SynproxyWizardOptions {
  family: WizardFamily;
  /** protected TCP ports (1..65535), e.g. [80, 443] */
  ports: number[];
  /** input = a service on this host; forward = protect a backend behind it */
  placement: WizardPlacement;
  /** a new table, or an existing table of that family to add to */
  tableName: string;
  /** must match the backend server */
  mss: number;
  wscale: number;
  timestamp: boolean;
  sackPerm: boolean;
  mode: WizardMode;
  /** named: the object's name; per-source: the object for sources outside the map (optional) */
  objectName?: string;
  /** per-source map entries (each distinct object is declared once) */
  perSource?: PerSourceEntry[];
}

export interface WizardProblem {
  /** an option name, or `perSource.N.field` for a map row */
  field: keyof SynproxyWizardOptions | string;
  message: string;
}

export interface SynproxyWizardResult {
  /** the input ruleset with the synproxy setup added (a new table, or merged into the existing one) */
  ruleset: Ruleset;
  /** ids of what was added: the synproxy chain first (the app selects it), its rules, the prerouting chain and its rule, the objects, and the table if it is new */
  addedIds: string[];
  /** the table the setup went into (undefined when there are problems) */
  tableId?: string;
  /** true when the table was created */
  tableIsNew: boolean;
  /** copyable shell: sysctls, conntrack sizing, a sysctl.d snippet */
  hostCommands: string;
  /** explanations for the learner */
  notes: string[];
  /** validation; when not empty nothing was added */
  problems: WizardProblem[];
}

export const WIZARD_DEFAULTS: SynproxyWizardOptions = {
  family: 'inet',
  ports: [80, 443],
  placement: 'input',
  tableName: 'synflood',
  ...SYNPROXY_DEFAULTS,
  mode: 'anonymous',
};

const HOOK_OF: Record<WizardPlacement, Hook> = { input: 'input', forward: 'forward' };
const CHAIN_BASE_NAME: Record<WizardPlacement, string> = { input: 'synproxy_in', forward: 'synproxy_fwd' };
const PRE_CHAIN_NAME = 'synproxy_pre';

// ------------------------------------------------------------------ validation

interface Checked {
  problems: WizardProblem[];
  notes: string[];
  ports: number[];
  /** per-source rows with their parsed networks (only when valid) */
  rows: { entry: PerSourceEntry; network: Network }[];
  /** objects to declare, in order, and the names of existing objects reused */
  objects: (SynproxyParams & { name: string })[];
  reused: string[];
  table?: Table;
}

function sameParams(a: SynproxyParams, b: Partial<SynproxyParams>): boolean {
  return a.mss === b.mss && a.wscale === b.wscale && a.timestamp === !!b.timestamp && a.sackPerm === !!b.sackPerm;
}

function paramText(p: SynproxyParams): string {
  return `mss ${p.mss} wscale ${p.wscale}${p.timestamp ? ' timestamp' : ''}${p.sackPerm ? ' sack-perm' : ''}`;
}

function checkParams(p: SynproxyParams, prefix: string, problems: WizardProblem[]): void {
  if (!Number.isInteger(p.mss) || p.mss < SYNPROXY_MSS_MIN || p.mss > SYNPROXY_MSS_MAX) {
    problems.push({
      field: `${prefix}mss`,
      message: `mss must be a whole number from ${SYNPROXY_MSS_MIN} to ${SYNPROXY_MSS_MAX} (nft would silently keep only the low 16 bits); use the backend's MSS, typically ${SYNPROXY_MSS_TYPICAL.ethernet} on Ethernet`,
    });
  }
  if (!Number.isInteger(p.wscale) || p.wscale < 0 || p.wscale > SYNPROXY_WSCALE_TCP_MAX) {
    problems.push({
      field: `${prefix}wscale`,
      message: `wscale must be a whole number from 0 to ${SYNPROXY_WSCALE_TCP_MAX} (the largest window scale TCP allows, RFC 7323); use the backend's value, often 7`,
    });
  }
}

/** Validate the options against the design; what buildSynproxySetup reports. */
export function checkSynproxyOptions(base: Ruleset, opts: SynproxyWizardOptions, targetVersion?: string): Checked {
  const problems: WizardProblem[] = [];
  const notes: string[] = [];

  // ports
  const ports: number[] = [];
  if (!opts.ports.length) problems.push({ field: 'ports', message: 'add at least one TCP port to protect (for example 443)' });
  for (const p of opts.ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      problems.push({ field: 'ports', message: `${String(p)} is not a TCP port: ports are whole numbers from 1 to 65535` });
    } else if (!ports.includes(p)) ports.push(p);
  }
  ports.sort((a, b) => a - b);

  if (!['ip', 'ip6', 'inet'].includes(opts.family)) {
    problems.push({ field: 'family', message: 'synproxy works only in ip, ip6 and inet tables' });
  }
  if (opts.placement !== 'input' && opts.placement !== 'forward') {
    problems.push({ field: 'placement', message: 'synproxy is accepted only on the input and forward hooks' });
  }

  // table
  const tp = nameProblem(opts.tableName, 'table name');
  if (tp) problems.push({ field: 'tableName', message: tp.message });
  const table = base.tables.find((t) => t.family === opts.family && t.name === opts.tableName);

  checkParams(opts, '', problems);

  // versions
  if (targetVersion && isVersion(targetVersion)) {
    const feature = opts.mode === 'anonymous' ? FEATURES.synproxyStmt : FEATURES.synproxyObject;
    if (compareVersions(targetVersion, feature.since) < 0) {
      problems.push({
        field: 'mode',
        message: `${feature.title} needs nftables ${feature.since} or later; the target is ${targetVersion}`,
      });
    }
  }

  // objects
  const objects: Checked['objects'] = [];
  const reused: string[] = [];
  const rows: Checked['rows'] = [];
  const declare = (name: string, p: SynproxyParams, field: string): void => {
    const np = nameProblem(name, 'object name');
    if (np) {
      problems.push({ field, message: np.message });
      return;
    }
    const planned = objects.find((o) => o.name === name);
    if (planned) {
      if (!sameParams(planned, p)) {
        problems.push({
          field,
          message: `the object name "${name}" is used twice with different settings (${paramText(planned)} and ${paramText(p)}); give each setting its own name`,
        });
      }
      return;
    }
    const existing = table?.objects.find((o) => o.type === 'synproxy' && o.name === name) as SynproxyObject | undefined;
    if (existing) {
      if (sameParams(p, existing)) {
        if (!reused.includes(name)) reused.push(name);
        return;
      }
      problems.push({
        field,
        message: `table ${opts.family} ${opts.tableName} already has a synproxy object "${name}" with other settings; choose another name`,
      });
      return;
    }
    objects.push({ name, ...p });
  };

  const objectName = opts.objectName?.trim() ?? '';
  if (opts.mode === 'named') {
    if (!objectName) problems.push({ field: 'objectName', message: 'give the synproxy object a name (for example web_synproxy)' });
    else declare(objectName, opts, 'objectName');
  } else if (opts.mode === 'per-source') {
    if (objectName) declare(objectName, opts, 'objectName');
    const entries = opts.perSource ?? [];
    if (!entries.length) problems.push({ field: 'perSource', message: 'add at least one source network with its synproxy object' });
    entries.forEach((entry, i) => {
      const prefix = `perSource.${i}.`;
      const parsed = parseNetwork(entry.network);
      if (!parsed.ok) problems.push({ field: `${prefix}network`, message: parsed.message });
      else {
        const n = parsed.network;
        if (opts.family === 'ip' && n.af !== 'ip') {
          problems.push({ field: `${prefix}network`, message: `${n.text} is an IPv6 network; an ip table sees only IPv4 (use an inet table for both)` });
        } else if (opts.family === 'ip6' && n.af !== 'ip6') {
          problems.push({ field: `${prefix}network`, message: `${n.text} is an IPv4 network; an ip6 table sees only IPv6 (use an inet table for both)` });
        } else {
          const clash = rows.find((r) => overlaps(r.network, n));
          if (clash) {
            problems.push({
              field: `${prefix}network`,
              message: `${n.text} overlaps ${clash.network.text} (row ${rows.indexOf(clash) + 1}); nft refuses overlapping networks in one map, so each source must have exactly one object`,
            });
          } else {
            rows.push({ entry, network: n });
            if (n.hostBits) notes.push(`${entry.network.trim()} has host bits set; nft stores it as the network ${n.text}.`);
          }
        }
      }
      checkParams(entry, prefix, problems);
      if (!entry.timestamp && (entry.sackPerm || entry.wscale > 0)) {
        notes.push(`Row ${i + 1} (${entry.objectName.trim() || 'unnamed'}): without timestamp, clients from ${entry.network.trim() || 'this network'} get no window scaling${entry.sackPerm ? ' and no SACK' : ''}; both travel inside the timestamp option.`);
      }
      const name = entry.objectName.trim();
      if (!name) problems.push({ field: `${prefix}objectName`, message: 'give this source\'s synproxy object a name' });
      else declare(name, entry, `${prefix}objectName`);
    });
  }
  if (reused.length) {
    notes.push(`Reusing the existing synproxy object${reused.length > 1 ? 's' : ''} ${reused.map((n) => `"${n}"`).join(', ')} of table ${opts.family} ${opts.tableName} (same settings).`);
  }
  return { problems, notes, ports, rows, objects, reused, table };
}

// ------------------------------------------------------------------ building blocks

const tcpDport = (ports: number[]): Statement => ({
  kind: 'match',
  left: { kind: 'payload', protocol: 'tcp', field: 'dport' },
  op: 'implicit',
  right: ports.length === 1 ? { kind: 'value', text: String(ports[0]) } : { kind: 'set', elements: ports.map((p) => ({ key: { kind: 'value', text: String(p) } })) },
});

const ctState = (states: readonly string[]): Statement => ({
  kind: 'match',
  left: { kind: 'ct', key: 'state' },
  op: 'implicit',
  right: states.length === 1 ? { kind: 'value', text: states[0] } : { kind: 'list', items: states.map((s) => ({ kind: 'value', text: s })) },
});

function networkKey(n: Network): Expr {
  const bits = n.af === 'ip' ? 32 : 128;
  return n.len === bits ? { kind: 'value', text: n.addr } : { kind: 'prefix', addr: { kind: 'value', text: n.addr }, len: n.len };
}

function rule(stmts: Statement[]): Rule {
  return { id: newId('r'), stmts };
}

/** The priority for a value, in the spelling nft lists (`filter - 1` → std filter, offset -1). */
export function priorityFor(family: Family, hook: Hook, value: number): Priority {
  const text = formatPriorityValue(family, hook, value);
  const m = /^([a-z]+)(?: ([+-]) (\d+))?$/.exec(text);
  if (m) return { kind: 'std', name: m[1], offset: m[2] ? (m[2] === '+' ? 1 : -1) * Number(m[3]) : 0 };
  return { kind: 'num', value };
}

function familiesOverlap(a: Family, b: Family): boolean {
  const ipish = (f: Family) => f === 'ip' || f === 'ip6' || f === 'inet';
  if (!ipish(a) || !ipish(b)) return false;
  return a === b || a === 'inet' || b === 'inet';
}

/** Base chains on `hook` that run after conntrack and no later than filter, in tables that see the same packets. */
export function competingChains(base: Ruleset, family: Family, hook: Hook): { table: Table; chain: Chain; value: number }[] {
  const out: { table: Table; chain: Chain; value: number }[] = [];
  for (const t of base.tables) {
    if (!familiesOverlap(t.family, family)) continue;
    for (const c of t.chains) {
      if (c.base?.hook !== hook) continue;
      const v = priorityValue(t.family, c.base.priority);
      if (v !== undefined && v > CONNTRACK_PRIORITY && v <= 0) out.push({ table: t, chain: c, value: v });
    }
  }
  return out;
}

function uniqueChainName(table: Table | undefined, wanted: string, also: string[] = []): string {
  const taken = new Set([...(table?.chains.map((c) => c.name) ?? []), ...also]);
  if (!taken.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!taken.has(`${wanted}_${i}`)) return `${wanted}_${i}`;
}

function portsText(ports: number[]): string {
  return ports.length === 1 ? String(ports[0]) : `{ ${ports.join(', ')} }`;
}

// ------------------------------------------------------------------ the generator

export function buildSynproxySetup(base: Ruleset, opts: SynproxyWizardOptions, targetVersion?: string): SynproxyWizardResult {
  const checked = checkSynproxyOptions(base, opts, targetVersion);
  const hostCommands = synproxyHostCommands();
  const notes = [...baseNotes(opts, checked.ports), ...checked.notes];
  if (checked.problems.length) {
    return { ruleset: base, addedIds: [], tableIsNew: !checked.table, hostCommands, notes, problems: checked.problems };
  }

  const { ports, rows, objects } = checked;
  const family: Family = opts.family;
  const hook = HOOK_OF[opts.placement];
  let rs = base;
  const table = checked.table;
  let tableId: string;
  const tableIsNew = !table;
  if (table) tableId = table.id;
  else {
    const added = addTable(rs, { family, name: opts.tableName, flags: [], objects: [], sets: [], flowtables: [], chains: [] });
    rs = added.ruleset;
    tableId = added.id;
  }

  // objects
  const objectIds: string[] = [];
  for (const o of objects) {
    const obj: SynproxyObject = { id: newId('o'), type: 'synproxy', name: o.name, mss: o.mss, wscale: o.wscale };
    if (o.timestamp) obj.timestamp = true;
    if (o.sackPerm) obj.sackPerm = true;
    rs = addObject(rs, tableId, obj).ruleset;
    objectIds.push(obj.id);
  }

  // prerouting: notrack the SYNs before conntrack
  const preName = uniqueChainName(table, PRE_CHAIN_NAME);
  const notrackRule = rule([tcpDport(ports), { kind: 'match', left: { kind: 'payload', protocol: 'tcp', field: 'flags' }, op: 'implicit', right: { kind: 'value', text: 'syn' } }, { kind: 'notrack' }]);
  const pre = addChain(rs, tableId, {
    name: preName,
    base: { type: 'filter', hook: 'prerouting', priority: { kind: 'std', name: 'raw', offset: 0 }, policy: 'accept' },
    rules: [notrackRule],
  });
  rs = pre.ruleset;

  // input / forward: synproxy, then drop what stays invalid
  const competitors = competingChains(base, family, hook);
  const lowest = competitors.reduce((m, c) => Math.min(m, c.value), 1);
  const prioValue = competitors.length ? Math.max(CONNTRACK_PRIORITY + 1, lowest - 1) : 0;
  const synName = uniqueChainName(table, CHAIN_BASE_NAME[opts.placement], [preName]);
  const handshake = (): Statement[] => [tcpDport(ports), ctState(SYNPROXY_CT_STATES)];
  const synRules: Rule[] = [];
  if (opts.mode === 'anonymous') {
    synRules.push(rule([...handshake(), { kind: 'synproxy', mss: opts.mss, wscale: opts.wscale, ...(opts.timestamp ? { timestamp: true } : {}), ...(opts.sackPerm ? { sackPerm: true } : {}) }]));
  } else if (opts.mode === 'named') {
    synRules.push(rule([...handshake(), { kind: 'objref', type: 'synproxy', name: (opts.objectName ?? '').trim() }]));
  } else {
    for (const af of ['ip', 'ip6'] as AddressFamily[]) {
      const mine = rows.filter((r) => r.network.af === af).sort((a, b) => (a.network.lo < b.network.lo ? -1 : a.network.lo > b.network.lo ? 1 : 0));
      if (!mine.length) continue;
      const elements: SetElement[] = mine.map((r) => ({ key: networkKey(r.network), value: { kind: 'value', text: `"${r.entry.objectName.trim()}"` } }));
      synRules.push(
        rule([
          ...handshake(),
          { kind: 'objref', type: 'synproxy', map: { kind: 'map', key: { kind: 'payload', protocol: af, field: 'saddr' }, data: { kind: 'set', elements } } },
        ]),
      );
    }
    const fallback = opts.objectName?.trim();
    if (fallback) synRules.push(rule([...handshake(), { kind: 'objref', type: 'synproxy', name: fallback }]));
  }
  const dropRule = rule([ctState(['invalid']), { kind: 'verdict', verdict: 'drop' }]);
  const syn = addChain(rs, tableId, {
    name: synName,
    base: { type: 'filter', hook, priority: priorityFor(family, hook, prioValue), policy: 'accept' },
    rules: [...synRules, dropRule],
  });
  rs = syn.ruleset;

  const addedIds = [syn.id, ...synRules.map((r) => r.id), dropRule.id, pre.id, notrackRule.id, ...objectIds];
  if (tableIsNew) addedIds.push(tableId);

  if (competitors.length) {
    const list = competitors.map((c) => `${c.chain.name} (table ${c.table.family} ${c.table.name}, priority ${c.value})`).join(', ');
    notes.push(
      `Your design already has ${hook} chains after conntrack: ${list}. The chain ${synName} gets priority ${prioValue} so that it sees the handshake first; at the same priority a chain with policy drop or "ct state invalid drop" could discard the untracked SYN or the invalid ACK before synproxy answers them. Those chains must still accept the connection once synproxy hands it over: its packets are ct state new (the SYN synproxy sends to the server) and then established.`,
    );
  }
  if (!tableIsNew) notes.push(`Added to the existing table ${family} ${opts.tableName}: new chains ${preName} and ${synName}${objects.length ? ` and ${objects.length} synproxy object${objects.length > 1 ? 's' : ''}` : ''}; nothing that was there was changed.`);
  if (opts.mode === 'per-source' && !opts.objectName?.trim()) {
    notes.push(
      `Sources outside the map get no synproxy: their SYNs are still notracked in ${preName} but no rule answers them, so connections from them fail. Give a default object to cover everyone else.`,
    );
  }
  if (opts.mode === 'per-source' && family === 'inet' && new Set(rows.map((r) => r.network.af)).size === 2) {
    notes.push('An inet table sees IPv4 and IPv6: one map is keyed on ip saddr and one on ip6 saddr, so the networks are split into two synproxy rules.');
  }

  return { ruleset: rs, addedIds, tableId, tableIsNew, hostCommands, notes, problems: [] };
}

/**
 * A tcpdump command that shows only the server's SYN-ACKs (SYN and ACK both set)
 * from `port`, whose options are the values synproxy must announce.
 */
/** The capture that shows the backend's SYN-ACK options (one recipe, in knowledge/synproxyFacts.ts). */
export const synAckTcpdumpCommand = (port?: number, iface = 'eth0'): string => tcpdumpSynAckCommand(port, iface);

function baseNotes(opts: SynproxyWizardOptions, ports: number[]): string[] {
  const p = ports.length ? portsText(ports) : 'P';
  const notes = [
    `Why notrack at priority raw: connection tracking runs at priority ${CONNTRACK_PRIORITY} in prerouting. "tcp dport ${p} tcp flags syn notrack" at raw (-300) runs before it, so a flood of SYNs never creates conntrack entries; synproxy answers them with SYN cookies instead.`,
    `Why "ct state invalid,untracked": synproxy must only see the handshake: the notracked SYN (untracked) and the client's ACK, which conntrack marks invalid because it never saw the SYN (with net.netfilter.nf_conntrack_tcp_loose=0). Established connections are left alone.`,
    'Why "ct state invalid drop" right after it: what stays invalid after synproxy (spoofed ACKs, bad cookies) is dropped before later rules or the policy can accept it.',
    `Why mss and wscale must match the backend: synproxy answers the client's SYN on the server's behalf before the server has seen it, so it must announce the server's own MSS and window scale; wrong values mean wrong segment sizes or a wrong window. Read them from the server's SYN-ACK with synproxy off (on the server, or on the interface towards it): ${synAckTcpdumpCommand(ports[0])}, open a connection and read "mss" and "wscale" in the options tcpdump prints ([mss 1460,sackOK,TS …,nop,wscale 7]; sackOK means the server uses SACK, TS timestamps).`,
    'Why timestamp: a SYN cookie has no room for window scaling and SACK, so synproxy carries them in the TCP timestamp option; without timestamp, clients lose both (net.ipv4.tcp_timestamps=1 on the host).',
  ];
  if (opts.mss < SYNPROXY_MSS_TYPICAL.min || opts.mss > SYNPROXY_MSS_TYPICAL.max) {
    notes.push(`mss ${opts.mss} is unusual: real MSS values are about ${SYNPROXY_MSS_TYPICAL.min}..${SYNPROXY_MSS_TYPICAL.max} (${SYNPROXY_MSS_TYPICAL.ethernet} on Ethernet with MTU 1500).`);
  }
  if (!opts.timestamp) {
    notes.push(`Without timestamp the client gets no window scaling${opts.sackPerm ? ' and no SACK' : ''} from synproxy: wscale ${opts.wscale}${opts.sackPerm ? ' and sack-perm are' : ' is'} only passed on inside the timestamp option. Enable timestamp unless the backend itself does not use timestamps.`);
  }
  if (opts.placement === 'forward') {
    notes.push('Forward placement protects a backend behind this host: synproxy completes the handshake with the client, then opens the connection to the backend with the same options, so use the backend\'s mss and wscale.');
  }
  notes.push(
    opts.mode === 'anonymous'
      ? `Versions: the synproxy statement needs nftables ${FEATURES.synproxyStmt.since} or later (Debian 12 has 1.0.6).`
      : `Versions: named synproxy objects need nftables ${FEATURES.synproxyObject.since} or later (Debian 12 has 1.0.6); nft ${FEATURES.jsonSynproxyObjects.since} is the first whose JSON can create them, so load this design as nft text.`,
  );
  notes.push(`Host prerequisites (nft cannot set them): ${SYNPROXY_SYSCTLS.map((s) => `${s.line} (${s.why})`).join('; ')}. ${CONNTRACK_SIZING_NOTE}`);
  return notes;
}
