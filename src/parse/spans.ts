/**
 * Node id → source offsets, filled by the parser without allocating an object
 * and a map entry per node as it goes (a 50k-rule file has 50k rules): spans
 * are appended to flat arrays and moved into the Map on first read.
 */
import type { Span } from '../model/diagnostic.ts';
import { LazyMap } from '../model/lazyMap.ts';

export class SpanIndex extends LazyMap<Span> {
  private ids: string[] = [];
  private starts: number[] = [];
  private ends: number[] = [];

  /** Record (or overwrite) the span of `id`; cheap until the map is read. */
  add(id: string, start: number, end: number): void {
    if (this.ids.length === 0) this.defer(() => this.flush());
    this.ids.push(id);
    this.starts.push(start);
    this.ends.push(end);
  }

  private flush(): void {
    const { ids, starts, ends } = this;
    this.ids = [];
    this.starts = [];
    this.ends = [];
    for (let i = 0; i < ids.length; i++) this.put(ids[i], { start: starts[i], end: ends[i] });
  }
}
