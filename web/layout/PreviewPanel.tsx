import { Alert, Box, Typography } from '@mui/material';
import { lazy, Suspense, useMemo } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Emitted } from '../state/emitted.ts';
import { useDesign } from '../store/design.ts';
import { editorFontSize, useUi } from '../store/ui.ts';
import { applyEditedText } from '../actions/textEdit.ts';
import { redo, undo } from '../store/design.ts';

const Preview = lazy(() => import('../preview/Preview.tsx'));

/** Until Monaco has loaded, the script shows as plain text (first paint does not wait for the editor). */
function PlainPreview({ text }: { text: string }) {
  const fontSize = editorFontSize(useUi((s) => s.presenter));
  const wrap = useUi((s) => s.previewWrap);
  return (
    <Box role="region" aria-label="nft script preview (loading the editor)" sx={{ height: '100%', overflow: 'auto' }}>
      <Box component="pre" data-testid="preview.plain" sx={{ m: 0, p: 1, fontFamily: 'monospace', fontSize, tabSize: 8, whiteSpace: wrap ? 'pre-wrap' : 'pre' }}>
        {text}
      </Box>
    </Box>
  );
}

function WrapToggle() {
  const wrap = useUi((s) => s.previewWrap);
  const setWrap = useUi((s) => s.setPreviewWrap);
  return (
    <Box component="label" title="Long lines wrap instead of scrolling sideways" sx={{ display: 'flex', alignItems: 'center', gap: 0.5, fontSize: 12, color: 'text.secondary', whiteSpace: 'nowrap', cursor: 'pointer' }}>
      <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} data-testid="preview.wrap" />
      Wrap lines
    </Box>
  );
}

/** Lines of a script that ends with a newline (counted, not split: a 5,000-rule script is 300 kB). */
export function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export default function PreviewPanel({ emitted, diagnostics }: { emitted: Emitted; diagnostics: Diagnostic[] }) {
  const externalVersion = useDesign((s) => s.externalVersion);
  const selectedId = useUi((s) => s.selectedId);
  const select = useUi((s) => s.select);
  const theme = useUi((s) => s.theme);
  const lines = useMemo(() => lineCount(emitted.text), [emitted.text]);
  return (
    <Box component="section" aria-label="Script preview" sx={{ height: '100%', display: 'flex', flexDirection: 'column', borderLeft: 1, borderColor: 'divider' }}>
      <Box sx={{ px: 1, py: 0.5, display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="overline" component="h2">
          nft script
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {lines} lines · edit here or in the forms
        </Typography>
        <WrapToggle />
      </Box>
      {emitted.stale && (
        <Alert severity="error" data-testid="preview.refused" sx={{ mx: 1, mb: 0.5, py: 0 }}>
          The script is not written until this is fixed: {emitted.problems[0]?.message}
          {emitted.problems.length > 1 ? ` (and ${emitted.problems.length - 1} more)` : ''}. Showing the last good script.
        </Alert>
      )}
      <Box sx={{ flex: 1, minHeight: 0 }} data-testid="preview">
        <Suspense fallback={<PlainPreview text={emitted.text} />}>
          <Preview
            text={emitted.text}
            map={emitted.map}
            externalVersion={externalVersion}
            diagnostics={diagnostics}
            selectedId={selectedId}
            onSelect={select}
            onTextChange={(t) => void applyEditedText(t)}
            onUndo={undo}
            onRedo={redo}
            theme={theme}
            ariaLabel="nft script preview"
          />
        </Suspense>
      </Box>
    </Box>
  );
}
