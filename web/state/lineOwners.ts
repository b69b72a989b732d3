/** For each line (1-based), the smallest node whose range contains it. */
export class LineOwners {
  private readonly owner: (string | undefined)[];
  constructor(map: Map<string, { startLine: number; endLine: number }>) {
    const entries = [...map.entries()].sort((a, b) => b[1].endLine - b[1].startLine - (a[1].endLine - a[1].startLine));
    const owner: (string | undefined)[] = [];
    for (const [id, r] of entries) for (let l = r.startLine; l <= r.endLine; l++) owner[l] = id;
    this.owner = owner;
  }
  at(line: number): string | undefined {
    return this.owner[line];
  }
}
