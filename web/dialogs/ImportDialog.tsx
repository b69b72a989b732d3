import { Alert, Box, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, FormControlLabel, TextField, Typography } from '@mui/material';
import type { InputHTMLAttributes } from 'react';
import { useMemo, useRef, useState } from 'react';
import { withDefaultPreamble } from '../../src/model/types.ts';
import { useDesign } from '../store/design.ts';
import { newDesign } from '../store/session.ts';
import { useUi } from '../store/ui.ts';
import { analyseImport, buildImport, defaultDesignKeys, type ImportAnalysis, type ImportResult } from './importText.ts';
import { useFileDrop } from './fileDrop.ts';
import { plural } from '../words.ts';
import { HiddenFileInput } from './FileInput.tsx';

const inputAttrs = (testId: string, label: string): InputHTMLAttributes<HTMLInputElement> => ({ 'data-testid': testId, 'aria-label': label }) as InputHTMLAttributes<HTMLInputElement>;

function toggled(set: ReadonlySet<string>, key: string, on: boolean): Set<string> {
  const next = new Set(set);
  if (on) next.add(key);
  else next.delete(key);
  return next;
}

/**
 * The tables other software manages (kept aside unless brought in) and the sets
 * whose run-time elements were left out (unless kept), with a choice for each.
 */
function ImportChoicesPanel(props: {
  result: ImportResult;
  design: ReadonlySet<string>;
  keepElements: ReadonlySet<string>;
  onDesign: (key: string, on: boolean) => void;
  onKeep: (key: string, on: boolean) => void;
}) {
  const { result, design, keepElements } = props;
  return (
    <>
      {result.foreign.length > 0 && (
        <Box component="section" aria-labelledby="import-foreign-title" sx={{ mt: 1.5 }} data-testid="import.foreign">
          <Typography id="import-foreign-title" variant="subtitle2" component="h3">
            Tables other software manages ({result.foreign.length})
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Left out, a table is kept aside as live, not ours: shown in the navigator, never emitted, and the preamble "replace only these tables" leaves it alone on the host.
          </Typography>
          <Box component="ul" sx={{ m: 0, mt: 0.5, p: 0, listStyle: 'none' }}>
            {result.foreign.map((f) => {
              const leftOut = !design.has(f.key);
              return (
                <Box component="li" key={f.key} sx={{ py: 0.5, borderTop: 1, borderColor: 'divider' }} data-testid={`import.foreign.${f.key}`}>
                  <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                    table {f.family} {f.name} — {f.ownerName}
                    {f.startLine !== undefined && (
                      <Typography component="span" variant="body2" color="text.secondary" sx={{ fontWeight: 400 }}>
                        {' '}
                        (lines {f.startLine}–{f.endLine})
                      </Typography>
                    )}
                  </Typography>
                  <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }} data-testid="import.foreign.because">
                    {f.tentative && 'Perhaps: only by names people also give their own tables, so it is kept in the design unless you leave it out — '}
                    {f.because.join('; ')}
                    {f.also.length > 0 && ` — also holds chains of ${f.also.join(', ')}`}
                  </Typography>
                  <FormControlLabel
                    sx={{ mr: 0 }}
                    control={
                      <Checkbox
                        size="small"
                        checked={leftOut}
                        disabled={leftOut && f.notDesignable !== undefined}
                        onChange={(e) => props.onDesign(f.key, !e.target.checked)}
                        slotProps={{ input: inputAttrs(`import.leaveOut.${f.key}`, `Leave out table ${f.family} ${f.name} (${f.ownerName}): keep it aside as live, not ours`) }}
                      />
                    }
                    label={<Typography variant="body2">Leave out — keep aside as live, not ours</Typography>}
                  />
                  {f.notDesignable !== undefined && (
                    <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }} data-testid="import.foreign.notDesignable">
                      It cannot be designed: {f.notDesignable}.
                    </Typography>
                  )}
                  {!leftOut && f.caution && (
                    <Typography variant="body2" color="warning.main" sx={{ overflowWrap: 'anywhere' }}>
                      {f.caution}; {f.ownerName} will also rewrite it.
                    </Typography>
                  )}
                </Box>
              );
            })}
          </Box>
        </Box>
      )}
      {result.runtime.length > 0 && (
        <Box component="section" aria-labelledby="import-runtime-title" sx={{ mt: 1.5 }} data-testid="import.runtime">
          <Typography id="import-runtime-title" variant="subtitle2" component="h3">
            Sets filled at run time ({result.runtime.length})
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Their elements are state (bans, decisions, meters), not design: the set is imported without them unless you keep them.
          </Typography>
          <Box component="ul" sx={{ m: 0, mt: 0.5, p: 0, listStyle: 'none' }}>
            {result.runtime.map((x) => (
              <Box component="li" key={x.key} sx={{ py: 0.5, borderTop: 1, borderColor: 'divider' }} data-testid={`import.runtime.${x.key}`}>
                <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                  set {x.set} in table {x.table}: {x.kept ? `${plural(x.count, 'element')} kept` : `${plural(x.count, 'element')} left out`} ({x.why})
                </Typography>
                <FormControlLabel
                  sx={{ mr: 0 }}
                  control={
                    <Checkbox
                      size="small"
                      checked={keepElements.has(x.key)}
                      onChange={(e) => props.onKeep(x.key, e.target.checked)}
                      slotProps={{ input: inputAttrs(`import.keep.${x.key}`, `Keep the ${x.count} elements of set ${x.set} in table ${x.table} filled at run time as permanent elements`) }}
                    />
                  }
                  label={<Typography variant="body2">Keep the {x.count} elements filled at run time as permanent elements</Typography>}
                />
              </Box>
            ))}
          </Box>
        </Box>
      )}
    </>
  );
}

export default function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [analysis, setAnalysis] = useState<ImportAnalysis | null>(null);
  const [design, setDesign] = useState<ReadonlySet<string>>(new Set());
  const [keepElements, setKeepElements] = useState<ReadonlySet<string>>(new Set());
  const result = useMemo(() => (analysis ? buildImport(analysis, { design, keepElements }) : null), [analysis, design, keepElements]);
  const [confirming, setConfirming] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = (t: string, name: string | null): void => {
    setText(t);
    setFileName(name);
    const a = analyseImport(t);
    setAnalysis(a);
    setDesign(defaultDesignKeys(a));
    setKeepElements(new Set());
    setConfirming(false);
  };
  const readFile = (f: File): void => {
    void f.text().then((t) => load(t, f.name));
  };
  const drop = useFileDrop(readFile);
  const close = (): void => {
    setText('');
    setAnalysis(null);
    setDesign(new Set());
    setKeepElements(new Set());
    setFileName(null);
    setConfirming(false);
    onClose();
  };
  const replace = (): void => {
    if (!result?.ruleset) return;
    // like a new design: a listing without a preamble replaces only its own tables
    const rs = withDefaultPreamble(result.ruleset);
    useDesign.getState().replace(rs, { origin: 'load' });
    useUi.getState().select(rs.tables[0]?.id ?? null);
    useUi.getState().notify({ severity: 'success', text: 'Imported. Undo (Ctrl+Z) brings the previous design back.' });
    close();
  };
  const asNew = (): void => {
    if (!result?.ruleset) return;
    newDesign(fileName ? fileName.replace(/\.(nft|json|conf)$/i, '') : 'Imported design', result.ruleset);
    useUi.getState().notify({ severity: 'success', text: 'Imported as a new design.' });
    close();
  };
  return (
    <Dialog open={open} onClose={close} maxWidth="md" fullWidth aria-labelledby="import-title">
      <DialogTitle id="import-title">Import an nft script or nft -j JSON</DialogTitle>
      <DialogContent>
        <Box
          {...drop.handlers}
          data-testid="import.drop"
          sx={{ border: 2, borderStyle: 'dashed', borderColor: drop.dragging ? 'primary.main' : 'divider', borderRadius: 1, p: 2, textAlign: 'center', mb: 1.5 }}
        >
          <Typography variant="body2" gutterBottom>
            Drop a .nft or .json file here, or
          </Typography>
          <Button variant="outlined" onClick={() => fileInput.current?.click()}>
            Choose a file
          </Button>
          <HiddenFileInput ref={fileInput} accept=".nft,.json,.conf,.txt,text/plain,application/json" label="Choose a file to import" testId="import.file" onFile={readFile} />
        </Box>
        <TextField
          label="…or paste it here (nft list ruleset, a script, or nft -j list ruleset)"
          multiline
          minRows={6}
          maxRows={14}
          fullWidth
          value={text}
          onChange={(e) => load(e.target.value, null)}
          slotProps={{ htmlInput: { 'data-testid': 'import.text', spellCheck: false, style: { fontFamily: 'monospace', fontSize: 12 } } }}
        />
        {result && result.errors.length > 0 && (
          <Alert severity="error" sx={{ mt: 1.5 }} data-testid="import.errors">
            {fileName ?? 'The text'} cannot be imported; the current design is unchanged.
            <ul style={{ margin: '4px 0 0 16px', padding: 0 }}>
              {result.errors.slice(0, 20).map((d, i) => (
                <li key={i} data-testid="import.error">
                  {d.range ? `line ${d.range.startLine}, column ${d.range.startCol}: ` : ''}
                  {d.message}
                </li>
              ))}
            </ul>
            {result.errors.length > 20 && `… and ${result.errors.length - 20} more`}
          </Alert>
        )}
        {result?.ruleset && (
          <Alert severity="success" sx={{ mt: 1.5 }} data-testid="import.ok">
            Read as {result.format === 'json' ? 'nft -j JSON' : 'nft text'}: {result.summary}.
            {result.notes.length > 0 && (
              <ul style={{ margin: '4px 0 0 16px', padding: 0 }}>
                {result.notes.slice(0, 8).map((d, i) => (
                  <li key={i}>
                    {d.range ? `line ${d.range.startLine}: ` : ''}
                    {d.message}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        {result && (
          <ImportChoicesPanel
            result={result}
            design={design}
            keepElements={keepElements}
            onDesign={(key, on) => setDesign((d) => toggled(d, key, on))}
            onKeep={(key, on) => setKeepElements((k) => toggled(k, key, on))}
          />
        )}
        {confirming && (
          <DialogContentText sx={{ mt: 1.5 }} data-testid="import.confirmText">
            This replaces the current design. Undo (Ctrl+Z) brings it back.
          </DialogContentText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button disabled={!result?.ruleset} onClick={asNew} data-testid="import.asNew">
          Open as a new design
        </Button>
        {confirming ? (
          <Button variant="contained" color="warning" onClick={replace} data-testid="import.confirm">
            Yes, replace the current design
          </Button>
        ) : (
          <Button variant="contained" disabled={!result?.ruleset} onClick={() => setConfirming(true)} data-testid="import.replace">
            Replace the current design…
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
