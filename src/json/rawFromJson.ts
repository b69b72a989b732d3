/**
 * nft text for the JSON statements the model keeps as `raw` text: tproxy, dup,
 * fwd, flow offload and map updates (`ct count over N` and several log flags are
 * written where they are read). The values inside are read like any other
 * JSON value and printed by the emitter, so the text is what nft lists.
 */
import type { Expr } from '../model/expr.ts';
import type { Family } from '../model/types.ts';
import { formatSelector } from '../emit/statements.ts';
import type { JsonValue } from './jsonValue.ts';
import { selectorFromJson, valueFromJson } from './exprFromJson.ts';
import { fail, objectBody, only, str, word } from './readJson.ts';

/** nft text for statements the model keeps as text. */
export function rawStatementText(kind: string, body: JsonValue, family: Family): string {
  const text = (e: Expr): string => formatSelector(e);
  switch (kind) {
    case 'tproxy': {
      const o = objectBody(body, kind);
      only(o, ['family', 'addr', 'port'], kind);
      const fam = str(o, 'family');
      if (fam !== undefined && fam !== 'ip' && fam !== 'ip6') fail('tproxy family must be ip or ip6');
      const addr = o.addr !== undefined ? text(valueFromJson(o.addr, { types: [fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr'] })) : '';
      const port = o.port !== undefined ? `:${text(valueFromJson(o.port, { types: ['inet_service'] }))}` : '';
      const shown = fam === 'ip6' && addr && port ? `[${addr}]` : addr;
      return `tproxy${fam ? ` ${fam}` : ''} to ${shown}${port}`;
    }
    case 'dup': {
      const o = objectBody(body, kind);
      only(o, ['addr', 'dev'], kind);
      const addr = text(valueFromJson(o.addr ?? fail('dup needs addr'), { types: [family === 'ip6' ? 'ipv6_addr' : 'ipv4_addr'] }));
      const dev = o.dev !== undefined ? ` device ${text(valueFromJson(o.dev, { types: ['ifname'] }))}` : '';
      return `dup to ${addr}${dev}`;
    }
    case 'fwd': {
      const o = objectBody(body, kind);
      only(o, ['dev', 'family', 'addr'], kind);
      const dev = text(valueFromJson(o.dev ?? fail('fwd needs dev'), { types: ['ifname'] }));
      const fam = str(o, 'family');
      if (fam === undefined || o.addr === undefined) return `fwd to ${dev}`;
      if (fam !== 'ip' && fam !== 'ip6') fail('fwd family must be ip or ip6');
      return `fwd ${fam} to ${text(valueFromJson(o.addr, { types: [fam === 'ip6' ? 'ipv6_addr' : 'ipv4_addr'] }))} device ${dev}`;
    }
    case 'flow': {
      const o = objectBody(body, kind);
      only(o, ['op', 'flowtable'], kind);
      const ft = str(o, 'flowtable');
      if (str(o, 'op') !== 'add' || !ft?.startsWith('@')) fail('flow needs op add and a @flowtable');
      return `flow add @${word(ft.slice(1), 'flowtable name')}`;
    }
    case 'map': {
      const o = objectBody(body, kind);
      only(o, ['op', 'elem', 'data', 'map'], kind);
      const op = str(o, 'op');
      const ref = str(o, 'map');
      if ((op !== 'add' && op !== 'update' && op !== 'delete') || !ref?.startsWith('@')) fail('map statement needs op and "map": "@name"');
      const key = selectorFromJson(o.elem ?? fail('map statement needs elem'));
      const data = selectorFromJson(o.data ?? fail('map statement needs data'));
      return `${op} @${word(ref.slice(1), 'map name')} { ${text(key)} : ${text(data)} }`;
    }
    default:
      return fail(`unsupported statement "${kind.slice(0, 40)}"`);
  }
}
