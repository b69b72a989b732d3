/**
 * Text edits flow back into the design: the edited text is parsed into a fresh
 * ruleset, and reconcile() carries the previous design's ids over to the nodes
 * that are the same (tables by family and name, chains, sets, objects and
 * flowtables by name, rules by content and then by position), and reuses the
 * previous objects where nothing changed — so ids stay stable for forms and
 * selection, and memoised emitting and rendering skip the unchanged parts.
 */
import type { Chain, Define, Flowtable, NamedObject, Rule, Ruleset, SetDecl, Table } from './types.ts';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withoutId<T extends { id: string }>(x: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = x;
  return rest;
}

/** Reuse `old` if equal to `next` except for the id, else `next` with old's id. */
function keep<T extends { id: string }>(old: T | undefined, next: T): T {
  if (!old) return next;
  if (same(withoutId(old), withoutId(next))) return old;
  return { ...next, id: old.id };
}

function byKey<T>(xs: T[], key: (x: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of xs) if (!m.has(key(x))) m.set(key(x), x);
  return m;
}

/** A rule's content: its statements, its comment and its `#` comments (a text edit of those alone is an edit too). */
function ruleKey(r: Rule): string {
  return JSON.stringify([r.stmts, r.comment, r.hashComments]);
}

/** Rules: common prefix and suffix by content keep their objects; the middle pairs by position. */
function reconcileRules(old: Rule[], next: Rule[]): Rule[] {
  const ok = old.map(ruleKey);
  const nk = next.map(ruleKey);
  const out: Rule[] = new Array(next.length);
  let pre = 0;
  while (pre < old.length && pre < next.length && ok[pre] === nk[pre]) {
    out[pre] = old[pre];
    pre++;
  }
  let suf = 0;
  while (suf < old.length - pre && suf < next.length - pre && ok[old.length - 1 - suf] === nk[next.length - 1 - suf]) {
    out[next.length - 1 - suf] = old[old.length - 1 - suf];
    suf++;
  }
  // Middle: a rule identical to one of the old middle keeps it; the rest take old ids in order.
  const oldMiddle = old.slice(pre, old.length - suf);
  const byContent = new Map<string, Rule[]>();
  oldMiddle.forEach((r, i) => {
    const k = ok[pre + i];
    byContent.set(k, [...(byContent.get(k) ?? []), r]);
  });
  const used = new Set<Rule>();
  for (let i = pre; i < next.length - suf; i++) {
    const hit = byContent.get(nk[i])?.find((r) => !used.has(r));
    if (hit) {
      used.add(hit);
      out[i] = hit;
    }
  }
  const spare = oldMiddle.filter((r) => !used.has(r));
  for (let i = pre; i < next.length - suf; i++) {
    if (out[i]) continue;
    const old = spare.shift();
    out[i] = old ? { ...next[i], id: old.id } : next[i];
  }
  return out;
}

function reconcileChain(old: Chain | undefined, next: Chain): Chain {
  if (!old) return next;
  const rules = reconcileRules(old.rules, next.rules);
  const { rules: _o, ...oldHead } = old;
  const { rules: _n, ...nextHead } = next;
  const headSame = same(withoutId(oldHead), withoutId(nextHead));
  const rulesSame = rules.length === old.rules.length && rules.every((r, i) => r === old.rules[i]);
  if (headSame && rulesSame) return old;
  return { ...next, id: old.id, rules };
}

function reconcileTable(old: Table | undefined, next: Table): Table {
  if (!old) return next;
  const chains = byKey(old.chains, (c) => c.name);
  const sets = byKey(old.sets, (s) => s.name);
  const objects = byKey(old.objects, (o) => `${o.type} ${o.name}`);
  const flowtables = byKey(old.flowtables, (f) => f.name);
  const t: Table = {
    ...next,
    id: old.id,
    chains: next.chains.map((c) => reconcileChain(chains.get(c.name), c)),
    sets: next.sets.map((s) => keep<SetDecl>(sets.get(s.name), s)),
    objects: next.objects.map((o) => keep<NamedObject>(objects.get(`${o.type} ${o.name}`), o)),
    flowtables: next.flowtables.map((f) => keep<Flowtable>(flowtables.get(f.name), f)),
  };
  const unchanged =
    t.family === old.family &&
    t.name === old.name &&
    t.comment === old.comment &&
    same(t.flags, old.flags) &&
    same(t.hashComments, old.hashComments) &&
    (['chains', 'sets', 'objects', 'flowtables'] as const).every((k) => t[k].length === old[k].length && (t[k] as unknown[]).every((x, i) => x === old[k][i]));
  return unchanged ? old : t;
}

export function reconcile(prev: Ruleset, next: Ruleset): Ruleset {
  const tables = byKey(prev.tables, (t) => `${t.family} ${t.name}`);
  const defines = byKey(prev.defines, (d) => d.name);
  const out: Ruleset = {
    ...next,
    defines: next.defines.map((d) => keep<Define>(defines.get(d.name), d)),
    tables: next.tables.map((t) => reconcileTable(tables.get(`${t.family} ${t.name}`), t)),
  };
  // The tables kept aside (live, not ours) are never in the text: a text edit keeps them.
  if (next.aside === undefined && prev.aside !== undefined) out.aside = prev.aside;
  return out;
}
