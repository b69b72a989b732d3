/**
 * Top-level commands kept as text (`flush ruleset`, `delete table …`). Written
 * after the tables, a destructive command undoes what the script has just
 * defined; that is how a pasted or shared script could quietly empty a host's
 * firewall, so it is called out even though nft loads it.
 */
import type { Check } from './check.ts';

const DESTRUCTIVE = /^(flush|delete|destroy)\s+(ruleset|table|chain|set|map|element|rule|flowtable|counter|quota|limit|ct|synproxy|secmark)\b/;

export const commands: Check = {
  name: 'top-level commands',
  findings: [
    { id: 'command/destructive-at-end', severity: 'warning', summary: 'flush or delete after the tables: it undoes what the script defines' },
  ],
  run(ctx) {
    for (const c of ctx.rs.commands) {
      if (c.at !== 'end') continue;
      const m = DESTRUCTIVE.exec(c.text.trim());
      if (!m) continue;
      const what = m[2] === 'ruleset' ? 'the whole ruleset, including every table this script defines' : `a ${m[2]} after this script has defined its tables`;
      ctx.report({
        id: 'command/destructive-at-end',
        severity: 'warning',
        message: `"${c.text.trim().slice(0, 60)}" comes after the tables: it removes ${what}`,
        why: 'nft runs a script top to bottom in one transaction. A flush or delete at the top clears old state before the new definitions (the usual way to make a script idempotent); at the end it deletes what was just built. If the script came from someone else, check that this is intended before loading it.',
        nodeId: c.id,
        field: 'text',
        at: ctx.loc?.word(c.id, [m[1]]),
      });
    }
  },
};
