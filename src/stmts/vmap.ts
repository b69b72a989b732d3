/** `KEY vmap { 22 : accept }` / `KEY vmap @m` / `KEY vmap $v` (read by the expression statement parser in match.ts). */
import { verdictOf } from '../trace/context.ts';
import type { Expr, SetExpr, SetRefExpr, VarExpr } from '../model/expr.ts';
import { WHERE } from '../model/validate.ts';
import { formatMapDataSet, formatSelector, selectorContext, shiftedValueType } from '../emit/selectors.ts';
import { single } from '../emit/values.ts';
import { exprJson, selectorJson, typesOf } from '../json/exprToJson.ts';
import { selectorFromJson, typesOfExpr, valueFromJson } from '../json/exprFromJson.ts';
import { fail, objectBody } from '../json/readJson.ts';
import type { StmtModule } from './module.ts';

export interface VmapStmt {
  kind: 'vmap';
  key: Expr;
  data: SetExpr | SetRefExpr | VarExpr;
}

export const vmap: StmtModule<'vmap'> = {
  kind: 'vmap',
  title: 'verdict map',
  summary: 'look the key up in a map of verdicts and apply the verdict found (no match: go on)',
  words: [],
  options: ['vmap'],
  jsonTags: ['vmap'],
  fromJson(tag, body) {
    const o = objectBody(body, tag);
    const key = selectorFromJson(o.key ?? fail('vmap needs a key'));
    const data = valueFromJson(o.data ?? fail('vmap needs data'), { types: typesOfExpr(key), data: { kind: 'verdict' } });
    if (data.kind !== 'set' && data.kind !== 'setref') fail('vmap data must be a set or a @reference');
    return { kind: 'vmap', key, data };
  },
  // nft 1.1 lists the keys of a shifted value's verdict map as plain integers (`meta mark >> 8 & 0xf vmap { 1 : accept }`)
  print: (s, ctx) => `${formatSelector(s.key, ctx.target)} vmap ${formatMapDataSet(s.data, shiftedValueType(s.key, ctx.target) ? single('integer') : selectorContext(s.key), 'verdict')}`,
  toJson: (s, ctx) => ({ vmap: { key: selectorJson(s.key, ctx.vars), data: exprJson(s.data, { types: typesOf(s.key), data: { kind: 'verdict' } }, ctx.vars) } }),
  shape(v, s, p) {
    v.expr(s.key, `${p}.key`, 0, 'selector', WHERE.vmapKey);
    v.expr(s.data, `${p}.data`, 0, 'mapData', WHERE.vmapData);
  },
  safety(v, s) {
    v.expr(s.key, 'selector', WHERE.vmapKey);
    v.expr(s.data, 'mapData', WHERE.vmapData);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => [s.key, s.data],
  passes: () => false,
  evaluate(s, ctx) {
    const r = ctx.lookup(s.key, s.data);
    if ('why' in r) return { kind: 'nomatch', why: r.why };
    return verdictOf(r.found);
  },
};
