/**
 * Knowledge entries a lesson text may name (`{ "explain": "synproxy.mss" }`),
 * resolved at run time from src/knowledge, so a lesson never carries its own
 * copy of a fact. The ids are a closed list: the validator refuses any other.
 */
import type { ChainType, Family, Hook } from '../model/types.ts';
import { CHAIN_TYPES, FAMILIES, FAMILY_DESCRIPTIONS, HOOKS } from '../knowledge/families.ts';
import { CHAIN_TYPE_DESCRIPTIONS, EQUAL_PRIORITY_NOTE, hookDescription } from '../knowledge/packetPath.ts';
import { CT_KEYS, META_KEYS, PAYLOAD_FIELDS } from '../knowledge/expressions.ts';
import { PLACEMENT, type PlacedStatement } from '../knowledge/placement.ts';
import { IP_STAGES, CONNTRACK_PRIORITY, stageWhat } from '../knowledge/stages.ts';
import { SYNPROXY_HELP } from '../knowledge/synproxyHelp.ts';
import {
  CONNTRACK_SIZING_NOTE,
  NOTRACK_HOOKS,
  SYNPROXY_CT_STATES,
  SYNPROXY_MSS_MAX,
  SYNPROXY_MSS_MIN,
  SYNPROXY_SYSCTLS,
  SYNPROXY_WSCALE_TCP_MAX,
} from '../knowledge/synproxyFacts.ts';
import { synproxyHostCommands } from '../wizard/hostCommands.ts';

function entries(): Map<string, () => string> {
  const m = new Map<string, () => string>();
  for (const k of Object.keys(SYNPROXY_HELP) as (keyof typeof SYNPROXY_HELP)[]) m.set(`synproxy.${k}`, () => SYNPROXY_HELP[k]);
  m.set('synproxy.ctState', () => `A synproxy rule matches ct state ${SYNPROXY_CT_STATES.join(',')}. ${SYNPROXY_HELP.placement}`);
  m.set('synproxy.sysctls', () => SYNPROXY_SYSCTLS.map((s) => `${s.line}: ${s.why}.`).join('\n'));
  m.set('synproxy.hostCommands', () => synproxyHostCommands());
  m.set('synproxy.conntrackSizing', () => CONNTRACK_SIZING_NOTE);
  m.set('synproxy.ranges', () => `mss ${SYNPROXY_MSS_MIN}..${SYNPROXY_MSS_MAX}, wscale 0..${SYNPROXY_WSCALE_TCP_MAX}.`);
  m.set('notrack.where', () => `notrack works only on ${NOTRACK_HOOKS.join(' and ')} at a priority below ${CONNTRACK_PRIORITY}, where connection tracking runs.`);
  for (const s of IP_STAGES) m.set(`stage.${s.name.replace(/ /g, '-')}`, () => `${s.name} (${s.value}): ${s.what}.`);
  m.set('stage.filter.input', () => {
    const f = IP_STAGES.find((s) => s.name === 'filter');
    return f ? `filter (${f.value}): ${stageWhat(f, 'input')}.` : '';
  });
  m.set('priority.equal', () => EQUAL_PRIORITY_NOTE);
  for (const h of HOOKS as readonly Hook[]) m.set(`hook.${h}`, () => `${h}: ${hookDescription('inet', h)}.`);
  for (const t of CHAIN_TYPES as readonly ChainType[]) m.set(`chainType.${t}`, () => CHAIN_TYPE_DESCRIPTIONS[t]);
  for (const f of FAMILIES as readonly Family[]) m.set(`family.${f}`, () => `${f}: ${FAMILY_DESCRIPTIONS[f]}.`);
  for (const p of Object.keys(PLACEMENT) as PlacedStatement[]) {
    const r = PLACEMENT[p];
    m.set(`placement.${p}`, () => `${r.purpose}: ${r.chainType ? `${r.chainType} chains on ` : ''}${r.hooks.join(', ')}.`);
  }
  // what a match field is (src/knowledge/expressions.ts): field.tcp.dport, field.meta.l4proto, field.ct.state
  for (const [proto, fields] of Object.entries(PAYLOAD_FIELDS)) for (const [f, info] of Object.entries(fields)) m.set(`field.${proto}.${f}`, () => `${proto} ${f}: ${info.doc}.`);
  for (const [k, info] of Object.entries(META_KEYS)) m.set(`field.meta.${k}`, () => `meta ${k}: ${info.doc}.`);
  for (const [k, info] of Object.entries(CT_KEYS)) m.set(`field.ct.${k}`, () => `ct ${k}: ${info.doc}.`);
  return m;
}

const ENTRIES = entries();

/** Every id a lesson may name, sorted (for the docs and the validator's message). */
export const KNOWLEDGE_IDS: readonly string[] = [...ENTRIES.keys()].sort();

export function isKnowledgeId(id: string): boolean {
  return ENTRIES.has(id);
}

/** The entry's text ('' for an unknown id; the validator keeps those out). */
export function knowledgeText(id: string): string {
  return ENTRIES.get(id)?.() ?? '';
}
