import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { addRule, moveRule, updateRule } from '../../src/model/ops.ts';
import { countFindings, sameNavigatorView } from './Navigator.tsx';

const rs = parse(`table inet a {
	set s {
		type ipv4_addr
	}

	chain c1 {
		tcp dport 22 accept
		tcp dport 80 accept
	}

	chain c2 {
		udp dport 53 accept
	}
}
table ip b {
	chain x {
	}
}
`).ruleset;
const [a, b] = rs.tables;
const [c1, c2] = a.chains;
const d = (nodeId: string, severity: Diagnostic['severity']): Diagnostic => ({ id: 'test/x', nodeId, severity, message: 'm' });

describe('countFindings (the navigator badges)', () => {
  it('a rule counts on itself, its chain and its table; a set on itself and its table; notes do not count', () => {
    const m = countFindings(rs, [d(c1.rules[0].id, 'error'), d(c1.rules[1].id, 'warning'), d(c1.rules[1].id, 'error'), d(c2.rules[0].id, 'info'), d(a.sets[0].id, 'warning'), d(b.chains[0].id, 'error')]);
    expect(m.get(c1.rules[1].id)).toEqual({ errors: 1, warnings: 1 });
    expect(m.get(c1.id)).toEqual({ errors: 2, warnings: 1 });
    expect(m.get(c2.id)).toBeUndefined();
    expect(m.get(a.sets[0].id)).toEqual({ errors: 0, warnings: 1 });
    expect(m.get(a.id)).toEqual({ errors: 2, warnings: 2 });
    expect(m.get(b.chains[0].id)).toEqual({ errors: 1, warnings: 0 });
    expect(m.get(b.id)).toEqual({ errors: 1, warnings: 0 });
  });
  it('nothing to count: an empty map', () => {
    expect(countFindings(rs, []).size).toBe(0);
    expect(countFindings(rs, [d(c2.rules[0].id, 'info'), d('', 'error')]).size).toBe(0);
  });
});

describe('sameNavigatorView (the navigator re-renders only when what it shows changes)', () => {
  it('a rule\'s own edit is the same view; adding a rule, reordering, renaming a chain, another rule id are not', () => {
    expect(sameNavigatorView(rs, updateRule(rs, c1.rules[0].id, { comment: 'edited' }))).toBe(true);
    expect(sameNavigatorView(rs, moveRule(rs, c1.rules[0].id, 1))).toBe(false);
    expect(sameNavigatorView(rs, addRule(rs, c2.id, { id: 'r_new', stmts: [] }).ruleset)).toBe(false);
    const renamed = { ...rs, tables: [{ ...a, chains: [{ ...c1, name: 'other' }, c2] }, b] };
    expect(sameNavigatorView(rs, renamed)).toBe(false);
    const swapped = { ...rs, tables: [{ ...a, chains: [{ ...c1, rules: [{ ...c1.rules[0], id: 'r_other' }, c1.rules[1]] }, c2] }, b] };
    expect(sameNavigatorView(rs, swapped)).toBe(false);
  });
});
