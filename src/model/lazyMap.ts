/**
 * A Map filled on first read. The parser and the emitter record tens of
 * thousands of node positions that are usually read a few at a time; they
 * record them cheaply (flat arrays) and the Map is built only when read.
 */
export class LazyMap<V> extends Map<string, V> {
  private fill: (() => void) | null = null;

  /** Run `fill` (which calls `put`) before the next read. */
  protected defer(fill: () => void): void {
    const prev = this.fill;
    this.fill = prev
      ? () => {
          prev();
          fill();
        }
      : fill;
  }

  protected put(key: string, value: V): void {
    super.set(key, value);
  }

  private ensure(): void {
    const f = this.fill;
    if (f) {
      this.fill = null;
      f();
    }
  }

  override get(key: string): V | undefined {
    this.ensure();
    return super.get(key);
  }
  override has(key: string): boolean {
    this.ensure();
    return super.has(key);
  }
  override set(key: string, value: V): this {
    this.ensure();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.ensure();
    return super.delete(key);
  }
  override get size(): number {
    this.ensure();
    return super.size;
  }
  override forEach(fn: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.ensure();
    super.forEach(fn, thisArg);
  }
  override entries(): MapIterator<[string, V]> {
    this.ensure();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.ensure();
    return super.keys();
  }
  override values(): MapIterator<V> {
    this.ensure();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, V]> {
    this.ensure();
    return super[Symbol.iterator]();
  }
}
