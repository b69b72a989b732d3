/**
 * How deep expressions may nest, and an iterative check of it. Every reader
 * (parser, JSON reader, model validator) refuses deeper input with a message
 * naming the place, so the code that walks a checked model may recurse: its
 * depth is bounded by these constants, never by the size of the input.
 *
 * Measured with Debian 12's nft 1.0.6 in `unshare -n` (nft -c -f and nft -f):
 * `meta mark & 1 & 1 … == 1` loads with 52 operators and aborts with "stack
 * smashing detected" from 53 (segfault from about 200); the same holds for `|`
 * and for text and JSON input alike. Some mixed chains (`& 0xff | 0x100`
 * repeated) load up to about 100 operators, but none loads 200.
 */
import type { Expr } from './expr.ts';

/** The most bit operations (`&`, `|`, `^`, `<<`, `>>`) on one path of an expression. */
export const MAX_BIT_OPERATIONS = 52;

/**
 * The deepest nesting of expressions (a binop chain of 52 inside a map key inside
 * a concatenation is about 56). Nothing nft lists nests deeper than that.
 */
export const MAX_EXPR_DEPTH = 64;

export const TOO_MANY_BIT_OPERATIONS = `more than ${MAX_BIT_OPERATIONS} bit operations (&, |, ^, <<, >>) in one expression: nft 1.0.6 crashes on that many (stack smashing from 53)`;
export const NESTED_TOO_DEEPLY = `the expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`;

/** Push the expressions directly inside `e` (last first, so a stack pops them in order). */
export function pushChildren(e: Expr, stack: Expr[]): void {
  switch (e.kind) {
    case 'concat':
    case 'list':
      for (let i = e.items.length - 1; i >= 0; i--) stack.push(e.items[i]);
      return;
    case 'binop':
      stack.push(e.right, e.left);
      return;
    case 'range':
      stack.push(e.to, e.from);
      return;
    case 'prefix':
      stack.push(e.addr);
      return;
    case 'set':
      for (let i = e.elements.length - 1; i >= 0; i--) {
        const el = e.elements[i];
        if (el.value) stack.push(el.value);
        stack.push(el.key);
      }
      return;
    case 'map':
      stack.push(e.data, e.key);
      return;
    case 'hash':
      if (e.expr) stack.push(e.expr);
      return;
    default:
      return;
  }
}

/** Every expression inside `e` (the root included), depth first, with an explicit stack. */
export function forEachExpr(e: Expr, fn: (e: Expr) => void): void {
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    fn(x);
    pushChildren(x, stack);
  }
}

/**
 * Why `root` nests deeper than nft takes (or than a ruleset nests), or
 * undefined. Runs with an explicit stack, so it can be asked about any input.
 */
export function exprNestingProblem(root: Expr): string | undefined {
  // fast path: the expressions of almost every rule hold no nesting at all
  if (root.kind !== 'binop' && root.kind !== 'concat' && root.kind !== 'list' && root.kind !== 'set' && root.kind !== 'map' && root.kind !== 'range' && root.kind !== 'prefix' && root.kind !== 'hash') return undefined;
  const nodes: Expr[] = [root];
  const depths: number[] = [1];
  const ops: number[] = [root.kind === 'binop' ? 1 : 0];
  const children: Expr[] = [];
  for (let e = nodes.pop(); e !== undefined; e = nodes.pop()) {
    const depth = depths.pop() as number;
    const binops = ops.pop() as number;
    if (binops > MAX_BIT_OPERATIONS) return TOO_MANY_BIT_OPERATIONS;
    if (depth > MAX_EXPR_DEPTH) return NESTED_TOO_DEEPLY;
    children.length = 0;
    pushChildren(e, children);
    for (const c of children) {
      nodes.push(c);
      depths.push(depth + 1);
      ops.push(c.kind === 'binop' ? binops + 1 : binops);
    }
  }
  return undefined;
}

/**
 * The most bit operations on any one path of `root` (`(a & 1) & 2 | 3` has 3),
 * with an explicit stack like exprNestingProblem.
 */
export function deepestBitPath(root: Expr): number {
  const nodes: Expr[] = [root];
  const ops: number[] = [root.kind === 'binop' ? 1 : 0];
  const children: Expr[] = [];
  let most = 0;
  for (let e = nodes.pop(); e !== undefined; e = nodes.pop()) {
    const binops = ops.pop() as number;
    if (binops > most) most = binops;
    children.length = 0;
    pushChildren(e, children);
    for (const c of children) {
      nodes.push(c);
      ops.push(c.kind === 'binop' ? binops + 1 : binops);
    }
  }
  return most;
}

/** The number of bit operations along the left spine of `e` (`a & 1 & 2` has 2), counted up to `limit + 1`. */
export function leftChainLength(e: Expr, limit = MAX_BIT_OPERATIONS): number {
  let n = 0;
  for (let x = e; x.kind === 'binop' && n <= limit; x = x.left) n++;
  return n;
}

/** The expressions directly held by a statement. */
