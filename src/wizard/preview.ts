/**
 * What the wizard will add, as nft text: the target table holding only the
 * added objects and chains (for a new table, the whole table). Shown live in
 * the dialog before applying.
 */
import { emit } from '../emit/index.ts';
import type { Ruleset } from '../model/types.ts';
import type { SynproxyWizardResult } from './synproxy.ts';

export function addedRuleset(result: SynproxyWizardResult): Ruleset | undefined {
  const table = result.ruleset.tables.find((t) => t.id === result.tableId);
  if (!table) return undefined;
  const added = new Set(result.addedIds);
  return {
    ...result.ruleset,
    preamble: 'none',
    defines: [],
    includes: [],
    commands: [],
    tables: [
      {
        ...table,
        objects: table.objects.filter((o) => added.has(o.id)),
        sets: [],
        flowtables: [],
        chains: table.chains.filter((c) => added.has(c.id)),
      },
    ],
  };
}

/** The emitted text of what will be added, or undefined when there is nothing to add. */
export function previewText(result: SynproxyWizardResult): string | undefined {
  const rs = addedRuleset(result);
  return rs ? emit(rs).text : undefined;
}
