/**
 * The rule builder's small building blocks. Every control takes the `path` of
 * its field (`stmt.0.synproxy.mss`); the notes under it — the builder's own
 * checks and the linter's findings, with the finding's "why" one click away —
 * come from one context, so a field cannot forget to show why it is wrong.
 */
import { Box, Checkbox, FormControlLabel, FormHelperText, IconButton, TextField, Tooltip } from '@mui/material';
import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import { createContext, useContext, useId, useState, type ReactNode } from 'react';
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import type { Problem } from './model.ts';
import { selectFit } from '../selectFit.ts';

export interface NotesIndex {
  problems: Map<string, Problem[]>;
  findings: Map<string, Diagnostic[]>;
}

export const NotesContext = createContext<NotesIndex>({ problems: new Map(), findings: new Map() });

export interface FieldNotes {
  problems: Problem[];
  findings: Diagnostic[];
  error: boolean;
}

export function useNotes(path: string): FieldNotes {
  const idx = useContext(NotesContext);
  const problems = idx.problems.get(path) ?? [];
  const findings = idx.findings.get(path) ?? [];
  return { problems, findings, error: problems.some((p) => p.severity === 'error') || findings.some((d) => d.severity === 'error') };
}

function tone(severity: string): string | undefined {
  if (severity === 'warning') return 'warning.main';
  if (severity === 'info') return 'info.main';
  if (severity === 'pending') return 'text.secondary';
  return undefined;
}

/** A finding with its "why?" that opens below it. */
export function FindingLine({ d }: { d: Diagnostic }) {
  const [open, setOpen] = useState(false);
  return (
    <FormHelperText component="div" error={d.severity === 'error'} sx={{ mx: 0, mt: 0.25, color: tone(d.severity) }}>
      {d.severity === 'error' ? '' : `${d.severity}: `}
      {d.message}
      {d.why && (
        <>
          {' '}
          <Box
            component="button"
            type="button"
            onClick={() => setOpen(!open)}
            aria-expanded={open}
            // several notes in one form each have a "why?": the name says which note it explains
            aria-label={`why? (${d.message})`}
            sx={{ border: 0, p: 0, background: 'none', color: 'primary.main', cursor: 'pointer', font: 'inherit', textDecoration: 'underline' }}
          >
            why?
          </Box>
          {open && (
            <Box component="span" sx={{ display: 'block', color: 'text.secondary', mt: 0.25 }}>
              {d.why}
            </Box>
          )}
        </>
      )}
    </FormHelperText>
  );
}

/** The notes under a field: its own problems first, then the linter's findings. */
export function Notes({ notes, id, testId }: { notes: FieldNotes; id?: string; testId?: string }) {
  if (!notes.problems.length && !notes.findings.length) return null;
  return (
    <Box id={id} data-testid={testId} role={notes.error ? 'alert' : 'status'}>
      {notes.problems.map((p, i) => (
        <FormHelperText key={`p${i}`} component="div" error={p.severity === 'error'} sx={{ mx: 0, mt: 0.25, color: tone(p.severity) }}>
          {p.severity === 'warning' ? 'warning: ' : ''}
          {p.message}
        </FormHelperText>
      ))}
      {notes.findings.map((d, i) => (
        <FindingLine key={`d${i}`} d={d} />
      ))}
    </Box>
  );
}

export function HelpIcon({ topic, text }: { topic: string; text: ReactNode }) {
  return (
    <Tooltip title={<Box sx={{ whiteSpace: 'pre-line', fontSize: 12 }}>{text}</Box>} describeChild enterTouchDelay={0}>
      <IconButton aria-label={`About ${topic}`} sx={{ ml: 0.25, p: 0.5 }}>
        <InfoOutlinedIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}

interface FieldBase {
  label: string;
  path: string;
  testId: string;
  width?: number | string;
  help?: ReactNode;
  helpTopic?: string;
  autoFocus?: boolean;
  disabled?: boolean;
}

/**
 * Stack a control, its help icon and its notes. `fit`: the width (CSS) the
 * control's content needs (a select's longest option), so it is never drawn
 * narrower than that while there is room; the help icon wraps below it first.
 */
function FieldBox({ width, notes, notesId, testId, help, helpTopic, label, fit, children }: Omit<FieldBase, 'path'> & { notes: FieldNotes; notesId: string; fit?: string; children: ReactNode }) {
  const w = width ?? 180;
  // A narrow field's notes may widen its column (up to 280px) rather than wrap word by word.
  const full = typeof w === 'string';
  const own = fit ? `max(${w}px, ${fit})` : `${w}px`;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', width: full ? w : undefined, maxWidth: full ? '100%' : `min(100%, max(calc(${own} + ${help === undefined ? 0 : 34}px), 280px))`, minWidth: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', maxWidth: '100%', flexWrap: fit ? 'wrap' : undefined }}>
        <Box sx={{ width: full ? '100%' : own, maxWidth: '100%', minWidth: 0, flex: full ? 1 : '0 0 auto' }}>{children}</Box>
        {help !== undefined && <HelpIcon topic={helpTopic ?? label} text={help} />}
      </Box>
      <Notes notes={notes} id={notesId} testId={`${testId}.notes`} />
    </Box>
  );
}

/**
 * The row a repeated control stands in ("Match 2", "Statement 1", "Entry 3"): its
 * accessible name says which row, "Match 2: Operator", while the visible label
 * stays "Operator".
 */
const RowContext = createContext('');

export function RowLabel({ prefix, children }: { prefix: string; children: ReactNode }) {
  return <RowContext.Provider value={prefix}>{children}</RowContext.Provider>;
}

/** The accessible name of a control labelled `label` in the current row, if in one. */
function useRowName(label: string): string | undefined {
  const prefix = useContext(RowContext);
  return prefix ? `${prefix}: ${label}` : undefined;
}

export function TextInput(p: FieldBase & { value: string; onChange: (v: string) => void; placeholder?: string; numeric?: boolean; monospace?: boolean; onBlur?: () => void }) {
  const notes = useNotes(p.path);
  const notesId = useId();
  const has = notes.problems.length + notes.findings.length > 0;
  const name = useRowName(p.label);
  return (
    <FieldBox {...p} notes={notes} notesId={notesId}>
      <TextField
        label={p.label}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        onBlur={p.onBlur}
        error={notes.error}
        placeholder={p.placeholder}
        autoFocus={p.autoFocus}
        disabled={p.disabled}
        fullWidth
        slotProps={{
          htmlInput: {
            'data-testid': p.testId,
            'aria-label': name,
            'aria-describedby': has ? notesId : undefined,
            'aria-invalid': notes.error || undefined,
            inputMode: p.numeric ? 'numeric' : undefined,
            spellCheck: false,
            autoComplete: 'off',
            style: p.monospace ? { fontFamily: 'monospace' } : undefined,
          },
        }}
      />
    </FieldBox>
  );
}

export interface Option {
  value: string;
  label: string;
  disabled?: boolean;
}

/** A native select: fully keyboard operable (arrows change it), labelled, and easy to drive in tests. */
export function SelectInput(p: FieldBase & { value: string; onChange: (v: string) => void; options: readonly (Option | { group: string; options: readonly Option[] })[] }) {
  const notes = useNotes(p.path);
  const notesId = useId();
  const has = notes.problems.length + notes.findings.length > 0;
  const name = useRowName(p.label);
  return (
    <FieldBox {...p} notes={notes} notesId={notesId} fit={selectFit(p.label, p.options)}>
      <TextField
        select
        label={p.label}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        error={notes.error}
        autoFocus={p.autoFocus}
        disabled={p.disabled}
        fullWidth
        slotProps={{
          select: { native: true },
          inputLabel: { shrink: true },
          htmlInput: { 'data-testid': p.testId, 'aria-label': name, 'aria-describedby': has ? notesId : undefined, 'aria-invalid': notes.error || undefined },
        }}
      >
        {p.options.map((o) =>
          'group' in o ? (
            <optgroup key={o.group} label={o.group}>
              {o.options.map((x) => (
                <option key={x.value} value={x.value} disabled={x.disabled}>
                  {x.label}
                </option>
              ))}
            </optgroup>
          ) : (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ),
        )}
      </TextField>
    </FieldBox>
  );
}

export function CheckInput(p: Omit<FieldBase, 'width'> & { checked: boolean; onChange: (v: boolean) => void }) {
  const notes = useNotes(p.path);
  const notesId = useId();
  const has = notes.problems.length + notes.findings.length > 0;
  const name = useRowName(p.label);
  return (
    <FieldBox {...p} width="auto" notes={notes} notesId={notesId}>
      <FormControlLabel
        sx={{ mr: p.help === undefined ? 1.5 : 0, ml: 0 }}
        control={
          <Checkbox
            checked={p.checked}
            onChange={(e) => p.onChange(e.target.checked)}
            disabled={p.disabled}
            autoFocus={p.autoFocus}
            slotProps={{ input: { 'data-testid': p.testId, 'aria-label': name, 'aria-describedby': has ? notesId : undefined } as object }}
          />
        }
        label={p.label}
      />
    </FieldBox>
  );
}

/** Move up / move down / remove, for a match or statement row. */
export function RowActions(p: { what: string; index: number; count: number; testId: string; onMove: (to: number) => void; onRemove: () => void }) {
  const n = p.index + 1;
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', pt: 0.5, flexShrink: 0 }}>
      <Tooltip title={`Move ${p.what} ${n} up`}>
        <span>
          <IconButton aria-label={`Move ${p.what} ${n} up`} data-testid={`${p.testId}.up`} disabled={p.index === 0} onClick={() => p.onMove(p.index - 1)}>
            <ArrowUpwardIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
      <Tooltip title={`Move ${p.what} ${n} down`}>
        <span>
          <IconButton aria-label={`Move ${p.what} ${n} down`} data-testid={`${p.testId}.down`} disabled={p.index === p.count - 1} onClick={() => p.onMove(p.index + 1)}>
            <ArrowDownwardIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
      <Tooltip title={`Remove ${p.what} ${n}`}>
        <IconButton aria-label={`Remove ${p.what} ${n}`} data-testid={`${p.testId}.remove`} onClick={p.onRemove}>
          <DeleteOutlineIcon fontSize="small" />
        </IconButton>
      </Tooltip>
    </Box>
  );
}
