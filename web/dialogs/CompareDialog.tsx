/**
 * "Compare with live": bring in what a host runs (`nft list ruleset`, `nft -j list
 * ruleset`, or the agent's `export`), and see, before applying, the live ruleset
 * next to what it will be after applying this design with the chosen preamble,
 * with a summary of what is added, removed and changed.
 */
import { Alert, Box, Button, Chip, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Radio, RadioGroup, Typography } from '@mui/material';
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import type { Preamble } from '../../src/model/types.ts';
import { foreignName } from '../../src/knowledge/foreign.ts';
import { compareWithLive, readLive, summaryLine, type TableDiff } from '../../src/plan/index.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { useFileDrop } from './fileDrop.ts';
import { PREAMBLES } from './preambles.ts';
import { MAX_IMPORT_BYTES } from './importText.ts';
import { HiddenFileInput } from './FileInput.tsx';

const DiffView = lazy(() => import('../compare/DiffView.tsx'));

const CHANGE_COLOR = { added: 'success', removed: 'error', changed: 'warning', unchanged: 'default' } as const;

function members(label: string, m: { added: string[]; removed: string[]; changed: string[] }): string[] {
  const out: string[] = [];
  if (m.added.length) out.push(`${label} added: ${m.added.join(', ')}`);
  if (m.removed.length) out.push(`${label} removed: ${m.removed.join(', ')}`);
  if (m.changed.length) out.push(`${label} changed: ${m.changed.join(', ')}`);
  return out;
}

function tableDetail(t: TableDiff): string {
  const parts = [...members('chains', t.chains), ...members('sets', t.sets), ...members('objects', t.objects)];
  const r = t.rules;
  const rules = [r.added && `${r.added} added`, r.removed && `${r.removed} removed`, r.changed && `${r.changed} changed`].filter(Boolean);
  if (rules.length) parts.push(`rules ${rules.join(', ')}`);
  return parts.join('; ');
}

export default function CompareDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const design = useDesign((s) => s.ruleset);
  const theme = useUi((s) => s.theme);
  const [text, setText] = useState('');
  const [source, setSource] = useState<{ text: string; name: string } | null>(null);
  const [tooBig, setTooBig] = useState(false);
  // once compared, the input folds to one line so the result has the room
  const [editing, setEditing] = useState(true);
  const fileInput = useRef<HTMLInputElement>(null);
  const setPreamble = (p: Preamble): void => useDesign.getState().apply((r) => ({ ...r, preamble: p }));

  const take = (t: string, name: string): void => {
    if (t.length > MAX_IMPORT_BYTES) {
      setTooBig(true);
      return;
    }
    setTooBig(false);
    setSource({ text: t, name });
    setEditing(false);
  };
  const readFile = (f: File): void => {
    void f.text().then((t) => {
      setText(t.length > 200_000 ? '' : t);
      take(t, f.name);
    });
  };
  const drop = useFileDrop(readFile);
  const live = useMemo(() => (source ? readLive(source.text) : null), [source]);
  const showInput = editing || !live || live.errors.length > 0;
  const plan = useMemo(() => {
    if (!live) return null;
    const aside = new Map((design.aside ?? []).map((a) => [`${a.family} ${a.name}`, foreignName(a.owner)]));
    return compareWithLive(live, design, { owner: (t) => aside.get(`${t.family} ${t.name}`) });
  }, [live, design]);

  return (
    <Dialog open={open} onClose={onClose} maxWidth="xl" fullWidth aria-labelledby="compare-title">
      <DialogTitle id="compare-title">Compare with live: what will an apply change?</DialogTitle>
      <DialogContent>
        {!showInput && source && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1 }}>
            <Typography variant="body2" data-testid="compare.source">
              Live ruleset: {source.name}
              {live && !live.errors.length ? ` (${live.tables.length} ${live.tables.length === 1 ? 'table' : 'tables'})` : ''}
            </Typography>
            <Button size="small" onClick={() => setEditing(true)} data-testid="compare.change">
              Change the live ruleset
            </Button>
          </Box>
        )}
        <Box
          hidden={!showInput}
          {...drop.handlers}
          data-testid="compare.drop"
          sx={{ border: '2px dashed', borderColor: drop.dragging ? 'primary.main' : 'divider', borderRadius: 1, p: 1, mb: 1 }}
        >
          <Typography variant="body2" sx={{ mb: 1 }}>
            The host&apos;s ruleset: run <code>nft list ruleset</code> (or <code>nft -j list ruleset</code>, or <code>nft-agent export</code>) on it, then paste the output below, drop the file here, or{' '}
            <Button size="small" onClick={() => fileInput.current?.click()} data-testid="compare.openFile">
              open a file
            </Button>
            .
          </Typography>
          <HiddenFileInput ref={fileInput} accept=".nft,.json,.conf,.txt,text/plain,application/json" label="Live ruleset file" testId="compare.file" onFile={readFile} />
          <Box
            component="textarea"
            value={text}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)}
            aria-label="Live ruleset (nft list ruleset output)"
            placeholder="table inet filter { …"
            spellCheck={false}
            data-testid="compare.text"
            sx={{ width: '100%', minHeight: 72, maxHeight: 160, fontFamily: 'monospace', fontSize: 12, tabSize: 8, bgcolor: 'background.paper', color: 'text.primary', border: 1, borderColor: 'divider', borderRadius: 1, p: 0.5, resize: 'vertical' }}
          />
          <Button variant="contained" size="small" disabled={!text.trim()} onClick={() => take(text, 'pasted text')} data-testid="compare.run">
            Compare
          </Button>
          {tooBig && (
            <Alert severity="error" sx={{ mt: 1 }}>
              The file is larger than {MAX_IMPORT_BYTES / 1024 / 1024} MiB.
            </Alert>
          )}
        </Box>

        <Typography variant="subtitle2" component="h3">
          Preamble of the export
        </Typography>
        <Typography variant="caption" color="text.secondary" component="p">
          This is the design&apos;s own preamble: choosing here changes what Export writes too (undo brings it back).
        </Typography>
        <RadioGroup row value={design.preamble} onChange={(e) => setPreamble(e.target.value as Preamble)} aria-label="Preamble">
          {PREAMBLES.map((p) => (
            <FormControlLabel
              key={p.value}
              value={p.value}
              title={p.help}
              control={<Radio size="small" slotProps={{ input: { 'data-testid': `compare.preamble.${p.value}` } as React.InputHTMLAttributes<HTMLInputElement> }} />}
              label={p.label}
            />
          ))}
        </RadioGroup>

        {plan && plan.errors.length > 0 && (
          <Alert severity="error" data-testid="compare.errors" sx={{ my: 1 }}>
            {plan.errors.map((e, i) => (
              <div key={i}>
                {source?.name ?? 'input'}
                {e.range ? `:${e.range.startLine}:${e.range.startCol}` : ''}: {e.message}
              </div>
            ))}
          </Alert>
        )}
        {plan && plan.errors.length === 0 && (
          <>
            <Typography variant="body1" sx={{ fontWeight: 600, mt: 1 }} data-testid="compare.summary">
              {summaryLine(plan)}
            </Typography>
            {plan.warnings.length > 0 && (
              <Alert severity="warning" data-testid="compare.warnings" sx={{ my: 1 }}>
                {plan.warnings.map((w, i) => (
                  <div key={i}>{w}</div>
                ))}
              </Alert>
            )}
            <Box component="ul" data-testid="compare.tables" sx={{ listStyle: 'none', p: 0, m: '4px 0' }}>
              {plan.tables.map((t) => (
                <Box component="li" key={`${t.family} ${t.name}`} data-testid={`compare.table.${t.family}.${t.name}`} sx={{ display: 'flex', gap: 1, alignItems: 'baseline', flexWrap: 'wrap', py: 0.25 }}>
                  <Chip size="small" label={t.change} color={CHANGE_COLOR[t.change]} variant={t.change === 'unchanged' ? 'outlined' : 'filled'} />
                  <code>
                    table {t.family} {t.name}
                  </code>
                  {t.owner && <Typography variant="body2">({t.owner}, not ours)</Typography>}
                  <Typography variant="body2" color="text.secondary">
                    {tableDetail(t)}
                  </Typography>
                </Box>
              ))}
            </Box>
            {plan.notes.map((n, i) => (
              <Alert key={i} severity="info" sx={{ my: 0.5 }} data-testid="compare.note">
                {n}
              </Alert>
            ))}
            <Suspense
              fallback={
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, p: 2 }}>
                  <CircularProgress size={18} aria-label="Loading the diff editor" /> Loading the diff editor…
                </Box>
              }
            >
              <DiffView original={plan.liveText} modified={plan.afterText} theme={theme} height="max(240px, 50vh)" originalLabel={`Live ruleset now (${source?.name ?? 'input'})`} modifiedLabel="After applying this design" />
            </Suspense>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="compare.close">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
