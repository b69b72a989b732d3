import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from '../emit/index.ts';
import { toJson } from '../json/toJson.ts';
import { fromJson } from '../json/fromJson.ts';
import type { SetDecl } from '../model/types.ts';
import type { Statement } from '../model/stmt.ts';

function ruleset(text: string) {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset;
}

const SET = `table ip t {
\tset s {
\t\ttype ipv4_addr
\t\tlimit rate 1/second counter
\t\telements = { 1.1.1.1 limit rate 1/second counter packets 3 bytes 4, * limit rate 1/second counter packets 0 bytes 0 }
\t}
}
`;

describe('statements on set elements', () => {
  it('are structured: the set template and each element hold statements of the registry', () => {
    const s = ruleset(SET).tables[0].sets[0] as SetDecl;
    expect(s.stmts?.map((x) => x.kind)).toEqual(['limit', 'counter']);
    expect(s.elements[0].stmts).toEqual([{ kind: 'limit', rate: 1, unit: 'packets', per: 'second' }, { kind: 'counter', packets: 3, bytes: 4 }]);
    expect(s.elements[1].key).toEqual({ kind: 'catchall' });
  });

  it('print per target: 1.1.3 lists the default burst and one element a line', () => {
    const rs = ruleset(SET);
    expect(emit(rs, { target: '1.0.6' }).text).toBe(SET);
    expect(emit(rs, { target: '1.1.3' }).text).toContain(
      '\t\tlimit rate 1/second burst 5 packets counter\n\t\telements = { 1.1.1.1 limit rate 1/second burst 5 packets counter packets 3 bytes 4,\n\t\t\t     * limit rate 1/second burst 5 packets counter packets 0 bytes 0 }',
    );
  });

  it('an element without statements of a set with a template lists the template, fresh', () => {
    const rs = ruleset('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tcounter quota 500 bytes\n\t\telements = { 10.0.0.1 }\n\t}\n}\n');
    expect(emit(rs, { target: '1.0.6' }).text).toContain('elements = { 10.0.0.1 counter packets 0 bytes 0 quota 500 bytes }');
  });

  it('JSON: the template is written; element state nft cannot read back is a loss', () => {
    const fresh = toJson(ruleset('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tcounter\n\t\telements = { 10.0.0.1 counter packets 0 bytes 0, * }\n\t}\n}\n'), { targetVersion: '1.1.3' });
    expect(fresh.losses).toEqual([]);
    expect(fresh.json).toContain('"stmt": [{"counter": null}]');
    expect(fresh.json).toContain('"*"');
    const used = toJson(ruleset(SET), { targetVersion: '1.1.3' });
    expect(used.losses.map((l) => l.what)).toEqual(['statements on set elements']);
    const anon = toJson(ruleset('table ip t {\n\tchain c {\n\t\tmeta mark { 0x0000000a counter packets 0 bytes 0 }\n\t}\n}\n'), { targetVersion: '1.1.3' });
    expect(anon.losses.map((l) => l.what)).toEqual(['statements on set elements']);
  });

  it('JSON in: an elem object carries its statements; "*" is the catch-all', () => {
    const doc = {
      nftables: [
        { table: { family: 'ip', name: 't' } },
        { set: { family: 'ip', table: 't', name: 's', type: 'ipv4_addr', stmt: [{ counter: null }, { quota: { val: 500, val_unit: 'bytes' } }], elem: [{ elem: { val: '1.2.3.4', counter: { packets: 9, bytes: 756 } } }, { elem: { val: '*' } }] } },
      ],
    };
    const r = fromJson(JSON.stringify(doc));
    const s = r.ruleset.tables[0].sets[0];
    // nft writes only an element's first statement: the rest comes from the template, fresh
    expect(s.elements[0].stmts).toEqual([{ kind: 'counter', packets: 9, bytes: 756 }, { kind: 'quota', amount: 500, unit: 'bytes' }] satisfies Statement[]);
    expect(s.elements[1]).toEqual({ key: { kind: 'catchall' } });
  });

  it('a map update carries its data; 1.0.6 JSON has no map statement', () => {
    const rs = ruleset('table ip t {\n\tmap m {\n\t\ttype ipv4_addr : inet_service\n\t\tsize 65535\n\t\tflags dynamic\n\t}\n\n\tchain c {\n\t\tupdate @m { ip saddr : tcp sport }\n\t}\n}\n');
    expect(rs.tables[0].chains[0].rules[0].stmts[0]).toMatchObject({ kind: 'setupdate', data: { kind: 'payload', protocol: 'tcp', field: 'sport' } });
    expect(toJson(rs, { targetVersion: '1.1.3' }).json).toContain('"map": {"op": "update", "elem": {"payload": {"protocol": "ip", "field": "saddr"}}, "data": {"payload": {"protocol": "tcp", "field": "sport"}}, "map": "@m"}');
    expect(toJson(rs, { targetVersion: '1.0.6' }).losses.map((l) => l.what)).toEqual(['map update statement']);
  });

  it('refuses what is not a stateful statement', () => {
    const r = parse('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tcounter\n\t\telements = { 10.0.0.1 counter name "x" }\n\t}\n}\n');
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});
