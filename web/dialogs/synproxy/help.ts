/**
 * Help texts of the synproxy wizard (nft.8; nftables wiki "Synproxy"). Short
 * lines sit under the fields; the long ones are in the dialog's help section.
 */
import { synAckTcpdumpCommand } from '../../../src/wizard/index.ts';

export const HELP = {
  ports: 'TCP ports whose handshake synproxy answers. Type a number and press Enter (or comma).',
  family: 'ip: IPv4 only; ip6: IPv6 only; inet: both in one table.',
  placement: {
    input: 'A service on this host: synproxy in an input chain.',
    forward: 'A server behind this host (router, load balancer): synproxy in a forward chain.',
  },
  table: 'A new table, or an existing ip/ip6/inet table of the design to add to (nothing in it is changed).',
  mss: 'Maximum segment size the backend announces (1..65535; 1460 on Ethernet). Must match the backend server.',
  wscale: 'Window scale the backend announces (0..14; Linux often 7). Must match the backend server.',
  timestamp: 'Carries window scaling and SACK inside the SYN cookie; without it clients lose both.',
  sackPerm: 'Selective acknowledgement: turn on when the backend announces sackOK.',
  mode: {
    anonymous: 'The parameters are written in the rule (nftables ≥ 0.9.2).',
    named: 'A named synproxy object of the table, used by the rule (nftables ≥ 0.9.3).',
    'per-source': 'A map chooses an object by source network, each with its own mss/wscale (nftables ≥ 0.9.3).',
  },
  objectName: 'Letters, digits and / - _ . ; not an nft keyword.',
  defaultObject: 'Sources that no row matches use this object. Without it, their connections get no synproxy and fail.',
} as const;

export function tcpdumpHelp(port?: number): { intro: string; command: string; reading: string } {
  return {
    intro:
      'Synproxy answers the client\'s SYN itself, before the server sees it, so it must announce exactly the MSS and window scale the backend server would. Nothing measures them for you: read them from the server\'s own SYN-ACK, with synproxy not yet in place, on the server or on the interface towards it:',
    command: synAckTcpdumpCommand(port),
    reading:
      'Then open a connection to the port. tcpdump prints the SYN-ACK options like [mss 1460,sackOK,TS val … ecr …,nop,wscale 7]: mss → mss, wscale → wscale, sackOK → sack-perm, TS → timestamp.',
  };
}
