/**
 * toJson(ruleset) → JSON that `nft -j -f` loads, in nft's own order (per table:
 * table, objects, sets and maps, flowtables, chains, then every rule), plus the
 * list of what the target version's JSON cannot carry. A node that cannot be
 * written as it is is left out, never written as something that would load
 * differently; the caller decides whether a lossy result may be used.
 */
import { forEachCommented, type Chain, type Ruleset, type Table } from '../model/types.ts';
import { EmitRefused, emitProblems } from '../emit/index.ts';
import { appendAll } from '../model/arrays.ts';
import { priorityValue } from '../knowledge/priorities.ts';
import { designTarget } from '../knowledge/versions.ts';
import { stringifyLikeNft, type JsonObject, type JsonValue } from './jsonValue.ts';
import { CannotCarry, LOSS, LossLog, OMITTED, type JsonLoss, type LossKind } from './losses.ts';
import { flowtableJson, objectJson } from './objectsToJson.ts';
import { setJson, type SetContext } from './setsToJson.ts';
import { stmtsJson } from './stmtToJson.ts';
import { Variables } from './variables.ts';

export interface ToJsonOptions {
  /** the nft version that will read the JSON (default: Debian 12's 1.0.6) */
  targetVersion?: string;
}

export interface ToJsonResult {
  /** `{"nftables": [...]}` as one line, like `nft -j list ruleset` */
  json: string;
  /** what the target nft's JSON cannot carry; the json leaves these out */
  losses: JsonLoss[];
  /** what the json leaves out although nft loads the same ruleset from it: the `#` comments (losses.ts, OMITTED) */
  omitted: JsonLoss[];
}

/** Throws EmitRefused, like emit, when a name or comment is not safe to write. */
export function toJson(rs: Ruleset, opts: ToJsonOptions = {}): ToJsonResult {
  const problems = emitProblems(rs);
  if (problems.length) throw new EmitRefused(problems);
  const loss = new LossLog(designTarget(rs, opts.targetVersion));
  const vars = new Variables(rs.defines);
  const items: JsonValue[] = [{ metainfo: { json_schema_version: 1 } }];
  for (const inc of rs.includes) {
    loss.lose(LOSS.include, inc.id, `include "${inc.path}" cannot be followed here, so its content is not in the JSON`);
  }
  for (const c of rs.commands) {
    loss.lose(LOSS.command, c.id, `the command "${c.text}" is kept as text and cannot be converted; the JSON leaves it out`);
  }
  if (rs.preamble === 'flush') items.push({ flush: { ruleset: null } });
  for (const t of rs.tables) appendAll(items, tableItems(t, rs, vars, loss));
  omitHashComments(rs, loss);
  return { json: stringifyLikeNft({ nftables: items }), losses: loss.losses, omitted: loss.omitted };
}

/** The `#` comments have no place in nft's JSON: one note for all of them, on the first node that has some. */
function omitHashComments(rs: Ruleset, loss: LossLog): void {
  let lines = 0;
  let first: string | undefined;
  forEachCommented(rs, (node) => {
    const hc = node.hashComments ?? {};
    let n = (hc.inline !== undefined ? 1 : 0) + (hc.close !== undefined ? 1 : 0);
    for (const group of [hc.above, hc.head, hc.end, hc.elements]) if (group) for (const l of group) if (l !== '') n++;
    if (n && first === undefined) first = node.id ?? '';
    lines += n;
  });
  if (lines) loss.omit(OMITTED.hashComments, first ?? '', `the ${lines === 1 ? 'one # comment' : `${lines} # comments`} of the script: nft's JSON has no place for them (the ruleset it loads is the same)`);
}

/** Run `write`; when it cannot carry the node, report the loss on `nodeId` and write nothing. */
function attempt<T>(loss: LossLog, nodeId: string, write: () => T): T | undefined {
  try {
    return write();
  } catch (e) {
    if (!(e instanceof CannotCarry)) throw e;
    loss.lose(e.kind, nodeId, e.message);
    return undefined;
  }
}

function tableItems(t: Table, rs: Ruleset, vars: Variables, loss: LossLog): JsonValue[] {
  const items: JsonValue[] = [];
  const ref = { family: t.family, name: t.name };
  // `table X` + `delete table X` + the full table: replaces only this table, atomically
  if (rs.preamble === 'replace') items.push({ add: { table: { ...ref } } }, { delete: { table: { ...ref } } });
  items.push({ table: tableJson(t, loss) });
  for (const o of t.objects) {
    const j = attempt(loss, o.id, () => objectJson(o, t, loss));
    if (j) items.push(j);
  }
  const updated = new Set<string>();
  for (const c of t.chains) for (const r of c.rules) for (const s of r.stmts) if (s.kind === 'setupdate') updated.add(s.set);
  const setCtx: SetContext = { table: t, vars, loss, updated };
  const lateElements: JsonValue[] = [];
  for (const s of t.sets) {
    const j = attempt(loss, s.id, () => setJson(s, setCtx));
    if (!j) continue;
    items.push(j.decl);
    if (j.elements) lateElements.push(j.elements);
  }
  for (const f of t.flowtables) {
    const j = attempt(loss, f.id, () => flowtableJson(f, t, loss));
    if (j) items.push(j);
  }
  const written: Chain[] = [];
  for (const c of t.chains) {
    const j = attempt(loss, c.id, () => chainJson(c, t, vars, loss));
    if (!j) continue;
    items.push(j);
    written.push(c);
  }
  appendAll(items, lateElements);
  const ctx = { family: t.family, vars, carries: (k: LossKind) => loss.carries(k) };
  for (const c of written) {
    for (const r of c.rules) {
      const expr = attempt(loss, r.id, () => stmtsJson(r.stmts, ctx));
      if (!expr) continue;
      const rule: JsonObject = { family: t.family, table: t.name, chain: c.name };
      if (r.comment !== undefined) rule.comment = r.comment;
      rule.expr = expr;
      items.push({ rule });
    }
  }
  return items;
}

function tableJson(t: Table, loss: LossLog): JsonObject {
  const j: JsonObject = { family: t.family, name: t.name };
  if (t.comment !== undefined) {
    if (loss.carries(LOSS.tableComment)) j.comment = t.comment;
    else loss.lose(LOSS.tableComment, t.id, `table ${t.family} ${t.name}: nft ${loss.target}'s JSON ignores table comments; the JSON leaves it out`);
  }
  if (t.flags.length) {
    if (loss.carries(LOSS.tableFlags)) j.flags = [...t.flags];
    else loss.lose(LOSS.tableFlags, t.id, `table ${t.family} ${t.name}: nft ${loss.target}'s JSON ignores table flags (${t.flags.join(',')}); the JSON leaves them out`);
  }
  return j;
}

function chainJson(c: Chain, t: Table, vars: Variables, loss: LossLog): JsonValue {
  const j: JsonObject = { family: t.family, table: t.name, name: c.name };
  if (c.comment !== undefined) {
    if (loss.carries(LOSS.chainComment)) j.comment = c.comment;
    else loss.lose(LOSS.chainComment, c.id, `chain ${c.name}: nft ${loss.target}'s JSON ignores chain comments; the JSON leaves it out`);
  }
  const b = c.base;
  if (!b) return { chain: j };
  const p = b.priority.kind === 'var' ? vars.priority(b.priority.name) : b.priority;
  const prio = priorityValue(t.family, p);
  if (prio === undefined) {
    throw new CannotCarry(LOSS.priority, `chain ${c.name}: "${p.kind === 'std' ? p.name : ''}" is not a priority name of the ${t.family} family, so its number is unknown; the JSON leaves the chain out`);
  }
  j.type = b.type;
  j.hook = b.hook;
  j.prio = prio;
  j.policy = b.policy?.startsWith('$') ? vars.policy(b.policy.slice(1)) : (b.policy ?? 'accept');
  const devices = (b.devices ?? []).flatMap((d) => (d.startsWith('$') ? vars.devices(d.slice(1)) : [d]));
  if (devices.length === 1) j.dev = devices[0];
  else if (devices.length > 1) {
    if (!loss.carries(LOSS.chainDevices)) {
      throw new CannotCarry(LOSS.chainDevices, `chain ${c.name}: nft ${loss.target}'s JSON takes a single device, not ${devices.length}; the JSON leaves the chain out`);
    }
    j.dev = devices;
  }
  if (b.flags?.length) loss.lose(LOSS.chainFlags, c.id, `chain ${c.name}: nft's JSON cannot write chain flags (${b.flags.join(',')}); the JSON leaves them out`);
  return { chain: j };
}
