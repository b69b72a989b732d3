/**
 * Reads the items of a libnftables JSON document, in order, into a Ruleset:
 * add/create/insert of every object kind, replace of rules by handle, the flush
 * and replace-this-table preambles, other commands as command text. Each item
 * that cannot be read is reported on its position and left out.
 */
import { isVersion } from '../knowledge/versions.ts';
import type { Diagnostic, Severity } from '../model/diagnostic.ts';
import type { Chain, Rule, Ruleset, Table } from '../model/types.ts';
import { emptyRuleset } from '../model/types.ts';
import { appendAll } from '../model/arrays.ts';
import { stmtNestingProblem } from '../stmts/exprs.ts';
import { newId } from '../model/ids.ts';
import { emitProblems } from '../emit/index.ts';
import { hookTakesDevice, isChainType, isFamily, isHook } from '../knowledge/families.ts';
import { deviceNameProblem } from '../knowledge/names.ts';
import { isArray, isObject, singleKey, type JsonObject, type JsonValue } from './jsonValue.ts';
import { Unconvertible, describeJson, fail, int, str, strings } from './readJson.ts';
import { elementsFromJson, flowtableFromJson, objectFromJson, setFromJson, setTyping, type JsonObjectType } from './objectsFromJson.ts';
import { OBJECT_TYPES, TABLE_FLAGS, isOneOf } from '../knowledge/vocabulary.ts';
import { priorityFromValue } from './priority.ts';
import { ReaderCore, type TableState } from '../model/readerCore.ts';
import { stmtFromJson } from './stmtFromJson.ts';
import { commandText } from './commandText.ts';

/**
 * nft 1.0.6's JSON listing leaves out the dynamic flag, but nft sets it on every
 * set a rule adds to or updates; putting it back makes the script list as the
 * original did (and loads the same either way).
 */
function markDynamic(t: Table): void {
  const updated = new Set<string>();
  for (const c of t.chains) for (const r of c.rules) for (const s of r.stmts) if (s.kind === 'setupdate') updated.add(s.set);
  for (const s of t.sets) if (updated.has(s.name) && !s.flags.includes('dynamic')) s.flags.unshift('dynamic');
}

const OBJECT_KEYS = ['table', 'chain', 'rule', 'set', 'map', 'element', 'flowtable', ...OBJECT_TYPES];
const COMMANDS = new Set(['add', 'create', 'insert', 'replace', 'delete', 'flush', 'rename', 'reset', 'list', 'destroy']);

export class DocumentReader {
  readonly rs: Ruleset = emptyRuleset();
  readonly diagnostics: Diagnostic[] = [];
  /** the tables read so far and the preamble the document stands for (shared with the text reader) */
  private readonly core = new ReaderCore(this.rs);
  private readonly tables = this.core.tables;
  /** rules by `family table chain handle`, for replace and insert */
  private readonly handles = new Map<string, Rule>();
  private where = 'the document';
  private lastAddedTable: TableState | undefined;

  report(severity: Severity, id: string, message: string, nodeId?: string): void {
    const d: Diagnostic = { id, severity, message: `${this.where}: ${message}` };
    if (nodeId) d.nodeId = nodeId;
    this.diagnostics.push(d);
  }

  document(v: JsonValue): void {
    const list = isObject(v) ? v.nftables : undefined;
    if (!isArray(list)) {
      this.report('error', 'json/shape', `expected {"nftables": [...]}, found ${describeJson(v)}`);
      return;
    }
    list.forEach((item, i) => {
      this.where = `nftables[${i}]`;
      try {
        this.item(item);
      } catch (e) {
        if (!(e instanceof Unconvertible)) throw e;
        this.report('error', 'json/unsupported', e.message);
      }
    });
    this.where = 'the document';
  }

  finish(): void {
    const states = [...this.tables.values()];
    for (const st of states) markDynamic(st.table);
    const pre = this.core.finishPreamble();
    if (pre.partial) this.report('warning', 'json/partial-replace', pre.partial);
    for (const p of emitProblems(this.rs)) {
      this.diagnostics.push({ id: 'json/unsafe', severity: 'error', message: `${p.message} (JSON can carry it, nft's text cannot)`, nodeId: p.nodeId, field: p.field });
    }
  }

  private item(v: JsonValue): void {
    if (!isObject(v)) return this.report('error', 'json/shape', `expected an object, found ${describeJson(v)}`);
    const entry = singleKey(v);
    if (!entry) return this.report('error', 'json/shape', `expected an object with one property, found ${describeJson(v)}`);
    const [key, body] = entry;
    const added = this.lastAddedTable;
    this.lastAddedTable = undefined;
    if (key === 'metainfo') {
      const version = isObject(body) ? int(body, 'json_schema_version') : undefined;
      if (version !== undefined && version > 1) this.report('warning', 'json/schema', `JSON schema version ${version} is newer than the one this reader knows (1)`);
      // `nft -j list ruleset` names its version: the design is for that nft
      const nft = isObject(body) ? body.version : undefined;
      if (typeof nft === 'string' && isVersion(nft)) this.rs.target = nft;
      return;
    }
    if (!COMMANDS.has(key)) return this.add(v, 'add');
    if (!isObject(body)) return this.report('error', 'json/shape', `"${key}" needs an object, found ${describeJson(body)}`);
    if (key === 'add' || key === 'create' || key === 'insert') return this.add(body, key);
    if (key === 'replace') return this.replaceRule(body);
    if (key === 'list') return this.report('info', 'json/ignored', 'a list command changes nothing and is left out');
    this.command(key, body, added);
  }

  private add(o: JsonObject, op: 'add' | 'create' | 'insert'): void {
    const entry = singleKey(o);
    if (!entry || !OBJECT_KEYS.includes(entry[0])) {
      return this.report('error', 'json/unknown', `unknown object ${describeJson(Object.keys(o))}`);
    }
    const [kind, body] = entry;
    if (!isObject(body)) return this.report('error', 'json/shape', `"${kind}" needs an object, found ${describeJson(body)}`);
    switch (kind) {
      case 'table':
        return this.table(body);
      case 'chain':
        return this.chain(body);
      case 'rule':
        return this.rule(body, op === 'insert');
      case 'set':
      case 'map':
        return this.set(kind, body);
      case 'element':
        return this.element(body);
      case 'flowtable': {
        const st = this.tableOf(body);
        if (st) st.table.flowtables.push(flowtableFromJson(body, st.table.family));
        return;
      }
      default: {
        const st = this.tableOf(body);
        if (st) st.table.objects.push(objectFromJson(kind as JsonObjectType, body));
      }
    }
  }

  /** The table an object names with `family` and `table`, or a diagnostic. */
  private tableOf(o: JsonObject, key = 'table'): TableState | undefined {
    const family = str(o, 'family');
    const name = str(o, key);
    if (family === undefined || name === undefined) {
      this.report('error', 'json/shape', `needs "family" and "${key}" strings`);
      return undefined;
    }
    const st = this.tables.get(`${family} ${name}`);
    if (!st) this.report('error', 'json/unknown', `table ${family} ${name} is not declared before it is used`);
    return st;
  }

  private table(o: JsonObject): void {
    const family = str(o, 'family');
    const name = str(o, 'name');
    if (family === undefined || !isFamily(family) || name === undefined) {
      return this.report('error', 'json/shape', `a table needs a family (ip, ip6, inet, arp, bridge, netdev) and a name: ${describeJson(o)}`);
    }
    const { st } = this.core.tableState(family, name);
    const comment = str(o, 'comment');
    if (comment !== undefined) st.table.comment = comment;
    if (o.flags !== undefined) {
      const flags = strings(o.flags);
      // nft 1.0.6 writes garbage here (a use-after-free fixed in 1.1.0)
      if (flags && flags.every((f) => isOneOf(TABLE_FLAGS, f))) st.table.flags = [...new Set(flags)];
      else this.report('warning', 'json/table-flags', `table flags ${describeJson(o.flags)} are not valid (nft knows ${TABLE_FLAGS.join(', ')}; nft 1.0.6 writes garbage for them) and are left out`, st.table.id);
    }
    this.lastAddedTable = st;
  }

  private chain(o: JsonObject): void {
    const st = this.tableOf(o);
    const name = str(o, 'name');
    if (!st) return;
    if (name === undefined) return this.report('error', 'json/shape', 'a chain needs a name');
    let chain = st.chains.get(name);
    if (!chain) {
      chain = { id: newId('c'), name, rules: [] };
      st.chains.set(name, chain);
      st.table.chains.push(chain);
    }
    const comment = str(o, 'comment');
    if (comment !== undefined) chain.comment = comment;
    const type = str(o, 'type');
    const hook = str(o, 'hook');
    const prio = int(o, 'prio');
    if (type === undefined && hook === undefined && o.prio === undefined) return;
    if (type === undefined || !isChainType(type) || hook === undefined || !isHook(hook) || prio === undefined) {
      // nft 1.0.6 silently makes such a chain a regular one; say so instead
      return this.report('error', 'json/chain', `chain ${name}: a base chain needs a type (filter, nat, route), a hook and an integer prio: ${describeJson(o)}`, chain.id);
    }
    const policy = str(o, 'policy') ?? 'accept';
    if (policy !== 'accept' && policy !== 'drop') return this.report('error', 'json/chain', `chain ${name}: policy must be accept or drop`, chain.id);
    let devices: string[] | undefined;
    if (o.dev !== undefined) {
      devices = strings(o.dev);
      if (!devices) return this.report('error', 'json/chain', `chain ${name}: dev must be a device name or a list of them`, chain.id);
      // written bare in `devices = { … }`: anything but a plain device name could become nft syntax
      const problems = devices.map((d) => deviceNameProblem(d)).filter((p) => p !== undefined);
      if (problems.length) return this.report('error', 'json/device-name', `chain ${name}: ${problems.join('; ')}; the chain is left a regular chain`, chain.id);
    }
    chain.base = { type, hook, priority: priorityFromValue(st.table.family, hook, prio), policy };
    if (devices) chain.base.devices = devices;
    else if (hookTakesDevice(st.table.family, hook)) {
      // nft before 1.1.0 leaves the device out of its JSON listing
      this.report('error', 'json/missing-device', `chain ${name} (${st.table.family} ${hook}) needs a device, and this JSON has none (nft before 1.1.0 does not write it); add the device before loading the script`, chain.id);
    }
  }

  private chainOf(o: JsonObject): { st: TableState; chain: Chain } | undefined {
    const st = this.tableOf(o);
    if (!st) return undefined;
    const name = str(o, 'chain');
    const chain = name === undefined ? undefined : st.chains.get(name);
    if (!chain) {
      this.report('error', 'json/unknown', `chain ${name ?? '(no name)'} is not declared in table ${st.table.family} ${st.table.name}`);
      return undefined;
    }
    return { st, chain };
  }

  /** The statements of a rule, or undefined (reported) when one cannot be read. */
  private ruleBody(o: JsonObject, st: TableState, chain: Chain, id: string): Rule | undefined {
    const at = `a rule of chain ${st.table.family} ${st.table.name} ${chain.name}`;
    if (!isArray(o.expr)) {
      this.report('error', 'json/shape', `${at}: "expr" must be an array`);
      return undefined;
    }
    const rule: Rule = { id, stmts: [] };
    for (const [i, s] of o.expr.entries()) {
      try {
        const stmt = stmtFromJson(s, st.table.family);
        const tooDeep = stmtNestingProblem(stmt);
        if (tooDeep) fail(tooDeep);
        if (stmt.kind === 'raw') this.report('info', 'json/raw', `${at}: "${stmt.text}" is kept as text`, id);
        rule.stmts.push(stmt);
      } catch (e) {
        if (!(e instanceof Unconvertible)) throw e;
        this.report('error', 'json/unsupported', `${at}, statement ${i}: ${e.message}; the rule is left out`, id);
        return undefined;
      }
    }
    const comment = str(o, 'comment');
    if (comment !== undefined) rule.comment = comment;
    return rule;
  }

  private rule(o: JsonObject, insert: boolean): void {
    const found = this.chainOf(o);
    if (!found) return;
    const { st, chain } = found;
    const rule = this.ruleBody(o, st, chain, newId('r'));
    if (!rule) return;
    const handle = int(o, 'handle');
    const key = (h: number): string => `${st.table.family} ${st.table.name} ${chain.name} ${h}`;
    if (insert) {
      // insert puts the rule before the one with `handle` (or first)
      const before = handle === undefined ? undefined : this.handles.get(key(handle));
      const at = before ? chain.rules.indexOf(before) : 0;
      chain.rules.splice(Math.max(at, 0), 0, rule);
      return;
    }
    if (o.index !== undefined) this.report('info', 'json/position', 'the rule position ("index") is not kept; the rule is appended', rule.id);
    // in a listing `handle` is the rule's own handle, which replace/insert refer to
    if (handle !== undefined) this.handles.set(key(handle), rule);
    chain.rules.push(rule);
  }

  private replaceRule(body: JsonObject): void {
    const o = isObject(body.rule) ? body.rule : undefined;
    if (!o) return this.report('error', 'json/shape', 'replace takes a rule');
    const found = this.chainOf(o);
    if (!found) return;
    const handle = int(o, 'handle');
    const old = handle === undefined ? undefined : this.handles.get(`${found.st.table.family} ${found.st.table.name} ${found.chain.name} ${handle}`);
    if (!old) return this.report('error', 'json/unknown', `replace: no rule with handle ${handle ?? '(none)'} was read before`);
    const rule = this.ruleBody(o, found.st, found.chain, old.id);
    if (!rule) return;
    old.stmts = rule.stmts;
    if (rule.comment !== undefined) old.comment = rule.comment;
    else delete old.comment;
  }

  private set(kind: 'set' | 'map', o: JsonObject): void {
    const st = this.tableOf(o);
    if (!st) return;
    const s = setFromJson(kind, o, st.table.family);
    const existing = st.sets.get(s.name);
    if (existing) return this.report('error', 'json/duplicate', `${kind} ${s.name} is declared twice (sets and maps share one namespace)`, existing.id);
    st.sets.set(s.name, s);
    st.table.sets.push(s);
    // nft's JSON of a typeof map holds the key's expression but only the data's basetype ("map": "integer")
    const lost = s.key.mode === 'typeof' && s.data?.mode === 'type' ? s.data.types.find((t) => t === 'integer' || t === 'string') : undefined;
    if (lost) this.report('warning', 'json/typeof-data-lost', `map ${s.name}: its data type is "${lost}" in the JSON, which keeps only the basetype of a typeof map's data (nft cannot load it back either): give the data's typeof (typeof … : ct zone, meta mark, …) from the text listing`, s.id);
  }

  private element(o: JsonObject): void {
    const st = this.tableOf(o);
    if (!st) return;
    const name = str(o, 'name');
    const s = name === undefined ? undefined : st.sets.get(name);
    if (!s) return this.report('error', 'json/unknown', `set ${name ?? '(no name)'} is not declared in table ${st.table.family} ${st.table.name}`);
    if (o.elem === undefined) return this.report('error', 'json/shape', 'element needs "elem"');
    appendAll(s.elements, elementsFromJson(o.elem, setTyping(s)));
  }

  /** delete, flush, rename, reset: kept as command text, except the preambles the model knows. */
  private command(op: string, body: JsonObject, added: TableState | undefined): void {
    const entry = singleKey(body);
    if (!entry) return this.report('error', 'json/shape', `"${op}" takes one object`);
    const [what, target] = entry;
    if (op === 'flush' && what === 'ruleset' && this.rs.tables.length === 0 && this.rs.commands.every((c) => this.core.replaceCommands.has(c.id))) {
      this.core.sawFlush = true;
      return;
    }
    // `add table X` + `delete table X` before the table's content: the "replace this table" preamble
    if (op === 'delete' && what === 'table' && isObject(target) && added && added.table.family === str(target, 'family') && added.table.name === str(target, 'name')) {
      const t = added.table;
      if (!t.chains.length && !t.sets.length && !t.objects.length && !t.flowtables.length) {
        // the table is gone until it is added again (which is then "replaced")
        // (the texts first: they refuse a name that is not one nft word)
        const ref = { family: t.family, name: t.name };
        const addText = commandText('add', 'table', ref);
        const delText = commandText('delete', 'table', ref);
        // kept as commands for now, before every table (see finish())
        this.core.replaceTable(added, addText, delText);
        return;
      }
    }
    // `add table X` + `flush table X` before the table's content: empty it first, as
    // written (after the tables it would empty what the document defines)
    if (op === 'flush' && what === 'table' && isObject(target) && added && added.table.family === str(target, 'family') && added.table.name === str(target, 'name')) {
      const t = added.table;
      if (!t.chains.length && !t.sets.length && !t.objects.length && !t.flowtables.length) {
        const ref = { family: t.family, name: t.name };
        const addText = commandText('add', 'table', ref);
        const flushText = commandText('flush', 'table', ref);
        this.rs.commands.push({ id: newId('x'), text: addText, at: 'start' }, { id: newId('x'), text: flushText, at: 'start' });
        this.report('info', 'json/command', `"${flushText}" is kept as a command, before the tables`);
        return;
      }
    }
    const text = commandText(op, what, target);
    this.rs.commands.push({ id: newId('x'), text, at: this.rs.tables.length ? 'end' : 'start' });
    this.report('info', 'json/command', `"${text}" is kept as a command`);
  }
}
