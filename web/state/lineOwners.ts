/**
 * Line → node for an emitted script: the innermost node whose lines contain a
 * line (a rule before its chain before its table). One implementation for the
 * preview's click-to-select and the lint mapping (finding lines → node ids).
 *
 * One index per source map, built on the first lookup and shared by everyone
 * who asks for the same map (`lineIndexOf`): each emit makes a new map, so the
 * index is built at most once per emitted text, and not at all when nobody asks
 * (a form keystroke makes a new map; a click or a lint result asks).
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

/**
 * Node ranges are nested or disjoint, so two ranges of the same size that both
 * contain a line are the same lines held by a node and its parent (a chain or
 * set on one line inside a one-line table, a rule alone in a one-line chain).
 * The innermost wins; ids start with their kind (src/model/ids.ts), and the
 * kinds nest rule ⊂ chain, set, flowtable, object ⊂ table ⊂ ruleset. Defines
 * and commands stand alone at the top and never share lines with another node.
 */
function depthRank(id: string): number {
  if (id.startsWith('r_')) return 0;
  if (id.startsWith('rs_')) return 3;
  if (id.startsWith('t_')) return 2;
  return 1;
}

export class NodeLineIndex {
  private ids: string[] = [];
  private byLine: Int32Array | null = null;

  constructor(private readonly map: ReadonlyMap<string, LineRange>) {}

  /** The id of the innermost node whose lines contain `line` (1-based), or undefined. */
  nodeAt(line: number): string | undefined {
    const byLine = this.build();
    if (!(line >= 1) || line >= byLine.length) return undefined;
    const k = byLine[Math.floor(line)];
    return k < 0 ? undefined : this.ids[k];
  }

  private build(): Int32Array {
    if (this.byLine) return this.byLine;
    const entries: { id: string; start: number; end: number; size: number; rank: number }[] = [];
    let last = 0;
    for (const [id, r] of this.map) {
      if (!(r.startLine >= 1) || !(r.endLine >= r.startLine)) continue;
      entries.push({ id, start: r.startLine, end: r.endLine, size: r.endLine - r.startLine, rank: depthRank(id) });
      if (r.endLine > last) last = r.endLine;
    }
    // outermost first: larger ranges, then (same size) the outer kind
    entries.sort((a, b) => b.size - a.size || b.rank - a.rank);
    const byLine = new Int32Array(last + 1).fill(-1);
    this.ids = entries.map((e) => e.id);
    for (let k = 0; k < entries.length; k++) byLine.fill(k, entries[k].start, entries[k].end + 1);
    this.byLine = byLine;
    return byLine;
  }
}

const indexes = new WeakMap<ReadonlyMap<string, LineRange>, NodeLineIndex>();

/** The shared (lazily built) index of a source map: one per map object. */
export function lineIndexOf(map: ReadonlyMap<string, LineRange>): NodeLineIndex {
  let index = indexes.get(map);
  if (!index) {
    index = new NodeLineIndex(map);
    indexes.set(map, index);
  }
  return index;
}

/** The innermost node owning `line` (1-based) in the text `map` describes. */
export function nodeAtLine(map: ReadonlyMap<string, LineRange>, line: number): string | undefined {
  return lineIndexOf(map).nodeAt(line);
}

/**
 * The lint mapping's handle on the same shared index (kept so its callers need
 * not change): constructing one is free, the index is built on the first `at`
 * and reused for every later lint result on the same emitted text.
 */
export class LineOwners {
  private readonly index: NodeLineIndex;
  constructor(map: ReadonlyMap<string, LineRange>) {
    this.index = lineIndexOf(map);
  }
  at(line: number): string | undefined {
    return this.index.nodeAt(line);
  }
}
