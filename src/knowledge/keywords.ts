/**
 * Words nft 1.0.6 refuses as the name of a table, chain, set, map or object,
 * because its scanner turns them into keywords in the initial scope. Obtained by
 * loading each candidate word (every quoted word in nft's scanner.l, plus the
 * words of its sub-scopes) as a table, chain and set name with the real nft in a
 * private network namespace; tests/kernel re-checks the list. Names cannot be
 * quoted in nft 1.0.6 (nor in 1.1.x), so a keyword can never be a name.
 */
export const NFT_KEYWORDS: ReadonlySet<string> = new Set(
  `accept add ah all and arp auto-merge bridge cgroup chain comment comp constant continue counter cpu create ct day dccp define delete describe device devices dnat drop dst dup dynamic ecn element elements eq esp ether exists expires export exthdr fib flags flow flowtable flush frag fwd gc-interval ge get goto gt handle hbh hook hour ibriport ibrname icmp icmpv6 igmp iif iifgroup iifname iiftype import include index inet insert interval ip ip6 ipsec jhash jump le limit list log lshift lt map mark masquerade meta meter mh missing monitor ne netdev nftrace not notrack numgen obriport obrname offload oif oifgroup oifname oiftype or osf pkttype policy position priority queue quota random redefine redirect reject rename replace reset return rshift rt rt0 rt2 rtclassid rule ruleset sctp secmark set size skgid skuid snat socket srh symhash synproxy table tcp th time timeout tproxy type typeof udp udplite undefine update vlan vmap xor xt `.trim().split(/\s+/),
);

/**
 * Words that are keywords only inside a sub-scope and therefore ARE accepted as
 * names (kept for tests: they must stay accepted).
 */
export const SCOPED_WORDS_ACCEPTED: readonly string[] = [
  'filter', 'nat', 'raw', 'mangle', 'security', 'input', 'output', 'forward', 'prerouting', 'postrouting',
  'ingress', 'egress', 'state', 'new', 'established', 'invalid', 'dport', 'sport', 'saddr', 'daddr', 'mss',
  'wscale', 'timestamp', 'helper', 'expectation', 'name', 'protocol', 'over', 'until', 'bytes', 'packets',
  'rate', 'burst', 'second', 'minute', 'week', 'level', 'prefix', 'group', 'to', 'last', 'dormant', 'memory',
  'performance', 'destroy',
];
