import { describe, expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from '../emit/index.ts';
import { fromJson, toJson } from '../json/index.ts';
import { OBJECT_TYPES } from '../knowledge/vocabulary.ts';
import { isObjectType } from './registry.ts';

/** One listing per object type, as nft 1.1.3 lists it (1.0.6 differs only in the ct timeout policy). */
const EXAMPLES: Record<string, string> = {
  counter: '\tcounter c {\n\t\tpackets 3 bytes 120\n\t}',
  quota: '\tquota q {\n\t\tover 25 mbytes used 1 mbytes\n\t}',
  // nft 1.1.3 leaves a limit object's default burst out (as 1.0.6 does), unlike the statement's
  limit: '\tlimit l {\n\t\trate 10/second\n\t}',
  secmark: '\tsecmark s {\n\t\t"system_u:object_r:ssh_server_packet_t:s0"\n\t}',
  synproxy: '\tsynproxy sp {\n\t\tmss 1460\n\t\twscale 7\n\t\ttimestamp sack-perm\n\t}',
  'ct helper': '\tct helper h {\n\t\ttype "ftp" protocol tcp\n\t\tl3proto ip\n\t}',
  'ct timeout': '\tct timeout t {\n\t\tprotocol tcp\n\t\tl3proto ip\n\t\tpolicy = { syn_sent : 5s, established : 2m }\n\t}',
  'ct expectation': '\tct expectation e {\n\t\tprotocol tcp\n\t\tdport 21\n\t\ttimeout 2m\n\t\tsize 8\n\t\tl3proto ip\n\t}',
};

describe('named objects: one module per type (src/objects/)', () => {
  it('has a module for every object type of the vocabulary', () => {
    for (const t of OBJECT_TYPES) expect(isObjectType(t), t).toBe(true);
    expect(isObjectType('flowtable')).toBe(false);
    expect(Object.keys(EXAMPLES).sort()).toEqual([...OBJECT_TYPES].sort());
  });

  it.each(Object.entries(EXAMPLES))('%s: read, listed as it was, and through JSON and back', (type, body) => {
    const text = `table ip x {\n${body}\n}\n`;
    const r = parse(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ruleset.tables[0].objects[0].type).toBe(type);
    expect(emit(r.ruleset, { target: '1.1.3' }).text).toBe(text);
    const j = toJson(r.ruleset, { targetVersion: '1.1.3' });
    expect(j.losses).toEqual([]);
    const back = fromJson(j.json);
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(emit(back.ruleset, { target: '1.1.3' }).text).toBe(text);
  });

  it('lists a ct timeout policy as nft does: without the states at their kernel default', () => {
    const r = parse('table ip x {\n\tct timeout t {\n\t\tprotocol tcp\n\t\tl3proto ip\n\t\tpolicy = { established : 120, close : 10, syn_sent : 5 }\n\t}\n\tct timeout u {\n\t\tprotocol udp\n\t\tl3proto ip\n\t\tpolicy = { unreplied : 30, replied : 120 }\n\t}\n}\n');
    const out = emit(r.ruleset, { target: '1.0.6' }).text;
    expect(out).toContain('policy = { syn_sent : 5, established : 120 }');
    // nft lists that as `policy = {  }`, which it cannot read back: the line is left out
    expect(out).toContain('\tct timeout u {\n\t\tprotocol udp\n\t\tl3proto ip\n\t}');
    expect(parse('table ip x {\n\tct timeout u {\n\t\tprotocol udp\n\t\tl3proto ip\n\t\tpolicy = {  }\n\t}\n}\n').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('names the place of a body it cannot read', () => {
    const r = parse('table ip x {\n\tct helper h {\n\t\ttype "ftp"\n\t}\n}\n');
    expect(r.diagnostics.find((d) => d.severity === 'error')?.message).toMatch(/ct helper h needs: type "NAME" protocol tcp\|udp/);
  });
});
