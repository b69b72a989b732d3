/**
 * Monaco modules the app's build replaces with small stand-ins (vite.config.ts,
 * build only): code that `editor.api` or a feature the app imports reaches
 * statically but the app never runs. Each stand-in keeps the exports its
 * importers name, with what those importers need of them; anything that would
 * really be used throws, saying what is missing, instead of failing somewhere
 * else. About 95 KiB gzip of the Monaco chunk (monaco-editor 0.57).
 *
 * - GPU rendering: only with `experimentalGpuAcceleration: 'on'`, which the app never sets.
 * - Tree-sitter tokenization: standalone Monaco's library supports no language.
 * - The observables' dev-tools logger: only with VSCODE_DEV_DEBUG_OBSERVABLES.
 * - The multi-file diff editor: only `monaco.editor.createMultiFileDiffEditor`.
 * - Quick input (the command palette's list): the app imports no quick-access
 *   feature (command palette, go to line/symbol); find's "go to match" action
 *   would ask for it and gets an error.
 * - Around the hover: go to definition (the app has no definition provider),
 *   inlay hints and the colour picker (no providers, and not imported as
 *   features: only their hover parts are named, for `instanceof` tests), and
 *   the quick fixes of a marker's hover (the app has no code action provider:
 *   the hover says "No quick fixes available", as it did).
 *
 * Keyed by the path under monaco-editor/esm/vs/. Checked by stubs.test.ts
 * against the modules' real exports and importers.
 */
const unavailable = (what: string): string => `throw new Error(${JSON.stringify(`${what} is not part of nft-designer's Monaco build (web/monaco/stubs.ts)`)});`;

export const MONACO_STUBS: Readonly<Record<string, string>> = {
  'editor/browser/gpu/viewGpuContext.js': `export class ViewGpuContext { constructor() { ${unavailable('GPU rendering')} } }`,
  'editor/browser/viewParts/viewLinesGpu/viewLinesGpu.js': `export class ViewLinesGpu { constructor() { ${unavailable('GPU rendering')} } }`,
  'editor/browser/viewParts/gpuMark/gpuMark.js': `export class GpuMarkOverlay { constructor() { ${unavailable('GPU rendering')} } }`,
  // standalone Monaco has no tree-sitter grammars (its library service supports no language)
  'editor/common/model/tokens/treeSitter/treeSitterSyntaxTokenBackend.js': `export class TreeSitterSyntaxTokenBackend { constructor() { ${unavailable('Tree-sitter tokenization')} } }`,
  // only with VSCODE_DEV_DEBUG_OBSERVABLES set (Monaco's own debugging)
  'base/common/observableInternal/logging/debugger/devToolsLogger.js': `export class DevToolsLogger { static getInstance() { ${unavailable('The observables debugger')} } }`,
  'editor/browser/widget/multiDiffEditor/multiDiffEditorWidget.js': `export class MultiDiffEditorWidget { constructor() { ${unavailable('The multi-file diff editor')} } }`,
  'editor/standalone/browser/quickInput/standaloneQuickInputService.js': [
    // an eager singleton: constructed with every editor, so constructing it must work
    'export class StandaloneQuickInputService {',
    '  get currentQuickInput() { return undefined; }',
    `  get quickAccess() { ${unavailable('Quick input')} }`,
    ...['pick', 'input', 'createQuickPick', 'createInputBox', 'toggle', 'toggleHover'].map((m) => `  ${m}() { ${unavailable('Quick input')} }`),
    '}',
    'export class QuickInputEditorContribution { static get() { return null; } }',
    'export class QuickInputEditorWidget {}',
  ].join('\n'),
  'editor/contrib/gotoSymbol/browser/link/goToDefinitionAtPosition.js': 'export class GotoDefinitionAtPositionEditorContribution { static get() { return null; } }',
  'editor/contrib/inlayHints/browser/inlayHintsHover.js': 'export class InlayHintsHover {}',
  'editor/contrib/colorPicker/browser/hoverColorPicker/hoverColorPickerParticipant.js': 'export class ColorHover {}\nexport class HoverColorPickerParticipant {}',
  'editor/contrib/colorPicker/browser/hoverColorPicker/hoverColorPicker.js': 'export function isOnColorDecorator() { return false; }',
  'editor/contrib/codeAction/browser/codeAction.js': [
    "export const quickFixCommandId = 'editor.action.quickFix';",
    "export const ApplyCodeActionReason = { OnSave: 'onSave', FromProblemsView: 'fromProblemsView', FromCodeActions: 'fromCodeActions', FromAILightbulb: 'fromAILightbulb', FromProblemsHover: 'fromProblemsHover' };",
    'export async function getCodeActions() { return { validActions: [], allActions: [], hasAIFix: false, hasAutoFix: false, allAIFixes: false, documentation: [], dispose() {} }; }',
  ].join('\n'),
  'editor/contrib/codeAction/browser/codeActionController.js': 'export class CodeActionController { static get() { return null; } }',
};

/** The stand-in for a resolved module id, or undefined. */
export function monacoStubFor(id: string): string | undefined {
  const m = /[\\/]monaco-editor[\\/]esm[\\/]vs[\\/](.+?)(?:\?.*)?$/.exec(id);
  return m ? MONACO_STUBS[m[1].replace(/\\/g, '/')] : undefined;
}
