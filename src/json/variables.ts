/**
 * `define`d variables. JSON has none, so every `$name` is replaced by the
 * expression its definition stands for (nested variables too, and a variable
 * holding an anonymous set spliced into the set around it, as nft does). A
 * variable that is undefined, circular or whose value is not one expression
 * cannot be carried.
 */
import type { Expr } from '../model/expr.ts';
import type { Define, Priority } from '../model/types.ts';
import { forEachExpr } from '../model/nesting.ts';
import { CannotCarry, LOSS } from './losses.ts';
import { parseValue } from './snippets.ts';
import { unquoted } from './values.ts';

export class Variables {
  private readonly values = new Map<string, string>();
  private readonly resolved = new Map<string, Expr>();

  constructor(defines: readonly Define[]) {
    // nft refuses a second `define` of a name; the first one is the one that counts
    for (const d of defines) if (!this.values.has(d.name)) this.values.set(d.name, d.value);
  }

  /** The expression `$name` stands for, with no variable left in it. */
  expr(name: string): Expr {
    return this.resolve(name);
  }

  /** Replace every variable inside `e`. */
  substitute(e: Expr): Expr {
    return this.subst(e) as Expr;
  }

  /** `policy $P`: the variable must hold `"accept"` or `"drop"`. */
  policy(name: string): 'accept' | 'drop' {
    const e = this.expr(name);
    const v = e.kind === 'value' ? unquoted(e.text) : '';
    if (v !== 'accept' && v !== 'drop') throw new CannotCarry(LOSS.policy, `$${name} does not hold "accept" or "drop"`);
    return v;
  }

  /** `priority $P`: a number or a standard priority name. */
  priority(name: string): Exclude<Priority, { kind: 'var' }> {
    const e = this.expr(name);
    const t = e.kind === 'value' ? e.text : '';
    if (/^-?\d+$/.test(t)) return { kind: 'num', value: Number(t) };
    if (/^0x[0-9a-fA-F]+$/.test(t)) return { kind: 'num', value: Number.parseInt(t, 16) };
    if (/^[a-z]+$/.test(t)) return { kind: 'std', name: t, offset: 0 };
    throw new CannotCarry(LOSS.priority, `$${name} does not hold a priority`);
  }

  /** `device $D` / `devices = $D`: one quoted name or a set of names. */
  devices(name: string): string[] {
    const e = this.expr(name);
    const one = (x: Expr): string => {
      if (x.kind !== 'value') throw new CannotCarry(LOSS.device, `$${name} does not hold device names`);
      return unquoted(x.text);
    };
    return e.kind === 'set' ? e.elements.map((el) => one(el.key)) : [one(e)];
  }

  /**
   * Resolved with an explicit stack of the names being resolved, not by
   * recursion: a define may stand on another, that one on a third, … (nft 1.0.6
   * takes a chain of 40 and more), and a cycle is a name met again on the stack.
   */
  private resolve(name: string): Expr {
    const done = this.resolved.get(name);
    if (done) return done;
    const pending = [name];
    const onStack = new Set(pending);
    while (pending.length) {
      const top = pending[pending.length - 1];
      const parsed = this.parsed(top);
      const next = this.firstUnresolved(parsed);
      if (next !== undefined) {
        if (onStack.has(next)) throw new CannotCarry(LOSS.variable, `$${next} is defined in terms of itself`);
        pending.push(next);
        onStack.add(next);
        continue;
      }
      // every variable inside is resolved now, so subst goes no deeper than the expression
      this.resolved.set(top, this.subst(parsed) as Expr);
      pending.pop();
      onStack.delete(top);
    }
    return this.resolved.get(name) as Expr;
  }

  private parsed(name: string): Expr {
    const value = this.values.get(name);
    if (value === undefined) throw new CannotCarry(LOSS.variable, `$${name} is not defined`);
    const parsed = parseValue(value);
    if (!parsed) throw new CannotCarry(LOSS.variable, `the value of $${name} is not a single expression`);
    return parsed;
  }

  /** The first variable inside `e` that is not resolved yet. */
  private firstUnresolved(e: Expr): string | undefined {
    let found: string | undefined;
    forEachExpr(e, (x) => {
      if (found === undefined && x.kind === 'var' && !this.resolved.has(x.name)) found = x.name;
    });
    return found;
  }

  private subst(node: unknown): unknown {
    if (Array.isArray(node)) return node.flatMap((item) => this.substItem(item));
    if (typeof node !== 'object' || node === null) return node;
    const o = node as Record<string, unknown>;
    if (o.kind === 'var' && typeof o.name === 'string') return this.resolve(o.name);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) out[k] = this.subst(o[k]);
    return out;
  }

  /** A set element that is a variable holding a set stands for that set's elements. */
  private substItem(item: unknown): unknown[] {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const el = item as Record<string, unknown>;
      const key = el.key as Record<string, unknown> | undefined;
      if (key && key.kind === 'var' && typeof key.name === 'string' && Object.keys(el).length === 1) {
        const r = this.resolve(key.name);
        if (r.kind === 'set') return r.elements;
      }
    }
    return [this.subst(item)];
  }
}
