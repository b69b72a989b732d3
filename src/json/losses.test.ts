import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { toJson } from './toJson.ts';
import { LOSS, type LossKind } from './losses.ts';
import { jsonItems, parsed, ruleExprs } from './testUtil.ts';

/** The losses toJson reports for `text`, as [what, node kind] pairs, and the items it wrote. */
function lossesOf(text: string, targetVersion?: string) {
  const { items, result } = jsonItems(text, targetVersion);
  return { items, losses: result.losses, whats: result.losses.map((l) => l.what) };
}

function kinds(items: unknown[]): string[] {
  return items.map((o) => Object.keys(o as object)[0]);
}

/** A loss of `kind` is reported once, on the node with id prefix `idKind`, with its `since`. */
function expectLoss(text: string, kind: LossKind, idKind: string) {
  const { items, losses } = lossesOf(text, '1.0.6');
  expect(losses.map((l) => l.what)).toEqual([kind.what]);
  expect(losses[0].nodeId.startsWith(`${idKind}_`)).toBe(true);
  expect(losses[0].since).toBe(kind.since);
  if (kind.since) expect(losses[0].message).toContain(`nft ${kind.since} and later`);
  return { items, loss: losses[0] };
}

describe('losses: what nft 1.0.6’s JSON cannot carry', () => {
  it('table comment (read since 1.0.8)', () => {
    const text = 'table ip t {\n\tcomment "mine"\n}\n';
    const { items } = expectLoss(text, LOSS.tableComment, 't');
    expect(items).toEqual([{ table: { family: 'ip', name: 't' } }]);
    const newer = lossesOf(text, '1.0.8');
    expect(newer.losses).toEqual([]);
    expect(newer.items).toEqual([{ table: { family: 'ip', name: 't', comment: 'mine' } }]);
  });

  it('table flags (1.1.0)', () => {
    const text = 'table ip t {\n\tflags dormant\n}\n';
    expect(expectLoss(text, LOSS.tableFlags, 't').items).toEqual([{ table: { family: 'ip', name: 't' } }]);
    expect(lossesOf(text, '1.1.0').items).toEqual([{ table: { family: 'ip', name: 't', flags: ['dormant'] } }]);
  });

  it('chain comment (read since 1.0.8)', () => {
    const text = 'table ip t {\n\tchain c {\n\t\tcomment "x"\n\t}\n}\n';
    expect(expectLoss(text, LOSS.chainComment, 'c').items[1]).toEqual({ chain: { family: 'ip', table: 't', name: 'c' } });
    expect(lossesOf(text, '1.0.8').items[1]).toEqual({ chain: { family: 'ip', table: 't', name: 'c', comment: 'x' } });
  });

  it('several devices on a chain (1.1.0): the chain and its rules are left out', () => {
    const text = 'table netdev t {\n\tchain c {\n\t\ttype filter hook ingress devices = { eth0, eth1 } priority 0;\n\t\tdrop\n\t}\n}\n';
    expect(kinds(expectLoss(text, LOSS.chainDevices, 'c').items)).toEqual(['table']);
    const newer = lossesOf(text, '1.1.0');
    expect(newer.losses).toEqual([]);
    expect(newer.items[1]).toMatchObject({ chain: { dev: ['eth0', 'eth1'] } });
    expect(kinds(newer.items)).toEqual(['table', 'chain', 'rule']);
  });

  it('a single device is carried (1.0.6 reads "dev"; only its listing leaves it out)', () => {
    const { items, losses } = lossesOf('table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device eth0 priority 0;\n\t}\n}\n');
    expect(losses).toEqual([]);
    expect(items[1]).toMatchObject({ chain: { dev: 'eth0' } });
  });

  it('chain flags', () => {
    const text = 'table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device eth0 priority 0; flags offload;\n\t}\n}\n';
    const rs = parsed(text);
    expect(rs.tables[0].chains[0].base?.flags).toEqual(['offload']);
    expectLoss(text, LOSS.chainFlags, 'c');
  });

  it('set comment (never read back)', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tcomment "x"\n\t}\n}\n';
    expect(expectLoss(text, LOSS.setComment, 's').items[1]).toEqual({ set: { family: 'ip', name: 's', table: 't', type: 'ipv4_addr' } });
    expect(lossesOf(text, '1.1.6').whats).toEqual([LOSS.setComment.what]);
  });

  it('typeof becomes type (1.1.0 carries typeof); a typeof only nft’s typeof can declare leaves the set out', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttypeof ip saddr . tcp dport\n\t}\n}\n';
    expect(expectLoss(text, LOSS.typeofKey, 's').items[1]).toEqual({ set: { family: 'ip', name: 's', table: 't', type: ['ipv4_addr', 'inet_service'] } });
    const integer = lossesOf('table ip t {\n\tset s {\n\t\ttypeof meta cpu\n\t}\n}\n', '1.0.6');
    expect(integer.whats).toEqual([LOSS.typeofKey.what]);
    expect(kinds(integer.items)).toEqual(['table']);
    const newer = lossesOf(text, '1.1.3');
    expect(newer.losses).toEqual([]);
    expect(newer.items[1]).toEqual({
      set: { family: 'ip', name: 's', table: 't', type: { typeof: { concat: [{ payload: { protocol: 'ip', field: 'saddr' } }, { payload: { protocol: 'tcp', field: 'dport' } }] } } },
    });
    expect(lossesOf('table ip t {\n\tset s {\n\t\ttypeof meta cpu\n\t}\n}\n', '1.1.3').items[1]).toEqual({ set: { family: 'ip', name: 's', table: 't', type: { typeof: { meta: { key: 'cpu' } } } } });
    // a map with a typeof key and data declared as a type: 1.1.3 reads the key back as a type
    const mixed = lossesOf('table ip t {\n\tmap m {\n\t\ttypeof ip saddr . meta mark : verdict\n\t}\n}\n', '1.1.3');
    expect(mixed.whats).toEqual([LOSS.typeofKey.what]);
    expect(mixed.items[1]).toMatchObject({ map: { type: ['ipv4_addr', 'mark'], map: 'verdict' } });
    expect(lossesOf('table ip t {\n\tmap m {\n\t\ttypeof ip saddr : meta mark\n\t}\n}\n', '1.1.3').losses).toEqual([]);
  });

  it('the dynamic flag (1.0.9), unless a rule updates the set (nft then sets it by itself)', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags dynamic\n\t}\n}\n';
    expect(expectLoss(text, LOSS.dynamicFlag, 's').items[1]).toEqual({ set: { family: 'ip', name: 's', table: 't', type: 'ipv4_addr' } });
    expect(lossesOf(text, '1.0.9').items[1]).toMatchObject({ set: { flags: ['dynamic'] } });
    const updated = lossesOf('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags dynamic\n\t}\n\tchain c {\n\t\tadd @s { ip saddr }\n\t}\n}\n');
    expect(updated.losses).toEqual([]);
  });

  it('auto-merge (1.1.0)', () => {
    const text = 'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t}\n}\n';
    expectLoss(text, LOSS.autoMerge, 's');
    expect(lossesOf(text, '1.1.0').items[1]).toMatchObject({ set: { 'auto-merge': true } });
  });

  it('maps to concatenated data (1.1.0): the map is left out', () => {
    const text = 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : ipv4_addr . inet_service\n\t}\n}\n';
    expect(kinds(expectLoss(text, LOSS.concatMapData, 's').items)).toEqual(['table']);
    expect(lossesOf(text, '1.1.0').items[1]).toMatchObject({ map: { map: ['ipv4_addr', 'inet_service'] } });
  });

  it('synproxy objects (1.1.0): left out, the rules that use them stay (so loading fails loudly)', () => {
    const text = 'table ip t {\n\tsynproxy web {\n\t\tmss 1460\n\t\twscale 7\n\t\ttimestamp sack-perm\n\t}\n\tchain c {\n\t\tsynproxy name "web"\n\t}\n}\n';
    const { items, loss } = expectLoss(text, LOSS.synproxyObject, 'o');
    expect(loss.message).toContain('create it with the text format first');
    expect(kinds(items)).toEqual(['table', 'chain', 'rule']);
    expect(lossesOf(text, '1.1.0').items[1]).toEqual({ synproxy: { family: 'ip', name: 'web', table: 't', mss: 1460, wscale: 7, flags: ['timestamp', 'sack-perm'] } });
  });

  it('maps of synproxy objects (1.1.0)', () => {
    const text = 'table ip t {\n\tmap m {\n\t\ttype ipv4_addr : synproxy\n\t}\n}\n';
    expect(kinds(expectLoss(text, LOSS.synproxyMap, 's').items)).toEqual(['table']);
    expect(lossesOf(text, '1.1.0').items[1]).toMatchObject({ map: { map: 'synproxy' } });
  });

  it('ct expectation objects (1.0.9)', () => {
    const text = 'table ip t {\n\tct expectation e {\n\t\tprotocol udp\n\t\tdport 9876\n\t\ttimeout 2m\n\t\tsize 8\n\t\tl3proto ip\n\t}\n}\n';
    expect(kinds(expectLoss(text, LOSS.ctExpectation, 'o').items)).toEqual(['table']);
    expect(lossesOf(text, '1.0.9').items[1]).toEqual({ 'ct expectation': { family: 'ip', name: 'e', table: 't', protocol: 'udp', dport: 9876, timeout: 120000, size: 8, l3proto: 'ip' } });
  });

  it('ct timeout objects (1.0.9)', () => {
    const text = 'table ip t {\n\tct timeout t1 {\n\t\tprotocol tcp\n\t\tl3proto ip\n\t\tpolicy = { established : 120 }\n\t}\n}\n';
    expect(kinds(expectLoss(text, LOSS.ctTimeout, 'o').items)).toEqual(['table']);
    expect(lossesOf(text, '1.0.9').items[1]).toEqual({ 'ct timeout': { family: 'ip', name: 't1', table: 't', protocol: 'tcp', l3proto: 'ip', policy: { established: 120 } } });
  });

  it('raw statements: the whole rule is left out (leaving out part of a rule would widen it)', () => {
    const text = 'table ip t {\n\tchain c {\n\t\ttcp dport 22 dccp option 40 exists accept\n\t\taccept\n\t}\n}\n';
    const rs = parsed(text);
    expect(rs.tables[0].chains[0].rules[0].stmts.some((s) => s.kind === 'raw')).toBe(true);
    const { items, loss } = expectLoss(text, LOSS.rawStatement, 'r');
    expect(loss.message).toContain('dccp option 40 exists');
    expect(ruleExprs(items)).toEqual([[{ accept: null }]]);
  });

  it('expressions kept as text', () => {
    const rs = parsed('table ip t {\n\tchain c {\n\t\taccept\n\t}\n}\n');
    rs.tables[0].chains[0].rules[0].stmts.unshift({ kind: 'match', left: { kind: 'rawexpr', text: 'tcp option maxseg size' }, op: 'implicit', right: { kind: 'value', text: '1400' } });
    const r = toJson(rs);
    expect(r.losses.map((l) => l.what)).toEqual([LOSS.rawExpression.what]);
  });

  it('variables that are not defined, or circular', () => {
    expectLoss('table ip t {\n\tchain c {\n\t\ttcp dport $nope accept\n\t}\n}\n', LOSS.variable, 'r');
    expectLoss('define a = $b\ndefine b = $a\ntable ip t {\n\tchain c {\n\t\ttcp dport $a accept\n\t}\n}\n', LOSS.variable, 'r');
  });

  it('a priority variable, policy variable or device variable that does not resolve: the chain is left out', () => {
    expect(kinds(expectLoss('table ip t {\n\tchain c {\n\t\ttype filter hook input priority $p;\n\t}\n}\n', LOSS.variable, 'c').items)).toEqual(['table']);
    expectLoss('define p = "nope"\ntable ip t {\n\tchain c {\n\t\ttype filter hook input priority $p;\n\t}\n}\n', LOSS.priority, 'c');
    expectLoss('define p = "maybe"\ntable ip t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy $p;\n\t}\n}\n', LOSS.policy, 'c');
    expectLoss('define d = 10.0.0.0/8\ntable netdev t {\n\tchain c {\n\t\ttype filter hook ingress device $d priority 0;\n\t}\n}\n', LOSS.device, 'c');
  });

  it('priority names that do not exist in the family', () => {
    const { items } = expectLoss('table ip t {\n\tchain c {\n\t\ttype filter hook output priority out;\n\t}\n}\n', LOSS.priority, 'c');
    expect(kinds(items)).toEqual(['table']);
  });

  it('includes and commands kept as text', () => {
    const rs = parse('include "/etc/nft/x.nft"\n').ruleset;
    expect(toJson(rs).losses.map((l) => l.what)).toEqual([LOSS.include.what]);
    const cmd = parse('table ip t {\n}\nrename chain ip t a b\n').ruleset;
    expect(cmd.commands.length).toBe(1);
    expect(toJson(cmd).losses.map((l) => l.what)).toEqual([LOSS.command.what]);
  });

  it('flowtable flags and counter', () => {
    const text = 'table inet t {\n\tflowtable f {\n\t\thook ingress priority 0\n\t\tdevices = { "eth0" }\n\t\tcounter\n\t}\n}\n';
    const { items } = expectLoss(text, LOSS.flowtableOptions, 'f');
    expect(items[1]).toEqual({ flowtable: { family: 'inet', name: 'f', table: 't', hook: 'ingress', prio: 0, dev: ['eth0'] } });
  });

  it('timeouts that are not whole seconds', () => {
    expectLoss('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\ttimeout 1500ms\n\t}\n}\n', LOSS.subsecondTimeout, 's');
  });

  it('reports nothing for what JSON carries, whatever the target', () => {
    for (const v of ['1.0.6', '1.1.0']) expect(lossesOf('table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\taccept\n\t}\n}\n', v).losses).toEqual([]);
  });
});
