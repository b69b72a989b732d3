/**
 * Node id → source offsets, filled by the parser without allocating an object
 * and a map entry per node (a 50k-rule file has 50k rules): spans are appended
 * to flat arrays and the Map itself is built on first read.
 */
import type { Span } from '../model/diagnostic.ts';

export class SpanIndex extends Map<string, Span> {
  private ids: string[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private built = true;

  /** Record (or overwrite) the span of `id`; cheap until the map is read. */
  add(id: string, start: number, end: number): void {
    if (this.built && super.size > 0) {
      super.set(id, { start, end });
      return;
    }
    this.built = false;
    this.ids.push(id);
    this.starts.push(start);
    this.ends.push(end);
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    const { ids, starts, ends } = this;
    for (let i = 0; i < ids.length; i++) super.set(ids[i], { start: starts[i], end: ends[i] });
    this.ids = [];
    this.starts = [];
    this.ends = [];
  }

  override get(id: string): Span | undefined {
    this.build();
    return super.get(id);
  }
  override has(id: string): boolean {
    this.build();
    return super.has(id);
  }
  override set(id: string, span: Span): this {
    this.build();
    return super.set(id, span);
  }
  override delete(id: string): boolean {
    this.build();
    return super.delete(id);
  }
  override get size(): number {
    this.build();
    return super.size;
  }
  override forEach(fn: (value: Span, key: string, map: Map<string, Span>) => void, thisArg?: unknown): void {
    this.build();
    super.forEach(fn, thisArg);
  }
  override entries(): MapIterator<[string, Span]> {
    this.build();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.build();
    return super.keys();
  }
  override values(): MapIterator<Span> {
    this.build();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, Span]> {
    this.build();
    return super[Symbol.iterator]();
  }
}
