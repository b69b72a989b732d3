/**
 * Table flags that do something a person rarely means in a script. `owner`
 * gives the table to the process that creates it, and the kernel removes an
 * owned table when its owner closes its netlink socket: `nft -f` exits at once,
 * so the table is gone as soon as it is loaded (seen with nft 1.0.6 and 1.1.3 in
 * a private namespace: `nft list ruleset` afterwards is empty). It is meant for
 * daemons (firewalld) that hold the socket open; with `persist` (nft 1.1.0) an
 * owned table stays when its owner goes, unowned.
 */
import type { Check } from './check.ts';

export const tableFlags: Check = {
  name: 'table flags',
  findings: [{ id: 'table/owner', severity: 'warning', summary: 'flags owner without persist: the table goes away when nft exits' }],
  run(ctx) {
    for (const ti of ctx.tables) {
      const t = ti.table;
      if (!t.flags.includes('owner') || t.flags.includes('persist')) continue;
      ctx.report({
        id: 'table/owner',
        severity: 'warning',
        message: `table ${t.name} has flags owner: the kernel removes it as soon as the nft that loads it exits`,
        why: 'An owned table belongs to the process that created it and is deleted when that process closes its netlink socket. `nft -f` exits right after loading, so the table (and every rule in it) is gone at once: `nft list ruleset` shows nothing. The flag is for daemons that keep nft\'s socket open. Remove it, or add persist (nft 1.1.0) so the table stays when its owner goes.',
        nodeId: t.id,
        field: 'flags',
        at: ctx.loc?.word(t.id, ['owner']),
      });
    }
  },
};
