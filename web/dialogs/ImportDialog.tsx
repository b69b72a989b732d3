import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField, Typography } from '@mui/material';
import { useRef, useState } from 'react';
import { useDesign } from '../store/design.ts';
import { newDesign } from '../store/session.ts';
import { useUi } from '../store/ui.ts';
import { readImport, type ImportResult } from './importText.ts';

export default function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = (t: string, name: string | null): void => {
    setText(t);
    setFileName(name);
    setResult(readImport(t));
    setConfirming(false);
  };
  const readFile = (f: File): void => {
    void f.text().then((t) => load(t, f.name));
  };
  const close = (): void => {
    setText('');
    setResult(null);
    setFileName(null);
    setConfirming(false);
    onClose();
  };
  const replace = (): void => {
    if (!result?.ruleset) return;
    const rs = result.ruleset;
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
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const f = e.dataTransfer.files[0];
            if (f) readFile(f);
          }}
          data-testid="import.drop"
          sx={{ border: 2, borderStyle: 'dashed', borderColor: dragging ? 'primary.main' : 'divider', borderRadius: 1, p: 2, textAlign: 'center', mb: 1.5 }}
        >
          <Typography variant="body2" gutterBottom>
            Drop a .nft or .json file here, or
          </Typography>
          <Button variant="outlined" onClick={() => fileInput.current?.click()}>
            Choose a file
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".nft,.json,.conf,.txt,text/plain,application/json"
            hidden
            aria-label="Choose a file to import"
            data-testid="import.file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) readFile(f);
              e.target.value = '';
            }}
          />
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
