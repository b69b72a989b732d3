/**
 * Tables and chains for the rule builder's tests and dev page: the nftables
 * wiki's synproxy designs, built through the parser so they are what a person
 * would get from importing the wiki text.
 */
import type { Chain, Family, Rule, Table } from '../../../src/model/types.ts';
import { parse } from '../../../src/parse/index.ts';
import { parseRuleText } from './text.ts';

export const WIKI_TABLE_TEXT = `table inet synp {
	synproxy https-synproxy {
		mss 1460
		wscale 7
		timestamp sack-perm
	}

	synproxy other-synproxy {
		mss 1460
		wscale 5
	}

	counter hits {
	}

	ct helper ftp-std {
		type "ftp" protocol tcp
		l3proto inet
	}

	set allowed {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8 }
	}

	set ports {
		type inet_service
		elements = { 80, 443 }
	}

	set banned {
		type ipv4_addr
		flags dynamic,timeout
		timeout 1h
	}

	map per-source {
		type ipv4_addr : synproxy
		flags interval
		elements = { 192.168.1.0/24 : "https-synproxy" }
	}

	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 8888 tcp flags syn notrack
	}

	chain in {
		type filter hook input priority filter; policy accept;
		ct state invalid drop
	}

	chain forward {
		type filter hook forward priority filter; policy accept;
	}

	chain web {
	}

	chain post {
		type nat hook postrouting priority srcnat; policy accept;
	}
}
`;

export interface Fixture {
  table: Table;
  chain(name: string): Chain;
}

export function wikiFixture(): Fixture {
  const res = parse(WIKI_TABLE_TEXT);
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`fixture does not parse: ${errors.map((d) => d.message).join('; ')}`);
  const table = res.ruleset.tables[0];
  return {
    table,
    chain(name: string): Chain {
      const c = table.chains.find((x) => x.name === name);
      if (!c) throw new Error(`no chain ${name}`);
      return c;
    },
  };
}

/** A rule from its text, for tests; throws on errors. */
export function ruleOf(text: string, family: Family = 'inet', id = 'r_test'): Rule {
  const r = parseRuleText(text, family, id);
  if (!r.rule) throw new Error(`rule does not parse: ${r.findings.map((f) => f.message).join('; ')}`);
  return r.rule;
}
