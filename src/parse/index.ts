export { blockingErrors, fixedByRewrite, parse, type ParseOptions, type ParseResult } from './parser.ts';
export { tokenize, LineIndex, Tok } from './lexer.ts';
