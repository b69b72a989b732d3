/**
 * Starting points, as nft text in listing form (what `nft list ruleset` prints for
 * them — each is loaded and listed back in the kernel tests). The first two are the
 * nftables wiki's Synproxy page examples.
 */
export interface Template {
  id: string;
  title: string;
  description: string;
  text: string;
}

export const TEMPLATES: readonly Template[] = [
  {
    id: 'synproxy-anonymous',
    title: 'Synproxy on tcp/8888 (wiki, anonymous)',
    description:
      'The nftables wiki example: SYNs to port 8888 skip conntrack (notrack at priority raw, before conntrack at -200); the input chain answers them with synproxy and drops what stays invalid.',
    text: `table ip anon_synproxy_demo {
	chain PRE {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 8888 tcp flags syn notrack
	}

	chain IN {
		type filter hook input priority filter; policy accept;
		tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
		ct state invalid drop
	}
}
`,
  },
  {
    id: 'synproxy-named',
    title: 'Named synproxy objects chosen by source (wiki)',
    description:
      'The nftables wiki example: two named synproxy objects with different window scaling, chosen per source network through a map in a forward chain (named objects need nft ≥ 0.9.3).',
    text: `table ip foo {
	synproxy https-synproxy {
		mss 1460
		wscale 7
		timestamp sack-perm
	}

	synproxy other-synproxy {
		mss 1460
		wscale 5
	}

	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 8888 tcp flags syn notrack
	}

	chain bar {
		type filter hook forward priority filter; policy accept;
		ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy", 192.168.2.0/24 : "other-synproxy" }
	}
}
`,
  },
  {
    id: 'workstation',
    title: 'Workstation',
    description: 'Drop what is not asked for: replies to your own connections, loopback, ICMPv6 and rate-limited ping come in; everything goes out.',
    text: `table inet workstation {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		iif "lo" accept
		meta l4proto ipv6-icmp accept
		icmp type echo-request limit rate 5/second burst 5 packets accept
		tcp dport 22 ct state new accept comment "remove if you do not use SSH"
		counter packets 0 bytes 0 reject
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
	}

	chain output {
		type filter hook output priority filter; policy accept;
	}
}
`,
  },
  {
    id: 'webserver',
    title: 'Web server with rate-limited SSH',
    description: 'HTTP and HTTPS open; new SSH connections limited to 4 a minute per source address through a dynamic set, the rest logged and dropped.',
    text: `table inet webserver {
	set ssh_meter {
		type ipv4_addr
		size 65535
		flags dynamic,timeout
		timeout 1m
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		iif "lo" accept
		meta l4proto { icmp, ipv6-icmp } accept
		tcp dport { 80, 443 } accept
		tcp dport 22 ct state new update @ssh_meter { ip saddr limit rate 4/minute burst 2 packets } accept
		tcp dport 22 ct state new log prefix "ssh-flood: " drop
	}
}
`,
  },
  {
    id: 'nat-router',
    title: 'NAT router',
    description: 'A LAN (eth1, 192.168.1.0/24) behind an uplink (eth0): masquerade outgoing traffic, forward port 8080 to a server, forward only what the LAN started.',
    text: `table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 8080 dnat to 192.168.1.10:80
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" ip saddr 192.168.1.0/24 masquerade
	}
}
table inet router {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		iifname "eth1" oifname "eth0" accept
		ct status dnat accept
	}
}
`,
  },
];

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
