/** `notrack`: the packet skips connection tracking (its ct state is then `untracked`). */
import type { StmtModule } from './module.ts';
import { NEXT } from '../trace/context.ts';

export interface NotrackStmt {
  kind: 'notrack';
}

export const notrack: StmtModule<'notrack'> = {
  kind: 'notrack',
  title: 'notrack',
  summary: 'skip connection tracking for this packet (a raw-priority prerouting or output chain, before conntrack at -200)',
  words: ['notrack'],
  options: [],
  parse(c) {
    c.next();
    return { kind: 'notrack' };
  },
  jsonTags: ['notrack'],
  fromJson: () => ({ kind: 'notrack' }),
  print: () => 'notrack',
  toJson: () => ({ notrack: null }),
  shape: () => undefined,
  safety: () => undefined,
  terminal: () => false,
  ends: () => undefined,
  exprs: () => [],
  passes: () => true,
  evaluate(_s, ctx) {
    ctx.notrack();
    return NEXT;
  },
};
