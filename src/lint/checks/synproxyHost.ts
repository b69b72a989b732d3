/**
 * What the ruleset cannot say about synproxy: the host's sysctls and conntrack
 * size (one info finding for the whole design), and that mss/wscale must be the
 * backend's own values (one info per synproxy configuration).
 */
import type { Rule } from '../../model/types.ts';
import { CONNTRACK_SIZING_NOTE, SYNPROXY_SYSCTLS, tcpdumpSynAckCommand } from '../../knowledge/synproxyFacts.ts';
import { formatPorts, tcpDports } from '../walk.ts';
import type { TableInfo } from '../context.ts';
import { usesSynproxy } from './synproxySetup.ts';
import type { Check } from './check.ts';

function firstPort(ti: TableInfo, rule: Rule): string | undefined {
  const p = tcpDports(rule, (n) => ti.sets.get(n)?.elements);
  if (!p || p === 'any' || !p.length) return undefined;
  return formatPorts([p[0]]).split('-')[0];
}

function backendWhy(port: string | undefined): string {
  return `Synproxy answers the client's SYN itself and only then connects to the server, so it must announce the server's own MSS and window scale; if they differ, the connection uses wrong segment sizes or window. Read them from the server's SYN-ACK with synproxy off: ${tcpdumpSynAckCommand(port)}, then open a connection and look at the "mss" and "wscale" options of the SYN-ACK line.`;
}

export const synproxyHost: Check = {
  name: 'synproxy host',
  findings: [
    { id: 'synproxy/host-prerequisites', severity: 'info', summary: 'the sysctls and conntrack sizing synproxy needs (once per design)' },
    { id: 'synproxy/backend-match', severity: 'info', summary: 'mss/wscale must be the backend\'s values (how to read them with tcpdump)' },
  ],
  run(ctx) {
    let first: { nodeId: string; field: string } | undefined;
    for (const ti of ctx.tables) {
      for (const o of ti.table.objects) {
        if (o.type !== 'synproxy') continue;
        first ??= { nodeId: o.id, field: 'name' };
        ctx.report({
          id: 'synproxy/backend-match',
          severity: 'info',
          message: `synproxy ${o.name}: mss ${o.mss ?? 0} and wscale ${o.wscale ?? 0} must be what the backend server announces`,
          why: backendWhy(undefined),
          nodeId: o.id,
          field: 'mss',
          at: ctx.loc?.declName(o.id, o.name),
        });
      }
    }
    for (const { ti, rule } of ctx.rules()) {
      if (!usesSynproxy(rule)) continue;
      first ??= { nodeId: rule.id, field: 'statement' };
      for (const s of rule.stmts) {
        if (s.kind !== 'synproxy') continue;
        ctx.report({
          id: 'synproxy/backend-match',
          severity: 'info',
          message: `synproxy mss ${s.mss ?? 0} wscale ${s.wscale ?? 0}: these must be what the backend server announces`,
          why: backendWhy(firstPort(ti, rule)),
          nodeId: rule.id,
          field: 'mss',
          at: ctx.loc?.word(rule.id, ['synproxy']),
        });
      }
    }
    if (!first) return;
    const lines = SYNPROXY_SYSCTLS.map((s) => s.line);
    ctx.report({
      id: 'synproxy/host-prerequisites',
      severity: 'info',
      message: `synproxy needs these host settings: ${lines.join(', ')}`,
      why: `Set them with sysctl on the host (nft cannot): ${SYNPROXY_SYSCTLS.map((s) => `${s.line} (${s.why})`).join('; ')}. ${CONNTRACK_SIZING_NOTE}`,
      nodeId: first.nodeId,
      field: first.field,
      at: first.field === 'name' ? undefined : ctx.loc?.word(first.nodeId, ['synproxy']),
    });
  },
};
