/**
 * Built-in flows for the packet trace: a TCP handshake from a client (SYN, ACK,
 * data, the server's replies), a SYN flood packet from a spoofed source, the
 * reply to a connection the host opened, ping, and DNS over UDP. Each is a list
 * of packet descriptions in nft's words (packet.ts), traced as one flow.
 */
export interface ScenarioPlace {
  /** the client's address (default 203.0.113.10; an ip6 address makes the flow IPv6) */
  client?: string;
  /** the host's own address, the server for a local service (default 198.51.100.1) */
  host?: string;
  /** a server behind the host: the flow is forwarded (iif eth0 → oif eth1) */
  server?: string;
  /** the service's port (default 80; 53 for dns) */
  port?: number;
  /** the device the client's packets arrive on (default eth0) */
  iif?: string;
  /** the device toward the server, for a forwarded flow (default eth1) */
  oif?: string;
}

export const SCENARIOS = {
  handshake: 'a TCP connection from a client: SYN, the server\'s SYN-ACK, ACK, data and the server\'s reply',
  'syn-flood': 'one SYN of a flood, from a spoofed source',
  'outgoing-reply': 'the host opens a connection out, and the reply comes back',
  ping: 'an ICMP echo request from a client, and the echo reply',
  dns: 'a DNS query over UDP from a client to the host (or a server behind it), and the answer',
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

export function isScenario(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

export interface Scenario {
  packets: string[];
  /** the host's addresses, for the trace's routing decision */
  hostAddrs: string[];
}

export function scenario(name: ScenarioName, place: ScenarioPlace = {}): Scenario {
  const client = place.client ?? '203.0.113.10';
  const v6 = client.includes(':');
  const ip = v6 ? 'ip6' : 'ip';
  const host = place.host ?? (v6 ? '2001:db8::1' : '198.51.100.1');
  const server = place.server;
  const dst = server ?? host;
  const iif = `"${place.iif ?? 'eth0'}"`;
  const oif = `"${place.oif ?? 'eth1'}"`;
  const port = place.port ?? (name === 'dns' ? 53 : 80);
  /** client → service: arrives on iif (and leaves by oif when forwarded) */
  const toService = (l4: string): string => `iif ${iif}${server ? ` oif ${oif}` : ''} ${ip} saddr ${client} ${ip} daddr ${dst} ${l4}`;
  /** service → client: sent by the host itself, or forwarded back */
  const fromService = (l4: string): string => `${server ? `iif ${oif} ` : ''}oif ${iif} ${ip} saddr ${dst} ${ip} daddr ${client} ${l4}`;
  const sport = 40000;
  const tcp = (from: boolean, flags: string): string => (from ? fromService(`tcp sport ${port} tcp dport ${sport} tcp flags ${flags}`) : toService(`tcp sport ${sport} tcp dport ${port} tcp flags ${flags}`));
  let packets: string[];
  switch (name) {
    case 'handshake':
      packets = [tcp(false, 'syn'), tcp(true, 'syn,ack'), tcp(false, 'ack'), tcp(false, 'psh,ack'), tcp(true, 'psh,ack')];
      break;
    case 'syn-flood':
      packets = [`iif ${iif}${server ? ` oif ${oif}` : ''} ${ip} saddr ${v6 ? '2001:db8:dead::7' : '192.0.2.77'} ${ip} daddr ${dst} tcp sport 61000 tcp dport ${port} tcp flags syn`];
      break;
    case 'outgoing-reply':
      packets = [`oif ${iif} ${ip} saddr ${host} ${ip} daddr ${client} tcp sport ${sport} tcp dport ${port} tcp flags syn`, `iif ${iif} ${ip} saddr ${client} ${ip} daddr ${host} tcp sport ${port} tcp dport ${sport} tcp flags syn,ack`];
      break;
    case 'ping': {
      const icmp = v6 ? 'icmpv6' : 'icmp';
      packets = [toService(`${icmp} type echo-request`), fromService(`${icmp} type echo-reply`)];
      break;
    }
    case 'dns':
      packets = [toService(`udp sport 53000 udp dport ${port}`), fromService(`udp sport ${port} udp dport 53000`)];
      break;
  }
  return { packets, hostAddrs: [host] };
}
