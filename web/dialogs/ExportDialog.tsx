import { Alert, Box, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Radio, RadioGroup, Tab, Tabs, Typography } from '@mui/material';
import { useTargetVersion } from '../store/target.ts';
import { useMemo, useState } from 'react';
import { AnsiblePanel } from '../export/AnsiblePanel.tsx';
import type { Preamble } from '../../src/model/types.ts';
import { toJson } from '../../src/json/index.ts';
import { useDesign } from '../store/design.ts';
import { useSession } from '../store/session.ts';
import { useUi } from '../store/ui.ts';
import { applyCommand } from './applyCommand.ts';
import { copyText, downloadText, safeFileName } from './download.ts';
import { PREAMBLES } from './preambles.ts';
import { exportScript, hasHashComments } from './exportScript.ts';
import { DialogStatus, useDialogStatus } from './DialogStatus.tsx';


export default function ExportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const rs = useDesign((s) => s.ruleset);
  const name = useSession((s) => s.name);
  const targetVersion = useTargetVersion();
  // said inside the dialog, in a live region (a snackbar would be hidden from screen readers under the dialog)
  const [status, notify] = useDialogStatus();
  const [tab, setTab] = useState<'script' | 'ansible'>('script');
  // the preamble is part of the design: the preview shows it, the export writes it
  const preamble = rs.preamble;
  const setPreamble = (p: Preamble): void => useDesign.getState().apply((r) => ({ ...r, preamble: p }));
  // "Without # comments": nft's own listing, for a clean copy (the design keeps them)
  const [noComments, setNoComments] = useState(false);
  const commented = useMemo(() => hasHashComments(rs), [rs]);
  const out = useMemo(() => exportScript(rs, { preamble, comments: !noComments }), [rs, preamble, noComments]);
  const apply = useMemo(() => (out.problems.length ? null : applyCommand(out.text)), [out]);
  const json = useMemo(() => {
    if (out.problems.length) return null;
    try {
      return toJson(rs, { targetVersion });
    } catch (e) {
      return { json: '', losses: [{ nodeId: '', what: 'json', message: `JSON export failed: ${String(e)}` }], omitted: [] };
    }
  }, [rs, targetVersion, out.problems.length]);
  const ok = out.problems.length === 0;
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="export-title">
      <DialogTitle id="export-title">Export</DialogTitle>
      <DialogContent>
        <Typography variant="subtitle2" component="h3">
          Before the tables
        </Typography>
        <RadioGroup value={preamble} onChange={(e) => setPreamble(e.target.value as Preamble)} aria-label="Preamble">
          {PREAMBLES.map((p) => (
            <FormControlLabel
              key={p.value}
              value={p.value}
              control={<Radio slotProps={{ input: { 'data-testid': `export.preamble.${p.value}` } as React.InputHTMLAttributes<HTMLInputElement> }} />}
              label={
                <span>
                  <b>{p.label}</b> — {p.help}
                </span>
              }
            />
          ))}
        </RadioGroup>
        <FormControlLabel
          control={<Checkbox checked={noComments} onChange={(e) => setNoComments(e.target.checked)} slotProps={{ input: { 'data-testid': 'export.noComments' } as React.InputHTMLAttributes<HTMLInputElement> }} />}
          label={
            <span>
              <b>Without # comments</b> — {commented ? 'leave out the # comments kept from the imported file (nft\'s own listing has none)' : 'this design has no # comments'}
            </span>
          }
        />
        {!ok && (
          <Alert severity="error" data-testid="export.refused" sx={{ my: 1 }}>
            The script cannot be written: {out.problems.join('; ')}
          </Alert>
        )}
        <Tabs value={tab} onChange={(_, v: 'script' | 'ansible') => setTab(v)} aria-label="What to export" sx={{ mb: 1, borderBottom: 1, borderColor: 'divider' }}>
          <Tab value="script" label="Script (one host)" data-testid="export.tab.script" />
          <Tab value="ansible" label="Ansible (many hosts)" data-testid="export.tab.ansible" />
        </Tabs>
        {tab === 'ansible' && ok && <AnsiblePanel script={out.text} designName={name} defines={rs.defines} onStatus={notify} />}
        {tab === 'script' && ok && (
          <Box component="pre" data-testid="export.text" sx={{ maxHeight: 260, overflow: 'auto', bgcolor: 'action.hover', p: 1, fontSize: 12, fontFamily: 'monospace', tabSize: 8 }}>
            {out.text}
          </Box>
        )}
        {tab === 'script' && apply && !apply.ok && (
          <Alert severity="error" data-testid="export.applyRefused" sx={{ my: 1 }}>
            No apply command: {apply.error}
          </Alert>
        )}
        {tab === 'script' && json && json.losses.length > 0 && (
          <Alert severity="warning" data-testid="export.jsonLosses" sx={{ my: 1 }}>
            nft {targetVersion}&apos;s JSON cannot carry everything in this design — the JSON leaves out:
            <ul style={{ margin: '4px 0 0 16px', padding: 0 }}>
              {json.losses.slice(0, 12).map((l, i) => (
                <li key={i}>{l.message}</li>
              ))}
            </ul>
            Use the .nft script to apply it unchanged.
          </Alert>
        )}
        {tab === 'script' && json && json.omitted.length > 0 && (
          <Alert severity="info" data-testid="export.jsonOmitted" sx={{ my: 1 }}>
            The JSON leaves out {json.omitted.map((l) => l.message).join('; ')}.
          </Alert>
        )}
        {tab === 'script' && (
          <Typography variant="body2" sx={{ mt: 1 }}>
            To apply it on a host safely, use the companion agent (POSIX sh; checks the script in a private namespace, applies it atomically and rolls back unless you confirm):{' '}
            <a href="./agent/nft-agent" download="nft-agent" data-testid="export.agent">
              download nft-agent
            </a>
            .
          </Typography>
        )}
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <DialogStatus message={status} testId="export.status" />
        {tab === 'script' && (
          <>
            <Button
              disabled={!ok}
              data-testid="export.copy"
              onClick={async () => notify((await copyText(out.text)) ? { severity: 'success', text: 'Script copied to the clipboard.' } : { severity: 'error', text: 'The clipboard is not available here; download the file instead.' })}
            >
              Copy script
            </Button>
            <Button
              disabled={!ok || !apply?.ok}
              data-testid="export.copyApply"
              onClick={async () => {
                if (!apply?.ok) return;
                notify((await copyText(apply.command)) ? { severity: 'success', text: 'Apply command copied (nft-agent apply --confirm 60 - <<…).' } : { severity: 'error', text: 'The clipboard is not available here.' });
              }}
            >
              Copy apply command
            </Button>
            <Button disabled={!ok} variant="contained" data-testid="export.download" onClick={() => downloadText(safeFileName(name, 'nft'), out.text)}>
              Download .nft
            </Button>
            <Button disabled={!ok || !json?.json} data-testid="export.downloadJson" onClick={() => json && downloadText(safeFileName(name, 'json'), `${json.json}\n`, 'application/json')}>
              Download JSON
            </Button>
          </>
        )}
        <Button data-testid="export.compare" onClick={() => useUi.getState().openDialog('compare')} title="See what applying this export changes on a host, from its nft list ruleset">
          Compare with live…
        </Button>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
