/**
 * Line → node lookup for click-to-select: the smallest node range that contains
 * a line (a rule before its chain before its table). Built once per source map
 * and only when first asked (a form keystroke makes a new map, a click asks),
 * then every lookup is one array read.
 *
 * Building paints each line with the node that covers it, largest ranges first,
 * so the smallest range containing a line is painted last. With nested ranges
 * (tables ⊃ chains ⊃ rules) that costs the number of lines times the nesting
 * depth: about 30,000 writes for a 10,000-rule design.
 */
export interface LineRange {
  startLine: number;
  endLine: number;
}

/** When two ranges have the same size, the more specific kind wins (ids start with their kind, see src/model/ids.ts). */
function kindRank(id: string): number {
  if (id.startsWith('r_')) return 0;
  if (id.startsWith('t_') || id.startsWith('rs_')) return 2;
  return 1;
}

export class NodeLineIndex {
  private ids: string[] = [];
  private byLine: Int32Array | null = null;

  constructor(private readonly map: ReadonlyMap<string, LineRange>) {}

  /** The id of the smallest node whose lines contain `line` (1-based), or undefined. */
  nodeAt(line: number): string | undefined {
    const byLine = this.build();
    if (line < 1 || line >= byLine.length) return undefined;
    const k = byLine[line];
    return k < 0 ? undefined : this.ids[k];
  }

  private build(): Int32Array {
    if (this.byLine) return this.byLine;
    const entries: { id: string; start: number; end: number; size: number; rank: number }[] = [];
    let last = 0;
    for (const [id, r] of this.map) {
      if (!(r.startLine >= 1) || !(r.endLine >= r.startLine)) continue;
      entries.push({ id, start: r.startLine, end: r.endLine, size: r.endLine - r.startLine, rank: kindRank(id) });
      if (r.endLine > last) last = r.endLine;
    }
    entries.sort((a, b) => b.size - a.size || b.rank - a.rank);
    const byLine = new Int32Array(last + 1).fill(-1);
    this.ids = entries.map((e) => e.id);
    for (let k = 0; k < entries.length; k++) byLine.fill(k, entries[k].start, entries[k].end + 1);
    this.byLine = byLine;
    return byLine;
  }
}
