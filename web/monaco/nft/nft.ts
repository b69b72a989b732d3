/**
 * The nft language for Monaco, laid out like monaco-editor's own languages
 * (`src/languages/definitions/<lang>/<lang>.ts`): `conf` for brackets, comments
 * and indentation, `language` for the Monarch tokenizer. The word lists come
 * from `words.ts`, which takes them from the knowledge tables in `src/knowledge/`.
 *
 * Token classes (all suffixed `.nft`), chosen so the themes can tell a learner
 * what kind of word they are looking at:
 *   keyword            structure: table, chain, type, hook, priority, policy …
 *   keyword.verdict    accept, drop, jump, goto …
 *   keyword.statement  counter, log, limit, notrack, synproxy, snat …
 *   keyword.selector   what a match looks at: ip, tcp, meta, ct …
 *   attribute          fields and options: saddr, dport, state, mss, wscale …
 *   type.family / type.chain / type.hook / type.priority / type
 *   constant           symbolic values: established, syn, echo-request …
 *   number, number.hex, number.address, number.time
 *   string, comment, variable ($name), variable.set (@name), identifier (names)
 *   operator, delimiter, invalid
 */
import type { languages } from 'monaco-editor/editor/editor.api';
import {
  CHAIN_TYPE_WORDS,
  FAMILY_WORDS,
  FIELDS,
  HOOK_WORDS,
  OPERATOR_WORDS,
  OTHER_KEYWORDS,
  PRIORITY_NAMES,
  SELECTORS,
  SET_TYPE_WORDS,
  STATEMENTS,
  STRUCTURE,
  SYMBOLIC_VALUES,
  VERDICTS,
} from './words.ts';

export const LANGUAGE_ID = 'nft';

/** A name as nft's scanner reads it: a letter, `_` or `.`, then letters, digits, `/ - _ .`. */
const NAME = /[A-Za-z_.][\w./-]*/.source;

export const conf: languages.LanguageConfiguration = {
  comments: { lineComment: '#' },
  brackets: [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
  ],
  surroundingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"' },
  ],
  // words for double-click, word highlight and the default completion range:
  // names, keywords with dashes (sack-perm), $variables and @set references
  wordPattern: /[$@]?[A-Za-z_][\w-]*|\d[\w.:/]*/g,
  indentationRules: {
    increaseIndentPattern: /^[^#"]*\{[^}"]*$/,
    decreaseIndentPattern: /^\s*\}/,
  },
};

export const language: languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  tokenPostfix: '.nft',

  verdicts: VERDICTS,
  statements: STATEMENTS,
  structure: STRUCTURE,
  selectors: SELECTORS,
  families: FAMILY_WORDS,
  chainTypes: CHAIN_TYPE_WORDS,
  hooks: HOOK_WORDS,
  priorityNames: PRIORITY_NAMES,
  fields: FIELDS,
  setTypes: SET_TYPE_WORDS,
  operatorWords: OPERATOR_WORDS,
  symbolicValues: SYMBOLIC_VALUES,
  otherKeywords: OTHER_KEYWORDS,

  brackets: [
    { open: '{', close: '}', token: 'delimiter.curly' },
    { open: '[', close: ']', token: 'delimiter.square' },
    { open: '(', close: ')', token: 'delimiter.parenthesis' },
  ],

  tokenizer: {
    root: [
      [/[ \t\r\n]+/, ''],
      [/#.*$/, 'comment'],
      [/"[^"]*"/, 'string'],
      [/"[^"]*$/, 'string.invalid'],
      [/\$[A-Za-z_]\w*/, 'variable'],
      [new RegExp(`@${NAME}`), 'variable.set'],

      // declarations and references that name something
      [new RegExp(`(table)(\\s+)(ip6?|inet|arp|bridge|netdev)(\\s+)(${NAME})`), ['keyword', '', 'type.family', '', 'identifier']],
      [new RegExp(`(table)(\\s+)(?!(?:ip6?|inet|arp|bridge|netdev)\\b)(${NAME})`), ['keyword', '', 'identifier']],
      [new RegExp(`(chain|set|map|flowtable)(\\s+)(${NAME})(?=\\s*\\{)`), ['keyword', '', 'identifier']],
      [new RegExp(`(synproxy|counter|quota|limit|secmark)(\\s+)(?!name\\b)(${NAME})(?=\\s*\\{)`), ['keyword.statement', '', 'identifier']],
      [new RegExp(`(ct)(\\s+)(helper|timeout|expectation)(\\s+)(${NAME})(?=\\s*\\{)`), ['keyword.selector', '', 'attribute', '', 'identifier']],
      [new RegExp(`(jump|goto)(\\s+)(${NAME})`), ['keyword.verdict', '', 'identifier']],
      [/(define|redefine|undefine)(\s+)([A-Za-z_]\w*)/, ['keyword', '', 'variable']],

      // values: addresses before words (an IPv6 address may start with a letter)
      [/(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?:\/\d{1,3})?(?![\w:])/, 'number.address'],
      [/\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?(?![\w.])/, 'number.address'],
      [/0x[0-9A-Fa-f]+\b/, 'number.hex'],
      [/\d+(?:ms|[dhms])(?:\d+(?:ms|[dhms]))*(?![\w])/, 'number.time'],
      [/\d+(?![\w])/, 'number'],

      [
        /[A-Za-z_][\w-]*/,
        {
          cases: {
            '@verdicts': 'keyword.verdict',
            '@statements': 'keyword.statement',
            '@structure': 'keyword',
            '@selectors': 'keyword.selector',
            '@families': 'type.family',
            '@chainTypes': 'type.chain',
            '@hooks': 'type.hook',
            '@priorityNames': 'type.priority',
            '@fields': 'attribute',
            '@setTypes': 'type',
            '@operatorWords': 'operator',
            '@symbolicValues': 'constant',
            '@otherKeywords': 'keyword',
            '@default': 'identifier',
          },
        },
      ],
      // anything else starting with a digit that is not a number nft knows (8021q, 1:2)
      [/\d[\w]*/, 'identifier'],

      [/[{}()[\]]/, '@brackets'],
      [/==|!=|<=|>=|<<|>>|[<>!&|^]/, 'operator'],
      [/[;,:=./*+\\-]/, 'delimiter'],
    ],
  },
};
