/**
 * Reading a lesson file: untrusted input. The text is size-checked and its
 * nesting counted before JSON.parse; then every field is checked for its type,
 * length and vocabulary, unknown fields and goal kinds are refused, and the
 * lesson is rebuilt from the checked fields only (nothing of the input object
 * is kept). Each error names the field's path: `steps[2].goal.chain.hook:
 * expected one of ingress, prerouting, …`.
 *
 * Closed vocabularies come from the model and knowledge modules: families,
 * hooks and chain types (src/knowledge/families.ts), match fields
 * (src/knowledge/expressions.ts), finding ids (src/lint FINDINGS), synproxy
 * ranges (src/knowledge/synproxyFacts.ts), knowledge ids (./knowledge.ts).
 */
import { CHAIN_TYPES, FAMILIES, HOOKS } from '../knowledge/families.ts';
import { SET_FLAGS } from '../knowledge/vocabulary.ts';
import { SYNPROXY_MSS_MAX, SYNPROXY_MSS_MIN, SYNPROXY_WSCALE_TCP_MAX } from '../knowledge/synproxyFacts.ts';
import { FINDINGS } from '../lint/checks/index.ts';
import type { ChainType, Family, Hook } from '../model/types.ts';
import {
  CHAIN_POLICIES,
  CONNTRACK_SIDES,
  GOAL_KINDS,
  LESSON_FORMAT,
  LESSON_LIMITS,
  LESSON_VERSION,
  RESERVED_GOAL_KINDS,
  RULE_STATEMENTS,
  RULE_VERDICTS,
  SEVERITIES,
  TRACE_CT_STATES,
  TRACE_GOAL_PACKETS,
  TRACE_VERDICTS,
  type Bounds,
  type ChainWhere,
  type Goal,
  type Lesson,
  type MatchWant,
  type Paragraph,
  type SetWhere,
  type Step,
} from './format.ts';
import { KNOWLEDGE_IDS, isKnowledgeId } from './knowledge.ts';
import { parsePacket, PacketSpecError } from '../trace/packet.ts';
import { closestWord, ip4ToBig, ip6ToBig } from '../knowledge/datatypes.ts';
import { canonicalField } from './match.ts';

export type LessonRead = { ok: true; lesson: Lesson } | { ok: false; errors: string[] };

const MAX_ERRORS = 20;
const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
/** a name as nft allows it for tables, chains and sets */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const FINDING_IDS: ReadonlySet<string> = new Set(FINDINGS.map((f) => f.id));

/** Control characters other than tab and newline are refused in text. */
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

class Bad extends Error {}

class Reader {
  readonly errors: string[] = [];

  fail(path: string, msg: string): undefined {
    if (this.errors.length < MAX_ERRORS) this.errors.push(`${path || '(file)'}: ${msg}`);
    if (this.errors.length >= MAX_ERRORS) throw new Bad();
    return undefined;
  }

  object(v: unknown, path: string, allowed: readonly string[], required: readonly string[] = []): Record<string, unknown> | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(path, `expected an object, got ${kindOf(v)}`);
    const o = v as Record<string, unknown>;
    let ok = true;
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) {
        this.fail(join(path, k), `unknown field (expected ${allowed.join(', ')})`);
        ok = false;
      }
    }
    for (const k of required) {
      if (!Object.hasOwn(o, k)) {
        this.fail(join(path, k), 'missing');
        ok = false;
      }
    }
    return ok ? o : undefined;
  }

  array(v: unknown, path: string, max: number, min = 0): unknown[] | undefined {
    if (!Array.isArray(v)) return this.fail(path, `expected an array, got ${kindOf(v)}`);
    if (v.length < min) return this.fail(path, `expected at least ${min} item${min === 1 ? '' : 's'}`);
    if (v.length > max) return this.fail(path, `at most ${max} items, got ${v.length}`);
    return v;
  }

  string(v: unknown, path: string, max: number, re?: RegExp, what?: string): string | undefined {
    if (typeof v !== 'string') return this.fail(path, `expected a string, got ${kindOf(v)}`);
    if (v.length === 0) return this.fail(path, 'must not be empty');
    if (v.length > max) return this.fail(path, `at most ${max} characters, got ${v.length}`);
    if (CONTROL_RE.test(v)) return this.fail(path, 'contains control or bidirectional-override characters');
    if (re && !re.test(v)) return this.fail(path, `expected ${what ?? re.source}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T | undefined {
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) return this.fail(path, `expected one of ${options.join(', ')}${typeof v === 'string' ? `, got "${clip(v)}"` : `, got ${kindOf(v)}`}`);
    return v as T;
  }

  boolean(v: unknown, path: string): boolean | undefined {
    if (typeof v !== 'boolean') return this.fail(path, `expected true or false, got ${kindOf(v)}`);
    return v;
  }

  integer(v: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(path, `expected a whole number, got ${kindOf(v)}`);
    if (v < min || v > max) return this.fail(path, `expected ${min}..${max}, got ${v}`);
    return v;
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'number' ? `the number ${v}` : `${typeof v} ${String(v)}`;
}

function clip(s: string): string {
  return (s.length > 40 ? `${s.slice(0, 40)}…` : s).replace(CONTROL_RE, '?');
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** Deepest nesting of arrays/objects in JSON text (strings skipped), without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Read lesson JSON text (a file, a paste). */
export function parseLessonText(text: string): LessonRead {
  if (typeof text !== 'string') return { ok: false, errors: ['(file): expected text'] };
  if (text.length > LESSON_LIMITS.fileChars) return { ok: false, errors: [`(file): at most ${LESSON_LIMITS.fileChars} characters, got ${text.length}`] };
  if (jsonDepth(text) > LESSON_LIMITS.depth) return { ok: false, errors: [`(file): nested deeper than ${LESSON_LIMITS.depth} levels`] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`(file): not JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  return readLesson(data);
}

/** Check a parsed value as a lesson (a value already in memory, e.g. read back from storage). */
export function readLesson(data: unknown): LessonRead {
  const r = new Reader();
  let lesson: Lesson | undefined;
  try {
    lesson = lessonOf(r, data);
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
  }
  if (r.errors.length || !lesson) return { ok: false, errors: r.errors.length ? r.errors : ['(file): not a lesson'] };
  return { ok: true, lesson };
}

function lessonOf(r: Reader, data: unknown): Lesson | undefined {
  const o = r.object(data, '', ['format', 'version', 'id', 'title', 'summary', 'author', 'steps'], ['format', 'version', 'id', 'title', 'steps']);
  if (!o) return undefined;
  if (o.format !== LESSON_FORMAT) return r.fail('format', `expected "${LESSON_FORMAT}"`);
  if (o.version !== LESSON_VERSION) return r.fail('version', `expected ${LESSON_VERSION} (this app reads version ${LESSON_VERSION} lessons)${typeof o.version === 'number' ? `, got ${o.version}` : ''}`);
  const id = r.string(o.id, 'id', LESSON_LIMITS.idChars, ID_RE, 'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');
  const title = r.string(o.title, 'title', LESSON_LIMITS.titleChars);
  const summary = o.summary === undefined ? undefined : paragraphs(r, o.summary, 'summary');
  const author = o.author === undefined ? undefined : r.string(o.author, 'author', LESSON_LIMITS.titleChars);
  const stepsIn = r.array(o.steps, 'steps', LESSON_LIMITS.steps, 1);
  const steps: Step[] = [];
  const stepIds = new Set<string>();
  const labels = new Map<string, 'chain' | 'rule' | 'set'>();
  stepsIn?.forEach((s, i) => {
    const step = stepOf(r, s, `steps[${i}]`, labels);
    if (!step) return;
    if (stepIds.has(step.id)) r.fail(`steps[${i}].id`, `"${step.id}" is the id of an earlier step`);
    stepIds.add(step.id);
    steps.push(step);
  });
  if (r.errors.length || id === undefined || title === undefined || !stepsIn) return undefined;
  const lesson: Lesson = { format: LESSON_FORMAT, version: LESSON_VERSION, id, title, steps };
  if (summary) lesson.summary = summary;
  if (author) lesson.author = author;
  return lesson;
}

function paragraphs(r: Reader, v: unknown, path: string): Paragraph[] | undefined {
  const a = r.array(v, path, LESSON_LIMITS.items, 1);
  if (!a) return undefined;
  const out: Paragraph[] = [];
  a.forEach((p, i) => {
    const pp = join(path, i);
    if (typeof p === 'string') {
      const s = r.string(p, pp, LESSON_LIMITS.textChars);
      if (s !== undefined) out.push(s);
      return;
    }
    const o = r.object(p, pp, ['explain'], ['explain']);
    if (!o) return;
    const id = r.string(o.explain, join(pp, 'explain'), LESSON_LIMITS.idChars);
    if (id === undefined) return;
    if (!isKnowledgeId(id)) {
      const hint = closestWord(id, KNOWLEDGE_IDS);
      const families = [...new Set(KNOWLEDGE_IDS.map((k) => `${k.split('.')[0]}.…`))].join(', ');
      r.fail(join(pp, 'explain'), `unknown knowledge entry "${clip(id)}"${hint ? `; did you mean "${hint}"?` : ''} (the entries are ${families}, as the lesson format's documentation lists them)`);
      return;
    }
    out.push({ explain: id });
  });
  return out.length === a.length ? out : undefined;
}

function stepOf(r: Reader, v: unknown, path: string, labels: Map<string, 'chain' | 'rule' | 'set'>): Step | undefined {
  const o = r.object(v, path, ['id', 'title', 'task', 'goal', 'explain', 'hint'], ['id', 'title', 'task', 'goal']);
  if (!o) return undefined;
  const id = r.string(o.id, join(path, 'id'), LESSON_LIMITS.idChars, ID_RE, 'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');
  const title = r.string(o.title, join(path, 'title'), LESSON_LIMITS.titleChars);
  const task = paragraphs(r, o.task, join(path, 'task'));
  const goal = goalOf(r, o.goal, join(path, 'goal'), labels, 0);
  const explain = o.explain === undefined ? undefined : paragraphs(r, o.explain, join(path, 'explain'));
  const hint = o.hint === undefined ? undefined : paragraphs(r, o.hint, join(path, 'hint'));
  if (id === undefined || title === undefined || !task || !goal) return undefined;
  const step: Step = { id, title, task, goal };
  if (explain) step.explain = explain;
  if (hint) step.hint = hint;
  return step;
}

function label(r: Reader, v: unknown, path: string, what: 'chain' | 'rule' | 'set', labels: Map<string, 'chain' | 'rule' | 'set'>): string | undefined {
  const s = r.string(v, path, LESSON_LIMITS.idChars, /^[A-Za-z][A-Za-z0-9_-]*$/, 'a letter, then letters, digits, "_" or "-"');
  if (s === undefined) return undefined;
  if (labels.has(s)) return r.fail(path, `"${s}" already names something found by an earlier goal`);
  labels.set(s, what);
  return s;
}

function ref(r: Reader, v: unknown, path: string, labels: Map<string, 'chain' | 'rule' | 'set'>, want: readonly ('chain' | 'rule' | 'set')[]): string | undefined {
  const s = r.string(v, path, LESSON_LIMITS.idChars);
  if (s === undefined) return undefined;
  const got = labels.get(s);
  if (!got) return r.fail(path, `"${clip(s)}" is not named by an earlier goal ("as")`);
  if (!want.includes(got)) return r.fail(path, `"${s}" names a ${got}, expected a ${want.join(' or ')}`);
  return s;
}

function goalOf(r: Reader, v: unknown, path: string, labels: Map<string, 'chain' | 'rule' | 'set'>, depth: number): Goal | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return r.fail(path, `expected an object, got ${kindOf(v)}`);
  const kind = (v as Record<string, unknown>).kind;
  if (typeof kind === 'string' && RESERVED_GOAL_KINDS.includes(kind)) return r.fail(join(path, 'kind'), `"${kind}" goals are not supported yet (reserved for a later version); expected one of ${GOAL_KINDS.join(', ')}`);
  const k = r.oneOf(kind, join(path, 'kind'), GOAL_KINDS);
  if (!k) return undefined;
  switch (k) {
    case 'chain': {
      const o = r.object(v, path, ['kind', 'as', 'where'], ['where']);
      if (!o) return undefined;
      const where = chainWhere(r, o.where, join(path, 'where'));
      const as = o.as === undefined ? undefined : label(r, o.as, join(path, 'as'), 'chain', labels);
      if (!where) return undefined;
      return as ? { kind: 'chain', as, where } : { kind: 'chain', where };
    }
    case 'rule': {
      const o = r.object(v, path, ['kind', 'as', 'chain', 'match', 'statements', 'verdict', 'after']);
      if (!o) return undefined;
      const g: Goal & { kind: 'rule' } = { kind: 'rule' };
      let ok = true;
      if (o.chain !== undefined) {
        const cp = join(path, 'chain');
        if (typeof o.chain === 'object' && o.chain !== null && Object.hasOwn(o.chain, 'ref')) {
          const ro = r.object(o.chain, cp, ['ref'], ['ref']);
          const name = ro ? ref(r, ro.ref, join(cp, 'ref'), labels, ['chain', 'rule']) : undefined;
          if (name) g.chain = { ref: name };
          else ok = false;
        } else {
          const w = chainWhere(r, o.chain, cp);
          if (w) g.chain = w;
          else ok = false;
        }
      }
      if (o.match !== undefined) {
        const a = r.array(o.match, join(path, 'match'), LESSON_LIMITS.items, 1);
        const ms = a?.map((m, i) => matchWant(r, m, join(join(path, 'match'), i)));
        if (ms && ms.every((m) => m)) g.match = ms as MatchWant[];
        else ok = false;
      }
      if (o.statements !== undefined) {
        const a = r.array(o.statements, join(path, 'statements'), RULE_STATEMENTS.length, 1);
        const ss = a?.map((s, i) => r.oneOf(s, join(join(path, 'statements'), i), RULE_STATEMENTS));
        if (ss && ss.every((s) => s)) g.statements = ss as (typeof RULE_STATEMENTS)[number][];
        else ok = false;
      }
      if (o.verdict !== undefined) {
        const vd = r.oneOf(o.verdict, join(path, 'verdict'), RULE_VERDICTS);
        if (vd) g.verdict = vd;
        else ok = false;
      }
      if (o.after !== undefined) {
        const name = ref(r, o.after, join(path, 'after'), labels, ['rule']);
        if (name) g.after = name;
        else ok = false;
      }
      if (o.match === undefined && o.statements === undefined && o.verdict === undefined) {
        r.fail(path, 'a rule goal needs at least one of match, statements, verdict');
        ok = false;
      }
      if (o.as !== undefined) {
        const as = label(r, o.as, join(path, 'as'), 'rule', labels);
        if (as) g.as = as;
        else ok = false;
      }
      return ok ? g : undefined;
    }
    case 'set': {
      const o = r.object(v, path, ['kind', 'as', 'where'], ['where']);
      if (!o) return undefined;
      const where = setWhere(r, o.where, join(path, 'where'));
      const as = o.as === undefined ? undefined : label(r, o.as, join(path, 'as'), 'set', labels);
      if (!where) return undefined;
      return as ? { kind: 'set', as, where } : { kind: 'set', where };
    }
    case 'synproxy': {
      const o = r.object(v, path, ['kind', 'mss', 'wscale', 'timestamp', 'sackPerm']);
      if (!o) return undefined;
      const g: Goal & { kind: 'synproxy' } = { kind: 'synproxy' };
      let ok = true;
      if (o.mss !== undefined) ok = assign(g, 'mss', bounds(r, o.mss, join(path, 'mss'), SYNPROXY_MSS_MIN, SYNPROXY_MSS_MAX)) && ok;
      if (o.wscale !== undefined) ok = assign(g, 'wscale', bounds(r, o.wscale, join(path, 'wscale'), 0, SYNPROXY_WSCALE_TCP_MAX)) && ok;
      if (o.timestamp !== undefined) ok = assign(g, 'timestamp', r.boolean(o.timestamp, join(path, 'timestamp'))) && ok;
      if (o.sackPerm !== undefined) ok = assign(g, 'sackPerm', r.boolean(o.sackPerm, join(path, 'sackPerm'))) && ok;
      return ok ? g : undefined;
    }
    case 'lint': {
      const o = r.object(v, path, ['kind', 'expect', 'severity', 'ids'], ['expect']);
      if (!o) return undefined;
      const expect = r.oneOf(o.expect, join(path, 'expect'), ['none', 'some'] as const);
      const g: Goal & { kind: 'lint' } = { kind: 'lint', expect: expect ?? 'none' };
      let ok = expect !== undefined;
      if (o.severity !== undefined) ok = assign(g, 'severity', r.oneOf(o.severity, join(path, 'severity'), SEVERITIES)) && ok;
      if (o.ids !== undefined) {
        const a = r.array(o.ids, join(path, 'ids'), LESSON_LIMITS.items, 1);
        const ids = a?.map((x, i) => {
          const p = join(join(path, 'ids'), i);
          const s = r.string(x, p, LESSON_LIMITS.idChars);
          if (s !== undefined && !FINDING_IDS.has(s)) return r.fail(p, `unknown finding id "${clip(s)}" (the linter's ids, e.g. synproxy/no-invalid-drop)`);
          return s;
        });
        if (ids && ids.every((x) => x)) g.ids = ids as string[];
        else ok = false;
      }
      return ok ? g : undefined;
    }
    case 'trace': {
      const o = r.object(v, path, ['kind', 'packets', 'hostAddrs', 'tcpLoose', 'verdict', 'ctState'], ['packets']);
      if (!o) return undefined;
      const a = r.array(o.packets, join(path, 'packets'), TRACE_GOAL_PACKETS, 1);
      if (!a) return undefined;
      const packets = a.map((x, i) => {
        const p = join(join(path, 'packets'), i);
        const s = r.string(x, p, LESSON_LIMITS.textChars);
        if (s === undefined) return undefined;
        try {
          parsePacket(s);
        } catch (e) {
          return r.fail(p, e instanceof PacketSpecError ? `column ${e.column}: ${e.message}` : 'not a packet description');
        }
        return s;
      });
      if (!packets.every((x) => x !== undefined)) return undefined;
      const g: Goal & { kind: 'trace' } = { kind: 'trace', packets: packets as string[] };
      let ok = true;
      if (o.hostAddrs !== undefined) {
        const h = r.array(o.hostAddrs, join(path, 'hostAddrs'), LESSON_LIMITS.items, 1);
        const addrs = h?.map((x, i) => {
          const p = join(join(path, 'hostAddrs'), i);
          const s = r.string(x, p, LESSON_LIMITS.idChars);
          if (s !== undefined && ip4ToBig(s) === undefined && ip6ToBig(s) === undefined) return r.fail(p, `"${clip(s)}" is not an IPv4 or IPv6 address`);
          return s;
        });
        if (addrs && addrs.every((x) => x !== undefined)) g.hostAddrs = addrs as string[];
        else ok = false;
      }
      if (o.tcpLoose !== undefined) {
        const n = r.integer(o.tcpLoose, join(path, 'tcpLoose'), 0, 1);
        if (n === 0 || n === 1) g.tcpLoose = n;
        else ok = false;
      }
      if (o.verdict !== undefined) ok = assign(g, 'verdict', r.oneOf(o.verdict, join(path, 'verdict'), TRACE_VERDICTS)) && ok;
      if (o.ctState !== undefined) ok = assign(g, 'ctState', r.oneOf(o.ctState, join(path, 'ctState'), TRACE_CT_STATES)) && ok;
      if (ok && g.verdict === undefined && g.ctState === undefined) return r.fail(path, 'a trace goal needs a verdict or a ctState to expect of its last packet');
      return ok ? g : undefined;
    }
    case 'confirm': {
      const o = r.object(v, path, ['kind', 'label']);
      if (!o) return undefined;
      if (o.label === undefined) return { kind: 'confirm' };
      const l = r.string(o.label, join(path, 'label'), LESSON_LIMITS.titleChars);
      return l === undefined ? undefined : { kind: 'confirm', label: l };
    }
    case 'all':
    case 'any': {
      const o = r.object(v, path, ['kind', 'of'], ['of']);
      if (!o) return undefined;
      if (depth >= LESSON_LIMITS.goalDepth) return r.fail(path, `"all"/"any" goals nest at most ${LESSON_LIMITS.goalDepth} deep`);
      const a = r.array(o.of, join(path, 'of'), LESSON_LIMITS.items, 1);
      if (!a) return undefined;
      const gs = a.map((x, i) => goalOf(r, x, join(join(path, 'of'), i), labels, depth + 1));
      if (!gs.every((x) => x)) return undefined;
      if (gs.some((x) => x?.kind === 'confirm')) return r.fail(join(path, 'of'), 'a confirm goal must be a step\'s whole goal');
      return { kind: k, of: gs as Goal[] };
    }
  }
}

function assign<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): boolean {
  if (v === undefined) return false;
  o[k] = v;
  return true;
}

function bounds(r: Reader, v: unknown, path: string, lo: number, hi: number): Bounds | undefined {
  const o = r.object(v, path, ['min', 'max']);
  if (!o) return undefined;
  const b: Bounds = {};
  let ok = true;
  if (o.min !== undefined) ok = assign(b, 'min', r.integer(o.min, join(path, 'min'), lo, hi)) && ok;
  if (o.max !== undefined) ok = assign(b, 'max', r.integer(o.max, join(path, 'max'), lo, hi)) && ok;
  if (ok && b.min !== undefined && b.max !== undefined && b.min > b.max) return r.fail(path, `min ${b.min} is above max ${b.max}`);
  return ok ? b : undefined;
}

function families(r: Reader, v: unknown, path: string): Family[] | undefined {
  const list = Array.isArray(v) ? v : [v];
  if (Array.isArray(v) && (v.length === 0 || v.length > FAMILIES.length)) return r.fail(path, `expected 1..${FAMILIES.length} families`);
  const out = list.map((f, i) => r.oneOf(f, Array.isArray(v) ? join(path, i) : path, FAMILIES));
  return out.every((f) => f) ? (out as Family[]) : undefined;
}

function chainWhere(r: Reader, v: unknown, path: string): ChainWhere | undefined {
  const o = r.object(v, path, ['family', 'table', 'name', 'base', 'hook', 'type', 'policy', 'priority', 'conntrack']);
  if (!o) return undefined;
  const w: ChainWhere = {};
  let ok = true;
  if (o.family !== undefined) ok = assign(w, 'family', families(r, o.family, join(path, 'family'))) && ok;
  if (o.table !== undefined) ok = assign(w, 'table', r.string(o.table, join(path, 'table'), LESSON_LIMITS.idChars, NAME_RE, 'a table name')) && ok;
  if (o.name !== undefined) ok = assign(w, 'name', r.string(o.name, join(path, 'name'), LESSON_LIMITS.idChars, NAME_RE, 'a chain name')) && ok;
  if (o.base !== undefined) ok = assign(w, 'base', r.boolean(o.base, join(path, 'base'))) && ok;
  if (o.hook !== undefined) ok = assign(w, 'hook', r.oneOf(o.hook, join(path, 'hook'), HOOKS as readonly Hook[])) && ok;
  if (o.type !== undefined) ok = assign(w, 'type', r.oneOf(o.type, join(path, 'type'), CHAIN_TYPES as readonly ChainType[])) && ok;
  if (o.policy !== undefined) ok = assign(w, 'policy', r.oneOf(o.policy, join(path, 'policy'), CHAIN_POLICIES)) && ok;
  if (o.priority !== undefined) ok = assign(w, 'priority', bounds(r, o.priority, join(path, 'priority'), -2147483648, 2147483647)) && ok;
  if (o.conntrack !== undefined) ok = assign(w, 'conntrack', r.oneOf(o.conntrack, join(path, 'conntrack'), CONNTRACK_SIDES)) && ok;
  if (ok && w.base === false && (w.hook || w.type || w.policy || w.priority || w.conntrack)) return r.fail(path, 'a regular chain (base: false) has no hook, type, policy, priority or conntrack position');
  return ok ? w : undefined;
}

function setWhere(r: Reader, v: unknown, path: string): SetWhere | undefined {
  const o = r.object(v, path, ['family', 'table', 'name', 'is', 'flags', 'data', 'minElements', 'used']);
  if (!o) return undefined;
  const w: SetWhere = {};
  let ok = true;
  if (o.family !== undefined) ok = assign(w, 'family', families(r, o.family, join(path, 'family'))) && ok;
  if (o.table !== undefined) ok = assign(w, 'table', r.string(o.table, join(path, 'table'), LESSON_LIMITS.idChars, NAME_RE, 'a table name')) && ok;
  if (o.name !== undefined) ok = assign(w, 'name', r.string(o.name, join(path, 'name'), LESSON_LIMITS.idChars, NAME_RE, 'a set name')) && ok;
  if (o.is !== undefined) ok = assign(w, 'is', r.oneOf(o.is, join(path, 'is'), ['set', 'map'] as const)) && ok;
  if (o.flags !== undefined) {
    const a = r.array(o.flags, join(path, 'flags'), SET_FLAGS.length, 1);
    const fs = a?.map((f, i) => r.oneOf(f, join(join(path, 'flags'), i), SET_FLAGS));
    ok = assign(w, 'flags', fs && fs.every((f) => f) ? (fs as string[]) : undefined) && ok;
  }
  if (o.data !== undefined) ok = assign(w, 'data', r.string(o.data, join(path, 'data'), LESSON_LIMITS.idChars, /^[a-z0-9_]+$/, 'a data type such as verdict or ipv4_addr')) && ok;
  if (o.minElements !== undefined) ok = assign(w, 'minElements', r.integer(o.minElements, join(path, 'minElements'), 0, 1_000_000)) && ok;
  if (o.used !== undefined) ok = assign(w, 'used', r.boolean(o.used, join(path, 'used'))) && ok;
  if (ok && w.data !== undefined && w.is === 'set') return r.fail(join(path, 'data'), 'only a map has data');
  return ok ? w : undefined;
}

/** Set flags nft knows (the model's SetDecl.flags, in nft's order). */

function matchWant(r: Reader, v: unknown, path: string): MatchWant | undefined {
  const o = r.object(v, path, ['field', 'values'], ['field']);
  if (!o) return undefined;
  const raw = r.string(o.field, join(path, 'field'), LESSON_LIMITS.idChars);
  if (raw === undefined) return undefined;
  const field = canonicalField(raw);
  if (!field) return r.fail(join(path, 'field'), `unknown match field "${clip(raw)}" (a payload field such as tcp dport, a meta key such as iifname or meta l4proto, or a ct key such as ct state)`);
  if (o.values === undefined) return { field };
  const a = r.array(o.values, join(path, 'values'), LESSON_LIMITS.items, 1);
  const vs = a?.map((x, i) => {
    const p = join(join(path, 'values'), i);
    const s = r.string(typeof x === 'number' ? String(x) : x, p, LESSON_LIMITS.idChars);
    // a single value is read as the packet trace reads it: a port above 65535, a state that does not exist,
    // could never be met (a prefix, a range or a quoted name is left as it is)
    if (s === undefined || /[/,\s"-]/.test(s.replace(/^-/, ''))) return s;
    try {
      parsePacket(`${field} ${s}`);
    } catch (e) {
      if (e instanceof PacketSpecError) return r.fail(p, e.message);
    }
    return s;
  });
  return vs && vs.every((x) => x !== undefined) ? { field, values: vs as string[] } : undefined;
}
