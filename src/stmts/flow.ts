/**
 * `flow add @FT` (also read as `flow offload @FT`): offload the connection to
 * the flowtable FT, so its later packets bypass the forwarding path. Forward
 * hook only (the kernel's nft_flow_offload_validate). Both versions list `flow
 * add @FT` (ct.c flow_offload_stmt_print; tests/shell/testcases/flowtable/dumps).
 */
import { nameProblem } from '../knowledge/names.ts';
import { fail, objectBody, only, str } from '../json/readJson.ts';
import { Tok } from '../parse/lexer.ts';
import type { StmtModule } from './module.ts';
import { NEXT } from '../trace/context.ts';

export interface FlowStmt {
  kind: 'flow';
  /** the flowtable's name */
  flowtable: string;
}

export const FLOW_OPS = ['add', 'offload'] as const;

export const flow: StmtModule<'flow'> = {
  kind: 'flow',
  title: 'flow offload',
  summary: 'offload the connection to a flowtable: its later packets skip the forwarding path (forward hook only)',
  words: ['flow'],
  options: [...FLOW_OPS],
  parse(c) {
    c.next();
    if (!c.is('add') && !c.is('offload')) c.fail('expected "add" after flow');
    c.next();
    c.expectKind(Tok.At, '"@" and a flowtable name');
    return { kind: 'flow', flowtable: c.expectWord('a flowtable name') };
  },
  jsonTags: ['flow'],
  fromJson(_tag, body) {
    const o = objectBody(body, 'flow');
    only(o, ['op', 'flowtable'], 'flow');
    const ft = str(o, 'flowtable');
    if (str(o, 'op') !== 'add' || !ft?.startsWith('@')) fail('flow needs op add and a @flowtable');
    const name = ft.slice(1);
    const p = nameProblem(name, 'flowtable name');
    if (p) fail(p.message);
    return { kind: 'flow', flowtable: name };
  },
  print: (s) => `flow add @${s.flowtable}`,
  toJson: (s) => ({ flow: { op: 'add', flowtable: `@${s.flowtable}` } }),
  shape(v, s, p) {
    v.str(s, 'flowtable', p);
  },
  safety(v, s) {
    v.name(v.field, s.flowtable, 'flowtable name');
  },
  form: {
    fields: [{ key: 'flowtable', label: 'Flowtable', kind: 'text', placeholder: 'ft', help: 'The flowtable of this table to offload the connection to (declared with flowtable NAME { hook ingress … devices = { … } }).' }],
    read: (s) => ({ flowtable: s.flowtable }),
    write(values) {
      const name = (values.flowtable ?? '').trim().replace(/^@/, '');
      const p = nameProblem(name, 'flowtable name');
      return p ? [{ field: 'flowtable', message: p.message }] : { kind: 'flow', flowtable: name };
    },
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => true,
  evaluate: () => NEXT,
};
