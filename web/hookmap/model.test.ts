import { describe, expect, it } from 'vitest';
import { findTemplate } from '../../src/templates/catalog.ts';
import { buildHookMap, stagesAt, stageTestId, type ChainNode, type HookColumn, type HookMapModel, type Lane } from './model.ts';
import { PLACEMENT } from '../../src/knowledge/placement.ts';
import { ALL_FAMILIES_TEXT, parseOrThrow } from './fixtures.ts';

function template(id: string): HookMapModel {
  const t = findTemplate(id);
  if (!t) throw new Error(`no template ${id}`);
  return buildHookMap(parseOrThrow(t.text));
}

function lane(m: HookMapModel, id: Lane['id']): Lane {
  const l = m.lanes.find((x) => x.id === id);
  if (!l) throw new Error(`no lane ${id}`);
  return l;
}

function column(l: Lane, hook: string): HookColumn {
  const c = l.columns.find((x) => x.hook === hook);
  if (!c) throw new Error(`no column ${hook}`);
  return c;
}

function chain(m: HookMapModel, name: string): ChainNode {
  const c = [...m.chains.values()].find((x) => x.name === name);
  if (!c) throw new Error(`no chain ${name}`);
  return c;
}

/** What a column shows, top to bottom: `[stage]` or chain names. */
function order(col: HookColumn): string[] {
  return [...col.groups.flatMap((g) => g.entries.map((e) => (e.kind === 'stage' ? `[${e.stage.name}]` : e.chain.name))), ...col.unknown.map((c) => `?${c.name}`)];
}

describe('the wiki anonymous synproxy template', () => {
  const m = template('synproxy-anonymous');
  const ip = lane(m, 'ip');

  it('has one IP lane with the five IP hooks in packet-path order', () => {
    expect(m.lanes.map((l) => l.id)).toEqual(['ip']);
    expect(ip.families).toEqual(['ip']);
    expect(ip.columns.map((c) => c.hook)).toEqual(['prerouting', 'input', 'forward', 'output', 'postrouting']);
  });

  it('puts PRE (notrack, raw) before conntrack on prerouting', () => {
    const pre = chain(m, 'PRE');
    expect(pre).toMatchObject({ hook: 'prerouting', value: -300, priorityLabel: 'raw (-300)', position: 'before-conntrack', notrack: true, synproxy: false, ruleCount: 1 });
    const o = order(column(ip, 'prerouting'));
    expect(o).toEqual(['[defrag]', '[raw]', 'PRE', '[conntrack]', '[mangle]', '[dstnat]', '[filter]']);
  });

  it('puts IN (synproxy, filter) after conntrack on input', () => {
    const inp = chain(m, 'IN');
    expect(inp).toMatchObject({ hook: 'input', value: 0, priorityLabel: 'filter (0)', position: 'after-conntrack', synproxy: true, notrack: false, ruleCount: 2, policy: 'accept' });
    expect(column(ip, 'input').conntrack).toBe('already');
    expect(order(column(ip, 'input'))).toEqual(['[mangle]', '[filter]', 'IN', '[security]', '[srcnat]', '[conntrack helper]', '[conntrack confirm]']);
  });

  it('maps every chain and rule id to its chain', () => {
    const rs = parseOrThrow(findTemplate('synproxy-anonymous')?.text ?? '');
    const own = buildHookMap(rs);
    for (const t of rs.tables)
      for (const c of t.chains) {
        expect(own.chainOf.get(c.id)).toBe(c.id);
        for (const r of c.rules) expect(own.chainOf.get(r.id)).toBe(c.id);
      }
  });

  it('gives the conntrack stage of prerouting its test id', () => {
    const g = column(ip, 'prerouting').groups.find((x) => x.value === -200);
    const st = g?.entries[0];
    expect(st?.kind).toBe('stage');
    if (st?.kind === 'stage') expect(stageTestId('ip', st.stage, 'prerouting')).toBe('hookmap.stage.conntrack.prerouting');
  });
});

describe('the wiki named synproxy template', () => {
  const m = template('synproxy-named');
  it('marks the forward chain that picks named synproxy objects through a map', () => {
    expect(chain(m, 'bar')).toMatchObject({ hook: 'forward', synproxy: true, position: 'after-conntrack' });
    expect(chain(m, 'pre')).toMatchObject({ notrack: true, position: 'before-conntrack' });
  });
});

describe('nat chains', () => {
  it('places the NAT router’s nat chains after conntrack, at dstnat and srcnat', () => {
    const m = template('nat-router');
    expect(m.lanes.map((l) => l.id)).toEqual(['ip']);
    expect(lane(m, 'ip').families).toEqual(['ip', 'inet']);
    expect(chain(m, 'prerouting')).toMatchObject({ type: 'nat', value: -100, priorityLabel: 'dstnat (-100)', position: 'after-conntrack' });
    expect(chain(m, 'postrouting')).toMatchObject({ type: 'nat', value: 100, priorityLabel: 'srcnat (100)', position: 'after-conntrack' });
    expect(order(column(lane(m, 'ip'), 'prerouting'))).toEqual(['[defrag]', '[raw]', '[conntrack]', '[mangle]', '[dstnat]', 'prerouting', '[filter]']);
  });

  it('shows a numeric nat priority as written', () => {
    const m = buildHookMap(parseOrThrow(ALL_FAMILIES_TEXT));
    const c = chain(m, 'out_nat');
    expect(c).toMatchObject({ hook: 'output', value: -100, priorityLabel: '-100', position: 'after-conntrack' });
    // dstnat is a prerouting-only name, so nft lists -100 on output as a number
    expect(c.listedAs).toBeUndefined();
  });
});

describe('every family', () => {
  const m = buildHookMap(parseOrThrow(ALL_FAMILIES_TEXT));

  it('has one lane per family group, in a fixed order', () => {
    expect(m.lanes.map((l) => l.id)).toEqual(['ip', 'bridge', 'arp', 'netdev']);
    expect(lane(m, 'ip').columns.map((c) => c.hook)).toEqual(['ingress', 'prerouting', 'input', 'forward', 'output', 'postrouting']);
    expect(lane(m, 'arp').columns.map((c) => c.hook)).toEqual(['input', 'output']);
    expect(lane(m, 'netdev').columns.map((c) => c.hook)).toEqual(['ingress', 'egress']);
  });

  it('puts inet ingress (with its devices) before conntrack', () => {
    expect(chain(m, 'ingress_eth0')).toMatchObject({ hook: 'ingress', value: -500, devices: ['eth0', 'eth1'], position: 'before-conntrack' });
    expect(column(lane(m, 'ip'), 'ingress').conntrack).toBe('not yet');
  });

  it('puts netdev ingress before and egress after conntrack, with their device', () => {
    expect(chain(m, 'ing')).toMatchObject({ family: 'netdev', hook: 'ingress', devices: ['eth0'], position: 'before-conntrack', policy: 'drop' });
    expect(chain(m, 'eg')).toMatchObject({ family: 'netdev', hook: 'egress', devices: ['eth0'], position: 'after-conntrack' });
  });

  it('uses the bridge family’s own priorities and stages', () => {
    expect(chain(m, 'pre')).toMatchObject({ family: 'bridge', value: -300, priorityLabel: 'dstnat (-300)', position: 'none' });
    expect(chain(m, 'bridged')).toMatchObject({ value: -200, priorityLabel: 'filter (-200)' });
    expect(chain(m, 'out')).toMatchObject({ value: 100, priorityLabel: 'out (100)' });
    const br = lane(m, 'bridge');
    expect(order(column(br, 'prerouting'))).toEqual(['[dstnat (bridged)]', 'pre', '[filter (bridged)]', '[brnf]']);
    expect(order(column(br, 'output'))).toEqual(['[dstnat (bridged)]', '[filter (bridged)]', '[dstnat (other)]', 'out', '[filter (other)]']);
    expect(column(br, 'forward').conntrack).toBe('none');
  });

  it('leaves ARP unclassified (not tracked)', () => {
    expect(chain(m, 'in')).toMatchObject({ family: 'arp', hook: 'input', position: 'none', conntrack: 'none' });
    expect(order(column(lane(m, 'arp'), 'output'))).toEqual([]);
  });

  it('resolves a $variable defined as a number and places it by value', () => {
    expect(chain(m, 'early')).toMatchObject({ value: -250, priorityLabel: '$EARLY (-250)', position: 'before-conntrack' });
    expect(order(column(lane(m, 'ip'), 'prerouting')).slice(0, 4)).toEqual(['[defrag]', '[raw]', 'early', '[conntrack]']);
  });

  it('shows an undefined $variable last on its hook, with a reason', () => {
    const c = chain(m, 'later');
    expect(c).toMatchObject({ value: undefined, priorityLabel: '$LATER (?)', position: 'none', conntrack: 'unknown' });
    expect(c.unknownReason).toMatch(/not defined/);
    const o = order(column(lane(m, 'ip'), 'prerouting'));
    expect(o[o.length - 1]).toBe('?later');
  });

  it('orders priorities beyond the standard range', () => {
    expect(chain(m, 'very_early')).toMatchObject({ value: -2147483648, position: 'before-conntrack' });
    expect(chain(m, 'very_late')).toMatchObject({ value: 2147483647, position: 'after-conntrack' });
    const o = order(column(lane(m, 'ip'), 'output'));
    expect(o[0]).toBe('very_early');
    expect(o[o.length - 1]).toBe('very_late');
  });

  it('does not call a chain at exactly -200 before or after conntrack', () => {
    expect(chain(m, 'at_conntrack')).toMatchObject({ value: -200, position: 'none', conntrack: 'same' });
  });

  it('groups equal priorities and marks chain ties', () => {
    const g = column(lane(m, 'ip'), 'input').groups.find((x) => x.value === 0);
    expect(g?.chainTie).toBe(true);
    expect(g?.entries.map((e) => (e.kind === 'stage' ? `[${e.stage.name}]` : e.chain.name))).toEqual(['[filter]', 'input', 'input2']);
  });

  it('marks notrack reached through a jump, and lists regular chains with where they are reached from', () => {
    expect(chain(m, 'early')).toMatchObject({ notrack: true, markerVia: ['helper'], reaches: [{ name: 'helper' }] });
    const helper = m.regular.find((r) => r.name === 'helper');
    expect(helper?.reachedFrom).toEqual([{ id: chain(m, 'early').id, name: 'early', hook: 'prerouting' }]);
    expect(m.regular.find((r) => r.name === 'orphan')?.reachedFrom).toEqual([]);
  });

  it('uses lane-prefixed stage test ids outside the IP lane', () => {
    const st = column(lane(m, 'bridge'), 'postrouting').groups.at(-1)?.entries[0];
    if (st?.kind !== 'stage') throw new Error('expected a stage');
    expect(stageTestId('bridge', st.stage, 'postrouting')).toBe('hookmap.stage.bridge.srcnat.postrouting');
  });
});

describe('odd designs', () => {
  it('returns no lanes for an empty ruleset', () => {
    expect(buildHookMap(parseOrThrow('')).lanes).toEqual([]);
  });

  it('still shows a chain on a hook its family lacks (the linter reports it)', () => {
    const m = buildHookMap(parseOrThrow('table ip t {\n\tchain c {\n\t\ttype filter hook ingress device "eth0" priority 0; policy accept;\n\t}\n}\n'));
    expect(lane(m, 'ip').columns.map((c) => c.hook)).toContain('ingress');
    expect(chain(m, 'c').hook).toBe('ingress');
  });

  it('keeps a priority name the family does not know as unknown', () => {
    const m = buildHookMap(parseOrThrow('table ip t {\n\tchain c {\n\t\ttype filter hook output priority out; policy accept;\n\t}\n}\n'));
    expect(chain(m, 'c')).toMatchObject({ value: undefined, priorityLabel: 'out (?)' });
    expect(chain(m, 'c').unknownReason).toMatch(/not a priority name of the ip family/);
  });

  it('shows how nft lists a number that is near a standard name', () => {
    const m = buildHookMap(parseOrThrow('table ip t {\n\tchain c {\n\t\ttype filter hook prerouting priority -300; policy accept;\n\t}\n}\n'));
    expect(chain(m, 'c')).toMatchObject({ priorityLabel: '-300', listedAs: 'raw' });
  });
});

describe('what the kernel stages say, per hook', () => {
  it('names synproxy at the filter stage only where synproxy works (input, forward), never in prerouting', () => {
    const filterAt = (hook: 'prerouting' | 'input' | 'forward' | 'output') => stagesAt('inet', hook).find((s) => s.name === 'filter')?.what ?? '';
    expect(filterAt('prerouting')).toBe('filtering: the usual place for accept/drop');
    expect(filterAt('output')).not.toMatch(/synproxy/);
    for (const hook of PLACEMENT.synproxy.hooks) expect(filterAt(hook as 'input' | 'forward')).toMatch(/synproxy \(which works only in input and forward\)/);
  });
});
