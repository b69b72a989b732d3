/** Knowledge references resolve from src/knowledge, and say what the knowledge says. */
import { describe, expect, it } from 'vitest';
import { IP_STAGES } from '../knowledge/stages.ts';
import { SYNPROXY_HELP } from '../knowledge/synproxyHelp.ts';
import { SYNPROXY_SYSCTLS } from '../knowledge/synproxyFacts.ts';
import { HOOKS } from '../knowledge/families.ts';
import { KNOWLEDGE_IDS, isKnowledgeId, knowledgeText } from './knowledge.ts';

describe('knowledge references', () => {
  it('every id resolves to text', () => {
    for (const id of KNOWLEDGE_IDS) expect(knowledgeText(id).length, id).toBeGreaterThan(10);
  });
  it('the text is the knowledge module\'s own', () => {
    expect(knowledgeText('synproxy.mss')).toBe(SYNPROXY_HELP.mss);
    for (const s of SYNPROXY_SYSCTLS) expect(knowledgeText('synproxy.sysctls')).toContain(`${s.line}: ${s.why}.`);
    const raw = IP_STAGES.find((s) => s.name === 'raw');
    expect(knowledgeText('stage.raw')).toBe(`raw (${raw?.value}): ${raw?.what}.`);
    expect(knowledgeText('field.meta.l4proto')).toContain('skipping IPv6 extension headers');
    for (const h of HOOKS) expect(isKnowledgeId(`hook.${h}`)).toBe(true);
  });
  it('unknown ids have no text', () => {
    expect(isKnowledgeId('synproxy.nothing')).toBe(false);
    expect(knowledgeText('synproxy.nothing')).toBe('');
    expect(isKnowledgeId('__proto__')).toBe(false);
    expect(isKnowledgeId('constructor')).toBe(false);
  });
});
