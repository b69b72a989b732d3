/**
 * nft text for the JSON statements the model keeps as `raw` text: tproxy, dup,
 * fwd and flow offload (map updates are read by stmts/setupdate.ts; `ct count over N` and several log flags are
 * written where they are read). The values inside are read like any other
 * JSON value and printed by the emitter, so the text is what nft lists.
 *
 * Every value is checked before it is printed, as the emitter checks the same
 * expression in a rule (a device name as a device name, a string as a quoted
 * string, a value as one token): the text becomes a raw statement, and a value
 * like `eth0" { # } "` must not turn into nft syntax inside it.
 */
import type { Expr } from '../model/expr.ts';
import type { Family } from '../model/types.ts';
import { formatSelector } from '../emit/statements.ts';
import { exprProblem } from '../emit/validate.ts';
import { deviceNameProblem, nameProblem } from '../knowledge/names.ts';
import type { JsonValue } from './jsonValue.ts';
import { valueFromJson } from './exprFromJson.ts';
import { fail, objectBody, only, str } from './readJson.ts';

/** The nft text of an expression read from JSON, once it is known to be safe to print. */
function text(e: Expr, what: string): string {
  const p = exprProblem(e, 'target', what);
  if (p) fail(`${what}: ${p}`);
  return formatSelector(e);
}

/** A device given as a JSON string must be a real device name; anything else is checked as a value. */
function device(j: JsonValue, what: string): string {
  if (typeof j === 'string') {
    const p = deviceNameProblem(j, what);
    if (p) fail(p);
  }
  return text(valueFromJson(j, { types: ['ifname'] }), what);
}

/** A `@name` reference: an nft identifier. */
function refName(name: string, what: string): string {
  const p = nameProblem(name, what);
  if (p) fail(p.message);
  return name;
}

/** nft text for statements the model keeps as text. */
export function rawStatementText(kind: string, body: JsonValue, family: Family): string {
  switch (kind) {
    case 'tproxy': {
      const o = objectBody(body, kind);
      only(o, ['family', 'addr', 'port'], kind);
      const fam = str(o, 'family');
      if (fam !== undefined && fam !== 'ip' && fam !== 'ip6') fail('tproxy family must be ip or ip6');
      const addr = o.addr !== undefined ? text(valueFromJson(o.addr, { types: [fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr'] }), 'tproxy address') : '';
      const port = o.port !== undefined ? `:${text(valueFromJson(o.port, { types: ['inet_service'] }), 'tproxy port')}` : '';
      const shown = fam === 'ip6' && addr && port ? `[${addr}]` : addr;
      return `tproxy${fam ? ` ${fam}` : ''} to ${shown}${port}`;
    }
    case 'dup': {
      const o = objectBody(body, kind);
      only(o, ['addr', 'dev'], kind);
      const addr = text(valueFromJson(o.addr ?? fail('dup needs addr'), { types: [family === 'ip6' ? 'ipv6_addr' : 'ipv4_addr'] }), 'dup address');
      const dev = o.dev !== undefined ? ` device ${device(o.dev, 'dup device')}` : '';
      return `dup to ${addr}${dev}`;
    }
    case 'fwd': {
      const o = objectBody(body, kind);
      only(o, ['dev', 'family', 'addr'], kind);
      const dev = device(o.dev ?? fail('fwd needs dev'), 'fwd device');
      const fam = str(o, 'family');
      if (fam === undefined || o.addr === undefined) return `fwd to ${dev}`;
      if (fam !== 'ip' && fam !== 'ip6') fail('fwd family must be ip or ip6');
      return `fwd ${fam} to ${text(valueFromJson(o.addr, { types: [fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr'] }), 'fwd address')} device ${dev}`;
    }
    case 'flow': {
      const o = objectBody(body, kind);
      only(o, ['op', 'flowtable'], kind);
      const ft = str(o, 'flowtable');
      if (str(o, 'op') !== 'add' || !ft?.startsWith('@')) fail('flow needs op add and a @flowtable');
      return `flow add @${refName(ft.slice(1), 'flowtable name')}`;
    }
    default:
      return fail(`unsupported statement "${kind.slice(0, 40)}"`);
  }
}
