import { describe, expect, it } from 'vitest';
import { blockContext } from './blockContext.ts';

const doc = `define lan = 10.0.0.0/8
table inet filter {
	set allowed {
		type ipv4_addr
		elements = { 10.0.0.1 }
	}

	synproxy https-synproxy {
		mss 1460
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		log prefix "{ not a brace" drop # } nor this
		
	}
}

table bridge br {
	chain fwd {
		type filter hook forward priority filter; policy accept;
		
	}
}
`;
const lines = doc.split('\n');
const getLine = (n: number): string => lines[n - 1] ?? '';
const at = (line: number, col = getLine(line).length + 1) => blockContext(getLine, line, col);

describe('blockContext', () => {
  it('knows the top level', () => {
    expect(at(1)).toEqual({ kind: 'top' });
    expect(at(19)).toEqual({ kind: 'top' });
    expect(at(20, 1)).toEqual({ kind: 'top' });
  });

  it('knows a table and its family', () => {
    expect(at(7)).toEqual({ kind: 'table', family: 'inet' });
    expect(at(2, 1)).toEqual({ kind: 'top' });
  });

  it('knows a set and a named object', () => {
    expect(at(4)).toMatchObject({ kind: 'set', family: 'inet' });
    expect(at(9)).toMatchObject({ kind: 'object', objectKind: 'synproxy', family: 'inet' });
  });

  it('knows a chain with its type and hook, ignoring braces in strings and comments', () => {
    expect(at(16)).toEqual({ kind: 'chain', family: 'inet', chainType: 'filter', hook: 'input' });
    expect(at(23)).toEqual({ kind: 'chain', family: 'bridge', chainType: 'filter', hook: 'forward' });
  });

  it('a table without a family is ip', () => {
    const l = ['table t {', '\t'];
    expect(blockContext((n) => l[n - 1] ?? '', 2, 2)).toEqual({ kind: 'table', family: 'ip' });
  });
});
