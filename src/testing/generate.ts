/**
 * Deterministic generated rulesets for benchmarks and scale tests: a mix of
 * matches, anonymous sets, named-set lookups, jumps into regular chains, NAT,
 * logging, limits and synproxy, in nft listing form (so nft -c accepts them).
 */

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedRuleset {
  text: string;
  rules: number;
}

/** About `rules` rules in one inet table: 20 regular chains, a blocklist set, an input base chain. */
export function generateRuleset(rules: number, seed = 1): GeneratedRuleset {
  const r = rng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const ip = (): string => `10.${int(256)}.${int(256)}.${1 + int(254)}`;
  const port = (): number => 1 + int(65000);
  const chains = 20;
  const perChain = Math.floor(rules / (chains + 1));
  const lines: string[] = ['table inet bench {', '\tset blocklist {', '\t\ttype ipv4_addr', '\t\tflags interval', '\t\telements = { 192.0.2.0/24, 198.51.100.0/24,', '\t\t\t     203.0.113.0/24 }', '\t}', ''];
  let count = 0;
  const ruleText = (c: number): string => {
    switch (int(10)) {
      case 0:
        return `ip saddr ${ip()} tcp dport { ${port()}, ${port()}, ${port()} } ct state new counter packets 0 bytes 0 accept`;
      case 1:
        return `ip saddr @blocklist drop`;
      case 2:
        return `tcp dport ${port()} ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm`;
      case 3:
        return `iifname "eth${int(4)}" ip daddr ${ip()} udp dport ${port()} accept`;
      case 4:
        return `meta mark 0x${int(4096).toString(16).padStart(8, '0')} ip saddr 10.${int(256)}.0.0/16 jump c${(c + 1 + int(chains - 1)) % chains}`;
      case 5:
        return `tcp flags syn / fin,syn,rst,ack limit rate ${1 + int(100)}/second accept`;
      case 6:
        return `ip protocol icmp icmp type { echo-reply, echo-request } accept`;
      case 7:
        return `ct state established,related accept comment "rule ${count}"`;
      case 8:
        return `ip6 saddr 2001:db8::${int(65535).toString(16)} tcp dport ${port()} log prefix "drop ${count}: " drop`;
      default:
      {
        const a = port();
        return `tcp dport ${a}-${a + 1 + int(500)} ip saddr != 10.${int(256)}.${int(256)}.0/24 reject with tcp reset`;
      }
    }
  };
  for (let c = 0; c < chains; c++) {
    lines.push(`\tchain c${c} {`);
    for (let i = 0; i < perChain; i++, count++) lines.push(`\t\t${ruleText(c).replace(/jump c(\d+)/, (_m, n: string) => (Number(n) > c ? `jump c${n}` : 'accept'))}`);
    lines.push('\t}', '');
  }
  lines.push('\tchain input {', '\t\ttype filter hook input priority filter; policy accept;');
  for (let i = 0; count < rules; i++, count++) {
    lines.push(`\t\t${i % 50 === 0 ? `iifname "eth${int(4)}" jump c${int(chains)}` : ruleText(chains).replace(/jump c\d+/, 'accept')}`);
  }
  lines.push('\t}', '}', '');
  return { text: lines.join('\n'), rules: count };
}

/** A named set of `n` distinct IPv4 addresses, in listing form (two per line). */
export function generateLargeSet(n: number): string {
  const els: string[] = [];
  for (let i = 0; i < n; i++) els.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  let body = '';
  for (let i = 0; i < els.length; i++) {
    if (i > 0) body += i % 2 === 0 ? ',\n\t\t\t     ' : ', ';
    body += els[i];
  }
  return `table ip big {\n\tset hosts {\n\t\ttype ipv4_addr\n\t\telements = { ${body} }\n\t}\n\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tip saddr @hosts accept\n\t}\n}\n`;
}

/** One input base chain around `rule`, in listing form. */
function oneRuleTable(rule: string): string {
  return `table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\t${rule}\n\t}\n}\n`;
}

/** `meta mark & 0x00000001 & … == 0x00000001 accept` with `ops` operators (nft 1.0.6 loads 52, crashes from 53). */
export function generateBinopChain(ops: number): string {
  return oneRuleTable(`meta mark${' & 0x00000001'.repeat(ops)} == 0x00000001 accept`);
}

/** `ip saddr . ((…(meta mark)…)) 10.0.0.1 . 0x00000001 accept` with `depth` parentheses (nft 1.0.6 takes up to 9984). */
export function generateParenthesized(depth: number): string {
  return oneRuleTable(`ip saddr . ${'('.repeat(depth)}meta mark${')'.repeat(depth)} 10.0.0.1 . 0x00000001 accept`);
}

/** `{"&": [{"&": [… {"meta": {"key": "mark"}} …, 1]}, 1]}` `ops` deep, as one rule of table ip t, chain c. */
export function generateBinopChainJson(ops: number): string {
  const left = `${'{"&": ['.repeat(ops)}{"meta": {"key": "mark"}}${', 1]}'.repeat(ops)}`;
  const rule = `{"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"match": {"op": "==", "left": ${left}, "right": 1}}, {"accept": null}]}}`;
  return `{"nftables": [{"table": {"family": "ip", "name": "t"}}, {"chain": {"family": "ip", "table": "t", "name": "c"}}, ${rule}]}`;
}
