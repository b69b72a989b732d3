/** The preamble choices, as Export and "Compare with live" offer them (one place for their words). */
import type { Preamble } from '../../src/model/types.ts';

export const PREAMBLES: { value: Preamble; label: string; help: string }[] = [
  { value: 'replace', label: 'Replace only these tables', help: 'table X + delete table X + the full table: atomic and repeatable, other tables on the host stay (the default, recommended).' },
  { value: 'flush', label: 'flush ruleset', help: 'Removes every table on the host first (also those of Docker, firewalld, iptables-nft). Only if this design owns the whole host.' },
  { value: 'none', label: 'None', help: 'Just the tables. Loading it twice appends the rules twice.' },
];
