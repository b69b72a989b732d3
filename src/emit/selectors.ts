/**
 * Selectors (`tcp dport`, `ct original ip saddr`, `jhash ip saddr mod 2`) and the
 * map tables after them, in nft's listing form. Statement printers in
 * src/stmts/ and the declaration printer in emit.ts share these.
 */
import type { Expr } from '../model/expr.ts';
import { exprType, hasShift, type DataType } from '../knowledge/datatypes.ts';
import { CT_KEYS, META_KEYS, SOCKET_KEYS, UNQUALIFIED_META_KEYS, metaListedAs, payloadField, type FieldInfo } from '../knowledge/expressions.ts';
import { EXTHDR_SPACES } from '../knowledge/exthdr.ts';
import { lists11, type ListingTarget } from '../knowledge/listing.ts';
import { exprLayouts, formatSet, formatValueExpr, registerSelectorPrinter, single, type ValueContext } from './values.ts';

// ------------------------------------------------------------------ selectors

/**
 * A selector as nft lists it. `target` decides what differs between versions:
 * nft 1.1 lists the operands after a shift as plain hex integers (`meta mark >> 8
 * & 0xf`), 1.0.6 in the selector's own type (`& 0x0000000f`); seen on both.
 */
export function formatSelector(e: Expr, target?: ListingTarget): string {
  switch (e.kind) {
    case 'payload': {
      // the word nft reads, where its listing's would not load (`icmpv6 param-problem`)
      const field = payloadField(e.protocol, e.field)?.written ?? e.field;
      return e.tunnel ? `${e.tunnel} ${e.protocol} ${field}` : `${e.protocol} ${field}`;
    }
    case 'meta':
      return UNQUALIFIED_META_KEYS.has(e.key) ? e.key : `meta ${metaListedAs(e.key)}`;
    case 'exthdr':
      return formatExthdr(e);
    case 'rawpayload':
      return `@${e.base},${e.offset},${e.len}`;
    case 'ipsec':
      return ['ipsec', e.dir, e.spnum ? `spnum ${e.spnum}` : '', e.family, e.key].filter(Boolean).join(' ');
    case 'osf':
      return e.ttl ? `osf ttl ${e.ttl} ${e.key}` : `osf ${e.key}`;
    case 'ct':
      return `ct${e.dir ? ` ${e.dir}` : ''}${e.family ? ` ${e.family}` : ''}${e.key ? ` ${e.key}` : ''}`;
    case 'fib':
      return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'concat':
      return e.items.map((i) => formatSelector(i, target)).join(' . ');
    case 'binop': {
      // a chain `a & 1 | 2 …` is printed along its left spine in a loop, not by recursion
      const links: Extract<Expr, { kind: 'binop' }>[] = [];
      let base: Expr = e;
      for (; base.kind === 'binop'; base = base.left) links.push(base);
      let type = listedType(base, target);
      let s = formatSelector(base);
      for (let i = links.length - 1; i >= 0; i--) {
        const op = links[i].op;
        // a shift binds tighter than & | ^: nft lists `(meta mark | 0x10) << 8`
        if ((op === '<<' || op === '>>') && i < links.length - 1 && !isShift(links[i + 1].op)) s = `(${s})`;
        // a shift's operand is a bit count
        s += ` ${op} ${formatOperand(links[i].right, isShift(op) ? 'integer' : type)}`;
        if (isShift(op) && lists11(target)) type = 'hex_integer';
      }
      return s;
    }
    case 'numgen':
      return `numgen ${e.mode} mod ${e.mod}${e.offset !== undefined ? ` offset ${e.offset}` : ''}`;
    case 'hash': {
      let s = e.hash === 'jhash' && e.expr ? `jhash ${formatSelector(e.expr)} mod ${e.mod}` : `${e.hash} mod ${e.mod}`;
      if (e.seed !== undefined) s += ` seed ${e.seed}`;
      if (e.offset !== undefined) s += ` offset ${e.offset}`;
      return s;
    }
    case 'rt':
      return ['rt', e.family, e.key].filter(Boolean).join(' ');
    case 'socket':
      return `socket ${e.key}`;
    case 'var':
      return `$${e.name}`;
    case 'map':
      return `${formatSelector(e.key)} map ${formatMapDataSet(e.data, selectorContext(e.key))}`;
    case 'rawexpr':
      return e.text;
    default:
      return formatValueExpr(e, single(undefined));
  }
}

registerSelectorPrinter(formatSelector);

function isShift(op: string): boolean {
  return op === '<<' || op === '>>';
}

/**
 * The datatype the values compared with selector `e` are listed in, where the
 * target's differs from the selector's own: nft 1.1 lists `ip frag-off` in hex
 * (`& 0x1fff != 0x0`), 1.0.6 in decimal (`& 8191 != 0`); seen on both.
 */
export function listedType(e: Expr, target: ListingTarget | undefined): DataType | undefined {
  if (lists11(target) && e.kind === 'payload' && e.protocol === 'ip' && e.field === 'frag-off' && !e.tunnel) return 'hex_integer';
  return exprType(e);
}

/** Is the value of selector `e` (the base of a bit operation) kept in host byte order and wider than a byte? */
export function hostOrderWide(e: Expr): boolean {
  let info: FieldInfo | undefined;
  if (e.kind === 'meta') info = META_KEYS[e.key];
  else if (e.kind === 'ct') info = Object.hasOwn(CT_KEYS, e.key) ? CT_KEYS[e.key] : undefined;
  else if (e.kind === 'socket') info = Object.hasOwn(SOCKET_KEYS, e.key) ? SOCKET_KEYS[e.key] : undefined;
  return info !== undefined && !info.networkOrder && (info.bits ?? 0) > 8;
}

/** nft 1.1 compares a shifted value as a plain hex integer (`meta mark >> 8 & 0xf == 0x3`): that type, or undefined. */
export function shiftedValueType(e: Expr, target: ListingTarget | undefined): DataType | undefined {
  return lists11(target) && hasShift(e) ? 'hex_integer' : undefined;
}

/** `frag id`, `srh sid[1]`, `exthdr hbh`, `tcp option maxseg size`, `tcp option @255,8,8`, `sctp chunk data`. */
function formatExthdr(e: Extract<Expr, { kind: 'exthdr' }>): string {
  const sp = EXTHDR_SPACES[e.space];
  const name = e.raw ? `@${e.name},${e.raw.offset},${e.raw.len}` : e.name;
  if (e.field === undefined) return `${sp.existsWords} ${name}`;
  const field = e.index !== undefined ? `${e.field}[${e.index}]` : e.field;
  return sp.words ? `${sp.words} ${name} ${field}` : `${name} ${field}`;
}

function formatOperand(e: Expr, type: DataType | undefined): string {
  if (e.kind === 'list') {
    const inner = formatValueExpr(e, single(type), ' | ');
    return `(${inner})`;
  }
  return formatValueExpr(e, single(type));
}

/** The datatypes of a selector's components, for printing values compared with it. */
export function selectorContext(e: Expr): ValueContext {
  if (e.kind === 'concat') {
    const layouts = exprLayouts(e.items);
    return layouts ? { types: e.items.map((i) => exprType(i)), layouts } : { types: e.items.map((i) => exprType(i)) };
  }
  return single(exprType(e));
}

export function formatMapDataSet(data: Expr, ctx: ValueContext, dataType?: ValueContext['dataType']): string {
  if (data.kind === 'set') return formatSet(data.elements, { ...ctx, dataType }, false);
  return formatValueExpr(data, ctx);
}
