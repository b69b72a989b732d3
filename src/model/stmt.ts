/**
 * Rule statements. A rule is an ordered list of these. Anything the structured
 * shapes do not cover is kept verbatim in a `raw` statement, so importing never
 * drops or rewrites what it does not understand.
 */
import type { Expr, MapExpr, SetExpr, SetRefExpr, VarExpr } from './expr.ts';

export type MatchOp = 'implicit' | '==' | '!=' | '<' | '>' | '<=' | '>=';

/** `LEFT [op] RIGHT`; `implicit` is nft's operator-less form (`tcp dport 22`, `tcp flags syn`). */
export interface MatchStmt {
  kind: 'match';
  left: Expr;
  op: MatchOp;
  right: Expr;
}

export type VerdictName = 'accept' | 'drop' | 'continue' | 'return' | 'jump' | 'goto';

export interface VerdictStmt {
  kind: 'verdict';
  verdict: VerdictName;
  /** chain name for jump / goto */
  target?: string;
}

export interface QueueStmt {
  kind: 'queue';
  /** `num 1`, `num 1-3` */
  num?: string;
  /** `bypass`, `fanout` */
  flags?: string[];
}

export interface RejectStmt {
  kind: 'reject';
  /** `with icmp host-unreachable`, `with tcp reset`, `with icmpx admin-prohibited` */
  with?: { type: 'icmp' | 'icmpv6' | 'icmpx' | 'tcp reset'; code?: string };
}

export interface CounterStmt {
  kind: 'counter';
  packets?: number;
  bytes?: number;
}

export interface LogStmt {
  kind: 'log';
  prefix?: string;
  level?: string;
  group?: number;
  snaplen?: number;
  queueThreshold?: number;
  flags?: string[];
}

export type RateUnit = 'packets' | 'bytes' | 'kbytes' | 'mbytes';
export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week';

export interface LimitStmt {
  kind: 'limit';
  over?: boolean;
  rate: number;
  unit: RateUnit;
  per: TimeUnit;
  burst?: number;
  burstUnit?: RateUnit;
}

export type ByteUnit = 'bytes' | 'kbytes' | 'mbytes' | 'gbytes';

export interface QuotaStmt {
  kind: 'quota';
  over?: boolean;
  amount: number;
  unit: ByteUnit;
  used?: number;
  usedUnit?: ByteUnit;
}

export interface NotrackStmt {
  kind: 'notrack';
}

/** Anonymous `synproxy [mss N] [wscale N] [timestamp] [sack-perm]` (nft ≥ 0.9.2). */
export interface SynproxyStmt {
  kind: 'synproxy';
  mss?: number;
  wscale?: number;
  timestamp?: boolean;
  sackPerm?: boolean;
}

export type ObjectRefType = 'counter' | 'quota' | 'limit' | 'synproxy';

/**
 * `counter name "c"`, `synproxy name "x"` (nft ≥ 0.9.3), or chosen per packet by
 * a map: `synproxy name ip saddr map { 10.0.0.0/8 : "a" }` / `… map @m`.
 */
export interface ObjectRefStmt {
  kind: 'objref';
  type: ObjectRefType;
  name?: string;
  map?: MapExpr;
}

export type NatType = 'snat' | 'dnat' | 'masquerade' | 'redirect';

export interface NatStmt {
  kind: 'nat';
  type: NatType;
  /** `snat ip to …` in inet tables */
  family?: 'ip' | 'ip6';
  addr?: Expr;
  port?: Expr;
  /** random, fully-random, persistent, netmap */
  flags?: string[];
}

/** `meta mark set 1`, `ct mark set meta mark`, `ct helper set "ftp"`, `ip dscp set cs1`. */
export interface MangleStmt {
  kind: 'mangle';
  key: Expr;
  value: Expr;
}

/** `add @s { ip saddr timeout 30s }`, `update @s { … }`, `delete @s { … }`. */
export interface SetUpdateStmt {
  kind: 'setupdate';
  op: 'add' | 'update' | 'delete';
  set: string;
  key: Expr;
  timeout?: string;
  /** statements attached to the element, e.g. `limit rate over 10/second`, kept as text */
  stmtsText?: string;
}

/** `KEY vmap { 22 : accept }` / `KEY vmap @m` */
export interface VmapStmt {
  kind: 'vmap';
  key: Expr;
  data: SetExpr | SetRefExpr | VarExpr;
}

/** Text the structured model does not cover, emitted verbatim (whitespace folded). */
export interface RawStmt {
  kind: 'raw';
  text: string;
}

export type Statement =
  | MatchStmt
  | VerdictStmt
  | QueueStmt
  | RejectStmt
  | CounterStmt
  | LogStmt
  | LimitStmt
  | QuotaStmt
  | NotrackStmt
  | SynproxyStmt
  | ObjectRefStmt
  | NatStmt
  | MangleStmt
  | SetUpdateStmt
  | VmapStmt
  | RawStmt;

export type StatementKind = Statement['kind'];
