import { describe, expect, it } from 'vitest';
import { ruleFieldsFor } from '../../../src/knowledge/ruleFields.ts';
import { rankFields } from './MatchEditor.tsx';

const inet = ruleFieldsFor('inet');
const first = (typed: string): string | undefined => rankFields(inet, typed)[0]?.id;

describe('the field picker ranks names before descriptions', () => {
  it('takes the field whose name is typed, or ends or starts with it', () => {
    // ip6 nexthdr comes first in the list, and its words say "l4proto": it is not what was meant
    expect(inet.findIndex((f) => f.id === 'ip6 nexthdr')).toBeLessThan(inet.findIndex((f) => f.id === 'meta l4proto'));
    expect(first('l4proto')).toBe('meta l4proto');
    expect(first('meta l4')).toBe('meta l4proto');
    expect(first('meta l4proto')).toBe('meta l4proto');
    expect(first('  Meta   L4proto ')).toBe('meta l4proto');
    expect(first('tcp dport')).toBe('tcp dport');
    expect(first('nexthdr')).toBe('ip6 nexthdr');
  });

  it('still finds a field by its description, after the names, and nothing for nonsense', () => {
    const byWords = rankFields(inet, 'destination port').map((f) => f.id);
    expect(byWords).toContain('tcp dport');
    expect(rankFields(inet, 'zzzz')).toEqual([]);
    expect(rankFields(inet, '')).toHaveLength(inet.length);
  });
});
