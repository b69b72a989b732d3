/**
 * lint(ruleset) → Diagnostic[]: what nft -c misses, explained for a learner.
 * One module per check in ./checks; the facts they use live in src/knowledge.
 */
export { lint } from './lint.ts';
export type { LintOptions } from './context.ts';
export type { LintSource } from './locate.ts';
export { CHECKS, FINDINGS } from './checks/index.ts';
