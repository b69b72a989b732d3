/**
 * What the hook map shows, computed from a Ruleset without any drawing: which
 * lanes (family groups) and hooks to show, the kernel stages and base chains on
 * each hook in priority order, and where each chain sits relative to conntrack.
 * Pure: the same ruleset gives the same model.
 */
import type { Chain, ChainType, Family, Hook, Priority, Ruleset, Table } from '../../src/model/types.ts';
import { familyHooks, HOOKS } from '../../src/knowledge/families.ts';
import { formatPriorityValue, priorityText, priorityValue } from '../../src/knowledge/priorities.ts';
import { kernelStages, PACKET_PATH, stageWhat } from '../../src/knowledge/stages.ts';
import { conntrackAtHook, conntrackPosition, hookDescription, type ConntrackPosition } from '../../src/knowledge/packetPath.ts';
import { directJumps, mapJumps, rawHasWord, vmapRefs } from '../../src/lint/walk.ts';

/** The attribute value e2e tests read (`data-position`). */
export type Position = 'before-conntrack' | 'after-conntrack' | 'none';

/**
 * ip, ip6 and inet chains register on the same IPv4/IPv6 hooks and run in one
 * priority order, so they share a lane; the others each have their own path.
 */
export type LaneId = 'ip' | 'bridge' | 'arp' | 'netdev';

export interface ChainNode {
  id: string;
  name: string;
  tableId: string;
  tableName: string;
  family: Family;
  type: ChainType;
  hook: Hook;
  /** the user's spelling: `raw`, `filter + 10`, `-300`, `$P` */
  priorityText: string;
  /** spelling and number: `raw (-300)`, `-300`, `$P (-150)`, `$P (?)` */
  priorityLabel: string;
  /** undefined when it cannot be known (an undefined `$variable`, an unknown name) */
  value: number | undefined;
  /** how nft lists it back, when that differs from the spelling */
  listedAs?: string;
  /** why the value is unknown */
  unknownReason?: string;
  policy: string;
  ruleCount: number;
  devices: string[];
  notrack: boolean;
  synproxy: boolean;
  /** regular chains (reached by jump/goto/vmap) that hold the notrack/synproxy statements */
  markerVia: string[];
  conntrack: ConntrackPosition;
  position: Position;
  /** regular chains this base chain can reach */
  reaches: { id: string; name: string }[];
  /** document order, for stable sorting */
  order: number;
}

export type StageKind = 'conntrack' | 'confirm' | 'stage';

export interface StageNode {
  /** slug for test ids: `conntrack`, `conntrack-confirm`, `dstnat-bridged` */
  key: string;
  name: string;
  value: number;
  what: string;
  kind: StageKind;
}

export type Entry = { kind: 'stage'; stage: StageNode } | { kind: 'chain'; chain: ChainNode };

/** Everything at one priority value on a hook: stages first, then chains. */
export interface PriorityGroup {
  value: number;
  entries: Entry[];
  /** two or more chains share the value: their order is not defined */
  chainTie: boolean;
}

export interface HookColumn {
  hook: Hook;
  description: string;
  /** where packets come from: `from prerouting`, `from local processes` */
  from: string;
  conntrack: ReturnType<typeof conntrackAtHook>;
  groups: PriorityGroup[];
  /** chains whose priority has no known value, shown last */
  unknown: ChainNode[];
}

export interface Lane {
  id: LaneId;
  title: string;
  families: Family[];
  note: string;
  columns: HookColumn[];
}

export interface RegularChainNode {
  id: string;
  name: string;
  tableName: string;
  family: Family;
  reachedFrom: { id: string; name: string; hook: Hook }[];
}

export interface HookMapModel {
  lanes: Lane[];
  /** base chains by id */
  chains: Map<string, ChainNode>;
  /** regular chains, reached or not */
  regular: RegularChainNode[];
  /** chain id for every chain and rule id (to map selection and findings) */
  chainOf: Map<string, string>;
}

const LANE_OF: Readonly<Record<Family, LaneId>> = { ip: 'ip', ip6: 'ip', inet: 'ip', bridge: 'bridge', arp: 'arp', netdev: 'netdev' };
const LANE_ORDER: readonly LaneId[] = ['ip', 'bridge', 'arp', 'netdev'];
const LANE_FAMILY: Readonly<Record<LaneId, Family>> = { ip: 'ip', bridge: 'bridge', arp: 'arp', netdev: 'netdev' };

const LANE_TEXT: Readonly<Record<LaneId, { title: string; note: string }>> = {
  ip: {
    title: 'IP packet path',
    note: 'ip, ip6 and inet tables hook into the same IPv4/IPv6 path, so their chains run in one priority order (ip tables see only IPv4, ip6 tables only IPv6).',
  },
  bridge: {
    title: 'Bridge path',
    note: 'Frames crossing a Linux bridge, with the bridge family’s own priorities. Bridge conntrack needs the nf_conntrack_bridge module (not in every kernel) and is not drawn.',
  },
  arp: { title: 'ARP path', note: 'ARP packets to and from this host. Conntrack does not track ARP.' },
  netdev: {
    title: 'netdev (per device)',
    note: 'Per-device hooks: ingress before any other family sees a frame, egress after all of them. inet ingress chains on the same device share the ingress hook.',
  },
};

export function buildHookMap(rs: Ruleset): HookMapModel {
  const defines = new Map<string, string>();
  for (const d of rs.defines) if (!defines.has(d.name)) defines.set(d.name, d.value);

  const chains = new Map<string, ChainNode>();
  const chainOf = new Map<string, string>();
  const regular: RegularChainNode[] = [];
  const byLane = new Map<LaneId, { families: Set<Family>; chains: ChainNode[] }>();
  let order = 0;

  for (const table of rs.tables) {
    const reach = reachability(table);
    for (const chain of table.chains) {
      chainOf.set(chain.id, chain.id);
      for (const r of chain.rules) chainOf.set(r.id, chain.id);
    }
    const lane = LANE_OF[table.family];
    const slot = byLane.get(lane) ?? { families: new Set<Family>(), chains: [] };
    slot.families.add(table.family);
    byLane.set(lane, slot);
    for (const chain of table.chains) {
      if (!chain.base) {
        const from = (reach.reachedFrom.get(chain.id) ?? []).map((b) => ({ id: b.id, name: b.name, hook: (b.base as { hook: Hook }).hook }));
        regular.push({ id: chain.id, name: chain.name, tableName: table.name, family: table.family, reachedFrom: from });
        continue;
      }
      const node = chainNode(table, chain, reach, defines, order++);
      chains.set(node.id, node);
      slot.chains.push(node);
    }
  }

  const lanes: Lane[] = [];
  for (const id of LANE_ORDER) {
    const slot = byLane.get(id);
    if (!slot) continue;
    const families = [...slot.families];
    lanes.push({ id, ...LANE_TEXT[id], families, columns: laneColumns(id, families, slot.chains) });
  }
  return { lanes, chains, regular, chainOf };
}

function laneColumns(lane: LaneId, families: Family[], chains: ChainNode[]): HookColumn[] {
  const hooks = new Set<Hook>();
  for (const f of families) for (const h of familyHooks(f)) hooks.add(h);
  // A chain on a hook its family does not have (the linter reports it) still shows.
  for (const c of chains) hooks.add(c.hook);
  const shown = HOOKS.filter((h) => hooks.has(h));
  const family = LANE_FAMILY[lane];
  return shown.map((hook) => {
    const here = chains.filter((c) => c.hook === hook);
    return {
      hook,
      description: hookDescription(family, hook),
      from: fromText(hook, shown),
      conntrack: conntrackAtHook(family, hook),
      groups: priorityGroups(stagesAt(family, hook), here.filter((c) => c.value !== undefined)),
      unknown: here.filter((c) => c.value === undefined).sort((a, b) => a.order - b.order),
    };
  });
}

/** The kernel stages that run on this hook, in priority order. */
export function stagesAt(family: Family, hook: Hook): StageNode[] {
  return kernelStages(family)
    .filter((s) => s.hooks.includes(hook))
    .map((s) => ({
      key: slug(s.name),
      name: s.name,
      value: s.value,
      what: stageWhat(s, hook),
      kind: s.name === 'conntrack' ? 'conntrack' : s.name === 'conntrack confirm' ? 'confirm' : 'stage',
    }));
}

function priorityGroups(stages: StageNode[], chains: ChainNode[]): PriorityGroup[] {
  const byValue = new Map<number, PriorityGroup>();
  const group = (value: number): PriorityGroup => {
    let g = byValue.get(value);
    if (!g) byValue.set(value, (g = { value, entries: [], chainTie: false }));
    return g;
  };
  for (const stage of stages) group(stage.value).entries.push({ kind: 'stage', stage });
  for (const chain of [...chains].sort((a, b) => a.order - b.order)) group(chain.value as number).entries.push({ kind: 'chain', chain });
  const groups = [...byValue.values()].sort((a, b) => a.value - b.value);
  for (const g of groups) g.chainTie = g.entries.filter((e) => e.kind === 'chain').length > 1;
  return groups;
}

function fromText(hook: Hook, shown: readonly Hook[]): string {
  if (hook === 'output') return 'from local processes';
  const after = (PACKET_PATH.find((p) => p.hook === hook)?.after ?? []).filter((h) => shown.includes(h));
  if (after.length === 0) return hook === 'egress' ? 'leaving the device' : 'from the network';
  return `from ${after.join(', ')}`;
}

function chainNode(table: Table, chain: Chain, reach: Reach, defines: Map<string, string>, order: number): ChainNode {
  const base = chain.base as NonNullable<Chain['base']>;
  const family = table.family;
  const { value, reason } = resolvePriority(family, base.priority, defines);
  const written = priorityText(base.priority);
  let label: string;
  if (value === undefined) label = `${written} (?)`;
  else if (base.priority.kind === 'num') label = written;
  else label = `${written} (${value})`;
  const listed = value === undefined ? undefined : formatPriorityValue(family, base.hook, value);
  const reached = reach.reaches.get(chain.id) ?? [];
  const markers = chainMarkers(chain);
  const markerVia: string[] = [];
  let { notrack, synproxy } = markers;
  for (const r of reached) {
    const m = chainMarkers(r);
    if (m.notrack || m.synproxy) markerVia.push(r.name);
    notrack ||= m.notrack;
    synproxy ||= m.synproxy;
  }
  const conntrack = conntrackPosition(family, base.hook, value);
  return {
    id: chain.id,
    name: chain.name,
    tableId: table.id,
    tableName: table.name,
    family,
    type: base.type,
    hook: base.hook,
    priorityText: written,
    priorityLabel: label,
    value,
    listedAs: listed !== undefined && listed !== written ? listed : undefined,
    unknownReason: reason,
    policy: base.policy ?? 'accept',
    ruleCount: chain.rules.length,
    devices: base.devices ?? [],
    notrack,
    synproxy,
    markerVia,
    conntrack,
    position: conntrack === 'before' ? 'before-conntrack' : conntrack === 'after' ? 'after-conntrack' : 'none',
    reaches: reached.map((r) => ({ id: r.id, name: r.name })),
    order,
  };
}

/** A priority's number; `$variables` defined as plain integers are resolved (as the linter does). */
export function resolvePriority(family: Family, p: Priority, defines: ReadonlyMap<string, string>): { value: number | undefined; reason?: string } {
  if (p.kind === 'var') {
    const text = defines.get(p.name)?.trim();
    if (text === undefined) return { value: undefined, reason: `$${p.name} is not defined in this design, so its value is not known` };
    if (!/^-?\d+$/.test(text)) return { value: undefined, reason: `$${p.name} is "${text}", not a plain number, so the map cannot place it` };
    return { value: Number(text) };
  }
  const value = priorityValue(family, p);
  if (value === undefined) return { value, reason: `"${priorityText(p)}" is not a priority name of the ${family} family` };
  return { value };
}

function chainMarkers(chain: Chain): { notrack: boolean; synproxy: boolean } {
  let notrack = false;
  let synproxy = false;
  for (const rule of chain.rules) {
    for (const s of rule.stmts) {
      if (s.kind === 'notrack') notrack = true;
      else if (s.kind === 'synproxy' || (s.kind === 'objref' && s.type === 'synproxy')) synproxy = true;
      else if (s.kind === 'raw') {
        notrack ||= rawHasWord(s.text, 'notrack');
        synproxy ||= rawHasWord(s.text, 'synproxy');
      }
    }
  }
  return { notrack, synproxy };
}

interface Reach {
  /** base chain id → regular chains it reaches */
  reaches: Map<string, Chain[]>;
  /** regular chain id → base chains that reach it */
  reachedFrom: Map<string, Chain[]>;
}

/** Jump, goto and verdict-map edges within a table, followed from every base chain. */
function reachability(table: Table): Reach {
  const byName = new Map<string, Chain>();
  for (const c of table.chains) if (!byName.has(c.name)) byName.set(c.name, c);
  const mapTargets = new Map<string, string[]>();
  for (const s of table.sets) if (s.kind === 'map') mapTargets.set(s.name, mapJumps(s.elements).map((j) => j.target));
  const targets = (c: Chain): string[] => {
    const out: string[] = [];
    for (const rule of c.rules) {
      for (const j of directJumps(rule)) out.push(j.target);
      for (const m of vmapRefs(rule)) out.push(...(mapTargets.get(m) ?? []));
    }
    return out;
  };
  const reaches = new Map<string, Chain[]>();
  const reachedFrom = new Map<string, Chain[]>();
  for (const base of table.chains) {
    if (!base.base) continue;
    const seen = new Set<string>([base.id]);
    const found: Chain[] = [];
    const stack = [base];
    while (stack.length) {
      const c = stack.pop() as Chain;
      for (const name of targets(c)) {
        const t = byName.get(name);
        if (!t || t.base || seen.has(t.id)) continue;
        seen.add(t.id);
        found.push(t);
        stack.push(t);
        const list = reachedFrom.get(t.id);
        if (list) list.push(base);
        else reachedFrom.set(t.id, [base]);
      }
    }
    reaches.set(base.id, found);
  }
  return { reaches, reachedFrom };
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Test id of a stage: the IP lane's have no lane prefix (`hookmap.stage.conntrack.prerouting`). */
export function stageTestId(lane: LaneId, stage: StageNode, hook: Hook): string {
  return lane === 'ip' ? `hookmap.stage.${stage.key}.${hook}` : `hookmap.stage.${lane}.${stage.key}.${hook}`;
}
