/**
 * What the text reader (parse/parser.ts) and the JSON reader (json/readDocument.ts)
 * share: the state of the tables read so far, and the preamble the input stands
 * for. `flush ruleset` first is the "flush" preamble; `add table X` + `delete table
 * X` before each table's content is "replace" — but only when every table of the
 * input is replaced (the preamble would delete every designed table on the host),
 * else the deletes stay as commands and the reader warns.
 */
import { newId } from './ids.ts';
import type { Chain, Family, Ruleset, SetDecl, Table } from './types.ts';

export interface TableState {
  table: Table;
  chains: Map<string, Chain>;
  sets: Map<string, SetDecl>;
  /** the `table X` + `delete table X` preamble was seen for it */
  replaced: boolean;
}

export const PARTIAL_REPLACE = (replaced: string): string =>
  `only some tables are replaced with "delete table" (${replaced}); the others are added to what the host already has, so the deletes are kept as commands before the tables instead of the "replace" preamble, which would delete every table of the design`;

export class ReaderCore {
  readonly tables = new Map<string, TableState>();
  /** tables whose replace-this-table preamble was seen */
  private readonly pendingReplace = new Set<string>();
  /** the `add table X` + `delete table X` commands standing for those preambles (dropped when they become the preamble) */
  readonly replaceCommands = new Set<string>();
  /** `flush ruleset` came first */
  sawFlush = false;

  constructor(readonly rs: Ruleset) {}

  /** The state of table FAMILY NAME, made (and added to the ruleset) on first use; `made` says whether it was new. */
  tableState(family: Family, name: string): { st: TableState; made: boolean } {
    const key = `${family} ${name}`;
    const known = this.tables.get(key);
    if (known) return { st: known, made: false };
    const table: Table = { id: newId('t'), family, name, flags: [], objects: [], sets: [], flowtables: [], chains: [] };
    const st: TableState = { table, chains: new Map(), sets: new Map(), replaced: this.pendingReplace.has(key) };
    this.tables.set(key, st);
    this.rs.tables.push(table);
    return { st, made: true };
  }

  /**
   * `add table X` + `delete table X` seen for the (so far empty) table `st`: it
   * leaves the ruleset until it is added again, and the two commands stand for
   * the preamble until the end. Returns the two commands' ids.
   */
  replaceTable(st: TableState, addText: string, delText: string): { add: string; del: string } {
    const t = st.table;
    const key = `${t.family} ${t.name}`;
    this.tables.delete(key);
    this.rs.tables.splice(this.rs.tables.indexOf(t), 1);
    this.pendingReplace.add(key);
    const add = newId('x');
    const del = newId('x');
    this.rs.commands.push({ id: add, text: addText, at: 'start' }, { id: del, text: delText, at: 'start' });
    this.replaceCommands.add(add).add(del);
    return { add, del };
  }

  /**
   * At the end of the input: the preamble it stands for. Returns the ids of the
   * commands that became the preamble (dropped from the ruleset), and the warning
   * when only some tables are replaced. `replaceAll`: the input is a design whose
   * preamble is "replace" (the app's preview), so a table without its two lines joins it.
   */
  finishPreamble(replaceAll = false): { dropped: ReadonlySet<string>; partial?: string } {
    const none: ReadonlySet<string> = new Set();
    const drop = (): ReadonlySet<string> => {
      if (this.replaceCommands.size) this.rs.commands = this.rs.commands.filter((c) => !this.replaceCommands.has(c.id));
      return this.replaceCommands;
    };
    if (this.sawFlush) {
      // `flush ruleset` comes first and empties the host: a delete before it has nothing left to delete
      this.rs.preamble = 'flush';
      return { dropped: drop() };
    }
    if (!this.pendingReplace.size) return { dropped: none };
    const states = [...this.tables.values()];
    const keys = [...this.pendingReplace];
    if (states.length && (replaceAll || states.every((s) => s.replaced)) && keys.every((k) => this.tables.has(k))) {
      this.rs.preamble = 'replace';
      return { dropped: drop() };
    }
    return { dropped: none, partial: PARTIAL_REPLACE(keys.map((k) => `table ${k}`).join(', ')) };
  }
}
