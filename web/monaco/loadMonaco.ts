/**
 * The Monaco build the preview uses: the editor API only (no bundled languages,
 * no language workers), the editor worker served from this site, the editor
 * features the preview needs, and the nft language. Importing this module is
 * what pulls Monaco into a bundle, so only lazily loaded modules
 * (web/preview/Preview.tsx) may import it.
 *
 * The features: hover (keyword explanations and marker messages) and suggest +
 * snippet + codicon (completion) are required; find (Ctrl+F in a long script),
 * gotoError (F8 to walk the markers), comment (Ctrl+/), bracketMatching,
 * wordOperations (Ctrl+←/→), cursorUndo, contextmenu and readOnlyMessage are
 * small next to them (see the report in web/preview/README.md for sizes).
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/readOnlyMessage/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { registerNft } from './nft/register.ts';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker({ name: 'monaco-editor-worker' }),
};

registerNft(monaco);

export { monaco };
