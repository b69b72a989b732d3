/**
 * A finding's example packet, traced: the fields a rule matches, completed for
 * the hook its chain runs on (a packet from the network to the host on input and
 * prerouting, through it on forward, from it on output and postrouting) with
 * documentation addresses, and walked through the whole design by the packet
 * trace (src/trace/). Used by the checks that say what a packet meets, so that a
 * finding carries the packet that shows it ("Trace it" in the app).
 */
import type { TraceExample } from '../../model/diagnostic.ts';
import type { Hook } from '../../knowledge/vocabulary.ts';
import type { Ruleset } from '../../model/types.ts';
import { trace, TCP_LOOSE, type PacketResult } from '../../trace/evaluate.ts';

/** The hooks a packet description can start from, and the defaults of each. */
const PATH: Partial<Record<Hook, 'in' | 'through' | 'out'>> = { prerouting: 'in', input: 'in', forward: 'through', output: 'out', postrouting: 'out' };

export interface Traced {
  example: TraceExample;
  result: PacketResult;
}

/**
 * FIELDS (selector text → value text, e.g. `tcp dport` → `443`) as a packet on
 * HOOK of an `ip`, `ip6` or `inet` table, traced with tcp_loose 0. undefined when
 * the hook or family has no such packet, or the trace refuses the description.
 */
export function tracedExample(rs: Ruleset, family: string, hook: Hook | undefined, fields: ReadonlyMap<string, string>, tcpFlags?: string): Traced | undefined {
  const path = hook && PATH[hook];
  if (!path || (family !== 'ip' && family !== 'ip6' && family !== 'inet')) return undefined;
  const v6 = family === 'ip6' || [...fields.keys()].some((k) => k.startsWith('ip6 '));
  const l3 = v6 ? 'ip6' : 'ip';
  const local = v6 ? '2001:db8::1' : '198.51.100.1';
  const remote = v6 ? '2001:db8:ffff::10' : '203.0.113.10';
  const server = v6 ? '2001:db8::80' : '198.51.100.80';
  const all = new Map<string, string>();
  if (path !== 'out') all.set('iif', '"eth0"');
  if (path !== 'in') all.set('oif', path === 'out' ? '"eth0"' : '"eth1"');
  all.set(`${l3} saddr`, path === 'out' ? local : remote);
  all.set(`${l3} daddr`, path === 'in' ? local : path === 'out' ? remote : server);
  const tcp = [...fields.keys()].some((k) => k.startsWith('tcp '));
  if (tcp) all.set('tcp sport', '40000');
  for (const [k, v] of fields) all.set(k, v);
  if (all.has('iifname')) all.delete('iif');
  if (all.has('oifname')) all.delete('oif');
  if (tcpFlags && !all.has('tcp flags')) all.set('tcp flags', tcpFlags);
  const spec = [...all].map(([k, v]) => `${k} ${v}`).join(' ');
  const example: TraceExample = { packets: [spec], hostAddrs: [local], sysctls: { [TCP_LOOSE]: '0' } };
  try {
    return { example, result: trace(rs, example.packets, { hostAddrs: example.hostAddrs, sysctls: example.sysctls }).packets[0] };
  } catch {
    return undefined;
  }
}
