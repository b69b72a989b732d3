/**
 * Checking a lesson's goals against a design: structural checks over the model
 * (chains, rules, sets, synproxy parameters) and the linter's findings. Steps
 * are checked in order; what a goal finds can be named (`as`) and used by the
 * goals of later steps (`{ "ref": … }`, `after`), so "the drop after the
 * synproxy rule" means after the rule an earlier step found.
 *
 * A step is `met`, `unmet` (with what is still missing, in words), or
 * `pending` while the linter's findings for this design are not known yet.
 */
import type { Diagnostic, Severity } from '../model/diagnostic.ts';
import type { SetElement } from '../model/expr.ts';
import type { Statement } from '../model/stmt.ts';
import type { Chain, Family, Priority, Rule, Ruleset, SetDecl, Table } from '../model/types.ts';
import { conntrackPosition } from '../knowledge/packetPath.ts';
import { priorityValue, stdPriority } from '../knowledge/priorities.ts';
import { SYNPROXY_MSS_MAX, SYNPROXY_MSS_MIN, SYNPROXY_WSCALE_TCP_MAX } from '../knowledge/synproxyFacts.ts';
import { usesSynproxy } from '../lint/checks/synproxySetup.ts';
import { forEachStmtExpr, terminalVerdict } from '../lint/walk.ts';
import type { Bounds, ChainWhere, Goal, Lesson, MatchWant, RuleGoal, SetWhere, Step, SynproxyGoal, TraceGoal } from './format.ts';
import { trace, TCP_LOOSE, type PacketResult } from '../trace/evaluate.ts';
import { canonicalField, covers, matchedAtoms } from './match.ts';

export type Status = 'met' | 'unmet' | 'pending';

export interface GoalResult {
  status: Status;
  /** what is still missing, in words (empty when met) */
  missing: string[];
  /** the first design node the goal found (to show it), when met */
  nodeId?: string;
}

export interface StepResult extends GoalResult {
  stepId: string;
}

export interface EvalContext {
  ruleset: Ruleset;
  /** the linter's findings for exactly this ruleset; null while they are not known */
  findings: readonly Diagnostic[] | null;
  /** ids of the confirm steps the learner has confirmed */
  confirmed: ReadonlySet<string>;
}

type Found = { kind: 'chain'; table: Table; chain: Chain } | { kind: 'rule'; table: Table; chain: Chain; index: number } | { kind: 'set'; table: Table; set: SetDecl };
/** What earlier goals found, by their `as` name, and which step names each (for "first step 2"). */
interface Bindings {
  found: Map<string, Found>;
  owners: Map<string, string>;
  get(label: string): Found | undefined;
  set(label: string, f: Found): void;
}

function bindings(owners = new Map<string, string>()): Bindings {
  const found = new Map<string, Found>();
  return { found, owners, get: (l) => found.get(l), set: (l, f) => void found.set(l, f) };
}

function labelsOf(g: Goal, out: string[]): void {
  if ((g.kind === 'chain' || g.kind === 'rule' || g.kind === 'set') && g.as) out.push(g.as);
  if (g.kind === 'all' || g.kind === 'any') for (const x of g.of) labelsOf(x, out);
}

/** Every step's result, in order. */
export function evaluateLesson(lesson: Lesson, ctx: EvalContext): StepResult[] {
  const owners = new Map<string, string>();
  lesson.steps.forEach((s, i) => {
    const ls: string[] = [];
    labelsOf(s.goal, ls);
    for (const l of ls) owners.set(l, `step ${i + 1} ("${s.title}")`);
  });
  const b = bindings(owners);
  return lesson.steps.map((step) => ({ stepId: step.id, ...evaluateStep(step, ctx, b) }));
}

export function evaluateStep(step: Step, ctx: EvalContext, b: Bindings = bindings()): GoalResult {
  return goal(step.goal, ctx, b, step.id);
}

function first(b: Bindings, label: string): string {
  return `first ${b.owners.get(label) ?? `what "${label}" names (an earlier step)`}`;
}

const met = (nodeId?: string): GoalResult => (nodeId ? { status: 'met', missing: [], nodeId } : { status: 'met', missing: [] });
const unmet = (...missing: string[]): GoalResult => ({ status: 'unmet', missing });

function goal(g: Goal, ctx: EvalContext, b: Bindings, stepId: string): GoalResult {
  switch (g.kind) {
    case 'chain': {
      const hit = chainsWhere(ctx.ruleset, g.where)[0];
      if (!hit) return unmet(`no ${describeChain(g.where)} yet`);
      if (g.as) b.set(g.as, { kind: 'chain', ...hit });
      return met(hit.chain.id);
    }
    case 'rule':
      return ruleGoal(g, ctx.ruleset, b);
    case 'set': {
      const hit = setsWhere(ctx.ruleset, g.where)[0];
      if (!hit) return unmet(`no ${describeSet(g.where)} yet`);
      if (g.as) b.set(g.as, { kind: 'set', ...hit });
      return met(hit.set.id);
    }
    case 'synproxy':
      return synproxyGoal(g, ctx.ruleset);
    case 'lint': {
      if (!ctx.findings) return { status: 'pending', missing: ['waiting for the linter'] };
      const rank = g.severity ? SEVERITY_RANK[g.severity] : 0;
      const hits = ctx.findings.filter((d) => SEVERITY_RANK[d.severity] >= rank && (!g.ids || g.ids.includes(d.id)));
      const what = `${g.severity ? `${g.severity === 'info' ? 'finding' : g.severity}s${g.severity === 'error' ? '' : ' or worse'}` : 'findings'}${g.ids ? ` (${g.ids.join(', ')})` : ''}`;
      if (g.expect === 'none') {
        if (!hits.length) return met();
        return unmet(...hits.slice(0, 3).map((d) => `the linter says: ${d.message}`), ...(hits.length > 3 ? [`and ${hits.length - 3} more ${what}`] : []));
      }
      return hits.length ? met(hits[0].nodeId) : unmet(`no ${what} from the linter`);
    }
    case 'trace':
      return traceGoal(g, ctx.ruleset);
    case 'confirm':
      return ctx.confirmed.has(stepId) ? met() : unmet('not confirmed yet');
    case 'all': {
      const rs = g.of.map((x) => goal(x, ctx, b, stepId));
      const missing = rs.flatMap((r) => r.missing);
      const status: Status = rs.some((r) => r.status === 'unmet') ? 'unmet' : rs.some((r) => r.status === 'pending') ? 'pending' : 'met';
      return status === 'met' ? met(rs.find((r) => r.nodeId)?.nodeId) : { status, missing };
    }
    case 'any': {
      const rs: GoalResult[] = [];
      for (const x of g.of) {
        const r = goal(x, ctx, b, stepId);
        if (r.status === 'met') return r;
        rs.push(r);
      }
      const status: Status = rs.some((r) => r.status === 'pending') ? 'pending' : 'unmet';
      return { status, missing: rs.length > 1 ? [`none of these yet: ${rs.map((r) => r.missing.join('; ')).join(' — or — ')}`] : rs[0].missing };
    }
  }
}

/** "a", "a or b", "a, b or c" */
function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** What a goal checks, in words (shown with the step, so the learner knows what "met" means). */
export function describeGoal(g: Goal): string {
  switch (g.kind) {
    case 'chain':
      return `a ${describeChain(g.where)}`;
    case 'rule': {
      const where = !g.chain ? '' : 'ref' in g.chain ? ` in the chain of ${g.chain.ref}` : ` in a ${describeChain(g.chain)}`;
      return `a ${describeRule(g)}${where}${g.after ? `, after the rule of ${g.after}` : ''}`;
    }
    case 'set':
      return `a ${describeSet(g.where)}`;
    case 'synproxy': {
      const parts: string[] = [];
      if (g.mss) parts.push(`mss ${boundsText({ min: Math.max(SYNPROXY_MSS_MIN, g.mss.min ?? SYNPROXY_MSS_MIN), max: Math.min(SYNPROXY_MSS_MAX, g.mss.max ?? SYNPROXY_MSS_MAX) })}`);
      if (g.wscale) parts.push(`wscale ${boundsText({ min: Math.max(0, g.wscale.min ?? 0), max: Math.min(SYNPROXY_WSCALE_TCP_MAX, g.wscale.max ?? SYNPROXY_WSCALE_TCP_MAX) })}`);
      if (g.timestamp !== undefined) parts.push(g.timestamp ? 'timestamp' : 'no timestamp');
      if (g.sackPerm !== undefined) parts.push(g.sackPerm ? 'sack-perm' : 'no sack-perm');
      return `every synproxy statement and object has ${parts.length ? parts.join(', ') : 'what it needs'}`;
    }
    case 'lint': {
      const what = `${g.severity ? `${g.severity === 'info' ? 'finding' : g.severity}s${g.severity === 'error' ? '' : ' or worse'}` : 'findings'}${g.ids ? ` (${g.ids.join(', ')})` : ''}`;
      return g.expect === 'none' ? `no ${what} from the linter` : `the linter reports ${what}`;
    }
    case 'trace': {
      const want = [g.verdict && (g.verdict === 'stolen' ? 'taken by synproxy (stolen)' : g.verdict === 'accept' ? 'accepted' : 'dropped'), g.ctState && `ct state ${g.ctState}`].filter(Boolean).join(', ');
      return `${g.packets.length > 1 ? `after ${g.packets.length - 1} packet${g.packets.length > 2 ? 's' : ''} of the flow, ` : ''}the packet ${g.packets[g.packets.length - 1]} is ${want}, traced through the design`;
    }
    case 'confirm':
      return 'you confirm it (the app cannot check this)';
    case 'all':
      return g.of.map(describeGoal).join('; and ');
    case 'any':
      return g.of.map(describeGoal).join('; or ');
  }
}

/* ---------- trace ---------- */

/** The flow traced through the design (src/trace/): what happens to its last packet. */
function traceGoal(g: TraceGoal, rs: Ruleset): GoalResult {
  let r: PacketResult;
  try {
    const packets = trace(rs, g.packets, { ...(g.hostAddrs ? { hostAddrs: g.hostAddrs } : {}), ...(g.tcpLoose !== undefined ? { sysctls: { [TCP_LOOSE]: String(g.tcpLoose) } } : {}) }).packets;
    r = packets[packets.length - 1];
  } catch (e) {
    return unmet(`the packet cannot be traced through the design yet: ${e instanceof Error ? e.message : String(e)}`);
  }
  const okVerdict = g.verdict === undefined || r.verdict === g.verdict;
  const okState = g.ctState === undefined || r.ctState === g.ctState;
  if (okVerdict && okState) return met(r.ruleIds.filter((x): x is string => x !== undefined).at(-1));
  const last = r.events[r.events.length - 1];
  const by = last ? (last.type === 'policy' ? `the policy of chain ${last.chain} (${last.verdict})` : `"${last.rule}" in chain ${last.chain} (verdict ${last.verdict})`) : 'no rule of the design';
  return unmet(`traced: the packet ends ${r.verdict} (ct state ${r.ctState}), decided by ${by}`);
}

/* ---------- chains ---------- */

function priorityNumber(rs: Ruleset, family: Family, p: Priority): number | undefined {
  if (p.kind !== 'var') return priorityValue(family, p);
  const d = rs.defines.find((x) => x.name === p.name);
  if (!d) return undefined;
  const t = d.value.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  const m = /^([a-z]+)\s*(?:([+-])\s*(\d+))?$/.exec(t);
  const std = m ? stdPriority(family, m[1]) : undefined;
  return std && m ? std.value + (m[2] === '-' ? -1 : 1) * Number(m[3] ?? 0) : undefined;
}

function within(v: number | undefined, b: Bounds): boolean {
  return v !== undefined && (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);
}

function chainIs(rs: Ruleset, t: Table, c: Chain, w: ChainWhere): boolean {
  if (w.family && !w.family.includes(t.family)) return false;
  if (w.table !== undefined && t.name !== w.table) return false;
  if (w.name !== undefined && c.name !== w.name) return false;
  if (w.base !== undefined && (c.base !== undefined) !== w.base) return false;
  const needsBase = w.hook || w.type || w.policy || w.priority || w.conntrack;
  if (!needsBase) return true;
  const base = c.base;
  if (!base) return false;
  if (w.hook && base.hook !== w.hook) return false;
  if (w.type && base.type !== w.type) return false;
  if (w.policy && (base.policy ?? 'accept') !== w.policy) return false;
  const value = w.priority || w.conntrack ? priorityNumber(rs, t.family, base.priority) : undefined;
  if (w.priority && !within(value, w.priority)) return false;
  if (w.conntrack && conntrackPosition(t.family, base.hook, value) !== w.conntrack) return false;
  return true;
}

function chainsWhere(rs: Ruleset, w: ChainWhere): { table: Table; chain: Chain }[] {
  const out: { table: Table; chain: Chain }[] = [];
  for (const table of rs.tables) for (const chain of table.chains) if (chainIs(rs, table, chain, w)) out.push({ table, chain });
  return out;
}

function boundsText(b: Bounds): string {
  if (b.min !== undefined && b.max !== undefined) return b.min === b.max ? `${b.min}` : `${b.min}..${b.max}`;
  if (b.min !== undefined) return `at least ${b.min}`;
  if (b.max !== undefined) return `at most ${b.max}`;
  return 'any';
}

export function describeChain(w: ChainWhere): string {
  const base = w.base === true || w.hook || w.type || w.policy || w.priority || w.conntrack;
  const parts: string[] = [];
  if (w.type) parts.push(`type ${w.type}`);
  if (w.priority) parts.push(`priority ${boundsText(w.priority)}`);
  if (w.conntrack) parts.push(`${w.conntrack} connection tracking`);
  if (w.policy) parts.push(`policy ${w.policy}`);
  let s = w.base === false ? 'regular chain' : base ? 'base chain' : 'chain';
  if (w.name) s += ` "${w.name}"`;
  if (w.hook) s += ` on hook ${w.hook}`;
  if (parts.length) s += ` (${parts.join(', ')})`;
  if (w.table || w.family) s += ` in ${w.family ? `a table of family ${orList(w.family)}` : 'a table'}${w.table ? ` named "${w.table}"` : ''}`;
  return s;
}

/* ---------- rules ---------- */

function lookupIn(t: Table): (name: string) => readonly SetElement[] | undefined {
  return (name) => t.sets.find((s) => s.name === name)?.elements;
}

function hasStatement(rule: Rule, want: string): boolean {
  if (want === 'synproxy') return usesSynproxy(rule);
  return rule.stmts.some((s: Statement) => (s.kind === 'nat' ? s.type === want : s.kind === want));
}

/** The verdict the rule ends with (`accept`, `jump`, `reject` …); a NAT statement is not a verdict here. */
function ends(rule: Rule): string | undefined {
  for (const s of rule.stmts) {
    if (s.kind === 'verdict') return s.verdict;
    if (s.kind === 'nat') continue;
    const v = terminalVerdict(s);
    if (v !== undefined) return v.split(' ')[0];
  }
  return undefined;
}

function ruleIs(t: Table, rule: Rule, g: RuleGoal): boolean {
  for (const m of g.match ?? []) {
    const field = canonicalField(m.field) ?? m.field;
    const atoms = matchedAtoms(rule, field, lookupIn(t));
    if (!atoms) return false;
    for (const v of m.values ?? []) if (!covers(atoms, field, v)) return false;
  }
  for (const s of g.statements ?? []) if (!hasStatement(rule, s)) return false;
  if (g.verdict && ends(rule) !== g.verdict) return false;
  return true;
}

function describeMatch(m: MatchWant): string {
  const f = m.field.startsWith('meta ') && ['iif', 'iifname', 'oif', 'oifname'].includes(m.field.slice(5)) ? m.field.slice(5) : m.field;
  return m.values ? `${f} ${m.values.join(',')}` : f;
}

export function describeRule(g: RuleGoal): string {
  const parts: string[] = [];
  if (g.match?.length) parts.push(`matches ${g.match.map(describeMatch).join(' and ')}`);
  if (g.statements?.length) parts.push(`does ${g.statements.join(' and ')}`);
  if (g.verdict) parts.push(`ends in ${g.verdict}`);
  return `rule that ${parts.join(', ')}`;
}

function ruleGoal(g: RuleGoal, rs: Ruleset, b: Bindings): GoalResult {
  let chains: { table: Table; chain: Chain }[];
  let where = 'any chain';
  if (g.chain && 'ref' in g.chain) {
    const f = b.get(g.chain.ref);
    if (!f || f.kind === 'set') return unmet(first(b, g.chain.ref));
    chains = [{ table: f.table, chain: f.chain }];
    where = `chain ${f.chain.name}`;
  } else if (g.chain) {
    chains = chainsWhere(rs, g.chain);
    where = `a ${describeChain(g.chain)}`;
    if (!chains.length) return unmet(`no ${describeChain(g.chain)} yet`);
  } else {
    chains = rs.tables.flatMap((table) => table.chains.map((chain) => ({ table, chain })));
  }
  let after: Found | undefined;
  if (g.after) {
    after = b.get(g.after);
    if (!after || after.kind !== 'rule') return unmet(first(b, g.after));
  }
  for (const { table, chain } of chains) {
    let from = 0;
    if (after) {
      if (after.kind !== 'rule' || after.chain.id !== chain.id) continue;
      from = after.index + 1;
    }
    for (let i = from; i < chain.rules.length; i++) {
      if (!ruleIs(table, chain.rules[i], g)) continue;
      if (g.as) b.set(g.as, { kind: 'rule', table, chain, index: i });
      return met(chain.rules[i].id);
    }
  }
  const want = `a ${describeRule(g)}`;
  const place = after && after.kind === 'rule' ? `in chain ${after.chain.name} after ${ruleWords(after)}` : `in ${where}`;
  const missing = [`no ${want.slice(2)} ${place} yet`];
  // the rule may be there, in the wrong place: say where
  const elsewhere = findAnywhere(rs, g, chains, after);
  if (elsewhere) missing.push(`(there is one in chain ${elsewhere.chain.name}${elsewhere.same ? `, but before ${ruleWords(after)}` : ', which is not the chain asked for'})`);
  return { status: 'unmet', missing };
}

function ruleWords(f: Found | undefined): string {
  return f && f.kind === 'rule' ? `rule ${f.index + 1}` : 'the earlier rule';
}

function findAnywhere(rs: Ruleset, g: RuleGoal, asked: { chain: Chain }[], after: Found | undefined): { chain: Chain; same: boolean } | undefined {
  const askedIds = new Set(asked.map((c) => c.chain.id));
  for (const table of rs.tables) {
    for (const chain of table.chains) {
      const same = after?.kind === 'rule' && after.chain.id === chain.id;
      if (askedIds.has(chain.id) && !same) continue;
      const rules = same && after?.kind === 'rule' ? chain.rules.slice(0, after.index) : chain.rules;
      if (rules.some((r) => ruleIs(table, r, g))) return { chain, same };
    }
  }
  return undefined;
}

/* ---------- sets ---------- */

function setUsed(t: Table, name: string): boolean {
  for (const c of t.chains) {
    for (const r of c.rules) {
      for (const s of r.stmts) {
        if (s.kind === 'setupdate' && s.set === name) return true;
        let hit = false;
        forEachStmtExpr(s, (e) => {
          if (e.kind === 'setref' && e.name === name) hit = true;
        });
        if (hit) return true;
      }
    }
  }
  return false;
}

function setIs(t: Table, s: SetDecl, w: SetWhere): boolean {
  if (w.family && !w.family.includes(t.family)) return false;
  if (w.table !== undefined && t.name !== w.table) return false;
  if (w.name !== undefined && s.name !== w.name) return false;
  if (w.is && s.kind !== w.is) return false;
  if (w.flags && !w.flags.every((f) => s.flags.includes(f))) return false;
  if (w.data !== undefined && !(s.kind === 'map' && s.data?.mode === 'type' && s.data.types.length === 1 && s.data.types[0] === w.data)) return false;
  if (w.minElements !== undefined && s.elements.length < w.minElements) return false;
  if (w.used !== undefined && setUsed(t, s.name) !== w.used) return false;
  return true;
}

function setsWhere(rs: Ruleset, w: SetWhere): { table: Table; set: SetDecl }[] {
  const out: { table: Table; set: SetDecl }[] = [];
  for (const table of rs.tables) for (const set of table.sets) if (setIs(table, set, w)) out.push({ table, set });
  return out;
}

export function describeSet(w: SetWhere): string {
  let s = `named ${w.is ?? 'set or map'}`;
  if (w.name) s += ` "${w.name}"`;
  const parts: string[] = [];
  if (w.flags) parts.push(`flags ${w.flags.join(',')}`);
  if (w.data) parts.push(`data ${w.data}`);
  if (w.minElements) parts.push(`at least ${w.minElements} element${w.minElements === 1 ? '' : 's'}`);
  if (parts.length) s += ` with ${parts.join(', ')}`;
  if (w.used === true) s += ' that a rule uses';
  if (w.used === false) s += ' that no rule uses';
  if (w.family || w.table) s += ` in ${w.family ? `a table of family ${orList(w.family)}` : 'a table'}${w.table ? ` named "${w.table}"` : ''}`;
  return s;
}

/* ---------- synproxy ---------- */

interface SynproxyAt {
  what: string;
  nodeId: string;
  mss?: number;
  wscale?: number;
  timestamp?: boolean;
  sackPerm?: boolean;
}

function synproxies(rs: Ruleset): SynproxyAt[] {
  const out: SynproxyAt[] = [];
  for (const t of rs.tables) {
    for (const o of t.objects) if (o.type === 'synproxy') out.push({ what: `synproxy object ${o.name}`, nodeId: o.id, mss: o.mss, wscale: o.wscale, timestamp: o.timestamp, sackPerm: o.sackPerm });
    for (const c of t.chains) {
      c.rules.forEach((r, i) => {
        for (const s of r.stmts) if (s.kind === 'synproxy') out.push({ what: `the synproxy of rule ${i + 1} in chain ${c.name}`, nodeId: r.id, mss: s.mss, wscale: s.wscale, timestamp: s.timestamp, sackPerm: s.sackPerm });
      });
    }
  }
  return out;
}

function synproxyGoal(g: SynproxyGoal, rs: Ruleset): GoalResult {
  const all = synproxies(rs);
  if (!all.length) return unmet('no synproxy statement or object yet');
  const missing: string[] = [];
  const num = (p: SynproxyAt, key: 'mss' | 'wscale', want: Bounds, lo: number, hi: number): void => {
    const v = p[key];
    const b = { min: Math.max(lo, want.min ?? lo), max: Math.min(hi, want.max ?? hi) };
    if (v === undefined) missing.push(`${p.what} sets no ${key} (expected ${boundsText(b)})`);
    else if (!within(v, b)) missing.push(`${p.what} has ${key} ${v}, expected ${boundsText(b)}`);
  };
  for (const p of all) {
    if (g.mss) num(p, 'mss', g.mss, SYNPROXY_MSS_MIN, SYNPROXY_MSS_MAX);
    if (g.wscale) num(p, 'wscale', g.wscale, 0, SYNPROXY_WSCALE_TCP_MAX);
    if (g.timestamp !== undefined && (p.timestamp ?? false) !== g.timestamp) missing.push(`${p.what} ${g.timestamp ? 'needs' : 'must not have'} timestamp`);
    if (g.sackPerm !== undefined && (p.sackPerm ?? false) !== g.sackPerm) missing.push(`${p.what} ${g.sackPerm ? 'needs' : 'must not have'} sack-perm`);
  }
  return missing.length ? { status: 'unmet', missing } : met(all[0].nodeId);
}
