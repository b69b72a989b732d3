/**
 * The words of the hook map: what each chain's card, tooltip, accessible name
 * and text alternative say. Pure, so the picture and the table cannot disagree.
 */
import type { Diagnostic, Severity } from '../../src/model/diagnostic.ts';
import { CONNTRACK_PRIORITY } from '../../src/knowledge/stages.ts';
import type { ChainNode, HookColumn } from './model.ts';
import { plural } from '../words.ts';

export { plural };

export interface ChainFindings {
  errors: Diagnostic[];
  warnings: Diagnostic[];
  infos: Diagnostic[];
}

/** Findings grouped by the chain they concern (a finding on a rule belongs to its chain). */
export function findingsByChain(diagnostics: readonly Diagnostic[], chainOf: ReadonlyMap<string, string>): Map<string, ChainFindings> {
  const out = new Map<string, ChainFindings>();
  for (const d of diagnostics) {
    if (d.nodeId === undefined) continue;
    const chainId = chainOf.get(d.nodeId);
    if (chainId === undefined) continue;
    let f = out.get(chainId);
    if (!f) out.set(chainId, (f = { errors: [], warnings: [], infos: [] }));
    bucket(f, d.severity).push(d);
  }
  return out;
}

function bucket(f: ChainFindings, s: Severity): Diagnostic[] {
  return s === 'error' ? f.errors : s === 'warning' ? f.warnings : f.infos;
}


/** Where the chain runs relative to conntrack, in a few words. */
export function positionText(c: ChainNode): string {
  switch (c.conntrack) {
    case 'before':
      return 'before conntrack';
    case 'after':
      return 'after conntrack';
    case 'same':
      return `same priority as conntrack (${CONNTRACK_PRIORITY}): order not defined`;
    case 'unknown':
      return 'priority unknown: cannot tell whether before or after conntrack';
    case 'none':
      return c.family === 'arp' ? 'ARP is not tracked by conntrack' : 'bridge conntrack not shown';
  }
}

/** One sentence for learners about what the position means. */
export function positionWhy(c: ChainNode): string {
  switch (c.conntrack) {
    case 'before':
      return c.hook === 'ingress'
        ? 'Ingress runs before the IP stack, so conntrack has not seen the packet yet (ct state is not known here).'
        : `Runs before conntrack (${CONNTRACK_PRIORITY}): ct state is not known yet, and notrack here keeps the packet out of the conntrack table.`;
    case 'after':
      return c.hook === 'prerouting' || c.hook === 'output'
        ? `Runs after conntrack (${CONNTRACK_PRIORITY}): ct state is known; notrack here has no effect.`
        : 'Conntrack has already seen the packet (in prerouting or output): ct state is known; notrack here has no effect.';
    case 'same':
      return 'The kernel orders equal priorities by registration, so this chain may run before or after conntrack. Use raw (-300) to run before it, or a value above -200 to run after it.';
    case 'unknown':
      return `${c.unknownReason ?? 'The priority has no known value'}; the chain is shown at the end of its hook.`;
    case 'none':
      return c.family === 'arp'
        ? 'ARP packets are not tracked by conntrack.'
        : 'Bridged frames are tracked only with the nf_conntrack_bridge module, which this map does not assume.';
  }
}

/** The text lines of a chain's card, top to bottom (the name is line 0). */
export function cardLines(c: ChainNode): string[] {
  const lines = [c.name, `${c.family} ${c.tableName}`, `${c.type} · ${c.priorityLabel}`, `policy ${c.policy} · ${plural(c.ruleCount, 'rule')}`];
  if (c.devices.length) lines.push(`${c.devices.length === 1 ? 'device' : 'devices'} ${c.devices.join(', ')}`);
  return lines;
}

export function hasMarkers(c: ChainNode): boolean {
  return c.notrack || c.synproxy;
}

function findingsText(f: ChainFindings | undefined): string {
  if (!f) return '';
  const parts: string[] = [];
  if (f.errors.length) parts.push(`${plural(f.errors.length, 'error')}: ${f.errors.map((d) => d.message).join('; ')}`);
  if (f.warnings.length) parts.push(`${plural(f.warnings.length, 'warning')}: ${f.warnings.map((d) => d.message).join('; ')}`);
  return parts.join('. ');
}

/** The accessible name of a chain element. */
export function chainAriaLabel(c: ChainNode, f: ChainFindings | undefined, tie: string[] = []): string {
  const parts = [
    `chain ${c.name}`,
    `table ${c.family} ${c.tableName}`,
    `hook ${c.hook}`,
    `priority ${c.priorityLabel}`,
    positionText(c),
    plural(c.ruleCount, 'rule'),
    `type ${c.type}`,
    `policy ${c.policy}`,
  ];
  if (c.devices.length) parts.push(`${c.devices.length === 1 ? 'device' : 'devices'} ${c.devices.join(', ')}`);
  const markers = markerWords(c);
  if (markers) parts.push(markers);
  if (tie.length) parts.push(`same priority as ${tie.join(', ')}, order not defined`);
  const findings = findingsText(f);
  if (findings) parts.push(findings);
  return parts.join(', ');
}

export function markerWords(c: ChainNode): string {
  const m: string[] = [];
  if (c.notrack) m.push('has notrack');
  if (c.synproxy) m.push('has synproxy');
  if (!m.length) return '';
  return c.markerVia.length ? `${m.join(' and ')} (via ${c.markerVia.join(', ')})` : m.join(' and ');
}

/** Names of the other chains sharing this chain's priority on its hook. */
export function tiesOf(c: ChainNode, column: HookColumn): string[] {
  const g = column.groups.find((x) => x.value === c.value);
  if (!g) return [];
  return g.entries.filter((e) => e.kind === 'chain' && e.chain.id !== c.id).map((e) => (e.kind === 'chain' ? e.chain.name : ''));
}

/** Stage values as people read them: INT32_MAX is "last". */
export function stageValueText(value: number): string {
  if (value >= 2147483647) return 'last';
  return String(value);
}
