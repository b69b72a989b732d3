/**
 * Adding things from the navigator: each creates a sensible, valid starting
 * point with a unique name and selects it.
 */
import { addChain, addFlowtable, addObject, addSet, addTable } from '../../src/model/ops.ts';
import { SYNPROXY_DEFAULTS } from '../../src/knowledge/synproxyFacts.ts';
import { newId } from '../../src/model/ids.ts';
import type { NamedObject, Table } from '../../src/model/types.ts';
import { applyAndSelect } from './applyAndSelect.ts';

export type MemberKind =
  | 'base-chain'
  | 'regular-chain'
  | 'set'
  | 'map'
  | 'synproxy'
  | 'counter'
  | 'quota'
  | 'limit'
  | 'ct helper'
  | 'ct timeout'
  | 'flowtable';

export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

const run = applyAndSelect;

export function addNewTable(): void {
  run((rs) =>
    addTable(rs, {
      family: 'inet',
      name: uniqueName('filter', rs.tables.filter((t) => t.family === 'inet').map((t) => t.name)),
      flags: [],
      objects: [],
      sets: [],
      flowtables: [],
      chains: [],
    }),
  );
}

function newObject(kind: MemberKind, name: string): NamedObject | undefined {
  const id = newId('o');
  switch (kind) {
    case 'synproxy':
      return { id, name, type: 'synproxy', ...SYNPROXY_DEFAULTS };
    case 'counter':
      return { id, name, type: 'counter' };
    case 'quota':
      return { id, name, type: 'quota', amount: 100, unit: 'mbytes' };
    case 'limit':
      return { id, name, type: 'limit', rate: 10, unit: 'packets', per: 'second' };
    case 'ct helper':
      return { id, name, type: 'ct helper', helper: 'ftp', protocol: 'tcp' };
    case 'ct timeout':
      return { id, name, type: 'ct timeout', protocol: 'tcp', policy: [{ state: 'established', seconds: 3600 }] };
    default:
      return undefined;
  }
}

export function addMember(tableId: string, kind: MemberKind): void {
  run((rs) => {
    const t = rs.tables.find((x) => x.id === tableId) as Table;
    const hookable = t.family === 'netdev' ? 'ingress' : t.family === 'arp' ? 'input' : 'input';
    switch (kind) {
      case 'base-chain': {
        const name = uniqueName(hookable, t.chains.map((c) => c.name));
        return addChain(rs, tableId, {
          name,
          base: {
            type: 'filter',
            hook: hookable,
            priority: { kind: 'std', name: 'filter', offset: 0 },
            policy: 'accept',
            ...(t.family === 'netdev' ? { devices: ['eth0'] } : {}),
          },
        });
      }
      case 'regular-chain':
        return addChain(rs, tableId, { name: uniqueName('chain', t.chains.map((c) => c.name)) });
      case 'set':
      case 'map': {
        const name = uniqueName(kind === 'set' ? 'allowed' : 'verdicts', t.sets.map((s) => s.name));
        return addSet(rs, tableId, {
          kind,
          name,
          key: { mode: 'type', types: ['ipv4_addr'] },
          ...(kind === 'map' ? { data: { mode: 'type' as const, types: ['verdict'] } } : {}),
          flags: [],
          elements: [],
        });
      }
      case 'flowtable':
        return addFlowtable(rs, tableId, { name: uniqueName('ft', t.flowtables.map((f) => f.name)), hook: 'ingress', priority: { kind: 'std', name: 'filter', offset: 0 }, devices: ['eth0'] });
      default: {
        const base = kind === 'ct helper' ? 'helper' : kind === 'ct timeout' ? 'timeouts' : kind;
        const obj = newObject(kind, uniqueName(base === 'synproxy' ? 'proxy' : base, t.objects.filter((o) => o.type === kind).map((o) => o.name)));
        if (!obj) return { ruleset: rs, id: '' };
        return addObject(rs, tableId, obj);
      }
    }
  });
}
