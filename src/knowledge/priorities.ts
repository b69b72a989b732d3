/**
 * Standard chain priority names, their values and the hooks that accept them,
 * per family (nft 1.0.6 `std_prios[]`, `bridge_std_prios[]`,
 * `std_prio_family_hook_compat()`, verified by loading every name on every hook).
 */
import { lists11, type ListingTarget } from './listing.ts';
import type { Family, Hook, Priority } from '../model/types.ts';

export interface StdPriority {
  name: string;
  value: number;
  /** hooks that accept the name; undefined = every hook of the family */
  hooks?: readonly Hook[];
}

const INET_PRIOS: readonly StdPriority[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];

const BRIDGE_PRIOS: readonly StdPriority[] = [
  { name: 'dstnat', value: -300, hooks: ['prerouting'] },
  { name: 'filter', value: -200 },
  { name: 'out', value: 100, hooks: ['output'] },
  { name: 'srcnat', value: 300, hooks: ['postrouting'] },
];

const FILTER_ONLY: readonly StdPriority[] = [{ name: 'filter', value: 0 }];

export function stdPriorities(family: Family): readonly StdPriority[] {
  switch (family) {
    case 'ip':
    case 'ip6':
    case 'inet':
      return INET_PRIOS;
    case 'bridge':
      return BRIDGE_PRIOS;
    case 'arp':
    case 'netdev':
      return FILTER_ONLY;
  }
}

/**
 * Hooks where nft 1.1 also takes (and lists) the ip/ip6/inet NAT priorities by
 * name: 1.0.6 refuses `priority srcnat` on input ("invalid priority expression
 * value in this context") and prints `priority 100` there; 1.1.3 takes it on a
 * filter or nat chain and lists `priority srcnat` (both verified by loading).
 */
const NAT_NAMES_11: Readonly<Record<string, readonly Hook[]>> = { dstnat: ['prerouting', 'output'], srcnat: ['postrouting', 'input'] };

/** The hooks on which the target takes the name `p` (undefined: every hook of the family). */
export function acceptedHooks(family: Family, p: StdPriority, target: ListingTarget | undefined): readonly Hook[] | undefined {
  return lists11(target) && family !== 'bridge' && NAT_NAMES_11[p.name] ? NAT_NAMES_11[p.name] : p.hooks;
}

/** The standard names usable on this family and hook for the target, in nft's table order. */
export function priorityNamesFor(family: Family, hook: Hook, target: ListingTarget): StdPriority[] {
  return stdPriorities(family).filter((p) => {
    const hooks = acceptedHooks(family, p, target);
    return !hooks || hooks.includes(hook);
  });
}

export function stdPriority(family: Family, name: string): StdPriority | undefined {
  return stdPriorities(family).find((p) => p.name === name);
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** The numeric value of a priority, or undefined for a `$variable` or an unknown name. */
export function priorityValue(family: Family, p: Priority): number | undefined {
  switch (p.kind) {
    case 'num':
      return p.value;
    case 'std': {
      const std = stdPriority(family, p.name);
      return std ? std.value + p.offset : undefined;
    }
    case 'var':
      return undefined;
  }
}

/**
 * How nft lists a numeric priority (`prio2str()`): at the first standard value
 * within ±10, a name valid on this hook prints as `name`, `name + N` or
 * `name - N`; otherwise (or if that first name is not valid here) the number.
 */
export function formatPriorityValue(family: Family, hook: Hook, value: number, target?: ListingTarget): string {
  for (const p of stdPriorities(family)) {
    const offset = value - p.value;
    if (offset < -10 || offset > 10) continue;
    const hooks = acceptedHooks(family, p, target);
    if (hooks && !hooks.includes(hook)) break;
    if (offset === 0) return p.name;
    return offset > 0 ? `${p.name} + ${offset}` : `${p.name} - ${-offset}`;
  }
  return String(value);
}

/** The priority as nft would list it; a variable prints as itself. */
export function formatPriority(family: Family, hook: Hook, p: Priority, target?: ListingTarget): string {
  if (p.kind === 'var') return `$${p.name}`;
  const value = priorityValue(family, p);
  if (value === undefined) {
    // Unknown name for this family: keep the user's text so nft reports it.
    return p.kind === 'std' ? stdText(p.name, p.offset) : String(p);
  }
  return formatPriorityValue(family, hook, value, target);
}

function stdText(name: string, offset: number): string {
  if (offset === 0) return name;
  return offset > 0 ? `${name} + ${offset}` : `${name} - ${-offset}`;
}

/** The user's own spelling of a priority (for forms). */
export function priorityText(p: Priority): string {
  switch (p.kind) {
    case 'num':
      return String(p.value);
    case 'std':
      return stdText(p.name, p.offset);
    case 'var':
      return `$${p.name}`;
  }
}
