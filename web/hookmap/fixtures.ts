/**
 * Designs for the hook map's tests and dev harness (not imported by the map
 * itself): every family, nat chains, devices, `$variable` and out-of-range
 * priorities, equal priorities, jumps, and a generated design with many chains.
 */
import { parse } from '../../src/parse/index.ts';
import type { Ruleset } from '../../src/model/types.ts';

export const ALL_FAMILIES_TEXT = `define EARLY = -250
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 8080 dnat to 192.168.1.10:80
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}

	chain out_nat {
		type nat hook output priority -100; policy accept;
	}
}
table inet filter {
	chain ingress_eth0 {
		type filter hook ingress devices = { eth0, eth1 } priority -500; policy accept;
	}

	chain early {
		type filter hook prerouting priority $EARLY; policy accept;
		jump helper
	}

	chain later {
		type filter hook prerouting priority $LATER; policy accept;
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
	}

	chain input2 {
		type filter hook input priority 0; policy accept;
	}

	chain very_late {
		type filter hook output priority 2147483647; policy accept;
	}

	chain very_early {
		type filter hook output priority -2147483648; policy accept;
	}

	chain at_conntrack {
		type filter hook prerouting priority -200; policy accept;
	}

	chain helper {
		tcp dport 53 notrack
	}

	chain orphan {
		counter
	}
}
table bridge br {
	chain pre {
		type filter hook prerouting priority dstnat; policy accept;
	}

	chain bridged {
		type filter hook forward priority filter; policy accept;
	}

	chain out {
		type filter hook output priority out; policy accept;
	}
}
table arp a {
	chain in {
		type filter hook input priority filter; policy accept;
	}
}
table netdev nd {
	chain ing {
		type filter hook ingress device "eth0" priority filter; policy drop;
	}

	chain eg {
		type filter hook egress device "eth0" priority filter; policy accept;
	}
}
`;

export function parseOrThrow(text: string): Ruleset {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`fixture does not parse: ${errors.map((d) => d.message).join('; ')}`);
  return r.ruleset;
}

const PRIORITIES = ['raw', 'mangle', 'filter', 'security', 'filter + 10', '-300', '-150', '0', '10', 'mangle - 5', '-1000', '5000'];
const HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

/** About `n` base chains in an inet table (plus a long name and some rules), for scale checks. */
export function generatedText(n = 50): string {
  const out: string[] = ['table inet generated {'];
  for (let i = 0; i < n; i++) {
    const hook = HOOKS[i % HOOKS.length];
    let prio = PRIORITIES[(i * 7) % PRIORITIES.length];
    if (hook === 'prerouting' && i % 3 === 0) prio = 'dstnat';
    if (hook === 'postrouting' && i % 3 === 0) prio = 'srcnat';
    const name = i === 3 ? 'a_chain_with_a_really_quite_long_name_that_cannot_fit' : `c${String(i).padStart(2, '0')}_${hook}`;
    out.push(`\tchain ${name} {`, `\t\ttype filter hook ${hook} priority ${prio}; policy ${i % 4 === 0 ? 'drop' : 'accept'};`);
    for (let r = 0; r < i % 4; r++) out.push(`\t\ttcp dport ${1000 + r} counter packets 0 bytes 0 accept`);
    if (i % 11 === 0 && (hook === 'prerouting' || hook === 'output')) out.push('\t\ttcp dport 8888 tcp flags syn notrack');
    if (i % 13 === 1 && (hook === 'input' || hook === 'forward')) out.push('\t\ttcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm');
    out.push('\t}', '');
  }
  out.pop();
  out.push('}');
  return `${out.join('\n')}\n`;
}
