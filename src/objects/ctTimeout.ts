/** `ct timeout NAME { protocol tcp; l3proto ip; policy = { established : 120, close : 10 } }` */
import { isArray } from '../json/jsonValue.ts';
import { fail, str, word } from '../json/readJson.ts';
import { CannotCarry, LOSS } from '../json/losses.ts';
import { durationMs, formatDurationMs } from '../knowledge/datatypes.ts';
import { lists11 } from '../knowledge/listing.ts';
import { Tok } from '../parse/lexer.ts';
import { defaultL3, type ObjectBody, type ObjModule } from './module.ts';

/** The order nft lists a policy's states in (the kernel's per-protocol timeout arrays). */
const TCP_TIMEOUT_ORDER = ['syn_sent', 'syn_recv', 'established', 'fin_wait', 'close_wait', 'last_ack', 'time_wait', 'close', 'syn_sent2', 'retrans', 'unack'];
const UDP_TIMEOUT_ORDER = ['unreplied', 'replied'];

/**
 * The kernel's default timeout of each state, in seconds (nf_conntrack_proto_tcp.c,
 * _udp.c; the same on Linux 6.1 and 6.18). nft lists only the states whose timeout
 * differs from it: `policy = { established : 120, close : 10 }` loads and lists as
 * `policy = { established : 120 }` (checked with 1.0.6 and 1.1.3). A policy of
 * defaults only nft lists as `policy = {  }`, which neither version reads back
 * ("syntax error, unexpected '}'"): the emitter leaves the line out (the same state).
 */
export const CT_TIMEOUT_DEFAULTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  tcp: { syn_sent: 120, syn_recv: 60, established: 432000, fin_wait: 120, close_wait: 60, last_ack: 30, time_wait: 120, close: 10, syn_sent2: 120, retrans: 300, unack: 300 },
  udp: { unreplied: 30, replied: 120 },
};

/** Why nft refuses the policy, or undefined: a state its protocol does not have (UDP's are unreplied and replied). Read by the linter. */
export function ctTimeoutProblem(protocol: string, policy: readonly { state: string }[]): string | undefined {
  const states = Object.hasOwn(CT_TIMEOUT_DEFAULTS, protocol) ? CT_TIMEOUT_DEFAULTS[protocol] : undefined;
  const bad = states ? policy.find((p) => !Object.hasOwn(states, p.state)) : undefined;
  return bad && states ? `${protocol} has no conntrack state "${bad.state}" to time out (it has ${Object.keys(states).join(', ')})` : undefined;
}

function isDefault(protocol: string, state: string, seconds: number): boolean {
  const d = Object.hasOwn(CT_TIMEOUT_DEFAULTS, protocol) ? CT_TIMEOUT_DEFAULTS[protocol] : undefined;
  return d !== undefined && Object.hasOwn(d, state) && d[state] === seconds;
}

export const ctTimeout: ObjModule<'ct timeout'> = {
  type: 'ct timeout',
  parse(c, ctx) {
    let protocol = '';
    let l3proto: string | undefined;
    const policy: { state: string; seconds: number }[] = [];
    while (!c.done()) {
      if (c.eat('protocol')) protocol = c.expectWord('a protocol');
      else if (c.eat('l3proto')) l3proto = c.expectWord('a layer 3 protocol');
      else if (c.eat('policy')) {
        c.expectKind(Tok.Eq, '"="');
        c.expectKind(Tok.LBrace, '"{"');
        while (c.k() !== Tok.RBrace) {
          const state = c.expectWord('a state');
          c.expectKind(Tok.Colon, '":"');
          const v = c.expectWord('a timeout');
          const ms = durationMs(v);
          if (ms === undefined) return c.fail(`invalid timeout ${v}`);
          policy.push({ state, seconds: Math.round(ms / 1000) });
          if (c.k() === Tok.Comma) c.next();
          else if (c.k() !== Tok.RBrace) c.fail('expected "," or "}"');
        }
        c.next();
      } else c.fail(`unexpected ${ctx.describe(c.p)} in ct timeout ${ctx.name}`);
      ctx.sep();
    }
    if (!protocol) c.fail(`ct timeout ${ctx.name} needs a protocol`);
    const o: ObjectBody<'ct timeout'> = { protocol, policy };
    if (l3proto) o.l3proto = l3proto;
    return o;
  },
  lines(o, family, target) {
    const order = o.protocol === 'udp' ? UDP_TIMEOUT_ORDER : TCP_TIMEOUT_ORDER;
    const pol = o.policy.filter((p) => !isDefault(o.protocol, p.state, p.seconds)).sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
    const lines = [`protocol ${o.protocol}`, `l3proto ${o.l3proto ?? defaultL3(family)}`];
    // nft 1.1 lists the timeouts with time units (`2m2s`), 1.0.6 in seconds
    if (pol.length) lines.push(`policy = { ${pol.map((p) => `${p.state} : ${lists11(target) ? formatDurationMs(p.seconds * 1000) : p.seconds}`).join(', ')} }`);
    return lines;
  },
  toJson(o, j, loss) {
    if (!loss.carries(LOSS.ctTimeout)) {
      throw new CannotCarry(LOSS.ctTimeout, `ct timeout ${o.name}: nft ${loss.target}'s JSON loses its l3proto and policy; the JSON leaves it out`);
    }
    j.protocol = o.protocol;
    if (o.l3proto !== undefined) j.l3proto = o.l3proto;
    j.policy = Object.fromEntries(o.policy.map((p) => [p.state, p.seconds]));
  },
  fromJson(o) {
    const pol = o.policy;
    const policy: { state: string; seconds: number }[] = [];
    if (pol !== undefined) {
      if (typeof pol !== 'object' || pol === null || isArray(pol)) fail('ct timeout policy must be an object');
      for (const [state, v] of Object.entries(pol)) {
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(`ct timeout policy ${state.slice(0, 20)} must be a number`);
        policy.push({ state: word(state, 'ct timeout state'), seconds: v });
      }
    }
    const t: ObjectBody<'ct timeout'> = { protocol: word(str(o, 'protocol') ?? fail('ct timeout needs a protocol'), 'protocol'), policy };
    const l3proto = str(o, 'l3proto');
    if (l3proto !== undefined) t.l3proto = word(l3proto, 'l3proto');
    return t;
  },
};
