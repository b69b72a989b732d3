import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { countFindings } from './Navigator.tsx';

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
