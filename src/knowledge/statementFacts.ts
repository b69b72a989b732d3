/**
 * Facts about each statement kind that the linter (and the packet trace) need.
 * They are defined by each kind's module in src/stmts/ (terminal, ends, passes);
 * this names them for the linter.
 */
export { isTerminal, endVerdict, alwaysPasses } from '../stmts/registry.ts';
