/**
 * The ruleset model: plain, JSON-serialisable, versioned data. Every node that a
 * person can select (table, chain, rule, set, object, flowtable, define) has a
 * stable `id`. Order is meaningful everywhere: it is creation order, which is the
 * order nft lists things in.
 */
import type { Expr, SetElement } from './expr.ts';
import type { Statement } from './stmt.ts';
import type { LimitBody } from '../stmts/limit.ts';
import type { QuotaBody } from '../stmts/quota.ts';

export const SCHEMA_VERSION = 1;

export type { ChainType, Family, Hook } from '../knowledge/vocabulary.ts';
import type { ChainType, Family, Hook } from '../knowledge/vocabulary.ts';

/**
 * A priority as the user wrote it: a standard name with an offset
 * (`filter + 10`), a number, or a `$variable`. The emitter prints it the way
 * nft lists it (a number close to a standard value becomes `name ± N`).
 */
export type Priority =
  | { kind: 'std'; name: string; offset: number }
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string };

/**
 * The `#` comments of a hand-written file, kept with the node they belong to so
 * that they move with it and are written back where they were (nft itself keeps
 * none: its listing never has one). Each line is kept as written from its `#` on
 * (`# ssh`, `#!/usr/sbin/nft -f`); `''` is a blank line between them. A line
 * never holds a line break: the validator refuses one (model/validate.ts,
 * `hashCommentProblem`) and the emitter cannot print one.
 */
export interface HashComments {
  /** the lines directly above the node; a first `''` is a blank line above them, a last one a blank line below */
  above?: string[];
  /** at the end of the node's first line: `accept # ssh`, `chain input { # from outside` */
  inline?: string;
  /** blocks: the lines just inside, above the block's own lines (`type …`, `flags …`), with those written among them */
  head?: string[];
  /** blocks (and the whole file): the lines before its closing `}` (or the end of the file) */
  end?: string[];
  /** blocks: after the closing `}` */
  close?: string;
  /**
   * sets and maps: the lines above `elements = { … }`, with those written inside
   * the list (nft lists the elements sorted and merged, so a comment cannot stay
   * next to its element)
   */
  elements?: string[];
}

/** A node that can carry `#` comments. */
export interface Commented {
  hashComments?: HashComments;
}

/** Every node of the ruleset that has `#` comments, the ruleset itself first (the file's own). */
export function forEachCommented(rs: Ruleset, fn: (node: Commented & { id?: string }) => void): void {
  const one = (n: Commented & { id?: string }): void => {
    if (n.hashComments !== undefined) fn(n);
  };
  one(rs);
  for (const d of rs.defines) one(d);
  for (const i of rs.includes) one(i);
  for (const c of rs.commands) one(c);
  for (const t of rs.tables) {
    one(t);
    for (const o of t.objects) one(o);
    for (const x of t.sets) one(x);
    for (const f of t.flowtables) one(f);
    for (const c of t.chains) {
      one(c);
      for (const r of c.rules) one(r);
    }
  }
}

export interface BaseChainSpec {
  type: ChainType;
  hook: Hook;
  /** netdev ingress/egress and inet ingress only; `$VAR` entries are variables */
  devices?: string[];
  priority: Priority;
  /** `accept` (nft's default, always listed) or `drop`, or a `$variable` */
  policy?: string;
  /** `offload` (hardware offload) */
  flags?: string[];
}

export interface Rule extends Commented {
  id: string;
  stmts: Statement[];
  comment?: string;
}

export interface Chain extends Commented {
  id: string;
  name: string;
  comment?: string;
  /** present for base chains (attached to a hook), absent for regular chains */
  base?: BaseChainSpec;
  rules: Rule[];
}

/** `type ipv4_addr . inet_service` or `typeof ip saddr . tcp dport` */
/**
 * A set's key or a map's data declaration. `interval` (map data only): the data
 * are ranges or prefixes (`type ipv4_addr : interval ipv4_addr`, a NAT map to
 * address ranges), listed so by nft 1.0.6 and 1.1.3.
 */
export type SetKeySpec = { mode: 'type'; types: string[]; interval?: boolean } | { mode: 'typeof'; exprs: Expr[]; interval?: boolean };

export interface SetDecl extends Commented {
  id: string;
  kind: 'set' | 'map';
  name: string;
  key: SetKeySpec;
  /** maps only: the data type (`verdict`, `mark`, `synproxy`, `counter`, …) */
  data?: SetKeySpec;
  /** constant, dynamic, interval, timeout (nft's order when listed) */
  flags: string[];
  timeout?: string;
  gcInterval?: string;
  size?: number;
  policy?: 'performance' | 'memory';
  autoMerge?: boolean;
  comment?: string;
  /** the statements every element gets (`counter`, `limit rate 1/second`, `ct count over 2`; stmts/elementStmts.ts) */
  stmts?: Statement[];
  elements: SetElement[];
}

interface ObjectBase extends Commented {
  id: string;
  name: string;
  comment?: string;
}

/** `synproxy NAME { mss 1460 wscale 7 timestamp sack-perm }` (nft ≥ 0.9.3). */
export interface SynproxyObject extends ObjectBase {
  type: 'synproxy';
  mss?: number;
  wscale?: number;
  timestamp?: boolean;
  sackPerm?: boolean;
}

export interface CounterObject extends ObjectBase {
  type: 'counter';
  packets?: number;
  bytes?: number;
}

/** The same body as the quota statement (stmts/quota.ts). */
export interface QuotaObject extends ObjectBase, QuotaBody {
  type: 'quota';
}

/** The same body as the limit statement (stmts/limit.ts). */
export interface LimitObject extends ObjectBase, LimitBody {
  type: 'limit';
}

export interface CtHelperObject extends ObjectBase {
  type: 'ct helper';
  helper: string;
  protocol: string;
  l3proto?: string;
}

export interface CtTimeoutObject extends ObjectBase {
  type: 'ct timeout';
  protocol: string;
  l3proto?: string;
  policy: { state: string; seconds: number }[];
}

export interface CtExpectationObject extends ObjectBase {
  type: 'ct expectation';
  protocol: string;
  dport: number;
  timeout: string;
  size: number;
  l3proto?: string;
}

export interface SecmarkObject extends ObjectBase {
  type: 'secmark';
  context: string;
}

export type NamedObject =
  | SynproxyObject
  | CounterObject
  | QuotaObject
  | LimitObject
  | CtHelperObject
  | CtTimeoutObject
  | CtExpectationObject
  | SecmarkObject;

export type ObjectType = NamedObject['type'];

export interface Flowtable extends Commented {
  id: string;
  name: string;
  hook: 'ingress';
  priority: Priority;
  devices: string[];
  /** `offload` */
  flags?: string[];
  counter?: boolean;
}

export interface Table extends Commented {
  id: string;
  family: Family;
  name: string;
  /** `dormant`, `owner`, `persist` (knowledge/vocabulary.ts TABLE_FLAGS) */
  flags: string[];
  comment?: string;
  /** all stateful objects, of every type, in creation order */
  objects: NamedObject[];
  /** named sets and maps (one namespace), in creation order */
  sets: SetDecl[];
  flowtables: Flowtable[];
  chains: Chain[];
}

/** `define NAME = VALUE`; the value is kept as written. */
export interface Define extends Commented {
  id: string;
  name: string;
  value: string;
}

/** `include "path"`: kept and reported; it cannot be followed in a browser. */
export interface Include extends Commented {
  id: string;
  path: string;
}

/**
 * What goes before the tables in the script:
 * - `replace`: `table F N` + `delete table F N` + the full table, for each table
 *   (atomic and repeatable; leaves other tables on the host alone);
 * - `flush`: `flush ruleset` (the design owns the whole host);
 * - `none`: just the tables.
 */
export type Preamble = 'none' | 'flush' | 'replace';

export interface Ruleset {
  schema: typeof SCHEMA_VERSION;
  preamble: Preamble;
  defines: Define[];
  includes: Include[];
  tables: Table[];
  /**
   * top-level commands the model does not structure (`delete rule …`, `rename
   * chain …`), emitted verbatim before the tables (`at: 'start'`, if they came
   * before any table) or after them
   */
  commands: Command[];
  /**
   * live tables that other software owns (Docker, fail2ban, libvirt, …), brought in
   * by an import and kept aside: never emitted, never deleted by the `replace`
   * preamble; the linter warns when a `flush` preamble would remove them, and
   * "Compare with live" shows them untouched
   */
  aside?: AsideTable[];
  /**
   * `#` comments of the file itself: `head` above everything (a `#!/usr/sbin/nft -f`
   * line, the file's header), `end` after everything
   */
  hashComments?: Pick<HashComments, 'head' | 'end'>;
  /**
   * The nft version the design is written for (what the linter checks against,
   * which listing form and which JSON are written): a design remembers it. Absent:
   * DEFAULT_TARGET_VERSION. An nft-agent export's header (`# nft --version: …`)
   * and a JSON document's metainfo set it on import.
   */
  target?: string;
}

/** A top-level command kept as written (see Ruleset.commands). */
export interface Command extends Commented {
  id: string;
  text: string;
  at: 'start' | 'end';
}

/** A live table left out of the design because other software manages it. */
export interface AsideTable {
  id: string;
  family: Family;
  name: string;
  /** id of the foreign-software entry that recognised it (src/knowledge/foreign.ts), or 'unknown' */
  owner: string;
  /** the table as it was imported (nft listing form), shown only, never emitted */
  text: string;
}

/**
 * The preamble a design gets without choosing: replace only its own tables, so a
 * second apply leaves the same ruleset and other software's tables stay. (A parsed
 * text keeps the preamble it was written with; `emptyRuleset` is such a text.)
 */
export const DEFAULT_PREAMBLE: Preamble = 'replace';

/** A ruleset as a new design starts: a text without a preamble gets the default one. */
export function withDefaultPreamble(rs: Ruleset): Ruleset {
  return rs.preamble === 'none' ? { ...rs, preamble: DEFAULT_PREAMBLE } : rs;
}

/** An empty design (the default preamble). */
export function emptyDesign(): Ruleset {
  return withDefaultPreamble(emptyRuleset());
}

export function emptyRuleset(): Ruleset {
  return { schema: SCHEMA_VERSION, preamble: 'none', defines: [], includes: [], tables: [], commands: [] };
}
