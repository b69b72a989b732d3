/**
 * Rule statements. A rule is an ordered list of these. Each kind is defined by
 * its module in src/stmts/ (shape, text, JSON, checks, facts); this file only
 * gathers their model types. Anything the structured shapes do not cover is kept
 * verbatim in a `raw` statement, so importing never drops or rewrites what it
 * does not understand.
 */
import type { BoundRule, ChainBindingStmt } from '../stmts/binding.ts';
import type { ConnlimitStmt } from '../stmts/connlimit.ts';
import type { CounterStmt } from '../stmts/counter.ts';
import type { DupStmt } from '../stmts/dup.ts';
import type { FlowStmt } from '../stmts/flow.ts';
import type { FwdStmt } from '../stmts/fwd.ts';
import type { LastStmt } from '../stmts/last.ts';
import type { MeterStmt } from '../stmts/meter.ts';
import type { LimitStmt } from '../stmts/limit.ts';
import type { LogStmt } from '../stmts/log.ts';
import type { MangleStmt } from '../stmts/mangle.ts';
import type { MatchStmt } from '../stmts/match.ts';
import type { NatStmt } from '../stmts/nat.ts';
import type { NotrackStmt } from '../stmts/notrack.ts';
import type { ObjectRefStmt } from '../stmts/objref.ts';
import type { QueueStmt } from '../stmts/queue.ts';
import type { QuotaStmt } from '../stmts/quota.ts';
import type { RawStmt } from '../stmts/raw.ts';
import type { RejectStmt } from '../stmts/reject.ts';
import type { ResetStmt } from '../stmts/reset.ts';
import type { SetUpdateStmt } from '../stmts/setupdate.ts';
import type { SynproxyStmt } from '../stmts/synproxy.ts';
import type { TproxyStmt } from '../stmts/tproxy.ts';
import type { VerdictStmt } from '../stmts/verdict.ts';
import type { VmapStmt } from '../stmts/vmap.ts';

export type { CounterStmt, LimitStmt, LogStmt, MangleStmt, MatchStmt, NatStmt, NotrackStmt, ObjectRefStmt, QueueStmt, QuotaStmt, RawStmt, RejectStmt, SetUpdateStmt, SynproxyStmt, VerdictStmt, VmapStmt };
export type { BoundRule, ChainBindingStmt, ConnlimitStmt, DupStmt, FlowStmt, FwdStmt, LastStmt, MeterStmt, ResetStmt, TproxyStmt };
export type { ByteUnit, MatchOp, ObjectRefType, RateUnit, TimeUnit, VerdictName } from '../knowledge/vocabulary.ts';
export type { NatType } from '../stmts/nat.ts';

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
  | ChainBindingStmt
  | ConnlimitStmt
  | LastStmt
  | MeterStmt
  | TproxyStmt
  | DupStmt
  | FwdStmt
  | FlowStmt
  | ResetStmt
  | RawStmt;

export type StatementKind = Statement['kind'];
