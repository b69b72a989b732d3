/**
 * Everything the checks share, computed once per lint: name indexes per table,
 * the jump graph (jump, goto, vmap and named verdict maps), which base chains
 * reach each regular chain, resolved priorities, and the `report` helper that
 * fills in ranges when the ruleset came from text.
 */
import type { Diagnostic, Range, Severity, TraceExample } from '../model/diagnostic.ts';
import type { Chain, Define, Family, NamedObject, Priority, Rule, Ruleset, SetDecl, Table } from '../model/types.ts';
import { priorityValue as stdPriorityValue } from '../knowledge/priorities.ts';
import { designTarget } from '../knowledge/versions.ts';
import { type LintSource, Locator } from './locate.ts';
import { type JumpRef, directJumps, mapJumps, vmapRefs } from './walk.ts';

export interface LintOptions {
  /** nftables version to check features against (default 1.0.6) */
  targetVersion?: string;
  /** when the ruleset came from text: spans and text, to point at exact tokens */
  source?: LintSource;
  /** also report what nft's JSON cannot carry */
  forJson?: boolean;
  /** the port the management path is checked for (default 22, SSH) */
  managementPort?: number;
}

export interface Edge extends JumpRef {
  from: Chain;
  rule: Rule;
}

export interface TableInfo {
  table: Table;
  chains: Map<string, Chain>;
  sets: Map<string, SetDecl>;
  /** `${type}\0${name}` → object */
  objects: Map<string, NamedObject>;
  objectsByName: Map<string, NamedObject[]>;
  /** chain id → its outgoing jump edges */
  edges: Map<string, Edge[]>;
  /** regular chain id → base chains from which it can be reached */
  reachedFrom: Map<string, Chain[]>;
}

export interface RuleAt {
  ti: TableInfo;
  chain: Chain;
  rule: Rule;
  index: number;
}

/** What a check reports; `at` is the token range, when known. */
export interface Finding {
  id: string;
  severity: Severity;
  message: string;
  why: string;
  nodeId?: string;
  field?: string;
  at?: Range;
  /** the packet that shows it, for the packet trace */
  trace?: TraceExample;
}

export function objectKey(type: string, name: string): string {
  return `${type}\u0000${name}`;
}

export class LintContext {
  readonly target: string;
  readonly forJson: boolean;
  readonly managementPort: number;
  readonly tables: TableInfo[];
  readonly defines = new Map<string, Define>();
  readonly loc: Locator | undefined;
  readonly out: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly rs: Ruleset,
    opts: LintOptions,
  ) {
    this.target = designTarget(rs, opts.targetVersion);
    this.forJson = opts.forJson ?? false;
    this.managementPort = opts.managementPort ?? 22;
    this.loc = opts.source ? new Locator(opts.source) : undefined;
    for (const d of rs.defines) if (!this.defines.has(d.name)) this.defines.set(d.name, d);
    this.tables = rs.tables.map(indexTable);
  }

  report(f: Finding): void {
    const key = `${f.id}\u0000${f.nodeId ?? ''}\u0000${f.field ?? ''}\u0000${f.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const d: Diagnostic = { id: f.id, severity: f.severity, message: f.message, why: f.why };
    if (f.nodeId !== undefined) d.nodeId = f.nodeId;
    if (f.field !== undefined) d.field = f.field;
    const range = f.at ?? (f.nodeId !== undefined ? this.loc?.node(f.nodeId) : undefined);
    if (range) d.range = range;
    if (f.trace) d.trace = f.trace;
    this.out.push(d);
  }

  private allRules: RuleAt[] | undefined;

  /** Every rule of every chain, in document order (built once). */
  rules(): readonly RuleAt[] {
    if (!this.allRules) {
      const out: RuleAt[] = [];
      for (const ti of this.tables) {
        for (const chain of ti.table.chains) {
          for (let index = 0; index < chain.rules.length; index++) out.push({ ti, chain, rule: chain.rules[index], index });
        }
      }
      this.allRules = out;
    }
    return this.allRules;
  }

  /** The base chains whose hook a chain's rules run on: itself, or those that reach it. */
  entries(ti: TableInfo, chain: Chain): readonly Chain[] {
    if (chain.base) return [chain];
    return ti.reachedFrom.get(chain.id) ?? [];
  }

  /** A `$variable`'s value as written, or undefined. */
  defineValue(name: string): string | undefined {
    return this.defines.get(name)?.value;
  }

  /** A priority's number, resolving `$variables` defined as plain numbers. */
  priorityValue(family: Family, p: Priority): number | undefined {
    if (p.kind !== 'var') return stdPriorityValue(family, p);
    const v = this.defineValue(p.name)?.trim();
    if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
    return Number(v);
  }
}

function indexTable(table: Table): TableInfo {
  const chains = new Map<string, Chain>();
  for (const c of table.chains) if (!chains.has(c.name)) chains.set(c.name, c);
  const sets = new Map<string, SetDecl>();
  for (const s of table.sets) if (!sets.has(s.name)) sets.set(s.name, s);
  const objects = new Map<string, NamedObject>();
  const objectsByName = new Map<string, NamedObject[]>();
  for (const o of table.objects) {
    const k = objectKey(o.type, o.name);
    if (!objects.has(k)) objects.set(k, o);
    const list = objectsByName.get(o.name);
    if (list) list.push(o);
    else objectsByName.set(o.name, [o]);
  }

  const mapTargets = new Map<string, { target: string; kind: 'jump' | 'goto' }[]>();
  for (const s of table.sets) if (s.kind === 'map') mapTargets.set(s.name, mapJumps(s.elements));

  const edges = new Map<string, Edge[]>();
  for (const chain of table.chains) {
    const list: Edge[] = [];
    for (const rule of chain.rules) {
      for (const j of directJumps(rule)) list.push({ ...j, from: chain, rule });
      for (const m of vmapRefs(rule)) {
        for (const t of mapTargets.get(m) ?? []) list.push({ ...t, via: 'map', map: m, from: chain, rule });
      }
    }
    const prev = edges.get(chain.id);
    edges.set(chain.id, prev ? prev.concat(list) : list);
  }

  const reachedFrom = new Map<string, Chain[]>();
  for (const base of table.chains) {
    if (!base.base) continue;
    const visited = new Set<string>([base.id]);
    const stack: Chain[] = [base];
    while (stack.length) {
      const c = stack.pop() as Chain;
      for (const e of edges.get(c.id) ?? []) {
        const t = chains.get(e.target);
        if (!t || t.base || visited.has(t.id)) continue;
        visited.add(t.id);
        const list = reachedFrom.get(t.id);
        if (list) list.push(base);
        else reachedFrom.set(t.id, [base]);
        stack.push(t);
      }
    }
  }
  return { table, chains, sets, objects, objectsByName, edges, reachedFrom };
}
