/**
 * Light and dark themes for the nft token classes (see nft.ts). They inherit
 * Monaco's `vs` / `vs-dark` and give verdicts, statements, selectors and the
 * chain vocabulary colours of their own, so a learner can read a rule's shape
 * at a glance: what it looks at (selector + field), what it does (statement),
 * and what it decides (verdict). Contrast of every colour against its
 * background is at least 4.5:1 (WCAG AA for text).
 */
import type { editor } from 'monaco-editor/editor/editor.api';

export const THEME_LIGHT = 'nft-light';
export const THEME_DARK = 'nft-dark';

export const nftLight: editor.IStandaloneThemeData = {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'keyword.nft', foreground: '0000c0' },
    { token: 'keyword.verdict.nft', foreground: 'a31515', fontStyle: 'bold' },
    { token: 'keyword.statement.nft', foreground: '795e26', fontStyle: 'bold' },
    { token: 'keyword.selector.nft', foreground: '006b75' },
    { token: 'attribute.nft', foreground: '0b6e99' },
    { token: 'type.nft', foreground: '267f99' },
    { token: 'type.family.nft', foreground: '7a3e9d' },
    { token: 'type.chain.nft', foreground: '7a3e9d' },
    { token: 'type.hook.nft', foreground: '7a3e9d', fontStyle: 'bold' },
    { token: 'type.priority.nft', foreground: '7a3e9d' },
    { token: 'constant.nft', foreground: '8a4b00' },
    { token: 'number.nft', foreground: '096e48' },
    { token: 'number.hex.nft', foreground: '096e48' },
    { token: 'number.address.nft', foreground: '096e48' },
    { token: 'number.time.nft', foreground: '096e48' },
    { token: 'string.nft', foreground: 'a31515' },
    { token: 'string.invalid.nft', foreground: 'cd3131', fontStyle: 'underline' },
    { token: 'comment.nft', foreground: '5c6b5c', fontStyle: 'italic' },
    { token: 'variable.nft', foreground: '001080' },
    { token: 'variable.set.nft', foreground: '001080', fontStyle: 'italic' },
    { token: 'identifier.nft', foreground: '1f1f1f' },
    { token: 'operator.nft', foreground: '000000' },
    { token: 'delimiter.nft', foreground: '444444' },
    { token: 'invalid.nft', foreground: 'cd3131', fontStyle: 'underline' },
  ],
  colors: {
    'editorLineNumber.foreground': '#5f6b7a',
  },
};

export const nftDark: editor.IStandaloneThemeData = {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'keyword.nft', foreground: '6cb6ff' },
    { token: 'keyword.verdict.nft', foreground: 'ff8f8f', fontStyle: 'bold' },
    { token: 'keyword.statement.nft', foreground: 'e5c07b', fontStyle: 'bold' },
    { token: 'keyword.selector.nft', foreground: '56d4dd' },
    { token: 'attribute.nft', foreground: '9cdcfe' },
    { token: 'type.nft', foreground: '4ec9b0' },
    { token: 'type.family.nft', foreground: 'd2a8ff' },
    { token: 'type.chain.nft', foreground: 'd2a8ff' },
    { token: 'type.hook.nft', foreground: 'd2a8ff', fontStyle: 'bold' },
    { token: 'type.priority.nft', foreground: 'd2a8ff' },
    { token: 'constant.nft', foreground: 'ffb86b' },
    { token: 'number.nft', foreground: 'b5cea8' },
    { token: 'number.hex.nft', foreground: 'b5cea8' },
    { token: 'number.address.nft', foreground: 'b5cea8' },
    { token: 'number.time.nft', foreground: 'b5cea8' },
    { token: 'string.nft', foreground: 'ce9178' },
    { token: 'string.invalid.nft', foreground: 'f48771', fontStyle: 'underline' },
    { token: 'comment.nft', foreground: '8b9b8b', fontStyle: 'italic' },
    { token: 'variable.nft', foreground: '9cdcfe' },
    { token: 'variable.set.nft', foreground: '9cdcfe', fontStyle: 'italic' },
    { token: 'identifier.nft', foreground: 'e6e6e6' },
    { token: 'operator.nft', foreground: 'd4d4d4' },
    { token: 'delimiter.nft', foreground: 'c8c8c8' },
    { token: 'invalid.nft', foreground: 'f48771', fontStyle: 'underline' },
  ],
  colors: {
    // the app's dark background (web/theme.ts) so the preview sits in the page
    'editor.background': '#1b1f26',
    // line numbers readable on that background (WCAG AA)
    'editorLineNumber.foreground': '#9aa4b2',
    'editorLineNumber.activeForeground': '#e6edf3',
  },
};
