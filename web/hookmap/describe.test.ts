import { describe, expect, it } from 'vitest';
import { findTemplate } from '../../src/templates/catalog.ts';
import { lint } from '../../src/lint/index.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { buildHookMap } from './model.ts';
import { cardLines, chainAriaLabel, findingsByChain, positionText, stageValueText } from './describe.ts';
import { ALL_FAMILIES_TEXT, parseOrThrow } from './fixtures.ts';
import { estimateWidth, fitText } from './text.ts';

const rs = parseOrThrow(findTemplate('synproxy-anonymous')?.text ?? '');
const m = buildHookMap(rs);
const byName = (name: string) => [...m.chains.values()].find((c) => c.name === name) ?? (undefined as never);

describe('words of the hook map', () => {
  it('names a chain the way the brief asks', () => {
    expect(chainAriaLabel(byName('IN'), undefined)).toBe(
      'chain IN, table ip anon_synproxy_demo, hook input, priority filter (0), after conntrack, 2 rules, type filter, policy accept, has synproxy',
    );
    expect(chainAriaLabel(byName('PRE'), undefined)).toMatch(/^chain PRE, table ip anon_synproxy_demo, hook prerouting, priority raw \(-300\), before conntrack, 1 rule,.*has notrack$/);
  });

  it('puts findings on the chain of the rule they concern, and into the accessible name', () => {
    const inChain = byName('IN');
    const rule = rs.tables[0].chains[1].rules[0];
    const ds: Diagnostic[] = [
      { id: 'x/err', severity: 'error', message: 'broken', nodeId: rule.id },
      { id: 'x/warn', severity: 'warning', message: 'odd', nodeId: inChain.id },
      { id: 'x/info', severity: 'info', message: 'fyi', nodeId: inChain.id },
      { id: 'x/table', severity: 'error', message: 'table-level', nodeId: rs.tables[0].id },
      { id: 'x/none', severity: 'error', message: 'nowhere' },
    ];
    const f = findingsByChain(ds, m.chainOf);
    expect([...f.keys()]).toEqual([inChain.id]);
    expect(f.get(inChain.id)?.errors.map((d) => d.message)).toEqual(['broken']);
    expect(f.get(inChain.id)?.infos).toHaveLength(1);
    expect(chainAriaLabel(inChain, f.get(inChain.id))).toMatch(/1 error: broken\. 1 warning: odd$/);
  });

  it('has card lines with type, priority, policy, rules and devices', () => {
    expect(cardLines(byName('PRE'))).toEqual(['PRE', 'ip anon_synproxy_demo', 'filter · raw (-300)', 'policy accept · 1 rule']);
    const all = buildHookMap(parseOrThrow(ALL_FAMILIES_TEXT));
    const ing = [...all.chains.values()].find((c) => c.name === 'ingress_eth0');
    expect(ing && cardLines(ing).at(-1)).toBe('devices eth0, eth1');
    const same = [...all.chains.values()].find((c) => c.name === 'at_conntrack');
    expect(same && positionText(same)).toMatch(/same priority as conntrack/);
  });

  it('reads the real linter’s findings on the template without error', () => {
    const f = findingsByChain(lint(rs), m.chainOf);
    expect(f.get(byName('IN').id)?.errors ?? []).toEqual([]);
  });

  it('writes INT32_MAX stages as last', () => {
    expect(stageValueText(2147483647)).toBe('last');
    expect(stageValueText(-200)).toBe('-200');
  });
});

describe('fitText', () => {
  it('keeps short text and cuts long text to fit with an ellipsis', () => {
    const f = { size: 12 };
    expect(fitText('short', 200, f)).toBe('short');
    const cut = fitText('a_chain_with_a_really_quite_long_name_that_cannot_fit', 120, { size: 13, mono: true });
    expect(cut.endsWith('…')).toBe(true);
    expect(estimateWidth(cut, { size: 13, mono: true })).toBeLessThanOrEqual(120);
    expect(fitText('WWWW', 1, f)).toBe('…');
  });
});
