/**
 * The kinds of statement a set element (and a set's template, a set update's
 * element, a meter) can carry: nft's stateful statements. Without imports, so
 * that statement modules can use it while the registry is still loading
 * (elementStmts.ts has the parsing and printing).
 */
import type { Statement } from '../model/stmt.ts';

/** The statements an element can carry: nft's stateful statements. */
export const ELEMENT_STATEMENT_KINDS = ['limit', 'counter', 'quota', 'connlimit', 'last'] as const;
export type ElementStatementKind = (typeof ELEMENT_STATEMENT_KINDS)[number];
export type ElementStatement = Extract<Statement, { kind: ElementStatementKind }>;

export const isElementStatement = (s: { kind?: unknown }): s is ElementStatement => (ELEMENT_STATEMENT_KINDS as readonly unknown[]).includes(s.kind);

export const NOT_STATEFUL = `a statement on set elements is one of ${ELEMENT_STATEMENT_KINDS.map((k) => (k === 'connlimit' ? 'ct count' : k)).join(', ')}`;

/** The JSON tags of the element statements (the keys nft writes into an `elem` object). */
export const ELEMENT_STATEMENT_TAGS = ['counter', 'limit', 'quota', 'ct count', 'last'] as const;

/** The most statements one element (or template) holds: nft allows two (NFT_SET_EXPR_MAX), we read a few more. */
export const MAX_ELEMENT_STATEMENTS = 8;

