/**
 * The Monaco build the preview uses: the editor API only (no bundled languages,
 * no language workers), the editor worker served from this site, the editor
 * features the preview needs, and the nft language. Importing this module is
 * what pulls Monaco into a bundle, so only lazily loaded modules
 * (web/preview/Preview.tsx) may import it.
 *
 * Features, with what they add to the chunk (gzip, Vite 8 build, monaco-editor
 * 0.57, before the stand-ins below): hover (keyword explanations and marker
 * messages) +87 kB — its widget statically pulls in find, colour picker, inlay
 * hints, code actions and go-to-definition — and the suggest widget + snippets
 * + codicons (completion) +34 kB are what the preview needs. Find (Ctrl+F in a
 * long script) +9 kB; gotoError (F8 walks the markers: the keyboard and screen
 * reader way to read them), comment (Ctrl+/), bracketMatching, wordOperations
 * (Ctrl+←/→) and readOnlyMessage together +5 kB. Left out: folding, sticky
 * scroll, the context menu, clipboard actions, links, colour decorators and
 * inline completions.
 *
 * The build replaces modules this graph reaches but never runs (GPU rendering,
 * the multi-file diff editor, quick input, tree-sitter, and the colour picker,
 * inlay hints, code actions and go-to-definition the hover names) with small
 * stand-ins: web/monaco/stubs.ts, about 120 KiB gzip. Monaco then is its own
 * chunk (`monaco-*.js`, vite.config.ts), about 690 KiB gzip; this module and
 * the nft language are another, about 12 KiB.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/hover/register';
// the suggest widget: monaco-editor 0.57's `features/suggest` entry registers only
// suggestions-as-inline-completions, and editor.main imports the controller on
// its own, so it is imported directly (an untyped side-effect import)
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/readOnlyMessage/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { registerNft } from './nft/register.ts';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker({ name: 'monaco-editor-worker' }),
};

registerNft(monaco);

export { monaco };
