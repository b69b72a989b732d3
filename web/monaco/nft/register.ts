/**
 * Registers the nft language with a Monaco instance, once: tokens, language
 * configuration, hovers, completion and the two themes. The caller passes the
 * Monaco API it loaded (web/monaco/loadMonaco.ts), so this module has no import
 * side effects and runs under vitest with the same Monaco build.
 */
import { useDesign } from '../../store/design.ts';
import { designTarget } from '../../../src/knowledge/versions.ts';
import { listingTargetFor } from '../../../src/knowledge/listing.ts';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { blockContext } from './blockContext.ts';
import { nftCompletions, type CompletionNames, type SuggestionKind } from './completion.ts';
import { nftHover } from './hover.ts';
import { conf, language, LANGUAGE_ID } from './nft.ts';
import { nftDark, nftLight, THEME_DARK, THEME_LIGHT } from './themes.ts';

type Monaco = typeof MonacoApi;

const registered = new WeakSet<object>();

/** Only the tokens and configuration: what the tokenizer tests need. */
export function registerNftTokens(monaco: Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === LANGUAGE_ID)) return;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.nft'], aliases: ['nftables', 'nft'], mimetypes: ['text/x-nftables'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, conf);
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, language);
}

export function registerNft(monaco: Monaco): void {
  if (registered.has(monaco.languages)) return;
  registered.add(monaco.languages);
  registerNftTokens(monaco);
  monaco.editor.defineTheme(THEME_LIGHT, nftLight);
  monaco.editor.defineTheme(THEME_DARK, nftDark);

  const lineAt = (model: MonacoApi.editor.ITextModel) => (n: number): string => (n >= 1 && n <= model.getLineCount() ? model.getLineContent(n) : '');

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    provideHover(model, position) {
      const line = model.getLineContent(position.lineNumber);
      // only priorities depend on the family; skip the scan for the table header otherwise
      const family = /\bpriority\b/.test(line) ? blockContext(lineAt(model), position.lineNumber, position.column).family : undefined;
      const h = nftHover(line, position.column, family ? { family } : {});
      if (!h) return null;
      return {
        range: new monaco.Range(position.lineNumber, h.startColumn, position.lineNumber, h.endColumn),
        contents: h.contents.map((value) => ({ value })),
      };
    },
  });

  const KIND: Record<SuggestionKind, MonacoApi.languages.CompletionItemKind> = {
    keyword: monaco.languages.CompletionItemKind.Keyword,
    verdict: monaco.languages.CompletionItemKind.Keyword,
    statement: monaco.languages.CompletionItemKind.Function,
    selector: monaco.languages.CompletionItemKind.Module,
    field: monaco.languages.CompletionItemKind.Field,
    value: monaco.languages.CompletionItemKind.EnumMember,
    type: monaco.languages.CompletionItemKind.TypeParameter,
    snippet: monaco.languages.CompletionItemKind.Snippet,
    reference: monaco.languages.CompletionItemKind.Reference,
    variable: monaco.languages.CompletionItemKind.Variable,
  };

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: [' ', '@', '$'],
    provideCompletionItems(model, position, context) {
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const block = blockContext(lineAt(model), position.lineNumber, position.column);
      const result = nftCompletions({
        before,
        block,
        names: () => documentNames(model.getValue()),
        target: listingTargetFor(designTarget(useDesign.getState().ruleset)),
        triggeredByCharacter: context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter === ' ',
      });
      const range = new monaco.Range(position.lineNumber, result.from + 1, position.lineNumber, position.column);
      return {
        suggestions: result.items.map((s) => ({
          label: s.label,
          kind: KIND[s.kind],
          insertText: s.insertText,
          insertTextRules: s.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : monaco.languages.CompletionItemInsertTextRule.None,
          range,
          ...(s.detail ? { detail: s.detail } : {}),
          ...(s.documentation ? { documentation: { value: s.documentation } } : {}),
          ...(s.sortText ? { sortText: s.sortText } : {}),
        })),
      };
    },
  });
}

/** Chains, sets/maps and variables declared in the text (for jump/goto, @ and $). */
export function documentNames(text: string): CompletionNames {
  const grab = (re: RegExp): string[] => [...new Set(Array.from(text.matchAll(re), (m) => m[1]))].sort();
  return {
    chains: grab(/^[ \t]*chain[ \t]+([A-Za-z_.][\w./-]*)/gm),
    sets: grab(/^[ \t]*(?:set|map)[ \t]+([A-Za-z_.][\w./-]*)[ \t]*\{/gm),
    variables: grab(/^[ \t]*define[ \t]+([A-Za-z_]\w*)/gm),
  };
}
