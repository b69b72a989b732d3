/**
 * Expressions: the operands of matches and statements. The shapes mirror
 * libnftables JSON expressions closely so that toJson/fromJson are direct maps,
 * while values keep the user's spelling (`ssh`, `0x10`) in `text`; the emitter
 * prints them in nft's canonical listing form.
 */
import type { Statement } from './stmt.ts';

/** `ip saddr`, `tcp dport`, `th dport`, `ether saddr`, `icmp type`, `vlan id` … */
export interface PayloadExpr {
  kind: 'payload';
  protocol: string;
  field: string;
  /** the header inside a tunnel: `vxlan ip saddr` (knowledge/exthdr.ts TUNNELS; nft 1.0.7 and later) */
  tunnel?: string;
}

/** `meta l4proto`, `iifname` (printed without `meta` for the unqualified keys). */
export interface MetaExpr {
  kind: 'meta';
  key: string;
}

/** `ct state`, `ct mark`, `ct original ip saddr` (dir, family optional). */
export interface CtExpr {
  kind: 'ct';
  key: string;
  dir?: 'original' | 'reply';
  family?: 'ip' | 'ip6';
}

/** `fib saddr . iif oif`, `fib daddr type`. */
export interface FibExpr {
  kind: 'fib';
  flags: string[];
  result: string;
}

/** `a . b . c` */
export interface ConcatExpr {
  kind: 'concat';
  items: Expr[];
}

/** `tcp flags & (syn | ack)`, `meta mark & 0xff`, `ct mark | 0x1`. */
export interface BinopExpr {
  kind: 'binop';
  op: '&' | '|' | '^' | '<<' | '>>';
  left: Expr;
  right: Expr;
}

/** A literal as written: `22`, `ssh`, `10.0.0.1`, `"eth0"`, `established`, `30s`. */
export interface ValueExpr {
  kind: 'value';
  text: string;
}

/** Comma list of flag values: `established,related`, `syn,ack`. */
export interface ListExpr {
  kind: 'list';
  items: Expr[];
}

export interface RangeExpr {
  kind: 'range';
  from: Expr;
  to: Expr;
}

export interface PrefixExpr {
  kind: 'prefix';
  addr: Expr;
  len: number;
}

/** One element of an anonymous or named set / map. */
export interface SetElement {
  key: Expr;
  /** map data (value, verdict or object name) */
  value?: Expr;
  timeout?: string;
  expires?: string;
  comment?: string;
  /**
   * statements on the element (`counter packets P bytes B`, `limit rate 1/second`,
   * `quota 500 bytes used 10 bytes`, `ct count over 2`, `last used 1s`): the stateful
   * kinds of stmts/elementStmts.ts, listed after the key
   */
  stmts?: Statement[];
}

/** Anonymous set `{ a, b : c }`. */
export interface SetExpr {
  kind: 'set';
  elements: SetElement[];
}

/** `@name` */
export interface SetRefExpr {
  kind: 'setref';
  name: string;
}

/** `$name` */
export interface VarExpr {
  kind: 'var';
  name: string;
}

/** `KEY map { … }` or `KEY map @m`: a map lookup producing a value. */
export interface MapExpr {
  kind: 'map';
  key: Expr;
  data: SetExpr | SetRefExpr | VarExpr;
}

/** A verdict used as a value (vmap data): `accept`, `jump other`. */
export interface VerdictExpr {
  kind: 'verdict';
  verdict: 'accept' | 'drop' | 'continue' | 'return' | 'jump' | 'goto' | 'queue';
  target?: string;
}

/** `numgen inc mod 2 [offset N]` */
export interface NumgenExpr {
  kind: 'numgen';
  mode: 'inc' | 'random';
  mod: number;
  offset?: number;
}

/** `jhash EXPR mod N [seed S] [offset O]`, `symhash mod N [offset O]` */
export interface HashExpr {
  kind: 'hash';
  hash: 'jhash' | 'symhash';
  expr?: Expr;
  mod: number;
  seed?: string;
  offset?: number;
}

/** `rt nexthop`, `rt mtu`, `rt classid`, `rt ip nexthop` */
export interface RtExpr {
  kind: 'rt';
  key: string;
  family?: 'ip' | 'ip6';
}

/** `socket transparent`, `socket mark` */
export interface SocketExpr {
  kind: 'socket';
  key: string;
}

/**
 * A header found by walking the packet (knowledge/exthdr.ts): an IPv6
 * extension header (`frag id`, `srh sid[1]`, `exthdr hbh`), a TCP option (`tcp
 * option maxseg size`, `tcp option 255`, `tcp option @255,8,8`), an IPv4 option
 * (`ip option ra value`) or an SCTP chunk (`sctp chunk init flags`). Without a
 * field it tests the header's existence (compared with exists / missing).
 */
export interface ExthdrExpr {
  kind: 'exthdr';
  space: 'ip6' | 'tcp' | 'ip' | 'sctp';
  /** the header's name, or a TCP option kind number without a name (`255`) */
  name: string;
  field?: string;
  /** `srh sid[N]` */
  index?: number;
  /** `tcp option @KIND,OFFSET,LENGTH`: bits at an offset into an option (offset and length in bits) */
  raw?: { offset: number; len: number };
}

/** `@ll,0,8`, `@nh,8,16`, `@th,16,16`, `@ih,32,32`: bits at an offset from a header (offset and length in bits). */
export interface RawPayloadExpr {
  kind: 'rawpayload';
  base: 'll' | 'nh' | 'th' | 'ih';
  offset: number;
  len: number;
}

/** `ipsec in reqid`, `ipsec out spnum 1 ip daddr`, `ipsec in ip6 saddr`. */
export interface IpsecExpr {
  kind: 'ipsec';
  dir: 'in' | 'out';
  /** the policy's index (nft lists 0 as nothing) */
  spnum?: number;
  /** for saddr / daddr */
  family?: 'ip' | 'ip6';
  key: string;
}

/** `osf name`, `osf ttl skip version`. */
export interface OsfExpr {
  kind: 'osf';
  key: 'name' | 'version';
  ttl?: 'loose' | 'skip';
}

/**
 * The catch-all element of a set or map, `*` (`elements = { 1.1.1.1, * }`,
 * `* : drop`): it matches every key no other element matches. Only an element
 * key, never inside a concatenation; nft lists it last. JSON: `"*"`.
 */
export interface CatchAllExpr {
  kind: 'catchall';
}

/** Forms we keep as text (what JSON brings that the model does not structure). */
export interface RawExpr {
  kind: 'rawexpr';
  text: string;
}

export type Expr =
  | PayloadExpr
  | MetaExpr
  | CtExpr
  | FibExpr
  | ConcatExpr
  | BinopExpr
  | ValueExpr
  | ListExpr
  | RangeExpr
  | PrefixExpr
  | SetExpr
  | SetRefExpr
  | VarExpr
  | MapExpr
  | VerdictExpr
  | NumgenExpr
  | HashExpr
  | RtExpr
  | SocketExpr
  | ExthdrExpr
  | RawPayloadExpr
  | IpsecExpr
  | OsfExpr
  | CatchAllExpr
  | RawExpr;

export const value = (text: string): ValueExpr => ({ kind: 'value', text });
export const payload = (protocol: string, field: string): PayloadExpr => ({ kind: 'payload', protocol, field });
export const meta = (key: string): MetaExpr => ({ kind: 'meta', key });
export const ct = (key: string): CtExpr => ({ kind: 'ct', key });
