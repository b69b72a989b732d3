/**
 * Family × chain type × hook, and where a device is required or refused
 * (nft-reference §1.1/§1.2, verified over all 6×3×7 combinations).
 */
import { chainTypesFor, familyHooks, hookTakesDevice, hooksFor, isChainAllowed } from '../../knowledge/families.ts';
import { a } from '../text.ts';
import { listingTargetFor, lists11 } from '../../knowledge/listing.ts';
import type { Check } from './check.ts';

export const chainStructure: Check = {
  name: 'chain structure',
  findings: [
    { id: 'chain/family-hook', severity: 'error', summary: 'the family has no such hook (e.g. ip ingress, arp forward)' },
    { id: 'chain/type-hook', severity: 'error', summary: 'the chain type does not exist in the family or not on this hook (e.g. nat forward)' },
    { id: 'chain/device-missing', severity: 'error', summary: 'netdev ingress/egress and inet ingress chains need a device (nft 1.0.x refuses the chain)' },
    { id: 'chain/no-device', severity: 'warning', summary: 'a netdev ingress/egress or inet ingress chain without a device: nft 1.1 loads it, but it sees no packet' },
    { id: 'chain/device-refused', severity: 'error', summary: 'a device on any other hook' },
  ],
  run(ctx) {
    for (const ti of ctx.tables) {
      const family = ti.table.family;
      for (const chain of ti.table.chains) {
        const b = chain.base;
        if (!b) continue;
        const hooks = familyHooks(family);
        if (!hooks.includes(b.hook)) {
          const arpForward = family === 'arp' && b.hook === 'forward';
          ctx.report({
            id: 'chain/family-hook',
            severity: 'error',
            message: `the ${family} family has no ${b.hook} hook`,
            why:
              `A ${family} table offers the hooks ${hooks.join(', ')}. ` +
              (arpForward
                ? 'nft 1.0.6 parses "hook forward" in an arp table, but the kernel rejects the chain ("Operation not supported"). '
                : `nft refuses the chain ("The ${family} family does not support this hook"). `) +
              `Pick one of those hooks${b.hook === 'ingress' || b.hook === 'egress' ? ', or use a netdev table (ingress/egress of one device)' : ''}.`,
            nodeId: chain.id,
            field: 'hook',
            at: ctx.loc?.valueAfter(chain.id, ['hook'], { header: true }),
          });
        } else if (!isChainAllowed(family, b.type, b.hook)) {
          const types = chainTypesFor(family);
          const known = types.includes(b.type);
          ctx.report({
            id: 'chain/type-hook',
            severity: 'error',
            message: known ? `a ${b.type} chain cannot use the ${b.hook} hook in ${a(family)} table` : `${family} tables have no ${b.type} chains`,
            why: known
              ? `In ${family} tables, ${b.type} chains attach only to ${hooksFor(family, b.type).join(', ')}; the kernel rejects other hooks ("Operation not supported"). ` +
                (b.type === 'nat'
                  ? 'NAT happens before routing (prerouting, output) or after it (postrouting, input), never in forward: filter forwarded traffic in a filter chain instead.'
                  : b.type === 'route'
                    ? 'A route chain re-routes locally generated packets whose mark or address changed, so it exists only on output.'
                    : 'Choose one of those hooks.')
              : `${family} tables only know ${types.join(', ')} chains; the kernel rejects the chain ("No such file or directory"). Use type filter, or put NAT and route chains in an ip, ip6 or inet table.`,
            nodeId: chain.id,
            field: known ? 'hook' : 'type',
            at: ctx.loc?.valueAfter(chain.id, [known ? 'hook' : 'type'], { header: true }),
          });
        }
        const wantsDevice = hookTakesDevice(family, b.hook);
        const hasDevice = (b.devices?.length ?? 0) > 0;
        if (wantsDevice && !hasDevice && lists11(listingTargetFor(ctx.target))) {
          ctx.report({
            id: 'chain/no-device',
            severity: 'warning',
            message: `${a(`${family} ${b.hook}`)} chain without a device sees no packet`,
            why: `The ${b.hook} hook belongs to network interfaces, and this chain names none. nft ${ctx.target} loads it (nft 1.0.6 refuses it: "Missing \`device' in this chain definition"), but until a device is added it is hooked to no interface, so no packet passes through it. Name the interface: device "eth0" (or devices = { eth0, eth1 }) before the priority.`,
            nodeId: chain.id,
            field: 'devices',
            at: ctx.loc?.valueAfter(chain.id, ['hook'], { header: true }),
          });
        } else if (wantsDevice && !hasDevice) {
          ctx.report({
            id: 'chain/device-missing',
            severity: 'error',
            message: `${a(`${family} ${b.hook}`)} chain needs a device`,
            why: `The ${b.hook} hook belongs to one network interface, so the chain must name it: device "eth0" (or devices = { eth0, eth1 }) before the priority. nft ${ctx.target} refuses the chain otherwise ("Missing \`device' in this chain definition"; nft 1.1 loads it, hooked to no interface).`,
            nodeId: chain.id,
            field: 'devices',
            at: ctx.loc?.valueAfter(chain.id, ['hook'], { header: true }),
          });
        } else if (!wantsDevice && hasDevice) {
          ctx.report({
            id: 'chain/device-refused',
            severity: 'error',
            message: `${a(`${family} ${b.hook}`)} chain cannot be bound to a device`,
            why: `Only netdev ingress/egress and inet ingress chains belong to one interface; ${a(b.hook)} chain sees the packets of every interface, and nft refuses a device there ("This chain type cannot be bound to device"). Remove the device and match the interface in a rule instead, e.g. iifname "eth0".`,
            nodeId: chain.id,
            field: 'devices',
            at: ctx.loc?.phrase(chain.id, ['device', 'devices'], 'priority', { header: true }),
          });
        }
      }
    }
  },
};
