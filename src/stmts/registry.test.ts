/**
 * The statement registry: one module per kind, and every layer reads it. Each
 * kind's examples are read, printed, written to JSON and read back through the
 * registry only; the facts and the validators' dispatch are checked per kind.
 */
import { describe, expect, it } from 'vitest';
import type { Statement, StatementKind } from '../model/stmt.ts';
import { validateRuleset } from '../model/validate.ts';
import { emitProblems } from '../emit/validate.ts';
import { parseStatements } from '../json/snippets.ts';
import { Variables } from '../json/variables.ts';
import {
  alwaysPasses,
  endVerdict,
  isTerminal,
  printStatement,
  statementFromJson,
  statementJson,
  statementModules,
  statementWords,
  stmtModule,
} from './registry.ts';

/** Text in nft's listing form (inet table) for every kind but raw, which no text makes on purpose. */
const EXAMPLES: Record<Exclude<StatementKind, 'raw'>, string[]> = {
  match: ['tcp dport 22', 'ip saddr != 10.0.0.0/8', 'tcp flags syn / fin,syn,rst,ack', 'ct state { established, related }', 'meta mark & 0x000000ff == 0x00000001'],
  verdict: ['accept', 'drop', 'continue', 'return', 'jump other', 'goto other'],
  queue: ['queue to 0', 'queue flags bypass to 3', 'queue flags bypass,fanout to 1-3', 'queue to symhash mod 2', 'queue flags bypass to jhash ip saddr . tcp dport mod 4'],
  reject: ['reject', 'reject with icmpx admin-prohibited', 'meta l4proto tcp reject with tcp reset'],
  objref: ['counter name "c"', 'quota name "q"', 'limit name "l"', 'synproxy name "sp"', 'synproxy name ip saddr map { 10.0.0.0/8 : "a", 192.168.0.0/16 : "b" }'],
  counter: ['counter packets 0 bytes 0', 'counter packets 12 bytes 3400'],
  log: ['log', 'log prefix "in: " level info', 'log group 2 snaplen 64', 'log flags all'],
  limit: ['limit rate 10/second', 'limit rate over 1 mbytes/second burst 64 kbytes', 'limit rate 400/minute burst 20 packets'],
  quota: ['quota 25 mbytes', 'quota over 1 kbytes used 512 bytes'],
  notrack: ['notrack'],
  synproxy: ['synproxy mss 1460 wscale 7 timestamp sack-perm', 'synproxy'],
  nat: ['snat ip to 192.0.2.1', 'dnat ip to 198.51.100.7:8080', 'masquerade random', 'redirect to :3128'],
  mangle: ['meta mark set 0x00000001', 'ct mark set meta mark', 'ip dscp set cs1'],
  setupdate: ['add @seen { ip saddr }', 'update @seen { ip saddr timeout 30s }'],
  vmap: ['tcp dport vmap { 22 : accept, 80 : drop }', 'ip saddr vmap @allow'],
  connlimit: ['ct count 2', 'ct count over 3'],
  last: ['last used never', 'last used 5m24ms'],
  tproxy: ['meta l4proto tcp tproxy ip to 192.0.2.1:50080', 'meta l4proto udp tproxy ip6 to [2001:db8::1]', 'meta l4proto tcp tproxy to :50080'],
  dup: ['dup to 192.168.2.1 device "lo"', 'dup to ip saddr map { 192.168.2.120 : 192.168.2.1 } device "lo"'],
  fwd: ['fwd to "lo"', 'fwd ip to 192.168.2.200 device "lo"', 'fwd to meta mark map { 0x00000001 : "lo", 0x00000002 : "lo" }'],
  flow: ['flow add @ft'],
  reset: ['reset tcp option maxseg', 'reset tcp option mptcp', 'reset tcp option 123'],
  meter: ['meter m size 128 { ip saddr limit rate 10/second }', 'meter acct_out size 4096 { iif . ip6 saddr timeout 10m counter }'],
  binding: [],
};

function one(text: string): Statement {
  const stmts = parseStatements(text);
  expect(stmts, text).toBeDefined();
  // the dependency `meta l4proto tcp` before a reset is a match of its own
  return stmts![stmts!.length - 1];
}

describe('the statement registry', () => {
  it('has one module per kind, under its own kind', () => {
    const table = statementModules();
    for (const [kind, m] of Object.entries(table)) expect(m.kind).toBe(kind);
    expect(Object.keys(table).sort()).toEqual([...Object.keys(EXAMPLES), 'raw'].sort());
  });

  it('gives every first word to one module only', () => {
    const seen = new Map<string, string>();
    for (const m of Object.values(statementModules())) {
      for (const w of m.words) {
        expect(seen.get(w), `"${w}" is claimed by ${seen.get(w)} and ${m.kind}`).toBeUndefined();
        seen.set(w, m.kind);
      }
    }
    expect(statementWords()).toEqual(expect.arrayContaining(['accept', 'synproxy', 'notrack', 'snat', 'queue', 'log']));
  });

  for (const [kind, texts] of Object.entries(EXAMPLES).filter(([, t]) => t.length > 0)) {
    it.each(texts)(`${kind}: %s is read by its module, printed as it was, and goes to JSON and back`, (text) => {
      const s = one(text);
      expect(s.kind).toBe(kind);
      const ctx = { family: 'inet' as const, target: '1.0.6' as const, rule: [s], index: 0 };
      const printed = printStatement(s, ctx);
      expect(text.endsWith(printed)).toBe(true);
      if (kind === 'objref' && !text.includes('map')) {
        expect(statementFromJson(statementJson(s, { ...ctx, vars: new Variables([]) }), 'inet')).toEqual(s);
        return;
      }
      const back = statementFromJson(statementJson(s, { ...ctx, vars: new Variables([]) }), 'inet');
      expect(back.kind).toBe(kind);
      expect(printStatement(back, { ...ctx, rule: [back] })).toBe(printed);
    });
  }

  it('reads a map update as a set update with data, and raw text cannot go to JSON', () => {
    const update = statementFromJson({ map: { op: 'add', map: '@m', elem: { payload: { protocol: 'ip', field: 'saddr' } }, data: 1 } }, 'ip');
    expect(update).toEqual({ kind: 'setupdate', op: 'add', set: 'm', key: { kind: 'payload', protocol: 'ip', field: 'saddr' }, data: { kind: 'value', text: '1' } });
    const raw: Statement = { kind: 'raw', text: 'add @m { ip saddr : 1 }' };
    expect(() => statementJson(raw, { family: 'ip', rule: [raw], index: 0, vars: new Variables([]) })).toThrow(/kept as text/);
  });

  it('answers the facts the linter and the trace need from each module', () => {
    const facts = (t: string) => {
      const s = one(t);
      return [isTerminal(s), endVerdict(s), alwaysPasses(s)];
    };
    expect(facts('accept')).toEqual([true, 'accept', false]);
    expect(facts('continue')).toEqual([false, undefined, false]);
    expect(facts('jump other')).toEqual([true, undefined, false]);
    expect(facts('goto other')).toEqual([true, 'goto other', false]);
    expect(facts('reject')).toEqual([true, 'reject', false]);
    expect(facts('dnat ip to 198.51.100.7')).toEqual([true, 'dnat', false]);
    expect(facts('dnat ip to ip saddr map { 10.0.0.1 : 192.0.2.1 }')).toEqual([true, undefined, false]);
    expect(facts('counter packets 0 bytes 0')).toEqual([false, undefined, true]);
    expect(facts('counter name "c"')).toEqual([false, undefined, true]);
    expect(facts('synproxy name "sp"')).toEqual([false, undefined, false]);
    expect(facts('notrack')).toEqual([false, undefined, true]);
    expect(facts('tcp dport vmap { 22 : accept }')).toEqual([false, undefined, false]);
    expect(facts('limit rate 10/second')).toEqual([false, undefined, false]);
    expect(stmtModule('raw').terminal({ kind: 'raw', text: 'accept' })).toBe(false);
  });

  const withStmt = (stmt: unknown) => ({
    schemaVersion: 1,
    tables: [{ id: 't1', family: 'inet', name: 't', flags: [], chains: [{ id: 'c1', name: 'c', rules: [{ id: 'r1', stmts: [stmt] }] }], sets: [], objects: [], flowtables: [] }],
    defines: [],
  });

  it('refuses an unknown kind and a module field of the wrong type in untrusted data, naming the path', () => {
    const unknown = validateRuleset(withStmt({ kind: 'teleport' }));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors.join('\n')).toMatch(/stmts\[0\]\.kind.*unknown statement kind/);
    const bad = validateRuleset(withStmt({ kind: 'queue', flags: 'bypass' }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/stmts\[0\]\.flags/);
  });

  it("lets each module refuse text that would break the script (the emitter's check)", () => {
    const v = validateRuleset(withStmt({ kind: 'queue', flags: ['bypass; flush ruleset'] }));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(emitProblems(v.ruleset).map((p) => p.message)).toEqual([expect.stringMatching(/is not a queue flag/)]);
    const nat = validateRuleset(withStmt({ kind: 'nat', type: 'snat', flags: ['random\n}'] }));
    if (nat.ok) expect(emitProblems(nat.ruleset).map((p) => p.message)).toEqual([expect.stringMatching(/is not a nat flag/)]);
  });
});
