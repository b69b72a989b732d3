/**
 * Synproxy numbers and flags, for the statement and for named objects (§4.2,
 * §4.3; probe E): nft 1.0.6 stores mss in 16 bits and wscale in 8 without any
 * range check, so out-of-range values load and silently mean something else.
 */
import type { SynproxyObject } from '../../model/types.ts';
import type { SynproxyStmt } from '../../model/stmt.ts';
import { SYNPROXY_MSS_MAX, SYNPROXY_MSS_MIN, SYNPROXY_WSCALE_STORED_MAX, SYNPROXY_WSCALE_TCP_MAX } from '../../knowledge/synproxyFacts.ts';
import type { LintContext } from '../context.ts';
import type { Check } from './check.ts';

type Params = Pick<SynproxyStmt, 'mss' | 'wscale' | 'timestamp' | 'sackPerm'>;

function checkNumbers(ctx: LintContext, nodeId: string, p: Params): void {
  if (p.mss !== undefined && p.mss > SYNPROXY_MSS_MAX) {
    ctx.report({
      id: 'synproxy/mss-range',
      severity: 'error',
      message: `mss ${p.mss} is outside ${SYNPROXY_MSS_MIN}..${SYNPROXY_MSS_MAX}; nft would silently store ${p.mss & 0xffff}`,
      why: `The MSS is the largest TCP payload synproxy announces to clients on the server's behalf, a 16-bit number. nft does not check it: it keeps the low 16 bits, so mss 65536 becomes 0. Use the backend's real MSS, typically 1460 on Ethernet (MTU 1500 minus 40 bytes of headers).`,
      nodeId,
      field: 'mss',
      at: ctx.loc?.valueAfter(nodeId, ['mss', 'maxseg']),
    });
  } else if (p.mss !== undefined && p.mss < SYNPROXY_MSS_MIN) {
    // A warning, not an error: nft itself lists `synproxy wscale 7` as `mss 0 wscale 7`, and the kernel loads it.
    ctx.report({
      id: 'synproxy/mss-zero',
      severity: 'warning',
      message: `mss 0 announces a maximum segment size of 0 to clients`,
      why: `nft accepts mss 0 (it is also how it lists a synproxy statement given only wscale), but synproxy then tells every client the server takes no payload, and clients fall back to a tiny segment size. Give the backend's real MSS, typically 1460 on Ethernet.`,
      nodeId,
      field: 'mss',
      at: ctx.loc?.valueAfter(nodeId, ['mss', 'maxseg']),
    });
  }
  if (p.wscale !== undefined && p.wscale > SYNPROXY_WSCALE_TCP_MAX) {
    const wraps = p.wscale > SYNPROXY_WSCALE_STORED_MAX;
    ctx.report({
      id: wraps ? 'synproxy/wscale-range' : 'synproxy/wscale-max',
      severity: wraps ? 'error' : 'warning',
      message: wraps
        ? `wscale ${p.wscale} does not fit in a byte; nft would silently store ${p.wscale & 0xff}`
        : `wscale ${p.wscale} is larger than ${SYNPROXY_WSCALE_TCP_MAX}, the largest window scale TCP allows`,
      why: wraps
        ? `nft stores the window scale in 8 bits without checking, so ${p.wscale} becomes ${p.wscale & 0xff}. TCP allows shifts 0..${SYNPROXY_WSCALE_TCP_MAX} (RFC 7323): use the value your backend announces, often 7.`
        : `The kernel accepts up to ${SYNPROXY_WSCALE_STORED_MAX}, but TCP caps the shift at ${SYNPROXY_WSCALE_TCP_MAX} (RFC 7323) and peers treat larger values as ${SYNPROXY_WSCALE_TCP_MAX}, so the window synproxy promises is not the backend's. Use the value your backend announces, often 7.`,
      nodeId,
      field: 'wscale',
      at: ctx.loc?.valueAfter(nodeId, ['wscale']),
    });
  }
  if ((p.wscale !== undefined || p.sackPerm) && !p.timestamp) {
    const what = [p.wscale !== undefined ? 'wscale' : '', p.sackPerm ? 'sack-perm' : ''].filter(Boolean).join(' and ');
    ctx.report({
      id: 'synproxy/timestamp-off',
      severity: 'warning',
      message: `${what} without timestamp: the client will not get ${p.sackPerm && p.wscale !== undefined ? 'these options' : 'this option'}`,
      why: `A SYN cookie has no room for window scaling or SACK, so synproxy hides them in the TCP timestamp; without the timestamp flag they are lost and connections run without them. Add timestamp (and keep net.ipv4.tcp_timestamps=1).`,
      nodeId,
      field: 'timestamp',
      at: ctx.loc?.word(nodeId, ['wscale', 'sack-perm', 'sack-permitted']),
    });
  }
}

function checkObject(ctx: LintContext, o: SynproxyObject): void {
  checkNumbers(ctx, o.id, o);
  const hasMss = o.mss !== undefined;
  const hasWscale = o.wscale !== undefined;
  const anything = hasMss || hasWscale || o.timestamp || o.sackPerm;
  if (!anything) {
    ctx.report({
      id: 'synproxy/object-empty',
      severity: 'warning',
      message: `synproxy ${o.name} sets neither mss nor wscale`,
      why: 'nft accepts an empty synproxy object, but then it announces mss 0 and wscale 0 to clients on the backend\'s behalf. Give the backend\'s values: mss 1460, wscale 7, timestamp sack-perm is typical for Linux servers on Ethernet.',
      nodeId: o.id,
      field: 'mss',
      at: ctx.loc?.declName(o.id, o.name),
    });
  } else if (!hasMss || !hasWscale) {
    const missing = !hasMss ? 'mss' : 'wscale';
    ctx.report({
      id: 'synproxy/object-incomplete',
      severity: 'error',
      message: `synproxy ${o.name} needs both mss and wscale; ${missing} is missing`,
      why: 'The nft 1.0.6 grammar for a synproxy object requires mss, then wscale (then optionally timestamp and sack-perm); without one of them nft stops with a syntax error. Add the backend\'s value, e.g. mss 1460 and wscale 7.',
      nodeId: o.id,
      field: missing,
      at: ctx.loc?.declName(o.id, o.name),
    });
  }
}

export const synproxyParams: Check = {
  name: 'synproxy parameters',
  findings: [
    { id: 'synproxy/mss-range', severity: 'error', summary: 'mss above 65535 (nft stores 65536 as 0)' },
    { id: 'synproxy/mss-zero', severity: 'warning', summary: 'mss 0 (accepted, and how nft lists a statement without mss, but clients get MSS 0)' },
    { id: 'synproxy/wscale-range', severity: 'error', summary: 'wscale above 255 (wraps silently)' },
    { id: 'synproxy/wscale-max', severity: 'warning', summary: 'wscale 15..255 (the kernel accepts it, TCP allows 14)' },
    { id: 'synproxy/mss-wscale-pair', severity: 'warning', summary: 'an anonymous synproxy with only one of mss/wscale (the listing adds the other as 0)' },
    { id: 'synproxy/timestamp-off', severity: 'warning', summary: 'wscale or sack-perm without timestamp' },
    { id: 'synproxy/object-incomplete', severity: 'error', summary: 'a synproxy object without both mss and wscale (syntax error)' },
    { id: 'synproxy/object-empty', severity: 'warning', summary: 'an empty synproxy object (mss 0, wscale 0)' },
  ],
  run(ctx) {
    for (const { rule } of ctx.rules()) {
      for (const s of rule.stmts) {
        if (s.kind !== 'synproxy') continue;
        checkNumbers(ctx, rule.id, s);
        if ((s.mss === undefined) !== (s.wscale === undefined)) {
          const given = s.mss !== undefined ? `mss ${s.mss}` : `wscale ${s.wscale}`;
          const missing = s.mss === undefined ? 'mss' : 'wscale';
          ctx.report({
            id: 'synproxy/mss-wscale-pair',
            severity: 'warning',
            message: `synproxy sets ${given} but no ${missing}: nft will list it with ${missing} 0`,
            why: `When either value is given, nft prints both, so this rule comes back as "synproxy ${s.mss !== undefined ? `mss ${s.mss} wscale 0` : `mss 0 wscale ${s.wscale}`}" and re-loading that listing sets ${missing} 0 on purpose. Always give both, with the backend's values (e.g. mss 1460 wscale 7).`,
            nodeId: rule.id,
            field: missing,
            at: ctx.loc?.word(rule.id, ['synproxy']),
          });
        }
      }
    }
    for (const ti of ctx.tables) for (const o of ti.table.objects) if (o.type === 'synproxy') checkObject(ctx, o);
  },
};
