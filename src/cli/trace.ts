/**
 * `nft-designer trace FILE --packet SPEC [--packet SPEC …]`: follow packets through
 * the design (src/trace/). Several --packet flags are one flow, in order.
 */
import { parse, blockingErrors } from '../parse/index.ts';
import { LISTING_TARGETS, isListingTarget, listingTargetFor, type ListingTarget } from '../knowledge/listing.ts';
import { trace, TraceError, type PacketResult, type TraceResult } from '../trace/evaluate.ts';
import { PacketSpecError } from '../trace/packet.ts';
import { interfaceOf, RoutingError } from '../trace/routing.ts';
import { lint } from '../lint/index.ts';
import { eventLine } from '../trace/events.ts';
import { SCENARIOS, isScenario, scenario } from '../trace/scenarios.ts';
import { type CliIo, UsageError, readInput } from './io.ts';

export const TRACE_USAGE = `  trace FILE|- --packet SPEC [--packet SPEC …]
                      follow packets through the design, as the kernel would; the
                      events read like nft monitor trace. SPEC is a packet in nft's
                      words: 'iif "eth0" ip saddr 203.0.113.9 tcp dport 8888 tcp flags syn'
                      (with iif: arrives; oif only: sent by the host; both: forwarded).
                      Several --packet flags are one flow: conntrack carries over.
      --scenario NAME[:PORT]          a built-in flow instead of --packet: ${Object.keys(SCENARIOS).join(', ')}
      --host-addr ADDR                an address of the host (repeatable): packets to
                                      one go to input, others are forwarded
      --iface NAME=ADDR/LEN[,ADDR/LEN]
                                      an interface of the host and its addresses
                                      (repeatable), e.g. eth1=198.18.1.1/24: its
                                      addresses are the host's, its prefixes are
                                      routes out of it (oif; masquerade's address)
      --route PREFIX=DEV              a route, e.g. 0.0.0.0/0=eth0 (repeatable)
      --times T1,T2,…                 when each packet arrives, in seconds: limits then
                                      run the kernel's token bucket (not an assumption)
      --sysctl NAME=VALUE             e.g. net.netfilter.nf_conntrack_tcp_loose=0
      --assume KEY=yes|no             answer an assumption (limit, quota, ct-count, socket)
      --target-version 1.0.6|1.1.3    the listing form of the rules in the events
      --json                          {"packets":[{"packet","verdict","ctState",
                                      "assumptions","events":[…]}]}
`;

const VALUED = ['packet', 'scenario', 'host-addr', 'iface', 'route', 'times', 'sysctl', 'assume', 'target-version'];

function traceArgs(argv: string[]): { positional: string[]; multi: Map<string, string[]>; json: boolean } {
  const positional: string[] = [];
  const multi = new Map<string, string[]>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a.length <= 2) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (name === 'json' && eq < 0) {
      json = true;
      continue;
    }
    if (!VALUED.includes(name)) throw new UsageError(`trace: unknown option --${name}`);
    let v: string | undefined = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new UsageError(`--${name} needs a value`);
    if (name === 'sysctl' || name === 'assume') v = v.trim();
    multi.set(name, [...(multi.get(name) ?? []), v]);
  }
  return { positional, multi, json };
}

function pairs(list: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} ${p}: expected NAME=VALUE`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** `0,0,0.5`: seconds, one per packet (the evaluator checks their count and order). */
export function timesOf(text: string | undefined): number[] | undefined {
  if (text === undefined || !text.trim()) return undefined;
  return text.split(/[\s,]+/).filter(Boolean).map((t) => {
    const n = Number(t.replace(/s$/, ''));
    if (!Number.isFinite(n)) throw new UsageError(`--times: "${t}" is not a number of seconds`);
    return n;
  });
}

export function cmdTrace(argv: string[], io: CliIo): number {
  const args = traceArgs(argv);
  const specs = [...(args.multi.get('packet') ?? [])];
  const hostAddrs = [...(args.multi.get('host-addr') ?? [])];
  for (const sc of args.multi.get('scenario') ?? []) {
    const [nm, portText] = sc.split(':');
    if (!isScenario(nm)) throw new UsageError(`--scenario: "${nm}" is not one of ${Object.keys(SCENARIOS).join(', ')}`);
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new UsageError(`--scenario ${sc}: the port must be 1-65535`);
    const s = scenario(nm, port === undefined ? {} : { port });
    specs.push(...s.packets);
    if (!args.multi.has('host-addr')) hostAddrs.push(...s.hostAddrs.filter((a) => !hostAddrs.includes(a)));
  }
  if (specs.length === 0) throw new UsageError('trace needs at least one --packet SPEC (or a --scenario)');
  const tv = args.multi.get('target-version')?.at(-1);
  if (tv !== undefined && !isListingTarget(tv)) throw new UsageError(`--target-version: the listing form is known for ${LISTING_TARGETS.join(' and ')}`);
  const { name, text } = readInput(io, args.positional[0]);
  const r = parse(text, { file: name });
  const errors = blockingErrors(r.diagnostics);
  for (const d of errors) io.stderr(`${d.range ? `${name}:${d.range.startLine}:${d.range.startCol}` : name}: error: ${d.message}\n`);
  if (errors.length) return 1;
  // a design nft would refuse (a rule names a set, map, chain or object that does not exist) has no trace:
  // the kernel would never run it, and the trace would only say "no match"
  const refs = lint(r.ruleset, { source: { text, spans: r.spans, lines: r.lines } }).filter((d) => d.severity === 'error' && d.id.startsWith('ref/'));
  for (const d of refs) io.stderr(`${d.range ? `${name}:${d.range.startLine}:${d.range.startCol}` : name}: error: ${d.message} (nft refuses the design) [${d.id}]\n`);
  if (refs.length) return 1;
  const target: ListingTarget = (tv as ListingTarget | undefined) ?? listingTargetFor(r.ruleset.target);
  let result: TraceResult;
  try {
    result = trace(r.ruleset, specs, {
      hostAddrs,
      interfaces: (args.multi.get('iface') ?? []).map((v) => {
        try {
          return interfaceOf(v);
        } catch (e) {
          throw e instanceof RoutingError ? new UsageError(`--iface ${e.message}`) : e;
        }
      }),
      routes: Object.entries(pairs(args.multi.get('route') ?? [], 'route')).map(([to, dev]) => ({ to, dev })),
      times: timesOf(args.multi.get('times')?.at(-1)),
      sysctls: pairs(args.multi.get('sysctl') ?? [], 'sysctl'),
      assume: pairs(args.multi.get('assume') ?? [], 'assume'),
      target,
    });
  } catch (e) {
    if (e instanceof PacketSpecError) {
      const i = specs.findIndex((s) => {
        try {
          trace(r.ruleset, [s]);
          return false;
        } catch {
          return true;
        }
      });
      io.stderr(`--packet ${i + 1}:${e.column}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TraceError) {
      io.stderr(`${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (args.json) {
    const shown = ({ ruleIds: _ids, generated, ...p }: PacketResult): object => (generated ? { ...p, generated: generated.map(shown) } : p);
    io.stdout(`${JSON.stringify({ packets: result.packets.map(shown), warnings: result.warnings }, null, 2)}\n`);
    return 0;
  }
  let out = '';
  for (const w of result.warnings) out += `warning: ${w}\n`;
  const packet = (p: PacketResult, title: string, indent: string): void => {
    out += `${indent}${title}: ${p.packet}\n`;
    for (const e of p.events) out += `${indent}  ${eventLine(e)}\n`;
    out += `${indent}  => ${p.verdict} (ct state ${p.ctState}; ${p.path.join(' → ')})\n`;
    for (const n of p.notes) out += `${indent}  note: ${n}\n`;
    for (const a of p.assumptions) out += `${indent}  assumed: ${a}\n`;
    if (p.defaults.length && !indent) out += `${indent}  defaults: ${p.defaults.join('; ')}\n`;
    // what the kernel sends because of it (synproxy's handshake with the server)
    (p.generated ?? []).forEach((g, j) => packet(g, `sent by the kernel ${j + 1}`, `${indent}  `));
  };
  result.packets.forEach((p, i) => packet(p, `packet ${i + 1}`, ''));
  io.stdout(out);
  return 0;
}
