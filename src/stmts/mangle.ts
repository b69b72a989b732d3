/**
 * `KEY set VALUE`: `meta mark set 1`, `ct mark set meta mark`, `ct helper set
 * "ftp"`, `ip dscp set cs1`. (Read by the expression statement parser in match.ts:
 * it starts with a selector.)
 */
import type { Expr } from '../model/expr.ts';
import { WHERE } from '../model/validate.ts';
import { exprType, type DataType } from '../knowledge/datatypes.ts';
import { formatMapDataSet, formatSelector, selectorContext } from '../emit/selectors.ts';
import { formatValueExpr, single, type ValueContext } from '../emit/values.ts';
import { exprJson, selectorJson } from '../json/exprToJson.ts';
import { selectorFromJson, valueFromJson } from '../json/exprFromJson.ts';
import type { JsonValue } from '../json/jsonValue.ts';
import { describeJson, fail, objectBody } from '../json/readJson.ts';
import { modelText, unquoted } from '../json/values.ts';
import type { StmtModule } from './module.ts';
import { NEXT } from '../trace/context.ts';

export interface MangleStmt {
  kind: 'mangle';
  key: Expr;
  value: Expr;
}

/** ct keys whose value is the name of a ct object of the table (`ct helper set "ftp"`). */
export const CT_OBJECT_KEYS: ReadonlySet<string> = new Set(['helper', 'timeout', 'expectation']);

const isCtObjectKey = (key: Expr): boolean => key.kind === 'ct' && CT_OBJECT_KEYS.has(key.key);

function dataType(key: Expr, type: DataType | undefined): ValueContext['dataType'] {
  return isCtObjectKey(key) ? 'object' : type;
}

/** The value of `ct helper set "x"`: the name, quoted as nft lists it, or a map to names. */
function objectName(body: JsonValue): Expr {
  if (typeof body === 'string') return { kind: 'value', text: modelText(body, 'string') };
  const map = valueFromJson(body, { types: [undefined], data: { kind: 'object' } });
  if (map.kind !== 'map') fail(`an object reference must be a name or a map: ${describeJson(body)}`);
  return map;
}

/** Flags written to a header field are listed OR-ed (`tcp flags set syn | ack`); ct event keeps its commas (both versions). */
function listSeparator(key: Expr): string {
  return key.kind === 'payload' || key.kind === 'exthdr' ? ' | ' : ',';
}

export const mangle: StmtModule<'mangle'> = {
  kind: 'mangle',
  title: 'set a field',
  summary: 'write a value to a packet field, the packet mark, or the connection (ct mark, ct helper, …)',
  words: [],
  options: ['set'],
  jsonTags: ['mangle', 'ct helper', 'ct timeout', 'ct expectation', 'secmark'],
  fromJson(tag, body) {
    if (tag === 'ct helper' || tag === 'ct timeout' || tag === 'ct expectation') return { kind: 'mangle', key: { kind: 'ct', key: tag.slice(3) }, value: objectName(body) };
    if (tag === 'secmark') return { kind: 'mangle', key: { kind: 'meta', key: 'secmark' }, value: objectName(body) };
    const o = objectBody(body, tag);
    const key = selectorFromJson(o.key ?? fail('mangle needs a key'));
    const type = exprType(key);
    return { kind: 'mangle', key, value: valueFromJson(o.value ?? fail('mangle needs a value'), { types: [type], data: { kind: 'values', types: [type] } }) };
  },
  print(s, ctx) {
    const type = exprType(s.key);
    const v = s.value;
    const value =
      v.kind === 'value' || v.kind === 'list' || v.kind === 'range' || v.kind === 'prefix' || v.kind === 'concat' || v.kind === 'setref' || v.kind === 'var'
        ? formatValueExpr(v, single(isCtObjectKey(s.key) ? 'string' : type), listSeparator(s.key))
        : v.kind === 'map'
          ? `${formatSelector(v.key, ctx.target)} map ${formatMapDataSet(v.data, selectorContext(v.key), dataType(s.key, type))}`
          : formatSelector(v, ctx.target);
    return `${formatSelector(s.key)} set ${value}`;
  },
  toJson(s, ctx) {
    // `ct helper set "x"` and `meta secmark set "x"` are object references in JSON
    const value: Expr = s.value.kind === 'var' ? ctx.vars.expr(s.value.name) : s.value;
    const objectRef = (type: string): JsonValue => {
      if (value.kind === 'value') return { [type]: unquoted(value.text) };
      return { [type]: exprJson(value, { types: [undefined], data: { kind: 'object' } }, ctx.vars) };
    };
    if (s.key.kind === 'ct' && CT_OBJECT_KEYS.has(s.key.key) && !s.key.dir) return objectRef(`ct ${s.key.key}`);
    if (s.key.kind === 'meta' && s.key.key === 'secmark' && (value.kind === 'value' || value.kind === 'map')) return objectRef('secmark');
    const type = exprType(s.key);
    return { mangle: { key: selectorJson(s.key, ctx.vars), value: exprJson(value, { types: [type], data: { kind: 'values', types: [type] } }, ctx.vars) } };
  },
  shape(v, s, p) {
    v.expr(s.key, `${p}.key`, 0, 'mangleKey', WHERE.mangleKey);
    v.expr(s.value, `${p}.value`, 0, 'target', WHERE.mangleValue);
  },
  safety(v, s) {
    v.expr(s.key, 'mangleKey', WHERE.mangleKey);
    v.expr(s.value, 'target', WHERE.mangleValue);
  },
  terminal: () => false,
  ends: () => undefined,
  exprs: (s) => [s.key, s.value],
  passes: () => true,
  evaluate(s, ctx) {
    ctx.write(s.key, s.value);
    return NEXT;
  },
};
