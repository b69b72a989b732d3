/**
 * Tables that belong to someone else (src/knowledge/foreign.ts). An import keeps
 * them aside (`Ruleset.aside`): never emitted, and the `replace` preamble leaves
 * them alone — but `flush ruleset` removes them from the host, and a designed
 * table with the same family and name replaces the live one. A designed table
 * that looks like Docker's, firewalld's or fail2ban's is one that program will
 * rewrite, and that applying this design deletes on the host first.
 */
import type { Table } from '../../model/types.ts';
import { foreignName, recogniseForeign } from '../../knowledge/foreign.ts';
import type { Check } from './check.ts';

function tableKey(t: { family: string; name: string }): string {
  return `${t.family} ${t.name}`;
}

export const foreign: Check = {
  name: 'tables other software manages',
  findings: [
    { id: 'foreign/flush-removes-aside', severity: 'warning', summary: '"flush ruleset" removes the live tables other software manages, which the design keeps aside' },
    { id: 'foreign/replaces-aside', severity: 'warning', summary: 'a designed table has the name of a live table kept aside as another program\'s: applying replaces it' },
    { id: 'foreign/designed-foreign', severity: 'warning', summary: 'a designed table looks like one that other software (Docker, firewalld, fail2ban, …) manages' },
  ],
  run(ctx) {
    const rs = ctx.rs;
    const aside = rs.aside ?? [];
    if (rs.preamble === 'flush') {
      for (const a of aside) {
        ctx.report({
          id: 'foreign/flush-removes-aside',
          severity: 'warning',
          message: `flush ruleset removes table ${a.family} ${a.name} (${foreignName(a.owner)}), which is live on the host and not part of this design`,
          why: `"flush ruleset" deletes every table on the host, not only this design's, and ${foreignName(a.owner)} keeps working without its rules until it notices and writes them again (Docker only on a restart). Use the preamble "replace only these tables", which deletes and recreates the design's own tables and leaves the others alone.`,
          nodeId: a.id,
        });
      }
    }
    const asideByKey = new Map(aside.map((a) => [tableKey(a), a]));
    for (const ti of ctx.tables) {
      const t: Table = ti.table;
      const kept = asideByKey.get(tableKey(t));
      if (kept) {
        const how =
          rs.preamble === 'replace'
            ? `applying deletes the live one first ("delete table ${t.family} ${t.name}")`
            : rs.preamble === 'flush'
              ? 'applying flushes the whole ruleset, the live one with it'
              : 'loading adds this design\'s chains and rules to the live one, which may refuse them or run them twice';
        ctx.report({
          id: 'foreign/replaces-aside',
          severity: 'warning',
          message: `table ${t.family} ${t.name} is also the live table of ${foreignName(kept.owner)}, kept aside: ${how}`,
          why: `The import kept ${foreignName(kept.owner)}'s table ${t.family} ${t.name} aside as live, not ours, and this design defines a table of the same family and name. On the host they are one table, so the design's version replaces what ${foreignName(kept.owner)} wrote there. Rename the design's table (for example ${t.name}_own), or remove the kept table from the design if it is really yours.`,
          nodeId: t.id,
          at: ctx.loc?.declName(t.id, t.name),
        });
        continue;
      }
      const r = recogniseForeign(t);
      // only names people also choose (an iptables-style ip filter of their own): not a finding
      if (!r || r.tentative) continue;
      const how =
        rs.preamble === 'replace'
          ? `applying deletes the live table ("delete table ${t.family} ${t.name}") and ${r.name}'s rules with it`
          : rs.preamble === 'flush'
            ? `applying flushes the ruleset, ${r.name}'s live rules with it`
            : `${r.name} will overwrite it or be confused by it`;
      ctx.report({
        id: 'foreign/designed-foreign',
        severity: 'warning',
        message: `table ${t.family} ${t.name} looks like ${r.name}'s (${r.because.slice(0, 2).join('; ')}): ${how}`,
        why: `${r.name} creates and rewrites this table itself, so what the design puts there does not stay, and replacing it on the host removes what ${r.name} needs to work. Keep such tables aside when importing (they are shown as live, not ours), and give the design's own tables names of their own.`,
        nodeId: t.id,
        at: ctx.loc?.declName(t.id, t.name),
      });
    }
  },
};
