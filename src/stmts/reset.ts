/**
 * `reset tcp option NAME|N`: remove a TCP option from the packet (its bytes
 * become NOPs). nft lists an option that has a template by its name (`reset tcp
 * option 2` → `reset tcp option maxseg`, `sack0` → `sack`) and others by their
 * kind (`reset tcp option 123`), 1.0.6 and 1.1.3 alike; its JSON is `{"reset":
 * {"tcp option": {"name": "maxseg"}}}` or, by kind, `{"base": 123, "offset": 0,
 * "len": 0}`.
 */
import { EXTHDR_SPACES, MAX_TCP_OPTION, headerInfo, tcpOptionName } from '../knowledge/exthdr.ts';
import { isObject, type JsonObject } from '../json/jsonValue.ts';
import { fail, int, objectBody, only, str } from '../json/readJson.ts';
import type { StmtModule } from './module.ts';
import { NEXT } from '../trace/context.ts';

export interface ResetStmt {
  kind: 'reset';
  /** the TCP option: a name of knowledge/exthdr.ts (`maxseg`, `mptcp`) or its kind number (`123`) */
  option: string;
}

const NOT_OPTION = `expected a TCP option name (${Object.keys(EXTHDR_SPACES.tcp.headers).join(', ')}) or a kind number 0-${MAX_TCP_OPTION}`;

/** What is wrong with the option word, or undefined. */
function optionProblem(option: unknown): string | undefined {
  if (typeof option !== 'string') return NOT_OPTION;
  if (/^\d{1,3}$/.test(option)) return Number(option) <= MAX_TCP_OPTION ? undefined : NOT_OPTION;
  return headerInfo('tcp', option) ? undefined : NOT_OPTION;
}

/** The option as nft lists it: the name of its kind's template, else the number. */
function listedOption(option: string): string {
  const n = /^\d+$/.test(option) ? Number(option) : headerInfo('tcp', option)?.number;
  if (n === undefined) return option;
  return tcpOptionName(n) ?? String(n);
}

export const reset: StmtModule<'reset'> = {
  kind: 'reset',
  title: 'reset tcp option',
  summary: 'remove a TCP option from the packet (e.g. an MSS or MPTCP option)',
  words: ['reset'],
  options: ['tcp', 'option'],
  parse(c) {
    c.next();
    if (!c.eat('tcp') || !c.eat('option')) c.fail('expected reset tcp option NAME');
    const option = c.expectWord('a TCP option');
    const p = optionProblem(option);
    if (p) c.fail(p);
    return { kind: 'reset', option };
  },
  jsonTags: ['reset'],
  fromJson(tag, body) {
    const o = objectBody(body, tag);
    only(o, ['tcp option'], tag);
    const opt = o['tcp option'];
    if (!isObject(opt)) return fail('reset needs "tcp option"');
    only(opt, ['name', 'base', 'offset', 'len'], 'reset tcp option');
    const name = str(opt, 'name');
    const base = int(opt, 'base');
    const option = name ?? (base !== undefined ? String(base) : fail('reset tcp option needs a name or a base'));
    const p = optionProblem(option);
    if (p) fail(p);
    return { kind: 'reset', option };
  },
  print: (s) => `reset tcp option ${listedOption(s.option)}`,
  toJson(s) {
    const listed = listedOption(s.option);
    const opt: JsonObject = /^\d+$/.test(listed) ? { base: Number(listed), offset: 0, len: 0 } : { name: listed };
    return { reset: { 'tcp option': opt } };
  },
  shape(v, s, p) {
    if (v.str(s, 'option', p)) {
      const problem = optionProblem(s.option);
      if (problem) v.err(`${p}.option`, problem);
    }
  },
  safety(v, s) {
    const problem = optionProblem(s.option);
    if (problem) v.push(v.field, problem);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => true,
  evaluate: () => NEXT,
};
