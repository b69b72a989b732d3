/**
 * The lesson file format (docs/lessons.md): JSON a trainer writes and imports,
 * `format: "nft-designer-lesson"`, `version: 1`. A lesson is a list of steps;
 * each step has a goal the app checks against the live design (structural
 * checks over the model, the linter's findings) or that the learner confirms.
 *
 * Goal kinds are a closed list. A `trace` goal follows packets through the
 * design with the packet trace (src/trace/) and checks what the kernel would do
 * with the last one: what the design does, not only how it looks.
 */
import type { Severity } from '../model/diagnostic.ts';
import type { ChainType, Family, Hook } from '../model/types.ts';
import type { StatementKind, NatType, VerdictName } from '../model/stmt.ts';

export const LESSON_FORMAT = 'nft-designer-lesson';
export const LESSON_VERSION = 1;

/** Limits for untrusted files (checked before and while reading). */
export const LESSON_LIMITS = {
  /** the whole file, in UTF-16 code units of its text (a JSON file is mostly ASCII) */
  fileChars: 256 * 1024,
  /** nesting of JSON arrays and objects */
  depth: 16,
  /** nesting of `all` / `any` goals */
  goalDepth: 4,
  steps: 40,
  /** sub-goals of one `all` / `any`, matches of a rule goal, paragraphs of a text */
  items: 24,
  /** id, as, field names */
  idChars: 64,
  titleChars: 120,
  /** one paragraph of text */
  textChars: 2000,
} as const;

/** Goal kinds of version 1. */
export const GOAL_KINDS = ['chain', 'rule', 'set', 'synproxy', 'lint', 'trace', 'confirm', 'all', 'any'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];
export const RESERVED_GOAL_KINDS: readonly string[] = [];

/** What a trace goal can expect of its last packet (the trace's own words, src/trace/evaluate.ts). */
export const TRACE_VERDICTS = ['accept', 'drop', 'stolen'] as const;
export const TRACE_CT_STATES = ['new', 'established', 'related', 'invalid', 'untracked'] as const;
/** At most this many packets in one trace goal (one flow). */
export const TRACE_GOAL_PACKETS = 8;

/**
 * What a rule goal can ask a rule to do. These are the model's own statement
 * kinds and NAT types (the `satisfies` ties them to src/model/stmt.ts), the
 * ones a lesson needs.
 */
export const RULE_STATEMENTS = ['notrack', 'synproxy', 'masquerade', 'snat', 'dnat', 'redirect', 'counter', 'log', 'limit', 'quota', 'reject', 'vmap', 'setupdate', 'queue', 'mangle'] as const satisfies readonly (StatementKind | NatType)[];
export type RuleStatement = (typeof RULE_STATEMENTS)[number];

/** Verdicts a rule goal can require as the rule's end (the model's VerdictName, plus reject). */
export const RULE_VERDICTS = ['accept', 'drop', 'reject', 'return', 'jump', 'goto', 'queue'] as const satisfies readonly (VerdictName | 'reject' | 'queue')[];
export type RuleVerdict = (typeof RULE_VERDICTS)[number];

export const CHAIN_POLICIES = ['accept', 'drop'] as const;
export const CONNTRACK_SIDES = ['before', 'after'] as const;
export const SEVERITIES = ['error', 'warning', 'info'] as const satisfies readonly Severity[];

/** A paragraph: the lesson's own words, or a knowledge entry resolved at run time (src/lessons/knowledge.ts). */
export type Paragraph = string | { explain: string };

/** Inclusive bounds; either may be left out. */
export interface Bounds {
  min?: number;
  max?: number;
}

/** Which chains a goal is about. Every given field must hold. */
export interface ChainWhere {
  /** the table's family: one, or any of several */
  family?: Family[];
  table?: string;
  name?: string;
  /** base chain (true) or regular chain (false) */
  base?: boolean;
  hook?: Hook;
  type?: ChainType;
  policy?: (typeof CHAIN_POLICIES)[number];
  /** the priority's value (names resolved for the family: raw = -300) */
  priority?: Bounds;
  /** where the chain runs relative to connection tracking (src/knowledge/packetPath.ts) */
  conntrack?: (typeof CONNTRACK_SIDES)[number];
}

/**
 * A match the rule must have: `field` as nft writes it (`tcp dport`, `meta l4proto`,
 * `iifname`, `ct state`), positively (`==` or no operator). Each of `values` must
 * be among what it matches (a value, a list, an anonymous or named set, a range);
 * without `values`, any match on the field counts.
 */
export interface MatchWant {
  field: string;
  values?: string[];
}

export interface ChainGoal {
  kind: 'chain';
  /** a name for the chain found, for later goals of this lesson (`{ "ref": … }`) */
  as?: string;
  where: ChainWhere;
}

export interface RuleGoal {
  kind: 'rule';
  as?: string;
  /** chains to look in: a description, or a chain or rule found by an earlier goal */
  chain?: ChainWhere | { ref: string };
  match?: MatchWant[];
  /** statements the rule must have (all of them) */
  statements?: RuleStatement[];
  /** how the rule ends */
  verdict?: RuleVerdict;
  /** the rule comes after the rule an earlier goal found, in the same chain */
  after?: string;
}

export interface SetWhere {
  family?: Family[];
  table?: string;
  name?: string;
  /** `set` or `map` */
  is?: 'set' | 'map';
  /** flags it must have (`interval`, `timeout`, …) */
  flags?: string[];
  /** a map's data type (`verdict`, `ipv4_addr`, …) */
  data?: string;
  /** at least this many elements */
  minElements?: number;
  /** a rule of its table refers to it (`@name`, a `vmap @name`) */
  used?: boolean;
}

export interface SetGoal {
  kind: 'set';
  as?: string;
  where: SetWhere;
}

/** Every synproxy of the design (statements and objects; at least one) has these. */
export interface SynproxyGoal {
  kind: 'synproxy';
  /** mss given and within these bounds (they must lie in src/knowledge/synproxyFacts.ts's range) */
  mss?: Bounds;
  wscale?: Bounds;
  timestamp?: boolean;
  sackPerm?: boolean;
}

/** The linter's findings: `expect: "none"` of them, or `"some"`. */
export interface LintGoal {
  kind: 'lint';
  expect: 'none' | 'some';
  /** only findings at least this severe (error > warning > info); default: any */
  severity?: (typeof SEVERITIES)[number];
  /** only these finding ids (the linter's catalogue, src/lint FINDINGS) */
  ids?: string[];
}

/**
 * Packets in nft's words (`iif "eth0" ip saddr 192.0.2.10 ip daddr 198.51.100.1
 * tcp dport 22 tcp flags syn`), one flow in order, traced through the design; the
 * last one must end as `verdict` (and with `ctState`). The host's own addresses
 * decide input or forward; tcp_loose is the kernel's default unless given.
 */
export interface TraceGoal {
  kind: 'trace';
  packets: string[];
  hostAddrs?: string[];
  /** net.netfilter.nf_conntrack_tcp_loose: 0 (what a synproxy host sets) or 1 */
  tcpLoose?: 0 | 1;
  verdict?: (typeof TRACE_VERDICTS)[number];
  ctState?: (typeof TRACE_CT_STATES)[number];
}

/** The app cannot check this: the learner says they understood. */
export interface ConfirmGoal {
  kind: 'confirm';
  /** the button's words (default "I understand") */
  label?: string;
}

export interface AllGoal {
  kind: 'all';
  of: Goal[];
}
export interface AnyGoal {
  kind: 'any';
  of: Goal[];
}

export type Goal = ChainGoal | RuleGoal | SetGoal | SynproxyGoal | LintGoal | TraceGoal | ConfirmGoal | AllGoal | AnyGoal;

export interface Step {
  id: string;
  title: string;
  /** what to do */
  task: Paragraph[];
  goal: Goal;
  /** shown once the goal is met: why it works */
  explain?: Paragraph[];
  /** shown while it is not met */
  hint?: Paragraph[];
}

export interface Lesson {
  format: typeof LESSON_FORMAT;
  version: typeof LESSON_VERSION;
  id: string;
  title: string;
  summary?: Paragraph[];
  author?: string;
  steps: Step[];
}
