/**
 * The runtime validator: untrusted data (a saved design, a share link, a file)
 * becomes a Ruleset only if every field has the right type and value set. It
 * reports every problem with its path (`tables[0].chains[1].rules[3].stmts[0].mss`),
 * and `migrateRuleset` brings older schema versions forward first.
 *
 * This checks the SHAPE of the data. Whether names and values can be written as
 * nft text safely is the emitter's check (emit/validate.ts); whether the ruleset
 * makes sense is the linter's.
 */
import { SCHEMA_VERSION, type Ruleset } from './types.ts';

export type ValidationResult = { ok: true; ruleset: Ruleset } | { ok: false; errors: string[] };

const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
const CHAIN_TYPES = ['filter', 'nat', 'route'];
const HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress'];
const MATCH_OPS = ['implicit', '==', '!=', '<', '>', '<=', '>='];
const VERDICTS = ['accept', 'drop', 'continue', 'return', 'jump', 'goto'];
const EXPR_VERDICTS = [...VERDICTS, 'queue'];
const RATE_UNITS = ['packets', 'bytes', 'kbytes', 'mbytes'];
const BYTE_UNITS = ['bytes', 'kbytes', 'mbytes', 'gbytes'];
const TIME_UNITS = ['second', 'minute', 'hour', 'day', 'week'];
const BINOPS = ['&', '|', '^', '<<', '>>'];
const MAX_DEPTH = 32;

class Checker {
  readonly errors: string[] = [];
  private readonly ids = new Set<string>();

  err(path: string, msg: string): void {
    if (this.errors.length < 200) this.errors.push(`${path}: ${msg}`);
  }
  obj(v: unknown, path: string): v is Record<string, unknown> {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return true;
    this.err(path, 'expected an object');
    return false;
  }
  arr(v: unknown, path: string): v is unknown[] {
    if (Array.isArray(v)) return true;
    this.err(path, 'expected a list');
    return false;
  }
  str(o: Record<string, unknown>, key: string, path: string, optional = false): boolean {
    const v = o[key];
    if (v === undefined && optional) return true;
    if (typeof v === 'string') return true;
    this.err(`${path}.${key}`, 'expected text');
    return false;
  }
  num(o: Record<string, unknown>, key: string, path: string, optional = false, integer = true): boolean {
    const v = o[key];
    if (v === undefined && optional) return true;
    if (typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v))) return true;
    this.err(`${path}.${key}`, integer ? 'expected a whole number' : 'expected a number');
    return false;
  }
  bool(o: Record<string, unknown>, key: string, path: string): void {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') this.err(`${path}.${key}`, 'expected true or false');
  }
  oneOf(o: Record<string, unknown>, key: string, values: readonly string[], path: string, optional = false): boolean {
    const v = o[key];
    if (v === undefined && optional) return true;
    if (typeof v === 'string' && values.includes(v)) return true;
    this.err(`${path}.${key}`, `expected one of ${values.join(', ')}`);
    return false;
  }
  strList(o: Record<string, unknown>, key: string, path: string, optional = false): void {
    const v = o[key];
    if (v === undefined && optional) return;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.err(`${path}.${key}`, 'expected a list of text');
  }
  id(o: Record<string, unknown>, path: string): void {
    if (!this.str(o, 'id', path)) return;
    const id = o.id as string;
    if (id.length === 0 || id.length > 64) this.err(`${path}.id`, 'ids are 1 to 64 characters');
    if (this.ids.has(id)) this.err(`${path}.id`, `duplicate id "${id.slice(0, 40)}"`);
    this.ids.add(id);
  }

  ruleset(v: unknown): void {
    if (!this.obj(v, 'ruleset')) return;
    if (v.schema !== SCHEMA_VERSION) this.err('ruleset.schema', `expected schema ${SCHEMA_VERSION}`);
    this.oneOf(v, 'preamble', ['none', 'flush', 'replace'], 'ruleset');
    for (const key of ['defines', 'includes', 'tables', 'commands'] as const) {
      if (!this.arr(v[key], key)) return;
    }
    (v.defines as unknown[]).forEach((d, i) => {
      const p = `defines[${i}]`;
      if (!this.obj(d, p)) return;
      this.id(d, p);
      this.str(d, 'name', p);
      this.str(d, 'value', p);
    });
    (v.includes as unknown[]).forEach((d, i) => {
      const p = `includes[${i}]`;
      if (!this.obj(d, p)) return;
      this.id(d, p);
      this.str(d, 'path', p);
    });
    (v.commands as unknown[]).forEach((d, i) => {
      const p = `commands[${i}]`;
      if (!this.obj(d, p)) return;
      this.id(d, p);
      this.str(d, 'text', p);
      this.oneOf(d, 'at', ['start', 'end'], p);
    });
    (v.tables as unknown[]).forEach((t, i) => this.table(t, `tables[${i}]`));
  }

  table(t: unknown, p: string): void {
    if (!this.obj(t, p)) return;
    this.id(t, p);
    this.oneOf(t, 'family', FAMILIES, p);
    this.str(t, 'name', p);
    this.strList(t, 'flags', p);
    this.str(t, 'comment', p, true);
    for (const key of ['objects', 'sets', 'flowtables', 'chains'] as const) if (!this.arr(t[key], `${p}.${key}`)) return;
    (t.objects as unknown[]).forEach((o, i) => this.object(o, `${p}.objects[${i}]`));
    (t.sets as unknown[]).forEach((s, i) => this.set(s, `${p}.sets[${i}]`));
    (t.flowtables as unknown[]).forEach((f, i) => this.flowtable(f, `${p}.flowtables[${i}]`));
    (t.chains as unknown[]).forEach((c, i) => this.chain(c, `${p}.chains[${i}]`));
  }

  priority(v: unknown, p: string): void {
    if (!this.obj(v, p)) return;
    if (v.kind === 'std') {
      this.str(v, 'name', p);
      this.num(v, 'offset', p);
    } else if (v.kind === 'num') this.num(v, 'value', p);
    else if (v.kind === 'var') this.str(v, 'name', p);
    else this.err(`${p}.kind`, 'expected std, num or var');
  }

  chain(c: unknown, p: string): void {
    if (!this.obj(c, p)) return;
    this.id(c, p);
    this.str(c, 'name', p);
    this.str(c, 'comment', p, true);
    if (c.base !== undefined && this.obj(c.base, `${p}.base`)) {
      const b = c.base;
      this.oneOf(b, 'type', CHAIN_TYPES, `${p}.base`);
      this.oneOf(b, 'hook', HOOKS, `${p}.base`);
      this.strList(b, 'devices', `${p}.base`, true);
      this.priority(b.priority, `${p}.base.priority`);
      this.str(b, 'policy', `${p}.base`, true);
      this.strList(b, 'flags', `${p}.base`, true);
    }
    if (!this.arr(c.rules, `${p}.rules`)) return;
    (c.rules as unknown[]).forEach((r, i) => {
      const rp = `${p}.rules[${i}]`;
      if (!this.obj(r, rp)) return;
      this.id(r, rp);
      this.str(r, 'comment', rp, true);
      if (!this.arr(r.stmts, `${rp}.stmts`)) return;
      (r.stmts as unknown[]).forEach((s, j) => this.stmt(s, `${rp}.stmts[${j}]`));
    });
  }

  stmt(s: unknown, p: string): void {
    if (!this.obj(s, p)) return;
    switch (s.kind) {
      case 'match':
        this.expr(s.left, `${p}.left`, 0);
        this.oneOf(s, 'op', MATCH_OPS, p);
        this.expr(s.right, `${p}.right`, 0);
        return;
      case 'verdict':
        this.oneOf(s, 'verdict', VERDICTS, p);
        this.str(s, 'target', p, s.verdict !== 'jump' && s.verdict !== 'goto');
        return;
      case 'queue':
        this.str(s, 'num', p, true);
        this.strList(s, 'flags', p, true);
        return;
      case 'reject':
        if (s.with !== undefined && this.obj(s.with, `${p}.with`)) {
          this.oneOf(s.with, 'type', ['icmp', 'icmpv6', 'icmpx', 'tcp reset'], `${p}.with`);
          this.str(s.with, 'code', `${p}.with`, true);
        }
        return;
      case 'counter':
        this.num(s, 'packets', p, true);
        this.num(s, 'bytes', p, true);
        return;
      case 'log':
        this.str(s, 'prefix', p, true);
        this.str(s, 'level', p, true);
        for (const k of ['group', 'snaplen', 'queueThreshold']) this.num(s, k, p, true);
        this.strList(s, 'flags', p, true);
        return;
      case 'limit':
        this.bool(s, 'over', p);
        this.num(s, 'rate', p);
        this.oneOf(s, 'unit', RATE_UNITS, p);
        this.oneOf(s, 'per', TIME_UNITS, p);
        this.num(s, 'burst', p, true);
        this.oneOf(s, 'burstUnit', RATE_UNITS, p, true);
        return;
      case 'quota':
        this.bool(s, 'over', p);
        this.num(s, 'amount', p);
        this.oneOf(s, 'unit', BYTE_UNITS, p);
        this.num(s, 'used', p, true);
        this.oneOf(s, 'usedUnit', BYTE_UNITS, p, true);
        return;
      case 'notrack':
        return;
      case 'synproxy':
        this.num(s, 'mss', p, true);
        this.num(s, 'wscale', p, true);
        this.bool(s, 'timestamp', p);
        this.bool(s, 'sackPerm', p);
        return;
      case 'objref':
        this.oneOf(s, 'type', ['counter', 'quota', 'limit', 'synproxy'], p);
        this.str(s, 'name', p, true);
        if (s.map !== undefined) this.expr(s.map, `${p}.map`, 0);
        if (s.name === undefined && s.map === undefined) this.err(p, 'needs a name or a map');
        return;
      case 'nat':
        this.oneOf(s, 'type', ['snat', 'dnat', 'masquerade', 'redirect'], p);
        this.oneOf(s, 'family', ['ip', 'ip6'], p, true);
        if (s.addr !== undefined) this.expr(s.addr, `${p}.addr`, 0);
        if (s.port !== undefined) this.expr(s.port, `${p}.port`, 0);
        this.strList(s, 'flags', p, true);
        return;
      case 'mangle':
        this.expr(s.key, `${p}.key`, 0);
        this.expr(s.value, `${p}.value`, 0);
        return;
      case 'setupdate':
        this.oneOf(s, 'op', ['add', 'update', 'delete'], p);
        this.str(s, 'set', p);
        this.expr(s.key, `${p}.key`, 0);
        this.str(s, 'timeout', p, true);
        this.str(s, 'stmtsText', p, true);
        return;
      case 'vmap':
        this.expr(s.key, `${p}.key`, 0);
        this.expr(s.data, `${p}.data`, 0);
        return;
      case 'raw':
        this.str(s, 'text', p);
        return;
      default:
        this.err(`${p}.kind`, 'unknown statement kind');
    }
  }

  element(e: unknown, p: string, depth: number): void {
    if (!this.obj(e, p)) return;
    this.expr(e.key, `${p}.key`, depth + 1);
    if (e.value !== undefined) this.expr(e.value, `${p}.value`, depth + 1);
    this.str(e, 'timeout', p, true);
    this.str(e, 'expires', p, true);
    this.str(e, 'comment', p, true);
    if (e.counter !== undefined && this.obj(e.counter, `${p}.counter`)) {
      this.num(e.counter, 'packets', `${p}.counter`);
      this.num(e.counter, 'bytes', `${p}.counter`);
    }
  }

  expr(e: unknown, p: string, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.err(p, 'nested too deeply');
      return;
    }
    if (!this.obj(e, p)) return;
    const d = depth + 1;
    switch (e.kind) {
      case 'payload':
        this.str(e, 'protocol', p);
        this.str(e, 'field', p);
        return;
      case 'meta':
      case 'socket':
        this.str(e, 'key', p);
        return;
      case 'ct':
        this.str(e, 'key', p);
        this.oneOf(e, 'dir', ['original', 'reply'], p, true);
        this.oneOf(e, 'family', ['ip', 'ip6'], p, true);
        return;
      case 'rt':
        this.str(e, 'key', p);
        this.oneOf(e, 'family', ['ip', 'ip6'], p, true);
        return;
      case 'fib':
        this.strList(e, 'flags', p);
        this.str(e, 'result', p);
        return;
      case 'concat':
      case 'list':
        if (this.arr(e.items, `${p}.items`)) (e.items as unknown[]).forEach((x, i) => this.expr(x, `${p}.items[${i}]`, d));
        return;
      case 'binop':
        this.oneOf(e, 'op', BINOPS, p);
        this.expr(e.left, `${p}.left`, d);
        this.expr(e.right, `${p}.right`, d);
        return;
      case 'value':
      case 'rawexpr':
        this.str(e, 'text', p);
        return;
      case 'range':
        this.expr(e.from, `${p}.from`, d);
        this.expr(e.to, `${p}.to`, d);
        return;
      case 'prefix':
        this.expr(e.addr, `${p}.addr`, d);
        this.num(e, 'len', p);
        return;
      case 'set':
        if (this.arr(e.elements, `${p}.elements`)) (e.elements as unknown[]).forEach((x, i) => this.element(x, `${p}.elements[${i}]`, d));
        return;
      case 'setref':
      case 'var':
        this.str(e, 'name', p);
        return;
      case 'map':
        this.expr(e.key, `${p}.key`, d);
        this.expr(e.data, `${p}.data`, d);
        return;
      case 'verdict':
        this.oneOf(e, 'verdict', EXPR_VERDICTS, p);
        this.str(e, 'target', p, true);
        return;
      case 'numgen':
        this.oneOf(e, 'mode', ['inc', 'random'], p);
        this.num(e, 'mod', p);
        this.num(e, 'offset', p, true);
        return;
      case 'hash':
        this.oneOf(e, 'hash', ['jhash', 'symhash'], p);
        if (e.expr !== undefined) this.expr(e.expr, `${p}.expr`, d);
        this.num(e, 'mod', p);
        this.str(e, 'seed', p, true);
        this.num(e, 'offset', p, true);
        return;
      default:
        this.err(`${p}.kind`, 'unknown expression kind');
    }
  }

  keySpec(v: unknown, p: string): void {
    if (!this.obj(v, p)) return;
    if (v.mode === 'type') this.strList(v, 'types', p);
    else if (v.mode === 'typeof') {
      if (this.arr(v.exprs, `${p}.exprs`)) (v.exprs as unknown[]).forEach((x, i) => this.expr(x, `${p}.exprs[${i}]`, 0));
    } else this.err(`${p}.mode`, 'expected type or typeof');
  }

  set(s: unknown, p: string): void {
    if (!this.obj(s, p)) return;
    this.id(s, p);
    this.oneOf(s, 'kind', ['set', 'map'], p);
    this.str(s, 'name', p);
    this.keySpec(s.key, `${p}.key`);
    if (s.data !== undefined) this.keySpec(s.data, `${p}.data`);
    this.strList(s, 'flags', p);
    this.str(s, 'timeout', p, true);
    this.str(s, 'gcInterval', p, true);
    this.num(s, 'size', p, true);
    this.oneOf(s, 'policy', ['performance', 'memory'], p, true);
    this.bool(s, 'autoMerge', p);
    this.str(s, 'comment', p, true);
    this.str(s, 'stmtsText', p, true);
    if (this.arr(s.elements, `${p}.elements`)) (s.elements as unknown[]).forEach((x, i) => this.element(x, `${p}.elements[${i}]`, 0));
  }

  object(o: unknown, p: string): void {
    if (!this.obj(o, p)) return;
    this.id(o, p);
    this.str(o, 'name', p);
    this.str(o, 'comment', p, true);
    switch (o.type) {
      case 'synproxy':
        this.num(o, 'mss', p, true);
        this.num(o, 'wscale', p, true);
        this.bool(o, 'timestamp', p);
        this.bool(o, 'sackPerm', p);
        return;
      case 'counter':
        this.num(o, 'packets', p, true);
        this.num(o, 'bytes', p, true);
        return;
      case 'quota':
        this.bool(o, 'over', p);
        this.num(o, 'amount', p);
        this.oneOf(o, 'unit', BYTE_UNITS, p);
        this.num(o, 'used', p, true);
        this.oneOf(o, 'usedUnit', BYTE_UNITS, p, true);
        return;
      case 'limit':
        this.bool(o, 'over', p);
        this.num(o, 'rate', p);
        this.oneOf(o, 'unit', RATE_UNITS, p);
        this.oneOf(o, 'per', TIME_UNITS, p);
        this.num(o, 'burst', p, true);
        this.oneOf(o, 'burstUnit', RATE_UNITS, p, true);
        return;
      case 'ct helper':
        this.str(o, 'helper', p);
        this.str(o, 'protocol', p);
        this.str(o, 'l3proto', p, true);
        return;
      case 'ct timeout':
        this.str(o, 'protocol', p);
        this.str(o, 'l3proto', p, true);
        if (this.arr(o.policy, `${p}.policy`)) {
          (o.policy as unknown[]).forEach((x, i) => {
            if (!this.obj(x, `${p}.policy[${i}]`)) return;
            this.str(x, 'state', `${p}.policy[${i}]`);
            this.num(x, 'seconds', `${p}.policy[${i}]`);
          });
        }
        return;
      case 'ct expectation':
        this.str(o, 'protocol', p);
        this.num(o, 'dport', p);
        this.str(o, 'timeout', p);
        this.num(o, 'size', p);
        this.str(o, 'l3proto', p, true);
        return;
      case 'secmark':
        this.str(o, 'context', p);
        return;
      default:
        this.err(`${p}.type`, 'unknown object type');
    }
  }

  flowtable(f: unknown, p: string): void {
    if (!this.obj(f, p)) return;
    this.id(f, p);
    this.str(f, 'name', p);
    this.oneOf(f, 'hook', ['ingress'], p);
    this.priority(f.priority, `${p}.priority`);
    this.strList(f, 'devices', p);
    this.strList(f, 'flags', p, true);
    this.bool(f, 'counter', p);
  }
}

/** Bring an older saved shape up to the current schema (version 1 is the first). */
export function migrateRuleset(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o.schema === undefined && Array.isArray(o.tables)) {
    // pre-versioned drafts had no schema, preamble or commands
    return { schema: SCHEMA_VERSION, preamble: 'none', defines: [], includes: [], commands: [], ...o };
  }
  return v;
}

export function validateRuleset(v: unknown): ValidationResult {
  const c = new Checker();
  const migrated = migrateRuleset(v);
  c.ruleset(migrated);
  if (c.errors.length) return { ok: false, errors: c.errors };
  return { ok: true, ruleset: migrated as Ruleset };
}
