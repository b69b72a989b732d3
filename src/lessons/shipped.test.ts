/**
 * The shipped lessons are lesson files like a trainer's: read by the same
 * reader. Each is worked through here on real designs: nothing is met on an
 * empty design, everything that can be checked is met on a solution, and the
 * steps turn met one after the other as the design grows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { lint } from '../lint/index.ts';
import { emptyDesign } from '../model/types.ts';
import type { Lesson, Paragraph } from './format.ts';
import { evaluateLesson } from './evaluate.ts';
import { knowledgeText } from './knowledge.ts';
import { parseLessonText } from './validate.ts';

const DIR = join(import.meta.dirname, 'shipped');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

function load(file: string): Lesson {
  const r = parseLessonText(readFileSync(join(DIR, file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.errors.join('; ')}`);
  return r.lesson;
}

function statuses(lesson: Lesson, text: string, confirmed: string[] = []): string[] {
  const p = parse(text);
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return evaluateLesson(lesson, { ruleset: p.ruleset, findings: lint(p.ruleset), confirmed: new Set(confirmed) }).map((r) => r.status);
}

const byId = (id: string): Lesson => FILES.map(load).find((l) => l.id === id) as Lesson;

describe('shipped lessons', () => {
  it('are the four lessons, each a valid lesson file', () => {
    expect(FILES.map(load).map((l) => l.id).sort()).toEqual(['drop-by-default', 'nat-router', 'sets-and-maps', 'synproxy-port']);
  });

  it('every knowledge reference resolves to text', () => {
    for (const l of FILES.map(load)) {
      const paras: Paragraph[] = [...(l.summary ?? []), ...l.steps.flatMap((s) => [...s.task, ...(s.explain ?? []), ...(s.hint ?? [])])];
      for (const p of paras) if (typeof p !== 'string') expect(knowledgeText(p.explain), `${l.id}: ${p.explain}`).not.toBe('');
    }
  });

  it('nothing is met on an empty design', () => {
    for (const l of FILES.map(load)) {
      const r = evaluateLesson(l, { ruleset: emptyDesign(), findings: [], confirmed: new Set() });
      // "no lint errors" is trivially true on an empty design; every other step is not
      expect(r.filter((x) => x.status === 'met').map((x) => x.stepId), l.id).toEqual(l.steps.filter((s) => s.goal.kind === 'lint').map((s) => s.id));
    }
  });
});

describe('Protect a port with synproxy', () => {
  const lesson = () => byId('synproxy-port');
  const PRE = `table inet web {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport { 80, 443 } tcp flags syn notrack
	}
`;
  const IN = `	chain in {
		type filter hook input priority filter; policy accept;
		tcp dport { 80, 443 } ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
`;
  it('turns met step by step', () => {
    const l = lesson();
    // (the steps: notrack, synproxy rule, invalid drop, the SYN traced, host sysctls, mss and wscale)
    expect(statuses(l, `${PRE}}\n`)).toEqual(['met', 'unmet', 'unmet', 'unmet', 'unmet', 'unmet']);
    expect(statuses(l, `${PRE}${IN}\t}\n}\n`)).toEqual(['met', 'met', 'unmet', 'met', 'unmet', 'met']);
    const whole = `${PRE}${IN}\t\tct state invalid drop\n\t}\n}\n`;
    expect(statuses(l, whole)).toEqual(['met', 'met', 'met', 'met', 'unmet', 'met']);
    expect(statuses(l, whole, ['host-sysctls'])).toEqual(['met', 'met', 'met', 'met', 'met', 'met']);
    // an accept of the port above the synproxy rule: every rule is there, but the traced SYN never reaches synproxy
    const shadowed = whole.replace('\t\ttcp dport { 80, 443 } ct state', '\t\ttcp dport 443 accept\n\t\ttcp dport { 80, 443 } ct state');
    expect(statuses(l, shadowed, ['host-sysctls'])).toEqual(['met', 'met', 'met', 'unmet', 'met', 'met']);
  });
  it('the wizard-style ip table and named objects count; the wrong port, place or priority do not', () => {
    const l = lesson();
    const named = `table ip t {
	synproxy sp {
		mss 1460
		wscale 7
		timestamp sack-perm
	}
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		tcp dport 443 tcp flags syn notrack
	}
	chain in {
		type filter hook input priority filter; policy drop;
		tcp dport 443 ct state invalid,untracked synproxy name "sp"
		ct state invalid drop
	}
}
`;
    expect(statuses(l, named, ['host-sysctls'])).toEqual(['met', 'met', 'met', 'met', 'met', 'met']);
    expect(statuses(l, named.replace(/443/g, '8443'))).toEqual(['unmet', 'unmet', 'unmet', 'unmet', 'unmet', 'met']);
    expect(statuses(l, named.replace('priority -300', 'priority filter'))[0]).toBe('unmet');
    expect(statuses(l, named.replace('hook input', 'hook forward'))).toEqual(['met', 'unmet', 'unmet', 'unmet', 'unmet', 'met']);
    expect(statuses(l, named.replace('wscale 7', 'wscale 20'))[5]).toBe('unmet');
  });
});

describe('A server that drops by default', () => {
  const WORKSTATION = `table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		iif "lo" accept
		meta l4proto { icmp, ipv6-icmp } accept
		tcp dport 22 accept
	}
}
`;
  it('the whole server meets every step', () => {
    expect(statuses(byId('drop-by-default'), WORKSTATION)).toEqual(['met', 'met', 'met', 'met', 'met', 'met', 'met']);
  });
  it('ICMP for one family only, or with ip6 nexthdr, is not enough', () => {
    const l = byId('drop-by-default');
    expect(statuses(l, WORKSTATION.replace('meta l4proto { icmp, ipv6-icmp } accept', 'ip protocol icmp accept'))[3]).toBe('unmet');
    expect(statuses(l, WORKSTATION.replace('meta l4proto { icmp, ipv6-icmp } accept', 'ip protocol icmp accept\n\t\tip6 nexthdr ipv6-icmp accept'))[3]).toBe('unmet');
    expect(statuses(l, WORKSTATION.replace('meta l4proto { icmp, ipv6-icmp } accept', 'icmp type echo-request accept\n\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept'))[3]).toBe('met');
  });
  it('policy accept, no loopback, no SSH, a lint error', () => {
    const l = byId('drop-by-default');
    expect(statuses(l, WORKSTATION.replace('policy drop', 'policy accept'))).toEqual(['unmet', 'unmet', 'unmet', 'unmet', 'unmet', 'unmet', 'met']);
    expect(statuses(l, WORKSTATION.replace('\t\tiif "lo" accept\n', ''))[2]).toBe('unmet');
    expect(statuses(l, WORKSTATION.replace('tcp dport 22 accept', 'tcp dport 22 drop'))[4]).toBe('unmet');
    expect(statuses(l, WORKSTATION.replace('tcp dport 22 accept', 'tcp dport 22 accept\n\t\tmasquerade'))[6]).toBe('unmet');
  });
  it('what the design does, traced: a bare drop at the top, or tcp dport 22 drop above the accept, leaves every rule in place but fails the traced step', () => {
    const l = byId('drop-by-default');
    const top = WORKSTATION.replace('\t\tct state established,related accept\n', '\t\tdrop\n\t\tct state established,related accept\n');
    expect(statuses(l, top)).toEqual(['met', 'met', 'met', 'met', 'met', 'unmet', 'met']);
    const r = evaluateLesson(l, { ruleset: parse(top).ruleset, findings: [], confirmed: new Set() })[5];
    expect(r.missing.join(' ')).toContain('decided by "drop" in chain input');
    expect(statuses(l, WORKSTATION.replace('\t\ttcp dport 22 accept', '\t\ttcp dport 22 drop\n\t\ttcp dport 22 accept'))).toEqual(['met', 'met', 'met', 'met', 'met', 'unmet', 'met']);
  });
});

describe('A NAT router', () => {
  const ROUTER = `table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
table inet router {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "eth1" oifname "eth0" accept
	}
}
`;
  it('the router meets every checked step; forwarding is confirmed', () => {
    const l = byId('nat-router');
    expect(statuses(l, ROUTER)).toEqual(['met', 'met', 'met', 'met', 'unmet', 'met']);
    expect(statuses(l, ROUTER, ['ip-forward'])).toEqual(['met', 'met', 'met', 'met', 'met', 'met']);
  });
  it('masquerade in a filter chain or in prerouting does not count', () => {
    const l = byId('nat-router');
    expect(statuses(l, ROUTER.replace('type nat hook postrouting priority srcnat', 'type filter hook postrouting priority srcnat'))[3]).toBe('unmet');
    expect(statuses(l, ROUTER.replace('policy drop', 'policy accept'))).toEqual(['unmet', 'unmet', 'unmet', 'met', 'unmet', 'met']);
  });
});

describe('Sets and maps', () => {
  const SETS = `table inet filter {
	set allowed_ports {
		type inet_service
		elements = { 22, 80, 443 }
	}

	set lan {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8, 192.168.0.0/16 }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		tcp dport @allowed_ports accept
		ip saddr @lan accept
		udp dport vmap { 53 : accept, 123 : drop }
	}
}
`;
  it('meets every step', () => {
    expect(statuses(byId('sets-and-maps'), SETS)).toEqual(['met', 'met', 'met', 'met']);
  });
  it('an unused set, no vmap, no interval flag', () => {
    const l = byId('sets-and-maps');
    expect(statuses(l, SETS.replace('tcp dport @allowed_ports accept', 'tcp dport 22 accept').replace('ip saddr @lan accept', 'ip saddr 10.0.0.0/8 accept'))).toEqual(['unmet', 'met', 'unmet', 'met']);
    expect(statuses(l, SETS.replace('\t\tudp dport vmap { 53 : accept, 123 : drop }\n', ''))[1]).toBe('unmet');
    expect(statuses(l, SETS.replace('\t\tflags interval\n', '').replace('10.0.0.0/8, 192.168.0.0/16', '10.0.0.1, 192.168.0.1'))[2]).toBe('unmet');
  });
});
