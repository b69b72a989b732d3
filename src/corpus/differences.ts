/**
 * How nft 1.1.3's listing differs from 1.0.6's for the same loaded ruleset:
 * the two listings of every case both versions load, diffed line by line, the
 * changed line pairs grouped by class. This catalogue is the specification of
 * the emitter's 1.1.3 listing form.
 */

export interface LinePair {
  v106: string;
  v113: string;
}

export interface DifferenceClass {
  /** a name for the class, or the changed words with numbers as N */
  name: string;
  /** how many line pairs (over all cases) */
  count: number;
  /** how many cases show it */
  cases: number;
  /** distinct line pairs, most frequent first (at most 40) */
  pairs: (LinePair & { count: number; example: string })[];
}

/** The changed line pairs of two listings (an LCS diff; a hunk of unequal sides is one pair of joined lines). */
export function changedPairs(a: string, b: string): LinePair[] {
  if (a === b) return [];
  const x = a.split('\n');
  const y = b.split('\n');
  const pairs: LinePair[] = [];
  const push = (ra: string[], rb: string[]): void => {
    if (!ra.length && !rb.length) return;
    if (ra.length === rb.length) ra.forEach((l, i) => pairs.push({ v106: l, v113: rb[i] }));
    else pairs.push({ v106: ra.join('\n'), v113: rb.join('\n') });
  };
  if (x.length * y.length > 4_000_000) {
    push(x, y);
    return pairs;
  }
  // LCS table from the end
  const n = x.length;
  const m = y.length;
  const t = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) t[i * (m + 1) + j] = x[i] === y[j] ? t[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(t[(i + 1) * (m + 1) + j], t[i * (m + 1) + j + 1]);
  let i = 0;
  let j = 0;
  let ra: string[] = [];
  let rb: string[] = [];
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      push(ra, rb);
      ra = [];
      rb = [];
      i++;
      j++;
    } else if (j >= m || (i < n && t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1])) ra.push(x[i++]);
    else rb.push(y[j++]);
  }
  push(ra, rb);
  return pairs;
}

/**
 * Named classes: a test on the pair and its name. The first that matches names
 * the pair; the others fall back to their changed words.
 */
const NAMED: [string, (p: LinePair) => boolean][] = [
  ['limit: the default burst is listed (`limit rate 400/minute` → `… burst 5 packets`)', (p) => /limit rate/.test(p.v106) && /burst \d+ packets/.test(p.v113) && !/burst \d+ packets/.test(p.v106)],
  ['elements: a set/map whose elements carry timeouts, counters or data lists them one per line', (p) => p.v106.includes('elements = {') && p.v113.includes('\n')],
  ['ct timeout policy: values with time units (`established : 122` → `established : 2m2s`)', (p) => /policy = \{/.test(p.v106) && /\d+[smhd]\b/.test(p.v113)],
  ['tcp flags: `A / M` → `& (M, joined by |) == A (joined by |)`', (p) => /tcp flags (!= )?[a-z,]+ \/ [a-z,]+/.test(p.v106) && /tcp flags & \(/.test(p.v113)],
  ['mask match: `meta mark 0xffffff00/24` → `meta mark & 0xffffff00 == 0xffffff00`', (p) => /0x[0-9a-f]+\/\d+/.test(p.v106) && /& 0x[0-9a-f]+ == 0x/.test(p.v113)],
  ['ip frag-off: values in hex (`& 8191 != 0` → `& 0x1fff != 0x0`, `222` → `0xde`)', (p) => /ip frag-off/.test(p.v106) && /ip frag-off.*0x/.test(p.v113) && !/ip frag-off.*0x/.test(p.v106)],
  ['icmp/icmpv6 code: names → numbers (`port-unreachable` → `4`, `{ policy-fail, reject-route, 7 }` → `{ 5, 6, 7 }`)', (p) => /icmp(v6)? code/.test(p.v106) && /icmp(v6)? code (!= )?(\{ )?\d/.test(p.v113) && /icmp(v6)? code (!= )?(\{ )?[a-z]/.test(p.v106)],
  ['tcp option mptcp subtype: numbers → names (`0` → `mp-capable`)', (p) => /mptcp subtype/.test(p.v106) && /mptcp subtype (\{ )?[a-z]/.test(p.v113)],
  ['nat chain priority: numbers → names in more hooks (`priority -100` → `dstnat`, `100` → `srcnat`)', (p) => /type nat hook .* priority -?\d+;/.test(p.v106) && /priority (dst|src)nat;/.test(p.v113)],
  ['meter: listed as a named dynamic set and `update @set { … }`', (p) => /\bmeter \S+ size \d+/.test(p.v106) || (p.v106 === '' && /flags dynamic/.test(p.v113))],
  [
    'bitmask set elements: another order (`{ syn | ack, syn }` → `{ syn, syn | ack }`; also across the lines of a long element list)',
    (p) => {
      const flags = /^(\s|elements = \{|tcp flags|&|==|\(|\)|\{|\}|,|\||fin|syn|rst|psh|ack|urg|ecn|cwr)*$/;
      return /(syn|ack|fin|psh|rst|urg) \|/.test(p.v106) && (p.v106.split(/[ ,{}]+/).sort().join() === p.v113.split(/[ ,{}]+/).sort().join() || (flags.test(p.v106) && flags.test(p.v113)));
    },
  ],
  ['bitwise mask shortened (`& 0x0000000f` → `& 0xf`)', (p) => /& 0x0+[0-9a-f]+\b/.test(p.v106) && p.v106.replace(/0x0+([0-9a-f])/g, '0x$1') === p.v113],
  ['statements re-ordered or an implied match dropped (`meta iiftype ether counter … ether saddr X` → `ether saddr X counter …`)', (p) => /ether saddr/.test(p.v106) && /^\s*ether saddr/.test(p.v113) && !/^\s*ether saddr/.test(p.v106)],
  ['anonymous set of one element with a statement kept as a set (`meta mark 0xa` → `meta mark { 0xa counter … }`)', (p) => !p.v106.includes('{') && /\{ \S+ counter packets/.test(p.v113)],
  ['dynamic set key: `0xa020304 [invalid type]` → `10.2.3.4`', (p) => p.v106.includes('[invalid type]')],
];

function words(p: LinePair): string {
  const a = p.v106.trim().split(/\s+/);
  const b = p.v113.trim().split(/\s+/);
  let s = 0;
  while (s < a.length && s < b.length && a[s] === b[s]) s++;
  let e = 0;
  while (e < a.length - s && e < b.length - s && a[a.length - 1 - e] === b[b.length - 1 - e]) e++;
  const norm = (w: string[]): string => w.join(' ').replace(/\b0x[0-9a-f]+\b/g, '0xN').replace(/\b\d+\b/g, 'N');
  return `${norm(a.slice(s, a.length - e)) || '∅'} → ${norm(b.slice(s, b.length - e)) || '∅'}`;
}

export function classify(p: LinePair): string {
  for (const [name, test] of NAMED) if (test(p)) return name;
  return words(p);
}

/** Group the changed pairs of every case ({case id, listing per version}) by class, largest first. */
export function listingDifferences(cases: { id: string; v106: string; v113: string }[]): DifferenceClass[] {
  const classes = new Map<string, { count: number; cases: Set<string>; pairs: Map<string, LinePair & { count: number; example: string }> }>();
  for (const c of cases) {
    for (const p of changedPairs(c.v106, c.v113)) {
      const name = classify(p);
      let k = classes.get(name);
      if (!k) classes.set(name, (k = { count: 0, cases: new Set(), pairs: new Map() }));
      k.count++;
      k.cases.add(c.id);
      const key = `${p.v106}\u0000${p.v113}`;
      const e = k.pairs.get(key);
      if (e) e.count++;
      else k.pairs.set(key, { ...p, count: 1, example: c.id });
    }
  }
  return [...classes.entries()]
    .map(([name, k]) => ({
      name,
      count: k.count,
      cases: k.cases.size,
      pairs: [...k.pairs.values()].sort((a, b) => b.count - a.count).slice(0, 40),
    }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
